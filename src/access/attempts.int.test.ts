// Attempts counted in the database (sign-ins, uploads, break-glass passwords): one window a key, timed by
// the database's clock; a new window once it ends; keys kept only as their hash; ended windows deleted.
// On PGlite, and PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { checkAttempt, clearAttempts, countAttempt, minutesOf } from './attempts.store.ts';

for (const target of dbTargets()) {
  describe(`attempts counted in the database, on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    // First: the first attempt through a database handle deletes ended windows, then once a minute.
    test('ended windows are deleted by a later attempt', async () => {
      await sql`insert into attempt_window (key_hash, attempts, ends_at)
        values ('ended-long-ago', 3, now() - interval '1 hour')`.execute(db.kysely);
      await countAttempt(db.kysely, `sign-in|${crypto.randomUUID()}`, 60_000);
      const left = await db.kysely
        .selectFrom('attempt_window')
        .select('key_hash')
        .where('key_hash', '=', 'ended-long-ago')
        .execute();
      assert.deepEqual(left, []);
    });

    test('attempts in one window are counted, with the time left; a new window starts once it ends', async () => {
      const key = `sign-in|10.0.0.1|${crypto.randomUUID()}`;
      const first = await countAttempt(db.kysely, key, 400);
      assert.equal(first.attempts, 1);
      assert.ok(first.ttlMs > 0 && first.ttlMs <= 400, String(first.ttlMs));
      const second = await countAttempt(db.kysely, key, 400);
      assert.equal(second.attempts, 2);
      assert.ok(second.ttlMs <= first.ttlMs, 'the window does not move with each attempt');
      await sleep(450);
      assert.equal((await countAttempt(db.kysely, key, 400)).attempts, 1, 'the window ended: a new one');
    });

    test('attempts sent at once are each counted once', async () => {
      const key = `upload|${crypto.randomUUID()}`;
      const counted = await Promise.all(
        Array.from({ length: 20 }, () => countAttempt(db.kysely, key, 60_000)),
      );
      assert.deepEqual(
        counted.map((c) => c.attempts).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    test('keys are apart, cleared one at a time, and stored only as their SHA-256', async () => {
      const mine = `break-glass|${crypto.randomUUID()}`;
      const theirs = `break-glass|${crypto.randomUUID()}`;
      await countAttempt(db.kysely, mine, 60_000);
      await countAttempt(db.kysely, mine, 60_000);
      await countAttempt(db.kysely, theirs, 60_000);
      await clearAttempts(db.kysely, mine);
      assert.equal((await countAttempt(db.kysely, mine, 60_000)).attempts, 1, 'cleared: counting from one');
      assert.equal((await countAttempt(db.kysely, theirs, 60_000)).attempts, 2, 'not cleared');
      const stored = await db.kysely.selectFrom('attempt_window').select('key_hash').execute();
      assert.ok(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash)));
      assert.ok(stored.some((r) => r.key_hash === createHash('sha256').update(theirs).digest('hex')));
    });

    test('a checked attempt: failures add up to the limit, past it nothing is checked, and a pass forgets them', async () => {
      const key = `sign-in|10.0.0.2|${crypto.randomUUID()}`;
      const limit = { max: 3, windowMs: 60_000 };
      let checks = 0;
      const attempt = (passes: boolean) =>
        checkAttempt(db.kysely, key, limit, async () => {
          checks++;
          return passes;
        });
      for (let i = 0; i < 2; i++)
        assert.deepEqual(await attempt(false), { passed: false, lockedForMs: null });
      assert.deepEqual(await attempt(true), { passed: true, lockedForMs: null }, 'a pass');
      for (let i = 0; i < 3; i++)
        assert.equal((await attempt(false)).passed, false, 'counting from none again');
      const locked = await attempt(true);
      assert.equal(locked.passed, false);
      assert.ok(locked.lockedForMs !== null && locked.lockedForMs > 0 && locked.lockedForMs <= 60_000);
      assert.equal(checks, 6, 'the locked attempt was not checked');
    });

    test('time left reads as a person says it', () => {
      assert.equal(minutesOf(0), '1 minute');
      assert.equal(minutesOf(60_000), '1 minute');
      assert.equal(minutesOf(60_001), '2 minutes');
      assert.equal(minutesOf(15 * 60_000), '15 minutes');
    });
  });
}
