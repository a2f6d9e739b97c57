// A person's timeline in the database. Their hospital activity and social care come to anyone with a
// relationship with them (as their record does); what their cases hold — referrals, contacts, versions,
// reviews, MDT discussions and consent — only from cases the viewer may see (findCase: the relationship
// rule narrowed by consent), plus referrals to and MDT discussions of the viewer's own team that no case
// holds; the steps of referrals to directory services made from those cases or received by the viewer's
// agency. Each source gives at most its newest TIMELINE_LIMIT rows: enough for the newest overall.
import type { Kysely } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import type { Database } from '../db/database.ts';
import { receivedBy } from '../directory/service-referral-relationship.ts';
import { findCase } from './case.store.ts';
import { sharesOnImpliedConsent } from './case-relationship.ts';
import { teamOf } from './organisation.store.ts';
import { TIMELINE_LIMIT, type TimelineRows } from './timeline.ts';

type Db = Kysely<Database>;

/** The person's cases the viewer may see, with their teams. */
async function visibleCases(db: Db, staff: Staff, placeId: string, personId: string) {
  const all = await db
    .selectFrom('care_case')
    .select('id')
    .where('place_id', '=', placeId)
    .where('person_id', '=', personId)
    .execute();
  const found = await Promise.all(all.map((c) => findCase(db, staff, placeId, c.id)));
  return found.flatMap((c) => (c ? [c.id] : []));
}

export async function timelineRows(
  db: Db,
  staff: Staff,
  placeId: string,
  personId: string,
): Promise<TimelineRows> {
  const [caseIds, team] = await Promise.all([visibleCases(db, staff, placeId, personId), teamOf(db, staff)]);
  const ownTeam = team?.id ?? null;
  const hasCases = caseIds.length > 0;
  const ofCases = <T>(query: () => Promise<T[]>) => (hasCases ? query() : Promise.resolve([] as T[]));
  const [encounters, socialCare, contacts, referrals, versions, reviews, mdtDiscussions, consents, steps] =
    await Promise.all([
      db
        .selectFrom('encounter')
        .select([
          'kind',
          'start_date',
          'end_date',
          'length_of_stay',
          'primary_diagnosis',
          'arrival_by_ambulance',
        ])
        .where('place_id', '=', placeId)
        .where('person_id', '=', personId)
        .orderBy('start_date', 'desc')
        .orderBy('seq', 'desc')
        .limit(TIMELINE_LIMIT)
        .execute(),
      db
        .selectFrom('social_care')
        .select(['service', 'start_date', 'end_date'])
        .where('place_id', '=', placeId)
        .where('person_id', '=', personId)
        .orderBy('start_date', 'desc')
        .limit(TIMELINE_LIMIT)
        .execute(),
      ofCases(() =>
        db
          .selectFrom('case_contact as cc')
          .innerJoin('care_case as c', 'c.id', 'cc.case_id')
          .select(['c.team_id', 'cc.contact_at', 'cc.mode', 'cc.note', 'cc.recorded_by'])
          .where('cc.case_id', 'in', caseIds)
          .orderBy('cc.contact_at', 'desc')
          .limit(TIMELINE_LIMIT)
          .execute(),
      ),
      db
        .selectFrom('int_referral')
        .select([
          'team_id',
          'created_at',
          'referrer',
          'reason',
          'urgency',
          'status',
          'triaged_at',
          'triaged_by',
          'decline_reason',
        ])
        .where('place_id', '=', placeId)
        .where('person_id', '=', personId)
        .where((eb) =>
          eb.or([
            ...(hasCases ? [eb('case_id', 'in', caseIds)] : []),
            ...(ownTeam && sharesOnImpliedConsent(staff) ? [eb('team_id', '=', ownTeam)] : []),
          ]),
        )
        .orderBy('created_at', 'desc')
        .limit(TIMELINE_LIMIT)
        .execute(),
      ofCases(() =>
        db
          .selectFrom('record_version as v')
          .innerJoin('care_case as c', 'c.id', 'v.record_id')
          .select(['c.team_id', 'v.kind', 'v.version', 'v.change', 'v.changed_by', 'v.changed_at'])
          .where('v.person_id', '=', personId)
          .where('v.record_id', 'in', caseIds)
          .orderBy('v.changed_at', 'desc')
          .limit(TIMELINE_LIMIT)
          .execute(),
      ),
      ofCases(() =>
        db
          .selectFrom('case_review as r')
          .innerJoin('care_case as c', 'c.id', 'r.case_id')
          .select(['c.team_id', 'r.held_on', 'r.summary', 'r.next_review_on', 'r.recorded_by'])
          .where('r.case_id', 'in', caseIds)
          .orderBy('r.held_on', 'desc')
          .limit(TIMELINE_LIMIT)
          .execute(),
      ),
      db
        .selectFrom('mdt_item as i')
        .innerJoin('mdt_meeting as m', 'm.id', 'i.meeting_id')
        .select(['m.team_id', 'm.starts_at', 'i.summary', 'i.decisions', 'i.discussed_at', 'i.recorded_by'])
        .where('i.place_id', '=', placeId)
        .where('i.person_id', '=', personId)
        .where('i.discussed_at', 'is not', null)
        .where((eb) =>
          eb.or([
            ...(hasCases ? [eb('i.case_id', 'in', caseIds)] : []),
            // Discussions not tied to a case (a nomination, a referral): for the team's health and
            // social care staff, as the MDT agenda relationship is.
            ...(ownTeam && sharesOnImpliedConsent(staff)
              ? [eb.and([eb('i.case_id', 'is', null), eb('m.team_id', '=', ownTeam)])]
              : []),
          ]),
        )
        .orderBy('i.discussed_at', 'desc')
        .limit(TIMELINE_LIMIT)
        .execute(),
      ofCases(() =>
        db
          .selectFrom('consent_record as cr')
          .innerJoin('care_case as c', 'c.id', 'cr.case_id')
          .select([
            'c.team_id',
            'cr.status',
            'cr.given_by',
            'cr.agencies',
            'cr.purpose',
            'cr.recorded_by',
            'cr.recorded_at',
          ])
          .where('cr.case_id', 'in', caseIds)
          .orderBy('cr.recorded_at', 'desc')
          .limit(TIMELINE_LIMIT)
          .execute(),
      ),
      db
        .selectFrom('service_referral_event as e')
        .innerJoin('service_referral as sr', 'sr.id', 'e.referral_id')
        .innerJoin('directory_service as s', (j) =>
          j.onRef('s.place_id', '=', 'sr.place_id').onRef('s.id', '=', 'sr.service_id'),
        )
        .innerJoin('directory_organisation as o', (j) =>
          j.onRef('o.place_id', '=', 'sr.place_id').onRef('o.id', '=', 'sr.organisation_id'),
        )
        .select([
          'e.status',
          'e.at',
          'e.by_name',
          'e.note',
          'sr.reason',
          's.name as service_name',
          'o.name as organisation_name',
        ])
        .where('sr.place_id', '=', placeId)
        .where('sr.person_id', '=', personId)
        .where((eb) => eb.or([...(hasCases ? [eb('sr.case_id', 'in', caseIds)] : []), receivedBy(staff)]))
        .orderBy('e.at', 'desc')
        .limit(TIMELINE_LIMIT)
        .execute(),
    ]);
  return {
    encounters,
    socialCare,
    contacts,
    referrals,
    versions,
    reviews,
    // Only discussed items were asked for.
    mdtDiscussions: mdtDiscussions.flatMap((m) =>
      m.discussed_at ? [{ ...m, discussed_at: m.discussed_at }] : [],
    ),
    consents,
    serviceReferrals: steps,
  };
}
