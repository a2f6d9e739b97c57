// The web app's API calls when answers are lost: a change is sent again with the same Idempotency-Key,
// waits while the server says its first sending is still being answered, and gives up plainly; signing
// in and files are never sent again. Against a stand-in for fetch that records what was sent.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { z } from 'zod';
import { ApiError } from './api-error.ts';
import { fetchJson } from './fetch-json.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

type Step = 'lost' | Response;
/** fetch answering with each step in turn ('lost': no answer, as on a dropped connection). */
function answering(...steps: Step[]) {
  const sent: { method: string; headers: Record<string, string> }[] = [];
  globalThis.fetch = async (_url, init) => {
    sent.push({ method: init?.method ?? 'GET', headers: { ...(init?.headers as Record<string, string>) } });
    const step = steps.shift();
    if (step === undefined) throw new Error('asked more often than the test expected');
    if (step === 'lost') throw new TypeError('Failed to fetch');
    return step;
  };
  return sent;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const stillAnswering = () =>
  json(
    409,
    {
      resourceType: 'OperationOutcome',
      id: 'r1',
      issue: [
        {
          severity: 'error',
          code: 'conflict',
          diagnostics: 'A request with this Idempotency-Key is still being answered.',
          expression: ['Idempotency-Key'],
        },
      ],
    },
    { 'retry-after': '1' },
  );
const saved = z.object({ id: z.string() });
const post = (body: unknown = { note: 'Seen at home' }) => ({ method: 'POST' as const, body });

describe('sending a change again when its answer is lost', () => {
  test('a change carries a new key each time, and is sent again with the same key after a lost answer', async () => {
    const sent = answering('lost', json(201, { id: 'a' }), json(201, { id: 'b' }));
    assert.deepEqual(await fetchJson('/api/x', saved, undefined, post()), { id: 'a' });
    assert.deepEqual(await fetchJson('/api/x', saved, undefined, post()), { id: 'b' });
    const keys = sent.map((s) => s.headers['idempotency-key']);
    assert.match(keys[0] ?? '', /^[0-9a-f]{32}$/);
    assert.equal(keys[1], keys[0], 'the same key when sent again');
    assert.notEqual(keys[2], keys[0], 'a new change, a new key');
  });

  test('told the first sending is still being answered, it waits as asked and asks again', async () => {
    const sent = answering('lost', stillAnswering(), stillAnswering(), json(201, { id: 'a' }));
    const started = performance.now();
    assert.deepEqual(await fetchJson('/api/x', saved, undefined, post()), { id: 'a' });
    // 1 s after the lost answer, then 1 s for each wait.
    assert.ok(performance.now() - started >= 2900, 'waited');
    assert.equal(new Set(sent.map((s) => s.headers['idempotency-key'])).size, 1);
    assert.equal(sent.length, 4);
  });

  test('a 409 to a first sending is the answer, and says whether it is about the key', async () => {
    answering(stillAnswering());
    const error = await fetchJson('/api/x', saved, undefined, post()).catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 409);
    assert.equal(error.isConflict, false, 'not someone else’s change');
  });

  test('after three sendings with no answer, it says so plainly', async () => {
    const sent = answering('lost', 'lost', 'lost');
    const error = await fetchJson('/api/x', saved, undefined, post()).catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 0);
    assert.match(error.message, /could not be reached/);
    assert.equal(sent.length, 3);
  });

  test('reads, signing in and files are sent once, without a key', async () => {
    for (const [url, send] of [
      ['/api/x', undefined],
      ['/api/session', post({ username: 'u', password: 'p' })],
      ['/api/places/bury/imports?fileName=a.csv', { method: 'POST' as const, body: new Blob(['a,b']) }],
    ] as const) {
      const sent = answering('lost');
      const error = await fetchJson(url, saved, undefined, send).catch((e: unknown) => e);
      assert.ok(error instanceof ApiError && error.status === 0, url);
      assert.equal(sent.length, 1, url);
      assert.equal(sent[0]?.headers['idempotency-key'], undefined, url);
    }
  });

  test('a change abandoned while it waits to be sent again stops at once', async () => {
    const sent = answering('lost', json(201, { id: 'a' }));
    const abandon = new AbortController();
    const call = fetchJson('/api/x', saved, abandon.signal, post());
    setTimeout(() => abandon.abort(new Error('page left')), 100);
    await assert.rejects(call, /page left/);
    assert.equal(sent.length, 1);
  });
});
