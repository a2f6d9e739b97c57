// Stratification as set-based SQL: every model for every living resident of a place, computed
// inside the database. The place's new rows are built in tables of their own and swapped in for its
// partitions in one short transaction at the end, so readers see the old scores or the new, never a
// mix, and other places are untouched. On a database server the residents are scored in shares (by
// person id), each share in a transaction of its own on a connection of its own, so that the server's
// cores work at once; the embedded database has one connection and scores them in one share. A place's
// partition is itself split by person id, one part per share, so each share writes, indexes and
// analyses a table of its own. A run stopped part-way leaves only tables that nothing reads, which the
// next run drops.
// Each model's rules mirror its pure scorer (efi.ts, hfrs.ts, charlson.ts); stratify.int.test.ts
// checks that both give the same answer for every person.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ACTIVITY_KINDS, ACTIVITY_MONTHS, type ActivityKind } from '../core/cohort-rules.ts';
import { exclusiveDatabases } from '../db/create-db.ts';
import type { Database, PersonRiskTable } from '../db/database.ts';
import { CHARLSON_HIERARCHY, CHARLSON_LOOK_BACK_YEARS } from './charlson.ts';
import { polypharmacyLabel, type RiskCodeLists, riskCodeRows, riskValueRuleRows } from './code-lists.ts';
import { CORE20_MAX_DECILE, ETHNIC_MINORITY_CATEGORIES } from './core20plus5.ts';
import { EFI_DEFICIT_COUNT, POLYPHARMACY_MEDICINES } from './efi.ts';
import { POLYPHARMACY } from './efi-codes.ts';
import { EMERGENCY, HFRS_LOOK_BACK_YEARS } from './hfrs.ts';
import { MULTIMORBIDITY_CONDITIONS } from './long-term-conditions.ts';
import { monthsBefore, yearsBefore } from './look-back.ts';
import { FREQUENT_ATTENDER_ED } from './unplanned-care.ts';

/** Encounters that are admitted spells, whose diagnoses the HFRS and the Charlson index read. */
export const ADMITTED = ['emergency-admission', 'elective-admission', 'day-case'];
/** The kinds of hospital encounter any model reads: activity of every kind, and admitted spells. */
export const ENCOUNTER_KINDS = [...new Set<string>([...ACTIVITY_KINDS, ...ADMITTED])];

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

/**
 * "Highest risk first" as one number (person_risk.risk_order), so that the risk-order index sorts a
 * bigint instead of an integer, a numeric and another integer: eFI deficits (at most 36) times 10^9, plus
 * the HFRS score in tenths (its weights have one decimal place; far below 10^5) times 10^4, plus emergency
 * admissions in 12 months (below 10^4 in any year). Ordering by it is ordering by the three in turn.
 */
const RISK_ORDER = sql`f.efi_deficits::bigint * 1000000000 + (f.hfrs_score * 10)::bigint * 10000
  + least(f.emergency_12m, 9999)`;

/** The person_risk column counting each kind of activity over the periods of ACTIVITY_MONTHS. */
export const ACTIVITY_COLUMN = {
  ed: 'ed_counts',
  'emergency-admission': 'emergency_admission_counts',
  'elective-admission': 'elective_admission_counts',
  'day-case': 'day_case_counts',
} as const satisfies Record<ActivityKind, keyof PersonRiskTable>;
const activityColumn = (kind: ActivityKind) => ACTIVITY_COLUMN[kind];
/** Where 12 months falls in ACTIVITY_MONTHS (SQL arrays count from 1). */
const TWELVE_MONTHS = sql.lit(ACTIVITY_MONTHS.indexOf(12) + 1);
const NO_ACTIVITY = sql`array[${sql.join(ACTIVITY_MONTHS.map(() => sql.lit(0)))}]::int[]`;

export type StratifyCounts = {
  readonly people: number;
  readonly skippedOutsidePlace: number;
  readonly milliseconds: number;
};

/** On a database server, the residents are scored in this many shares at once (its cores, at least two). */
const SERVER_SHARES = 2;

type Db = Kysely<Database>;

/** What every share's queries share: the place, the dates and the tables they read and write. */
interface Shared {
  place: string;
  asOf: string;
  oneYearBefore: string;
  hfrsFrom: string;
  charlsonFrom: string;
  lists: RiskCodeLists;
  /** The code lists of this run (risk_code and risk_value_rule are replaced by them at the swap). */
  codes: RawBuilder<unknown>;
  valueRules: RawBuilder<unknown>;
  /** Memory for each sort and hash of a share (work_mem), in MB. */
  workMemMb: number;
}

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

/** Where share k of n starts: its first person id, splitting ids evenly by their first 32 bits. */
function shareBound(k: number, n: number): string {
  const first = Math.floor((k * 0x100000000) / n);
  return `${first.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;
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

/** The share's residents alive on the date, with what every model needs of them. */
function residentsAlive(s: Shared, residents: RawBuilder<boolean>): RawBuilder<unknown> {
  return sql`
      create temp table sr_person on commit drop as
      select p.id as person_id, p.sex, p.lsoa_code, p.practice_code, p.ethnic_category,
             p.national_data_opt_out or p.type1_objection as planning_opt_out,
             extract(year from age(${s.asOf}::date, p.date_of_birth))::int as age,
             l.neighbourhood_code, l.ward_code, l.imd2019_decile as imd_decile,
             -- Long-term social care on the date: home care, or a permanent place in a care home.
             exists (
               select 1 from social_care s
               where s.person_id = p.id and s.place_id = p.place_id
                 and s.service in ('home-care', 'care-home-permanent')
                 and s.start_date <= ${s.asOf}::date and (s.end_date is null or s.end_date > ${s.asOf}::date)
             ) as has_long_term_care
      from person p
      join lsoa l on l.place_id = p.place_id and l.code = p.lsoa_code
      where p.place_id = ${s.place}
        and p.date_of_birth <= ${s.asOf}::date
        and (p.date_of_death is null or p.date_of_death > ${s.asOf}::date)
        and ${residents}`;
}

/** Each model's contributions, step by step (a step without a label is not reported). */
function modelSteps(
  s: Shared,
  contributions: RawBuilder<unknown>,
  share: (column: string) => RawBuilder<boolean>,
): [string | null, RawBuilder<unknown>][] {
  // Activity of every kind counted over each period (ACTIVITY_MONTHS), one array per kind.
  const periodStarts = ACTIVITY_MONTHS.map((m) => monthsBefore(s.asOf, m));
  const longest = periodStarts[periodStarts.length - 1] ?? s.asOf;
  const periodCounts = sql`array[${sql.join(
    periodStarts.map((from) => sql`count(*) filter (where e.start_date > ${from}::date)::int`),
  )}]`;

  const outranked = sql.join(
    Object.entries(CHARLSON_HIERARCHY).map(
      ([mild, severe]) => sql`(c.item = ${mild} and ${severe} = any(c.categories))`,
    ),
    sql` or `,
  );
  return [
    // eFI deficits and long-term conditions: the earliest code for each, recorded by the date.
    [
      'eFI deficits and long-term conditions',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (c.person_id, rc.model, rc.item)
             c.person_id, rc.model, rc.item, ${s.place}, rc.label, rc.points, c.code, c.onset_date
      from condition c
      join sr_person sp on sp.person_id = c.person_id
      join ${s.codes} rc on rc.model in ('efi', 'ltc') and rc.code = c.code
      where c.place_id = ${s.place} and ${share('c.person_id')} and c.onset_date <= ${s.asOf}::date
      order by c.person_id, rc.model, rc.item, c.onset_date, c.code`,
    ],

    // eFI deficits from test results: for each value rule, the person's latest result of its codes by
    // the date (falls: within 12 months) is judged against its ranges; the first rule in the file's
    // order that matches gives the evidence, and a deficit already coded keeps its code.
    [
      'eFI test results',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (l.person_id, l.deficit)
             l.person_id, 'efi', l.deficit, ${s.place}, coalesce(d.label, l.deficit), 1,
             l.code || ' = ' || l.value::text || ' (' || l.observed_on::text || ')', l.observed_on
      from (
        select distinct on (o.person_id, r.rule_number)
               o.person_id, r.rule_number, r.deficit, trim(o.code) as code, o.value, o.observed_on
        from observation o
        join sr_person sp on sp.person_id = o.person_id
        join (select distinct rule_number, deficit, code, sex, look_back_years from ${s.valueRules}) r
          on r.code = trim(o.code) and (r.sex is null or r.sex = sp.sex)
        where o.place_id = ${s.place} and ${share('o.person_id')} and o.observed_on <= ${s.asOf}::date
          and (r.look_back_years is null or o.observed_on > (${s.asOf}::date - make_interval(years => r.look_back_years)))
        order by o.person_id, r.rule_number, o.observed_on desc, trim(o.code)
      ) l
      left join (select distinct item, label from ${s.codes} where model = 'efi') d on d.item = l.deficit
      where exists (
          select 1 from ${s.valueRules} r
          where r.rule_number = l.rule_number and r.code = l.code
            and (r.above is null or l.value > r.above) and (r.below is null or l.value < r.below))
        and not exists (
          select 1 from ${contributions} c where c.person_id = l.person_id and c.model = 'efi' and c.item = l.deficit)
      order by l.person_id, l.deficit, l.rule_number`,
    ],

    // eFI polypharmacy: different medicines active on any day of the 12 months to the date.
    [
      'eFI polypharmacy',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select m.person_id, 'efi', ${POLYPHARMACY}, ${s.place}, ${polypharmacyLabel(s.lists)}, 1,
             'polypharmacy: ' || count(*) || ' medicines', null
      from (
        select distinct m.person_id, lower(trim(m.medicine))
        from medication m
        join sr_person sp on sp.person_id = m.person_id
        where m.place_id = ${s.place} and ${share('m.person_id')} and m.start_date <= ${s.asOf}::date
          and (m.end_date is null or m.end_date > ${s.oneYearBefore}::date)
      ) m
      group by m.person_id
      having count(*) >= ${POLYPHARMACY_MEDICINES}`,
    ],

    // The share's hospital encounters of every kind either look-back needs, read once for both.
    [
      'hospital encounters',
      sql`
      create temp table sr_encounter on commit drop as
      select e.person_id, e.kind, e.start_date, e.primary_diagnosis, e.secondary_diagnoses
      from encounter e
      join sr_person sp on sp.person_id = e.person_id
      where e.place_id = ${s.place} and ${share('e.person_id')} and e.kind in (${sql.join(ENCOUNTER_KINDS)})
        and e.start_date > least(${longest}::date, ${s.hfrsFrom}::date, ${s.charlsonFrom}::date)
        and e.start_date <= ${s.asOf}::date`,
    ],
    // Counted per person and kind, then one row per person with a column per kind (each kind has at
    // most one row a person, so min() takes it).
    [
      'hospital activity',
      sql`
      create temp table sr_activity on commit drop as
      select k.person_id,
             ${sql.join(ACTIVITY_KINDS.map((kind) => sql`min(k.counts) filter (where k.kind = ${kind}) as ${sql.id(activityColumn(kind))}`))}
      from (
        select e.person_id, e.kind, ${periodCounts} as counts
        from sr_encounter e
        where e.kind in (${sql.join([...ACTIVITY_KINDS])}) and e.start_date > ${longest}::date
        group by e.person_id, e.kind
      ) k
      group by k.person_id`,
    ],
    // Hospital diagnoses of admitted spells, one row per (spell, code), for the HFRS and the Charlson index.
    [
      'hospital diagnoses',
      sql`
      create temp table sr_diagnosis on commit drop as
      select s.person_id, s.kind, s.start_date, upper(replace(trim(d.code), '.', '')) as code
      from sr_encounter s
      cross join lateral unnest(array_prepend(s.primary_diagnosis, s.secondary_diagnoses)) as d(code)
      where s.kind in (${sql.join(ADMITTED)})
        and s.start_date > least(${s.hfrsFrom}::date, ${s.charlsonFrom}::date)
        and d.code is not null and trim(d.code) <> ''`,
    ],
    [null, sql`analyze sr_diagnosis (person_id, kind, start_date)`],

    // HFRS: each 3-character category once, from emergency spells in the two years to the date.
    [
      'Hospital Frailty Risk Score',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (d.person_id, rc.item)
             d.person_id, 'hfrs', rc.item, ${s.place}, rc.label, rc.points, d.code, d.start_date
      from sr_diagnosis d
      join ${s.codes} rc on rc.model = 'hfrs' and rc.code = left(d.code, 3)
      where d.kind = ${EMERGENCY} and d.start_date > ${s.hfrsFrom}::date
      order by d.person_id, rc.item, d.start_date desc, d.code`,
    ],

    // Charlson: categories from 3- or 4-character prefixes; a milder category scores nothing
    // when its more severe partner is present (the person's categories are gathered per person).
    [
      'Charlson index',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select c.person_id, 'charlson', c.item, ${s.place}, c.label,
             case when ${outranked} then 0 else c.points end, c.code, c.start_date
      from (
        select f.*, array_agg(f.item) over (partition by f.person_id) as categories
        from (
          select distinct on (m.person_id, m.item) m.person_id, m.item, m.label, m.points, m.code, m.start_date
          from (
            select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
            from sr_diagnosis d join ${s.codes} rc on rc.model = 'charlson' and rc.code = left(d.code, 3)
            where d.start_date > ${s.charlsonFrom}::date
            union all
            select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
            from sr_diagnosis d join ${s.codes} rc on rc.model = 'charlson' and rc.code = left(d.code, 4)
            where d.start_date > ${s.charlsonFrom}::date and length(d.code) >= 4
          ) m
          order by m.person_id, m.item, m.start_date, m.code
        ) f
      ) c
      order by c.person_id, c.item`,
    ],
  ];
}

/** Every resident's scores, bands, flags and segment, from their contributions and activity. */
function scoresAndSegments(
  s: Shared,
  contributions: RawBuilder<unknown>,
  scores: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`
      insert into ${scores}
      -- Each person's sums and long-term conditions, in one pass over their contributions.
      with model_sums as (
        select person_id,
               count(*) filter (where model = 'efi')::int as efi_deficits,
               coalesce(sum(points) filter (where model = 'hfrs'), 0) as hfrs_score,
               coalesce(sum(points) filter (where model = 'charlson'), 0)::int as charlson_score,
               array_agg(item order by item) filter (where model = 'ltc') as conditions
        from ${contributions} group by person_id
      ),
      facts as (
        select sp.*,
               coalesce(ms.efi_deficits, 0) as efi_deficits,
               coalesce(ms.hfrs_score, 0) as hfrs_score,
               coalesce(ms.charlson_score, 0) as charlson_score,
               coalesce(ms.conditions, '{}') as conditions,
               coalesce(a.ed_counts[${TWELVE_MONTHS}], 0) as ed_12m,
               coalesce(a.emergency_admission_counts[${TWELVE_MONTHS}], 0) as emergency_12m,
               ${sql.join(ACTIVITY_KINDS.map((k) => sql`coalesce(a.${sql.id(activityColumn(k))}, ${NO_ACTIVITY}) as ${sql.id(activityColumn(k))}`))}
        from sr_person sp
        left join model_sums ms on ms.person_id = sp.person_id
        left join sr_activity a on a.person_id = sp.person_id
      )
      select f.person_id, ${s.place}, f.age, f.sex, f.neighbourhood_code, f.ward_code, f.lsoa_code,
             f.practice_code, f.imd_decile, (f.imd_decile + 1) / 2,
             f.imd_decile <= ${CORE20_MAX_DECILE},
             f.ethnic_category in (${sql.join(ETHNIC_MINORITY_CATEGORIES)}),
             'learning-disability' = any(f.conditions),
             cardinality(f.conditions) >= ${MULTIMORBIDITY_CONDITIONS},
             array_remove(array[
               case when f.age >= 18 and 'severe-mental-illness' = any(f.conditions) then 'adult-smi' end,
               case when f.age >= 18 and 'copd' = any(f.conditions) then 'adult-respiratory' end,
               case when f.age >= 18 and 'hypertension' = any(f.conditions) then 'adult-hypertension' end,
               case when f.age >= 18 and 'cancer' = any(f.conditions) then 'adult-cancer' end,
               case when f.age < 25 and 'asthma' = any(f.conditions) then 'cyp-asthma' end,
               case when f.age < 25 and 'diabetes' = any(f.conditions) then 'cyp-diabetes' end,
               case when f.age < 25 and 'epilepsy' = any(f.conditions) then 'cyp-epilepsy' end,
               case when f.age < 18 and f.conditions && array['depression', 'severe-mental-illness']
                    then 'cyp-mental-health' end
             ]::text[], null),
             f.conditions, cardinality(f.conditions),
             f.efi_deficits, f.efi_deficits::numeric / ${EFI_DEFICIT_COUNT},
             case when f.efi_deficits <= 4 then 'fit' when f.efi_deficits <= 8 then 'mild'
                  when f.efi_deficits <= 12 then 'moderate' else 'severe' end,
             f.hfrs_score,
             case when f.hfrs_score < 5 then 'low' when f.hfrs_score <= 15 then 'intermediate' else 'high' end,
             f.charlson_score,
             case when f.charlson_score = 0 then '0' when f.charlson_score <= 2 then '1-2'
                  when f.charlson_score <= 4 then '3-4' else '5+' end,
             f.ed_12m, f.emergency_12m, f.ed_12m >= ${FREQUENT_ATTENDER_ED},
             case
               when 'cancer' = any(f.conditions) and f.emergency_12m > 0 then 'short-decline'
               when 'heart-failure' = any(f.conditions)
                 or (f.conditions && array['copd', 'ckd'] and f.emergency_12m > 0) then 'organ-failure'
               when 'dementia' = any(f.conditions) or f.efi_deficits > 8 then 'frailty-dementia'
               when 'learning-disability' = any(f.conditions) or (f.age < 65 and f.has_long_term_care)
                 then 'stable-disability'
               when cardinality(f.conditions) > 0 then 'chronic-conditions'
               when f.age < 1 then 'maternal-infant'
               when f.ed_12m + f.emergency_12m > 0 then 'acutely-ill'
               else 'healthy'
             end,
             ${sql.join(ACTIVITY_KINDS.map((k) => sql`f.${sql.id(activityColumn(k))}`))},
             f.planning_opt_out,
             ${RISK_ORDER}
      from facts f`;
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

type WorkTables = ReturnType<typeof workTableNames>;

/** The new tables' parts that share k writes. */
function sharePart(names: WorkTables, k: number) {
  const contributions = names.contributions.parts[k];
  const scores = names.scores.parts[k];
  if (!contributions || !scores) throw new Error(`there is no share ${k + 1} of ${names.shares}`);
  return { contributions: contributions.fresh, scores: scores.fresh };
}

/** The run's own tables: the place's new partitions, and the code lists it scores with. */
function workTableNames(placeId: string, shares: number) {
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
async function dropWorkTables(db: Db, names: WorkTables): Promise<void> {
  for (const table of [names.contributions.fresh, names.scores.fresh, names.codes, names.valueRules])
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
}

/** The code lists of this run, in tables of their own that every share reads (unlogged: rebuilt each run). */
async function stageCodeLists(db: Db, s: Shared, names: WorkTables): Promise<void> {
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
async function createFreshTables(db: Db, placeId: string, names: WorkTables): Promise<void> {
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
function indexTasks(part: ReturnType<typeof sharePart>, shares: number): RawBuilder<unknown>[] {
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
async function makePrimaryKeys(db: Db, names: WorkTables): Promise<void> {
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
async function swapIn(
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
