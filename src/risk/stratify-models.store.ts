// The models' SQL for one share of a place's residents (stratify.store.ts runs it): the residents alive
// on the date, each model's contributions step by step, then each resident's scores, flags and segment.
// Each model's rules mirror its pure scorer (efi.ts, hfrs.ts, charlson.ts); stratify.int.test.ts checks
// that both give the same answer for every person.
import { type RawBuilder, sql } from 'kysely';
import { ACTIVITY_KINDS, ACTIVITY_MONTHS, type ActivityKind } from '../core/cohort-rules.ts';
import type { PersonRiskTable } from '../db/database.ts';
import { CHARLSON_HIERARCHY } from './charlson.ts';
import { polypharmacyLabel, type RiskCodeLists } from './code-lists.ts';
import { CORE20_MAX_DECILE, ETHNIC_MINORITY_CATEGORIES } from './core20plus5.ts';
import { EFI_DEFICIT_COUNT, POLYPHARMACY_MEDICINES } from './efi.ts';
import { POLYPHARMACY } from './efi-codes.ts';
import { EMERGENCY } from './hfrs.ts';
import { MULTIMORBIDITY_CONDITIONS } from './long-term-conditions.ts';
import { monthsBefore } from './look-back.ts';
import { FREQUENT_ATTENDER_ED } from './unplanned-care.ts';

/** Encounters that are admitted spells, whose diagnoses the HFRS and the Charlson index read. */
export const ADMITTED = ['emergency-admission', 'elective-admission', 'day-case'];
/** The kinds of hospital encounter any model reads: activity of every kind, and admitted spells. */
export const ENCOUNTER_KINDS = [...new Set<string>([...ACTIVITY_KINDS, ...ADMITTED])];

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

/** What every share's queries share: the place, the dates and the tables they read and write. */
export interface Shared {
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

/** The share's residents alive on the date, with what every model needs of them. */
export function residentsAlive(s: Shared, residents: RawBuilder<boolean>): RawBuilder<unknown> {
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
export function modelSteps(
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
export function scoresAndSegments(
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
