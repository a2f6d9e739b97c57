// The security test's cases (access-matrix.int.test.ts), third part: keeping the directory up to date,
// MDT meetings, the audit trail, staff, imports and the FHIR API.

import { inDays } from '../server/test-app.ts';
import { BASE, randomId } from './access-fixtures.test-helper.ts';

import {
  type Case,
  type MatrixFixture,
  MONEY_ADVICE,
  type Scenario,
  type Who,
} from './access-matrix-fixture.test-helper.ts';
import { allows, MATRIX, type RouteRule } from './matrix.ts';

export function teamAndOversightCases(m: MatrixFixture): Record<string, Case> {
  return {
    // Keeping the directory up to date: the same answer whoever's data, since no one's is in it.
    'GET /api/places/:placeId/directory/services': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/directory/services?review=overdue` }),
    },
    'GET /api/places/:placeId/directory/choices': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/directory/choices` }),
    },
    'POST /api/places/:placeId/directory/services': {
      ok: 201,
      call: async () => ({
        method: 'POST',
        url: `${BASE}/directory/services`,
        payload: { ...(await m.editable(MONEY_ADVICE)).fields, name: `Added ${randomId()}` },
      }),
    },
    'GET /api/places/:placeId/directory/services/:serviceId': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/directory/services/${MONEY_ADVICE}` }),
    },
    'PUT /api/places/:placeId/directory/services/:serviceId': {
      ok: 200,
      call: async () => {
        const { fields, version } = await m.editable(MONEY_ADVICE);
        return {
          method: 'PUT',
          url: `${BASE}/directory/services/${MONEY_ADVICE}`,
          payload: { ...fields, fees: `Free (${randomId()})`, version },
        };
      },
    },
    'POST /api/places/:placeId/directory/services/:serviceId/checked': {
      ok: 200,
      call: async () => {
        const { fields, version } = await m.editable(MONEY_ADVICE);
        return {
          method: 'POST',
          url: `${BASE}/directory/services/${MONEY_ADVICE}/checked`,
          payload: { version, reviewDate: fields.reviewDate < inDays(0) ? inDays(90) : fields.reviewDate },
        };
      },
    },
    'GET /api/places/:placeId/teams/:teamId/mdt-meetings': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/teams/${m.teamOf(s)}/mdt-meetings` }),
    },
    'POST /api/places/:placeId/teams/:teamId/mdt-meetings': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/teams/${m.teamOf(s)}/mdt-meetings`,
        payload: {
          startsAt: new Date(Date.now() + 14 * 86400_000).toISOString(),
          location: 'Whittaker Street',
        },
      }),
    },
    'GET /api/places/:placeId/mdt-meetings/:meetingId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/mdt-meetings/${m.meetingOf(s)}` }),
    },
    'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({ method: 'POST', url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/agenda` }),
    },
    'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda/items': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/agenda/items`,
        payload: { nhsNumber: m.w.spare().nhs, reason: 'Carer is struggling' },
      }),
    },
    'PATCH /api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'PATCH',
        url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/agenda/items/${m.itemOf(s)}`,
        payload: { position: 1 },
      }),
    },
    'PUT /api/places/:placeId/mdt-meetings/:meetingId/attendance': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'PUT',
        url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/attendance`,
        payload: {
          attendees: [
            'care-coordinator',
            'int-lead',
            'social-worker',
            'vcse-link-worker',
            'family-help-lead',
          ].map((slug) => ({ practitionerId: `int-east-${slug}`, attended: true })),
        },
      }),
    },
    'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId/discussion': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s) => ({
        method: 'POST',
        url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/agenda/items/${m.itemOf(s)}/discussion`,
        payload: { summary: 'Settled at home', decisions: 'Carry on with the plan', actions: [] },
      }),
    },
    'POST /api/places/:placeId/mdt-meetings/:meetingId/held': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s, x) => {
        const allowed = allows(
          MATRIX['POST /api/places/:placeId/mdt-meetings/:meetingId/held'] as RouteRule,
          x.role,
        );
        const id = s === 'own' && allowed ? await m.w.newEastMeeting() : m.meetingOf(s);
        return { method: 'POST', url: `${BASE}/mdt-meetings/${id}/held` };
      },
    },
    // Minutes reach those recorded as attending (every East account but the GP staff's, which is no
    // practitioner of the team) and the team's lead.
    'GET /api/places/:placeId/mdt-meetings/:meetingId/minutes': {
      ok: 200,
      ownFor: { 'gp-staff': 404 },
      other: 404,
      none: 404,
      call: (s) => ({ method: 'GET', url: `${BASE}/mdt-meetings/${m.meetingOf(s)}/minutes` }),
    },
    'GET /api/audit/events': { ok: 200, call: () => ({ method: 'GET', url: '/api/audit/events' }) },
    'GET /api/audit/events.csv': { ok: 200, call: () => ({ method: 'GET', url: '/api/audit/events.csv' }) },
    'GET /api/audit/unusual': { ok: 200, call: () => ({ method: 'GET', url: '/api/audit/unusual' }) },
    'GET /api/audit/break-glass': {
      ok: 200,
      call: () => ({ method: 'GET', url: '/api/audit/break-glass' }),
    },
    'POST /api/audit/break-glass/:breakGlassId/review': {
      ok: 204,
      call: (_s, x) => {
        // Only the IG officer's calls are carried out, so only they use up a review.
        const id = x.role === 'ig-officer' ? m.breakGlassIds.shift() : m.breakGlassIds[0];
        return {
          method: 'POST',
          url: `/api/audit/break-glass/${id}/review`,
          payload: { outcome: 'appropriate', note: 'Emergency confirmed with the ward' },
        };
      },
    },
    'GET /api/audit/verify': { ok: 200, call: () => ({ method: 'GET', url: '/api/audit/verify' }) },
    'GET /api/staff': { ok: 200, call: () => ({ method: 'GET', url: '/api/staff' }) },

    // Imports (administrators): each upload is a file of its own, so each is taken in.
    'POST /api/places/:placeId/imports': {
      ok: 202,
      call: () => {
        const id = randomId();
        return {
          method: 'POST',
          url: `${BASE}/imports?fileName=organisation-${id}.ndjson`,
          payload: `${JSON.stringify({ resourceType: 'Organization', id, identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: m.w.practice }] })}\n`,
          headers: { 'content-type': 'application/octet-stream' },
        };
      },
    },
    'GET /api/places/:placeId/imports': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/imports` }),
    },
    'GET /api/places/:placeId/imports/:jobId': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'GET',
        url: `${BASE}/imports/${s === 'own' ? await m.importJob() : randomId()}`,
      }),
    },
    'GET /api/places/:placeId/imports/:jobId/problems': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'GET',
        url: `${BASE}/imports/${s === 'own' ? await m.importJob() : randomId()}/problems`,
      }),
    },
    'GET /api/places/:placeId/imports/:jobId/problems.csv': {
      ok: 200,
      other: 404,
      none: 404,
      call: async (s) => ({
        method: 'GET',
        url: `${BASE}/imports/${s === 'own' ? await m.importJob() : randomId()}/problems.csv`,
      }),
    },
    'GET /api/places/:placeId/import-templates/:layout': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/import-templates/people.csv` }),
    },
    'GET /api/places/:placeId/match-reviews': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/match-reviews` }),
    },
    'POST /api/places/:placeId/match-reviews/:reviewId': {
      ok: 404,
      call: () => ({
        method: 'POST',
        url: `${BASE}/match-reviews/${randomId()}`,
        payload: { decision: 'new-person' },
      }),
    },

    // FHIR: the same relationship rule as the app's pages
    'GET /api/places/:placeId/fhir/metadata': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/fhir/metadata` }),
    },
    'GET /api/places/:placeId/fhir/Patient': {
      ok: 200,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/fhir/Patient?identifier=${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).nhs}`,
      }),
    },
    'GET /api/places/:placeId/fhir/Patient/:id': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/fhir/Patient/${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).id}`,
      }),
    },
    ...Object.fromEntries(
      (['CarePlan', 'Task', 'ServiceRequest'] as const).flatMap((type) => [
        [
          `GET /api/places/:placeId/fhir/${type}`,
          {
            ok: 200,
            other: 404,
            none: 404,
            call: (s: Scenario, x: Who) => ({
              method: 'GET' as const,
              url: `${BASE}/fhir/${type}?patient=Patient/${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).id}`,
            }),
          },
        ],
        [
          `GET /api/places/:placeId/fhir/${type}/:id`,
          {
            ok: 200,
            // A referral awaiting triage is seen by the team's staff whose agency shares on implied consent (not VCSE or family hubs).
            ...(type === 'ServiceRequest' ? { ownFor: { 'family-help-lead': 404, 'vcse-worker': 404 } } : {}),
            other: 404,
            none: 404,
            call: async (s: Scenario) => {
              const own =
                type === 'CarePlan'
                  ? m.w.cases.east
                  : type === 'Task'
                    ? m.w.actions.east
                    : await m.eastReferral();
              const other =
                type === 'CarePlan' ? m.w.cases.west : type === 'Task' ? m.w.actions.west : m.w.westReferral;
              return {
                method: 'GET' as const,
                url: `${BASE}/fhir/${type}/${s === 'own' ? own : s === 'other' ? other : randomId()}`,
              };
            },
          },
        ],
      ]),
    ),
    ...Object.fromEntries(
      ['POST /api/places/:placeId/fhir', 'POST /api/places/:placeId/fhir/'].map((key) => [
        key,
        {
          ok: 200,
          call: () => ({
            method: 'POST' as const,
            url: `${BASE}/fhir${key.endsWith('/') ? '/' : ''}`,
            payload: {
              resourceType: 'Bundle',
              type: 'batch',
              entry: [
                {
                  resource: {
                    resourceType: 'Organization',
                    id: randomId(),
                    identifier: [
                      { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: m.w.practice },
                    ],
                  },
                  request: { method: 'PUT', url: 'Organization' },
                },
              ],
            },
          }),
        },
      ]),
    ),
    'GET /api/places/:placeId/fhir/$export': {
      ok: 202,
      call: () => ({ method: 'GET', url: `${BASE}/fhir/$export`, headers: { prefer: 'respond-async' } }),
    },
    'GET /api/places/:placeId/fhir/$export-status/:jobId': {
      ok: 404,
      call: () => ({ method: 'GET', url: `${BASE}/fhir/$export-status/${randomId()}` }),
    },
    'DELETE /api/places/:placeId/fhir/$export-status/:jobId': {
      ok: 404,
      call: () => ({ method: 'DELETE', url: `${BASE}/fhir/$export-status/${randomId()}` }),
    },
    'GET /api/places/:placeId/fhir/$export-file/:jobId/:file': {
      ok: 404,
      call: () => ({ method: 'GET', url: `${BASE}/fhir/$export-file/${randomId()}/Patient.ndjson` }),
    },
  };
}
