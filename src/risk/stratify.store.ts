// Stratification as set-based SQL: every model for every living resident of a place, computed
// inside the database. The place's new rows are built in tables of their own and swapped in for its
// partitions in one short transaction at the end, so readers see the old scores or the new, never a
// mix, and other places are untouched. On a database server the residents are scored in shares (by
// person id), each share in a transaction of its own on a connection of its own, so that the server's
// cores work at once; the embedded database has one connection and scores them in one share. A place's
// partition is itself split by person id, one part per share, so each share writes, indexes and
// analyses a table of its own. A run stopped part-way leaves only tables that nothing reads, which the
// next run drops.
// The models' SQL is in stratify-models.store.ts, the run's tables in stratify-tables.store.ts.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { exclusiveDatabases } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import { CHARLSON_LOOK_BACK_YEARS } from './charlson.ts';
import type { RiskCodeLists } from './code-lists.ts';
import { HFRS_LOOK_BACK_YEARS } from './hfrs.ts';
import { yearsBefore } from './look-back.ts';
import { modelSteps, residentsAlive, type Shared, scoresAndSegments } from './stratify-models.store.ts';
import {
  createFreshTables,
  dropWorkTables,
  indexTasks,
  makePrimaryKeys,
  shareBound,
  sharePart,
  stageCodeLists,
  swapIn,
  type WorkTables,
  workTableNames,
} from './stratify-tables.store.ts';

export type StratifyCounts = {
  readonly people: number;
  readonly skippedOutsidePlace: number;
  readonly milliseconds: number;
};

/** On a database server, the residents are scored in this many shares at once (its cores, at least two). */
const SERVER_SHARES = 2;

type Db = Kysely<Database>;

/**
 * work_mem for a share of this many people on a database server: a borough's share sorts and hashes
 * in 128 MB; a city region's (1.4 million people a share) spilled to disk and took a fifth longer, so
 * it grows with the share, to at most 1 GB. The embedded database keeps 128 MB: its memory is this
 * process's own.
 */
export const workMemMb = (peopleInShare: number) =>
  Math.min(1024, Math.max(128, Math.ceil((peopleInShare * 400) / 2 ** 20)));

/**
 * Replaces the place's scores and contributions, its run record and the shared code lists: computed
 * in shares, then swapped in, with the run record and the code lists, in one transaction.
 */
export async function stratifyPlace(
  db: Db,
  placeId: string,
  asOf: string,
  lists: RiskCodeLists,
  modelVersions: Readonly<Record<string, string>>,
  onStep: (label: string, milliseconds: number) => void = () => {},
): Promise<StratifyCounts> {
  const started = performance.now();
  const embedded = exclusiveDatabases.has(db);
  const shares = embedded ? 1 : SERVER_SHARES;
  const names = workTableNames(placeId, shares);
  // One pass over the place's people: how many (a share's memory grows with its share of them) and how
  // many live outside its LSOAs (left out of the run), counted before the shares, not inside the swap.
  const census = await placeCensus(db, placeId);
  const shared: Shared = {
    place: placeId,
    asOf,
    oneYearBefore: yearsBefore(asOf, 1),
    hfrsFrom: yearsBefore(asOf, HFRS_LOOK_BACK_YEARS),
    charlsonFrom: yearsBefore(asOf, CHARLSON_LOOK_BACK_YEARS),
    lists,
    codes: sql.table(names.codes),
    valueRules: sql.table(names.valueRules),
    workMemMb: embedded ? 128 : workMemMb(census.people / shares),
  };
  return withConnections(db, shares, async (connections) => {
    const main = connections[0] as Db;
    // One run of a place at a time: a second waits for the first to finish.
    const lock = sql`hashtext(${`joinedup stratify ${placeId}`})`;
    await sql`select pg_advisory_lock(${lock})`.execute(main);
    try {
      let last = started;
      // The first share's steps are reported (the others run alongside it); the first step's time
      // includes making the run's tables.
      const step = (label: string) => {
        const now = performance.now();
        onStep(label, now - last);
        last = now;
      };
      // The run's tables made in one transaction (one commit, not one a statement).
      await main.transaction().execute(async (trx) => {
        await dropWorkTables(trx, names);
        await stageCodeLists(trx, shared, names);
        await createFreshTables(trx, placeId, names);
      });
      step('tables for the run');
      const counts = await settled(
        connections.map((c, k) => scoreShare(c, shared, names, k, k === 0 ? step : null)),
      );
      await main.transaction().execute((trx) => makePrimaryKeys(trx, names));
      step('primary keys');
      const people = counts.reduce((a, b) => a + b, 0);
      await swapIn(main, shared, names, {
        as_of: asOf,
        model_versions: JSON.stringify(modelVersions),
        people,
        started,
      });
      step('swap');
      return {
        people,
        skippedOutsidePlace: census.outside,
        milliseconds: Math.round(performance.now() - started),
      };
    } finally {
      await dropWorkTables(main, names).catch(() => {});
      await sql`select pg_advisory_unlock(${lock})`.execute(main);
    }
  });
}

async function placeCensus(db: Db, placeId: string): Promise<{ people: number; outside: number }> {
  const { rows } = await sql<{ people: number; outside: number }>`
    select count(*)::int as people, count(*) filter (where l.code is null)::int as outside
    from person p
    left join lsoa l on l.place_id = p.place_id and l.code = p.lsoa_code
    where p.place_id = ${placeId}`.execute(db);
  return rows[0] ?? { people: 0, outside: 0 };
}

/** Runs `fn` with `n` connections of the pool held (PGlite has one). */
function withConnections<T>(db: Db, n: number, fn: (held: Db[]) => Promise<T>, held: Db[] = []): Promise<T> {
  if (held.length === n) return fn(held);
  return db.connection().execute((c) => withConnections(db, n, fn, [...held, c]));
}

/** Waits for every task, then fails with the first failure: no connection is given back while in use. */
async function settled<T>(tasks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * A condition that the person id in `column` is in share k of n. The residents are chosen by it, and so
 * are the records of each table a share reads, before they are joined to its residents: half as many
 * rows looked up in the residents' hash table.
 */
function inShare(column: string, k: number, n: number): RawBuilder<boolean> {
  const parts = [];
  if (k > 0) parts.push(sql`${sql.ref(column)} >= ${sql.lit(shareBound(k, n))}::uuid`);
  if (k < n - 1) parts.push(sql`${sql.ref(column)} < ${sql.lit(shareBound(k + 1, n))}::uuid`);
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`${sql.join(parts, sql` and `)}`;
}

/**
 * Scores share k of the place's residents in a transaction of its own, into its own part of the new
 * tables, then builds that part's indexes and statistics. Answers the residents it scored.
 */
async function scoreShare(
  conn: Db,
  s: Shared,
  names: WorkTables,
  k: number,
  step: ((label: string) => void) | null,
): Promise<number> {
  const part = sharePart(names, k);
  const contributions = sql.table(part.contributions);
  const scores = sql.table(part.scores);
  return conn.transaction().execute(async (trx) => {
    const mark = async (label: string, query: RawBuilder<unknown>) => {
      await query.execute(trx);
      step?.(label);
    };
    // Enough memory to sort and hash the share's records without spilling to disk, and to sort a city
    // region's share for an index. Each share builds its indexes in its own process: the shares already
    // keep the cores busy, and parallel builders split the memory and spilled (at Greater Manchester, two
    // shares' contribution keys took 4.4-5.5 s in parallel builds against 2.9-3.7 s in one process each).
    // Compiling these one-off queries to machine code costs more than it saves.
    await sql.raw(`set local work_mem = '${s.workMemMb}MB'`).execute(trx);
    await sql.raw(`set local maintenance_work_mem = '${Math.max(256, s.workMemMb)}MB'`).execute(trx);
    await sql`set local max_parallel_maintenance_workers = 0`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    const share = (column: string) => inShare(column, k, names.shares);
    await mark('residents alive on the date', residentsAlive(s, share('p.id')));
    // Fresh tables have no statistics: without them the planner picks nested loops over millions of rows.
    // Only the columns the models join on are sampled (all of them took 0.12 s of a borough's share).
    await sql`analyze sr_person (person_id, sex)`.execute(trx);
    for (const [label, query] of modelSteps(s, contributions, share)) {
      if (label === null) await query.execute(trx);
      else await mark(label, query);
    }
    await sql`analyze ${contributions} (person_id, model)`.execute(trx);
    await mark('scores, flags and segments', scoresAndSegments(s, contributions, scores));
    for (const task of indexTasks(part, names.shares)) await task.execute(trx);
    step?.('indexes and statistics');
    const { rows } = await sql<{ people: number }>`select count(*)::int as people from sr_person`.execute(
      trx,
    );
    return rows[0]?.people ?? 0;
  });
}
