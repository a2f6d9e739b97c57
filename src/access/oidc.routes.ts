// Signing in through the organisation's OpenID Connect provider. GET /auth/oidc/start sends the browser
// to the provider; GET /auth/oidc/callback is where the provider sends it back. Staff accounts are
// linked beforehand by the provider's issuer and subject (`joinedup staff add --oidc-issuer
// --oidc-subject`): a subject with no account gets no session. Without JOINEDUP_OIDC_* both routes
// answer 404; HEAD /auth/oidc/start answers 204 with the button's label when sign-in is set up.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { OidcConfig } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { signInOptions } from '../core/schemas/access.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { accessOf, setSessionCookie } from './access.plugin.ts';
import { writeAuditEvent } from './audit.store.ts';
import {
  OIDC_COOKIE,
  OidcSignIn,
  PENDING_SECONDS,
  type PendingSignIn,
  SECURE_OIDC_COOKIE,
  safeReturnTo,
} from './oidc.ts';
import { findStaffByOidcSubject, startSession } from './session.store.ts';

const tags = ['Sign-in'];
/** The header that carries the sign-in button's label (percent-encoded) on HEAD /auth/oidc/start. */
export const OIDC_NAME_HEADER = 'x-sign-in-name';
const SIGNED_IN_FAILED = '/?signin=failed';
const NO_ACCOUNT = '/?signin=no-account';

const notSetUp = () => new AppError('not-found', 'OpenID Connect sign-in is not set up here.');

export function oidcRoutes(
  app: App,
  db: Kysely<Database>,
  options: { oidc: OidcConfig | null; publicUrl: string },
): void {
  const secure = options.publicUrl.startsWith('https:');
  const cookieName = secure ? SECURE_OIDC_COOKIE : OIDC_COOKIE;
  const signIn = options.oidc ? new OidcSignIn(options.oidc, options.publicUrl) : null;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' } as const;

  const redirect = (reply: FastifyReply, to: string) =>
    reply.header('Cache-Control', 'no-store').redirect(to, 302);

  app.get(
    '/auth/oidc/start',
    {
      schema: {
        tags,
        summary:
          "Sign in with the organisation's OpenID Connect provider: redirects there (HEAD: 204 when set up, with the button label in X-Sign-In-Name)",
        querystring: z.object({
          returnTo: z
            .string()
            .optional()
            .describe('A path inside Joined Up to go to after signing in, such as /worklists'),
          reauthenticate: z
            .enum(['1'])
            .optional()
            .describe(
              '1 to have the provider ask for the person’s sign-in afresh, as break-glass needs, even when it holds one',
            ),
        }),
        response: { 204: z.null(), 400: operationOutcome, 404: operationOutcome },
      },
    },
    async (req, reply) => {
      if (!signIn) throw notSetUp();
      if (req.method === 'HEAD')
        return reply
          .code(204)
          .header(OIDC_NAME_HEADER, encodeURIComponent(signIn.settings.name))
          .header('Cache-Control', 'no-store')
          .send(null);
      const returnTo = safeReturnTo(req.query.returnTo);
      if (returnTo === null)
        throw new AppError('invalid', 'returnTo must be a path inside Joined Up, such as /worklists.', [
          { diagnostics: 'returnTo must start with a single /.', expression: ['returnTo'] },
        ]);
      let started: Awaited<ReturnType<OidcSignIn['start']>>;
      try {
        started = await signIn.start(returnTo, req.query.reauthenticate === '1');
      } catch (err) {
        req.log.error({ err }, 'OpenID Connect sign-in could not start: the provider was not reachable');
        return redirect(reply, SIGNED_IN_FAILED);
      }
      reply.setCookie(cookieName, started.sealed, { ...cookieOptions, maxAge: PENDING_SECONDS });
      return redirect(reply, started.url.href);
    },
  );

  app.get(
    '/api/sign-in-options',
    {
      schema: {
        tags,
        summary: 'How staff can sign in here: a password, and the organisation’s account when it is set up',
        response: { 200: signInOptions },
      },
    },
    async () => ({
      password: true,
      oidc: signIn ? { name: signIn.settings.name, start: '/auth/oidc/start' } : null,
    }),
  );

  app.get(
    '/auth/oidc/callback',
    {
      schema: {
        tags,
        summary: 'Where the OpenID Connect provider sends the browser back; signs in and redirects',
        querystring: z.looseObject({
          code: z.string().optional(),
          state: z.string().optional(),
          iss: z.string().optional(),
          error: z.string().optional(),
          error_description: z.string().optional(),
        }),
        response: { 404: operationOutcome },
      },
    },
    async (req, reply) => {
      if (!signIn) throw notSetUp();
      const pending = signIn.unseal(req.cookies[cookieName]);
      // One sign-in, one callback: the cookie goes whatever happens next.
      reply.clearCookie(cookieName, cookieOptions);
      const failed = (why: string, err?: unknown) => {
        req.log.warn({ err }, `OpenID Connect sign-in failed: ${why}`);
        return redirect(reply, SIGNED_IN_FAILED);
      };
      if (!pending) return failed('no sign-in was in progress in this browser, or it took over 10 minutes');
      if (req.query.error)
        return failed(
          `the provider answered ${req.query.error}${req.query.error_description ? ` (${req.query.error_description})` : ''}`,
        );
      if (req.query.state !== pending.state) return failed('the state does not match this browser’s sign-in');

      let identity: Awaited<ReturnType<OidcSignIn['finish']>>;
      try {
        identity = await signIn.finish(callbackQuery(req), pending);
      } catch (err) {
        return failed('the code could not be exchanged or the ID token is not valid', err);
      }
      try {
        return await signInAs(req, reply, signIn, identity, pending);
      } catch (err) {
        req.log.error({ err }, 'OpenID Connect sign-in failed after the provider vouched for the user');
        return redirect(reply, SIGNED_IN_FAILED);
      }
    },
  );

  async function signInAs(
    req: FastifyRequest,
    reply: FastifyReply,
    signIn: OidcSignIn,
    identity: Awaited<ReturnType<OidcSignIn['finish']>>,
    pending: PendingSignIn,
  ) {
    // The provider's issuer identifier, or the issuer as configured if accounts were linked with that
    // spelling (they differ at most by a trailing slash: discovery checked they are the same issuer).
    const issuers = [...new Set([identity.issuer, signIn.settings.issuer])];
    let account: { id: string } | undefined;
    for (const issuer of issuers) {
      account ??= await findStaffByOidcSubject(db, issuer, identity.subject);
    }
    if (!account) {
      await writeAuditEvent(db, {
        requestId: req.id,
        actorId: null,
        actorName: (identity.label ?? `subject ${identity.subject}`).slice(0, 100),
        role: null,
        teamId: null,
        action: 'sign-in',
        route: 'GET /auth/oidc/callback',
        personIds: [],
        purpose: 'account',
        relationship: null,
        outcome: 'denied',
        detail: `No staff account is linked to subject "${identity.subject.slice(0, 255)}" at ${identity.issuer}`,
      });
      req.log.info('OpenID Connect sign-in refused: no staff account is linked to this subject');
      return redirect(reply, NO_ACCOUNT);
    }
    const { token, signedIn } = await startSession(db, account.id, req.signedIn, {
      method: 'oidc',
      authenticatedAt: identity.authenticatedAt,
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
      detail: `OpenID Connect, ${identity.issuer}`,
    });
    setSessionCookie(reply, token, secure);
    return redirect(reply, safeReturnTo(pending.returnTo) ?? '/');
  }
}

/** The callback's query string exactly as the provider sent it. */
function callbackQuery(req: FastifyRequest): URLSearchParams {
  const at = req.url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : req.url.slice(at + 1));
}
