import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn, formatDate } from './dates.ts';

test('formatDate writes the day without a leading zero and the month in full', () => {
  assert.equal(formatDate('2021-03-12'), '12 March 2021');
  assert.equal(formatDate('2024-01-01'), '1 January 2024');
  assert.equal(formatDate('2025-12-31'), '31 December 2025');
  assert.throws(() => formatDate('2025-13-01'), /not a 'YYYY-MM-DD' date/);
  assert.throws(() => formatDate('31/12/2025'), /not a 'YYYY-MM-DD' date/);
});

test('ageOn counts a birthday on the day itself', () => {
  assert.equal(ageOn('1950-06-15', '2025-06-14'), 74);
  assert.equal(ageOn('1950-06-15', '2025-06-15'), 75);
  assert.equal(ageOn('2024-02-29', '2025-02-28'), 0);
  assert.equal(ageOn('2024-02-29', '2025-03-01'), 1);
  assert.equal(ageOn('2025-12-31', '2025-12-31'), 0);
});
