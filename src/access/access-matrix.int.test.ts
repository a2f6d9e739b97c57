// The security test generated from the router: every route the app serves must have an entry in the
// authorisation matrix, and each is called as every role in three positions (the staff member's own
// team with a relationship, another team's data, a person no one has a relationship with). The
// status must be the one the matrix and the relationship rule predict. A 404 for a person who exists
// but may not be seen must be indistinguishable from the 404 for a person who does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/create-db.ts';
import type { Role } from '../db/database.ts';
import { dbTargets } from '../db/test-db.ts';
import { RELATIONSHIP_SOURCES } from '../server/app.ts';
import type { App } from '../server/app-types.ts';
import { registerAccess } from './access.plugin.ts';
import {
  BASE,
  buildWorld,
  openSession,
  randomId,
  type Session,
  staffSession,
  unusedNhsNumber,
  type World,
} from './access-fixtures.test-helper.ts';
import {
  type Call,
  type Case,
  MatrixFixture,
  SCENARIOS,
  type Who,
} from './access-matrix-fixture.test-helper.ts';
import { allows, MATRIX, type RouteRule, routeKey, ruleFor } from './matrix.ts';
import { careCases } from './matrix-cases-care.test-helper.ts';
import { signInAndListCases } from './matrix-cases-lists.test-helper.ts';
import { teamAndOversightCases } from './matrix-cases-oversight.test-helper.ts';
import { ALL_ROLES, ROLES } from './roles.ts';

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

for (const target of dbTargets()) {
  describe(`the authorisation matrix, route by route, on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let w: World;
    const who = new Map<Role, Who>();
    let stranger: Session;
    const fixture = new MatrixFixture();
    const { breakGlassIds } = fixture;
    const CASES: Record<string, Case> = {
      ...signInAndListCases(fixture),
      ...careCases(fixture),
      ...teamAndOversightCases(fixture),
    };
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
      Object.assign(fixture, { db, app, w, stranger });
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
