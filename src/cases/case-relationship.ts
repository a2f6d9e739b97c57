// Cases and referrals as a legitimate relationship (decision 0015). The members of an Integrated
// Neighbourhood Team have one with everyone on its open caseload, the lead professional, key workers
// and action owners of a case with its person wherever they work, and a GP practice's staff with their
// registered patients' cases; the team's health and social care staff also have one with people
// referred to it and awaiting triage. Consent to share narrows it: staff of agencies outside direct
// health and social care (VCSE, housing, DWP, police, fire, family hubs, public health) see a case only
// when the person has consented to share it with their agency. People on the team's MDT agenda are
// its health and social care staff's to prepare for and discuss.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { PersonEb, RelationshipSource } from '../access/relationship.ts';
import { ROLES } from '../access/roles.ts';
import type { Staff } from '../access/session.store.ts';
import type { AgencyKind, CareCaseTable, ConsentStatus, Database } from '../db/database.ts';

/** An expression builder over care_case as `c` (and whatever else the query joins). */
export type CaseEb = ExpressionBuilder<Database & { c: CareCaseTable }, 'c'>;

/**
 * Agencies that share for direct care on implied consent, as health and social care do under the
 * common law duty of confidentiality (the National Data Guardian's Caldicott principles): the rest
 * need the person's recorded consent naming them.
 */
export const IMPLIED_CONSENT_KINDS: readonly AgencyKind[] = [
  'gp-practice',
  'community-health',
  'adult-social-care',
  'mental-health',
];

/** Whether staff of this agency may see a case with this consent (the SQL below says the same). */
export function consentAllows(
  agency: { id: string | null; kind: AgencyKind | null },
  consent: { status: ConsentStatus; agencies: readonly string[] },
): boolean {
  if (agency.kind !== null && IMPLIED_CONSENT_KINDS.includes(agency.kind)) return true;
  return consent.status === 'given' && agency.id !== null && consent.agencies.includes(agency.id);
}

/**
 * Practice-based staff (GP practice staff, in no team) see referrals to their practice's INT only for
 * the practice's own registered patients: the practice code to narrow by, or null for team members.
 */
export const referralsNarrowedTo = (staff: Staff): string | null =>
  staff.teamId === null ? (staff.practiceCode ?? '') : null;

/** Whether the staff member's agency shares for direct care without recorded consent. */
export const sharesOnImpliedConsent = (staff: Staff) =>
  staff.agencyKind !== null && IMPLIED_CONSENT_KINDS.includes(staff.agencyKind);

/** The open cases this staff member may see, as a condition on `c` (care_case). */
export function visibleCase(staff: Staff): (e: CaseEb) => Expression<SqlBool> {
  return (e) => {
    const involved: Expression<SqlBool>[] = [];
    if (staff.teamId) involved.push(e('c.team_id', '=', staff.teamId));
    const practitioner = staff.practitionerId;
    if (practitioner) {
      involved.push(e('c.lead_practitioner_id', '=', practitioner));
      involved.push(sql<boolean>`${practitioner} = any(c.key_worker_ids)`);
      involved.push(
        e.exists(
          e
            .selectFrom('plan_action as pa')
            .select(sql`1`.as('one'))
            .whereRef('pa.case_id', '=', 'c.id')
            .where('pa.owner_practitioner_id', '=', practitioner)
            .where('pa.status', 'in', ['to-do', 'in-progress']),
        ),
      );
    }
    const practice = staff.practiceCode;
    // A GP practice's staff share the care of its registered patients' cases.
    if (practice)
      involved.push(
        e.exists(
          e
            .selectFrom('person as cp')
            .select(sql`1`.as('one'))
            .whereRef('cp.id', '=', 'c.person_id')
            .where('cp.practice_code', '=', practice),
        ),
      );
    if (involved.length === 0) return sql<boolean>`false`;
    const consent = sharesOnImpliedConsent(staff)
      ? sql<boolean>`true`
      : staff.agencyId
        ? sql<boolean>`(c.consent_status = 'given' and ${staff.agencyId} = any(c.consent_agencies))`
        : sql<boolean>`false`;
    return e.and([e('c.status', '=', 'open'), e.or(involved), consent]);
  };
}

export const openCase: RelationshipSource = {
  async forStaff(_db, staff) {
    if (!ROLES[staff.role].directCare) return null;
    if (!staff.teamId && !staff.practitionerId && !staff.practiceCode) return null;
    const visible = visibleCase(staff);
    return {
      name: 'open case',
      condition: (eb) =>
        eb.exists(
          eb
            .selectFrom('care_case as c')
            .select(sql`1`.as('one'))
            .whereRef('c.person_id', '=', 'person.id')
            .where((inner) => visible(inner as unknown as CaseEb)),
        ),
      // Evaluated in the query itself, so a list cached under this key is at most as old as its cache.
      key: `cases:${staff.teamId}:${staff.practitionerId}:${staff.practiceCode}:${staff.agencyId}`,
    };
  },
};

export const openReferral: RelationshipSource = {
  async forStaff(_db, staff) {
    const teamId = staff.teamId;
    if (!ROLES[staff.role].directCare || !teamId || !sharesOnImpliedConsent(staff)) return null;
    return {
      name: 'referral',
      condition: (eb: PersonEb) =>
        eb.exists(
          eb
            .selectFrom('int_referral as r')
            .select(sql`1`.as('one'))
            .whereRef('r.person_id', '=', 'person.id')
            .where('r.team_id', '=', teamId)
            .where('r.status', '=', 'awaiting-triage'),
        ),
      key: `referrals:${teamId}`,
    };
  },
};

/** How long after a meeting its team keeps a relationship with the people on its agenda. */
export const MDT_AGENDA_DAYS = 30;
/** How long before a meeting the people on its agenda are the team's to prepare for. */
export const MDT_AGENDA_AHEAD_DAYS = 14;

/**
 * People on the team's MDT agenda (nominated by any member, perhaps before any referral) are the
 * team's health and social care staff's to prepare for and discuss, from two weeks before the meeting
 * until a month after it.
 */
export const mdtAgenda: RelationshipSource = {
  async forStaff(_db, staff) {
    const teamId = staff.teamId;
    if (!ROLES[staff.role].directCare || !teamId || !sharesOnImpliedConsent(staff)) return null;
    return {
      name: 'MDT agenda',
      condition: (eb: PersonEb) =>
        eb.exists(
          eb
            .selectFrom('mdt_item as mi')
            .innerJoin('mdt_meeting as mm', 'mm.id', 'mi.meeting_id')
            .select(sql`1`.as('one'))
            .whereRef('mi.person_id', '=', 'person.id')
            .where('mi.removed', '=', false)
            .where('mm.team_id', '=', teamId)
            .where('mm.status', '<>', 'cancelled')
            .where('mm.starts_at', '>', sql<Date>`now() - make_interval(days => ${MDT_AGENDA_DAYS})`)
            .where('mm.starts_at', '<', sql<Date>`now() + make_interval(days => ${MDT_AGENDA_AHEAD_DAYS})`),
        ),
      key: `mdt:${teamId}`,
    };
  },
};
