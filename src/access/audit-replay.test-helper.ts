// The audit test's replay (audit.int.test.ts): a seeded script of mixed requests by several signed-in
// staff, each step knowing whether it must leave an audit event, for whom and with what outcome.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { inDays, TEST_PASSWORD } from '../server/test-app.ts';
import { randomStream, uniformInt } from '../synth/random.ts';
import { BASE, type Resident, randomId, type Session, type World } from './access-fixtures.test-helper.ts';

/** The replay's random choices, from a seeded stream (synth/random.ts), so a failing replay can be replayed. */
function seeded(seed: number) {
  const r = randomStream(seed, 0);
  return {
    next: () => r.next(),
    int: (n: number) => uniformInt(r, 0, n - 1),
    pick<T>(xs: readonly T[]): T {
      return xs[uniformInt(r, 0, xs.length - 1)] as T;
    },
  };
}

export type Expected =
  | { audited: false }
  | {
      audited: true;
      action: string;
      outcome?: 'allowed' | 'denied';
      /** The people the event must name: given, or read from the response. */
      people?: readonly string[] | ((res: LightMyRequestResponse) => readonly string[]);
    };

export interface Step {
  kind: string;
  status: readonly number[];
  expect: Expected;
  request(): InjectOptions | Promise<InjectOptions>;
}

/** What the script's requests reach: the test's world and sessions, set up in its `before`. */
export interface ReplayWorld {
  w: World;
  s: Record<'east' | 'lead' | 'social' | 'gp' | 'west' | 'analyst' | 'ig', Session>;
  eastPeople: string[];
  practicePeople: string[];
  hidden: Resident[];
  nominees: Resident[];
}

const idsOf = (key: 'people' | 'members') => (res: LightMyRequestResponse) =>
  (res.json()[key] as { personId: string }[]).map((p) => p.personId);

/** The script: kinds of request with weights, each knowing whether it must be audited. */
export function replayScript(world: ReplayWorld, n: number, seed: number, username: string): Step[] {
  const r = seeded(seed);
  let address = 0;
  const as = (who: Session, options: InjectOptions) => ({
    ...options,
    headers: { ...who.headers, ...(options.headers ?? {}) },
  });
  const kinds: [number, () => Step][] = [
    [
      14,
      () => {
        const id = r.pick(world.eastPeople);
        return {
          kind: 'person read, allowed',
          status: [200],
          expect: { audited: true, action: 'read', outcome: 'allowed', people: [id] },
          request: () =>
            as(r.next() < 0.5 ? world.s.east : world.s.social, {
              method: 'GET',
              url: `${BASE}/people/${id}`,
            }),
        };
      },
    ],
    [
      4,
      () => {
        const id = r.pick(world.practicePeople);
        return {
          kind: 'person read by the registered practice',
          status: [200],
          expect: { audited: true, action: 'read', outcome: 'allowed', people: [id] },
          request: () => as(world.s.gp, { method: 'GET', url: `${BASE}/people/${id}` }),
        };
      },
    ],
    [
      6,
      () => {
        const id = r.pick(world.hidden).id;
        return {
          kind: 'person read, no relationship',
          status: [404],
          expect: { audited: true, action: 'read', outcome: 'denied', people: [id] },
          request: () => as(world.s.east, { method: 'GET', url: `${BASE}/people/${id}` }),
        };
      },
    ],
    [
      3,
      () => {
        const id = r.pick(world.eastPeople);
        return {
          kind: 'person read, role may not',
          status: [404],
          expect: { audited: true, action: 'read', outcome: 'denied', people: [id] },
          request: () => as(world.s.analyst, { method: 'GET', url: `${BASE}/people/${id}` }),
        };
      },
    ],
    [
      2,
      () => {
        const id = randomId();
        return {
          kind: 'person read, no such person',
          status: [404],
          expect: { audited: true, action: 'read', outcome: 'denied', people: [id] },
          request: () => as(world.s.east, { method: 'GET', url: `${BASE}/people/${id}` }),
        };
      },
    ],
    [
      3,
      () => {
        const seen = r.next() < 0.6;
        const person = seen ? world.w.eastPerson : r.pick(world.hidden);
        return {
          kind: 'find by NHS number',
          status: [seen ? 200 : 404],
          expect: {
            audited: true,
            action: 'search',
            outcome: seen ? 'allowed' : 'denied',
            people: [person.id],
          },
          request: () => as(world.s.east, { method: 'GET', url: `${BASE}/people?nhsNumber=${person.nhs}` }),
        };
      },
    ],
    [
      8,
      () => {
        const page = 1 + r.int(3);
        return {
          kind: 'worklist page',
          status: [200],
          expect: { audited: true, action: 'search', outcome: 'allowed', people: idsOf('people') },
          request: () =>
            as(r.next() < 0.5 ? world.s.east : world.s.lead, {
              method: 'GET',
              url: `${BASE}/worklists/${world.w.worklists.east}/people?page=${page}&pageSize=${r.pick([10, 25, 50])}&status=${r.pick(['to-review', 'decided'])}`,
            }),
        };
      },
    ],
    [
      5,
      () => {
        const id = r.pick(world.eastPeople);
        return {
          kind: 'worklist person',
          status: [200],
          expect: { audited: true, action: 'read', outcome: 'allowed', people: [id] },
          request: () =>
            as(world.s.east, {
              method: 'GET',
              url: `${BASE}/worklists/${world.w.worklists.east}/people/${id}`,
            }),
        };
      },
    ],
    [
      2,
      () => {
        const id = r.pick(world.hidden).id;
        return {
          kind: 'worklist person not on the list',
          status: [404],
          expect: { audited: true, action: 'read', outcome: 'denied', people: [id] },
          request: () =>
            as(world.s.east, {
              method: 'GET',
              url: `${BASE}/worklists/${world.w.worklists.east}/people/${id}`,
            }),
        };
      },
    ],
    [
      2,
      () => {
        const id = r.pick([world.w.westPerson.id, ...world.eastPeople.slice(0, 3)]);
        return {
          kind: 'person on another team’s worklist',
          status: [404],
          expect: { audited: true, action: 'read', outcome: 'denied', people: [id] },
          request: () =>
            as(world.s.west, {
              method: 'GET',
              url: `${BASE}/worklists/${world.w.worklists.east}/people/${id}`,
            }),
        };
      },
    ],
    [
      1,
      () => {
        const id = r.pick(world.hidden).id;
        return {
          kind: 'decision about a person not on the list',
          status: [404],
          expect: { audited: true, action: 'write', outcome: 'denied', people: [id] },
          request: () =>
            as(world.s.social, {
              method: 'POST',
              url: `${BASE}/worklists/${world.w.worklists.east}/decisions`,
              payload: {
                personId: id,
                decision: 'discuss-at-mdt',
                reason: 'Huddle',
                reviewDate: inDays(20),
              },
            }),
        };
      },
    ],
    [
      6,
      () => ({
        kind: 'cohort member page',
        status: [200],
        expect: { audited: true, action: 'search', outcome: 'allowed', people: idsOf('members') },
        request: () =>
          as(r.pick([world.s.east, world.s.gp, world.s.lead]), {
            method: 'GET',
            url: `${BASE}/cohorts/${world.w.cohortId}/members?page=${1 + r.int(4)}&pageSize=${r.pick([10, 25])}`,
          }),
      }),
    ],
    [
      1,
      () => ({
        kind: 'cohort members CSV',
        status: [200],
        expect: { audited: true, action: 'export', outcome: 'allowed' },
        request: () =>
          as(r.pick([world.s.east, world.s.gp]), {
            method: 'GET',
            url: `${BASE}/cohorts/${world.w.cohortId}/members.csv`,
          }),
      }),
    ],
    [
      3,
      () => {
        const id = r.pick(world.eastPeople);
        return {
          kind: 'decision',
          status: [201],
          expect: { audited: true, action: 'write', outcome: 'allowed', people: [id] },
          request: () =>
            as(r.next() < 0.5 ? world.s.east : world.s.social, {
              method: 'POST',
              url: `${BASE}/worklists/${world.w.worklists.east}/decisions`,
              payload: {
                personId: id,
                decision: r.pick(['add-to-caseload', 'discuss-at-mdt', 'already-known']),
                reason: 'Seen at the huddle',
                reviewDate: inDays(10 + r.int(300)),
              },
            }),
        };
      },
    ],
    [
      2,
      () => {
        const person = r.pick(world.nominees);
        return {
          kind: 'nomination',
          status: [201, 409],
          expect: { audited: true, action: 'write', people: [person.id] },
          request: () =>
            as(world.s.east, {
              method: 'POST',
              url: `${BASE}/worklists/${world.w.worklists.east}/nominations`,
              payload: { nhsNumber: person.nhs, reason: 'Lives alone, recent falls' },
            }),
        };
      },
    ],
    [
      1,
      () => {
        const person = r.pick(world.nominees);
        return {
          kind: 'break-glass',
          status: [201],
          expect: { audited: true, action: 'break-glass', outcome: 'allowed', people: [person.id] },
          request: () =>
            as(world.s.lead, {
              method: 'POST',
              url: `${BASE}/break-glass`,
              payload: {
                nhsNumber: person.nhs,
                reason: 'Found collapsed at home, GP surgery closed',
                password: TEST_PASSWORD,
              },
            }),
        };
      },
    ],
    [
      2,
      () => ({
        kind: 'audit events about a person',
        status: [200],
        expect: { audited: true, action: 'search', outcome: 'allowed', people: [world.w.eastPerson.id] },
        request: () =>
          as(world.s.ig, {
            method: 'GET',
            url: `/api/audit/events?nhsNumber=${world.w.eastPerson.nhs}&pageSize=20`,
          }),
      }),
    ],
    [
      2,
      () => ({
        kind: 'audit events, unfiltered',
        status: [200],
        expect: { audited: false },
        request: () => as(world.s.ig, { method: 'GET', url: '/api/audit/events?pageSize=20' }),
      }),
    ],
    [
      0.3,
      () => ({
        kind: 'audit CSV',
        status: [200],
        expect: { audited: true, action: 'export', outcome: 'allowed', people: [] },
        request: () => as(world.s.ig, { method: 'GET', url: '/api/audit/events.csv?from=2020-01-01' }),
      }),
    ],
    [
      1,
      () => ({
        kind: 'break-glass review list',
        status: [200],
        expect: { audited: true, action: 'search', outcome: 'allowed' },
        request: () => as(world.s.ig, { method: 'GET', url: '/api/audit/break-glass' }),
      }),
    ],
    [
      0.5,
      () => ({
        kind: 'unusual access',
        status: [200],
        expect: { audited: false },
        request: () => as(world.s.ig, { method: 'GET', url: '/api/audit/unusual' }),
      }),
    ],
    [
      16,
      () => {
        const url = r.pick([
          '/api/places',
          BASE,
          `${BASE}/neighbourhoods/east`,
          `${BASE}/cohorts`,
          `${BASE}/cohort-fields`,
          `${BASE}/cohorts/${world.w.cohortId}`,
          `${BASE}/worklists`,
          `${BASE}/worklists/${world.w.worklists.east}`,
          '/api/session',
          '/api/sessions',
          '/health',
        ]);
        return {
          kind: 'no person data',
          status: [200],
          expect: { audited: false },
          request: () => as(r.pick([world.s.east, world.s.lead]), { method: 'GET', url }),
        };
      },
    ],
    [
      3,
      () => {
        const [who, url] = r.pick([
          [world.s.analyst, `${BASE}/worklists`],
          [world.s.ig, `${BASE}/cohorts`],
          [world.s.analyst, '/api/audit/events'],
          [world.s.east, '/api/staff'],
        ] as const);
        return {
          kind: 'refused by role, no person',
          status: [403],
          expect: { audited: false },
          request: () => as(who, { method: 'GET', url }),
        };
      },
    ],
    [
      2,
      () => {
        const id = r.pick(world.eastPeople);
        return {
          kind: 'not signed in',
          status: [401],
          expect: { audited: false },
          request: () => ({ method: 'GET', url: `${BASE}/people/${id}` }),
        };
      },
    ],
    [
      1,
      () => ({
        kind: 'sign-in',
        status: [200],
        expect: { audited: true, action: 'sign-in', outcome: 'allowed', people: [] },
        request: () => {
          address++;
          return {
            method: 'POST',
            url: '/api/session',
            payload: { username, password: TEST_PASSWORD },
            remoteAddress: `10.7.${address >> 8}.${address & 255}`,
          };
        },
      }),
    ],
    [
      0.5,
      () => ({
        kind: 'sign-in refused',
        status: [401],
        expect: { audited: true, action: 'sign-in', outcome: 'denied', people: [] },
        request: () => {
          address++;
          return {
            method: 'POST',
            url: '/api/session',
            payload: { username: r.next() < 0.5 ? username : 'no-such-user', password: 'wrong' },
            remoteAddress: `10.7.${address >> 8}.${address & 255}`,
          };
        },
      }),
    ],
  ];
  const total = kinds.reduce((sum, [weight]) => sum + weight, 0);
  const steps: Step[] = [];
  while (steps.length < n) {
    let x = r.next() * total;
    let make = kinds[0]?.[1] as () => Step;
    for (const [weight, kind] of kinds) {
      make = kind;
      x -= weight;
      if (x < 0) break;
    }
    const step = make();
    steps.push(step);
    if (step.kind === 'sign-in' && steps.length < n)
      steps.push({
        kind: 'sign-out',
        status: [204],
        expect: { audited: true, action: 'sign-out', outcome: 'allowed', people: [] },
        // Sent with the session the sign-in before it started (see the replay loop).
        request: () => ({ method: 'DELETE', url: '/api/session' }),
      });
  }
  return steps;
}
