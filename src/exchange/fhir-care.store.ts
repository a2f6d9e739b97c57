// The SQL behind case management's FHIR: a few set-based queries per request or per page, whose rows
// fhir-care.ts turns into resources. No access rule is applied here: a caller serving staff must choose
// the people (and the cases) they may see first, as the case pages do; bulk export is for the place.

import type { AuditEvent } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { directory } from '../cases/organisation.store.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database } from '../db/database.ts';
import { referralsWithService } from '../directory/service-referral.store.ts';
import { type AuditRow, auditEventResource } from './fhir-audit.ts';
import {
  type ActionRow,
  type CareDirectory,
  type CareResource,
  type CaseRow,
  caseResources,
  type PlanRow,
  type ReferralRow,
  serviceRequestResource,
} from './fhir-care.ts';
import { type ServiceReferralRow, serviceReferralRequest } from './fhir-service-referral.ts';

type Db = Kysely<Database>;

/** Referrals into directory services with their service and organisation, as ServiceReferralRow. */
function serviceReferralQuery(db: Db, placeId: string) {
  return referralsWithService(db, placeId).select([
    'sr.id',
    'sr.case_id',
    'sr.person_id',
    'sr.status',
    'sr.reason',
    'sr.referred_by_user_id',
    'sr.referred_by_name',
    'sr.referred_at',
    's.id as service_id',
    's.name as service_name',
    'o.id as organisation_id',
    'o.name as organisation_name',
  ]);
}

/** The referrals as ServiceRequests, each with its history: one query for all their steps. */
async function serviceReferralRequests(db: Db, rows: ServiceReferralRow[]) {
  if (rows.length === 0) return [];
  const events = await db
    .selectFrom('service_referral_event')
    .select(['referral_id', 'status', 'at', 'by_name', 'note'])
    .where('referral_id', '=', anyOf(rows.map((r) => r.id)))
    .orderBy('referral_id')
    .orderBy('seq')
    .execute();
  const byReferral = Map.groupBy(events, (e) => e.referral_id);
  return rows.map((r) => serviceReferralRequest(r, byReferral.get(r.id) ?? []));
}

/** Cases (with their plans and actions), referrals or audit events read per page of a bulk export. */
export const EXPORT_PAGE_SIZE = 1_000;

export interface PageOptions {
  /** Rows per page (cases, referrals or audit events); default EXPORT_PAGE_SIZE. */
  pageSize?: number;
}

async function careDirectory(db: Db, placeId: string): Promise<CareDirectory> {
  const dir = await directory(db, placeId);
  return {
    agencies: new Map(dir.agencies.map((a) => [a.id, { id: a.id, name: a.name, kind: a.kind }])),
    practitioners: new Map(
      dir.practitioners.map((p) => [
        p.id,
        { id: p.id, title: p.title, agency_id: p.agencyId, label: p.label },
      ]),
    ),
    teams: new Map(dir.teams.map((t) => [t.id, { id: t.id, name: t.name }])),
  };
}

const CASE_COLUMNS = [
  'id',
  'person_id',
  'team_id',
  'referral_id',
  'status',
  'lead_practitioner_id',
  'key_worker_ids',
  'opened_at',
  'review_due_on',
  'closed_at',
  'closure_reason',
  'closure_outcome',
  'updated_by',
] as const;

const ACTION_COLUMNS = [
  'id',
  'case_id',
  'person_id',
  'goal_id',
  'description',
  'owner_agency_id',
  'owner_practitioner_id',
  'due_on',
  'status',
  'created_at',
  'created_by',
  'updated_at',
  'completed_at',
] as const;

const REFERRAL_COLUMNS = [
  'id',
  'person_id',
  'team_id',
  'source',
  'referrer',
  'referrer_agency_id',
  'referred_by',
  'reason',
  'urgency',
  'status',
  'triaged_by',
  'triaged_at',
  'decline_reason',
  'case_id',
  'created_at',
] as const;

/** The plans and actions of some cases (two queries), and each case's resources in the cases' order. */
async function resourcesOfCases(
  db: Db,
  cases: readonly CaseRow[],
  dir: CareDirectory,
): Promise<CareResource[]> {
  if (cases.length === 0) return [];
  const ids = cases.map((c) => c.id);
  const [plans, actions] = await Promise.all([
    db
      .selectFrom('care_plan')
      .select(['case_id', 'what_matters', 'strengths', 'risks', 'goals', 'updated_at', 'updated_by'])
      .where('case_id', '=', anyOf(ids))
      .execute(),
    db
      .selectFrom('plan_action')
      .select(ACTION_COLUMNS)
      .where('case_id', '=', anyOf(ids))
      .orderBy('case_id')
      .orderBy('due_on')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const planOf = new Map<string, PlanRow>(plans.map((p) => [p.case_id, p]));
  const actionsOf = new Map<string, ActionRow[]>();
  for (const a of actions) {
    const list = actionsOf.get(a.case_id);
    if (list) list.push(a);
    else actionsOf.set(a.case_id, [a]);
  }
  return cases.flatMap((c) =>
    caseResources({ case: c, plan: planOf.get(c.id) ?? null, actions: actionsOf.get(c.id) ?? [] }, dir),
  );
}

/**
 * Every care resource of some people of a place: for each of their cases, open or closed, its
 * CarePlan, CareTeam, Goals and Tasks (cases oldest first); then their referrals into Integrated
 * Neighbourhood Teams and into directory services as ServiceRequests (each oldest first). Six queries
 * however many people, and the place's directory (held for a minute).
 */
export async function careResourcesOf(
  db: Db,
  placeId: string,
  personIds: readonly string[],
): Promise<CareResource[]> {
  if (personIds.length === 0) return [];
  const [dir, cases, referrals, serviceReferrals] = await Promise.all([
    careDirectory(db, placeId),
    db
      .selectFrom('care_case')
      .select(CASE_COLUMNS)
      .where('place_id', '=', placeId)
      .where('person_id', '=', anyOf(personIds))
      .orderBy('opened_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('int_referral')
      .select(REFERRAL_COLUMNS)
      .where('place_id', '=', placeId)
      .where('person_id', '=', anyOf(personIds))
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    serviceReferralQuery(db, placeId)
      .where('sr.person_id', '=', anyOf(personIds))
      .orderBy('sr.referred_at')
      .orderBy('sr.id')
      .execute(),
  ]);
  return [
    ...(await resourcesOfCases(db, cases, dir)),
    ...referrals.map((r: ReferralRow) => serviceRequestResource(r, dir)),
    ...(await serviceReferralRequests(db, serviceReferrals)),
  ];
}

/**
 * All of a place's care resources for bulk export, a page at a time: first its cases by id (each page
 * one query for the cases and two for their plans and actions, yielding each case's CarePlan, CareTeam,
 * Goals and Tasks), then its referrals into teams by id (one query a page), then its referrals into
 * directory services by id (two queries a page: the referrals, and their steps). Keyset pagination, so a page costs the
 * same wherever it falls; a record written during the export appears if its id sorts after the page read.
 */
export async function* streamCareResources(
  db: Db,
  placeId: string,
  options: PageOptions = {},
): AsyncGenerator<CareResource[]> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const dir = await careDirectory(db, placeId);
  let after: string | null = null;
  for (;;) {
    let query = db.selectFrom('care_case').select(CASE_COLUMNS).where('place_id', '=', placeId);
    if (after !== null) query = query.where('id', '>', after);
    const cases = await query.orderBy('id').limit(pageSize).execute();
    if (cases.length === 0) break;
    yield await resourcesOfCases(db, cases, dir);
    after = cases[cases.length - 1]?.id ?? null;
    if (cases.length < pageSize) break;
  }
  after = null;
  for (;;) {
    let query = db.selectFrom('int_referral').select(REFERRAL_COLUMNS).where('place_id', '=', placeId);
    if (after !== null) query = query.where('id', '>', after);
    const referrals = await query.orderBy('id').limit(pageSize).execute();
    if (referrals.length === 0) break;
    yield referrals.map((r) => serviceRequestResource(r, dir));
    after = referrals[referrals.length - 1]?.id ?? null;
    if (referrals.length < pageSize) break;
  }
  after = null;
  for (;;) {
    let query = serviceReferralQuery(db, placeId);
    if (after !== null) query = query.where('sr.id', '>', after);
    const referrals = await query.orderBy('sr.id').limit(pageSize).execute();
    if (referrals.length === 0) break;
    yield await serviceReferralRequests(db, referrals);
    after = referrals[referrals.length - 1]?.id ?? null;
    if (referrals.length < pageSize) break;
  }
}

/**
 * The audit trail as AuditEvents, a page at a time in the order it was written (by seq). With a place,
 * only the events of that place's staff: an event with no signed-in actor belongs to no place, and is
 * in the export of the whole trail only.
 */
export async function* streamAuditEvents(
  db: Db,
  placeId?: string,
  options: PageOptions = {},
): AsyncGenerator<AuditEvent[]> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  let after = 0;
  for (;;) {
    let query = db
      .selectFrom('audit_event')
      .select([
        'seq',
        'occurred_at',
        'request_id',
        'actor_id',
        'actor_name',
        'role',
        'team_id',
        'action',
        'route',
        'person_ids',
        'purpose',
        'relationship',
        'outcome',
        'detail',
      ])
      .where('seq', '>', after);
    if (placeId !== undefined)
      query = query.where('actor_id', 'in', (eb) =>
        eb.selectFrom('staff_user').select('id').where('place_id', '=', placeId),
      );
    const rows: AuditRow[] = await query.orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) break;
    yield rows.map(auditEventResource);
    after = Number(rows[rows.length - 1]?.seq ?? after);
    if (rows.length < pageSize) break;
  }
}
