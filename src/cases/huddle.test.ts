import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boardItems, boardWindow, mdtReasonDetail } from './huddle.ts';

const inEngland = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);

describe('the huddle board window', () => {
  const now = new Date('2026-12-03T09:15:00Z');

  it('looks back a week before the first huddle', () => {
    assert.deepEqual(boardWindow(null, now, inEngland), {
      current: null,
      since: new Date('2026-11-26T09:15:00Z'),
    });
  });

  it("is today's huddle's own window once it has started", () => {
    const today = {
      id: 'h2',
      started_at: new Date('2026-12-03T08:30:00Z'),
      since: new Date('2026-12-02T08:40:00Z'),
    };
    assert.deepEqual(boardWindow(today, now, inEngland), { current: today, since: today.since });
  });

  it("before today's huddle starts, runs from the last one's start", () => {
    const yesterday = {
      id: 'h1',
      started_at: new Date('2026-12-02T08:40:00Z'),
      since: new Date('2026-12-01T08:30:00Z'),
    };
    assert.deepEqual(boardWindow(yesterday, now, inEngland), { current: null, since: yesterday.started_at });
  });

  it('takes the day in England: 23:30 UTC in summer is already tomorrow', () => {
    const late = {
      id: 'h',
      started_at: new Date('2026-06-30T23:30:00Z'),
      since: new Date('2026-06-29T08:00:00Z'),
    };
    assert.equal(boardWindow(late, new Date('2026-07-01T08:00:00Z'), inEngland).current, late);
    assert.equal(boardWindow(late, new Date('2026-06-30T22:00:00Z'), inEngland).current, null);
  });
});

describe('the huddle board items', () => {
  const items = boardItems({
    unplannedCare: [
      { person_id: 'ann', case_id: 'c-ann', kind: 'ed', start_date: '2026-12-01' },
      { person_id: 'bob', case_id: 'c-bob', kind: 'ed', start_date: '2026-12-02' },
      { person_id: 'ann', case_id: 'c-ann', kind: 'emergency-admission', start_date: '2026-12-02' },
    ],
    overdueActions: [
      {
        person_id: 'bob',
        case_id: 'c-bob',
        description: 'Review medicines',
        owner: 'District nurse, East INT',
        due_on: '2026-11-30',
      },
      {
        person_id: 'cat',
        case_id: 'c-cat',
        description: 'Benefits check',
        owner: 'DWP work coach, East INT',
        due_on: '2026-11-01',
      },
    ],
    newReferrals: [
      {
        id: 'r1',
        person_id: 'dan',
        urgency: 'routine',
        referrer: 'Dr A',
        reason: 'Falls',
        created_on: '2026-12-01',
      },
      {
        id: 'r2',
        person_id: 'eve',
        urgency: 'urgent',
        referrer: 'Dr B',
        reason: 'x'.repeat(300),
        created_on: '2026-12-02',
      },
    ],
  });

  it('lists unplanned care, then overdue actions, then new referrals, one item per person and kind', () => {
    assert.deepEqual(
      items.map((i) => [i.item, i.personId]),
      [
        ['unplanned-care', 'ann'],
        ['unplanned-care', 'bob'],
        ['overdue-action', 'cat'],
        ['overdue-action', 'bob'],
        ['new-referral', 'eve'],
        ['new-referral', 'dan'],
      ],
    );
  });

  it('says what happened, with dates as people read them', () => {
    assert.equal(
      items[0]?.detail,
      'Emergency admission on 2 December 2026; A&E attendance on 1 December 2026',
    );
    assert.equal(items[1]?.detail, 'A&E attendance on 2 December 2026');
    assert.equal(
      items[3]?.detail,
      '"Review medicines" (District nurse, East INT) was due on 30 November 2026',
    );
    assert.equal(items[5]?.detail, 'Referral from Dr A on 1 December 2026: Falls');
    assert.ok(items[4]?.detail.startsWith('Urgent referral from Dr B on 2 December 2026: xxx'));
    assert.ok((items[4]?.detail.length ?? 0) < 260);
  });

  it('keeps the case of caseload items and the referral of new ones', () => {
    assert.deepEqual(
      items.map((i) => [i.caseId, i.referralId]),
      [
        ['c-ann', null],
        ['c-bob', null],
        ['c-cat', null],
        ['c-bob', null],
        [null, 'r2'],
        [null, 'r1'],
      ],
    );
  });

  it('names the huddle on the MDT agenda', () => {
    assert.equal(
      mdtReasonDetail('2026-12-03', 'A&E attendance on 2 December 2026'),
      'From the huddle on 3 December 2026: A&E attendance on 2 December 2026',
    );
  });
});
