// The security test's cases (access-matrix.int.test.ts), second part: case management (referrals to a
// team, triage, the caseload, cases, plans, reviews, contacts, consent, closing), my work, the timeline,
// huddles and referrals into directory services.
import { addTestService, insertServiceReferral } from '../directory/service-referral.test-helper.ts';
import { inDays } from '../server/test-app.ts';
import { BASE, randomId } from './access-fixtures.test-helper.ts';
import { type Case, FRIENDSHIP_GROUP, type MatrixFixture } from './access-matrix-fixture.test-helper.ts';
import { allows, MATRIX, type RouteRule } from './matrix.ts';

export function careCases(m: MatrixFixture): Record<string, Case> {
  return {
    // Case management. "Own" is the East INT's case (shared with its VCSE and family hubs staff by
    // consent, and registered at the GP staff's practice); "other" is the West INT's; "none" does not exist.
    'GET /api/places/:placeId/organisation': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/organisation` }),
    },
    // Anyone in direct care may refer anyone to any INT (the receiving team's health and social care
    // staff gain a relationship, reported to the IG officer as unusual access).
    'POST /api/places/:placeId/referrals': {
      ok: 201,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/referrals`,
        payload: {
          teamId: s === 'other' ? 'int-west' : 'int-east',
          nhsNumber: m.w.spare().nhs,
          source: 'practitioner',
          reason: 'Struggling at home since her husband died',
        },
      }),
    },
    'GET /api/places/:placeId/teams/:teamId/referrals': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/teams/${m.teamOf(s)}/referrals` }),
    },
    'GET /api/places/:placeId/referrals/:referralId': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'GET',
        url: `${BASE}/referrals/${s === 'own' ? await m.w.newEastReferral() : s === 'other' ? m.w.westReferral : randomId()}`,
      }),
    },
    'POST /api/places/:placeId/referrals/:referralId/triage': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s, x) => ({
        method: 'POST',
        // Only calls that will be carried out use up a new referral.
        url: `${BASE}/referrals/${s === 'own' && allows(MATRIX['POST /api/places/:placeId/referrals/:referralId/triage'] as RouteRule, x.role) ? await m.w.newEastReferral() : s === 'other' ? m.w.westReferral : randomId()}/triage`,
        payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator' },
      }),
    },
    'GET /api/places/:placeId/teams/:teamId/caseload': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/teams/${m.teamOf(s)}/caseload` }),
    },
    'GET /api/places/:placeId/cases/:caseId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/cases/${m.caseOfScenario(s)}` }),
    },
    'PUT /api/places/:placeId/cases/:caseId': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'PUT',
        url: `${BASE}/cases/${m.caseOfScenario(s)}`,
        payload: {
          version: await m.versionOf('care_case', m.caseOfScenario(s)),
          leadPractitionerId: 'int-east-care-coordinator',
          keyWorkerIds: ['int-east-social-worker'],
          reviewDueOn: inDays(30),
        },
      }),
    },
    'GET /api/places/:placeId/cases/:caseId/versions': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/cases/${m.caseOfScenario(s)}/versions` }),
    },
    'PUT /api/places/:placeId/cases/:caseId/plan': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'PUT',
        url: `${BASE}/cases/${m.caseOfScenario(s)}/plan`,
        payload: {
          version: await m.versionOf('care_plan', m.caseOfScenario(s)),
          whatMatters: 'Getting back to church on Sundays',
          strengths: '',
          risks: '',
          goals: [{ id: 'g1', text: 'I want to get to church' }],
          actions: [],
        },
      }),
    },
    'PATCH /api/places/:placeId/actions/:actionId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'PATCH',
        url: `${BASE}/actions/${s === 'own' ? m.w.actions.east : s === 'other' ? m.w.actions.west : randomId()}`,
        payload: { status: 'in-progress' },
      }),
    },
    'POST /api/places/:placeId/cases/:caseId/reviews': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/cases/${m.caseOfScenario(s)}/reviews`,
        payload: { heldOn: inDays(0), summary: 'Settled; carer coping', nextReviewOn: inDays(42) },
      }),
    },
    'POST /api/places/:placeId/cases/:caseId/contacts': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/cases/${m.caseOfScenario(s)}/contacts`,
        payload: { contactAt: new Date().toISOString(), mode: 'phone', note: 'Rang to check in' },
      }),
    },
    'POST /api/places/:placeId/cases/:caseId/consent': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/cases/${m.caseOfScenario(s)}/consent`,
        payload: {
          status: 'given',
          givenBy: 'person',
          agencies: ['vcse-link-workers', 'bury-family-hubs'],
          purpose: 'Support from local groups and the family hub',
        },
      }),
    },
    'POST /api/places/:placeId/cases/:caseId/close': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s, x) => {
        const allowed = allows(MATRIX['POST /api/places/:placeId/cases/:caseId/close'] as RouteRule, x.role);
        const id = s === 'own' && allowed ? await m.w.newEastCase() : m.caseOfScenario(s);
        return {
          method: 'POST',
          url: `${BASE}/cases/${id}/close`,
          payload: {
            version: await m.versionOf('care_case', id),
            reason: 'goals-met',
            outcome: 'Back to church weekly',
          },
        };
      },
    },
    'GET /api/places/:placeId/my-work': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/my-work` }),
    },
    'GET /api/places/:placeId/people/:personId/timeline': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/people/${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).id}/timeline`,
      }),
    },
    // Today's huddle was started by the fixtures, so starting one again answers it (200).
    'GET /api/places/:placeId/teams/:teamId/huddle': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/teams/${m.teamOf(s)}/huddle` }),
    },
    'POST /api/places/:placeId/teams/:teamId/huddles': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'POST', url: `${BASE}/teams/${m.teamOf(s)}/huddles` }),
    },
    'POST /api/places/:placeId/huddles/:huddleId/outcomes': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/huddles/${s === 'own' ? m.w.huddles.east : s === 'other' ? m.w.huddles.west : randomId()}/outcomes`,
        payload: {
          personId: (s === 'other' ? m.w.westPerson : m.w.practicePerson).id,
          item: 'overdue-action',
          outcome: 'noted',
        },
      }),
    },
    // Referrals into directory services. "Own" is from the East case (consent names the link workers)
    // to a Kingfisher Befriending group the link workers receive; "other" from the West case to a
    // service only the police receive. All the East roles share the case, so all may refer from it
    // and read its referrals; only the receiving agency's staff (the VCSE worker) move one.
    'POST /api/places/:placeId/cases/:caseId/service-referrals': {
      ok: 201,
      other: 404,
      none: 404,
      // A service of its own for each call: a case has one open referral to a service at a time.
      call: async (s) => ({
        method: 'POST',
        url: `${BASE}/cases/${m.caseOfScenario(s)}/service-referrals`,
        payload: {
          serviceId: await addTestService(m.db, { agencyId: 'vcse-link-workers', hasLocation: true }),
          reason: 'Would like company nearby',
        },
      }),
    },
    'GET /api/places/:placeId/cases/:caseId/service-referrals': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/cases/${m.caseOfScenario(s)}/service-referrals` }),
    },
    'GET /api/places/:placeId/service-referrals/inbox': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/service-referrals/inbox` }),
    },
    'GET /api/places/:placeId/service-referrals/:referralId': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'GET',
        url: `${BASE}/service-referrals/${s === 'own' ? await m.serviceReferral('own') : s === 'other' ? await m.serviceReferral('other') : randomId()}`,
      }),
    },
    'POST /api/places/:placeId/service-referrals/:referralId/status': {
      ok: 200,
      ownFor: {
        'int-practitioner': 403,
        'int-lead': 403,
        'social-worker': 403,
        'gp-staff': 403,
        'family-help-lead': 403,
      },
      other: 404,
      none: 404,
      call: async (s, x) => {
        // Only the calls that will be carried out use up a new referral.
        const id =
          s === 'own'
            ? x.role === 'vcse-worker'
              ? await insertServiceReferral(
                  m.db,
                  m.w.cases.east,
                  await addTestService(m.db, { agencyId: 'vcse-link-workers', hasLocation: true }),
                )
              : await m.serviceReferral('own')
            : s === 'other'
              ? await m.serviceReferral('other')
              : randomId();
        return {
          method: 'POST',
          url: `${BASE}/service-referrals/${id}/status`,
          payload: { status: 'received', version: 1 },
        };
      },
    },
    'GET /api/places/:placeId/directory/services/:serviceId/figures': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/directory/services/${FRIENDSHIP_GROUP}/figures` }),
    },
  };
}
