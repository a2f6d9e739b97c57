// Staff accounts and their server-side sessions. The cookie carries a random 256-bit token; the
// table keeps only its SHA-256, so a copy of the database cannot be used to sign in. A session ends
// after 30 minutes idle or 12 hours in all, whichever comes first, or when its user signs out.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AgencyKind, Database, Role } from '../db/database.ts';
import { perDatabase, ShortLived } from './short-lived.ts';

type Db = Kysely<Database>;

export const IDLE_TIMEOUT_MINUTES = 30;
export const ABSOLUTE_TIMEOUT_HOURS = 12;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_SECONDS = 60;

export interface Staff {
  id: string;
  placeId: string;
  username: string;
  name: string;
  role: Role;
  teamId: string | null;
  teamName: string | null;
  /** The neighbourhood of the staff member's team, if it serves one. */
  neighbourhoodCode: string | null;
  practiceCode: string | null;
  /** The agency they work for (a GP practice's staff work for the practice) and its kind. */
  agencyId: string | null;
  agencyKind: AgencyKind | null;
  /** Their place in their team, when they are one of its practitioners. */
  practitionerId: string | null;
  /**
   * The team they work in for case management: their own, or for a GP practice's staff the
   * Integrated Neighbourhood Team of their practice's neighbourhood.
   */
  careTeamId: string | null;
  careTeamName: string | null;
}

export interface SignedIn {
  staff: Staff;
  sessionId: string;
  csrfToken: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function staffQuery(db: Db) {
  return db
    .selectFrom('staff_user as u')
    .leftJoin('team as t', (j) => j.onRef('t.place_id', '=', 'u.place_id').onRef('t.id', '=', 'u.team_id'))
    .leftJoin('agency as a', (j) =>
      j
        .onRef('a.place_id', '=', 'u.place_id')
        .on((eb) => eb('a.id', '=', eb.fn.coalesce('u.agency_id', 'u.practice_code'))),
    )
    .leftJoin('practitioner as p', 'p.staff_user_id', 'u.id')
    .leftJoin('practice as pr', (j) =>
      j.onRef('pr.place_id', '=', 'u.place_id').onRef('pr.ods_code', '=', 'u.practice_code'),
    )
    .leftJoin('team as ct', (j) =>
      j
        .onRef('ct.place_id', '=', 'u.place_id')
        .on((eb) =>
          eb.or([
            eb('ct.id', '=', eb.ref('u.team_id')),
            eb.and([
              eb('u.team_id', 'is', null),
              eb('ct.kind', '=', 'int'),
              eb('ct.neighbourhood_code', '=', eb.ref('pr.neighbourhood_code')),
            ]),
          ]),
        ),
    )
    .select([
      'u.id',
      'u.place_id as placeId',
      'u.username',
      'u.display_name as name',
      'u.role',
      'u.team_id as teamId',
      't.name as teamName',
      't.neighbourhood_code as neighbourhoodCode',
      'u.practice_code as practiceCode',
      'a.id as agencyId',
      'a.kind as agencyKind',
      'p.id as practitionerId',
      'ct.id as careTeamId',
      'ct.name as careTeamName',
    ])
    .where('u.disabled_at', 'is', null);
}

export async function findStaffForSignIn(db: Db, username: string) {
  return db
    .selectFrom('staff_user')
    .select(['id', 'password_hash'])
    .where('username', '=', username.trim().toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

export function findStaffByOidcSubject(db: Db, issuer: string, subject: string) {
  return db
    .selectFrom('staff_user')
    .select(['id'])
    .where('oidc_issuer', '=', issuer)
    .where('oidc_subject', '=', subject)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Starts a new session (always a new id, so a session id planted before sign-in is worthless). */
export async function createSession(
  db: Db,
  userId: string,
  meta: {
    method: 'password' | 'oidc';
    /** When the person proved who they are (a password just given: now). */
    authenticatedAt: Date | null;
    userAgent: string;
    ip: string;
  },
): Promise<{ token: string; sessionId: string }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = randomUUID();
  await db
    .insertInto('staff_session')
    .values({
      id_hash: hashToken(token),
      public_id: sessionId,
      user_id: userId,
      csrf_token: randomBytes(32).toString('base64url'),
      method: meta.method,
      authenticated_at: meta.authenticatedAt,
      expires_at: sql<Date>`now() + make_interval(hours => ${ABSOLUTE_TIMEOUT_HOURS})`,
      user_agent: meta.userAgent.slice(0, 300),
      ip: meta.ip,
    })
    .execute();
  return { token, sessionId };
}

/** Who a token belongs to is kept for this long: sign-out in this process forgets it at once. */
export const SESSION_CACHE_SECONDS = 5;
const sessionCache = perDatabase(() => new ShortLived<SignedIn | null>(SESSION_CACHE_SECONDS * 1000));

/** findSession, answered from memory for a few seconds: every request needs it. */
export function findSessionCached(db: Db, token: string): Promise<SignedIn | null> {
  return sessionCache(db).get(hashToken(token), () => findSession(db, token));
}

/** The signed-in staff member for a cookie token, or null if the session has ended or timed out. */
export async function findSession(db: Db, token: string): Promise<SignedIn | null> {
  const row = await staffQuery(db)
    .innerJoin('staff_session as s', 's.user_id', 'u.id')
    .select([
      's.public_id as sessionId',
      's.csrf_token as csrfToken',
      sql<boolean>`s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`.as('stale'),
    ])
    .where('s.id_hash', '=', hashToken(token))
    .where('s.ended_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${IDLE_TIMEOUT_MINUTES})`)
    .executeTakeFirst();
  if (!row) return null;
  const { sessionId, csrfToken, stale, ...staff } = row;
  if (stale) {
    await db
      .updateTable('staff_session')
      .set({ last_seen_at: sql<Date>`now()` })
      .where('public_id', '=', sessionId)
      .execute();
  }
  return { staff, sessionId, csrfToken };
}

/**
 * Signs a staff member in, in one transaction: ends the session this browser had open, if any (every
 * sign-in gets a new session id), starts the new one and reads it back for the answer.
 */
export async function startSession(
  db: Db,
  userId: string,
  previous: SignedIn | null,
  meta: Parameters<typeof createSession>[2],
): Promise<{ token: string; signedIn: SignedIn }> {
  const started = await db.transaction().execute(async (trx) => {
    if (previous) await endSession(trx, previous.staff.id, previous.sessionId, 'signed in again');
    const { token } = await createSession(trx, userId, meta);
    return { token, signedIn: await findSessionStaff(trx, token) };
  });
  // The ended session is forgotten by this process once the end is committed.
  if (previous) forgetSessions(db);
  return started;
}

/** The session just created, for the sign-in response. */
async function findSessionStaff(db: Db, token: string): Promise<SignedIn> {
  const found = await findSession(db, token);
  if (!found) throw new Error('a session just created could not be read back');
  return found;
}

export function findStaff(db: Db, id: string): Promise<Staff | undefined> {
  return staffQuery(db).where('u.id', '=', id).executeTakeFirst();
}

/** Ends one of the user's sessions; false if it was not theirs or had already ended. */
export async function endSession(
  db: Db,
  userId: string,
  sessionId: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('staff_session')
    .set({ ended_at: sql<Date>`now()`, ended_reason: reason })
    .where('public_id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  forgetSessions(db);
  return result.numUpdatedRows > 0n;
}

/** Forgets every remembered session of this database: after one ends, or is changed in the database. */
export function forgetSessions(db: Db): void {
  sessionCache(db).clear();
}

/** The user's sessions that are still open, newest first. */
export function listSessions(db: Db, userId: string) {
  return db
    .selectFrom('staff_session')
    .select(['public_id as id', 'method', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${IDLE_TIMEOUT_MINUTES})`)
    .orderBy('created_at', 'desc')
    .execute();
}

export function listStaff(db: Db, placeId: string) {
  return staffQuery(db)
    .where('u.place_id', '=', placeId)
    .select(['u.is_demo as isDemo', 'u.created_at as createdAt'])
    .orderBy('u.role')
    .orderBy('u.username')
    .execute();
}
