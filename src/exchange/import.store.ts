// Writing a batch of import records, set-based, inside the caller's transaction. People are identified
// by NHS number through the person table's unique constraint (insert … on conflict), never by
// searching first; every record is remembered by its identity (import_identity), so a record sent
// again adds nothing and a record sent changed is updated in place. People without an NHS number are
// matched (person-match.ts): a sure match links, an uncertain one waits for review with its records,
// no match makes a new person. Nothing here commits: the caller's transaction makes a batch all or
// nothing, together with its checkpoint.
import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { candidateBirthDates, decide, type MatchFields, scorePair } from './person-match.ts';
import type { ImportIssue, ImportRecord, PersonOwnedRecord, PersonRecord } from './records.ts';

type Tx = Kysely<Database>;

export interface BatchItem {
  /** Line, row or entry, for messages. */
  readonly line: number;
  readonly record: ImportRecord;
}

export const COUNT_NAMES = [
  'peopleAdded',
  'peopleUpdated',
  'peopleUnchanged',
  'peopleLinked',
  'peopleForReview',
  'recordsAdded',
  'recordsUpdated',
  'recordsUnchanged',
  'recordsHeld',
  'organisationsKnown',
  'skipped',
  'rejected',
] as const;
export type Counts = Record<(typeof COUNT_NAMES)[number], number>;
export const noCounts = (): Counts => Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Counts;
export const addCounts = (a: Counts, b: Partial<Counts>): Counts =>
  Object.fromEntries(COUNT_NAMES.map((n) => [n, a[n] + (b[n] ?? 0)])) as Counts;

export interface BatchResult {
  counts: Counts;
  issues: ImportIssue[];
  /** Everyone whose record this batch wrote, for the audit trail. */
  personIds: string[];
}

/** What a batch checks records against: the place's areas and practices. */
export interface PlaceCodes {
  readonly placeId: string;
  readonly lsoas: ReadonlySet<string>;
  readonly practices: ReadonlySet<string>;
}

export async function placeCodes(db: Tx, placeId: string): Promise<PlaceCodes> {
  const [lsoas, practices] = await Promise.all([
    db.selectFrom('lsoa').select('code').where('place_id', '=', placeId).execute(),
    db.selectFrom('practice').select('ods_code').where('place_id', '=', placeId).execute(),
  ]);
  return {
    placeId,
    lsoas: new Set(lsoas.map((l) => l.code)),
    practices: new Set(practices.map((p) => p.ods_code)),
  };
}

/**
 * `in (select unnest(array))`: one parameter however many values (`in (…)` would bind each one), and
 * planned as a join; `= any(array)` of thousands of keys was planned as a filter over the whole index.
 */
const oneOf = (values: readonly string[]) => sql<string>`(select unnest(${[...new Set(values)]}::text[]))`;

/** Rows as one jsonb parameter, read back with jsonb_to_recordset: one statement for any batch size. */
const rowsParam = (rows: readonly object[]) => sql`${JSON.stringify(rows)}::jsonb`;

const PERSON_COLUMNS = [
  'given_name',
  'family_name',
  'sex',
  'date_of_birth',
  'ethnic_category',
  'lsoa_code',
  'practice_code',
  'date_of_death',
  'cause_of_death',
  'postcode',
  'national_data_opt_out',
  'type1_objection',
] as const;

export function personRow(p: PersonRecord) {
  return {
    nhs_number: p.nhsNumber,
    given_name: p.givenName,
    family_name: p.familyName,
    sex: p.sex,
    date_of_birth: p.dateOfBirth,
    ethnic_category: p.ethnicCategory,
    lsoa_code: p.lsoa,
    practice_code: p.practice,
    date_of_death: p.dateOfDeath,
    cause_of_death: p.causeOfDeath,
    postcode: p.postcode,
    national_data_opt_out: p.nationalDataOptOut,
    type1_objection: p.type1Objection,
  };
}

const PERSON_TYPES =
  sql.raw(`nhs_number text, given_name text, family_name text, sex text, date_of_birth date,
  ethnic_category text, lsoa_code text, practice_code text, date_of_death date, cause_of_death text, postcode text,
  national_data_opt_out boolean, type1_objection boolean`);

/** How each kind of record is stored: its table, and its columns with their SQL types and values. */
interface RecordTable<R extends PersonOwnedRecord> {
  table: 'condition' | 'medication' | 'encounter' | 'social_care' | 'observation';
  columns: Record<string, string>;
  row: (r: R) => Record<string, unknown>;
}
const RECORD_TABLES: {
  [K in PersonOwnedRecord['kind']]: RecordTable<Extract<PersonOwnedRecord, { kind: K }>>;
} = {
  condition: {
    table: 'condition',
    columns: { code_system: 'text', code: 'text', term: 'text', onset_date: 'date' },
    row: (r) => ({ code_system: r.codeSystem, code: r.code, term: r.term, onset_date: r.onsetDate }),
  },
  medication: {
    table: 'medication',
    columns: { medicine: 'text', name: 'text', bnf_section: 'text', start_date: 'date', end_date: 'date' },
    row: (r) => ({
      medicine: r.medicine,
      name: r.name,
      bnf_section: r.bnfSection,
      start_date: r.startDate,
      end_date: r.endDate,
    }),
  },
  encounter: {
    table: 'encounter',
    columns: {
      kind: 'text',
      start_date: 'date',
      end_date: 'date',
      length_of_stay: 'integer',
      primary_diagnosis: 'text',
      secondary_diagnoses: 'text[]',
      is_readmission: 'boolean',
      arrival_by_ambulance: 'boolean',
    },
    row: (r) => ({
      kind: r.encounterKind,
      start_date: r.startDate,
      end_date: r.endDate,
      length_of_stay: r.lengthOfStay,
      primary_diagnosis: r.primaryDiagnosis,
      secondary_diagnoses: r.secondaryDiagnoses,
      is_readmission: r.isReadmission,
      arrival_by_ambulance: r.arrivalByAmbulance,
    }),
  },
  'social-care': {
    table: 'social_care',
    columns: { service: 'text', start_date: 'date', end_date: 'date' },
    row: (r) => ({ service: r.service, start_date: r.startDate, end_date: r.endDate }),
  },
  observation: {
    table: 'observation',
    columns: {
      code_system: 'text',
      code: 'text',
      value: 'double precision',
      unit: 'text',
      observed_on: 'date',
    },
    row: (r) => ({
      code_system: r.codeSystem,
      code: r.code,
      value: r.value,
      unit: r.unit,
      observed_on: r.observedOn,
    }),
  },
};

const issueAt = (item: BatchItem, code: string, diagnostics: string, expression?: string): ImportIssue => ({
  severity: 'error',
  code,
  diagnostics,
  line: item.line,
  resourceKey: item.record.resourceKey,
  ...(expression ? { expression } : {}),
});

/** Only the last of several items with one identity is kept: the same resource twice in a batch. */
function lastOfEach<T extends BatchItem>(items: readonly T[], key: (i: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.delete(key(item));
    byKey.set(key(item), item);
  }
  return [...byKey.values()];
}

/** Writes one batch; returns its counts and the problems found while writing (unknown people, places). */
export async function writeBatch(
  tx: Tx,
  place: PlaceCodes,
  jobId: string,
  items: readonly BatchItem[],
): Promise<BatchResult> {
  const counts = noCounts();
  const issues: ImportIssue[] = [];
  const touched = new Set<string>();
  const people: BatchItem[] = [];
  const owned: BatchItem[] = [];
  for (const item of items) {
    const r = item.record;
    if (r.kind === 'organisation') {
      if (place.practices.has(r.odsCode)) counts.organisationsKnown++;
      else
        issues.push({
          ...issueAt(
            item,
            'not-found',
            `${r.odsCode} is not a GP practice of this place, so it is not taken in.`,
          ),
          severity: 'warning',
        });
    } else if (r.kind === 'person') {
      const problems: ImportIssue[] = [];
      if (!place.lsoas.has(r.lsoa))
        problems.push(
          issueAt(item, 'not-found', `${r.lsoa} is not an LSOA of this place.`, 'Patient.address'),
        );
      if (!place.practices.has(r.practice))
        problems.push(
          issueAt(
            item,
            'not-found',
            `${r.practice} is not a GP practice of this place.`,
            'Patient.generalPractitioner',
          ),
        );
      if (problems.length > 0) {
        issues.push(...problems);
        counts.rejected++;
      } else people.push(item);
    } else owned.push(item);
  }

  await writePeopleWithNhsNumber(tx, place.placeId, people, counts, issues, touched);
  await writePeopleWithoutNhsNumber(tx, place.placeId, jobId, people, counts, touched);
  await writeRecords(tx, place.placeId, owned, counts, issues, touched);
  return { counts, issues, personIds: [...touched] };
}

async function writePeopleWithNhsNumber(
  tx: Tx,
  placeId: string,
  items: readonly BatchItem[],
  counts: Counts,
  issues: ImportIssue[],
  touched: Set<string>,
): Promise<void> {
  const withNumber = items.filter((i) => i.record.kind === 'person' && i.record.nhsNumber !== null);
  if (withNumber.length === 0) return;
  const record = (i: BatchItem) => i.record as PersonRecord;
  const latest = lastOfEach(withNumber, (i) => record(i).nhsNumber ?? '');
  const rows = latest.map((i) => ({ id: randomUUID(), ...personRow(record(i)) }));
  const columns = sql.raw(PERSON_COLUMNS.join(', '));
  // An opt-out is recorded by an import but never cleared by one (records.ts).
  const excluded = sql.raw(
    PERSON_COLUMNS.map((c) =>
      c.endsWith('opt_out') || c.endsWith('objection') ? `person.${c} or excluded.${c}` : `excluded.${c}`,
    ).join(', '),
  );
  const current = sql.raw(PERSON_COLUMNS.map((c) => `person.${c}`).join(', '));
  const written = await sql<{ id: string; inserted: boolean }>`
    insert into person (id, place_id, nhs_number, ${columns}, source)
    select x.id, ${placeId}, x.nhs_number, ${columns}, 'import'
    from jsonb_to_recordset(${rowsParam(rows)}) as x(id uuid, ${PERSON_TYPES})
    on conflict (nhs_number) do update
      set (${columns}) = (${excluded})
      where person.place_id = excluded.place_id and (${current}) is distinct from (${excluded})
    returning id, (xmax = 0) as inserted`.execute(tx);
  const added = written.rows.filter((r) => r.inserted).length;
  counts.peopleAdded += added;
  counts.peopleUpdated += written.rows.length - added;

  const numbers = latest.map((i) => record(i).nhsNumber as string);
  const found = await tx
    .selectFrom('person')
    .select(['id', 'nhs_number', 'place_id'])
    .where('nhs_number', 'in', oneOf(numbers))
    .execute();
  const byNumber = new Map(found.map((p) => [p.nhs_number, p]));
  counts.peopleUnchanged += latest.length - written.rows.length;
  const identities: { resource_key: string; person_id: string }[] = [];
  for (const item of withNumber) {
    const person = byNumber.get(record(item).nhsNumber);
    if (!person || person.place_id !== placeId) {
      issues.push(
        issueAt(
          item,
          'business-rule',
          'This NHS number belongs to a person of another place in Joined Up; import them into that place.',
          'Patient.identifier',
        ),
      );
      counts.rejected++;
      continue;
    }
    touched.add(person.id);
    if (!record(item).resourceKey.startsWith('nhs:'))
      identities.push({ resource_key: record(item).resourceKey, person_id: person.id });
  }
  await rememberPeople(tx, placeId, identities);
}

/** Remembers which person a Patient resource or CSV person id was. */
export async function rememberPeople(
  tx: Tx,
  placeId: string,
  identities: readonly { resource_key: string; person_id: string }[],
): Promise<void> {
  if (identities.length === 0) return;
  const unique = [...new Map(identities.map((i) => [i.resource_key, i])).values()];
  await sql`
    insert into import_identity (place_id, resource_key, person_id, record_table, seq)
    select ${placeId}, x.resource_key, x.person_id, 'person', 0
    from jsonb_to_recordset(${rowsParam(unique)}) as x(resource_key text, person_id uuid)
    on conflict (place_id, resource_key) do update set person_id = excluded.person_id`.execute(tx);
}

/**
 * People without an NHS number, one at a time (they are few): one already imported under the same
 * identity is updated; otherwise they are scored against the place's people with a close date of
 * birth or the same postcode, and linked, held for review, or added.
 */
async function writePeopleWithoutNhsNumber(
  tx: Tx,
  placeId: string,
  jobId: string,
  items: readonly BatchItem[],
  counts: Counts,
  touched: Set<string>,
): Promise<void> {
  for (const item of items) {
    const p = item.record;
    if (p.kind !== 'person' || p.nhsNumber !== null) continue;
    const known = await tx
      .selectFrom('import_identity')
      .select('person_id')
      .where('place_id', '=', placeId)
      .where('resource_key', '=', p.resourceKey)
      .executeTakeFirst();
    if (known) {
      const row = personRow(p);
      const { nhs_number: _, national_data_opt_out: optOut, type1_objection: objection, ...fields } = row;
      const updated = await tx
        .updateTable('person')
        .set({
          ...fields,
          national_data_opt_out: sql<boolean>`national_data_opt_out or ${optOut}`,
          type1_objection: sql<boolean>`type1_objection or ${objection}`,
        })
        .where('id', '=', known.person_id)
        .where(
          sql<boolean>`(${sql.raw(PERSON_COLUMNS.join(', '))}) is distinct from (${sql.join(
            PERSON_COLUMNS.map((c) =>
              c === 'national_data_opt_out' || c === 'type1_objection'
                ? sql`${sql.ref(c)} or ${row[c]}`
                : sql`${row[c]}`,
            ),
          )})`,
        )
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) counts.peopleUpdated++;
      else counts.peopleUnchanged++;
      touched.add(known.person_id);
      continue;
    }
    const waiting = await tx
      .selectFrom('match_review')
      .select('id')
      .where('place_id', '=', placeId)
      .where('resource_key', '=', p.resourceKey)
      .executeTakeFirst();
    if (waiting) {
      counts.peopleForReview++;
      continue;
    }
    const incoming: MatchFields = {
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      postcode: p.postcode,
    };
    const candidates = await tx
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name', 'date_of_birth', 'sex', 'postcode'])
      .where('place_id', '=', placeId)
      .where((eb) =>
        eb.or([
          eb('date_of_birth', 'in', candidateBirthDates(p.dateOfBirth)),
          ...(p.postcode ? [eb('postcode', '=', p.postcode)] : []),
        ]),
      )
      .limit(500)
      .execute();
    const scored = candidates.map((c) => ({
      personId: c.id,
      score: scorePair(incoming, {
        givenName: c.given_name,
        familyName: c.family_name,
        dateOfBirth: c.date_of_birth,
        sex: c.sex,
        postcode: c.postcode,
      }),
    }));
    const decision = decide(scored);
    if (decision.action === 'link') {
      await rememberPeople(tx, placeId, [{ resource_key: p.resourceKey, person_id: decision.personId }]);
      counts.peopleLinked++;
      touched.add(decision.personId);
    } else if (decision.action === 'review') {
      await tx
        .insertInto('match_review')
        .values({
          id: randomUUID(),
          place_id: placeId,
          job_id: jobId,
          resource_key: p.resourceKey,
          incoming: JSON.stringify(p),
          candidates: JSON.stringify(decision.candidates),
          status: 'open',
        })
        .onConflict((oc) => oc.columns(['place_id', 'resource_key']).doNothing())
        .execute();
      counts.peopleForReview++;
    } else {
      const id = randomUUID();
      await tx
        .insertInto('person')
        .values({ id, place_id: placeId, ...personRow(p), source: 'import', synthetic_index: null })
        .execute();
      await rememberPeople(tx, placeId, [{ resource_key: p.resourceKey, person_id: id }]);
      counts.peopleAdded++;
      touched.add(id);
    }
  }
}

/** The person each record belongs to, by NHS number or by the identity their person was imported under. */
async function resolvePeople(tx: Tx, placeId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const resolved = new Map<string, string>();
  const numbers = keys.filter((k) => k.startsWith('nhs:')).map((k) => k.slice(4));
  const others = keys.filter((k) => !k.startsWith('nhs:'));
  if (numbers.length > 0) {
    const rows = await tx
      .selectFrom('person')
      .select(['id', 'nhs_number'])
      .where('place_id', '=', placeId)
      .where('nhs_number', 'in', oneOf(numbers))
      .execute();
    for (const r of rows) resolved.set(`nhs:${r.nhs_number}`, r.id);
  }
  if (others.length > 0) {
    const rows = await tx
      .selectFrom('import_identity')
      .select(['resource_key', 'person_id'])
      .where('place_id', '=', placeId)
      .where('record_table', '=', 'person')
      .where('resource_key', 'in', oneOf(others))
      .execute();
    for (const r of rows) resolved.set(r.resource_key, r.person_id);
  }
  return resolved;
}

export async function writeRecords(
  tx: Tx,
  placeId: string,
  items: readonly BatchItem[],
  counts: Counts,
  issues: ImportIssue[],
  touched: Set<string>,
): Promise<void> {
  if (items.length === 0) return;
  const personKey = (i: BatchItem) => (i.record as PersonOwnedRecord).personKey;
  const people = await resolvePeople(tx, placeId, [...new Set(items.map(personKey))]);
  const unresolved = items.filter((i) => !people.has(personKey(i)));
  const held = await holdForReview(tx, placeId, unresolved);
  counts.recordsHeld += held.size;
  for (const item of unresolved) {
    if (held.has(item)) continue;
    issues.push(
      issueAt(
        item,
        'not-found',
        `${personKey(item).replace(/^nhs:/, 'NHS number ')} is not a person in this place: import the person first (a Patient, or the people CSV), or check the reference.`,
      ),
    );
    counts.rejected++;
  }
  const ready = lastOfEach(
    items.filter((i) => people.has(personKey(i))),
    (i) => i.record.resourceKey,
  );
  for (const kind of Object.keys(RECORD_TABLES) as PersonOwnedRecord['kind'][]) {
    const ofKind = ready.filter((i) => i.record.kind === kind);
    if (ofKind.length === 0) continue;
    const spec = RECORD_TABLES[kind] as RecordTable<PersonOwnedRecord>;
    const rows = ofKind.map((item, ord) => {
      const personId = people.get(personKey(item)) as string;
      touched.add(personId);
      return {
        resource_key: item.record.resourceKey,
        person_id: personId,
        ord,
        ...spec.row(item.record as never),
      };
    });
    const written = await writeRecordTable(tx, placeId, spec, rows);
    counts.recordsAdded += written.added;
    counts.recordsUpdated += written.updated;
    counts.recordsUnchanged += rows.length - written.added - written.updated;
  }
}

/** Records for a person waiting in the review queue are kept with the review, to be written when it is decided. */
async function holdForReview(tx: Tx, placeId: string, items: readonly BatchItem[]): Promise<Set<BatchItem>> {
  const held = new Set<BatchItem>();
  if (items.length === 0) return held;
  const keys = [...new Set(items.map((i) => (i.record as PersonOwnedRecord).personKey))];
  const open = await tx
    .selectFrom('match_review')
    .select(['id', 'resource_key'])
    .where('place_id', '=', placeId)
    .where('status', '=', 'open')
    .where('resource_key', 'in', oneOf(keys))
    .execute();
  for (const review of open) {
    const waiting = items.filter((i) => (i.record as PersonOwnedRecord).personKey === review.resource_key);
    await sql`update match_review set held = held || ${rowsParam(waiting.map((i) => i.record))}
              where id = ${review.id}`.execute(tx);
    for (const i of waiting) held.add(i);
  }
  return held;
}

/**
 * Updates the records already imported under the same identity where they changed, then inserts
 * the new ones, numbering them after the person's existing records.
 */
async function writeRecordTable(
  tx: Tx,
  placeId: string,
  spec: RecordTable<PersonOwnedRecord>,
  rows: readonly Record<string, unknown>[],
): Promise<{ added: number; updated: number }> {
  const names = Object.keys(spec.columns);
  const table = sql.table(spec.table);
  const types = sql.raw(
    [
      'resource_key text',
      'person_id uuid',
      'ord integer',
      ...names.map((n) => `${n} ${spec.columns[n]}`),
    ].join(', '),
  );
  const incoming = sql`jsonb_to_recordset(${rowsParam(rows)}) as i(${types})`;
  const list = (prefix: string): RawBuilder<unknown> => sql.raw(names.map((n) => `${prefix}${n}`).join(', '));
  // Records sent before are updated where they changed: looked for first, as usually there are none.
  const known = await tx
    .selectFrom('import_identity')
    .select('resource_key')
    .where('place_id', '=', placeId)
    .where('resource_key', 'in', oneOf(rows.map((r) => r.resource_key as string)))
    .execute();
  const updated =
    known.length === 0
      ? { numAffectedRows: 0n }
      : await sql`
    update ${table} t set (${list('')}) = (${list('i.')})
    from ${incoming}
    join import_identity d on d.place_id = ${placeId} and d.resource_key = i.resource_key
    where t.person_id = d.person_id and t.seq = d.seq and (${list('t.')}) is distinct from (${list('i.')})`.execute(
          tx,
        );
  const extra = spec.table === 'condition' ? sql`, condition` : sql``;
  // A condition is named by the long-term condition its code records, or 'other'.
  const extraValue = spec.table === 'condition' ? sql`, coalesce(ltc.item, 'other')` : sql``;
  const extraJoin =
    spec.table === 'condition'
      ? sql`left join (select code, min(item) as item from risk_code where model = 'ltc' group by code) ltc on ltc.code = i.code`
      : sql``;
  const added = await sql`
    with fresh as (
      insert into import_identity (place_id, resource_key, person_id, record_table, seq)
      select ${placeId}, i.resource_key, i.person_id, ${spec.table},
             coalesce(m.last_seq, 0) + row_number() over (partition by i.person_id order by i.ord)
      from ${incoming}
      left join (
        select person_id, max(seq) as last_seq from ${table}
        where person_id = any(${[...new Set(rows.map((r) => r.person_id as string))]}::uuid[])
        group by person_id
      ) m on m.person_id = i.person_id
      on conflict (place_id, resource_key) do nothing
      returning resource_key, person_id, seq
    )
    insert into ${table} (person_id, seq, place_id, ${list('')}${extra})
    select f.person_id, f.seq, ${placeId}, ${list('i.')}${extraValue}
    from fresh f join ${incoming} on i.resource_key = f.resource_key ${extraJoin}`.execute(tx);
  return { added: Number(added.numAffectedRows ?? 0), updated: Number(updated.numAffectedRows ?? 0) };
}
