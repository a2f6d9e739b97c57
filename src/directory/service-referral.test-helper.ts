// Test support for referrals into directory services: a service made for the test (received by a chosen
// agency, running or not, with or without a location), and a referral written straight to the tables
// as the API would leave it just sent (the API itself is tested in service-referral.int.test.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/create-db.ts';
import type { DirectoryServiceTable } from '../db/database.ts';
import { directoryId } from './directory.ts';

export interface TestServiceSpec {
  placeId?: string;
  /** The agency receiving the organisation's referrals, or null for none. */
  agencyId: string | null;
  status?: DirectoryServiceTable['status'];
  /** At one of the place's locations (the Radcliffe community hall), or nowhere. */
  hasLocation?: boolean;
  isBoroughWide?: boolean;
  name?: string;
}

/** A new organisation with one service, as a directory editor would add it; returns the service's id. */
export async function addTestService(db: Db, spec: TestServiceSpec): Promise<string> {
  const placeId = spec.placeId ?? 'bury';
  const key = `test-${randomUUID().slice(0, 8)}`;
  const organisationId = directoryId(placeId, 'organisation', key);
  const serviceId = directoryId(placeId, 'service', key);
  await db.kysely
    .insertInto('directory_organisation')
    .values({
      place_id: placeId,
      id: organisationId,
      pack_id: key,
      name: `Test organisation ${key}`,
      description: 'Made for a test.',
      kind: 'vcse',
      email: null,
      website: null,
      agency_id: spec.agencyId,
      is_sample: true,
    })
    .execute();
  await db.kysely
    .insertInto('directory_service')
    .values({
      place_id: placeId,
      id: serviceId,
      pack_id: key,
      organisation_id: organisationId,
      name: spec.name ?? `Test service ${key}`,
      description: 'Made for a test.',
      url: null,
      email: null,
      status: spec.status ?? 'active',
      fees: null,
      minimum_age: null,
      maximum_age: null,
      eligibility_description: null,
      is_borough_wide: spec.isBoroughWide ?? false,
      review_date: '2027-06-30',
      last_checked: '2026-11-30',
      is_sample: true,
    })
    .execute();
  if (spec.hasLocation ?? true)
    await db.kysely
      .insertInto('directory_service_at_location')
      .values({
        place_id: placeId,
        id: directoryId(placeId, 'service-at-location', key),
        service_id: serviceId,
        location_id: directoryId(placeId, 'location', 'radcliffe-community-hall'),
        sort_order: 0,
      })
      .execute();
  return serviceId;
}

/** A referral from the case to the service, just sent (version 1); returns its id. */
export async function insertServiceReferral(
  db: Db,
  caseId: string,
  serviceId: string,
  placeId = 'bury',
): Promise<string> {
  const k = db.kysely;
  const found = await k
    .selectFrom('care_case')
    .select('person_id')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const service = await k
    .selectFrom('directory_service')
    .select('organisation_id')
    .where('place_id', '=', placeId)
    .where('id', '=', serviceId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const now = new Date();
  await k
    .insertInto('service_referral')
    .values({
      id,
      place_id: placeId,
      person_id: found.person_id,
      case_id: caseId,
      service_id: serviceId,
      organisation_id: service.organisation_id,
      status: 'sent',
      reason: 'Lonely since moving, would like company',
      referred_by_user_id: null,
      referred_by_name: 'Test referrer, INT practitioner',
      referred_at: now,
      updated_at: now,
    })
    .execute();
  await k
    .insertInto('service_referral_event')
    .values({
      referral_id: id,
      seq: 1,
      status: 'sent',
      at: now,
      by_user_id: null,
      by_name: 'Test referrer, INT practitioner',
      note: null,
    })
    .execute();
  return id;
}
