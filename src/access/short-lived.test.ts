import assert from 'node:assert/strict';
import { test } from 'node:test';
import { perDatabase, ShortLived } from './short-lived.ts';

test('an answer is kept for its time to live, then asked for again', async () => {
  const cache = new ShortLived<number>(1000);
  let asked = 0;
  const compute = async () => ++asked;
  assert.equal(await cache.get('k', compute, 0), 1);
  assert.equal(await cache.get('k', compute, 999), 1);
  assert.equal(await cache.get('k', compute, 1000), 2, 'expired at its time to live');
  cache.delete('k');
  assert.equal(await cache.get('k', compute, 1001), 3, 'forgotten at once');
  cache.clear();
  assert.equal(await cache.get('k', compute, 1002), 4);
});

test('a failed answer is not kept', async () => {
  const cache = new ShortLived<number>(1000);
  await assert.rejects(cache.get('k', async () => Promise.reject(new Error('down')), 0));
  assert.equal(await cache.get('k', async () => 7, 1), 7);
});

test('the oldest entries go when the limit is passed', async () => {
  const cache = new ShortLived<string>(1000, 2);
  for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k, 0);
  let recomputed = false;
  await cache.get(
    'a',
    async () => {
      recomputed = true;
      return 'a';
    },
    1,
  );
  assert.ok(recomputed, '"a" was the oldest');
});

test('each database has its own cache', async () => {
  const cacheFor = perDatabase(() => new ShortLived<string>(1000));
  const one = {};
  const two = {};
  await cacheFor(one).get('k', async () => 'one');
  assert.equal(await cacheFor(two).get('k', async () => 'two'), 'two');
  assert.equal(await cacheFor(one).get('k', async () => 'again'), 'one');
});
