import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agendaFrom,
  agendaWithin,
  itemsVisibleTo,
  mayReadMinutes,
  maySeeMeeting,
  moveItem,
  reviewDetail,
  riskRises,
  type Suggestion,
  unplannedCareDetail,
} from './agenda.ts';

const suggest = (
  personId: string,
  reason: Suggestion['reason'],
  detail: string,
  ids: Partial<Suggestion> = {},
) => ({
  personId,
  reason,
  detail,
  caseId: null,
  referralId: null,
  ...ids,
});

describe('building an MDT agenda', () => {
  it('puts each person on once, led by their first reason, with the others in the detail', () => {
    const items = agendaFrom(
      [
        suggest('ann', 'review-due', 'Review due on 1 December 2026', { caseId: 'case-ann' }),
        suggest('bob', 'new-referral', 'Referral from Dr Ahmed', { referralId: 'ref-bob' }),
        suggest('ann', 'unplanned-care', 'ED attendance on 20 November 2026', { caseId: 'case-ann' }),
        suggest('cat', 'nominated', 'Nominated at the worklist "East 75+"'),
        suggest('ann', 'risk-rose', 'Frailty moderate → severe', { caseId: 'case-ann' }),
      ],
      new Set(),
      0,
    );
    assert.deepEqual(
      items.map((i) => [i.personId, i.reason, i.position]),
      [
        ['bob', 'new-referral', 1],
        ['ann', 'review-due', 2],
        ['cat', 'nominated', 3],
      ],
    );
    assert.equal(
      items[1]?.detail,
      'Review due on 1 December 2026. Also risk rose: Frailty moderate → severe; unplanned care: ED attendance on 20 November 2026',
    );
    assert.equal(items[1]?.caseId, 'case-ann');
    assert.equal(items[0]?.referralId, 'ref-bob');
  });

  it('keeps the store’s order within a reason, adds nobody already there (or removed), and numbers after the last item', () => {
    const items = agendaFrom(
      [
        suggest('early', 'review-due', 'Review overdue since 1 November 2026'),
        suggest('removed', 'review-due', 'Review due on 2 November 2026'),
        suggest('late', 'review-due', 'Review due on 3 November 2026'),
      ],
      new Set(['removed']),
      4,
    );
    assert.deepEqual(
      items.map((i) => [i.personId, i.position]),
      [
        ['early', 5],
        ['late', 6],
      ],
    );
    assert.deepEqual(agendaFrom([suggest('x', 'nominated', 'again')], new Set(['x']), 1), []);
  });

  it('names a review overdue today, or due by the meeting', () => {
    assert.equal(reviewDetail('2026-11-30', '2026-12-03'), 'Review overdue since 30 November 2026');
    assert.equal(reviewDetail('2026-12-03', '2026-12-03'), 'Review due on 3 December 2026');
  });

  it('reads a rise in either band, and a first score above the lowest band as a rise', () => {
    assert.deepEqual(riskRises({ efi: 'moderate', hfrs: 'low' }, { efi: 'severe', hfrs: 'high' }), [
      'Frailty moderate → severe',
      'Hospital frailty risk low → high',
    ]);
    assert.deepEqual(riskRises({ efi: 'severe', hfrs: 'high' }, { efi: 'mild', hfrs: 'high' }), []);
    assert.deepEqual(riskRises({ efi: 'mild' }, { efi: 'mild', hfrs: 'low' }), []);
    assert.deepEqual(riskRises({}, { efi: 'moderate', hfrs: null }), ['Frailty not scored → moderate']);
    assert.deepEqual(riskRises({ efi: 'mild' }, { efi: null, hfrs: null }), []);
  });

  it('lists unplanned care latest first, at most three', () => {
    assert.equal(
      unplannedCareDetail([
        { kind: 'ed', startDate: '2026-11-02' },
        { kind: 'emergency-admission', startDate: '2026-11-20' },
      ]),
      'Emergency admission on 20 November 2026; ED attendance on 2 November 2026',
    );
    const many = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'].map((startDate) => ({
      kind: 'ed' as const,
      startDate,
    }));
    assert.equal(
      unplannedCareDetail(many),
      'ED attendance on 5 November 2026; ED attendance on 4 November 2026; ED attendance on 3 November 2026; and 2 more',
    );
  });
});

describe('the chair’s edits', () => {
  it('moves an item to a position, first to last', () => {
    const ids = ['a', 'b', 'c', 'd'];
    assert.deepEqual(moveItem(ids, 'd', 1), ['d', 'a', 'b', 'c']);
    assert.deepEqual(moveItem(ids, 'a', 4), ['b', 'c', 'd', 'a']);
    assert.deepEqual(moveItem(ids, 'b', 3), ['a', 'c', 'b', 'd']);
    assert.deepEqual(moveItem(ids, 'c', 3), ids);
    assert.deepEqual(moveItem(ids, 'a', 99), ['b', 'c', 'd', 'a']);
  });
});

describe('who sees a meeting and its minutes', () => {
  const meeting = { teamId: 'int-east' };
  const attendance = [
    { practitionerId: 'int-east-police-officer', attended: true },
    { practitionerId: 'int-east-district-nurse', attended: false },
  ];

  it('the meeting: its team, and anyone recorded at it', () => {
    assert.ok(maySeeMeeting({ teamId: 'int-east', practitionerId: null }, meeting, attendance));
    assert.ok(
      maySeeMeeting({ teamId: null, practitionerId: 'int-east-district-nurse' }, meeting, attendance),
    );
    assert.ok(
      !maySeeMeeting({ teamId: 'int-west', practitionerId: 'int-west-int-lead' }, meeting, attendance),
    );
  });

  it('the minutes: those who attended and the lead of the team, nobody else', () => {
    const member = { role: 'int-practitioner' as const, teamId: 'int-east', practitionerId: null };
    assert.ok(mayReadMinutes({ ...member, role: 'int-lead' }, meeting, attendance));
    assert.ok(!mayReadMinutes(member, meeting, attendance), 'a team member who was not there');
    assert.ok(
      mayReadMinutes(
        { ...member, teamId: null, practitionerId: 'int-east-police-officer' },
        meeting,
        attendance,
      ),
    );
    assert.ok(
      !mayReadMinutes({ ...member, practitionerId: 'int-east-district-nurse' }, meeting, attendance),
      'apologies',
    );
    assert.ok(
      !mayReadMinutes({ role: 'int-lead', teamId: 'int-west', practitionerId: null }, meeting, attendance),
    );
  });

  it('items about people without a relationship are counted, not shown', () => {
    const items = [{ personId: 'a' }, { personId: 'b' }, { personId: 'c' }];
    assert.deepEqual(itemsVisibleTo(items, new Set(['b'])), { shown: [{ personId: 'b' }], hidden: 2 });
  });
});

it('a build fills the agenda up to its limit, most pressing first, and says how many more wait', () => {
  const many = Array.from({ length: 8 }, (_, i) =>
    suggest(`p${i}`, i < 2 ? 'nominated' : 'review-due', `reason ${i}`),
  );
  const { items, waiting } = agendaWithin(many, new Set(['already']), 1, 5);
  assert.deepEqual(
    items.map((i) => [i.personId, i.reason, i.position]),
    [
      ['p2', 'review-due', 2],
      ['p3', 'review-due', 3],
      ['p4', 'review-due', 4],
      ['p5', 'review-due', 5],
    ],
  );
  assert.equal(waiting, 4);
  assert.deepEqual(agendaWithin(many, new Set(['a', 'b', 'c', 'd', 'e']), 5, 5), { items: [], waiting: 8 });
});
