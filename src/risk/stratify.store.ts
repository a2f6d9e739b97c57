// Stratification as set-based SQL: every model for every living resident of a place, computed
// inside the database in one transaction, so readers see the old scores or the new, never a mix.
// The place's new rows are built in tables of their own and swapped in for its partitions at the end;
// readers see the old scores until the commit, and other places are untouched.
// Each model's rules mirror its pure scorer (efi.ts, hfrs.ts, charlson.ts); stratify.int.test.ts
// checks that both give the same answer for every person.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { ACTIVITY_KINDS, ACTIVITY_MONTHS, type ActivityKind } from '../core/cohort-rules.ts';
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

const ADMITTED = ['emergency-admission', 'elective-admission', 'day-case'];

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

/** Replaces the place's scores, contributions, run record and the shared code lists in one transaction. */
export async function stratifyPlace(
  db: Kysely<Database>,
  placeId: string,
  asOf: string,
  lists: RiskCodeLists,
  modelVersions: Readonly<Record<string, string>>,
  onStep: (label: string, milliseconds: number) => void = () => {},
): Promise<StratifyCounts> {
  const started = performance.now();
  return db.transaction().execute(async (trx) => {
    let last = started;
    const step = async (label: string, query: RawBuilder<unknown>) => {
      await query.execute(trx);
      const now = performance.now();
      onStep(label, now - last);
      last = now;
    };
    // Enough memory to sort and hash a borough's records without spilling to disk.
    await sql`set local work_mem = '128MB'`.execute(trx);
    await replaceRiskCodes(trx, lists);
    const p = {
      place: placeId,
      asOf,
      oneYearBefore: yearsBefore(asOf, 1),
      hfrsFrom: yearsBefore(asOf, HFRS_LOOK_BACK_YEARS),
      charlsonFrom: yearsBefore(asOf, CHARLSON_LOOK_BACK_YEARS),
    };
    await step(
      'residents alive on the date',
      sql`
      create temp table sr_person on commit drop as
      select p.id as person_id, p.sex, p.lsoa_code, p.practice_code, p.ethnic_category,
             p.national_data_opt_out or p.type1_objection as planning_opt_out,
             extract(year from age(${p.asOf}::date, p.date_of_birth))::int as age,
             l.neighbourhood_code, l.ward_code, l.imd2019_decile as imd_decile
      from person p
      join lsoa l on l.place_id = p.place_id and l.code = p.lsoa_code
      where p.place_id = ${p.place}
        and p.date_of_birth <= ${p.asOf}::date
        and (p.date_of_death is null or p.date_of_death > ${p.asOf}::date)`,
    );
    // Fresh tables have no statistics: without them the planner picks nested loops over millions of rows.
    await sql`analyze sr_person`.execute(trx);
    await sql`analyze risk_code`.execute(trx);
    // The place's new scores and contributions are built in tables of their own, without indexes
    // (building an index once is faster than keeping it up row by row), then swapped in at the end.
    const contributions = await freshTable(trx, 'score_contribution', placeId);
    const scores = await freshTable(trx, 'person_risk', placeId);

    // eFI deficits and long-term conditions: the earliest code for each, recorded by the date.
    await step(
      'eFI deficits and long-term conditions',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (c.person_id, rc.model, rc.item)
             c.person_id, rc.model, rc.item, ${p.place}, rc.label, rc.points, c.code, c.onset_date
      from condition c
      join sr_person sp on sp.person_id = c.person_id
      join risk_code rc on rc.model in ('efi', 'ltc') and rc.code = c.code
      where c.place_id = ${p.place} and c.onset_date <= ${p.asOf}::date
      order by c.person_id, rc.model, rc.item, c.onset_date, c.code`,
    );

    // eFI deficits from test results: for each value rule, the person's latest result of its codes by
    // the date (falls: within 12 months) is judged against its ranges; the first rule in the file's
    // order that matches gives the evidence, and a deficit already coded keeps its code.
    await step(
      'eFI test results',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (l.person_id, l.deficit)
             l.person_id, 'efi', l.deficit, ${p.place}, coalesce(d.label, l.deficit), 1,
             l.code || ' = ' || l.value::text || ' (' || l.observed_on::text || ')', l.observed_on
      from (
        select distinct on (o.person_id, r.rule_number)
               o.person_id, r.rule_number, r.deficit, trim(o.code) as code, o.value, o.observed_on
        from observation o
        join sr_person sp on sp.person_id = o.person_id
        join (select distinct rule_number, deficit, code, sex, look_back_years from risk_value_rule) r
          on r.code = trim(o.code) and (r.sex is null or r.sex = sp.sex)
        where o.place_id = ${p.place} and o.observed_on <= ${p.asOf}::date
          and (r.look_back_years is null or o.observed_on > (${p.asOf}::date - make_interval(years => r.look_back_years)))
        order by o.person_id, r.rule_number, o.observed_on desc, trim(o.code)
      ) l
      left join (select distinct item, label from risk_code where model = 'efi') d on d.item = l.deficit
      where exists (
          select 1 from risk_value_rule r
          where r.rule_number = l.rule_number and r.code = l.code
            and (r.above is null or l.value > r.above) and (r.below is null or l.value < r.below))
        and not exists (
          select 1 from ${contributions} c where c.person_id = l.person_id and c.model = 'efi' and c.item = l.deficit)
      order by l.person_id, l.deficit, l.rule_number`,
    );

    // eFI polypharmacy: different medicines active on any day of the 12 months to the date.
    await step(
      'eFI polypharmacy',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select m.person_id, 'efi', ${POLYPHARMACY}, ${p.place}, ${polypharmacyLabel(lists)}, 1,
             'polypharmacy: ' || count(distinct lower(trim(m.medicine))) || ' medicines', null
      from medication m
      join sr_person sp on sp.person_id = m.person_id
      where m.place_id = ${p.place} and m.start_date <= ${p.asOf}::date
        and (m.end_date is null or m.end_date > ${p.oneYearBefore}::date)
      group by m.person_id
      having count(distinct lower(trim(m.medicine))) >= ${POLYPHARMACY_MEDICINES}`,
    );

    // Activity of every kind counted over each period (ACTIVITY_MONTHS), one array per kind.
    const periodStarts = ACTIVITY_MONTHS.map((m) => monthsBefore(asOf, m));
    const longest = periodStarts[periodStarts.length - 1] ?? asOf;
    const countsOf = (kind: string) =>
      sql`array[${sql.join(
        periodStarts.map(
          (from) => sql`count(*) filter (where e.kind = ${kind} and e.start_date > ${from}::date)::int`,
        ),
      )}]`;
    await step(
      'hospital activity',
      sql`
      create temp table sr_activity on commit drop as
      select e.person_id, ${sql.join(ACTIVITY_KINDS.map((k) => sql`${countsOf(k)} as ${sql.id(activityColumn(k))}`))}
      from encounter e
      join sr_person sp on sp.person_id = e.person_id
      where e.place_id = ${p.place} and e.kind in (${sql.join([...ACTIVITY_KINDS])})
        and e.start_date > ${longest}::date and e.start_date <= ${p.asOf}::date
      group by e.person_id`,
    );
    await step(
      'admitted spells',
      sql`
      create temp table sr_spell on commit drop as
      select e.person_id, e.kind, e.start_date, e.primary_diagnosis, e.secondary_diagnoses
      from encounter e
      join sr_person sp on sp.person_id = e.person_id
      where e.place_id = ${p.place}
        and e.kind in (${sql.join(ADMITTED)})
        and e.start_date > least(${p.hfrsFrom}::date, ${p.charlsonFrom}::date)
        and e.start_date <= ${p.asOf}::date`,
    );
    // Hospital diagnoses, one row per (spell, code), for the HFRS and the Charlson index.
    await step(
      'hospital diagnoses',
      sql`
      create temp table sr_diagnosis on commit drop as
      select s.person_id, s.kind, s.start_date, upper(replace(trim(d.code), '.', '')) as code
      from sr_spell s
      cross join lateral unnest(array_prepend(s.primary_diagnosis, s.secondary_diagnoses)) as d(code)
      where s.kind in (${sql.join(ADMITTED)})
        and s.start_date > least(${p.hfrsFrom}::date, ${p.charlsonFrom}::date)
        and d.code is not null and trim(d.code) <> ''`,
    );
    await sql`analyze sr_diagnosis`.execute(trx);

    // HFRS: each 3-character category once, from emergency spells in the two years to the date.
    await step(
      'Hospital Frailty Risk Score',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select distinct on (d.person_id, rc.item)
             d.person_id, 'hfrs', rc.item, ${p.place}, rc.label, rc.points, d.code, d.start_date
      from sr_diagnosis d
      join risk_code rc on rc.model = 'hfrs' and rc.code = left(d.code, 3)
      where d.kind = ${EMERGENCY} and d.start_date > ${p.hfrsFrom}::date
      order by d.person_id, rc.item, d.start_date desc, d.code`,
    );

    // Charlson: categories from 3- or 4-character prefixes; a milder category scores nothing
    // when its more severe partner is present (the person's categories are gathered per person).
    const outranked = sql.join(
      Object.entries(CHARLSON_HIERARCHY).map(
        ([mild, severe]) => sql`(c.item = ${mild} and ${severe} = any(c.categories))`,
      ),
      sql` or `,
    );
    await step(
      'Charlson index',
      sql`
      insert into ${contributions} (person_id, model, item, place_id, label, points, evidence, evidence_date)
      select c.person_id, 'charlson', c.item, ${p.place}, c.label,
             case when ${outranked} then 0 else c.points end, c.code, c.start_date
      from (
        select f.*, array_agg(f.item) over (partition by f.person_id) as categories
        from (
          select distinct on (m.person_id, m.item) m.person_id, m.item, m.label, m.points, m.code, m.start_date
          from (
            select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
            from sr_diagnosis d join risk_code rc on rc.model = 'charlson' and rc.code = left(d.code, 3)
            where d.start_date > ${p.charlsonFrom}::date
            union all
            select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
            from sr_diagnosis d join risk_code rc on rc.model = 'charlson' and rc.code = left(d.code, 4)
            where d.start_date > ${p.charlsonFrom}::date and length(d.code) >= 4
          ) m
          order by m.person_id, m.item, m.start_date, m.code
        ) f
      ) c
      order by c.person_id, c.item`,
    );
    await sql`analyze ${contributions} (person_id, model)`.execute(trx);

    await step(
      'scores, flags and segments',
      sql`
      insert into ${scores}
      with model_sums as (
        select person_id,
               count(*) filter (where model = 'efi')::int as efi_deficits,
               coalesce(sum(points) filter (where model = 'hfrs'), 0) as hfrs_score,
               coalesce(sum(points) filter (where model = 'charlson'), 0)::int as charlson_score,
               coalesce(array_agg(item order by item) filter (where model = 'ltc'), '{}') as conditions
        from ${contributions} group by person_id
      ),
      long_term_care as (
        select distinct s.person_id
        from social_care s join sr_person sp on sp.person_id = s.person_id
        where s.place_id = ${p.place} and s.service in ('home-care', 'care-home-permanent')
          and s.start_date <= ${p.asOf}::date and (s.end_date is null or s.end_date > ${p.asOf}::date)
      ),
      facts as (
        select sp.*,
               coalesce(ms.efi_deficits, 0) as efi_deficits,
               coalesce(ms.hfrs_score, 0) as hfrs_score,
               coalesce(ms.charlson_score, 0) as charlson_score,
               coalesce(ms.conditions, '{}') as conditions,
               coalesce(a.ed_counts[${TWELVE_MONTHS}], 0) as ed_12m,
               coalesce(a.emergency_admission_counts[${TWELVE_MONTHS}], 0) as emergency_12m,
               ${sql.join(ACTIVITY_KINDS.map((k) => sql`coalesce(a.${sql.id(activityColumn(k))}, ${NO_ACTIVITY}) as ${sql.id(activityColumn(k))}`))},
               ltc.person_id is not null as has_long_term_care
        from sr_person sp
        left join model_sums ms on ms.person_id = sp.person_id
        left join sr_activity a on a.person_id = sp.person_id
        left join long_term_care ltc on ltc.person_id = sp.person_id
      )
      select f.person_id, ${p.place}, f.age, f.sex, f.neighbourhood_code, f.ward_code, f.lsoa_code,
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
             f.planning_opt_out
      from facts f
      order by f.person_id`,
    );

    await swapIn(
      trx,
      'score_contribution',
      placeId,
      ['place_id', 'person_id', 'model', 'item'],
      ['person_id', 'model'],
    );
    // Members are listed highest risk first: this index hands them out in that order, page by page.
    await swapIn(trx, 'person_risk', placeId, ['place_id', 'person_id'], SCALAR_RISK_COLUMNS, {
      risk: sql`efi_deficits desc, hfrs_score desc, emergency_12m desc, person_id`,
    });
    await step('indexes and swap', sql`select 1`);

    const counts = await sql<{ people: number; outside: number }>`
      select (select count(*)::int from sr_person) as people,
             (select count(*)::int from person p
              where p.place_id = ${p.place}
                and not exists (select 1 from lsoa l where l.place_id = p.place_id and l.code = p.lsoa_code)) as outside`.execute(
      trx,
    );
    const people = counts.rows[0]?.people ?? 0;
    const run = {
      as_of: asOf,
      model_versions: JSON.stringify(modelVersions),
      people,
      duration_ms: Math.round(performance.now() - started),
      computed_at: new Date(),
    };
    await trx
      .insertInto('stratification_run')
      .values({ place_id: placeId, ...run })
      .onConflict((oc) => oc.column('place_id').doUpdateSet(run))
      .execute();
    return { people, skippedOutsidePlace: counts.rows[0]?.outside ?? 0, milliseconds: run.duration_ms };
  });
}

type ByPlace = 'person_risk' | 'score_contribution';

/** Names for the place's partition of a table partitioned by place, and for its replacement being built. */
function partitionNames(table: ByPlace, placeId: string) {
  // Place ids are lower-case letters, digits and hyphens (the place schema): a plain identifier.
  const live = `${table}__${placeId.replaceAll('-', '_')}`;
  return { live, fresh: `${live}__new` };
}

/** An empty table shaped like `table`, with no indexes, for the place's new rows. */
async function freshTable(trx: Transaction<Database>, table: ByPlace, placeId: string) {
  const { fresh } = partitionNames(table, placeId);
  await sql`drop table if exists ${sql.table(fresh)}`.execute(trx);
  await sql`create table ${sql.table(fresh)} (like ${sql.table(table)} including defaults)`.execute(trx);
  return sql.table(fresh);
}

/**
 * Indexes the new table, drops the place's old partition and attaches the new one in its place. The
 * check constraint, written as the partition bound is (`in (…)`), proves every row belongs to the
 * place, so attaching does not scan the table (written `= …`, the proof failed and it scanned).
 */
async function swapIn(
  trx: Transaction<Database>,
  table: ByPlace,
  placeId: string,
  key: string[],
  analysed: string[],
  extraIndexes: Record<string, RawBuilder<unknown>> = {},
) {
  const { live, fresh } = partitionNames(table, placeId);
  const indexes = { pk: null, ...extraIndexes };
  const keyColumns = sql.join(key.map((k) => sql.id(k)));
  await sql`alter table ${sql.table(fresh)} add constraint ${sql.id(`${fresh}_pk`)} primary key (${keyColumns})`.execute(
    trx,
  );
  for (const [suffix, columns] of Object.entries(extraIndexes))
    await sql`create index ${sql.id(`${fresh}_${suffix}`)} on ${sql.table(fresh)} (${columns})`.execute(trx);
  await sql`alter table ${sql.table(fresh)} add constraint ${sql.id(`${live}_place`)} check (place_id in (${sql.lit(placeId)}))`.execute(
    trx,
  );
  await sql`drop table if exists ${sql.table(live)}`.execute(trx);
  await sql`alter table ${sql.table(fresh)} rename to ${sql.id(live)}`.execute(trx);
  for (const suffix of Object.keys(indexes))
    await sql`alter index ${sql.id(`${fresh}_${suffix}`)} rename to ${sql.id(`${live}_${suffix}`)}`.execute(
      trx,
    );
  await sql`alter table ${sql.table(table)} attach partition ${sql.table(live)} for values in (${sql.lit(placeId)})`.execute(
    trx,
  );
  // Statistics for the columns queries filter and sort on; those of the array columns cost most of a
  // second to gather and no query plan depends on them.
  await sql`analyze ${sql.table(live)} (${sql.join(analysed.map((c) => sql.id(c)))})`.execute(trx);
}

async function replaceRiskCodes(trx: Transaction<Database>, lists: RiskCodeLists): Promise<void> {
  await trx.deleteFrom('risk_value_rule').execute();
  await trx.insertInto('risk_value_rule').values(riskValueRuleRows(lists)).execute();
  await trx.deleteFrom('risk_code').execute();
  const rows = riskCodeRows(lists);
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto('risk_code')
      .values(rows.slice(i, i + 2000))
      .execute();
  }
}
