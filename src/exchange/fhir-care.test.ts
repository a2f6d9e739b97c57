import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import type { ActionStatus } from '../db/database.ts';
import { ODS_SYSTEM } from '../synth/fhir.ts';
import { type AuditRow, auditEventResource } from './fhir-audit.ts';
import {
  type ActionRow,
  AGENCY_SYSTEM,
  type CareDirectory,
  type CaseRow,
  carePlanResource,
  careTeamResource,
  caseResources,
  goalResource,
  goalResourceId,
  type PlanRow,
  PRACTITIONER_SYSTEM,
  type ReferralRow,
  STAFF_USER_SYSTEM,
  serviceRequestResource,
  taskResource,
} from './fhir-care.ts';
import { validateStructure } from './fhir-validate.ts';

const PERSON = '6f1c2a4e-0b7d-4c1e-9a55-1f2e3d4c5b6a';
const CASE = '0d9a8b7c-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const REFERRAL = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const dir: CareDirectory = {
  agencies: new Map([
    [
      'bury-community-health',
      { id: 'bury-community-health', name: 'Bury community health', kind: 'community-health' },
    ],
    [
      'bury-council-adult-social-care',
      {
        id: 'bury-council-adult-social-care',
        name: 'Bury Council adult social care',
        kind: 'adult-social-care',
      },
    ],
    ['P83005', { id: 'P83005', name: 'TOWNSIDE SURGERY', kind: 'gp-practice' }],
    ['vcse-link-workers', { id: 'vcse-link-workers', name: 'VCSE link workers', kind: 'vcse' }],
  ]),
  practitioners: new Map(
    [
      ['int-east-care-coordinator', 'Care coordinator', 'bury-community-health'],
      ['int-east-social-worker', 'Social worker', 'bury-council-adult-social-care'],
      ['int-east-gp-lead', 'GP lead', 'P83005'],
      ['int-east-vcse-link-worker', 'VCSE link worker', 'vcse-link-workers'],
    ].map(([id, title, agency]) => [
      id as string,
      { id: id as string, title: title as string, agency_id: agency as string, label: `${title}, East INT` },
    ]),
  ),
  teams: new Map([['int-east', { id: 'int-east', name: 'East Integrated Neighbourhood Team' }]]),
};

const openCase: CaseRow = {
  id: CASE,
  person_id: PERSON,
  team_id: 'int-east',
  referral_id: REFERRAL,
  status: 'open',
  lead_practitioner_id: 'int-east-care-coordinator',
  key_worker_ids: ['int-east-social-worker'],
  opened_at: new Date('2026-09-14T09:30:00Z'),
  review_due_on: '2026-12-20',
  closed_at: null,
  closure_reason: null,
  closure_outcome: null,
  updated_by: 'Sam Taylor',
};

const plan: PlanRow = {
  case_id: CASE,
  what_matters: 'My dog, Bess, and our walk to the park.',
  strengths: 'Daughter visits on Sundays.',
  risks: 'Lives alone.\nStairs at home.',
  goals: [
    { id: 'g1', text: 'I want to get up and down my stairs without falling.' },
    { id: 'g2', text: 'I want to feel less lonely.' },
  ],
  updated_at: new Date('2026-09-15T11:00:00Z'),
  updated_by: 'Sam Taylor',
};

const action = (over: Partial<ActionRow>): ActionRow => ({
  id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  case_id: CASE,
  person_id: PERSON,
  goal_id: 'g1',
  description: 'Falls assessment at home',
  owner_agency_id: 'bury-community-health',
  owner_practitioner_id: 'int-east-care-coordinator',
  due_on: '2026-12-05',
  status: 'to-do',
  created_at: new Date('2026-09-15T11:00:00Z'),
  created_by: 'Sam Taylor',
  updated_at: new Date('2026-10-01T08:15:00Z'),
  completed_at: null,
  ...over,
});

const actions: ActionRow[] = [
  action({}),
  action({
    id: '8e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    goal_id: 'g2',
    description: 'Introduce to the Tuesday lunch club',
    owner_agency_id: 'vcse-link-workers',
    owner_practitioner_id: 'int-east-vcse-link-worker',
    status: 'done',
    completed_at: new Date('2026-10-20T14:00:00Z'),
  }),
  action({
    id: '7e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    goal_id: null,
    description: 'Medication review with the GP',
    owner_agency_id: 'P83005',
    owner_practitioner_id: 'int-east-gp-lead',
    status: 'in-progress',
  }),
];

const referral = (over: Partial<ReferralRow>): ReferralRow => ({
  id: REFERRAL,
  person_id: PERSON,
  team_id: 'int-east',
  source: 'practitioner',
  referrer: 'Social worker, East INT',
  referrer_agency_id: 'bury-council-adult-social-care',
  referred_by: '3c2b1a09-8f7e-4d6c-9b5a-493827160504',
  reason: 'Falls at home, lives alone',
  urgency: 'urgent',
  status: 'awaiting-triage',
  triaged_by: null,
  triaged_at: null,
  decline_reason: null,
  case_id: null,
  created_at: new Date('2026-09-10T15:45:00Z'),
  ...over,
});

const audit = (over: Partial<AuditRow>): AuditRow => ({
  seq: 42,
  occurred_at: new Date('2026-12-03T10:11:12.345Z'),
  request_id: 'req-1a',
  actor_id: '3c2b1a09-8f7e-4d6c-9b5a-493827160504',
  actor_name: 'Sam Taylor',
  role: 'int-practitioner',
  team_id: 'int-east',
  action: 'read',
  route: 'GET /api/places/:placeId/cases/:caseId',
  person_ids: [PERSON],
  purpose: 'direct-care',
  relationship: 'key worker',
  outcome: 'allowed',
  detail: '',
  ...over,
});

function assertValid(resource: Resource) {
  const issues = validateStructure(resource as unknown as Record<string, unknown>);
  assert.deepEqual(issues, [], `${resource.resourceType}/${resource.id} conforms to FHIR R4`);
}

describe('CarePlan', () => {
  test('an open case: active, its goals, team, tasks and next review, led by its lead professional', () => {
    const r = carePlanResource(openCase, plan, actions, dir);
    assertValid(r);
    assert.equal(r.id, CASE);
    assert.equal(r.status, 'active');
    assert.equal(r.intent, 'plan');
    assert.deepEqual(r.subject, { reference: `Patient/${PERSON}` });
    assert.deepEqual(r.period, { start: '2026-09-14T09:30:00.000Z' });
    assert.equal(r.created, '2026-09-14T09:30:00.000Z');
    assert.deepEqual(
      r.goal?.map((g) => g.reference),
      [`Goal/${CASE}-goal-g1`, `Goal/${CASE}-goal-g2`],
    );
    assert.deepEqual(r.careTeam, [{ reference: `CareTeam/${CASE}` }]);
    assert.deepEqual(r.supportingInfo, [{ reference: `ServiceRequest/${REFERRAL}` }]);
    assert.deepEqual(r.author, {
      type: 'Practitioner',
      identifier: { system: PRACTITIONER_SYSTEM, value: 'int-east-care-coordinator' },
      display: 'Care coordinator, East INT',
    });
    assert.deepEqual(
      r.activity?.flatMap((a) => (a.reference?.reference ? [a.reference.reference] : [])),
      actions.map((a) => `Task/${a.id}`),
    );
    const review = r.activity?.find((a) => a.detail);
    assert.equal(review?.detail?.status, 'scheduled');
    assert.deepEqual(review?.detail?.scheduledTiming?.event, ['2026-12-20']);
    assert.deepEqual(
      r.note?.map((n) => n.text),
      [
        'What matters to me: My dog, Bess, and our walk to the park.',
        'Strengths: Daughter visits on Sundays.',
        'Risks: Lives alone.\nStairs at home.',
      ],
    );
  });

  test('closed with its goals met: completed, with the closure as a note and an end to its period', () => {
    const closed: CaseRow = {
      ...openCase,
      status: 'closed',
      closed_at: new Date('2026-11-30T16:00:00Z'),
      closure_reason: 'goals-met',
      closure_outcome: 'Walking to the shop again; lunch club every week.',
    };
    const r = carePlanResource(closed, plan, actions, dir);
    assertValid(r);
    assert.equal(r.status, 'completed');
    assert.equal(r.period?.end, '2026-11-30T16:00:00.000Z');
    assert.equal(
      r.note?.at(-1)?.text,
      'Case closed (Goals met): Walking to the shop again; lunch club every week.',
    );
    assert.ok(!r.activity?.some((a) => a.detail), 'no review is scheduled for a closed case');
  });

  test('closed before its course was run: revoked', () => {
    for (const reason of ['declined-further-support', 'moved-away', 'transferred', 'died'])
      assert.equal(
        carePlanResource({ ...openCase, status: 'closed', closure_reason: reason }, plan, [], dir).status,
        'revoked',
        reason,
      );
    assert.equal(
      carePlanResource({ ...openCase, status: 'closed', closure_reason: 'other' }, plan, [], dir).status,
      'completed',
    );
  });

  test('a plan just started, with no goals or actions, still conforms', () => {
    const r = carePlanResource({ ...openCase, review_due_on: null, referral_id: null }, null, [], dir);
    assertValid(r);
    assert.equal(r.goal, undefined);
    assert.equal(r.activity, undefined);
    assert.equal(r.note, undefined);
  });
});

describe('Goal', () => {
  test("the person's own words, active while the case is open", () => {
    const g = goalResource(openCase, { id: 'g1', text: 'I want to stay in my own home.' });
    assertValid(g);
    assert.equal(g.id, `${CASE}-goal-g1`);
    assert.equal(g.lifecycleStatus, 'active');
    assert.deepEqual(g.description, { text: 'I want to stay in my own home.' });
    assert.deepEqual(g.subject, { reference: `Patient/${PERSON}` });
    assert.deepEqual(g.expressedBy, { reference: `Patient/${PERSON}` });
    assert.equal(g.achievementStatus, undefined);
  });

  test('completed and achieved when the case closes with its goals met; cancelled when cut short', () => {
    const met = goalResource(
      { ...openCase, status: 'closed', closure_reason: 'goals-met' },
      { id: 'g1', text: 'I want to walk to the shop again.' },
    );
    assertValid(met);
    assert.equal(met.lifecycleStatus, 'completed');
    assert.equal(met.achievementStatus?.coding?.[0]?.code, 'achieved');
    const declined = goalResource(
      { ...openCase, status: 'closed', closure_reason: 'declined-further-support' },
      { id: 'g1', text: 'x' },
    );
    assert.equal(declined.lifecycleStatus, 'cancelled');
    assert.equal(declined.achievementStatus, undefined);
  });

  test('a goal id too long for a FHIR id is replaced by a stable hash of itself', () => {
    const long = `goal-${'x'.repeat(50)}`;
    const id = goalResourceId(CASE, long);
    assert.ok(id.length <= 64, id);
    assert.match(id, new RegExp(`^${CASE}-goal-[0-9a-f]{8}$`));
    assert.equal(goalResourceId(CASE, long), id);
    assert.notEqual(goalResourceId(CASE, `${long}y`), id);
  });
});

describe('CareTeam', () => {
  test('lead professional, key workers and action owners, each for their agency', () => {
    const t = careTeamResource(openCase, actions, dir);
    assertValid(t);
    assert.equal(t.id, CASE);
    assert.equal(t.status, 'active');
    assert.equal(t.name, 'East Integrated Neighbourhood Team');
    assert.deepEqual(t.subject, { reference: `Patient/${PERSON}` });
    assert.deepEqual(
      t.participant?.map((p) => [
        p.member?.identifier?.value,
        p.role?.[0]?.coding?.[0]?.code,
        p.role?.[1]?.text,
      ]),
      [
        ['int-east-care-coordinator', 'lead-professional', 'Care coordinator'],
        ['int-east-social-worker', 'key-worker', 'Social worker'],
        ['int-east-vcse-link-worker', 'action-owner', 'VCSE link worker'],
        ['int-east-gp-lead', 'action-owner', 'GP lead'],
      ],
    );
    const gp = t.participant?.find((p) => p.member?.identifier?.value === 'int-east-gp-lead');
    assert.deepEqual(gp?.onBehalfOf, {
      type: 'Organization',
      identifier: { system: ODS_SYSTEM, value: 'P83005' },
      display: 'TOWNSIDE SURGERY',
    });
    assert.deepEqual(
      t.managingOrganization?.map((o) => [o.identifier?.system, o.identifier?.value]),
      [
        [AGENCY_SYSTEM, 'bury-community-health'],
        [AGENCY_SYSTEM, 'bury-council-adult-social-care'],
        [AGENCY_SYSTEM, 'vcse-link-workers'],
        [ODS_SYSTEM, 'P83005'],
      ],
    );
  });

  test('inactive once the case is closed; a practitioner since removed from the pack is named by id', () => {
    const t = careTeamResource(
      { ...openCase, status: 'closed', key_worker_ids: ['gone-worker'], closed_at: '2026-11-30T16:00:00Z' },
      [],
      dir,
    );
    assertValid(t);
    assert.equal(t.status, 'inactive');
    assert.equal(t.period?.end, '2026-11-30T16:00:00.000Z');
    const gone = t.participant?.find((p) => p.member?.identifier?.value === 'gone-worker');
    assert.equal(gone?.member?.display, 'gone-worker');
    assert.equal(gone?.onBehalfOf, undefined);
  });
});

describe('Task', () => {
  test('each action status has its Task status', () => {
    const expected: Record<ActionStatus, string> = {
      'to-do': 'ready',
      'in-progress': 'in-progress',
      done: 'completed',
      cancelled: 'cancelled',
    };
    for (const [status, fhir] of Object.entries(expected)) {
      const t = taskResource(action({ status: status as ActionStatus }), plan.goals, dir);
      assertValid(t);
      assert.equal(t.status, fhir, status);
    }
  });

  test('owned by the practitioner and agency, due by its date (date only), based on the plan, for its goal', () => {
    const done = actions[1] as ActionRow;
    const t = taskResource(done, plan.goals, dir);
    assertValid(t);
    assert.equal(t.id, done.id);
    assert.equal(t.intent, 'plan');
    assert.equal(t.description, 'Introduce to the Tuesday lunch club');
    assert.deepEqual(t.for, { reference: `Patient/${PERSON}` });
    assert.deepEqual(t.owner, {
      type: 'Practitioner',
      identifier: { system: PRACTITIONER_SYSTEM, value: 'int-east-vcse-link-worker' },
      display: 'VCSE link worker, East INT, VCSE link workers',
    });
    assert.deepEqual(t.restriction, { period: { end: '2026-12-05' } });
    assert.match(t.restriction?.period?.end ?? '', DATE_ONLY);
    assert.deepEqual(t.basedOn, [{ reference: `CarePlan/${CASE}` }]);
    assert.deepEqual(t.reasonReference, { reference: `Goal/${CASE}-goal-g2` });
    assert.equal(t.authoredOn, '2026-09-15T11:00:00.000Z');
    assert.equal(t.lastModified, '2026-10-01T08:15:00.000Z');
    assert.deepEqual(t.executionPeriod, { end: '2026-10-20T14:00:00.000Z' });
  });

  test('an action for a goal no longer in the plan names no goal', () => {
    const t = taskResource(action({ goal_id: 'g9' }), plan.goals, dir);
    assert.equal(t.reasonReference, undefined);
  });
});

describe('ServiceRequest', () => {
  test('awaiting triage: active, an urgent order to the team, with the reason and the referrer', () => {
    const s = serviceRequestResource(referral({}), dir);
    assertValid(s);
    assert.equal(s.id, REFERRAL);
    assert.equal(s.status, 'active');
    assert.equal(s.intent, 'order');
    assert.equal(s.priority, 'urgent');
    assert.deepEqual(s.subject, { reference: `Patient/${PERSON}` });
    assert.equal(s.authoredOn, '2026-09-10T15:45:00.000Z');
    assert.deepEqual(s.reasonCode, [{ text: 'Falls at home, lives alone' }]);
    assert.equal(s.requester?.display, 'Social worker, East INT (Bury Council adult social care)');
    assert.deepEqual(s.requester?.identifier, {
      system: STAFF_USER_SYSTEM,
      value: '3c2b1a09-8f7e-4d6c-9b5a-493827160504',
    });
    assert.equal(s.performer?.[0]?.reference, undefined);
    assert.equal(s.performer?.[0]?.display, 'East Integrated Neighbourhood Team');
    assert.equal(s.note, undefined);
  });

  test('accepted: completed, performed by the care team of the case it opened', () => {
    const s = serviceRequestResource(
      referral({
        status: 'accepted',
        case_id: CASE,
        triaged_by: 'Alex Lee',
        triaged_at: new Date('2026-09-14T09:30:00Z'),
      }),
      dir,
    );
    assertValid(s);
    assert.equal(s.status, 'completed');
    assert.equal(s.performer?.[0]?.reference, `CareTeam/${CASE}`);
    assert.deepEqual(s.note, [
      {
        authorString: 'Alex Lee',
        time: '2026-09-14T09:30:00.000Z',
        text: 'Accepted at triage: a case was opened.',
      },
    ]);
  });

  test("declined: revoked, with the team's reason", () => {
    const s = serviceRequestResource(
      referral({
        status: 'declined',
        source: 'self-or-family',
        referrer: 'Daughter',
        referrer_agency_id: null,
        referred_by: null,
        urgency: 'routine',
        triaged_by: 'Alex Lee',
        triaged_at: '2026-09-12T10:00:00Z',
        decline_reason: 'Already known to the district nursing team, who will visit this week.',
      }),
      dir,
    );
    assertValid(s);
    assert.equal(s.status, 'revoked');
    assert.equal(s.priority, 'routine');
    assert.deepEqual(s.extension, [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/request-statusReason',
        valueCodeableConcept: {
          text: 'Already known to the district nursing team, who will visit this week.',
        },
      },
    ]);
    assert.match(s.note?.[0]?.text ?? '', /^Declined at triage: Already known/);
    assert.deepEqual(s.requester, { display: 'Daughter' });
  });
});

describe('AuditEvent', () => {
  test('a read: RESTful read, R, success, the staff member and their role, the person as a Patient', () => {
    const e = auditEventResource(audit({}));
    assertValid(e);
    assert.equal(e.id, '42');
    assert.equal(e.type.code, 'rest');
    assert.deepEqual(
      e.subtype?.map((s) => s.code),
      ['read'],
    );
    assert.equal(e.action, 'R');
    assert.equal(e.outcome, '0');
    assert.equal(e.recorded, '2026-12-03T10:11:12.345Z');
    assert.deepEqual(e.purposeOfEvent, [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
            code: 'TREAT',
            display: 'treatment',
          },
        ],
        text: 'Direct care',
      },
    ]);
    const agent = e.agent[0];
    assert.deepEqual(agent?.who, {
      identifier: { system: STAFF_USER_SYSTEM, value: '3c2b1a09-8f7e-4d6c-9b5a-493827160504' },
      display: 'Sam Taylor',
    });
    assert.equal(agent?.role?.[0]?.text, 'INT practitioner');
    assert.equal(agent?.requestor, true);
    assert.deepEqual(e.entity?.[0]?.what, { reference: `Patient/${PERSON}` });
    assert.deepEqual(e.entity?.[0]?.detail, [{ type: 'relationship', valueString: 'key worker' }]);
    assert.equal(e.entity?.[1]?.description, 'GET /api/places/:placeId/cases/:caseId');
  });

  test('each action has its type, subtype and action code', () => {
    const cases: [Partial<AuditRow>, string, string[], string][] = [
      [{ action: 'search' }, 'rest', ['search-type'], 'E'],
      [{ action: 'write', route: 'POST /api/places/:placeId/referrals' }, 'rest', ['create'], 'C'],
      [{ action: 'write', route: 'PUT /api/places/:placeId/cases/:caseId/plan' }, 'rest', ['update'], 'U'],
      [{ action: 'write', route: 'PATCH /api/places/:placeId/actions/:actionId' }, 'rest', ['patch'], 'U'],
      [{ action: 'write', route: 'DELETE /api/cohorts/:id' }, 'rest', ['delete'], 'D'],
      [{ action: 'export', route: 'GET /api/audit/events.csv' }, '110106', [], 'R'],
      [{ action: 'sign-in', person_ids: [], purpose: 'account' }, '110114', ['110122'], 'E'],
      [{ action: 'sign-out', person_ids: [], purpose: 'account' }, '110114', ['110123'], 'E'],
      [
        { action: 'break-glass', purpose: 'break-glass', detail: 'Unconscious in A&E' },
        '110113',
        ['110127'],
        'E',
      ],
      [{ action: 'review', purpose: 'information-governance' }, 'rest', ['update'], 'U'],
    ];
    for (const [over, type, subtypes, code] of cases) {
      const e = auditEventResource(audit(over));
      assertValid(e);
      assert.deepEqual(
        [e.type.code, e.subtype?.map((s) => s.code) ?? [], e.action],
        [type, subtypes, code],
        over.action,
      );
    }
  });

  test('denied is a security alert with minor failure; failed is a serious failure', () => {
    const denied = auditEventResource(
      audit({ outcome: 'denied', detail: 'no relationship with the person' }),
    );
    assertValid(denied);
    assert.equal(denied.type.code, '110113');
    assert.deepEqual(
      denied.subtype?.map((s) => s.code),
      ['read', '110132'],
    );
    assert.equal(denied.action, 'R');
    assert.equal(denied.outcome, '4');
    assert.equal(denied.outcomeDesc, 'no relationship with the person');
    const signIn = auditEventResource(audit({ action: 'sign-in', outcome: 'denied', person_ids: [] }));
    assert.equal(signIn.type.code, '110114', 'a refused sign-in is still a user authentication');
    assert.equal(signIn.outcome, '4');
    assert.equal(auditEventResource(audit({ outcome: 'failed' })).outcome, '8');
  });

  test('no one signed in: the agent is named only; no person, no Patient entity', () => {
    const e = auditEventResource(
      audit({
        actor_id: null,
        actor_name: 'not signed in',
        role: null,
        team_id: null,
        action: 'sign-in',
        person_ids: [],
        relationship: null,
        purpose: 'account',
        outcome: 'denied',
      }),
    );
    assertValid(e);
    assert.deepEqual(e.agent, [{ who: { display: 'not signed in' }, requestor: true }]);
    assert.equal(e.entity?.length, 1);
    assert.deepEqual(e.purposeOfEvent, [{ text: 'Managing their own account' }]);
  });
});

describe("a case's resources", () => {
  test('in a fixed order, each conforming, and every timestamp an instant and every date a date', () => {
    const all = caseResources({ case: openCase, plan, actions }, dir);
    assert.deepEqual(
      all.map((r) => r.resourceType),
      ['CarePlan', 'CareTeam', 'Goal', 'Goal', 'Task', 'Task', 'Task'],
    );
    for (const r of all) assertValid(r);
    const ids = new Set(all.map((r) => `${r.resourceType}/${r.id}`));
    const refs = JSON.stringify(all).match(/"reference":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice(13, -1);
      assert.ok(
        ids.has(target) || target.startsWith('Patient/') || target.startsWith('ServiceRequest/'),
        `${target} resolves`,
      );
    }
    for (const task of all.filter((r) => r.resourceType === 'Task')) {
      assert.match(task.authoredOn ?? '', INSTANT);
      assert.match(task.restriction?.period?.end ?? '', DATE_ONLY);
    }
  });
});
