// The security test generated from the router: every route the app serves must have an entry in the
// authorisation matrix, and each is called as every role in three positions (the staff member's own
// team with a relationship, another team's data, a person no one has a relationship with). The
// status must be the one the matrix and the relationship rule predict. A 404 for a person who exists
// but may not be seen must be indistinguishable from the 404 for a person who does not exist.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/create-db.ts';
import type { Role } from '../db/database.ts';
import { dbTargets } from '../db/test-db.ts';
import { directoryId } from '../directory/directory.ts';
import { editableService } from '../directory/directory-edit.store.ts';
import { addTestService, insertServiceReferral } from '../directory/service-referral.test-helper.ts';
import { importFile } from '../exchange/import-run.ts';
import { RELATIONSHIP_SOURCES } from '../server/app.ts';
import type { App } from '../server/app-types.ts';
import { TEST_PASSWORD } from '../server/test-app.ts';
import { registerAccess } from './access.plugin.ts';
import {
  BASE,
  buildWorld,
  openSession,
  type Resident,
  randomId,
  type Session,
  staffSession,
  unusedNhsNumber,
  type World,
} from './access-fixtures.test-helper.ts';
import { allows, MATRIX, type RouteRule, routeKey, ruleFor } from './matrix.ts';
import { ALL_ROLES, ROLES } from './roles.ts';

type Scenario = 'own' | 'other' | 'none';
const SCENARIOS: Scenario[] = ['own', 'other', 'none'];

/** Routes the matrix may name before they are served: signing in with OIDC (being added). */
const NOT_YET_REGISTERED = new Set(['GET /auth/oidc/start', 'GET /auth/oidc/callback']);

/** Every route in the router, from printRoutes (the tree, without a common prefix). */
function routesOf(app: App): { method: string; url: string }[] {
  const found: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const url = (depth > 0 ? stack[depth - 1] : '') + (m[2] ?? '');
    stack.length = depth;
    stack.push(url);
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()))
      if (method) found.push({ method, url });
  }
  return found;
}

const isWebAppFile = (url: string) => !/^\/(api|auth)(\/|$)/.test(url) && url !== '/health';

interface Who {
  role: Role;
  session: Session;
  ownWorklist: string;
  ownPerson: Resident;
  /** The footprint the staff member may make worklists for. */
  scope: { scope: string; scopeCode: string };
  otherScope: { scope: string; scopeCode: string };
}

interface Call {
  method: InjectOptions['method'];
  url: string;
  payload?: Record<string, unknown> | string;
  headers?: Record<string, string>;
  /** Sent with a session of its own (the request ends it), not the staff member's main one. */
  throwaway?: boolean;
  /** Sent without any cookie (signing in). */
  anonymous?: boolean;
}

interface Case {
  /** The status when the role is allowed and the scenario is its own data. */
  ok: number;
  /** Roles the matrix allows whose own-data answer differs from `ok`. */
  ownFor?: Partial<Record<Role, number>>;
  /** The status for other scenarios when allowed, if not `ok`. */
  other?: number;
  none?: number;
  call(s: Scenario, who: Who): Call | Promise<Call>;
}

for (const target of dbTargets()) {
  describe(`the authorisation matrix, route by route, on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let w: World;
    const who = new Map<Role, Who>();
    let stranger: Session;
    const breakGlassIds: string[] = [];
    let routes: { method: string; url: string }[] = [];
    let addressCounter = 0;

    before(async () => {
      db = await target.open();
      w = await buildWorld(db);
      app = w.app;
      for (const role of ALL_ROLES) {
        const session = await staffSession(app, db, w.specFor(role));
        const gp = role === 'gp-staff';
        who.set(role, {
          role,
          session,
          ownWorklist: gp ? w.worklists.practice : w.worklists.east,
          ownPerson: gp ? w.practicePerson : w.eastPerson,
          scope: gp
            ? { scope: 'practice', scopeCode: w.practice }
            : { scope: 'neighbourhood', scopeCode: 'east' },
          otherScope: gp
            ? { scope: 'practice', scopeCode: 'P83007' }
            : { scope: 'neighbourhood', scopeCode: 'west' },
        });
      }
      stranger = await staffSession(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      // Past break-glass uses awaiting review (expired, so they give no one a relationship now).
      for (let i = 0; i < 40; i++) {
        const id = randomId();
        breakGlassIds.push(id);
        await db.kysely
          .insertInto('break_glass')
          .values({
            id,
            place_id: 'bury',
            user_id: stranger.staffId,
            person_id: w.eastPerson.id,
            reason: 'Unconscious in A&E, no one to ask',
            started_at: new Date(Date.now() - 3 * 3600_000),
            expires_at: new Date(Date.now() - 2 * 3600_000),
          })
          .execute();
      }
      routes = routesOf(app).filter((r) => r.method !== 'HEAD' && !isWebAppFile(r.url));
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    function whoOf(role: Role): Who {
      const found = who.get(role);
      if (!found) throw new Error(`no staff member for ${role}`);
      return found;
    }
    function caseOf(key: string): Case {
      const found = CASES[key];
      if (!found) throw new Error(`no case for ${key}`);
      return found;
    }

    const teamOf = (s: Scenario) => (s === 'own' ? 'int-east' : s === 'other' ? 'int-west' : 'int-nowhere');
    const meetingOf = (s: Scenario) =>
      s === 'own' ? w.meetings.east : s === 'other' ? w.meetings.west : randomId();
    const itemOf = (s: Scenario) => (s === 'own' ? w.items.east : s === 'other' ? w.items.west : randomId());
    const caseOfScenario = (s: Scenario) =>
      s === 'own' ? w.cases.east : s === 'other' ? w.cases.west : randomId();
    async function versionOf(table: 'care_case' | 'care_plan', id: string): Promise<number> {
      const row =
        table === 'care_case'
          ? await db.kysely.selectFrom('care_case').select('version').where('id', '=', id).executeTakeFirst()
          : await db.kysely
              .selectFrom('care_plan')
              .select('version')
              .where('case_id', '=', id)
              .executeTakeFirst();
      return row?.version ?? 1;
    }

    /** A service as its edit form has it, now (each editor's save moves its version on). */
    async function editable(serviceId: string) {
      const found = await editableService(db.kysely, 'bury', serviceId);
      if (!found) throw new Error(`no service ${serviceId}`);
      return found;
    }

    const nomination = () => ({
      nhsNumber: w.spare().nhs,
      reason: 'Carer breakdown reported by the social prescriber',
    });

    const CASES: Record<string, Case> = {
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
                  await openSession(app, db, {
                    id: x.session.staffId,
                    username: x.session.username,
                    role: x.role,
                  })
                ).sessionId
              : s === 'other'
                ? stranger.sessionId
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
        call: () => ({ method: 'GET', url: `${BASE}/cohorts/${w.cohortId}` }),
      },
      'PUT /api/places/:placeId/cohorts/:cohortId': {
        ok: 200,
        call: () => ({
          method: 'PUT',
          url: `${BASE}/cohorts/${w.spareCohortId}`,
          payload: { name: 'Spare cohort', rules: RULES },
        }),
      },
      'GET /api/places/:placeId/cohorts/:cohortId/members': {
        ok: 200,
        call: () => ({ method: 'GET', url: `${BASE}/cohorts/${w.cohortId}/members` }),
      },
      'GET /api/places/:placeId/cohorts/:cohortId/members.csv': {
        ok: 200,
        call: () => ({ method: 'GET', url: `${BASE}/cohorts/${w.cohortId}/members.csv` }),
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
            cohortId: w.cohortId,
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
          url: `${BASE}/worklists/${s === 'other' ? w.worklists.west : x.ownWorklist}`,
        }),
      },
      'GET /api/places/:placeId/worklists/:worklistId/people': {
        ok: 200,
        other: 404,
        call: (s, x) => ({
          method: 'GET',
          url: `${BASE}/worklists/${s === 'other' ? w.worklists.west : x.ownWorklist}/people`,
        }),
      },
      'POST /api/places/:placeId/worklists/:worklistId/decisions': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s, x) => ({
          method: 'POST',
          url: `${BASE}/worklists/${s === 'other' ? w.worklists.west : x.ownWorklist}/decisions`,
          payload: {
            personId: (s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).id,
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
                ? `${BASE}/worklists/${w.worklists.west}/people/${w.westPerson.id}`
                : `${BASE}/worklists/${x.ownWorklist}/people/${w.loner.id}`,
        }),
      },
      // Nominating needs no relationship (it is how one starts), so only another team's list is refused.
      'POST /api/places/:placeId/worklists/:worklistId/nominations': {
        ok: 201,
        other: 404,
        call: (s, x) => ({
          method: 'POST',
          url: `${BASE}/worklists/${s === 'other' ? w.worklists.west : x.ownWorklist}/nominations`,
          payload: nomination(),
        }),
      },
      'GET /api/places/:placeId/people/:personId': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s, x) => ({
          method: 'GET',
          url: `${BASE}/people/${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).id}`,
        }),
      },
      'GET /api/places/:placeId/people': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s, x) => ({
          method: 'GET',
          url: `${BASE}/people?nhsNumber=${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).nhs}`,
        }),
      },
      // Break-glass is for people one has no relationship with; each call opens it for a new person.
      'POST /api/places/:placeId/break-glass': {
        ok: 201,
        call: () => ({
          method: 'POST',
          url: `${BASE}/break-glass`,
          payload: { nhsNumber: w.spare().nhs, reason: 'Found collapsed at home, GP surgery closed' },
        }),
      },
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
            nhsNumber: w.spare().nhs,
            source: 'practitioner',
            reason: 'Struggling at home since her husband died',
          },
        }),
      },
      'GET /api/places/:placeId/teams/:teamId/referrals': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'GET', url: `${BASE}/teams/${teamOf(s)}/referrals` }),
      },
      'GET /api/places/:placeId/referrals/:referralId': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s) => ({
          method: 'GET',
          url: `${BASE}/referrals/${s === 'own' ? await w.newEastReferral() : s === 'other' ? w.westReferral : randomId()}`,
        }),
      },
      'POST /api/places/:placeId/referrals/:referralId/triage': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s, x) => ({
          method: 'POST',
          // Only calls that will be carried out use up a new referral.
          url: `${BASE}/referrals/${s === 'own' && allows(MATRIX['POST /api/places/:placeId/referrals/:referralId/triage'] as RouteRule, x.role) ? await w.newEastReferral() : s === 'other' ? w.westReferral : randomId()}/triage`,
          payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator' },
        }),
      },
      'GET /api/places/:placeId/teams/:teamId/caseload': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'GET', url: `${BASE}/teams/${teamOf(s)}/caseload` }),
      },
      'GET /api/places/:placeId/cases/:caseId': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'GET', url: `${BASE}/cases/${caseOfScenario(s)}` }),
      },
      'PUT /api/places/:placeId/cases/:caseId': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s) => ({
          method: 'PUT',
          url: `${BASE}/cases/${caseOfScenario(s)}`,
          payload: {
            version: await versionOf('care_case', caseOfScenario(s)),
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
        call: (s) => ({ method: 'GET', url: `${BASE}/cases/${caseOfScenario(s)}/versions` }),
      },
      'PUT /api/places/:placeId/cases/:caseId/plan': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s) => ({
          method: 'PUT',
          url: `${BASE}/cases/${caseOfScenario(s)}/plan`,
          payload: {
            version: await versionOf('care_plan', caseOfScenario(s)),
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
          url: `${BASE}/actions/${s === 'own' ? w.actions.east : s === 'other' ? w.actions.west : randomId()}`,
          payload: { status: 'in-progress' },
        }),
      },
      'POST /api/places/:placeId/cases/:caseId/reviews': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/cases/${caseOfScenario(s)}/reviews`,
          payload: { heldOn: inDays(0), summary: 'Settled; carer coping', nextReviewOn: inDays(42) },
        }),
      },
      'POST /api/places/:placeId/cases/:caseId/contacts': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/cases/${caseOfScenario(s)}/contacts`,
          payload: { contactAt: new Date().toISOString(), mode: 'phone', note: 'Rang to check in' },
        }),
      },
      'POST /api/places/:placeId/cases/:caseId/consent': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/cases/${caseOfScenario(s)}/consent`,
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
          const allowed = allows(
            MATRIX['POST /api/places/:placeId/cases/:caseId/close'] as RouteRule,
            x.role,
          );
          const id = s === 'own' && allowed ? await w.newEastCase() : caseOfScenario(s);
          return {
            method: 'POST',
            url: `${BASE}/cases/${id}/close`,
            payload: {
              version: await versionOf('care_case', id),
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
          url: `${BASE}/people/${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).id}/timeline`,
        }),
      },
      // Today's huddle was started by the fixtures, so starting one again answers it (200).
      'GET /api/places/:placeId/teams/:teamId/huddle': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'GET', url: `${BASE}/teams/${teamOf(s)}/huddle` }),
      },
      'POST /api/places/:placeId/teams/:teamId/huddles': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'POST', url: `${BASE}/teams/${teamOf(s)}/huddles` }),
      },
      'POST /api/places/:placeId/huddles/:huddleId/outcomes': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/huddles/${s === 'own' ? w.huddles.east : s === 'other' ? w.huddles.west : randomId()}/outcomes`,
          payload: {
            personId: (s === 'other' ? w.westPerson : w.practicePerson).id,
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
          url: `${BASE}/cases/${caseOfScenario(s)}/service-referrals`,
          payload: {
            serviceId: await addTestService(db, { agencyId: 'vcse-link-workers', hasLocation: true }),
            reason: 'Would like company nearby',
          },
        }),
      },
      'GET /api/places/:placeId/cases/:caseId/service-referrals': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'GET', url: `${BASE}/cases/${caseOfScenario(s)}/service-referrals` }),
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
          url: `${BASE}/service-referrals/${s === 'own' ? await serviceReferral('own') : s === 'other' ? await serviceReferral('other') : randomId()}`,
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
                    db,
                    w.cases.east,
                    await addTestService(db, { agencyId: 'vcse-link-workers', hasLocation: true }),
                  )
                : await serviceReferral('own')
              : s === 'other'
                ? await serviceReferral('other')
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
          payload: { ...(await editable(MONEY_ADVICE)).fields, name: `Added ${randomId()}` },
        }),
      },
      'GET /api/places/:placeId/directory/services/:serviceId': {
        ok: 200,
        call: () => ({ method: 'GET', url: `${BASE}/directory/services/${MONEY_ADVICE}` }),
      },
      'PUT /api/places/:placeId/directory/services/:serviceId': {
        ok: 200,
        call: async () => {
          const { fields, version } = await editable(MONEY_ADVICE);
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
          const { fields, version } = await editable(MONEY_ADVICE);
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
        call: (s) => ({ method: 'GET', url: `${BASE}/teams/${teamOf(s)}/mdt-meetings` }),
      },
      'POST /api/places/:placeId/teams/:teamId/mdt-meetings': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/teams/${teamOf(s)}/mdt-meetings`,
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
        call: (s) => ({ method: 'GET', url: `${BASE}/mdt-meetings/${meetingOf(s)}` }),
      },
      'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({ method: 'POST', url: `${BASE}/mdt-meetings/${meetingOf(s)}/agenda` }),
      },
      'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda/items': {
        ok: 201,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'POST',
          url: `${BASE}/mdt-meetings/${meetingOf(s)}/agenda/items`,
          payload: { nhsNumber: w.spare().nhs, reason: 'Carer is struggling' },
        }),
      },
      'PATCH /api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'PATCH',
          url: `${BASE}/mdt-meetings/${meetingOf(s)}/agenda/items/${itemOf(s)}`,
          payload: { position: 1 },
        }),
      },
      'PUT /api/places/:placeId/mdt-meetings/:meetingId/attendance': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s) => ({
          method: 'PUT',
          url: `${BASE}/mdt-meetings/${meetingOf(s)}/attendance`,
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
          url: `${BASE}/mdt-meetings/${meetingOf(s)}/agenda/items/${itemOf(s)}/discussion`,
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
          const id = s === 'own' && allowed ? await w.newEastMeeting() : meetingOf(s);
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
        call: (s) => ({ method: 'GET', url: `${BASE}/mdt-meetings/${meetingOf(s)}/minutes` }),
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
          const id = x.role === 'ig-officer' ? breakGlassIds.shift() : breakGlassIds[0];
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
            payload: `${JSON.stringify({ resourceType: 'Organization', id, identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: w.practice }] })}\n`,
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
          url: `${BASE}/imports/${s === 'own' ? await importJob() : randomId()}`,
        }),
      },
      'GET /api/places/:placeId/imports/:jobId/problems': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s) => ({
          method: 'GET',
          url: `${BASE}/imports/${s === 'own' ? await importJob() : randomId()}/problems`,
        }),
      },
      'GET /api/places/:placeId/imports/:jobId/problems.csv': {
        ok: 200,
        other: 404,
        none: 404,
        call: async (s) => ({
          method: 'GET',
          url: `${BASE}/imports/${s === 'own' ? await importJob() : randomId()}/problems.csv`,
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
          url: `${BASE}/fhir/Patient?identifier=${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).nhs}`,
        }),
      },
      'GET /api/places/:placeId/fhir/Patient/:id': {
        ok: 200,
        other: 404,
        none: 404,
        call: (s, x) => ({
          method: 'GET',
          url: `${BASE}/fhir/Patient/${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).id}`,
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
                url: `${BASE}/fhir/${type}?patient=Patient/${(s === 'own' ? x.ownPerson : s === 'other' ? w.westPerson : w.loner).id}`,
              }),
            },
          ],
          [
            `GET /api/places/:placeId/fhir/${type}/:id`,
            {
              ok: 200,
              // A referral awaiting triage is seen by the team's staff whose agency shares on implied consent (not VCSE or family hubs).
              ...(type === 'ServiceRequest'
                ? { ownFor: { 'family-help-lead': 404, 'vcse-worker': 404 } }
                : {}),
              other: 404,
              none: 404,
              call: async (s: Scenario) => {
                const own =
                  type === 'CarePlan'
                    ? w.cases.east
                    : type === 'Task'
                      ? w.actions.east
                      : await eastReferral();
                const other =
                  type === 'CarePlan' ? w.cases.west : type === 'Task' ? w.actions.west : w.westReferral;
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
                        { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: w.practice },
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

    let eastReferralId: string | undefined;
    /** One East referral awaiting triage, made once for every role's read. */
    async function eastReferral(): Promise<string> {
      eastReferralId ??= await w.newEastReferral();
      return eastReferralId;
    }

    const serviceReferrals = new Map<Scenario, Promise<string>>();
    /** One referral just sent from the East case (own) or the West one (other), made once for every role's read. */
    function serviceReferral(s: 'own' | 'other'): Promise<string> {
      let found = serviceReferrals.get(s);
      if (!found) {
        found =
          s === 'own'
            ? insertServiceReferral(db, w.cases.east, FRIENDSHIP_GROUP)
            : addTestService(db, { agencyId: 'gmp-bury' }).then((id) =>
                insertServiceReferral(db, w.cases.west, id),
              );
        serviceReferrals.set(s, found);
      }
      return found;
    }

    let importJobId: string | undefined;
    /** One finished import of the place, for the routes that read a job. */
    async function importJob(): Promise<string> {
      if (importJobId) return importJobId;
      const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-matrix-'));
      const file = path.join(dir, 'people.ndjson');
      writeFileSync(file, '{"resourceType":"Spaceship"}\n');
      const outcome = await importFile(db, {
        placeId: 'bury',
        path: file,
        importer: { id: null, name: 'Access test', role: null, teamId: null },
      });
      importJobId = outcome.job.id;
      return importJobId;
    }

    async function send(call: Call, x: Who, extra: InjectOptions = {}): Promise<LightMyRequestResponse> {
      const options: InjectOptions = { method: call.method, url: call.url, ...extra };
      if (call.payload) options.payload = call.payload;
      if (call.headers) options.headers = { ...call.headers, ...(extra.headers ?? {}) };
      if (call.anonymous) {
        addressCounter++;
        return app.inject({
          ...options,
          remoteAddress: `10.9.${addressCounter >> 8}.${addressCounter & 255}`,
        });
      }
      const session = call.throwaway
        ? await openSession(app, db, { id: x.session.staffId, username: x.session.username, role: x.role })
        : x.session;
      return session.inject(options);
    }

    test('every route has an entry in the matrix, and every entry names a route', () => {
      assert.ok(routes.length > 30, `routes found in the router (${routes.length})`);
      for (const r of routes) assert.ok(app.hasRoute(r), `printRoutes was read right: ${r.method} ${r.url}`);
      const missing = routes.filter((r) => !ruleFor(r.method, r.url)).map((r) => routeKey(r.method, r.url));
      assert.deepEqual(missing, [], 'routes without an entry in src/access/matrix.ts');
      const served = new Set(routes.map((r) => routeKey(r.method, r.url)));
      const stale = Object.keys(MATRIX).filter((k) => !served.has(k) && !NOT_YET_REGISTERED.has(k));
      assert.deepEqual(stale, [], 'matrix entries for routes that do not exist');
      // And every route the router has is exercised below.
      const untested = [...served].filter((k) => !CASES[k]);
      assert.deepEqual(untested, [], 'routes with no case in this test: add one');
    });

    test('a route without an entry is refused when it is registered', async () => {
      assert.equal(ruleFor('GET', '/api/made-up'), undefined);
      const bare = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>() as unknown as App;
      await registerAccess(bare, {
        db: db.kysely,
        relationshipSources: RELATIONSHIP_SOURCES,
        secureCookies: false,
        publicUrl: 'http://localhost',
      });
      assert.throws(
        () => bare.get('/api/made-up', async () => ({ ok: true })),
        /GET \/api\/made-up has no entry in the authorisation matrix/,
      );
      // A route that has one is accepted, with its rule attached.
      bare.get('/api/places', async () => ({ ok: true }));
      await bare.ready();
      assert.ok(bare.hasRoute({ method: 'GET', url: '/api/places' }));
      await bare.close();
    });

    test('without a session every route that is not public answers 401', async () => {
      const wrong: string[] = [];
      const x = whoOf('int-lead');
      for (const r of routes) {
        const key = routeKey(r.method, r.url);
        const rule = ruleFor(r.method, r.url) as RouteRule;
        if (rule.public) continue;
        const call = await caseOf(key).call('own', x);
        for (const cookie of [undefined, 'joinedup_session=not-a-real-session-token']) {
          const res = await app.inject({
            method: call.method,
            url: call.url,
            ...(call.payload ? { payload: call.payload } : {}),
            headers: { ...(call.headers ?? {}), ...(cookie ? { cookie } : {}) },
          });
          if (res.statusCode !== 401)
            wrong.push(`${key} (${cookie ? 'unknown cookie' : 'no cookie'}): ${res.statusCode}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    // Routes in an order that keeps each call's fixtures valid: signing out and break-glass last.
    const LAST = ['POST /api/places/:placeId/break-glass', 'DELETE /api/session'];
    for (const key of [...Object.keys(CASES).filter((k) => !LAST.includes(k)), ...LAST]) {
      test(`${key}: every role, in every position`, async (t) => {
        if (!routes.some((r) => routeKey(r.method, r.url) === key)) return t.skip('not registered');
        const rule = MATRIX[key] as RouteRule;
        const c = caseOf(key);
        const wrong: string[] = [];
        for (const role of ALL_ROLES) {
          const x = whoOf(role);
          for (const s of SCENARIOS) {
            const expected = !allows(rule, role)
              ? !rule.public && rule.person
                ? 404
                : 403
              : s === 'own'
                ? (c.ownFor?.[role] ?? c.ok)
                : (c[s] ?? c.ok);
            const res = await send(await c.call(s, x), x);
            if (res.statusCode !== expected)
              wrong.push(`${role} (${s}): ${res.statusCode}, expected ${expected} ${res.body.slice(0, 200)}`);
          }
        }
        assert.deepEqual(wrong, []);
      });
    }

    describe('zero leakage: a person one may not see is answered exactly as one who does not exist', () => {
      let seq = 0;
      const requestId = () => `leak-test-${String(++seq).padStart(6, '0')}`;
      async function sameAnswer(s: Session, hidden: string, absent: string, what: string) {
        const a = await s.inject({ method: 'GET', url: hidden, headers: { 'x-request-id': requestId() } });
        const b = await s.inject({ method: 'GET', url: absent, headers: { 'x-request-id': requestId() } });
        assert.equal(a.statusCode, 404, `${what}: ${a.body}`);
        assert.equal(b.statusCode, 404, `${what}: ${b.body}`);
        const body = (r: LightMyRequestResponse) =>
          r.body.replaceAll(String(r.headers['x-request-id']), '<id>');
        assert.equal(body(a), body(b), what);
        const headers = (r: LightMyRequestResponse) => {
          const { 'x-request-id': _id, date: _date, ...rest } = r.headers;
          return rest;
        };
        assert.deepEqual(headers(a), headers(b), what);
      }

      test('one person’s record', async () => {
        const east = whoOf('int-practitioner').session;
        await sameAnswer(
          east,
          `${BASE}/people/${w.westPerson.id}`,
          `${BASE}/people/${randomId()}`,
          'other neighbourhood',
        );
        await sameAnswer(
          east,
          `${BASE}/people/${w.loner.id}`,
          `${BASE}/people/${randomId()}`,
          'no relationship',
        );
        const analyst = whoOf('analyst').session;
        await sameAnswer(
          analyst,
          `${BASE}/people/${w.eastPerson.id}`,
          `${BASE}/people/${randomId()}`,
          'a role that may not see people',
        );
      });

      test('a case, and its person’s timeline', async () => {
        const east = whoOf('int-practitioner').session;
        await sameAnswer(
          east,
          `${BASE}/cases/${w.cases.west}`,
          `${BASE}/cases/${randomId()}`,
          'another team’s case',
        );
        await sameAnswer(
          east,
          `${BASE}/people/${w.westPerson.id}/timeline`,
          `${BASE}/people/${randomId()}/timeline`,
          'another team’s person',
        );
      });

      test('finding a person by NHS number', async () => {
        const east = whoOf('int-practitioner').session;
        const nobody = await unusedNhsNumber(db);
        await sameAnswer(
          east,
          `${BASE}/people?nhsNumber=${w.loner.nhs}`,
          `${BASE}/people?nhsNumber=${nobody}`,
          'loner',
        );
        await sameAnswer(
          east,
          `${BASE}/people?nhsNumber=${w.westPerson.nhs}`,
          `${BASE}/people?nhsNumber=${nobody}`,
          'other neighbourhood',
        );
        const admin = whoOf('administrator').session;
        await sameAnswer(
          admin,
          `${BASE}/people?nhsNumber=${w.eastPerson.nhs}`,
          `${BASE}/people?nhsNumber=${nobody}`,
          'a role that may not see people',
        );
      });

      test('worklists and the people on them', async () => {
        const east = whoOf('int-practitioner').session;
        const own = w.worklists.east;
        await sameAnswer(
          east,
          `${BASE}/worklists/${own}/people/${w.loner.id}`,
          `${BASE}/worklists/${own}/people/${randomId()}`,
          'a person not on the list',
        );
        await sameAnswer(
          east,
          `${BASE}/worklists/${w.worklists.west}/people/${w.westPerson.id}`,
          `${BASE}/worklists/${randomId()}/people/${randomId()}`,
          'a person on another team’s list',
        );
        await sameAnswer(
          east,
          `${BASE}/worklists/${w.worklists.west}`,
          `${BASE}/worklists/${randomId()}`,
          'another team’s list',
        );
        await sameAnswer(
          east,
          `${BASE}/worklists/${w.worklists.west}/people`,
          `${BASE}/worklists/${randomId()}/people`,
          'another team’s list of people',
        );
      });
    });

    test('the roles in the matrix are the product’s roles', () => {
      for (const [key, rule] of Object.entries(MATRIX))
        if (!rule.public) for (const role of rule.roles) assert.ok(ROLES[role], `${key}: ${role}`);
    });

    // The matrix itself, checked against the policy rather than against the app: a loosened entry is
    // caught here, since the calls above only check that the app does what the matrix says.
    test('identifiable data goes only to direct-care roles; the audit trail only to IG; staff and imports only to administrators; directory editing only to its editors', () => {
      const identifiable = [
        'GET /api/places/:placeId/people/:personId',
        'GET /api/places/:placeId/people',
        'POST /api/places/:placeId/break-glass',
        'GET /api/places/:placeId/cohorts/:cohortId/members',
        'GET /api/places/:placeId/cohorts/:cohortId/members.csv',
        'GET /api/places/:placeId/worklists/:worklistId/people',
        'GET /api/places/:placeId/worklists/:worklistId/people/:personId',
        'POST /api/places/:placeId/worklists/:worklistId/decisions',
        'POST /api/places/:placeId/worklists/:worklistId/nominations',
        'POST /api/places/:placeId/cases/:caseId/service-referrals',
        'GET /api/places/:placeId/cases/:caseId/service-referrals',
        'GET /api/places/:placeId/service-referrals/inbox',
        'GET /api/places/:placeId/service-referrals/:referralId',
        'POST /api/places/:placeId/service-referrals/:referralId/status',
        ...['Patient', 'CarePlan', 'Task', 'ServiceRequest'].flatMap((t) => [
          `GET /api/places/:placeId/fhir/${t}`,
          `GET /api/places/:placeId/fhir/${t}/:id`,
        ]),
      ];
      const rolesOf = (key: string) => {
        const rule = MATRIX[key];
        assert.ok(rule && !rule.public, `${key} needs signed-in roles`);
        return rule.roles;
      };
      for (const key of identifiable)
        for (const role of rolesOf(key)) assert.ok(ROLES[role].directCare, `${key} allows ${role}`);
      for (const key of ['GET /api/places/:placeId/people/:personId', 'GET /api/places/:placeId/people'])
        assert.equal((MATRIX[key] as { person?: boolean }).person, true, `${key} answers 404 to other roles`);
      for (const key of Object.keys(MATRIX).filter((k) => k.includes('/api/audit/')))
        assert.deepEqual([...rolesOf(key)], ['ig-officer'], key);
      assert.deepEqual([...rolesOf('GET /api/staff')], ['administrator']);
      for (const key of Object.keys(MATRIX).filter((k) =>
        /\/(imports|import-templates|match-reviews)/.test(k),
      ))
        assert.deepEqual([...rolesOf(key)], ['administrator'], key);
      for (const key of Object.keys(MATRIX).filter((k) =>
        /\/directory\/(services|choices)(\/:serviceId(\/checked)?)?$/.test(k),
      ))
        assert.deepEqual([...rolesOf(key)], ['directory-editor'], key);
      const publicRoutes = Object.keys(MATRIX)
        .filter((k) => MATRIX[k]?.public)
        .sort();
      assert.deepEqual(publicRoutes, [
        'GET /api/docs',
        'GET /api/docs/json',
        'GET /api/places/:placeId/oruk',
        'GET /api/places/:placeId/oruk/',
        'GET /api/places/:placeId/oruk/service_at_locations',
        'GET /api/places/:placeId/oruk/service_at_locations/:id',
        'GET /api/places/:placeId/oruk/services',
        'GET /api/places/:placeId/oruk/services/:id',
        'GET /api/places/:placeId/oruk/taxonomies',
        'GET /api/places/:placeId/oruk/taxonomies/:id',
        'GET /api/places/:placeId/oruk/taxonomy_terms',
        'GET /api/places/:placeId/oruk/taxonomy_terms/:id',
        'GET /api/session',
        'GET /api/sign-in-options',
        'GET /auth/oidc/callback',
        'GET /auth/oidc/start',
        'GET /health',
        'POST /api/session',
      ]);
    });

    // Last: every answer above (allowed, refused, not found, invalid, failed) has left the count of
    // requests in flight, which keeps audit writes waiting for other requests' events while above zero.
    test('once every request is answered, none is counted as in flight', () => {
      assert.equal(app.requestsInFlight(), 0);
    });
  });
}

/** A borough-wide phone line, for the directory editors' calls. */
const MONEY_ADVICE = directoryId('bury', 'service', 'money-advice-line');

/** A Kingfisher Befriending group in Radcliffe: its organisation's referrals go to the VCSE link workers. */
const FRIENDSHIP_GROUP = directoryId('bury', 'service', 'radcliffe-friendship-group');

const RULES = {
  kind: 'group',
  combinator: 'and',
  rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
};

function inDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);
}
