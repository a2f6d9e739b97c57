// A referral into a directory service as a legitimate relationship: while it is open (sent, received,
// accepted or in progress), the direct-care staff of the agency that receives the service's referrals
// have one with the person, to contact them and work with them. Consent narrows it as it narrows cases
// (case-relationship.ts): an agency outside direct health and social care (a VCSE, family hubs)
// receives the referral only while the person's consent to share their case names it.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { RelationshipSource } from '../access/relationship.ts';
import { ROLES } from '../access/roles.ts';
import type { Staff } from '../access/session.store.ts';
import { sharesOnImpliedConsent } from '../cases/case-relationship.ts';
import { OPEN_STATUSES } from './service-referral-rules.ts';

/**
 * The referrals this staff member's agency receives, whatever their status, as a condition on
 * `service_referral as sr`: those to organisations whose agency is theirs, narrowed by consent.
 */
export function receivedBy(staff: Staff): Expression<SqlBool> {
  const agencyId = staff.agencyId;
  if (!ROLES[staff.role].directCare || agencyId === null) return sql<SqlBool>`false`;
  const toAgency = sql<SqlBool>`exists (
    select 1 from directory_organisation ro
    where ro.place_id = sr.place_id and ro.id = sr.organisation_id and ro.agency_id = ${agencyId})`;
  if (sharesOnImpliedConsent(staff)) return toAgency;
  return sql<SqlBool>`(${toAgency} and exists (
    select 1 from care_case rc
    where rc.id = sr.case_id and rc.consent_status = 'given' and ${agencyId} = any(rc.consent_agencies)))`;
}

export const openServiceReferral: RelationshipSource = {
  async forStaff(_db, staff) {
    if (!ROLES[staff.role].directCare || staff.agencyId === null) return null;
    const received = receivedBy(staff);
    return {
      name: 'service referral',
      condition: (eb) =>
        eb.exists(
          eb
            .selectFrom('service_referral as sr')
            .select(sql`1`.as('one'))
            .whereRef('sr.person_id', '=', 'person.id')
            .where('sr.status', 'in', OPEN_STATUSES)
            .where(received),
        ),
      // Evaluated in the query itself, so a list cached under this key is at most as old as its cache.
      key: `service-referrals:${staff.agencyId}:${sharesOnImpliedConsent(staff)}`,
    };
  },
};
