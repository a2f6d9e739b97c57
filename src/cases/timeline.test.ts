import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newestFirst, orderKey, type TimelineRows, timelineEvents } from './timeline.ts';

const names = {
  team: (id: string) => (id === 'int-east' ? 'East INT' : id),
  agency: (id: string) => (id === 'vcse-link-workers' ? 'Voluntary sector link-worker service' : id),
  dateInEngland: (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at),
};

const empty: TimelineRows = {
  encounters: [],
  socialCare: [],
  contacts: [],
  referrals: [],
  versions: [],
  reviews: [],
  mdtDiscussions: [],
  consents: [],
  serviceReferrals: [],
};

describe('the person timeline', () => {
  const events = timelineEvents(
    {
      ...empty,
      encounters: [
        {
          kind: 'ed',
          start_date: '2026-12-02',
          end_date: '2026-12-02',
          length_of_stay: null,
          primary_diagnosis: null,
          arrival_by_ambulance: true,
        },
        {
          kind: 'emergency-admission',
          start_date: '2026-10-01',
          end_date: '2026-10-04',
          length_of_stay: 3,
          primary_diagnosis: 'J18.9',
          arrival_by_ambulance: false,
        },
      ],
      socialCare: [{ service: 'reablement', start_date: '2026-10-05', end_date: null }],
      referrals: [
        {
          team_id: 'int-east',
          created_at: new Date('2026-11-20T10:00:00Z'),
          referrer: 'Dr A, Bury community health services',
          reason: 'Falls at home',
          urgency: 'routine',
          status: 'accepted',
          triaged_at: new Date('2026-11-21T09:00:00Z'),
          triaged_by: 'Sam Lead',
          decline_reason: null,
        },
      ],
      versions: [
        {
          team_id: 'int-east',
          kind: 'plan',
          version: 2,
          change: 'Plan saved: 1 goals; 1 actions added, 0 changed',
          changed_by: 'Sam Lead',
          changed_at: new Date('2026-11-22T11:00:00Z'),
        },
      ],
      contacts: [
        {
          team_id: 'int-east',
          contact_at: new Date('2026-12-02T08:00:00Z'),
          mode: 'phone',
          note: 'Spoke to daughter',
          recorded_by: 'Kim',
        },
      ],
      reviews: [
        {
          team_id: 'int-east',
          held_on: '2026-11-30',
          summary: 'Going well.',
          next_review_on: null,
          recorded_by: 'Kim',
        },
      ],
      mdtDiscussions: [
        {
          team_id: 'int-east',
          starts_at: new Date('2026-11-25T13:00:00Z'),
          summary: 'Lives alone',
          decisions: 'Refer to falls service',
          discussed_at: new Date('2026-11-25T13:20:00Z'),
          recorded_by: 'Sam Lead',
        },
      ],
      consents: [
        {
          team_id: 'int-east',
          status: 'given',
          given_by: 'person',
          agencies: ['vcse-link-workers'],
          purpose: 'Help at home',
          recorded_by: 'Kim',
          recorded_at: new Date('2026-11-21T09:30:00Z'),
        },
      ],
    },
    names,
  );

  it('puts every source in one list, newest first; a date sorts as the start of its day', () => {
    assert.deepEqual(
      events.map((e) => [e.at, e.kind]),
      [
        ['2026-12-02T08:00:00.000Z', 'contact'],
        ['2026-12-02', 'ed-attendance'],
        ['2026-11-30', 'review'],
        ['2026-11-25T13:20:00.000Z', 'mdt'],
        ['2026-11-22T11:00:00.000Z', 'plan'],
        ['2026-11-21T09:30:00.000Z', 'consent'],
        ['2026-11-21T09:00:00.000Z', 'referral'],
        ['2026-11-20T10:00:00.000Z', 'referral'],
        ['2026-10-05', 'social-care'],
        ['2026-10-01', 'emergency-admission'],
      ],
    );
  });

  it('says what each event was, and who recorded it', () => {
    const by = (kind: string) => events.filter((e) => e.kind === kind);
    assert.deepEqual(by('ed-attendance')[0], {
      at: '2026-12-02',
      kind: 'ed-attendance',
      title: 'A&E attendance',
      detail: 'Arrived by ambulance.',
      by: null,
    });
    assert.equal(
      by('emergency-admission')[0]?.detail,
      'In hospital until 4 October 2026 (3 nights). Main diagnosis J18.9 (ICD-10).',
    );
    assert.equal(by('social-care')[0]?.title, 'Reablement started');
    assert.deepEqual(
      by('referral').map((e) => [e.title, e.by]),
      [
        ['Referral accepted by East INT', 'Sam Lead'],
        ['Referral to East INT', 'Dr A, Bury community health services'],
      ],
    );
    assert.equal(by('plan')[0]?.title, 'Plan updated, East INT');
    assert.equal(by('plan')[0]?.detail, 'Plan saved: 1 goals; 1 actions added, 0 changed (version 2)');
    assert.equal(by('contact')[0]?.title, 'Phone call, East INT');
    assert.equal(by('mdt')[0]?.title, 'Discussed at the East INT MDT meeting on 25 November 2026');
    assert.equal(by('mdt')[0]?.detail, 'Summary: Lives alone\nDecisions: Refer to falls service');
    assert.equal(by('review')[0]?.detail, 'Going well. No next review set.');
    assert.equal(
      by('consent')[0]?.detail,
      'By the person, with Voluntary sector link-worker service. For: Help at home',
    );
  });

  it('shows each step of a referral to a directory service, with its reason or note', () => {
    const steps = timelineEvents(
      {
        ...empty,
        serviceReferrals: [
          {
            status: 'declined',
            at: new Date('2026-11-24T10:00:00Z'),
            by_name: 'Jo Link, VCSE worker',
            note: 'Full until spring',
            reason: 'Lonely',
            service_name: 'Home befriending',
            organisation_name: 'Kingfisher Befriending (sample)',
          },
          {
            status: 'sent',
            at: new Date('2026-11-23T09:00:00Z'),
            by_name: 'Sam Care, INT practitioner',
            note: null,
            reason: 'Lonely',
            service_name: 'Home befriending',
            organisation_name: 'Kingfisher Befriending (sample)',
          },
        ],
      },
      names,
    );
    assert.deepEqual(
      steps.map((e) => [e.kind, e.title, e.detail, e.by]),
      [
        [
          'service-referral',
          'Referral to Home befriending: declined',
          'Full until spring',
          'Jo Link, VCSE worker',
        ],
        [
          'service-referral',
          'Referred to Home befriending, Kingfisher Befriending (sample)',
          'Lonely',
          'Sam Care, INT practitioner',
        ],
      ],
    );
  });

  it('keeps only the most recent events', () => {
    const many = timelineEvents(
      {
        ...empty,
        socialCare: Array.from({ length: 400 }, (_, i) => ({
          service: 'home-care' as const,
          start_date: `2020-01-01`.replace('2020', String(1700 + i)),
          end_date: null,
        })),
      },
      names,
    );
    assert.equal(many.length, 300);
    assert.equal(many[0]?.at, '2099-01-01');
    assert.equal(many.at(-1)?.at, '1800-01-01');
  });

  it('orders by England’s clock: a summer timestamp after 23:00 UTC is the next day', () => {
    assert.equal(orderKey('2026-06-30T23:30:00.000Z'), '2026-07-01 00:30:00.000');
    assert.equal(orderKey('2026-12-01T23:30:00.000Z'), '2026-12-01 23:30:00.000');
    assert.deepEqual(
      newestFirst([
        { at: '2026-07-01', kind: 'outpatient', title: 'a', detail: '', by: null },
        { at: '2026-06-30T23:30:00.000Z', kind: 'contact', title: 'b', detail: '', by: null },
      ]).map((e) => e.title),
      ['b', 'a'],
    );
  });
});
