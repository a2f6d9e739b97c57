import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPlan, closureProblems } from './plan-rules.ts';

const dir = {
  agencies: [{ id: 'bury-community-health' }, { id: 'vcse-link-workers' }],
  practitioner: (id: string) =>
    ({
      'int-east-district-nurse': { agencyId: 'bury-community-health', label: 'District nurse, East INT' },
      'int-east-vcse-link-worker': { agencyId: 'vcse-link-workers', label: 'VCSE link worker, East INT' },
    })[id],
  agencyName: (id: string) => ({ 'bury-community-health': 'Bury community health services' })[id] ?? id,
};
const action = {
  goalId: 'g1',
  description: 'Falls assessment',
  ownerAgencyId: 'bury-community-health',
  ownerPractitionerId: 'int-east-district-nurse',
  dueOn: '2026-12-10',
};
const goals = [{ id: 'g1', text: 'Manage my stairs' }];

test('a valid plan has no problems', () => {
  assert.deepEqual(checkPlan({ goals, actions: [action] }, dir, new Set()), []);
});

test('each problem names its field', () => {
  const expressions = (plan: Parameters<typeof checkPlan>[0], ids = new Set<string>()) =>
    checkPlan(plan, dir, ids).map((p) => p.expression?.[0]);
  assert.deepEqual(expressions({ goals: [...goals, ...goals], actions: [] }), ['goals.1.id']);
  assert.deepEqual(expressions({ goals, actions: [{ ...action, ownerAgencyId: 'nowhere' }] }), [
    'actions.0.ownerAgencyId',
    'actions.0.ownerPractitionerId',
  ]);
  assert.deepEqual(expressions({ goals, actions: [{ ...action, ownerPractitionerId: 'nobody' }] }), [
    'actions.0.ownerPractitionerId',
  ]);
  assert.deepEqual(expressions({ goals, actions: [{ ...action, goalId: 'g2' }] }), ['actions.0.goalId']);
  assert.deepEqual(expressions({ goals, actions: [{ ...action, id: 'a-1' }] }), ['actions.0.id']);
  assert.deepEqual(
    expressions(
      {
        goals,
        actions: [
          { ...action, id: 'a-1' },
          { ...action, id: 'a-1' },
        ],
      },
      new Set(['a-1']),
    ),
    ['actions.1.id'],
  );
  const wrongAgency = checkPlan(
    { goals, actions: [{ ...action, ownerAgencyId: 'vcse-link-workers' }] },
    dir,
    new Set(),
  );
  assert.match(
    wrongAgency[0]?.diagnostics ?? '',
    /works for Bury community health services, not vcse-link-workers/,
  );
});

test('a goal cannot be taken away while an action the save leaves alone still serves it', () => {
  const kept = [{ id: 'a-1', goalId: 'g1', description: 'Falls assessment' }];
  assert.deepEqual(
    checkPlan({ goals: [], actions: [] }, dir, new Set(['a-1']), kept).map((p) => p.expression?.[0]),
    ['goals'],
  );
  // Sent with no goal, or the goal kept: fine.
  assert.deepEqual(checkPlan({ goals, actions: [] }, dir, new Set(['a-1']), kept), []);
  assert.deepEqual(
    checkPlan({ goals: [], actions: [{ ...action, id: 'a-1', goalId: null }] }, dir, new Set(['a-1']), kept),
    [],
  );
});

test('a case closes with no open actions, or with a reason of at least 10 characters', () => {
  assert.deepEqual(closureProblems(0, undefined), []);
  assert.deepEqual(closureProblems(2, 'Moved out of the borough'), []);
  assert.equal(closureProblems(1, 'moved')[0]?.expression?.[0], 'overrideReason');
  assert.match(closureProblems(1, undefined)[0]?.diagnostics ?? '', /1 open action\. Finish or cancel it/);
  assert.match(closureProblems(3, '')[0]?.diagnostics ?? '', /3 open actions/);
});
