// Test support for the access and audit tests: a place with a small stratified population, a cohort,
// worklists for the East and West INTs and for one East practice, and named residents in each
// position the relationship rule cares about. Staff sign in through sessions made in the store (not
// through POST /api/session, whose rate limit allows ten attempts per address).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Role } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, openTestApp, type StaffSpec } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { SESSION_COOKIE } from './access.plugin.ts';
import { ROLES } from './roles.ts';
import { createSession, findSession } from './session.store.ts';

export const BASE = '/api/places/bury';

export interface Resident {
  id: string;
  nhs: string;
}

export interface Session {
  staffId: string;
  username: string;
  role: Role;
  sessionId: string;
  headers: Record<string, string>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A new server-side session for the staff member, as signing in would make. */
export async function openSession(
  app: App,
  db: Db,
  staff: { id: string; username: string; role: Role },
): Promise<Session> {
  const { token } = await createSession(db.kysely, staff.id, {
    method: 'password',
    userAgent: 'access test',
    ip: '127.0.0.1',
  });
  const found = await findSession(db.kysely, token);
  assert.ok(found, 'a session just made can be found');
  const headers = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': found.csrfToken };
  return {
    staffId: staff.id,
    username: staff.username,
    role: staff.role,
    sessionId: found.sessionId,
    headers,
    inject: (options) => app.inject({ ...options, headers: { ...headers, ...(options.headers ?? {}) } }),
  };
}

/** A new staff account and a session for it. */
export async function staffSession(app: App, db: Db, spec: StaffSpec): Promise<Session> {
  const { id, username } = await addStaff(db, spec);
  return openSession(app, db, { id, username, role: spec.role });
}

export interface World {
  db: Db;
  app: App;
  /** The East practice the GP staff work in. */
  practice: string;
  cohortId: string;
  /** A cohort no worklist uses, for PUT. */
  spareCohortId: string;
  worklists: { east: string; west: string; practice: string };
  /** On the East INT's worklist, registered at another practice than `practice`. */
  eastPerson: Resident;
  /** Registered at `practice` and on its worklist (and the East INT's). */
  practicePerson: Resident;
  /** On the West INT's worklist, not registered at `practice`. */
  westPerson: Resident;
  /** Lives in the East but is on no worklist and not registered at `practice`: no one has a relationship. */
  loner: Resident;
  /** Further East residents in the same position as `loner`, for nominations and break-glass (each used once). */
  spare(): Resident;
  /** How the staff of each role are placed: INT roles in the East INT, GP staff at `practice`. */
  specFor(role: Role): StaffSpec;
}

const COHORT_RULES = {
  kind: 'group',
  combinator: 'and',
  rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
};

/** A valid NHS number (test range) that no one in the place has. */
export async function unusedNhsNumber(db: Db, seed = 1): Promise<string> {
  const { nhsCheckDigit } = await import('../core/nhs-number.ts');
  for (let n = 999_900_000 + seed * 1000; ; n++) {
    const nine = String(n);
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    const candidate = `${nine}${check}`;
    const taken = await db.kysely
      .selectFrom('person')
      .select('id')
      .where('nhs_number', '=', candidate)
      .executeTakeFirst();
    if (!taken) return candidate;
  }
}

export async function buildWorld(db: Db, people = 1500): Promise<World> {
  await runSynth(db, {
    place: 'bury',
    placePacksDir: 'place-packs',
    referenceDir: 'reference',
    people,
    seed: 7,
  });
  const app = await openTestApp(db);
  const k = db.kysely;

  // The East practice with the most residents aged 75 and over.
  const busiest = await k
    .selectFrom('person_risk')
    .innerJoin('practice', (j) =>
      j.onRef('practice.ods_code', '=', 'person_risk.practice_code').on('practice.place_id', '=', 'bury'),
    )
    .select(['person_risk.practice_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('practice.neighbourhood_code', '=', 'east')
    .where('person_risk.age', '>=', 75)
    .groupBy('person_risk.practice_code')
    .orderBy('n', 'desc')
    .orderBy('person_risk.practice_code')
    .executeTakeFirstOrThrow();
  const practice = busiest.practice_code;

  const resident = (where: (q: ReturnType<typeof residents>) => ReturnType<typeof residents>) =>
    where(residents()).executeTakeFirstOrThrow();
  function residents() {
    return k
      .selectFrom('person_risk as r')
      .innerJoin('person as p', 'p.id', 'r.person_id')
      .select(['p.id', sql<string>`p.nhs_number`.as('nhs')])
      .where('r.place_id', '=', 'bury')
      .where('p.nhs_number', 'is not', null)
      .where('p.date_of_death', 'is', null)
      .orderBy('p.id');
  }
  const eastPerson = await resident((q) =>
    q
      .where('r.neighbourhood_code', '=', 'east')
      .where('r.age', '>=', 75)
      .where('p.practice_code', '<>', practice),
  );
  const practicePerson = await resident((q) =>
    q
      .where('r.practice_code', '=', practice)
      .where('p.practice_code', '=', practice)
      .where('r.age', '>=', 75),
  );
  const westPerson = await resident((q) =>
    q
      .where('r.neighbourhood_code', '=', 'west')
      .where('r.age', '>=', 75)
      .where('p.practice_code', '<>', practice),
  );
  const outsiders = await residents()
    .where('r.neighbourhood_code', '=', 'east')
    .where('r.age', '<', 75)
    .where('p.practice_code', '<>', practice)
    .where('r.practice_code', '<>', practice)
    .limit(400)
    .execute();
  assert.ok(outsiders.length >= 200, `enough East residents outside the cohort (${outsiders.length})`);
  const [loner, ...spares] = outsiders as [Resident, ...Resident[]];

  const eastLead = await staffSession(app, db, { role: 'int-lead', teamId: 'int-east' });
  const westLead = await staffSession(app, db, { role: 'int-lead', teamId: 'int-west' });
  const gp = await staffSession(app, db, { role: 'gp-staff', practiceCode: practice });
  const made = async (payload: Record<string, unknown>) => {
    const res = await eastLead.inject({ method: 'POST', url: `${BASE}/cohorts`, payload });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().cohort.id as string;
  };
  const cohortId = await made({ name: 'Aged 75 and over', rules: COHORT_RULES });
  const spareCohortId = await made({ name: 'Spare cohort', rules: COHORT_RULES });
  const worklist = async (by: Session, scope: string, scopeCode: string) => {
    const res = await by.inject({
      method: 'POST',
      url: `${BASE}/worklists`,
      payload: { cohortId, name: `75+ ${scopeCode}`, scope, scopeCode },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().worklist.id as string;
  };
  const worklists = {
    east: await worklist(eastLead, 'neighbourhood', 'east'),
    west: await worklist(westLead, 'neighbourhood', 'west'),
    practice: await worklist(gp, 'practice', practice),
  };

  return {
    db,
    app,
    practice,
    cohortId,
    spareCohortId,
    worklists,
    eastPerson,
    practicePerson,
    westPerson,
    loner,
    spare() {
      const next = spares.shift();
      if (!next) throw new Error('no spare residents left');
      return next;
    },
    specFor(role) {
      if (role === 'gp-staff') return { role, practiceCode: practice };
      if (ROLES[role].scope === 'team') return { role, teamId: 'int-east' };
      return { role };
    },
  };
}

export const randomId = () => randomUUID();
