// Finding a person by NHS number (person-lookup.store.ts), and break-glass: seeing a record without a
// relationship, in an emergency, with a stated reason, for BREAK_GLASS_MINUTES, recorded and raised to
// the information governance officer's review list. Whoever breaks glass confirms it is them first
// (ASVS 3.7.1): their password, or for an account that signs in only through its organisation, the
// provider's having asked for their sign-in (not merely vouched from a sign-in of its own) at most
// RECENT_SIGN_IN_MINUTES before.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { AppError, fieldError } from '../core/errors.ts';
import { breakGlassStarted, personFound } from '../core/schemas/access.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { accessOf, notFoundPerson } from './access.plugin.ts';
import { checkAttempt, minutesOf } from './attempts.store.ts';
import { verifyPassword } from './password.ts';
import { nhsNumberOrThrow, personByNhsNumber } from './person-lookup.store.ts';
import { BREAK_GLASS_MINUTES, relationshipWith } from './relationship.ts';

const tags = ['People'];
const errors = { 400: operationOutcome, 403: operationOutcome, 404: operationOutcome, 429: operationOutcome };
/** A break-glass reason must say enough for the review to judge it. */
export const MIN_REASON_LENGTH = 10;
/** An account without a password (signing in through its organisation) breaks glass this soon after authenticating. */
export const RECENT_SIGN_IN_MINUTES = 15;
/** Wrong passwords allowed to one account in 15 minutes before break-glass is refused for the rest of them. */
export const CONFIRM_ATTEMPTS = 5;
const CONFIRM_LIMIT = { max: CONFIRM_ATTEMPTS, windowMs: 15 * 60_000 };

const nhsNumberField = z.string().trim().max(20);

/** Why a session may not break glass yet: the answer to give, and the cause for the audit trail. */
interface Unconfirmed {
  error: AppError;
  cause: string;
}

/**
 * Why this session may not break glass yet, or null when it is confirmed to be its account's: the
 * account's password given again, or for an account with none, the provider's authenticating the person
 * (staff_session.authenticated_at, its auth_time) within RECENT_SIGN_IN_MINUTES.
 */
async function identityNotConfirmed(
  db: Kysely<Database>,
  staffId: string,
  sessionId: string,
  password: string | undefined,
): Promise<Unconfirmed | null> {
  const row = await db
    .selectFrom('staff_session as s')
    .innerJoin('staff_user as u', 'u.id', 's.user_id')
    .select([
      'u.password_hash',
      sql<number | null>`extract(epoch from now() - s.authenticated_at)::float8`.as('age'),
    ])
    .where('s.public_id', '=', sessionId)
    .where('s.user_id', '=', staffId)
    .executeTakeFirst();
  if (!row)
    return { error: new AppError('unauthenticated', 'Sign in to use Joined Up.'), cause: 'no session' };
  if (row.password_hash === null) {
    if (row.age !== null && row.age <= RECENT_SIGN_IN_MINUTES * 60) return null;
    return {
      error: new AppError(
        'forbidden',
        `To break glass, sign in again through your organisation first: it must be within ${RECENT_SIGN_IN_MINUTES} minutes of your organisation asking for your sign-in.`,
      ),
      cause: `authenticated over ${RECENT_SIGN_IN_MINUTES} minutes before, or not known when`,
    };
  }
  if (!password)
    return {
      error: fieldError('invalid', 'password', 'Enter your password to confirm it is you'),
      cause: 'no password given',
    };
  const hash = row.password_hash;
  const checked = await checkAttempt(db, `break-glass|${staffId}`, CONFIRM_LIMIT, () =>
    verifyPassword(password, hash),
  );
  if (checked.lockedForMs !== null)
    return {
      error: new AppError(
        'too-many-requests',
        `Too many wrong passwords. Try again in ${minutesOf(checked.lockedForMs)}, or ask a colleague with a relationship to the person.`,
      ),
      cause: 'too many wrong passwords',
    };
  if (checked.passed) return null;
  return {
    error: fieldError(
      'invalid',
      'password',
      'Your password is not right. Enter the password you sign in with',
    ),
    cause: 'wrong password',
  };
}

export function breakGlassRoutes(app: App, db: Kysely<Database>): void {
  app.get(
    '/api/places/:placeId/people',
    {
      schema: {
        tags,
        summary: 'Find a person you have a relationship with by NHS number',
        params: z.object({ placeId: placeIdParam }),
        querystring: z.object({ nhsNumber: nhsNumberField }),
        response: { 200: personFound, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const nhsNumber = nhsNumberOrThrow(req.query.nhsNumber, 'nhsNumber');
      const person = await personByNhsNumber(db, req.params.placeId, nhsNumber);
      const relationship = person
        ? await relationshipWith(db, await access.relationships(), req.params.placeId, person.id)
        : null;
      access.audit({
        action: 'search',
        personIds: person ? [person.id] : [],
        purpose: 'direct-care',
        relationship,
        outcome: relationship ? 'allowed' : 'denied',
        detail: person ? '' : 'no person with the NHS number searched for',
      });
      if (!person || !relationship) throw notFoundPerson();
      return { personId: person.id, relationship };
    },
  );

  app.post(
    '/api/places/:placeId/break-glass',
    {
      schema: {
        tags,
        summary: `Break glass: see one person's record for ${BREAK_GLASS_MINUTES} minutes without a relationship, giving the reason; the information governance officer reviews every use`,
        params: z.object({ placeId: placeIdParam }),
        body: z.object({
          nhsNumber: nhsNumberField,
          reason: z
            .string()
            .trim()
            .min(
              MIN_REASON_LENGTH,
              `Say why you need to see this record now (at least ${MIN_REASON_LENGTH} characters)`,
            )
            .max(1000),
          password: z
            .string()
            .max(1000)
            .optional()
            .describe(
              `Your own password, to confirm it is you; not needed by an account that signs in through its organisation and did so at most ${RECENT_SIGN_IN_MINUTES} minutes before`,
            ),
        }),
        response: {
          201: breakGlassStarted,
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const nhsNumber = nhsNumberOrThrow(req.body.nhsNumber, 'nhsNumber');
      const person = await personByNhsNumber(db, req.params.placeId, nhsNumber);
      // Checked before anything is said of the person, so a refusal tells nothing of whether they exist.
      const signedIn = req.signedIn as NonNullable<typeof req.signedIn>;
      const unconfirmed = await identityNotConfirmed(
        db,
        access.staff.id,
        signedIn.sessionId,
        req.body.password,
      );
      access.audit({
        action: 'break-glass',
        personIds: person ? [person.id] : [],
        purpose: 'break-glass',
        relationship: person && !unconfirmed ? 'break-glass' : null,
        outcome: person && !unconfirmed ? 'allowed' : 'denied',
        detail: unconfirmed
          ? `identity not confirmed (${unconfirmed.cause}): ${req.body.reason}`
          : req.body.reason,
      });
      if (unconfirmed) throw unconfirmed.error;
      if (!person)
        throw new AppError('not-found', 'No one in this place has that NHS number. Check it and try again.', [
          { diagnostics: 'No one in this place has that NHS number.', expression: ['nhsNumber'] },
        ]);
      const row = await db
        .insertInto('break_glass')
        .values({
          id: randomUUID(),
          place_id: req.params.placeId,
          user_id: access.staff.id,
          person_id: person.id,
          reason: req.body.reason,
          expires_at: sql<Date>`now() + make_interval(mins => ${BREAK_GLASS_MINUTES})`,
        })
        .returning('expires_at')
        .executeTakeFirstOrThrow();
      reply.code(201);
      return { personId: person.id, expiresAt: new Date(row.expires_at).toISOString() };
    },
  );
}
