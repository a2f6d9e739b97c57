// Sending a change again safely. A client that sends a change (POST, PUT, PATCH, DELETE) with an
// Idempotency-Key header and gets no answer (a timeout, a dropped connection) may send the same request
// with the same key again: if the first was answered, its answer is sent again and nothing is done twice;
// if it is still being answered, or stopped part-way, the client is told so instead of the change being
// made again. Keys belong to the staff member who sent them and are kept for a day (decision 0025).
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { accessOf, STATE_CHANGING } from '../access/access.plugin.ts';
import { fieldError } from '../core/errors.ts';
import type { Database, IdempotentAudit } from '../db/database.ts';
import type { App } from './app-types.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer sent again for a key already answered. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** A key: 1 to 255 visible ASCII characters (a UUID, say), bare or as a quoted string. */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a key and its answer are kept. */
const KEPT_HOURS = 24;
/**
 * A request unanswered for longer than this, and not being answered by this process, did not finish: its
 * server stopped or lost the database (another server of a deployment may still be answering it).
 */
const ANSWERING_SECONDS = 60;
/** The answer's headers sent again with it. */
const ANSWER_HEADERS = ['content-type', 'location'] as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that changes nothing (a cohort's preview): sent again, it is simply answered again. */
    readsOnly?: boolean;
  }
  interface FastifyRequest {
    /** The key this request holds, once it has claimed it, until its answer is kept. */
    idempotencyKey: string | null;
  }
}

type Db = Kysely<Database>;

/** The key as sent, without the quotes a structured-field string has, or a 400 naming the header. */
export function idempotencyKeyOf(given: string | string[]): string {
  const value = Array.isArray(given) ? given.join(',') : given;
  const key = /^".*"$/.test(value) ? value.slice(1, -1) : value;
  if (!KEY.test(key))
    throw fieldError(
      'invalid',
      'Idempotency-Key',
      'Idempotency-Key must be 1 to 255 visible characters with no spaces, such as a new UUID for each change.',
    );
  return key;
}

/**
 * What identifies a request's body: its SHA-256 as validated. A password (given again before
 * break-glass) is left out, so that no hash of one is kept.
 */
export function bodyHash(body: unknown): string {
  const text = JSON.stringify(body ?? null, (field, value) => (field === 'password' ? '' : value));
  return createHash('sha256').update(text).digest('hex');
}

/** How many keys whose answers could not be kept this process remembers (see the onSend hook). */
const UNKEPT_REMEMBERED = 1000;

export async function registerIdempotency(app: App, db: Db): Promise<void> {
  app.decorateRequest('idempotencyKey', null);
  let purgedAt = 0;
  // Keys whose request this process answered but could not record the answer of (the database lost),
  // with the answer's status: sent again, they are told at once that the first did not finish, rather
  // than to wait as for a request still being answered.
  const unkept = new Map<string, number>();
  // Keys whose first request this process is answering now, however long it takes (an import's bundle).
  const answering = new Set<string>();

  app.addHook('preHandler', async (req, reply) => {
    const given = req.headers[IDEMPOTENCY_HEADER];
    const rule = req.routeOptions.config.access;
    if (given === undefined || !STATE_CHANGING.has(req.method) || !rule || rule.public || !req.signedIn)
      return;
    // An upload is read by its route as it arrives; the same file sent again is recognised by its content.
    if (req.body instanceof EventEmitter || req.routeOptions.config.readsOnly) return;
    const key = idempotencyKeyOf(given);
    const staffId = req.signedIn.staff.id;
    const request = `${req.method} ${req.url}`;
    const hash = bodyHash(req.body);
    const slot = slotOf(staffId, key);
    if (Date.now() - purgedAt > 60_000) {
      purgedAt = Date.now();
      // Housekeeping: a failure here is the next request's to try again, not this one's.
      await db
        .deleteFrom('idempotent_request')
        .where('started_at', '<', sql<Date>`now() - make_interval(hours => ${KEPT_HOURS})`)
        .execute()
        .catch((err) => req.log.error({ err }, 'expired Idempotency-Keys could not be deleted'));
    }
    // Claimed, or taken over from a sending kept longer than a day.
    const claimed = await db
      .insertInto('idempotent_request')
      .values({ staff_id: staffId, key, request, body_hash: hash })
      .onConflict((oc) =>
        oc
          .columns(['staff_id', 'key'])
          .doUpdateSet({
            request,
            body_hash: hash,
            started_at: sql<Date>`now()`,
            status: null,
            headers: null,
            response: null,
            audit: null,
          })
          .where(
            'idempotent_request.started_at',
            '<',
            sql<Date>`now() - make_interval(hours => ${KEPT_HOURS})`,
          ),
      )
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      unkept.delete(slot);
      answering.add(slot);
      req.idempotencyKey = key;
      return;
    }
    const earlier = await db
      .selectFrom('idempotent_request')
      .select(['request', 'body_hash', 'status', 'headers', 'response', 'audit'])
      .select(sql<boolean>`started_at > now() - make_interval(secs => ${ANSWERING_SECONDS})`.as('recent'))
      .where('staff_id', '=', staffId)
      .where('key', '=', key)
      .executeTakeFirst();
    // Gone between the two statements (a day old, let go): the next sending claims it.
    if (!earlier) throw stillAnswering(reply);
    if (earlier.request !== request || earlier.body_hash !== hash)
      throw fieldError(
        'business-rule',
        'Idempotency-Key',
        `This Idempotency-Key was used for a different request (${earlier.request}). Send each new change with a new key.`,
      );
    if (earlier.status === null) {
      const unkeptStatus = unkept.get(slot);
      if (unkeptStatus !== undefined)
        throw unknownOutcome(`was answered (status ${unkeptStatus}) but the answer could not be kept`);
      if (answering.has(slot) || earlier.recent) throw stillAnswering(reply);
      throw unknownOutcome('did not finish');
    }
    if (earlier.status >= 500) throw unknownOutcome(`failed (status ${earlier.status})`);
    if (earlier.headers === null)
      throw unknownOutcome(`was answered (status ${earlier.status}) but the answer could not be kept`);
    return replay(req, reply, earlier.status, earlier.headers, earlier.response, earlier.audit);
  });

  // Registered before the access plugin's, so it sees the answer as the route gave it, and what the
  // request's audit event will say.
  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key || !req.signedIn) return payload;
    req.idempotencyKey = null;
    const staffId = req.signedIn.staff.id;
    const slot = slotOf(staffId, key);
    answering.delete(slot);
    const status = reply.statusCode;
    try {
      // Turned away before anything was done: the same request may be sent again with the same key.
      if (status === 429)
        await db
          .deleteFrom('idempotent_request')
          .where('staff_id', '=', staffId)
          .where('key', '=', key)
          .execute();
      else
        await db
          .updateTable('idempotent_request')
          .set(answer(req, reply, payload))
          .where('staff_id', '=', staffId)
          .where('key', '=', key)
          .execute();
    } catch (err) {
      // The answer still goes; sent again, the request is told it did not finish.
      req.log.error({ err }, 'the answer to a change sent with an Idempotency-Key could not be kept');
      unkept.set(slot, status);
      if (unkept.size > UNKEPT_REMEMBERED) unkept.delete(unkept.keys().next().value as string);
    }
    return payload;
  });
}

/**
 * What is kept of an answer: its status always; its body and headers when it can be sent again (an
 * answer below 500 whose body is text); what its audit event says of people.
 */
function answer(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const status = reply.statusCode;
  const body =
    payload === null || payload === undefined
      ? null
      : typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : undefined;
  if (status >= 500 || body === undefined) return { status, headers: null, response: null, audit: null };
  const headers: Record<string, string> = {};
  for (const name of ANSWER_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  const entry = req.auditEntry;
  const audit: IdempotentAudit | null =
    entry && entry.personIds.length > 0
      ? {
          action: entry.action,
          personIds: [...entry.personIds],
          purpose: entry.purpose,
          relationship: entry.relationship,
          outcome: entry.outcome,
        }
      : null;
  return {
    status,
    headers: JSON.stringify(headers),
    response: body,
    audit: audit && JSON.stringify(audit),
  };
}

/**
 * The answer given the first time, sent again. The people it touched are audited again: as read, when
 * the first was allowed (what it showed of them is shown again), or as the same refusal.
 */
async function replay(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  headers: Record<string, string>,
  response: string | null,
  audit: IdempotentAudit | null,
) {
  if (audit)
    accessOf(req).audit({
      ...audit,
      action: audit.outcome === 'allowed' ? 'read' : audit.action,
      detail: 'the first answer sent again (same Idempotency-Key); nothing was done again',
    });
  reply
    .code(status)
    .headers(headers)
    .header(REPLAYED_HEADER, 'true')
    .send(response ?? undefined);
  await reply;
  // A connection closed before the answer was out (its audit event being written) leaves the reply
  // unsent as Fastify counts it, and Fastify would go on to the route's handler and make the change
  // again: the request is taken out of Fastify's hands instead.
  if (!reply.sent) reply.hijack();
  return reply;
}

const slotOf = (staffId: string, key: string) => `${staffId}|${key}`;

const stillAnswering = (reply: FastifyReply) => {
  reply.header('Retry-After', '1');
  return fieldError(
    'conflict',
    'Idempotency-Key',
    'A request with this Idempotency-Key is still being answered. Wait a moment, then send it again.',
  );
};

const unknownOutcome = (what: string) =>
  fieldError(
    'conflict',
    'Idempotency-Key',
    `The first request with this Idempotency-Key ${what}, so its change may or may not have been saved. Check whether it was, then send it again as a new change with a new key if it is still needed.`,
  );
