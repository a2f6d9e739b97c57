import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CohortFacts,
  checkCohortRules,
  describeRules,
  type Group,
  meetsRules,
  type Vocabulary,
} from './cohort-rules.ts';

const vocabulary: Vocabulary = {
  neighbourhood: [
    { value: 'east', label: 'East' },
    { value: 'west', label: 'West' },
  ],
  efiBand: [
    { value: 'moderate', label: 'Moderate frailty' },
    { value: 'severe', label: 'Severe frailty' },
  ],
  condition: [{ value: 'copd', label: 'COPD' }],
};

const group = (...rules: unknown[]) => ({ kind: 'group', combinator: 'and', rules });
const problemsOf = (input: unknown) => {
  const checked = checkCohortRules(input, vocabulary);
  return checked.ok ? [] : checked.problems;
};

describe('cohort rules: checking', () => {
  test('a well-formed tree passes and comes back unchanged', () => {
    const rules = group(
      { kind: 'rule', field: 'neighbourhood', operator: 'in', value: ['east'] },
      { kind: 'rule', field: 'age', operator: '>=', value: 65 },
      {
        kind: 'group',
        combinator: 'or',
        rules: [
          { kind: 'rule', field: 'efiBand', operator: 'in', value: ['moderate', 'severe'] },
          {
            kind: 'rule',
            field: 'activity',
            activity: 'emergency-admission',
            months: 12,
            operator: '>=',
            value: 1,
          },
        ],
      },
    );
    const checked = checkCohortRules(rules, vocabulary);
    assert.ok(checked.ok);
    assert.deepEqual(checked.rules, rules);
  });

  test('each kind of mistake is named by the path of the part that is wrong', () => {
    assert.deepEqual(
      problemsOf(
        group(
          { kind: 'rule', field: 'postcode', operator: 'in', value: ['BL9'] },
          { kind: 'rule', field: 'age', operator: 'in', value: [65] },
          { kind: 'group', combinator: 'or', rules: [] },
          { kind: 'rule', field: 'age', operator: '>=', value: '65' },
          { kind: 'rule', field: 'core20', operator: 'is', value: 'yes' },
          {
            kind: 'rule',
            field: 'neighbourhood',
            operator: 'in',
            value: ['east', "x'; drop table person; --"],
          },
          { kind: 'rule', field: 'age', operator: 'between', value: [90, 65] },
          { kind: 'rule', field: 'activity', activity: 'gp', months: 0, operator: '>=', value: 1 },
          { kind: 'rule', field: 'condition', operator: 'has', value: 'copd', extra: 1 },
        ),
      ).map((p) => p.path),
      [
        'rules.rules.0.field',
        'rules.rules.1.operator',
        'rules.rules.2.rules',
        'rules.rules.3.value',
        'rules.rules.4.value',
        'rules.rules.5.value.1',
        'rules.rules.6.value',
        'rules.rules.7.activity',
        'rules.rules.7.months',
        'rules.rules.8.extra',
      ],
    );
  });

  test('the top must be a group, groups need a known combinator, and trees are bounded', () => {
    assert.deepEqual(
      problemsOf({ kind: 'rule', field: 'age', operator: '>=', value: 1 }).map((p) => p.path),
      ['rules'],
    );
    assert.deepEqual(
      problemsOf({
        kind: 'group',
        combinator: 'xor',
        rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 1 }],
      }).map((p) => p.path),
      ['rules.combinator'],
    );
    let deep: unknown = { kind: 'rule', field: 'age', operator: '>=', value: 1 };
    for (let i = 0; i < 5; i++) deep = group(deep);
    assert.match(problemsOf(deep)[0]?.message ?? '', /nested at most/);
    const many = group(
      ...Array.from({ length: 41 }, () => ({ kind: 'rule', field: 'age', operator: '>=', value: 1 })),
    );
    assert.match(problemsOf(many)[0]?.message ?? '', /at most 40 rules/);
  });

  test('numbers must be in range and whole where the field counts', () => {
    assert.deepEqual(
      problemsOf(group({ kind: 'rule', field: 'age', operator: '=', value: 70.5 })).map((p) => p.message),
      ['must be a whole number'],
    );
    assert.deepEqual(
      problemsOf(group({ kind: 'rule', field: 'imdDecile', operator: '<=', value: 11 })).map(
        (p) => p.message,
      ),
      ['must be 10 or less'],
    );
    assert.equal(
      problemsOf(group({ kind: 'rule', field: 'hfrsScore', operator: '>', value: 5.5 })).length,
      0,
    );
  });
});

describe('cohort rules: meaning', () => {
  const facts = (over: Partial<CohortFacts> = {}): CohortFacts => ({
    age: 70,
    sex: 'female',
    neighbourhood: 'east',
    ward: 'w',
    lsoa: 'l',
    practice: 'p',
    imdDecile: 1,
    imdQuintile: 1,
    core20: true,
    plusEthnicMinority: false,
    plusLearningDisability: false,
    plusMultimorbidity: true,
    clinicalArea: [],
    condition: ['copd'],
    ltcCount: 2,
    segment: 'chronic-conditions',
    efiBand: 'moderate',
    efiDeficits: 10,
    hfrsBand: 'low',
    hfrsScore: 0,
    charlsonBand: '0',
    charlsonScore: 0,
    frequentAttender: false,
    activity: () => 0,
    ...over,
  });
  const rules: Group = {
    kind: 'group',
    combinator: 'and',
    rules: [
      { kind: 'rule', field: 'neighbourhood', operator: 'in', value: ['east'] },
      { kind: 'rule', field: 'age', operator: 'between', value: [65, 120] },
      {
        kind: 'group',
        combinator: 'or',
        rules: [
          { kind: 'rule', field: 'condition', operator: 'has', value: 'copd' },
          { kind: 'rule', field: 'activity', activity: 'ed', months: 6, operator: '>=', value: 2 },
        ],
      },
    ],
  };

  test('AND needs every rule, OR any one', () => {
    assert.equal(meetsRules(rules, facts()), true);
    assert.equal(meetsRules(rules, facts({ neighbourhood: 'west' })), false);
    assert.equal(meetsRules(rules, facts({ age: 64 })), false);
    assert.equal(meetsRules(rules, facts({ condition: [] })), false);
    assert.equal(
      meetsRules(
        rules,
        facts({ condition: [], activity: (kind, months) => (kind === 'ed' && months === 6 ? 2 : 0) }),
      ),
      true,
    );
  });

  test('a tree reads back in plain words', () => {
    assert.equal(
      describeRules(rules, vocabulary),
      '(Neighbourhood is one of East and Age is between 65 and 120 and (has COPD or A&E attendances in 6 months is at least 2))',
    );
  });
});
