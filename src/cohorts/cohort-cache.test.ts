import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentAnswers, runKey } from './cohort-cache.ts';

test('an answer is computed once per key, and the least recently used goes first', async () => {
  const answers = new RecentAnswers<number>(2);
  let computed = 0;
  const compute = (v: number) => async () => {
    computed++;
    return v;
  };
  assert.equal(await answers.get('a', compute(1)), 1);
  assert.equal(await answers.get('a', compute(99)), 1, 'held, not recomputed');
  await answers.get('b', compute(2));
  await answers.get('a', compute(99)); // a is now the most recent
  await answers.get('c', compute(3)); // evicts b
  assert.equal(await answers.get('a', compute(99)), 1);
  assert.equal(await answers.get('b', compute(20)), 20, 'b was evicted and computed again');
  assert.equal(computed, 4);
});

test('a new stratification run gives new keys', () => {
  assert.notEqual(runKey('bury', '2026-12-03T08:00:00Z'), runKey('bury', '2026-12-03T09:00:00Z'));
  assert.equal(runKey('bury', new Date('2026-12-03T08:00:00Z')), runKey('bury', '2026-12-03T08:00:00.000Z'));
});
