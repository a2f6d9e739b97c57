import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { publicCache } from './public-cache.ts';

async function appWith(maxAgeMs: number, limit: number) {
  return appWithCache(publicCache({ maxAgeMs, limit }));
}

async function appWithCache(cache: ReturnType<typeof publicCache>) {
  const app = Fastify({ logger: false });
  let computed = 0;
  app.get('/page', { onRequest: cache.onRequest, onSend: cache.onSend }, async (req, reply) => {
    computed++;
    const { fail } = req.query as { fail?: string };
    return reply
      .code(fail ? 400 : 200)
      .type('text/html')
      .send(`<p>answer ${computed}</p>`);
  });
  await app.ready();
  return { app, computed: () => computed };
}

test('clearing forgets every answer: the next request is computed again', async () => {
  const cache = publicCache({ maxAgeMs: 60_000, limit: 10 });
  const { app, computed } = await appWithCache(cache);
  await app.inject('/page?q=a');
  await app.inject('/page?q=a');
  assert.equal(computed(), 1);
  cache.clear();
  const after = await app.inject('/page?q=a');
  assert.equal(computed(), 2);
  assert.equal(after.headers.age, undefined, 'a fresh answer, not one from memory');
});

test('a good answer is kept for its age and answered from memory, with its Age', async () => {
  const { app, computed } = await appWith(60_000, 10);
  const first = await app.inject('/page?q=a');
  const second = await app.inject('/page?q=a');
  assert.equal(second.body, first.body);
  assert.equal(computed(), 1);
  assert.equal(second.headers.age, '0');
  assert.equal(second.headers['cache-control'], 'public, max-age=60');
  await app.inject('/page?q=b');
  assert.equal(computed(), 2, 'another address is another answer');
});

test('errors are never kept; an answer older than its age is computed again; the oldest goes first', async () => {
  const { app, computed } = await appWith(30, 2);
  await app.inject('/page?fail=1');
  await app.inject('/page?fail=1');
  assert.equal(computed(), 2);
  await app.inject('/page?q=1');
  await new Promise((r) => setTimeout(r, 40));
  await app.inject('/page?q=1');
  assert.equal(computed(), 4, 'expired');
  const fresh = await appWith(60_000, 2);
  for (const q of ['1', '2', '3', '1']) await fresh.app.inject(`/page?q=${q}`);
  assert.equal(fresh.computed(), 4, 'q=1 was pushed out by 2 and 3');
});
