// The stratification bench's peer: the same computations as DuckDB SQL over the same data. The inputs
// are copied out of the database the product scored (only the columns the models read) and loaded
// into an in-memory DuckDB before timing; its SQL repeats stratify-models.store.ts's queries one for one.
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ACTIVITY_KINDS, ACTIVITY_MONTHS } from '../src/core/cohort-rules.ts';
import { openPglite } from '../src/db/create-db.ts';
import { lockDataDir } from '../src/db/data-dir-lock.ts';
import { CHARLSON_HIERARCHY, CHARLSON_LOOK_BACK_YEARS } from '../src/risk/charlson.ts';
import {
  polypharmacyLabel,
  type RiskCodeLists,
  riskCodeRows,
  riskValueRuleRows,
} from '../src/risk/code-lists.ts';
import { CORE20_MAX_DECILE, ETHNIC_MINORITY_CATEGORIES } from '../src/risk/core20plus5.ts';
import { EFI_DEFICIT_COUNT, POLYPHARMACY_MEDICINES } from '../src/risk/efi.ts';
import { POLYPHARMACY } from '../src/risk/efi-codes.ts';
import { EMERGENCY, HFRS_LOOK_BACK_YEARS } from '../src/risk/hfrs.ts';
import { MULTIMORBIDITY_CONDITIONS } from '../src/risk/long-term-conditions.ts';
import { monthsBefore, yearsBefore } from '../src/risk/look-back.ts';
import { MODEL_VERSIONS } from '../src/risk/run-stratify.ts';
import { ACTIVITY_COLUMN, ADMITTED, ENCOUNTER_KINDS } from '../src/risk/stratify-models.store.ts';
import { FREQUENT_ATTENDER_ED } from '../src/risk/unplanned-care.ts';
import { tempDir } from './harness.ts';
import { AS_OF, type Measured, type Rows, RUNS, type Run, readCheck } from './stratify-results.ts';

// ---- The DuckDB peer ----------------------------------------------------------------------------

/** The input tables, only the columns the models read (DuckDB stores by column and reads no others). */
export const EXPORTS: Record<string, { select: string; columns: Record<string, string>; load?: string }> = {
  person: {
    select:
      'select id, place_id, sex, date_of_birth, date_of_death, ethnic_category, lsoa_code, practice_code, ' +
      'national_data_opt_out, type1_objection from person',
    columns: {
      id: 'UUID',
      place_id: 'VARCHAR',
      sex: 'VARCHAR',
      date_of_birth: 'DATE',
      date_of_death: 'DATE',
      ethnic_category: 'VARCHAR',
      lsoa_code: 'VARCHAR',
      practice_code: 'VARCHAR',
      national_data_opt_out: 'BOOLEAN',
      type1_objection: 'BOOLEAN',
    },
  },
  lsoa: {
    select: 'select place_id, code, ward_code, neighbourhood_code, imd2019_decile from lsoa',
    columns: {
      place_id: 'VARCHAR',
      code: 'VARCHAR',
      ward_code: 'VARCHAR',
      neighbourhood_code: 'VARCHAR',
      imd2019_decile: 'INTEGER',
    },
  },
  condition: {
    select: 'select person_id, place_id, code, onset_date from condition',
    columns: { person_id: 'UUID', place_id: 'VARCHAR', code: 'VARCHAR', onset_date: 'DATE' },
  },
  medication: {
    select: 'select person_id, place_id, medicine, start_date, end_date from medication',
    columns: {
      person_id: 'UUID',
      place_id: 'VARCHAR',
      medicine: 'VARCHAR',
      start_date: 'DATE',
      end_date: 'DATE',
    },
  },
  encounter: {
    // The secondary diagnoses travel as one field joined by the unit separator, and become a list again.
    select:
      'select person_id, place_id, kind, start_date, primary_diagnosis, ' +
      'array_to_string(secondary_diagnoses, chr(31)) as secondary_diagnoses from encounter',
    columns: {
      person_id: 'UUID',
      place_id: 'VARCHAR',
      kind: 'VARCHAR',
      start_date: 'DATE',
      primary_diagnosis: 'VARCHAR',
      secondary_diagnoses: 'VARCHAR',
    },
    load:
      'select person_id, place_id, kind, start_date, primary_diagnosis, ' +
      "case when coalesce(secondary_diagnoses, '') = '' then []::varchar[] " +
      'else string_split(secondary_diagnoses, chr(31)) end as secondary_diagnoses',
  },
  observation: {
    select: 'select person_id, place_id, code, value, observed_on from observation',
    columns: {
      person_id: 'UUID',
      place_id: 'VARCHAR',
      code: 'VARCHAR',
      value: 'DOUBLE',
      observed_on: 'DATE',
    },
  },
  social_care: {
    select: 'select person_id, place_id, service, start_date, end_date from social_care',
    columns: {
      person_id: 'UUID',
      place_id: 'VARCHAR',
      service: 'VARCHAR',
      start_date: 'DATE',
      end_date: 'DATE',
    },
  },
};

export type Source = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** Writes each input table as CSV (PostgreSQL's COPY … TO), from the server or from the PGlite folder. */
export async function exportInputs(source: Source, dir: string): Promise<void> {
  if (source.kind === 'postgres') {
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    try {
      for (const [table, e] of Object.entries(EXPORTS)) {
        const stream = client.query(copyTo(`copy (${e.select}) to stdout with (format csv, header)`));
        await pipeline(stream, createWriteStream(path.join(dir, `${table}.csv`)));
      }
    } finally {
      await client.end();
    }
    return;
  }
  const release = lockDataDir(source.dataDir);
  try {
    const pglite = await openPglite({ dataDir: path.join(source.dataDir, 'pglite') });
    try {
      for (const [table, e] of Object.entries(EXPORTS)) {
        const result = await pglite.query(`copy (${e.select}) to '/dev/blob' with (format csv, header)`);
        if (!result.blob) throw new Error(`PGlite returned no CSV for ${table}`);
        writeFileSync(path.join(dir, `${table}.csv`), Buffer.from(await result.blob.arrayBuffer()));
      }
    } finally {
      await pglite.close();
    }
  } finally {
    release();
  }
}

export const lit = (v: string) => `'${v.replaceAll("'", "''")}'`;
export const litOrNull = (v: string | number | null) =>
  v === null ? 'null' : typeof v === 'number' ? String(v) : lit(v);
/** A double as PostgreSQL's float8 output writes it: whole numbers without a decimal point. */
export const float8Text = (column: string) =>
  `case when ${column} = trunc(${column}) and abs(${column}) < 1e15 then ${column}::bigint::varchar else ${column}::varchar end`;
export const date = (v: string) => `date ${lit(v)}`;
export const list = (vs: readonly string[]) => vs.map(lit).join(', ');

/** The result tables, with the product migration's columns. */
export const DUCKDB_RESULT_TABLES = `
  create table risk_code (model varchar not null, code varchar not null, item varchar not null,
    label varchar not null, points decimal(18, 3) not null);
  create table person_risk (
    person_id uuid not null, place_id varchar not null, age integer not null, sex varchar not null,
    neighbourhood_code varchar not null, ward_code varchar not null, lsoa_code varchar not null,
    practice_code varchar not null, imd_decile integer not null, imd_quintile integer not null,
    core20 boolean not null, plus_ethnic_minority boolean not null, plus_learning_disability boolean not null,
    plus_multimorbidity boolean not null, clinical_areas varchar[] not null, conditions varchar[] not null,
    ltc_count integer not null, efi_deficits integer not null, efi_score double not null,
    efi_band varchar not null, hfrs_score decimal(18, 3) not null, hfrs_band varchar not null,
    charlson_score integer not null, charlson_band varchar not null, ed_12m integer not null,
    emergency_12m integer not null, frequent_attender boolean not null, segment varchar not null,
    ${ACTIVITY_KINDS.map((k) => `${ACTIVITY_COLUMN[k]} integer[] not null`).join(', ')},
    planning_opt_out boolean not null, risk_order bigint not null);
  create table score_contribution (
    person_id uuid not null, model varchar not null, item varchar not null, place_id varchar not null,
    label varchar not null, points decimal(18, 3) not null, evidence varchar not null, evidence_date date);
  create table stratification_run (place_id varchar primary key, as_of date not null,
    model_versions varchar not null, people integer not null, duration_ms integer not null,
    computed_at timestamptz not null);`;

/**
 * stratify-models.store.ts's steps as DuckDB SQL, one for one, with the same labels: `[label, sql]`; a null
 * label is a statement whose time falls into the next labelled step, as it does there.
 */
export function duckdbSteps(lists: RiskCodeLists, placeId: string): [string | null, string][] {
  const place = lit(placeId);
  const asOf = date(AS_OF);
  const oneYearBefore = date(yearsBefore(AS_OF, 1));
  const periodStarts = ACTIVITY_MONTHS.map((m) => date(monthsBefore(AS_OF, m)));
  const longest = periodStarts[periodStarts.length - 1] ?? asOf;
  const periodCounts = `[${periodStarts.map((from) => `count(*) filter (where e.start_date > ${from})::int`).join(', ')}]`;
  const twelveMonths = ACTIVITY_MONTHS.indexOf(12) + 1;
  const noActivity = `[${ACTIVITY_MONTHS.map(() => '0').join(', ')}]::int[]`;
  const hfrsFrom = date(yearsBefore(AS_OF, HFRS_LOOK_BACK_YEARS));
  const charlsonFrom = date(yearsBefore(AS_OF, CHARLSON_LOOK_BACK_YEARS));
  const has = (item: string) => `list_contains(f.conditions, ${lit(item)})`;
  const hasAny = (items: string[]) => `list_has_any(f.conditions, [${list(items)}])`;
  const outranked = Object.entries(CHARLSON_HIERARCHY)
    .map(([mild, severe]) => `(c.item = ${lit(mild)} and list_contains(c.categories, ${lit(severe)}))`)
    .join(' or ');
  const steps: [string | null, string][] = [
    [null, 'delete from risk_value_rule'],
    [null, 'insert into risk_value_rule select * from risk_value_rule_input'],
    [null, 'delete from risk_code'],
    [null, 'insert into risk_code select model, code, item, label, points from risk_code_input'],
    [
      'residents alive on the date',
      `create temp table sr_person as
       select p.id as person_id, p.sex, p.lsoa_code, p.practice_code, p.ethnic_category,
              p.national_data_opt_out or p.type1_objection as planning_opt_out,
              (year(${asOf}) - year(p.date_of_birth)
                - case when (month(${asOf}), day(${asOf})) < (month(p.date_of_birth), day(p.date_of_birth))
                       then 1 else 0 end)::int as age,
              l.neighbourhood_code, l.ward_code, l.imd2019_decile as imd_decile,
              exists (
                select 1 from social_care s
                where s.person_id = p.id and s.place_id = p.place_id
                  and s.service in ('home-care', 'care-home-permanent')
                  and s.start_date <= ${asOf} and (s.end_date is null or s.end_date > ${asOf})
              ) as has_long_term_care
       from person p
       join lsoa l on l.place_id = p.place_id and l.code = p.lsoa_code
       where p.place_id = ${place}
         and p.date_of_birth <= ${asOf}
         and (p.date_of_death is null or p.date_of_death > ${asOf})`,
    ],
    // The place's new rows are built in fresh tables without keys, then swapped in at the end.
    [null, 'create table score_contribution_new as select * from score_contribution limit 0'],
    [null, 'create table person_risk_new as select * from person_risk limit 0'],
    [
      'eFI deficits and long-term conditions',
      `insert into score_contribution_new (person_id, model, item, place_id, label, points, evidence, evidence_date)
       select distinct on (c.person_id, rc.model, rc.item)
              c.person_id, rc.model, rc.item, ${place}, rc.label, rc.points, c.code, c.onset_date
       from condition c
       join sr_person sp on sp.person_id = c.person_id
       join risk_code rc on rc.model in ('efi', 'ltc') and rc.code = c.code
       where c.place_id = ${place} and c.onset_date <= ${asOf}
       order by c.person_id, rc.model, rc.item, c.onset_date, c.code`,
    ],
    [
      'eFI test results',
      `insert into score_contribution_new (person_id, model, item, place_id, label, points, evidence, evidence_date)
       select distinct on (l.person_id, l.deficit)
              l.person_id, 'efi', l.deficit, ${place}, coalesce(d.label, l.deficit), 1,
              l.code || ' = ' || ${float8Text('l.value')} || ' (' || l.observed_on::varchar || ')', l.observed_on
       from (
         select distinct on (o.person_id, r.rule_number)
                o.person_id, r.rule_number, r.deficit, trim(o.code) as code, o.value, o.observed_on
         from observation o
         join sr_person sp on sp.person_id = o.person_id
         join (select distinct rule_number, deficit, code, sex, look_back_years from risk_value_rule) r
           on r.code = trim(o.code) and (r.sex is null or r.sex = sp.sex)
         where o.place_id = ${place} and o.observed_on <= ${asOf}
           and (r.look_back_years is null or o.observed_on > ${asOf} - to_years(r.look_back_years))
         order by o.person_id, r.rule_number, o.observed_on desc, trim(o.code)
       ) l
       left join (select distinct item, label from risk_code where model = 'efi') d on d.item = l.deficit
       where exists (
           select 1 from risk_value_rule r
           where r.rule_number = l.rule_number and r.code = l.code
             and (r.above is null or l.value > r.above) and (r.below is null or l.value < r.below))
         and not exists (
           select 1 from score_contribution_new c
           where c.person_id = l.person_id and c.model = 'efi' and c.item = l.deficit)
       order by l.person_id, l.deficit, l.rule_number`,
    ],
    [
      'eFI polypharmacy',
      `insert into score_contribution_new (person_id, model, item, place_id, label, points, evidence, evidence_date)
       select m.person_id, 'efi', ${lit(POLYPHARMACY)}, ${place}, ${lit(polypharmacyLabel(lists))}, 1,
              'polypharmacy: ' || count(*) || ' medicines', null
       from (
         select distinct m.person_id, lower(trim(m.medicine))
         from medication m
         join sr_person sp on sp.person_id = m.person_id
         where m.place_id = ${place} and m.start_date <= ${asOf}
           and (m.end_date is null or m.end_date > ${oneYearBefore})
       ) m
       group by m.person_id
       having count(*) >= ${POLYPHARMACY_MEDICINES}`,
    ],
    [
      'hospital encounters',
      `create temp table sr_encounter as
       select e.person_id, e.kind, e.start_date, e.primary_diagnosis, e.secondary_diagnoses
       from encounter e
       join sr_person sp on sp.person_id = e.person_id
       where e.place_id = ${place} and e.kind in (${list(ENCOUNTER_KINDS)})
         and e.start_date > least(${longest}, ${hfrsFrom}, ${charlsonFrom})
         and e.start_date <= ${asOf}`,
    ],
    [
      'hospital activity',
      `create temp table sr_activity as
       select k.person_id,
              ${ACTIVITY_KINDS.map((kind) => `min(k.counts) filter (where k.kind = ${lit(kind)}) as ${ACTIVITY_COLUMN[kind]}`).join(', ')}
       from (
         select e.person_id, e.kind, ${periodCounts} as counts
         from sr_encounter e
         where e.kind in (${list(ACTIVITY_KINDS)}) and e.start_date > ${longest}
         group by e.person_id, e.kind
       ) k
       group by k.person_id`,
    ],
    [
      'hospital diagnoses',
      `create temp table sr_diagnosis as
       select person_id, kind, start_date, upper(replace(trim(code), '.', '')) as code
       from (
         select s.person_id, s.kind, s.start_date,
                unnest(list_prepend(s.primary_diagnosis, s.secondary_diagnoses)) as code
         from sr_encounter s
         where s.kind in (${list(ADMITTED)}) and s.start_date > least(${hfrsFrom}, ${charlsonFrom})
       ) d
       where code is not null and trim(code) <> ''`,
    ],
    [
      'Hospital Frailty Risk Score',
      `insert into score_contribution_new (person_id, model, item, place_id, label, points, evidence, evidence_date)
       select distinct on (d.person_id, rc.item)
              d.person_id, 'hfrs', rc.item, ${place}, rc.label, rc.points, d.code, d.start_date
       from sr_diagnosis d
       join risk_code rc on rc.model = 'hfrs' and rc.code = left(d.code, 3)
       where d.kind = ${lit(EMERGENCY)} and d.start_date > ${hfrsFrom}
       order by d.person_id, rc.item, d.start_date desc, d.code`,
    ],
    [
      'Charlson index',
      `insert into score_contribution_new (person_id, model, item, place_id, label, points, evidence, evidence_date)
       select c.person_id, 'charlson', c.item, ${place}, c.label,
              case when ${outranked} then 0 else c.points end, c.code, c.start_date
       from (
         select f.*, array_agg(f.item) over (partition by f.person_id) as categories
         from (
           select distinct on (m.person_id, m.item) m.person_id, m.item, m.label, m.points, m.code, m.start_date
           from (
             select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
             from sr_diagnosis d join risk_code rc on rc.model = 'charlson' and rc.code = left(d.code, 3)
             where d.start_date > ${charlsonFrom}
             union all
             select d.person_id, rc.item, rc.label, rc.points, d.code, d.start_date
             from sr_diagnosis d join risk_code rc on rc.model = 'charlson' and rc.code = left(d.code, 4)
             where d.start_date > ${charlsonFrom} and length(d.code) >= 4
           ) m
           order by m.person_id, m.item, m.start_date, m.code
         ) f
       ) c
       order by c.person_id, c.item`,
    ],
  ];
  steps.push([
    'scores, flags and segments',
    `insert into person_risk_new
       with model_sums as (
         select person_id,
                count(*) filter (where model = 'efi')::int as efi_deficits,
                coalesce(sum(points) filter (where model = 'hfrs'), 0) as hfrs_score,
                coalesce(sum(points) filter (where model = 'charlson'), 0)::int as charlson_score,
                array_agg(item order by item) filter (where model = 'ltc') as conditions
         from score_contribution_new group by person_id
       ),
       facts as (
         select sp.*,
                coalesce(ms.efi_deficits, 0) as efi_deficits,
                coalesce(ms.hfrs_score, 0) as hfrs_score,
                coalesce(ms.charlson_score, 0) as charlson_score,
                coalesce(ms.conditions, []::varchar[]) as conditions,
                coalesce(a.ed_counts[${twelveMonths}], 0) as ed_12m,
                coalesce(a.emergency_admission_counts[${twelveMonths}], 0) as emergency_12m,
                ${ACTIVITY_KINDS.map((k) => `coalesce(a.${ACTIVITY_COLUMN[k]}, ${noActivity}) as ${ACTIVITY_COLUMN[k]}`).join(', ')}
         from sr_person sp
         left join model_sums ms on ms.person_id = sp.person_id
         left join sr_activity a on a.person_id = sp.person_id
       )
       select f.person_id, ${place}, f.age, f.sex, f.neighbourhood_code, f.ward_code, f.lsoa_code,
              f.practice_code, f.imd_decile, (f.imd_decile + 1) // 2,
              f.imd_decile <= ${CORE20_MAX_DECILE},
              f.ethnic_category in (${list(ETHNIC_MINORITY_CATEGORIES)}),
              ${has('learning-disability')},
              len(f.conditions) >= ${MULTIMORBIDITY_CONDITIONS},
              list_filter([
                case when f.age >= 18 and ${has('severe-mental-illness')} then 'adult-smi' end,
                case when f.age >= 18 and ${has('copd')} then 'adult-respiratory' end,
                case when f.age >= 18 and ${has('hypertension')} then 'adult-hypertension' end,
                case when f.age >= 18 and ${has('cancer')} then 'adult-cancer' end,
                case when f.age < 25 and ${has('asthma')} then 'cyp-asthma' end,
                case when f.age < 25 and ${has('diabetes')} then 'cyp-diabetes' end,
                case when f.age < 25 and ${has('epilepsy')} then 'cyp-epilepsy' end,
                case when f.age < 18 and ${hasAny(['depression', 'severe-mental-illness'])}
                     then 'cyp-mental-health' end
              ]::varchar[], lambda x: x is not null),
              f.conditions, len(f.conditions),
              f.efi_deficits, f.efi_deficits / ${EFI_DEFICIT_COUNT},
              case when f.efi_deficits <= 4 then 'fit' when f.efi_deficits <= 8 then 'mild'
                   when f.efi_deficits <= 12 then 'moderate' else 'severe' end,
              f.hfrs_score,
              case when f.hfrs_score < 5 then 'low' when f.hfrs_score <= 15 then 'intermediate' else 'high' end,
              f.charlson_score,
              case when f.charlson_score = 0 then '0' when f.charlson_score <= 2 then '1-2'
                   when f.charlson_score <= 4 then '3-4' else '5+' end,
              f.ed_12m, f.emergency_12m, f.ed_12m >= ${FREQUENT_ATTENDER_ED},
              case
                when ${has('cancer')} and f.emergency_12m > 0 then 'short-decline'
                when ${has('heart-failure')}
                  or (${hasAny(['copd', 'ckd'])} and f.emergency_12m > 0) then 'organ-failure'
                when ${has('dementia')} or f.efi_deficits > 8 then 'frailty-dementia'
                when ${has('learning-disability')} or (f.age < 65 and f.has_long_term_care)
                  then 'stable-disability'
                when len(f.conditions) > 0 then 'chronic-conditions'
                when f.age < 1 then 'maternal-infant'
                when f.ed_12m + f.emergency_12m > 0 then 'acutely-ill'
                else 'healthy'
              end,
              ${ACTIVITY_KINDS.map((k) => `f.${ACTIVITY_COLUMN[k]}`).join(', ')},
              f.planning_opt_out,
              f.efi_deficits::bigint * 1000000000 + (f.hfrs_score * 10)::bigint * 10000
                + least(f.emergency_12m, 9999)
       from facts f`,
  ]);
  steps.push([
    'indexes and swap',
    'drop table score_contribution; alter table score_contribution_new rename to score_contribution; ' +
      'drop table person_risk; alter table person_risk_new rename to person_risk',
  ]);
  return steps;
}

export interface Peer extends Measured {
  version: string;
  threads: string;
  loadMs: number;
  rows: Record<string, number>;
}

/** Loads the inputs into an in-memory DuckDB (not timed), then times the same stratification there. */
export async function measureDuckdb(
  source: Source,
  lists: RiskCodeLists,
  perResident: boolean,
  place: string,
): Promise<Peer> {
  const dir = tempDir('joinedup-bench-duckdb-');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const rows: Rows = async (q) => (await con.runAndReadAll(q)).getRowObjectsJS();
  try {
    const t0 = performance.now();
    await exportInputs(source, dir);
    for (const [table, e] of Object.entries(EXPORTS)) {
      const columns = Object.entries(e.columns)
        .map(([c, t]) => `${lit(c)}: ${lit(t)}`)
        .join(', ');
      const read =
        `read_csv(${lit(path.join(dir, `${table}.csv`))}, header = true, delim = ',', quote = '"', ` +
        `escape = '"', allow_quoted_nulls = false, columns = {${columns}})`;
      await con.run(`create table ${table} as ${e.load ?? 'select *'} from ${read}`);
    }
    await con.run(
      'create table risk_code_input (model varchar, code varchar, item varchar, label varchar, points double)',
    );
    const appender = await con.createAppender('risk_code_input');
    for (const r of riskCodeRows(lists)) {
      appender.appendVarchar(r.model);
      appender.appendVarchar(r.code);
      appender.appendVarchar(r.item);
      appender.appendVarchar(r.label);
      appender.appendDouble(r.points);
      appender.endRow();
    }
    appender.closeSync();
    await con.run(
      'create table risk_value_rule (rule_number integer not null, deficit varchar not null, code varchar not null, ' +
        'sex varchar, range_number integer not null, above double, below double, look_back_years integer); ' +
        'create table risk_value_rule_input as select * from risk_value_rule limit 0',
    );
    const valueRules = riskValueRuleRows(lists).map(
      (r) =>
        `(${[r.rule_number, r.deficit, r.code, r.sex, r.range_number, r.above, r.below, r.look_back_years].map(litOrNull).join(', ')})`,
    );
    if (valueRules.length > 0)
      await con.run(`insert into risk_value_rule_input values ${valueRules.join(', ')}`);
    const loadMs = performance.now() - t0;
    const counts: Record<string, number> = {};
    for (const table of Object.keys(EXPORTS))
      counts[table] = Number((await rows(`select count(*) as c from ${table}`))[0]?.c);

    const steps = duckdbSteps(lists, place);
    const runOnce = async (): Promise<Run & { people: number }> => {
      const started = performance.now();
      let last = started;
      const timed: [string, number][] = [];
      let residents = 0;
      await con.run('begin transaction');
      try {
        for (const [label, statement] of steps) {
          await con.run(statement);
          if (label === null) continue;
          const now = performance.now();
          timed.push([label, now - last]);
          last = now;
        }
        const c = (
          await rows(`
          select (select count(*) from sr_person)::int as people,
                 (select count(*) from person p
                  where p.place_id = ${lit(place)}
                    and not exists (select 1 from lsoa l where l.place_id = p.place_id and l.code = p.lsoa_code))::int as outside`)
        )[0];
        residents = Number(c?.people);
        await con.run(`
          insert into stratification_run values (${lit(place)}, ${date(AS_OF)}, ${lit(JSON.stringify(MODEL_VERSIONS))},
            ${residents}, ${Math.round(performance.now() - started)}, now())
          on conflict (place_id) do update set as_of = excluded.as_of, model_versions = excluded.model_versions,
            people = excluded.people, duration_ms = excluded.duration_ms, computed_at = excluded.computed_at`);
        // PostgreSQL drops its temporary tables at commit; here they go just before it.
        await con.run(
          'drop table sr_person; drop table sr_encounter; drop table sr_activity; drop table sr_diagnosis',
        );
        await con.run('commit');
      } catch (e) {
        await con.run('rollback').catch(() => {});
        throw e;
      }
      return { ms: performance.now() - started, steps: timed, people: residents };
    };
    await con.run(DUCKDB_RESULT_TABLES);
    // One untimed run first, so that every timed run replaces earlier results, as ours do.
    await runOnce();
    const runs: Run[] = [];
    let people = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await runOnce();
      runs.push({ ms: r.ms, steps: r.steps });
      people = r.people;
    }
    const check = await readCheck(rows, 'len', perResident, place);
    const about = (await rows(`select version() as v, current_setting('threads')::text as t`))[0];
    return {
      engine: 'DuckDB',
      runs,
      people,
      check,
      version: String(about?.v),
      threads: String(about?.t),
      loadMs,
      rows: counts,
    };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}
