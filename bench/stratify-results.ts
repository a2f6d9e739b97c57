// What the stratification bench measures on each side, and what both sides must agree on: a run's time
// and steps, and the results read back the same way from PostgreSQL, PGlite and DuckDB (aggregates
// always, every resident's row at Bury scale). A peer that computes something else is no peer.
import { type Kysely, sql } from 'kysely';
import { ACTIVITY_KINDS, ACTIVITY_MONTHS } from '../src/core/cohort-rules.ts';
import type { Database } from '../src/db/database.ts';
import { ACTIVITY_COLUMN } from '../src/risk/stratify-models.store.ts';

/** The date every run scores as of, and how many runs each side makes. */
export const AS_OF = '2025-12-31';
export const RUNS = 3;

export const n = (v: number) => Math.round(v).toLocaleString('en-GB');

export interface Run {
  ms: number;
  steps: [string, number][];
}

export interface Measured {
  engine: string;
  runs: Run[];
  people: number;
  check: Check;
}

/** What both sides must agree on: aggregate figures always, and every resident's row at Bury scale. */
export interface Check {
  /** The columns of the result tables, so that a column the peer does not compute fails the bench. */
  columns: Map<string, string[]>;
  summary: Map<string, string>;
  /** person id → the resident's scores, flags and contributions, or null when not compared one by one. */
  residents: Map<string, string> | null;
}

export function medianRun(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as Run;
}

export type Rows = (query: string) => Promise<Record<string, unknown>[]>;

export function postgresRows(db: Kysely<Database>): Rows {
  return async (query) => (await sql.raw<Record<string, unknown>>(query).execute(db)).rows;
}

// ---- The results both sides must agree on -------------------------------------------------------

/** The same SQL runs on both sides; only the length of an array is spelt differently. */
export async function readCheck(
  rows: Rows,
  arrayLength: string,
  perResident: boolean,
  place: string,
): Promise<Check> {
  const where = `where place_id = '${place}'`;
  const summary = new Map<string, string>();
  const grouped = (label: string, column: string) =>
    `select '${label} ' || ${column} as k, count(*)::text as v from person_risk ${where} group by ${column}`;
  const totals: [string, string][] = [
    ['residents', 'count(*)'],
    ['sum of hfrs_score (tenths)', 'round(sum(hfrs_score) * 10)'],
    ['sum of charlson_score', 'sum(charlson_score)'],
    ['sum of efi_deficits', 'sum(efi_deficits)'],
    ['sum of efi_score (millionths)', 'round(sum(efi_score) * 1000000)'],
    ['sum of ltc_count', 'sum(ltc_count)'],
    ['sum of ed_12m', 'sum(ed_12m)'],
    ['sum of risk_order', 'sum(risk_order)'],
    ['sum of emergency_12m', 'sum(emergency_12m)'],
    ['sum of age', 'sum(age)'],
    ['sum of imd_quintile', 'sum(imd_quintile)'],
    ['clinical areas', `sum(${arrayLength}(clinical_areas))`],
    ['core20', 'count(*) filter (where core20)'],
    ['plus_ethnic_minority', 'count(*) filter (where plus_ethnic_minority)'],
    ['plus_learning_disability', 'count(*) filter (where plus_learning_disability)'],
    ['plus_multimorbidity', 'count(*) filter (where plus_multimorbidity)'],
    ['frequent_attender', 'count(*) filter (where frequent_attender)'],
    ...ACTIVITY_KINDS.flatMap((k) =>
      ACTIVITY_MONTHS.map((m, i): [string, string] => [
        `${k} in ${m} months`,
        `sum(${ACTIVITY_COLUMN[k]}[${i + 1}])`,
      ]),
    ),
  ];
  const queries = [
    totals
      .map(([k, e]) => `select '${k}' as k, coalesce((${e})::bigint, 0)::text as v from person_risk ${where}`)
      .join(' union all '),
    grouped('segment', 'segment'),
    grouped('eFI band', 'efi_band'),
    grouped('HFRS band', 'hfrs_band'),
    grouped('Charlson band', 'charlson_band'),
    `select 'contribution rows' as k, count(*)::text as v from score_contribution ${where}`,
    `select 'contribution rows ' || model as k, count(*)::text as v from score_contribution ${where} group by model`,
    `select 'contribution points (tenths) ' || model as k, round(sum(points) * 10)::bigint::text as v
     from score_contribution ${where} group by model`,
    `select 'contributions with a date ' || model as k, count(evidence_date)::text as v
     from score_contribution ${where} group by model`,
  ];
  for (const q of queries) for (const r of await rows(q)) summary.set(String(r.k), String(r.v));
  const columns = new Map<string, string[]>();
  const fingerprints = new Map<string, string>();
  for (const table of ['person_risk', 'score_contribution']) {
    const found = await rows(`
      select column_name::text as name, lower(data_type::text) as type from information_schema.columns
      where table_schema = current_schema() and table_name = '${table}' order by column_name`);
    columns.set(
      table,
      found.map((c) => String(c.name)),
    );
    fingerprints.set(
      table,
      found
        .map((c) => `'${c.name}=' || coalesce(${asText(String(c.name), String(c.type))}, '∅')`)
        .join(" || '|' || "),
    );
  }
  if (!perResident) return { columns, summary, residents: null };

  // Every column of every row, written the same way on both sides.
  const residents = new Map<string, string>();
  const resident = await rows(
    `select person_id::text as id, ${fingerprints.get('person_risk')} as fp from person_risk ${where}`,
  );
  for (const r of resident) residents.set(String(r.id), String(r.fp));
  const contributions = await rows(`
    select person_id::text as id, string_agg(${fingerprints.get('score_contribution')}, chr(30)) as fp
    from score_contribution ${where} group by person_id`);
  for (const r of contributions) {
    const id = String(r.id);
    const items = String(r.fp).split('\x1e').sort().join(' ; ');
    residents.set(id, `${residents.get(id) ?? '(no person_risk row)'} || ${items}`);
  }
  return { columns, summary, residents };
}

/** A column as text both sides write alike: booleans as 1/0, arrays joined, fractions in millionths. */
export function asText(column: string, type: string): string {
  if (type === 'boolean') return `case when ${column} then '1' else '0' end`;
  if (type === 'array' || type.endsWith('[]')) return `array_to_string(${column}, ',')`;
  if (/^(numeric|decimal|double|real|float)/.test(type)) return `round(${column} * 1000000)::bigint::text`;
  return `${column}::text`;
}

/** Throws, naming the first differences, unless both sides computed the same. */
export function assertSame(a: Measured, b: Measured): string {
  const problems: string[] = [];
  for (const [table, ca] of a.check.columns) {
    const cb = b.check.columns.get(table) ?? [];
    const only = (xs: string[], ys: string[]) => xs.filter((x) => !ys.includes(x)).join(', ');
    if (ca.join() !== cb.join())
      problems.push(
        `${table} columns differ (only in ${a.engine}: ${only(ca, cb) || 'none'}; only in ${b.engine}: ` +
          `${only(cb, ca) || 'none'}): update the peer's SQL in bench/stratify.bench.ts to compute them`,
      );
  }
  for (const k of new Set([...a.check.summary.keys(), ...b.check.summary.keys()])) {
    const x = a.check.summary.get(k) ?? '(none)';
    const y = b.check.summary.get(k) ?? '(none)';
    if (x !== y) problems.push(`${k}: ${a.engine} ${x}, ${b.engine} ${y}`);
  }
  let compared = 'the aggregate figures';
  const ra = a.check.residents;
  const rb = b.check.residents;
  if (ra && rb) {
    let differing = 0;
    for (const id of new Set([...ra.keys(), ...rb.keys()])) {
      const x = ra.get(id);
      const y = rb.get(id);
      if (x === y) continue;
      differing++;
      if (differing <= 3)
        problems.push(`resident ${id}: ${a.engine} [${x ?? 'missing'}], ${b.engine} [${y ?? 'missing'}]`);
    }
    if (differing > 3) problems.push(`… ${n(differing)} residents differ in all`);
    compared = `every column of every resident's \`person_risk\` row and \`score_contribution\` rows (${n(ra.size)} residents)`;
  }
  if (problems.length > 0)
    throw new Error(
      `${a.engine} and ${b.engine} do not compute the same stratification:\n  ${problems.slice(0, 20).join('\n  ')}`,
    );
  return compared;
}
