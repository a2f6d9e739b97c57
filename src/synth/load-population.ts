// Writing a synthetic population into the database. People are generated in batches and bulk-loaded
// (COPY) into staging tables, each batch its own short write; then one transaction swaps them in for
// the place's previous synthetic people. A crash or kill before the swap leaves the previous
// population as it was; the swap itself is all or nothing.

import { sql } from 'kysely';
import { deleteCaseRecordsOf } from '../cases/case.store.ts';
import type { Db } from '../db/create-db.ts';
import { GENERATOR_VERSION, type Generation, generatePeople, type SynthPerson } from './generate.ts';

type Cell = string | number | boolean | null | readonly string[];

/** One CSV field in PostgreSQL's CSV format: unquoted empty is NULL, so empty text is quoted. */
function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : `{${value.join(',')}}`;
  return text === '' || /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const line = (cells: readonly Cell[]) => `${cells.map(field).join(',')}\n`;

const TABLES = {
  person: [
    'id',
    'place_id',
    'nhs_number',
    'given_name',
    'family_name',
    'sex',
    'date_of_birth',
    'ethnic_category',
    'lsoa_code',
    'practice_code',
    'date_of_death',
    'cause_of_death',
    'source',
    'synthetic_index',
    'national_data_opt_out',
    'type1_objection',
  ],
  condition: ['person_id', 'seq', 'place_id', 'code_system', 'code', 'term', 'condition', 'onset_date'],
  medication: ['person_id', 'seq', 'place_id', 'medicine', 'name', 'bnf_section', 'start_date', 'end_date'],
  encounter: [
    'person_id',
    'seq',
    'place_id',
    'kind',
    'start_date',
    'end_date',
    'length_of_stay',
    'primary_diagnosis',
    'secondary_diagnoses',
    'is_readmission',
    'arrival_by_ambulance',
  ],
  social_care: ['person_id', 'seq', 'place_id', 'service', 'start_date', 'end_date'],
} as const;
type Table = keyof typeof TABLES;
const RECORD_TABLES: readonly Exclude<Table, 'person'>[] = [
  'condition',
  'medication',
  'encounter',
  'social_care',
];

export const SNOMED = 'http://snomed.info/sct';

/** The rows one person adds to each table, as CSV text appended to `out`. */
function appendRows(p: SynthPerson, place: string, out: Record<Table, string[]>): void {
  out.person.push(
    line([
      p.id,
      place,
      p.nhsNumber,
      p.givenName,
      p.familyName,
      p.sex,
      p.dateOfBirth,
      p.ethnicCategory,
      p.lsoa,
      p.practice,
      p.dateOfDeath,
      p.causeOfDeath,
      'synthetic',
      p.index,
      p.nationalDataOptOut,
      p.type1Objection,
    ]),
  );
  p.conditions.forEach((c, i) => {
    out.condition.push(line([p.id, i + 1, place, SNOMED, c.snomed, c.term, c.condition, c.onset]));
  });
  p.medicines.forEach((m, i) => {
    out.medication.push(line([p.id, i + 1, place, m.medicine, m.name, m.bnf, m.start, m.end]));
  });
  p.encounters.forEach((e, i) => {
    out.encounter.push(
      line([
        p.id,
        i + 1,
        place,
        e.kind,
        e.start,
        e.end,
        e.lengthOfStay,
        e.primaryDiagnosis,
        e.secondaryDiagnoses,
        e.isReadmission,
        e.arrivalByAmbulance,
      ]),
    );
  });
  p.socialCare.forEach((s, i) => {
    out.social_care.push(line([p.id, i + 1, place, s.service, s.start, s.end]));
  });
}

const stage = (table: Table, place: string) => `stage_${table}_${place.replaceAll('-', '_')}`;

export interface LoadProgress {
  /** People generated and written to staging so far. */
  done: number;
  total: number;
  phase: 'writing' | 'swapping' | 'done';
}

export interface LoadResult {
  people: number;
  rows: Record<Table, number>;
  seconds: number;
}

/** Generates the whole population of `g` and swaps it in for the place's previous synthetic people. */
export async function loadSyntheticPopulation(
  db: Db,
  g: Generation,
  onProgress: (p: LoadProgress) => void = () => {},
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<LoadResult> {
  const batchSize = options.batchSize ?? 10_000;
  const stopIfAsked = () => options.signal?.throwIfAborted();
  const started = performance.now();
  const place = g.inputs.place.id;
  const total = g.options.people;
  const rows = { person: 0, condition: 0, medication: 0, encounter: 0, social_care: 0 };

  // Staging tables of the previous run, if it was killed, are simply replaced.
  for (const table of Object.keys(TABLES) as Table[]) {
    await sql`drop table if exists ${sql.table(stage(table, place))}`.execute(db.kysely);
    await sql`create unlogged table ${sql.table(stage(table, place))} (like ${sql.table(table)} including defaults)`.execute(
      db.kysely,
    );
  }

  const fresh = (): Record<Table, string[]> => ({
    person: [],
    condition: [],
    medication: [],
    encounter: [],
    social_care: [],
  });
  let batch = fresh();
  let inBatch = 0;
  let done = 0;
  const flush = async () => {
    stopIfAsked();
    for (const table of Object.keys(TABLES) as Table[]) {
      const lines = batch[table];
      if (lines.length === 0) continue;
      await db.copyCsv(stage(table, place), TABLES[table], lines.join(''));
      rows[table] += lines.length;
    }
    done += inBatch;
    batch = fresh();
    inBatch = 0;
    onProgress({ done, total, phase: 'writing' });
  };
  for (const person of generatePeople(g)) {
    appendRows(person, place, batch);
    inBatch++;
    if (inBatch === batchSize) await flush();
  }
  await flush();
  stopIfAsked(); // the last moment to stop: after this the swap is all or nothing

  onProgress({ done, total, phase: 'swapping' });
  await db.kysely.transaction().execute(async (tx) => {
    const previous = sql`select id from person where place_id = ${place} and source = 'synthetic'`;
    // Observations are not generated, but any recorded for synthetic people go with them.
    for (const table of [...RECORD_TABLES, 'observation'])
      await sql`delete from ${sql.table(table)} where person_id in (${previous})`.execute(tx);
    // Cases, referrals and MDT items about people who no longer exist go with them.
    await deleteCaseRecordsOf(tx, previous);
    await sql`delete from person where place_id = ${place} and source = 'synthetic'`.execute(tx);
    for (const table of Object.keys(TABLES) as Table[]) {
      const columns = sql.join(TABLES[table].map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from ${sql.table(stage(table, place))}`.execute(
        tx,
      );
    }
    const run = {
      seed: g.options.seed,
      people: total,
      window_start: g.options.start,
      window_end: g.options.end,
      generator_version: GENERATOR_VERSION,
      parameters: JSON.stringify({
        mortality: g.mortality.parameters,
        conditionLevels: Object.fromEntries(g.conditionLevels),
        careHomeLevel: g.careHomeLevel,
      }),
      generated_at: new Date(),
    };
    await tx
      .insertInto('synthetic_run')
      .values({ place_id: place, ...run })
      .onConflict((oc) => oc.column('place_id').doUpdateSet(run))
      .execute();
    for (const table of Object.keys(TABLES) as Table[])
      await sql`drop table ${sql.table(stage(table, place))}`.execute(tx);
  });
  // Fresh statistics, so that the planner sees the new population's size (autovacuum may be off or
  // late, and PGlite has none).
  for (const table of Object.keys(TABLES) as Table[])
    await sql`analyze ${sql.table(table)}`.execute(db.kysely);
  onProgress({ done, total, phase: 'done' });
  return { people: done, rows, seconds: (performance.now() - started) / 1000 };
}
