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
    authenticatedAt: new Date(),
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
  /** Open cases: the East INT's (for `practicePerson`, consent given to the team's VCSE and family hubs staff) and the West INT's. */
  cases: { east: string; west: string };
  /** An action on each of those cases. */
  actions: { east: string; west: string };
  /** A referral to the West INT awaiting triage. */
  westReferral: string;
  /** Today's huddles of the East and West INTs; `practicePerson` is on the East board with an overdue action. */
  huddles: { east: string; west: string };
  /**
   * Next week's MDT meetings of the East and West INTs, each with one agenda item (`practicePerson`,
   * `westPerson`) and every East test account's practitioner recorded as attending the East one.
   */
  meetings: { east: string; west: string };
  items: { east: string; west: string };
  /** A new scheduled East meeting, for calls that mark one held. */
  newEastMeeting(): Promise<string>;
  /** A new open East case (consent as `cases.east`) for another of the practice's residents, for calls that close one. */
  newEastCase(): Promise<string>;
  /** A new East referral awaiting triage, for another of the practice's residents (GP staff see only theirs). */
  newEastReferral(): Promise<string>;
}

/** The practitioner each East team role's test account is, in the place pack. */
const PRACTITIONER_OF: Partial<Record<Role, string>> = {
  'int-practitioner': 'care-coordinator',
  'int-lead': 'int-lead',
  'social-worker': 'social-worker',
  'vcse-worker': 'vcse-link-worker',
  'family-help-lead': 'family-help-lead',
};

async function insertMeeting(db: Db, teamId: string): Promise<string> {
  const id = randomUUID();
  await db.kysely
    .insertInto('mdt_meeting')
    .values({
      id,
      place_id: 'bury',
      team_id: teamId,
      starts_at: new Date(Date.now() + 7 * 86400_000),
      location: 'Radcliffe Primary Care Centre',
      status: 'scheduled',
      agenda_built_at: null,
      created_by: 'Access test',
    })
    .execute();
  if (teamId === 'int-east')
    await db.kysely
      .insertInto('mdt_attendance')
      .values(
        (Object.entries(PRACTITIONER_OF) as [Role, string][]).map(([role, slug]) => ({
          meeting_id: id,
          practitioner_id: `int-east-${slug}`,
          agency_id: AGENCY_OF[role] ?? '',
          attended: true,
        })),
      )
      .execute();
  return id;
}

async function insertItem(db: Db, meetingId: string, personId: string, caseId: string): Promise<string> {
  const id = randomUUID();
  await db.kysely
    .insertInto('mdt_item')
    .values({
      id,
      meeting_id: meetingId,
      place_id: 'bury',
      person_id: personId,
      case_id: caseId,
      referral_id: null,
      reason: 'review-due',
      reason_detail: 'Review due',
      position: 1,
      discussed_at: null,
      recorded_by: null,
      added_by: 'Access test',
    })
    .execute();
  return id;
}

/** The agency each team role's test account works for. */
const AGENCY_OF: Partial<Record<Role, string>> = {
  'int-practitioner': 'bury-community-health',
  'int-lead': 'bury-community-health',
  'social-worker': 'bury-council-adult-social-care',
  'vcse-worker': 'vcse-link-workers',
  'family-help-lead': 'bury-family-hubs',
};

/** Writes an open case straight to the tables, as triage would leave it (the API is tested elsewhere). */
async function insertCase(
  db: Db,
  personId: string,
  teamId: string,
  consentAgencies: string[],
): Promise<string> {
  const id = randomUUID();
  await db.kysely
    .insertInto('care_case')
    .values({
      id,
      place_id: 'bury',
      person_id: personId,
      team_id: teamId,
      referral_id: null,
      status: 'open',
      lead_practitioner_id: `${teamId}-care-coordinator`,
      review_due_on: null,
      consent_status: consentAgencies.length > 0 ? 'given' : 'not-recorded',
      consent_agencies: consentAgencies,
      closed_at: null,
      closure_reason: null,
      closure_outcome: null,
      closure_override_reason: null,
      updated_by: 'Access test',
    })
    .execute();
  await db.kysely
    .insertInto('care_plan')
    .values({ case_id: id, place_id: 'bury', updated_by: 'Access test' })
    .execute();
  return id;
}

async function insertAction(
  db: Db,
  caseId: string,
  personId: string,
  teamId: string,
  dueOn = '2030-01-01',
): Promise<string> {
  const id = randomUUID();
  await db.kysely
    .insertInto('plan_action')
    .values({
      id,
      case_id: caseId,
      place_id: 'bury',
      person_id: personId,
      goal_id: null,
      description: 'Falls assessment',
      owner_agency_id: 'bury-community-health',
      owner_practitioner_id: `${teamId}-district-nurse`,
      owner_team_id: teamId,
      due_on: dueOn,
      status: 'to-do',
      source: 'plan',
      mdt_item_id: null,
      created_by: 'Access test',
      completed_at: null,
    })
    .execute();
  return id;
}

async function insertReferral(db: Db, personId: string, teamId: string): Promise<string> {
  const id = randomUUID();
  await db.kysely
    .insertInto('int_referral')
    .values({
      id,
      place_id: 'bury',
      person_id: personId,
      team_id: teamId,
      source: 'practitioner',
      worklist_id: null,
      referrer: 'Access test',
      referrer_agency_id: null,
      referred_by: null,
      reason: 'Falls at home',
      urgency: 'routine',
      status: 'awaiting-triage',
      triaged_by: null,
      triaged_at: null,
      decline_reason: null,
      case_id: null,
    })
    .execute();
  return id;
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
  // With no saver recorded, as cohorts saved before savers were, any role that builds cohorts may change
  // it: the matrix test asks the role alone (cohort.int.test.ts tests the saver's rule).
  await db.kysely.updateTable('cohort').set({ saved_by: null }).where('id', '=', spareCohortId).execute();
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

  const consent = ['vcse-link-workers', 'bury-family-hubs'];
  // Registered at the practice too, so that every East role (GP staff included) shares their cases.
  const practiceResidents = await residents()
    .where('r.neighbourhood_code', '=', 'east')
    .where('p.practice_code', '=', practice)
    .where('p.id', '<>', practicePerson.id)
    .limit(40)
    .execute();
  const cases = {
    east: await insertCase(db, practicePerson.id, 'int-east', consent),
    west: await insertCase(db, westPerson.id, 'int-west', []),
  };
  const actions = {
    east: await insertAction(db, cases.east, practicePerson.id, 'int-east'),
    west: await insertAction(db, cases.west, westPerson.id, 'int-west'),
  };
  const westReferral = await insertReferral(db, westPerson.id, 'int-west');
  await insertAction(db, cases.east, practicePerson.id, 'int-east', '2020-01-01');
  const huddle = async (teamId: string) => {
    const id = randomUUID();
    await db.kysely
      .insertInto('huddle')
      .values({
        id,
        place_id: 'bury',
        team_id: teamId,
        since: new Date(Date.now() - 7 * 86400_000),
        started_by: 'Access test',
      })
      .execute();
    return id;
  };
  const huddles = { east: await huddle('int-east'), west: await huddle('int-west') };
  const meetings = { east: await insertMeeting(db, 'int-east'), west: await insertMeeting(db, 'int-west') };
  const items = {
    east: await insertItem(db, meetings.east, practicePerson.id, cases.east),
    west: await insertItem(db, meetings.west, westPerson.id, cases.west),
  };
  const practiceResident = () => {
    const next = practiceResidents.shift();
    if (!next) throw new Error('no practice residents left');
    return next;
  };
  const spare = () => {
    const next = spares.shift();
    if (!next) throw new Error('no spare residents left');
    return next;
  };

  return {
    db,
    app,
    practice,
    cases,
    actions,
    westReferral,
    huddles,
    meetings,
    items,
    newEastMeeting: () => insertMeeting(db, 'int-east'),
    newEastCase: () => insertCase(db, practiceResident().id, 'int-east', consent),
    newEastReferral: () => insertReferral(db, practiceResident().id, 'int-east'),
    cohortId,
    spareCohortId,
    worklists,
    eastPerson,
    practicePerson,
    westPerson,
    loner,
    spare,
    specFor(role) {
      if (role === 'gp-staff') return { role, practiceCode: practice };
      if (ROLES[role].scope === 'team') {
        const practitioner = PRACTITIONER_OF[role];
        return {
          role,
          teamId: 'int-east',
          agencyId: AGENCY_OF[role] ?? null,
          ...(practitioner ? { practitionerId: `int-east-${practitioner}` } : {}),
        };
      }
      return { role };
    },
  };
}

export const randomId = () => randomUUID();
