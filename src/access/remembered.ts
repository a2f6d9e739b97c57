// Answers remembered for the staff member who asked, until anything changes. The pages a team keeps
// open all day (the caseload, a case, the MDT agenda, my work) are read far more often than anything
// is written, and each is several queries and a relationship check. A remembered answer is kept per
// staff member (never shared between people, so the relationship rule is never skipped for someone
// else), replays the audit record the first answer made (every read is still audited, with the same
// people), and is dropped when any change is written through this process or after a few seconds,
// whichever comes first: another process's change, or a break-glass expiring, shows within that time.
// The viewer's relationship with a person is remembered the same way (its key names the viewer), so
// the several requests a page of someone's record makes check it once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import type { Access, AuditEntry } from './access.plugin.ts';
import { perDatabase, ShortLived } from './short-lived.ts';

/** How long another process's change may take to show in a remembered answer. */
export const REMEMBER_SECONDS = 5;

interface Answer {
  /** The response as sent: checked against the route's schema and serialised once. */
  json: string;
  audit: AuditEntry | null;
}

const answers = perDatabase(() => new ShortLived<Answer>(REMEMBER_SECONDS * 1000, 20_000));
/**
 * The viewer's relationship with a person, by their relationships' key, place and person: every
 * record of a person checks it, and a page of a person's record asks for several at once.
 */
const relationships = perDatabase(() => new ShortLived<string | null>(REMEMBER_SECONDS * 1000, 20_000));
const generations = new WeakMap<object, number>();

/** Forgets every remembered answer for the database: call after any change to what they show. */
export function somethingChanged(db: object): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
  answers(db).clear();
  relationships(db).clear();
}

/**
 * The relationship these relationships give with one person of the place: remembered, or found by
 * `find`. Allowed and denied answers alike, so a remembered answer says no more than a found one.
 */
export function rememberedRelationship(
  db: object,
  key: string,
  find: () => Promise<string | null>,
): Promise<string | null> {
  return relationships(db).get(key, find);
}

/**
 * Sends the answer to this request for this staff member: remembered, or computed (with its audit),
 * checked against the response schema and remembered as the JSON sent. A failed computation is not
 * remembered.
 */
export async function sendRemembered<T>(
  db: object,
  req: FastifyRequest,
  reply: FastifyReply,
  access: Access,
  schema: ZodType<T>,
  compute: () => Promise<T>,
): Promise<FastifyReply> {
  const key = `${generations.get(db) ?? 0}|${access.staff.id}|${req.method} ${req.url}`;
  const answer = await answers(db).get(key, async () => {
    const json = JSON.stringify(schema.parse(await compute()));
    const audit = req.auditEntry;
    return { json, audit: audit ? { ...audit, personIds: [...audit.personIds] } : null };
  });
  if (answer.audit) access.audit(answer.audit);
  return reply.type('application/json; charset=utf-8').send(answer.json);
}
