// The security test's cases (access-matrix.int.test.ts), first part: sessions, the public directory feed,
// the place's figures and profiles, cohorts, worklists, people and break-glass. For each route, the call
// each role makes in each position and the status predicted when the role is allowed.
import { directoryId } from '../directory/directory.ts';
import { inDays, TEST_PASSWORD } from '../server/test-app.ts';
import { BASE, openSession, randomId } from './access-fixtures.test-helper.ts';

import { type Case, type MatrixFixture, RULES } from './access-matrix-fixture.test-helper.ts';

export function signInAndListCases(m: MatrixFixture): Record<string, Case> {
  return {
    'GET /health': { ok: 200, call: () => ({ method: 'GET', url: '/health' }) },
    'GET /api/docs': { ok: 200, call: () => ({ method: 'GET', url: '/api/docs' }) },
    'GET /api/docs/json': { ok: 200, call: () => ({ method: 'GET', url: '/api/docs/json' }) },
    'GET /api/session': { ok: 200, call: () => ({ method: 'GET', url: '/api/session' }) },
    'GET /api/sign-in-options': { ok: 200, call: () => ({ method: 'GET', url: '/api/sign-in-options' }) },
    'POST /api/session': {
      ok: 200,
      call: (_s, x) => ({
        method: 'POST',
        url: '/api/session',
        payload: { username: x.session.username, password: TEST_PASSWORD },
        anonymous: true,
      }),
    },
    'DELETE /api/session': {
      ok: 204,
      call: () => ({ method: 'DELETE', url: '/api/session', throwaway: true }),
    },
    // The test app has no OpenID Connect provider set up, so both answer "not set up" to everyone.
    'GET /auth/oidc/start': { ok: 404, call: () => ({ method: 'GET', url: '/auth/oidc/start' }) },
    'GET /auth/oidc/callback': {
      ok: 404,
      call: () => ({ method: 'GET', url: '/auth/oidc/callback?code=x&state=y' }),
    },
    'GET /api/sessions': { ok: 200, call: () => ({ method: 'GET', url: '/api/sessions' }) },
    'DELETE /api/sessions/:sessionId': {
      ok: 204,
      other: 404,
      none: 404,
      call: async (s, x) => {
        const target =
          s === 'own'
            ? (
                await openSession(m.app, m.db, {
                  id: x.session.staffId,
                  username: x.session.username,
                  role: x.role,
                })
              ).sessionId
            : s === 'other'
              ? m.stranger.sessionId
              : randomId();
        return { method: 'DELETE', url: `/api/sessions/${target}` };
      },
    },
    // The Open Referral UK feed is public: every role, and no one signed in, reads the same directory.
    'GET /api/places/:placeId/oruk': { ok: 200, call: () => ({ method: 'GET', url: `${BASE}/oruk` }) },
    'GET /api/places/:placeId/oruk/': { ok: 200, call: () => ({ method: 'GET', url: `${BASE}/oruk/` }) },
    'GET /api/places/:placeId/oruk/services': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/oruk/services?search=befriending&per_page=5` }),
    },
    'GET /api/places/:placeId/oruk/services/:id': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/oruk/services/${directoryId('bury', 'service', 'money-advice-line')}`,
      }),
    },
    'GET /api/places/:placeId/oruk/taxonomies': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/oruk/taxonomies` }),
    },
    'GET /api/places/:placeId/oruk/taxonomies/:id': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/oruk/taxonomies/${directoryId('bury', 'taxonomy', 'needs')}`,
      }),
    },
    'GET /api/places/:placeId/oruk/taxonomy_terms': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/oruk/taxonomy_terms?per_page=5` }),
    },
    'GET /api/places/:placeId/oruk/taxonomy_terms/:id': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/oruk/taxonomy_terms/${directoryId('bury', 'taxonomy-term', 'carers')}`,
      }),
    },
    'GET /api/places/:placeId/oruk/service_at_locations': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/oruk/service_at_locations?neighbourhood=west&per_page=5`,
      }),
    },
    'GET /api/places/:placeId/oruk/service_at_locations/:id': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/oruk/service_at_locations/${directoryId('bury', 'service-at-location', 'radcliffe-lunch-club@radcliffe-community-hall')}`,
      }),
    },
    'GET /api/places': { ok: 200, call: () => ({ method: 'GET', url: '/api/places' }) },
    'GET /api/places/:placeId': { ok: 200, call: () => ({ method: 'GET', url: BASE }) },
    'GET /api/places/:placeId/neighbourhoods/:code': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/neighbourhoods/east` }),
    },
    'GET /api/places/:placeId/lsoas': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/lsoas?neighbourhood=east` }),
    },
    'GET /api/places/:placeId/boundaries/lsoas': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/boundaries/lsoas?neighbourhood=east` }),
    },
    'GET /api/places/:placeId/boundaries/wards': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/boundaries/wards?neighbourhood=east` }),
    },
    'GET /api/places/:placeId/profiles': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/profiles` }),
    },
    'GET /api/places/:placeId/profiles/:areaKind/:code': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/profiles/ward/E05014163` }),
    },
    'GET /api/places/:placeId/profiles/:areaKind/:code/download/:format': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/profiles/neighbourhood/east/download/csv` }),
    },
    'GET /api/places/:placeId/maps/:figureId/:level': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/maps/emergency-admissions-crude/lsoa` }),
    },
    'GET /api/places/:placeId/outcomes': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/outcomes` }),
    },
    'GET /api/places/:placeId/outcomes/:indicatorId/:areaKind/:code/:period': {
      ok: 200,
      call: () => ({
        method: 'GET',
        url: `${BASE}/outcomes/emergency-admissions/neighbourhood/east/month`,
      }),
    },
    'GET /api/places/:placeId/cohort-fields': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/cohort-fields` }),
    },
    'POST /api/places/:placeId/cohorts/preview': {
      ok: 200,
      call: () => ({ method: 'POST', url: `${BASE}/cohorts/preview`, payload: { rules: RULES } }),
    },
    'GET /api/places/:placeId/cohorts': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/cohorts` }),
    },
    'POST /api/places/:placeId/cohorts': {
      ok: 201,
      call: () => ({
        method: 'POST',
        url: `${BASE}/cohorts`,
        payload: { name: 'Another 75+', rules: RULES },
      }),
    },
    'GET /api/places/:placeId/cohorts/:cohortId': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/cohorts/${m.w.cohortId}` }),
    },
    'PUT /api/places/:placeId/cohorts/:cohortId': {
      ok: 200,
      call: () => ({
        method: 'PUT',
        url: `${BASE}/cohorts/${m.w.spareCohortId}`,
        payload: { name: 'Spare cohort', rules: RULES },
      }),
    },
    'GET /api/places/:placeId/cohorts/:cohortId/members': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/cohorts/${m.w.cohortId}/members` }),
    },
    'GET /api/places/:placeId/cohorts/:cohortId/members.csv': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/cohorts/${m.w.cohortId}/members.csv` }),
    },
    'GET /api/places/:placeId/worklists': {
      ok: 200,
      call: () => ({ method: 'GET', url: `${BASE}/worklists` }),
    },
    'POST /api/places/:placeId/worklists': {
      ok: 201,
      other: 403,
      call: (s, x) => ({
        method: 'POST',
        url: `${BASE}/worklists`,
        payload: {
          cohortId: m.w.cohortId,
          name: 'Another list',
          ...(s === 'other' ? x.otherScope : x.scope),
        },
      }),
    },
    'GET /api/places/:placeId/worklists/:worklistId': {
      ok: 200,
      other: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/worklists/${s === 'other' ? m.w.worklists.west : x.ownWorklist}`,
      }),
    },
    'GET /api/places/:placeId/worklists/:worklistId/people': {
      ok: 200,
      other: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/worklists/${s === 'other' ? m.w.worklists.west : x.ownWorklist}/people`,
      }),
    },
    'POST /api/places/:placeId/worklists/:worklistId/decisions': {
      ok: 201,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'POST',
        url: `${BASE}/worklists/${s === 'other' ? m.w.worklists.west : x.ownWorklist}/decisions`,
        payload: {
          personId: (s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).id,
          decision: 'discuss-at-mdt',
          reason: 'Seen at the huddle',
          reviewDate: inDays(30),
        },
      }),
    },
    'GET /api/places/:placeId/worklists/:worklistId/people/:personId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'GET',
        url:
          s === 'own'
            ? `${BASE}/worklists/${x.ownWorklist}/people/${x.ownPerson.id}`
            : s === 'other'
              ? `${BASE}/worklists/${m.w.worklists.west}/people/${m.w.westPerson.id}`
              : `${BASE}/worklists/${x.ownWorklist}/people/${m.w.loner.id}`,
      }),
    },
    // Nominating needs no relationship (it is how one starts), so only another team's list is refused.
    'POST /api/places/:placeId/worklists/:worklistId/nominations': {
      ok: 201,
      other: 404,
      call: (s, x) => ({
        method: 'POST',
        url: `${BASE}/worklists/${s === 'other' ? m.w.worklists.west : x.ownWorklist}/nominations`,
        payload: m.nomination(),
      }),
    },
    'GET /api/places/:placeId/people/:personId': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/people/${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).id}`,
      }),
    },
    'GET /api/places/:placeId/people': {
      ok: 200,
      other: 404,
      none: 404,
      call: (s, x) => ({
        method: 'GET',
        url: `${BASE}/people?nhsNumber=${(s === 'own' ? x.ownPerson : s === 'other' ? m.w.westPerson : m.w.loner).nhs}`,
      }),
    },
    // Break-glass is for people one has no relationship with; each call opens it for a new person.
    'POST /api/places/:placeId/break-glass': {
      ok: 201,
      call: () => ({
        method: 'POST',
        url: `${BASE}/break-glass`,
        payload: {
          nhsNumber: m.w.spare().nhs,
          reason: 'Found collapsed at home, GP surgery closed',
          password: TEST_PASSWORD,
        },
      }),
    },
  };
}
