// One resident's own record for their page: who they are and where they live (with the names of their
// small area, ward, neighbourhood and practice), the terms recorded with their codes, and their recent
// unplanned hospital care. Every query is bounded to the place as well as the person.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export function findPersonInPlace(db: Db, placeId: string, personId: string) {
  return db
    .selectFrom('person as p')
    .leftJoin('lsoa as l', (j) =>
      j.onRef('l.place_id', '=', 'p.place_id').onRef('l.code', '=', 'p.lsoa_code'),
    )
    .leftJoin('ward as w', (j) =>
      j.onRef('w.place_id', '=', 'l.place_id').onRef('w.code', '=', 'l.ward_code'),
    )
    .leftJoin('neighbourhood as n', (j) =>
      j.onRef('n.place_id', '=', 'l.place_id').onRef('n.code', '=', 'l.neighbourhood_code'),
    )
    .leftJoin('practice as pr', (j) =>
      j.onRef('pr.place_id', '=', 'p.place_id').onRef('pr.ods_code', '=', 'p.practice_code'),
    )
    .select([
      'p.id',
      'p.given_name as givenName',
      'p.family_name as familyName',
      'p.nhs_number as nhsNumber',
      'p.date_of_birth as dateOfBirth',
      'p.sex',
      'p.ethnic_category as ethnicCategory',
      'p.date_of_death as dateOfDeath',
      'p.lsoa_code as lsoaCode',
      'l.name as lsoaName',
      'w.code as wardCode',
      'w.name as wardName',
      'n.code as neighbourhoodCode',
      'n.name as neighbourhoodName',
      'p.practice_code as practiceCode',
      'pr.name as practiceName',
    ])
    .where('p.place_id', '=', placeId)
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** The term recorded with each of the person's condition codes (the earliest record's, when they differ). */
export async function conditionTerms(
  db: Db,
  placeId: string,
  personId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('condition')
    .select(['code', 'term'])
    .where('place_id', '=', placeId)
    .where('person_id', '=', personId)
    .orderBy('onset_date', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.code, r.term]));
}

/** A&E attendances and emergency admissions after `after` and on or before `to`, newest first. */
export function unplannedCareEvents(db: Db, placeId: string, personId: string, after: string, to: string) {
  return db
    .selectFrom('encounter')
    .select(['start_date as date', 'kind', 'primary_diagnosis as primaryDiagnosis', 'seq'])
    .where('place_id', '=', placeId)
    .where('person_id', '=', personId)
    .where('kind', 'in', ['ed', 'emergency-admission'])
    .where('start_date', '>', after)
    .where('start_date', '<=', to)
    .orderBy('start_date', 'desc')
    .orderBy('seq', 'desc')
    .execute();
}

/** Open safeguarding concerns about the person, newest first. */
export function safeguardingConcerns(db: Db, placeId: string, personId: string) {
  return db
    .selectFrom('safeguarding_concern')
    .select(['category', 'raised_on as raisedOn', 'contact', 'detail'])
    .where('place_id', '=', placeId)
    .where('person_id', '=', personId)
    .where('ended_on', 'is', null)
    .orderBy('raised_on', 'desc')
    .execute();
}

export async function personOptOuts(db: Db, placeId: string, personId: string) {
  const row = await db
    .selectFrom('person')
    .select(['national_data_opt_out as nationalDataOptOut', 'type1_objection as type1Objection'])
    .where('place_id', '=', placeId)
    .where('id', '=', personId)
    .executeTakeFirst();
  return row ?? { nationalDataOptOut: false, type1Objection: false };
}

/** When this staff member's latest break-glass access to the person ends. */
export async function breakGlassEnds(db: Db, userId: string, personId: string) {
  const row = await db
    .selectFrom('break_glass')
    .select((eb) => eb.fn.max('expires_at').as('ends'))
    .where('user_id', '=', userId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row?.ends ?? null;
}
