// The tables of a stratification run (stratify.store.ts): the place's new partitions, split by person
// id into one part per share, made empty, indexed and analysed share by share, given their primary keys,
// and swapped in for the old ones in one transaction with the run's code lists and its record.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, PersonRiskTable } from '../db/database.ts';
import { riskCodeRows, riskValueRuleRows } from './code-lists.ts';
import type { Shared } from './stratify-models.store.ts';

type Db = Kysely<Database>;

/** The person_risk columns cohort queries filter and sort on: the ones given statistics. */
const SCALAR_RISK_COLUMNS = [
  'place_id',
  'person_id',
  'age',
  'sex',
  'neighbourhood_code',
  'ward_code',
  'lsoa_code',
  'practice_code',
  'imd_decile',
  'imd_quintile',
  'core20',
  'plus_ethnic_minority',
  'plus_learning_disability',
  'plus_multimorbidity',
  'ltc_count',
  'efi_deficits',
  'efi_band',
  'hfrs_score',
  'hfrs_band',
  'charlson_score',
  'charlson_band',
  'ed_12m',
  'emergency_12m',
  'frequent_attender',
  'segment',
] satisfies (keyof PersonRiskTable)[];

/** Where share k of n starts: its first person id, splitting ids evenly by their first 32 bits. */
export function shareBound(k: number, n: number): string {
  const first = Math.floor((k * 0x100000000) / n);
  return `${first.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
}

type ByPlace = 'person_risk' | 'score_contribution';

/** The primary key of a place's partition of each table (the place is its partition's bound). */
const PRIMARY_KEY: Record<ByPlace, readonly string[]> = {
  person_risk: ['person_id'],
  score_contribution: ['person_id', 'model', 'item'],
};
const keyColumns = (table: ByPlace) => sql.join(PRIMARY_KEY[table].map((c) => sql.id(c)));

/** The indexes of each part (named after it): its key, and for scores the risk order. */
const PART_INDEXES: Record<ByPlace, readonly string[]> = {
  person_risk: ['pk', 'risk'],
  score_contribution: ['pk'],
};

/**
 * Names for the place's partition of a table partitioned by place, and for its replacement being built;
 * each is split by person id into parts, one per share.
 */
function partitionNames(table: ByPlace, placeId: string, shares: number) {
  // Place ids are lower-case letters, digits and hyphens (the place schema): a plain identifier.
  const live = `${table}__${placeId.replaceAll('-', '_')}`;
  const fresh = `${live}__new`;
  const parts = Array.from({ length: shares }, (_, k) => ({
    live: `${live}__${k + 1}`,
    fresh: `${fresh}__${k + 1}`,
  }));
  return { table, live, fresh, parts };
}

export type WorkTables = ReturnType<typeof workTableNames>;

/** The new tables' parts that share k writes. */
export function sharePart(names: WorkTables, k: number) {
  const contributions = names.contributions.parts[k];
  const scores = names.scores.parts[k];
  if (!contributions || !scores) throw new Error(`there is no share ${k + 1} of ${names.shares}`);
  return { contributions: contributions.fresh, scores: scores.fresh };
}

/** The run's own tables: the place's new partitions, and the code lists it scores with. */
export function workTableNames(placeId: string, shares: number) {
  const place = placeId.replaceAll('-', '_');
  return {
    shares,
    contributions: partitionNames('score_contribution', placeId, shares),
    scores: partitionNames('person_risk', placeId, shares),
    codes: `risk_code__${place}__new`,
    valueRules: `risk_value_rule__${place}__new`,
  };
}

/** Drops the run's own tables (with their parts): left by a run that stopped part-way, or by this one once swapped in. */
export async function dropWorkTables(db: Db, names: WorkTables): Promise<void> {
  for (const table of [names.contributions.fresh, names.scores.fresh, names.codes, names.valueRules])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
}

/** The code lists of this run, in tables of their own that every share reads (unlogged: rebuilt each run). */
export async function stageCodeLists(db: Db, s: Shared, names: WorkTables): Promise<void> {
  await sql`create unlogged table ${s.codes} (like risk_code including defaults)`.execute(db);
  await sql`create unlogged table ${s.valueRules} (like risk_value_rule including defaults)`.execute(db);
  await db
    .insertInto(names.valueRules as 'risk_value_rule')
    .values(riskValueRuleRows(s.lists))
    .execute();
  const rows = riskCodeRows(s.lists);
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto(names.codes as 'risk_code')
      .values(rows.slice(i, i + 2000))
      .execute();
  await sql`analyze ${s.codes}`.execute(db);
}

/**
 * Empty tables shaped like the partitioned ones, split by person id into one part per share, with no
 * indexes (building an index once is faster than keeping it up row by row). The check constraint,
 * written as the partition bound is (`in (…)`), proves every row belongs to the place, so attaching does
 * not scan the table (written `= …`, the proof failed and it scanned).
 */
export async function createFreshTables(db: Db, placeId: string, names: WorkTables): Promise<void> {
  const bound = (k: number) =>
    k === 0 ? sql`minvalue` : k === names.shares ? sql`maxvalue` : sql.lit(shareBound(k, names.shares));
  for (const { table, live, fresh, parts } of [names.contributions, names.scores]) {
    await sql`create table ${sql.table(fresh)} (like ${sql.table(table)} including defaults,
      constraint ${sql.id(`${live}_place`)} check (place_id in (${sql.lit(placeId)})))
      partition by range (person_id)`.execute(db);
    for (const [k, part] of parts.entries())
      await sql`create table ${sql.table(part.fresh)} partition of ${sql.table(fresh)}
        for values from (${bound(k)}) to (${bound(k + 1)})`.execute(db);
  }
}

/**
 * A share's part of the new tables: its indexes, without blocking reads (its primary keys are made
 * from them once every share is done), and statistics for the columns queries filter and sort on.
 */
export function indexTasks(part: ReturnType<typeof sharePart>, shares: number): RawBuilder<unknown>[] {
  const { contributions, scores } = part;
  return [
    sql`create unique index ${sql.id(`${contributions}_pk`)} on ${sql.table(contributions)} (${keyColumns('score_contribution')})`,
    sql`create unique index ${sql.id(`${scores}_pk`)} on ${sql.table(scores)} (${keyColumns('person_risk')})`,
    // Members are listed highest risk first: this index hands them out in that order, page by page.
    sql`create index ${sql.id(`${scores}_risk`)} on ${sql.table(scores)} (risk_order desc, person_id)`,
    // Each part is sampled for a share of the rows that one table for the place would be (the target
    // sets the sample: 300 rows a unit), and the parts' samples together are that one table's.
    // Statistics of the array columns cost most of a second to gather and no query plan depends on them.
    sql`select set_config('default_statistics_target',
      greatest(1, current_setting('default_statistics_target')::int / ${sql.lit(shares)})::text, true)`,
    sql`analyze ${sql.table(scores)} (${sql.join(SCALAR_RISK_COLUMNS.map((c) => sql.id(c)))})`,
  ];
}

/** The new tables' primary keys, each made from its parts' unique indexes (nothing is built). */
export async function makePrimaryKeys(db: Db, names: WorkTables): Promise<void> {
  for (const { table, fresh, parts } of [names.contributions, names.scores]) {
    for (const part of parts)
      await sql`alter table ${sql.table(part.fresh)} add constraint ${sql.id(`${part.fresh}_pk`)} primary key using index ${sql.id(`${part.fresh}_pk`)}`.execute(
        db,
      );
    await sql`alter table ${sql.table(fresh)} add constraint ${sql.id(`${fresh}_pk`)} primary key (${keyColumns(table)})`.execute(
      db,
    );
  }
}

/**
 * In one transaction: the shared code lists replaced by the run's, the place's old partitions dropped
 * and the new ones attached in their place, and the run recorded.
 */
export async function swapIn(
  db: Db,
  s: Shared,
  names: WorkTables,
  run: { as_of: string; model_versions: string; people: number; started: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`delete from risk_value_rule`.execute(trx);
    await sql`insert into risk_value_rule select * from ${s.valueRules}`.execute(trx);
    await sql`delete from risk_code`.execute(trx);
    await sql`insert into risk_code select * from ${s.codes}`.execute(trx);
    for (const { table, live, fresh, parts } of [names.contributions, names.scores]) {
      await sql`drop table if exists ${sql.table(live)}`.execute(trx);
      const renames: (readonly [string, string, readonly string[]])[] = [
        [fresh, live, ['pk']],
        ...parts.map((part) => [part.fresh, part.live, PART_INDEXES[table]] as const),
      ];
      for (const [from, to, indexes] of renames) {
        await sql`alter table ${sql.table(from)} rename to ${sql.id(to)}`.execute(trx);
        for (const suffix of indexes)
          await sql`alter index ${sql.id(`${from}_${suffix}`)} rename to ${sql.id(`${to}_${suffix}`)}`.execute(
            trx,
          );
      }
      await sql`alter table ${sql.table(table)} attach partition ${sql.table(live)} for values in (${sql.lit(s.place)})`.execute(
        trx,
      );
    }
    const record = {
      as_of: run.as_of,
      model_versions: run.model_versions,
      people: run.people,
      duration_ms: Math.round(performance.now() - run.started),
      computed_at: new Date(),
    };
    await trx
      .insertInto('stratification_run')
      .values({ place_id: s.place, ...record })
      .onConflict((oc) => oc.column('place_id').doUpdateSet(record))
      .execute();
  });
}
