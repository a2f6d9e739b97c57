import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ageWords,
  clockWords,
  costOptionWords,
  listWords,
  moneyWords,
  rolloutWords,
  scheduleWords,
} from './directory-words.ts';

test('ages as people say them', () => {
  assert.equal(ageWords(60, null), 'Aged 60 and over');
  assert.equal(ageWords(11, 18), 'Aged 11 to 18');
  assert.equal(ageWords(null, 4), 'Aged up to 4');
  assert.equal(ageWords(0, 4), 'Aged up to 4');
  assert.equal(ageWords(null, null), 'All ages');
});

test('times in the NHS style', () => {
  assert.deepEqual(['09:00', '08:30', '12:00', '12:30', '17:00', '00:00', '19:45'].map(clockWords), [
    '9am',
    '8:30am',
    'midday',
    '12:30pm',
    '5pm',
    'midnight',
    '7:45pm',
  ]);
});

test('weekly and monthly schedules in words', () => {
  const weekly = (byday: string[], interval = 1) =>
    scheduleWords({ freq: 'WEEKLY', interval, byday, opensAt: '09:00', closesAt: '17:00' });
  assert.equal(weekly(['MO', 'TU', 'WE', 'TH', 'FR']), 'Monday to Friday, 9am to 5pm');
  assert.equal(weekly(['MO', 'WE', 'FR']), 'Monday, Wednesday and Friday, 9am to 5pm');
  assert.equal(weekly(['WE']), 'Wednesday, 9am to 5pm');
  assert.equal(weekly(['SA', 'MO', 'TU', 'WE']), 'Monday to Wednesday and Saturday, 9am to 5pm');
  assert.equal(weekly(['TU'], 2), 'Every other Tuesday, 9am to 5pm');
  assert.equal(weekly(['TU'], 3), 'Every 3 weeks on Tuesday, 9am to 5pm');
  const monthly = (byday: string[], interval = 1) =>
    scheduleWords({ freq: 'MONTHLY', interval, byday, opensAt: '14:00', closesAt: '16:00' });
  assert.equal(monthly(['1TH']), 'First Thursday of the month, 2pm to 4pm');
  assert.equal(monthly(['-1FR']), 'Last Friday of the month, 2pm to 4pm');
  assert.equal(monthly(['2MO', '4MO']), 'Second Monday and fourth Monday of the month, 2pm to 4pm');
  assert.equal(monthly(['3TU'], 2), 'Third Tuesday every 2 months, 2pm to 4pm');
});

test('money, prices, lists and rollout years', () => {
  assert.equal(moneyWords(3.5), '£3.50');
  assert.equal(moneyWords(2), '£2');
  assert.equal(
    costOptionWords({ option: 'Adults', amount: 3.5, amountDescription: 'a session' }),
    'Adults: £3.50 a session',
  );
  assert.equal(costOptionWords({ option: null, amount: 4.5, amountDescription: null }), '£4.50');
  assert.equal(listWords(['a', 'b', 'c']), 'a, b and c');
  assert.equal(listWords(['a']), 'a');
  assert.equal(listWords([]), '');
  assert.equal(rolloutWords(2027, null), '2027');
  assert.equal(rolloutWords(2026, 2030), '2026 to 2030');
});
