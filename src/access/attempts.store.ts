// Attempts counted in fixed windows in the database, so that every server process over the same database
// counts alike: failed sign-ins per address and username and wrong passwords given to break glass per
// account (checkAttempt), and uploads per staff member (through @fastify/rate-limit, with AttemptStore as
// its store). Windows are timed by the database's clock. A key is stored as its SHA-256.
import { createHash } from 'node:crypto';
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export interface Attempts {
  /** Attempts in the window, this one included when counting. */
  attempts: number;
  /** Milliseconds until the window ends (0 when there is none). */
  ttlMs: number;
}

const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');
const endsIn = sql<number>`greatest(0, ceil(extract(epoch from ends_at - now()) * 1000))::float8`;

/** How long until a window ends, as a person reads it: "1 minute", "15 minutes" (rounded up). */
export const minutesOf = (ttlMs: number) => {
  const minutes = Math.max(1, Math.ceil(ttlMs / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
};

/** When each database's ended windows were last deleted. */
const purgedAt = new WeakMap<Db, number>();
const PURGE_EVERY_MS = 60_000;

/**
 * Counts one attempt for this key: the first of a new window of `windowMs` if there is none or it has
 * ended, else one more in it. One statement, so that attempts sent at once, to any process, are all
 * counted. Ended windows are deleted about once a minute.
 */
export async function countAttempt(db: Db, key: string, windowMs: number): Promise<Attempts> {
  const now = Date.now();
  if (now - (purgedAt.get(db) ?? 0) > PURGE_EVERY_MS) {
    purgedAt.set(db, now);
    // Housekeeping: a failure here is left for the next attempt to try again.
    await db
      .deleteFrom('attempt_window')
      .where('ends_at', '<', sql<Date>`now()`)
      .execute()
      .catch(() => purgedAt.delete(db));
  }
  const ended = sql`attempt_window.ends_at <= now()`;
  const row = await db
    .insertInto('attempt_window')
    .values({
      key_hash: keyHash(key),
      attempts: 1,
      ends_at: sql<Date>`now() + make_interval(secs => ${windowMs / 1000})`,
    })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({
        attempts: sql<number>`case when ${ended} then 1 else attempt_window.attempts + 1 end`,
        ends_at: sql<Date>`case when ${ended} then excluded.ends_at else attempt_window.ends_at end`,
      }),
    )
    .returning(['attempts', endsIn.as('ttl_ms')])
    .executeTakeFirstOrThrow();
  return { attempts: row.attempts, ttlMs: row.ttl_ms };
}

/** Forgets this key's attempts (a right password ends the count of wrong ones). */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('attempt_window').where('key_hash', '=', keyHash(key)).execute();
}

/** At most `max` failed attempts in `windowMs`. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/**
 * A password check as one attempt of this key. Counted before the check, so that guesses sent at once,
 * to any server process, are all counted; past the limit it is refused without checking (with the time
 * left); a check that passes forgets the attempts, so only failed ones add up.
 */
export async function checkAttempt(
  db: Db,
  key: string,
  limit: AttemptLimit,
  check: () => Promise<boolean>,
): Promise<{ passed: boolean; lockedForMs: null } | { passed: false; lockedForMs: number }> {
  const counted = await countAttempt(db, key, limit.windowMs);
  if (counted.attempts > limit.max) return { passed: false, lockedForMs: counted.ttlMs };
  const passed = await check();
  if (passed) await clearAttempts(db, key);
  return { passed, lockedForMs: null };
}

/**
 * @fastify/rate-limit's store over countAttempt, for one database: each route's keys are counted apart
 * (prefixed with its method and path).
 */
export function attemptStore(db: Db) {
  return class AttemptStore implements FastifyRateLimitStore {
    readonly #prefix: string;

    constructor(
      options: FastifyRateLimitOptions & { routeInfo?: { method: string | string[]; url: string } },
    ) {
      const route = options.routeInfo;
      this.#prefix = route ? `${[route.method].flat().join(',')} ${route.url}|` : '';
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      countAttempt(db, this.#prefix + key, timeWindow).then(
        (r) => callback(null, { current: r.attempts, ttl: r.ttlMs }),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      return new AttemptStore(routeOptions as never);
    }
  };
}
