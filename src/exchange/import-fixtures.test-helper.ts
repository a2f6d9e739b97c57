// What the import tests share: FHIR resources and files made to order (synthetic NHS numbers from the
// 999 range), a folder for the files, the import itself, and the database read back as counts and
// checksums that do not depend on generated ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { sql } from 'kysely';
import { nhsCheckDigit } from '../core/nhs-number.ts';
import type { Db } from '../db/create-db.ts';
import {
  ENCOUNTER_KIND_SYSTEM,
  ICD10_SYSTEM,
  LSOA_EXTENSION,
  LSOA_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  SNOMED_SYSTEM,
} from '../synth/fhir.ts';
import { type ImportJob, jobIssues, type StoredIssue } from './import-job.store.ts';
import { type ImportOutcome, importFile } from './import-run.ts';

export const PLACE = 'bury';
export const PACK = 'place-packs/bury';
export const IMPORTER = { id: null, name: 'import test', role: null, teamId: null };
// An LSOA and a GP practice of the Bury place pack.
export const LSOA = 'E01004941';
export const PRACTICE = 'P83006';
export const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

// ---------------------------------------------------------------------------------------------
// Test data

let serial = 0;
/** A valid NHS number from the 999 test range, new on every call. */
export function nextNhsNumber(): string {
  for (;;) {
    serial++;
    const nine = `999${String(serial).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

export type Resource = Record<string, unknown>;

export interface PatientFields {
  id: string;
  nhsNumber?: string | null;
  given?: string;
  family?: string;
  birthDate?: string;
  gender?: string;
  postcode?: string;
  deceasedDateTime?: string;
}

export function patient(f: PatientFields): Resource {
  const nhs = f.nhsNumber === undefined ? nextNhsNumber() : f.nhsNumber;
  return {
    resourceType: 'Patient',
    id: f.id,
    ...(nhs === null ? {} : { identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhs }] }),
    name: [{ use: 'official', family: f.family ?? 'Ashworth', given: [f.given ?? 'Alice'] }],
    gender: f.gender ?? 'female',
    birthDate: f.birthDate ?? '1950-03-02',
    ...(f.deceasedDateTime ? { deceasedDateTime: f.deceasedDateTime } : {}),
    address: [
      {
        use: 'home',
        extension: [{ url: LSOA_EXTENSION, valueCoding: { system: LSOA_SYSTEM, code: LSOA } }],
        postalCode: f.postcode ?? 'BL9 0SN',
      },
    ],
    generalPractitioner: [{ identifier: { system: ODS_SYSTEM, value: PRACTICE } }],
  };
}

export const nhsOf = (p: Resource): string =>
  ((p.identifier as { value: string }[])[0] as { value: string }).value;

export function condition(id: string, subject: string, code = '44054006'): Resource {
  return {
    resourceType: 'Condition',
    id,
    code: { coding: [{ system: SNOMED_SYSTEM, code, display: 'Type 2 diabetes mellitus' }] },
    subject: { reference: subject },
    onsetDateTime: '2020-01-15',
  };
}

export const KINDS = ['ed', 'outpatient', 'day-case', 'emergency-admission', 'elective-admission'] as const;
export const ICD10 = ['I50', 'J18.9', 'J44.1', 'N39.0', 'R06.0'] as const;

export function encounter(
  id: string,
  subject: string,
  n: number,
  icd10: string = ICD10[n % ICD10.length] as string,
): Resource {
  const kind = KINDS[n % KINDS.length] as string;
  const day = new Date(Date.UTC(2023, 0, 1) + (n % 1000) * 86_400_000).toISOString().slice(0, 10);
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: kind === 'ed' ? 'EMER' : 'IMP',
    },
    type: [{ coding: [{ system: ENCOUNTER_KIND_SYSTEM, code: kind }] }],
    subject: { reference: subject },
    period: { start: day, end: day },
    reasonCode: [{ coding: [{ system: ICD10_SYSTEM, code: icd10 }] }],
  };
}

export interface Entry {
  fullUrl?: string;
  resource: Resource;
}

export function bundle(type: 'transaction' | 'batch' | 'collection', entries: readonly Entry[]): Resource {
  return {
    resourceType: 'Bundle',
    type,
    entry: entries.map((e) => ({
      ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}),
      resource: e.resource,
      ...(type === 'collection' ? {} : { request: { method: 'POST', url: e.resource.resourceType } }),
    })),
  };
}

export const ndjson = (lines: readonly (Resource | string)[]): string =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

// ---------------------------------------------------------------------------------------------
// Reading the database back

export const TABLES = ['person', 'condition', 'encounter', 'import_identity', 'match_review'] as const;
export type TableCounts = Record<(typeof TABLES)[number], number>;

export async function tableCounts(db: Db): Promise<TableCounts> {
  const counts = {} as TableCounts;
  for (const table of TABLES) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export async function peopleWithNumber(db: Db, nhsNumber: string): Promise<{ id: string }[]> {
  return db.kysely.selectFrom('person').select('id').where('nhs_number', '=', nhsNumber).execute();
}

export const errorsOf = async (db: Db, job: ImportJob): Promise<StoredIssue[]> =>
  (await jobIssues(db.kysely, job.id)).filter((i) => i.severity === 'error');

/** One person's NHS numbers, encounters and identities, as checksums that do not depend on generated ids. */
export async function checksums(db: Db): Promise<Record<string, unknown>> {
  const { rows } = await sql<Record<string, unknown>>`
    select
      (select count(*)::int from person) as people,
      (select count(*)::int from encounter) as encounters,
      (select count(*)::int from import_identity) as identities,
      (select md5(string_agg(nhs_number, ',' order by nhs_number)) from person) as people_md5,
      (select md5(string_agg(concat_ws('|', p.nhs_number, e.seq, e.start_date, e.end_date, e.kind, e.primary_diagnosis), ','
                  order by p.nhs_number, e.seq))
         from encounter e join person p on p.id = e.person_id) as encounters_md5,
      (select md5(string_agg(concat_ws('|', i.resource_key, i.record_table, i.seq, p.nhs_number), ',' order by i.resource_key))
         from import_identity i join person p on p.id = i.person_id) as identities_md5`.execute(db.kysely);
  return rows[0] as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------

/** A folder for this test file's import files, removed when its tests are done; `write` adds one. */
export function importFiles(): { write: (name: string, text: string) => Promise<string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let fileNo = 0;
  return {
    async write(name, text) {
      const file = path.join(dir, `${++fileNo}-${name}`);
      await writeFile(file, text);
      return file;
    },
  };
}

export const run = (db: Db, file: string): Promise<ImportOutcome> =>
  importFile(db, { placeId: PLACE, path: file, importer: IMPORTER });
