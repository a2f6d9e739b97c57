// A place's data as FHIR R4 NDJSON, read from the database a page of people at a time (keyset by id,
// so memory stays flat): Patient, Condition, MedicationStatement, Encounter, EpisodeOfCare and
// Observation, exactly as docs/fhir.md describes and the importer reads; then Organization for the
// practices, the care records (CarePlan, Goal, CareTeam, Task, ServiceRequest) and, when asked, the
// audit trail (AuditEvent). Used by `joinedup export fhir` and by the bulk `$export` endpoint.
import type { Kysely } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import type { Database } from '../db/database.ts';
import { type FhirPerson, personResources, practiceResource, type Resource } from '../synth/fhir.ts';
import { careResourcesOf, streamAuditEvents, streamCareResources } from './fhir-care.store.ts';
import { careVisibleTo } from './fhir-care-visibility.ts';
import { NdjsonFileSet } from './ndjson-files.ts';

type Db = Kysely<Database>;

export const POPULATION_TYPES = [
  'Organization',
  'Patient',
  'Condition',
  'MedicationStatement',
  'Encounter',
  'EpisodeOfCare',
  'Observation',
] as const;
export const CARE_TYPES = ['CarePlan', 'Goal', 'CareTeam', 'Task', 'ServiceRequest'] as const;
export const EXPORT_TYPES = [...POPULATION_TYPES, ...CARE_TYPES, 'AuditEvent'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

const PAGE = 2_000;

/** The people of a place (or only `personIds`) as FhirPerson, a page at a time, with all their records. */
export async function* peopleOf(
  db: Db,
  placeId: string,
  options: { personIds?: readonly string[]; pageSize?: number } = {},
): AsyncGenerator<FhirPerson[]> {
  const size = options.pageSize ?? PAGE;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    let query = db
      .selectFrom('person')
      .selectAll()
      .where('place_id', '=', placeId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(size);
    if (options.personIds) {
      if (options.personIds.length === 0) return;
      query = query.where('id', 'in', options.personIds);
    }
    const people = await query.execute();
    if (people.length === 0) return;
    after = people[people.length - 1]?.id ?? after;
    const ids = people.map((p) => p.id);
    const [conditions, medicines, encounters, socialCare, observations] = await Promise.all([
      db
        .selectFrom('condition')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('medication')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('encounter')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('social_care')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('observation')
        .selectAll()
        .where('person_id', 'in', ids)
        .orderBy('person_id')
        .orderBy('seq')
        .execute(),
    ]);
    const byPerson = <T extends { person_id: string }>(rows: T[]) => Map.groupBy(rows, (r) => r.person_id);
    const c = byPerson(conditions);
    const m = byPerson(medicines);
    const e = byPerson(encounters);
    const s = byPerson(socialCare);
    const o = byPerson(observations);
    yield people.map((p) => ({
      id: p.id,
      nhsNumber: p.nhs_number,
      givenName: p.given_name,
      familyName: p.family_name,
      sex: p.sex,
      dateOfBirth: p.date_of_birth,
      ethnicCategory: p.ethnic_category,
      lsoa: p.lsoa_code,
      practice: p.practice_code,
      dateOfDeath: p.date_of_death,
      causeOfDeath: p.cause_of_death,
      postcode: p.postcode,
      nationalDataOptOut: p.national_data_opt_out,
      type1Objection: p.type1_objection,
      conditions: (c.get(p.id) ?? []).map((r) => ({
        condition: r.condition,
        snomed: r.code,
        term: r.term,
        onset: r.onset_date,
      })),
      medicines: (m.get(p.id) ?? []).map((r) => ({
        medicine: r.medicine,
        name: r.name,
        bnf: r.bnf_section,
        start: r.start_date,
        end: r.end_date,
      })),
      encounters: (e.get(p.id) ?? []).map((r) => ({
        kind: r.kind,
        start: r.start_date,
        end: r.end_date,
        lengthOfStay: r.length_of_stay,
        primaryDiagnosis: r.primary_diagnosis,
        secondaryDiagnoses: r.secondary_diagnoses,
        isReadmission: r.is_readmission,
        arrivalByAmbulance: r.arrival_by_ambulance,
      })),
      socialCare: (s.get(p.id) ?? []).map((r) => ({
        service: r.service,
        start: r.start_date,
        end: r.end_date,
      })),
      observations: (o.get(p.id) ?? []).map((r) => ({
        code: r.code,
        value: r.value,
        unit: r.unit,
        observedOn: r.observed_on,
      })),
    })) as FhirPerson[];
    if (people.length < size) return;
  }
}

export interface ExportRequest {
  placeId: string;
  /** Only these people (a requester's relationships); all of the place's people when absent. */
  personIds?: readonly string[];
  /** Direct-care staff exporting their people: only the care records they may see (fhir-care-visibility.ts). */
  viewer?: Staff;
  /** Resource types to write (FHIR `_type`); every type when absent. */
  types?: readonly ExportType[];
  onProgress?: (resources: number) => void;
}

/** Every resource of the request, in pages; Organization first, then people, care, audit. */
export async function* exportResources(db: Db, request: ExportRequest): AsyncGenerator<Resource[]> {
  const wanted = new Set<string>(request.types ?? EXPORT_TYPES);
  const keep = (rs: readonly Resource[]) => rs.filter((r) => wanted.has(r.resourceType));
  if (wanted.has('Organization')) {
    const practices = await db
      .selectFrom('practice')
      .select(['ods_code', 'name', 'is_open'])
      .where('place_id', '=', request.placeId)
      .orderBy('ods_code')
      .execute();
    yield practices.map((p) => practiceResource({ odsCode: p.ods_code, name: p.name, isOpen: p.is_open }));
  }
  if (POPULATION_TYPES.some((t) => t !== 'Organization' && wanted.has(t)))
    for await (const page of peopleOf(db, request.placeId, { personIds: request.personIds }))
      yield keep(page.flatMap(personResources));
  if (CARE_TYPES.some((t) => wanted.has(t))) {
    if (request.personIds)
      for (let from = 0; from < request.personIds.length; from += PAGE) {
        const people = request.personIds.slice(from, from + PAGE);
        const [care, visible] = await Promise.all([
          careResourcesOf(db, request.placeId, people),
          request.viewer ? careVisibleTo(db, request.placeId, people, request.viewer) : () => true,
        ]);
        yield keep((care as unknown as Resource[]).filter(visible));
      }
    else
      for await (const page of streamCareResources(db, request.placeId))
        yield keep(page as unknown as Resource[]);
  }
  if (wanted.has('AuditEvent') && request.personIds === undefined)
    for await (const page of streamAuditEvents(db, request.placeId)) yield page as unknown as Resource[];
}

/** Writes the export into a folder, one NDJSON file per type; returns the files and their counts. */
export async function exportToFolder(
  db: Db,
  request: ExportRequest,
  dir: string,
): Promise<{ type: string; file: string; count: number }[]> {
  const files = new NdjsonFileSet(dir, request.types ?? EXPORT_TYPES);
  let written = 0;
  try {
    for await (const page of exportResources(db, request)) {
      for (const resource of page) files.add(resource);
      written += page.length;
      request.onProgress?.(written);
    }
  } catch (e) {
    files.abandon();
    throw e;
  }
  return files.finish();
}
