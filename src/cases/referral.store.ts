// Referrals to an Integrated Neighbourhood Team in the database: made by staff or from a worklist,
// listed as the viewer may see them, and triaged: accepted (opening a case with an empty plan, both
// versioned as case.store.ts versions every change) or declined with a reason.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { AppError, fieldError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { sqlStateOf } from '../db/sql-state.ts';
import { byLabel, caseSnapshot, keepVersion, PERSON_COLUMNS } from './case.store.ts';
import { referralsNarrowedTo } from './case-relationship.ts';
import { type Directory, practitionerOrThrow } from './organisation.store.ts';

type Db = Kysely<Database>;

export interface NewReferral {
  placeId: string;
  personId: string;
  teamId: string;
  source: 'worklist' | 'practitioner' | 'self-or-family';
  worklistId: string | null;
  referrer: string;
  referrerAgencyId: string | null;
  referredBy: string | null;
  reason: string;
  urgency: 'routine' | 'urgent';
}

/**
 * Refers a person to a team. A second referral while one awaits triage joins it (its reason added, an
 * urgent one making it urgent) rather than being refused, so a referrer learns nothing about who is
 * already known to the team and nothing said is lost. A person on the caseload can be referred again:
 * triage then declines it as already known, or the team adds to their plan.
 */
export async function createReferral(db: Db, r: NewReferral): Promise<string> {
  const row = await db
    .insertInto('int_referral')
    .values({
      id: randomUUID(),
      place_id: r.placeId,
      person_id: r.personId,
      team_id: r.teamId,
      source: r.source,
      worklist_id: r.worklistId,
      referrer: r.referrer,
      referrer_agency_id: r.referrerAgencyId,
      referred_by: r.referredBy,
      reason: r.reason,
      urgency: r.urgency,
      status: 'awaiting-triage',
      triaged_by: null,
      triaged_at: null,
      decline_reason: null,
      case_id: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'person_id'])
        .where('status', '=', 'awaiting-triage')
        .doUpdateSet({
          reason: sql<string>`int_referral.reason || ${`\n\nAlso referred by ${r.referrer}: ${r.reason}`}`,
          urgency: sql<
            'routine' | 'urgent'
          >`case when excluded.urgency = 'urgent' then 'urgent' else int_referral.urgency end`,
        }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Refers a person unless they are already waiting for the team or have a case open with it: what a
 * worklist's "add to caseload" does, where a second referral would only be noise.
 */
export async function referPerson(
  db: Db,
  r: NewReferral,
): Promise<{ status: 'referred' | 'already-referred' | 'already-open'; referralId: string | null }> {
  const [open, waiting] = await Promise.all([
    db
      .selectFrom('care_case')
      .select('id')
      .where('team_id', '=', r.teamId)
      .where('person_id', '=', r.personId)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('int_referral')
      .select('id')
      .where('team_id', '=', r.teamId)
      .where('person_id', '=', r.personId)
      .where('status', '=', 'awaiting-triage')
      .executeTakeFirst(),
  ]);
  if (open) return { status: 'already-open', referralId: null };
  if (waiting) return { status: 'already-referred', referralId: waiting.id };
  return { status: 'referred', referralId: await createReferral(db, r) };
}

/** Referrals as the viewer may list them (see referralsNarrowedTo). */
export function referralQuery(db: Db, placeId: string, viewer: Staff) {
  const practice = referralsNarrowedTo(viewer);
  return db
    .selectFrom('int_referral as ref')
    .innerJoin('team as t', (j) =>
      j.onRef('t.place_id', '=', 'ref.place_id').onRef('t.id', '=', 'ref.team_id'),
    )
    .innerJoin('person as p', 'p.id', 'ref.person_id')
    .leftJoin('person_risk as r', (j) =>
      j.onRef('r.person_id', '=', 'p.id').onRef('r.place_id', '=', 'p.place_id'),
    )
    .select([
      'ref.id',
      'ref.place_id',
      'ref.team_id',
      't.name as team_name',
      'ref.source',
      'ref.referrer',
      'ref.reason',
      'ref.urgency',
      'ref.status',
      'ref.created_at',
      'ref.triaged_by',
      'ref.triaged_at',
      'ref.decline_reason',
      'ref.case_id',
      ...PERSON_COLUMNS,
    ])
    .where('ref.place_id', '=', placeId)
    .$if(practice !== null, (q) => q.where('p.practice_code', '=', practice ?? ''));
}
export type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

export interface Acceptance {
  leadPractitionerId: string;
  reviewDueOn: string | null;
}

/** Triage: accept (opening a case with an empty plan) or decline with a reason. Only a referral awaiting triage. */
export async function triageReferral(
  db: Db,
  dir: Directory,
  staff: Staff,
  referral: ReferralRow,
  decision: ({ decision: 'accept' } & Acceptance) | { decision: 'decline'; reason: string },
): Promise<string | null> {
  if (referral.status !== 'awaiting-triage') {
    const message = `This referral was ${referral.status} already; only a referral awaiting triage can be accepted or declined.`;
    throw fieldError('business-rule', 'decision', message);
  }
  if (decision.decision === 'decline') {
    const done = await db
      .updateTable('int_referral')
      .set({
        status: 'declined',
        decline_reason: decision.reason,
        triaged_by: byLabel(staff),
        triaged_at: new Date(),
      })
      .where('id', '=', referral.id)
      .where('status', '=', 'awaiting-triage')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw alreadyTriaged();
    return null;
  }
  const lead = practitionerOrThrow(dir, decision.leadPractitionerId, 'leadPractitionerId');
  const caseId = randomUUID();
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('int_referral')
      .set({ status: 'accepted', triaged_by: byLabel(staff), triaged_at: new Date(), case_id: caseId })
      .where('id', '=', referral.id)
      .where('status', '=', 'awaiting-triage')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw alreadyTriaged();
    const risk = { efi: referral.efi_band ?? undefined, hfrs: referral.hfrs_band ?? undefined };
    try {
      await trx
        .insertInto('care_case')
        .values({
          id: caseId,
          place_id: referral.place_id,
          person_id: referral.person_id,
          team_id: referral.team_id,
          referral_id: referral.id,
          status: 'open',
          lead_practitioner_id: lead.id,
          review_due_on: decision.reviewDueOn,
          risk_seen: JSON.stringify(risk),
          closed_at: null,
          closure_reason: null,
          closure_outcome: null,
          closure_override_reason: null,
          updated_by: byLabel(staff),
        })
        .execute();
    } catch (e) {
      if (sqlStateOf(e) === '23505')
        throw new AppError('business-rule', 'This person already has an open case with this team.', [
          { diagnostics: 'This person already has an open case with this team.', expression: ['decision'] },
        ]);
      throw e;
    }
    const row = await trx
      .selectFrom('care_case')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('care_plan')
      .values({ case_id: caseId, place_id: row.place_id, updated_by: byLabel(staff) })
      .execute();
    await keepVersion(trx, {
      kind: 'case',
      recordId: caseId,
      version: 1,
      placeId: row.place_id,
      personId: row.person_id,
      snapshot: caseSnapshot(row),
      change: `Case opened from a referral; lead professional ${lead.label}`,
      by: staff,
    });
    await keepVersion(trx, {
      kind: 'plan',
      recordId: caseId,
      version: 1,
      placeId: row.place_id,
      personId: row.person_id,
      snapshot: { whatMatters: '', strengths: '', risks: '', goals: [], actions: [] },
      change: 'Plan started',
      by: staff,
    });
  });
  return caseId;
}

const alreadyTriaged = () =>
  new AppError(
    'conflict',
    'Someone else triaged this referral a moment ago. Reload it to see what they decided.',
    [{ diagnostics: 'Someone else triaged this referral a moment ago.', expression: ['decision'] }],
  );
