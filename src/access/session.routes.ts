// Signing in and out with a local account, the current session, and one's own sessions.

import { normalizeIP } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { type Session, sessionBody, sessionList, signInInput } from '../core/schemas/access.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { accessOf, clearSessionCookie, setSessionCookie } from './access.plugin.ts';
import { checkAttempt, minutesOf } from './attempts.store.ts';
import { writeAuditEvent } from './audit.store.ts';
import { browserName } from './browser-name.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { ROLES } from './roles.ts';
import {
  ABSOLUTE_TIMEOUT_HOURS,
  endSession,
  findStaffForSignIn,
  IDLE_TIMEOUT_MINUTES,
  listSessions,
  type SignedIn,
  startSession,
} from './session.store.ts';

const tags = ['Sign-in'];
/** A username as sign-in counts its attempts: the same account however it is typed. */
const signInUsername = (username: string) => username.trim().toLowerCase().slice(0, 100);

/** Failed sign-ins allowed for one username from one address in 15 minutes; a sign-in that works forgets them. */
export const SIGN_IN_ATTEMPTS = 10;
const SIGN_IN_LIMIT = { max: SIGN_IN_ATTEMPTS, windowMs: 15 * 60_000 };

export function sessionAnswer(s: SignedIn): Session {
  const { staff } = s;
  return {
    user: {
      id: staff.id,
      username: staff.username,
      name: staff.name,
      role: staff.role,
      roleTitle: ROLES[staff.role].title,
      teamId: staff.teamId,
      teamName: staff.teamName,
      careTeam: staff.careTeamId
        ? { id: staff.careTeamId, name: staff.careTeamName ?? staff.careTeamId }
        : null,
      neighbourhood: staff.neighbourhoodCode,
      practiceCode: staff.practiceCode,
      placeId: staff.placeId,
    },
    sessionId: s.sessionId,
    csrfToken: s.csrfToken,
    idleTimeoutMinutes: IDLE_TIMEOUT_MINUTES,
    absoluteTimeoutHours: ABSOLUTE_TIMEOUT_HOURS,
  };
}

export function sessionRoutes(app: App, db: Kysely<Database>, secureCookies: boolean): void {
  app.get(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Who is signed in, with the CSRF token for this session',
        response: { 200: sessionBody, 401: operationOutcome },
      },
    },
    async (req) => {
      if (!req.signedIn) throw new AppError('unauthenticated', 'You are not signed in.');
      return sessionAnswer(req.signedIn);
    },
  );

  app.post(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in with a username and password; starts a new session and sets its cookie',
        body: signInInput,
        response: { 200: sessionBody, 400: operationOutcome, 401: operationOutcome, 429: operationOutcome },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const account = await findStaffForSignIn(db, username);
      // Counted by address (an IPv6 one by its /64, which one household or office is given) and username,
      // so one account's attempts do not lock out colleagues behind the same practice or council network
      // address. An unknown username costs the same hashing as a wrong password, so timing tells nothing.
      const checked = await checkAttempt(
        db,
        `sign-in|${normalizeIP(req.ip)}|${signInUsername(username)}`,
        SIGN_IN_LIMIT,
        async () => verifyPassword(password, account?.password_hash ?? (await decoyHash())),
      );
      const refused = (detail?: string) =>
        writeAuditEvent(db, {
          requestId: req.id,
          actorId: account?.id ?? null,
          actorName: username.slice(0, 100),
          role: null,
          teamId: null,
          action: 'sign-in',
          route: 'POST /api/session',
          personIds: [],
          purpose: 'account',
          relationship: null,
          outcome: 'denied',
          ...(detail ? { detail } : {}),
        });
      if (checked.lockedForMs !== null) {
        await refused('too many failed sign-ins from this address: not checked');
        reply.header('Retry-After', String(Math.ceil(checked.lockedForMs / 1000)));
        throw new AppError(
          'too-many-requests',
          `Too many sign-in attempts for this account from here. Try again in ${minutesOf(checked.lockedForMs)}.`,
        );
      }
      if (!account?.password_hash || !checked.passed) {
        await refused();
        throw new AppError(
          'unauthenticated',
          'The username or password is not right. Check them and try again.',
          [{ diagnostics: 'The username or password is not right.', expression: ['username'] }],
        );
      }
      const { token, signedIn } = await startSession(db, account.id, req.signedIn, {
        method: 'password',
        authenticatedAt: new Date(),
        userAgent: String(req.headers['user-agent'] ?? ''),
        ip: req.ip,
      });
      req.signedIn = signedIn;
      accessOf(req).audit({
        action: 'sign-in',
        personIds: [],
        purpose: 'account',
        relationship: null,
        outcome: 'allowed',
      });
      setSessionCookie(reply, token, secureCookies);
      return sessionAnswer(signedIn);
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign out: ends this session on the server and clears its cookie',
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      await endSession(db, access.staff.id, req.signedIn?.sessionId ?? '', 'signed out');
      access.audit({
        action: 'sign-out',
        personIds: [],
        purpose: 'account',
        relationship: null,
        outcome: 'allowed',
      });
      clearSessionCookie(reply, secureCookies);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/sessions',
    { schema: { tags, summary: 'Your open sessions, newest first', response: { 200: sessionList } } },
    async (req) => {
      const staff = accessOf(req).staff;
      const rows = await listSessions(db, staff.id);
      return {
        sessions: rows.map((s) => ({
          id: s.id,
          method: s.method,
          current: s.id === req.signedIn?.sessionId,
          createdAt: new Date(s.created_at).toISOString(),
          lastSeenAt: new Date(s.last_seen_at).toISOString(),
          expiresAt: new Date(s.expires_at).toISOString(),
          browser: browserName(s.user_agent),
          userAgent: s.user_agent,
          ip: s.ip,
        })),
      };
    },
  );

  app.delete(
    '/api/sessions/:sessionId',
    {
      schema: {
        tags,
        summary: 'End one of your sessions (for example on a computer you no longer use)',
        params: z.object({ sessionId: z.uuid('A session id is a UUID') }),
        response: { 204: z.null(), 404: operationOutcome },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const ended = await endSession(db, access.staff.id, req.params.sessionId, 'ended by its user');
      // Recorded either way: ending a session one does not recognise is a security event.
      access.audit({
        action: 'sign-out',
        personIds: [],
        purpose: 'account',
        relationship: null,
        outcome: ended ? 'allowed' : 'denied',
        detail: ended
          ? `ended session ${req.params.sessionId} from the sessions page`
          : `no open session ${req.params.sessionId} of theirs to end`,
      });
      if (!ended) throw new AppError('not-found', 'You have no open session with that id.');
      if (req.params.sessionId === req.signedIn?.sessionId) clearSessionCookie(reply, secureCookies);
      return reply.code(204).send(null);
    },
  );
}
