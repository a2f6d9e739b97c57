import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageIsEligible, directoryId, isRetired, isReviewDue } from './directory.ts';

test('age limits are inclusive, and a missing limit is no limit', () => {
  assert.equal(ageIsEligible(11, 11, 18), true);
  assert.equal(ageIsEligible(18, 11, 18), true);
  assert.equal(ageIsEligible(10, 11, 18), false);
  assert.equal(ageIsEligible(19, 11, 18), false);
  assert.equal(ageIsEligible(95, 60, null), true);
  assert.equal(ageIsEligible(0, null, 4), true);
  assert.equal(ageIsEligible(40, null, null), true);
});

test('only a defunct service is retired; a review is due on its date', () => {
  assert.deepEqual((['active', 'inactive', 'temporarily closed', 'defunct'] as const).map(isRetired), [
    false,
    false,
    false,
    true,
  ]);
  assert.equal(isReviewDue({ reviewDate: '2026-12-04' }, '2026-12-04'), true);
  assert.equal(isReviewDue({ reviewDate: '2027-01-31' }, '2026-12-04'), false);
});

test('ids are UUIDs fixed by place, kind and pack id', () => {
  const id = directoryId('bury', 'service', 'moorside-food-club');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(directoryId('bury', 'service', 'moorside-food-club'), id);
  assert.notEqual(directoryId('bury-copy', 'service', 'moorside-food-club'), id);
  assert.notEqual(directoryId('bury', 'location', 'moorside-food-club'), id);
});
