// Where access control meets HTTP. Every route must have an entry in the authorisation matrix or the
// app refuses to start. On each request: the session cookie is resolved to a staff member; a route's
// roles are checked before its input is even validated; state-changing requests must carry the
// session's CSRF token; and whatever the request did with people's data is written as one audit event
// before the response leaves. The relationship rule itself is applied in the stores (relationship.ts).
import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.ts';
import { isUuid } from '../core/uuid.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { type AuditEvent, AuditWriter } from './audit.store.ts';
import { allows, type RouteRule, routeKey, ruleFor } from './matrix.ts';
import {
  type Relationship,
  type RelationshipSource,
  relationshipsKey,
  relationshipsOf,
  relationshipWith,
} from './relationship.ts';
import { rememberedRelationship, somethingChanged } from './remembered.ts';
import { ROLES } from './roles.ts';
import { findSessionCached, type SignedIn, type Staff } from './session.store.ts';

export const SESSION_COOKIE = 'joinedup_session';
/** Under HTTPS the cookie takes the __Host- prefix: Secure, host-only, path /. */
export const SECURE_SESSION_COOKIE = '__Host-joinedup_session';
export const CSRF_HEADER = 'x-csrf-token';

export type AuditEntry = Omit<
  AuditEvent,
  'requestId' | 'actorId' | 'actorName' | 'role' | 'teamId' | 'route'
>;

declare module 'fastify' {
  interface FastifyRequest {
    signedIn: SignedIn | null;
    auditEntry: AuditEntry | null;
    /** Counted among the requests in flight (until its answer is sent). */
    inFlight: boolean;
  }
  interface FastifyContextConfig {
    access?: RouteRule;
  }
  interface FastifyInstance {
    accessOptions: AccessOptions;
    /** Requests being answered now, not yet at their answer. */
    requestsInFlight: () => number;
    /** Since when audit events could not be written (person data refused meanwhile), or null (AuditWriter.failingSince). */
    auditFailingSince: () => Date | null;
  }
}

export interface AccessOptions {
  db: Kysely<Database>;
  relationshipSources: readonly RelationshipSource[];
  /** Set when the app is served over HTTPS: the cookie is then Secure. */
  secureCookies: boolean;
  /** The address staff use (JOINEDUP_PUBLIC_URL): sign-in forms must come from it. */
  publicUrl: string;
  /** How long an audit write may wait for other requests' events (AuditWriter); null for its default. */
  auditGatherMs?: number | null;
}

/**
 * What each route does, in its API summary's words, by the route as audit events name it
 * ("GET /api/places/:placeId/people/:personId"): what the audit pages show for "what they did".
 */
const routeSummaries = new Map<string, string>();
export const routeSummary = (route: string): string | null => routeSummaries.get(route) ?? null;

/** Methods that change something: they carry the CSRF token, and may carry an Idempotency-Key. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Paths of the built web app's files and pages, which anyone may fetch (the app asks for sign-in). */
const isWebAppPath = (url: string) => !/^\/(api|auth)(\/|$)/.test(url) && url !== '/health';

/** What a route handler uses to reach people's data: who is asking, and the record of what they did. */
export class Access {
  readonly staff: Staff;
  readonly #req: FastifyRequest;
  readonly #options: AccessOptions;
  #relationships: Promise<Relationship[]> | undefined;

  constructor(req: FastifyRequest, staff: Staff, options: AccessOptions) {
    this.staff = staff;
    this.#req = req;
    this.#options = options;
  }

  /** The viewer's relationships, found once per request. */
  relationships(): Promise<Relationship[]> {
    this.#relationships ??= relationshipsOf(this.#options.db, this.#options.relationshipSources, this.staff);
    return this.#relationships;
  }

  /**
   * The relationship that lets the viewer see this person, or "not found" (audited as denied). A person
   * who does not exist and one the viewer may not see are answered alike.
   */
  async requirePerson(placeId: string, personId: string): Promise<string> {
    const { db } = this.#options;
    const relationships = await this.relationships();
    const relationship = await rememberedRelationship(
      db,
      `${relationshipsKey(relationships)}|${placeId}|${personId}`,
      () => relationshipWith(db, relationships, placeId, personId),
    );
    this.audit({
      action: 'read',
      personIds: [personId],
      purpose: 'direct-care',
      relationship,
      outcome: relationship ? 'allowed' : 'denied',
    });
    if (!relationship) throw notFoundPerson();
    return relationship;
  }

  /** Records what this request did; several calls in one request make one event. */
  audit(entry: AuditEntry): void {
    const current = this.#req.auditEntry;
    if (!current) {
      this.#req.auditEntry = { ...entry, personIds: [...entry.personIds] };
      return;
    }
    const ids = new Set([...current.personIds, ...entry.personIds]);
    this.#req.auditEntry = {
      ...current,
      personIds: [...ids],
      outcome: current.outcome === 'allowed' ? entry.outcome : current.outcome,
      relationship: current.relationship ?? entry.relationship,
    };
  }
}

/** How the product names who did something: the staff member and their role, e.g. "Sam Demo, INT lead". */
export const staffLabel = (staff: Pick<Staff, 'name' | 'role'>) =>
  `${staff.name}, ${ROLES[staff.role].title}`;

export const notFoundPerson = () =>
  new AppError('not-found', 'There is no record you can see for this person.');

/** The access of the signed-in staff member making this request (routes with roles always have one). */
export function accessOf(req: FastifyRequest): Access {
  if (!req.signedIn) throw new AppError('unauthenticated', 'Sign in to use Joined Up.');
  return new Access(req, req.signedIn.staff, req.server.accessOptions);
}

export async function registerAccess(app: App, opts: AccessOptions): Promise<void> {
  app.decorate('accessOptions', opts);
  // Requests to routes that may audit, being answered: while there are others, an audit write waits a
  // moment for their events. A request leaves the count before its own event is written.
  let inFlight = 0;
  const auditWriter = new AuditWriter(opts.db, {
    othersInFlight: () => inFlight,
    gatherMs: opts.auditGatherMs,
  });
  const settled = (req: FastifyRequest) => {
    if (!req.inFlight) return;
    req.inFlight = false;
    inFlight--;
    if (inFlight === 0) auditWriter.othersSettled();
  };
  app.decorate('requestsInFlight', () => inFlight);
  app.decorate('auditFailingSince', () => auditWriter.failingSince());
  await app.register(cookie);
  app.decorateRequest('signedIn', null);
  app.decorateRequest('auditEntry', null);
  app.decorateRequest('inFlight', false);
  // onResponse too, for an answer that left without onSend.
  app.addHook('onResponse', async (req) => settled(req));

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const asked = method === 'HEAD' ? 'GET' : method;
      const rule =
        ruleFor(asked, route.url) ?? (isWebAppPath(route.url) ? { public: true as const } : undefined);
      if (!rule)
        throw new Error(
          `${routeKey(method, route.url)} has no entry in the authorisation matrix (src/access/matrix.ts): every route must say who may call it.`,
        );
      route.config = { ...(route.config ?? {}), access: rule };
      const summary = (route.schema as { summary?: unknown } | undefined)?.summary;
      if (typeof summary === 'string') routeSummaries.set(`${method} ${route.url}`, summary);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[opts.secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE];
    const rule = req.routeOptions.config.access;
    if (rule && !rule.public) {
      req.inFlight = true;
      inFlight++;
    }
    req.signedIn = token ? await findSessionCached(opts.db, token) : null;
    if (!rule || rule.public) {
      if (req.method === 'POST' && req.routeOptions.url === '/api/session') checkOrigin(req, opts.publicUrl);
      return;
    }
    if (!req.signedIn) {
      if (token) clearSessionCookie(reply, opts.secureCookies);
      throw new AppError(
        'unauthenticated',
        'Sign in to use Joined Up. If you were signed in, your session has ended.',
      );
    }
    const { staff } = req.signedIn;
    if (!allows(rule, staff.role)) {
      if (rule.person) {
        const personId = (req.params as { personId?: string }).personId;
        accessOf(req).audit({
          action: 'read',
          personIds: personId && isUuid(personId) ? [personId] : [],
          purpose: 'direct-care',
          relationship: null,
          outcome: 'denied',
          detail: 'role may not see identifiable data',
        });
        throw notFoundPerson();
      }
      throw new AppError('forbidden', 'Your role cannot do this. Ask your administrator if you need it.');
    }
    if (STATE_CHANGING.has(req.method)) checkCsrf(req, req.signedIn.csrfToken);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    settled(req);
    // A change written: remembered answers may no longer be true.
    if (STATE_CHANGING.has(req.method) && reply.statusCode < 400) somethingChanged(opts.db);
    const entry = req.auditEntry;
    if (!entry) return payload;
    req.auditEntry = null;
    const failed = reply.statusCode >= 500;
    try {
      await auditWriter.write({ ...eventOf(req, entry), outcome: failed ? 'failed' : entry.outcome });
      return payload;
    } catch (err) {
      req.log.error({ err }, 'audit event could not be written');
      // A request that failed already sends its own error (often the same cause: the database gone).
      if (failed) return payload;
      // Data that cannot be audited is not sent. A change the route made stays made: say so, so that it
      // is not made again.
      const saved = STATE_CHANGING.has(req.method) && reply.statusCode < 400;
      reply.code(503).type('application/fhir+json; charset=utf-8');
      return JSON.stringify({
        resourceType: 'OperationOutcome',
        id: req.id,
        issue: [
          {
            severity: 'error',
            code: 'transient',
            diagnostics: saved
              ? 'This change was saved, but Joined Up could not record it in the audit trail, so its answer was not shown. Do not make it again: reload the page to see it.'
              : 'Joined Up could not record this access, so it was not shown. Try again shortly.',
          },
        ],
      });
    }
  });
}

/** The audit event of this request: what it did, with who asked and where. */
function eventOf(req: FastifyRequest, entry: AuditEntry): AuditEvent {
  const staff = req.signedIn?.staff;
  return {
    ...entry,
    requestId: req.id,
    actorId: staff?.id ?? null,
    actorName: staff?.name ?? 'not signed in',
    role: staff?.role ?? null,
    teamId: staff?.teamId ?? staff?.practiceCode ?? null,
    route: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
  };
}

function checkCsrf(req: FastifyRequest, expected: string) {
  const given = req.headers[CSRF_HEADER];
  const ok =
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok)
    throw new AppError(
      'forbidden',
      'This request did not carry the security token of your session. Reload the page and try again.',
      [
        {
          diagnostics: 'The X-CSRF-Token header is missing or does not match your session.',
          expression: ['X-CSRF-Token'],
        },
      ],
    );
}

/**
 * Sign-in from another site's page is refused (login CSRF); requests without an Origin are not
 * browsers'. The Origin must be the public address (behind a proxy that rewrites Host), or this
 * server's own host as the request names it (development on another port).
 */
function checkOrigin(req: FastifyRequest, publicUrl: string) {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let given: URL | null = null;
  try {
    given = new URL(origin);
  } catch {}
  const ok =
    given !== null && (given.origin === new URL(publicUrl).origin || given.host === req.headers.host);
  if (!ok) throw new AppError('forbidden', 'Sign in from Joined Up’s own sign-in page.');
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean) {
  reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
  });
}
