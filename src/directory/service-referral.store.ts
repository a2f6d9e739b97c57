// Referrals into directory services in the database: made from an open case the referrer may see, read
// by those who may see that case and by the agency that receives them, moved along their statuses one
// step at a time. A move applies only to the version it was made from (`UPDATE … WHERE version = $n`
// under a row lock) and writes its event in the same transaction; a stale one changes nothing and is
// refused with 409 naming the current version. A service's figures are counted in one statement.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { type FoundCase, findCase } from '../cases/case.store.ts';
import { IMPLIED_CONSENT_KINDS } from '../cases/case-relationship.ts';
import { AppError, fieldError } from '../core/errors.ts';
import type { ServiceReferralStatus, ServiceReferralView } from '../core/schemas/service-referral.ts';
import { isUuid } from '../core/uuid.ts';
import type { AgencyKind, Database } from '../db/database.ts';
import { sqlStateOf } from '../db/sql-state.ts';
import { receivedBy } from './service-referral-relationship.ts';
import {
  checkConsentToRefer,
  checkMove,
  checkReferrable,
  OPEN_STATUSES,
  type ReferralCounts,
} from './service-referral-rules.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** A place's referrals (`sr`) with the service (`s`) they are to and the organisation (`o`) that received them. */
export function referralsWithService(db: Db | Trx, placeId: string) {
  return db
    .selectFrom('service_referral as sr')
    .innerJoin('directory_service as s', (j) =>
      j.onRef('s.place_id', '=', 'sr.place_id').onRef('s.id', '=', 'sr.service_id'),
    )
    .innerJoin('directory_organisation as o', (j) =>
      j.onRef('o.place_id', '=', 'sr.place_id').onRef('o.id', '=', 'sr.organisation_id'),
    )
    .where('sr.place_id', '=', placeId);
}

/** A referral with its person, service and organisation: what every answer is made from. */
function referralQuery(db: Db | Trx, placeId: string) {
  return referralsWithService(db, placeId)
    .innerJoin('person as p', 'p.id', 'sr.person_id')
    .select([
      'sr.id',
      'sr.case_id',
      'sr.person_id',
      'sr.status',
      'sr.reason',
      'sr.referred_by_name',
      'sr.referred_at',
      'sr.updated_at',
      'sr.version',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
      's.id as service_id',
      's.name as service_name',
      'o.name as organisation_name',
    ]);
}
export type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

/** The referrals as the API answers them, each with its history (oldest first), in the order given. */
async function withHistory(db: Db | Trx, rows: ReferralRow[]): Promise<ServiceReferralView[]> {
  if (rows.length === 0) return [];
  const events = await db
    .selectFrom('service_referral_event')
    .select(['referral_id', 'status', 'at', 'by_name', 'note'])
    .where('referral_id', '=', sql<string>`any(${rows.map((r) => r.id)}::uuid[])`)
    .orderBy('referral_id')
    .orderBy('seq')
    .execute();
  const history = new Map<string, ServiceReferralView['history']>();
  for (const e of events)
    history.set(e.referral_id, [
      ...(history.get(e.referral_id) ?? []),
      { status: e.status, at: iso(e.at), by: e.by_name, note: e.note },
    ]);
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    person: { id: r.person_id, name: `${r.given_name} ${r.family_name}`, nhsNumber: r.nhs_number },
    service: { id: r.service_id, name: r.service_name, organisation: r.organisation_name },
    status: r.status,
    reason: r.reason,
    referredBy: r.referred_by_name,
    referredAt: iso(r.referred_at),
    updatedAt: iso(r.updated_at),
    version: r.version,
    history: history.get(r.id) ?? [],
  }));
}

const iso = (at: Date) => new Date(at).toISOString();

// ---- Making a referral --------------------------------------------------------------------------------

/** What the referral needs to know of a service: whether it can take one, and who receives it. */
async function serviceToRefer(db: Db, placeId: string, serviceId: string) {
  return db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', (j) =>
      j.onRef('o.place_id', '=', 's.place_id').onRef('o.id', '=', 's.organisation_id'),
    )
    .leftJoin('agency as a', (j) =>
      j.onRef('a.place_id', '=', 'o.place_id').onRef('a.id', '=', 'o.agency_id'),
    )
    .select([
      's.id',
      's.name',
      's.status',
      's.is_borough_wide',
      's.organisation_id',
      'a.id as agency_id',
      'a.name as agency_name',
      'a.kind as agency_kind',
      sql<number>`(select count(*)::int from directory_service_at_location sal
        where sal.place_id = s.place_id and sal.service_id = s.id)`.as('location_count'),
    ])
    .where('s.place_id', '=', placeId)
    .where('s.id', '=', serviceId)
    .executeTakeFirst();
}

/**
 * Refers the person of an open case the staff member may see (`found`, from findCase) to a service of
 * the place: it must be running, have somewhere to be, have an agency receiving its referrals and, for
 * an agency outside health and social care, the person's consent to share naming it. The first event
 * is 'sent'. Returns the referral.
 */
export async function createServiceReferral(
  db: Db,
  staff: Staff,
  placeId: string,
  found: FoundCase,
  input: { serviceId: string; reason: string },
  referredBy: string,
): Promise<ServiceReferralView> {
  if (found.status !== 'open') throw closedCase();
  const service = isUuid(input.serviceId) ? await serviceToRefer(db, placeId, input.serviceId) : undefined;
  if (!service)
    throw fieldError(
      'invalid',
      'serviceId',
      'serviceId: there is no service with this id in the directory. Choose a service from the directory.',
    );
  checkReferrable({
    name: service.name,
    status: service.status,
    isBoroughWide: service.is_borough_wide,
    locationCount: service.location_count,
    receivingAgencyId: service.agency_id,
  });
  const agency = {
    id: service.agency_id ?? '',
    name: service.agency_name ?? '',
    sharesOnImpliedConsent: IMPLIED_CONSENT_KINDS.includes(service.agency_kind as AgencyKind),
  };
  checkConsentToRefer(agency, { status: found.consent_status, agencies: found.consent_agencies });

  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    // Held open while the referral is written: a case closing meanwhile waits, or has closed and refuses.
    const open = await trx
      .selectFrom('care_case')
      .select(['status', 'consent_status', 'consent_agencies'])
      .where('id', '=', found.id)
      .forShare()
      .executeTakeFirst();
    if (open?.status !== 'open') throw closedCase();
    checkConsentToRefer(agency, { status: open.consent_status, agencies: open.consent_agencies });
    const now = new Date();
    try {
      await trx
        .insertInto('service_referral')
        .values({
          id,
          place_id: placeId,
          person_id: found.person_id,
          case_id: found.id,
          service_id: service.id,
          organisation_id: service.organisation_id,
          status: 'sent',
          reason: input.reason,
          referred_by_user_id: staff.id,
          referred_by_name: referredBy,
          referred_at: now,
          updated_at: now,
        })
        .execute();
    } catch (e) {
      if (sqlStateOf(e) === '23505')
        throw fieldError(
          'conflict',
          'serviceId',
          `This case already has an open referral to ${service.name}: follow that one in the case's referrals, or wait until it has ended.`,
        );
      throw e;
    }
    await trx
      .insertInto('service_referral_event')
      .values({
        referral_id: id,
        seq: 1,
        status: 'sent',
        at: now,
        by_user_id: staff.id,
        by_name: referredBy,
        note: null,
      })
      .execute();
    // Read back in the same transaction: a referral that cannot be answered is not sent either.
    const row = await referralQuery(trx, placeId).where('sr.id', '=', id).executeTakeFirstOrThrow();
    return (await withHistory(trx, [row]))[0] as ServiceReferralView;
  });
}

function closedCase(): AppError {
  return fieldError(
    'business-rule',
    'caseId',
    'caseId: this case is closed, so no referral can be made from it. Refer the person again to reopen work.',
  );
}

// ---- Reading referrals --------------------------------------------------------------------------------

/** The case's referrals, newest first, each with its history: what the plan shows. */
export async function referralsOfCase(
  db: Db,
  placeId: string,
  caseId: string,
): Promise<ServiceReferralView[]> {
  const rows = await referralQuery(db, placeId)
    .where('sr.case_id', '=', caseId)
    .orderBy('sr.referred_at', 'desc')
    .orderBy('sr.id')
    .execute();
  return withHistory(db, rows);
}

/** Most referrals an inbox answers at once. */
export const INBOX_LIMIT = 200;

/**
 * The referrals the staff member's agency receives (those to its organisations, narrowed by consent):
 * open ones first, then the most recently changed.
 */
export async function inboxOf(db: Db, staff: Staff, placeId: string): Promise<ServiceReferralView[]> {
  const rows = await referralQuery(db, placeId)
    .where(receivedBy(staff))
    .orderBy(sql`case when sr.status in (${sql.join(OPEN_STATUSES)}) then 0 else 1 end`)
    .orderBy('sr.updated_at', 'desc')
    .orderBy('sr.id')
    .limit(INBOX_LIMIT)
    .execute();
  return withHistory(db, rows);
}

export interface FoundReferral {
  referral: ServiceReferralView;
  /** The staff member's agency receives it: they may move it along. */
  isReceiver: boolean;
}

/**
 * One referral, if the staff member may read it: their agency receives it, or they may see the case it
 * was made from (findCase: the referrer's team and whoever else shares the case). Otherwise undefined,
 * with the person it is about (for the audit of a refused read), if it exists.
 */
export async function findServiceReferral(
  db: Db,
  staff: Staff,
  placeId: string,
  referralId: string,
): Promise<{ found: FoundReferral | undefined; personId: string | null }> {
  const row = await referralQuery(db, placeId)
    .select(sql<boolean>`${receivedBy(staff)}`.as('is_receiver'))
    .where('sr.id', '=', referralId)
    .executeTakeFirst();
  if (!row) return { found: undefined, personId: null };
  const readable = row.is_receiver || (await findCase(db, staff, placeId, row.case_id)) !== null;
  if (!readable) return { found: undefined, personId: row.person_id };
  const [referral] = await withHistory(db, [row]);
  return {
    found: { referral: referral as ServiceReferralView, isReceiver: row.is_receiver },
    personId: row.person_id,
  };
}

// ---- Moving a referral --------------------------------------------------------------------------------

/**
 * Moves a referral to its next status from the version the change was made from, writing the event in
 * the same transaction: 409 naming the current version if that is not the current one, 422 naming
 * `status` for a move the contract does not allow, 400 naming `note` when a needed reason is missing.
 */
export async function moveServiceReferral(
  db: Db,
  staff: Staff,
  placeId: string,
  referralId: string,
  move: { status: ServiceReferralStatus; note?: string | undefined; version: number },
  by: string,
): Promise<ServiceReferralView> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('service_referral')
      .select(['status', 'version'])
      .where('id', '=', referralId)
      .where('place_id', '=', placeId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('not-found', 'There is no referral you can see with this id.');
    if (current.version !== move.version) {
      const message = `This referral has changed since you opened it: you saved from version ${move.version}, and version ${current.version} is the current one. Reload it, then make your change again.`;
      throw fieldError('conflict', 'version', message);
    }
    checkMove(current.status, move);
    const version = current.version + 1;
    const now = new Date();
    await trx
      .updateTable('service_referral')
      .set({ status: move.status, version, updated_at: now })
      .where('id', '=', referralId)
      .where('version', '=', current.version)
      .execute();
    await trx
      .insertInto('service_referral_event')
      .values({
        referral_id: referralId,
        seq: version,
        status: move.status,
        at: now,
        by_user_id: staff.id,
        by_name: by,
        note: move.note?.trim() || null,
      })
      .execute();
    const row = await referralQuery(trx, placeId).where('sr.id', '=', referralId).executeTakeFirstOrThrow();
    return (await withHistory(trx, [row]))[0] as ServiceReferralView;
  });
}

// ---- Figures -----------------------------------------------------------------------------------------

/**
 * A service's referrals counted exactly, in one statement (undefined if the place has no such service):
 * all of them; those accepted (whatever followed), declined, completed and not completed; and the
 * median days from sent to accepted.
 */
export async function referralCounts(
  db: Db,
  placeId: string,
  serviceId: string,
): Promise<ReferralCounts | undefined> {
  if (!isUuid(serviceId)) return undefined;
  const row = await db
    .selectFrom('directory_service as s')
    .leftJoin('service_referral as sr', (j) =>
      j.onRef('sr.place_id', '=', 's.place_id').onRef('sr.service_id', '=', 's.id'),
    )
    .leftJoin('service_referral_event as e', (j) =>
      j.onRef('e.referral_id', '=', 'sr.id').on('e.status', '=', 'accepted'),
    )
    .select([
      sql<number>`count(sr.id)::int`.as('referrals'),
      sql<number>`count(*) filter (where sr.status in ('accepted', 'in-progress', 'completed', 'not-completed'))::int`.as(
        'accepted',
      ),
      sql<number>`count(*) filter (where sr.status = 'declined')::int`.as('declined'),
      sql<number>`count(*) filter (where sr.status = 'completed')::int`.as('completed'),
      sql<number>`count(*) filter (where sr.status = 'not-completed')::int`.as('not_completed'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by (extract(epoch from e.at - sr.referred_at) / 86400.0)::float8)`.as(
        'median_days',
      ),
    ])
    .where('s.place_id', '=', placeId)
    .where('s.id', '=', serviceId)
    .groupBy('s.id')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    referrals: row.referrals,
    accepted: row.accepted,
    declined: row.declined,
    completed: row.completed,
    notCompleted: row.not_completed,
    medianDaysToAccepted: row.median_days === null ? null : Number(row.median_days),
  };
}
