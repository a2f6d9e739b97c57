// A change sent again with the same Idempotency-Key (a retry after a lost answer) is answered as the
// first time and done once; the key is refused for a different request, and a first request still being
// answered, stopped part-way or failed is reported, not repeated (QUALITY.md F-6). On PGlite, and PostgreSQL when
// DATABASE_URL is set.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withInsertTrigger } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from './app-types.ts';
import { bodyHash, REPLAYED_HEADER } from './idempotency.ts';
import { addPerson, type Client, openTestApp, staffClient, TEST_PASSWORD } from './test-app.ts';

const URL = '/api/places/bury/break-glass';
const NHS = '9990000026';
const REASON = 'Found collapsed at home, GP surgery closed';

for (const target of dbTargets()) {
  describe(`changes sent again with an Idempotency-Key, on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let personId: string;

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      personId = await addPerson(db, { lsoa_code: 'E01004954', nhs_number: NHS });
      app = await openTestApp(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    const someone = () => staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
    /** Breaks glass for the resident, with this key (if any) and reason. */
    const breakGlass = (by: Client, key: string | undefined, reason = REASON) =>
      by.inject({
        method: 'POST',
        url: URL,
        headers: key === undefined ? {} : { 'idempotency-key': key },
        payload: { nhsNumber: NHS, reason, password: TEST_PASSWORD },
      });
    const opened = async (by: Client) =>
      Number(
        (
          await db.kysely
            .selectFrom('break_glass')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', by.staffId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audited = (by: Client) =>
      db.kysely
        .selectFrom('audit_event')
        .select(['action', 'outcome', 'person_ids', 'detail', 'relationship'])
        .where('actor_id', '=', by.staffId)
        .where('action', '!=', 'sign-in')
        .orderBy('seq')
        .execute();
    const fieldOf = (body: string) =>
      (JSON.parse(body) as { issue: { expression?: string[] }[] }).issue[0]?.expression?.[0];
    /** Sets the staff member's kept request for this key as if from an earlier sending. */
    const keep = (by: Client, key: string, values: { status: number | null; ageSeconds: number }) =>
      db.kysely
        .insertInto('idempotent_request')
        .values({
          staff_id: by.staffId,
          key,
          request: `POST ${URL}`,
          body_hash: bodyHash({ nhsNumber: NHS, reason: REASON, password: '' }),
          started_at: sql<Date>`now() - make_interval(secs => ${values.ageSeconds})`,
          status: values.status,
        })
        .execute();

    test('sent again, a change is answered as the first time and done once; the repeat is audited as a read', async () => {
      const west = await someone();
      const first = await breakGlass(west, 'key-1');
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.headers[REPLAYED_HEADER], undefined);
      const again = await breakGlass(west, 'key-1');
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.body, first.body);
      assert.equal(again.headers[REPLAYED_HEADER], 'true');
      assert.match(String(again.headers['content-type']), /^application\/json/);
      assert.equal(again.headers['cache-control'], 'no-store');
      // A key sent as a structured-field string is the same key.
      const quoted = await breakGlass(west, '"key-1"');
      assert.equal(quoted.body, first.body);
      assert.equal(await opened(west), 1, 'one break-glass for three sendings');

      const events = await audited(west);
      assert.equal(events.length, 3, 'one event a request');
      assert.deepEqual(
        events.map((e) => [e.action, e.outcome, e.relationship]),
        [
          ['break-glass', 'allowed', 'break-glass'],
          ['read', 'allowed', 'break-glass'],
          ['read', 'allowed', 'break-glass'],
        ],
      );
      for (const e of events) assert.deepEqual(e.person_ids, [personId]);
      assert.match(
        events[1]?.detail ?? '',
        /first answer sent again \(same Idempotency-Key\); nothing was done again/,
      );
    });

    test('without a key, each sending is a change of its own', async () => {
      const west = await someone();
      assert.equal((await breakGlass(west, undefined)).statusCode, 201);
      assert.equal((await breakGlass(west, undefined)).statusCode, 201);
      assert.equal(await opened(west), 2);
    });

    test('the same key for another request is refused with 422 naming the header, and nothing is done', async () => {
      const west = await someone();
      assert.equal((await breakGlass(west, 'key-2')).statusCode, 201);
      const other = await breakGlass(west, 'key-2', `${REASON}, and the family asked`);
      assert.equal(other.statusCode, 422, other.body);
      assert.equal(fieldOf(other.body), 'Idempotency-Key');
      assert.match(other.body, /used for a different request \(POST \/api\/places\/bury\/break-glass\)/);
      const elsewhere = await west.inject({
        method: 'POST',
        url: '/api/places/bury/break-glass?again=1',
        headers: { 'idempotency-key': 'key-2' },
        payload: { nhsNumber: NHS, reason: REASON, password: TEST_PASSWORD },
      });
      assert.equal(elsewhere.statusCode, 422, 'the query is part of the request');
      assert.equal(await opened(west), 1);
    });

    test('a password is left out of what is kept, and a different one is the same request', async () => {
      const west = await someone();
      assert.equal((await breakGlass(west, 'key-3')).statusCode, 201);
      const kept = await db.kysely
        .selectFrom('idempotent_request')
        .select(['request', 'body_hash', 'response'])
        .where('staff_id', '=', west.staffId)
        .executeTakeFirstOrThrow();
      assert.equal(kept.request, `POST ${URL}`);
      assert.equal(kept.body_hash, bodyHash({ nhsNumber: NHS, reason: REASON, password: '' }));
      assert.doesNotMatch(JSON.stringify(kept), new RegExp(TEST_PASSWORD));
      // Sent again with another password, it is the same request: its first answer is repeated, and the
      // break-glass it opened is the only one.
      const again = await west.inject({
        method: 'POST',
        url: URL,
        headers: { 'idempotency-key': 'key-3' },
        payload: { nhsNumber: NHS, reason: REASON, password: 'typed differently' },
      });
      assert.equal(again.headers[REPLAYED_HEADER], 'true');
      assert.equal(await opened(west), 1);
      assert.notEqual(
        bodyHash({ nhsNumber: NHS, reason: REASON }),
        bodyHash({ nhsNumber: NHS, reason: `${REASON}.` }),
      );
    });

    test("keys are each staff member's own", async () => {
      const west = await someone();
      const other = await someone();
      assert.equal((await breakGlass(west, 'shared-key')).statusCode, 201);
      const theirs = await breakGlass(other, 'shared-key');
      assert.equal(theirs.statusCode, 201);
      assert.equal(theirs.headers[REPLAYED_HEADER], undefined);
      assert.equal(await opened(other), 1);
    });

    test('a first request still being answered, stopped part-way or failed is reported, and nothing is done', async () => {
      const west = await someone();
      await keep(west, 'answering', { status: null, ageSeconds: 1 });
      await keep(west, 'stopped', { status: null, ageSeconds: 120 });
      await keep(west, 'failed', { status: 503, ageSeconds: 5 });

      const answering = await breakGlass(west, 'answering');
      assert.equal(answering.statusCode, 409, answering.body);
      assert.equal(answering.headers['retry-after'], '1');
      assert.equal(fieldOf(answering.body), 'Idempotency-Key');
      assert.match(answering.body, /still being answered/);
      const stopped = await breakGlass(west, 'stopped');
      assert.equal(stopped.statusCode, 409, stopped.body);
      assert.equal(stopped.headers['retry-after'], undefined);
      assert.match(stopped.body, /did not finish, so its change may or may not have been saved/);
      const failed = await breakGlass(west, 'failed');
      assert.equal(failed.statusCode, 409, failed.body);
      assert.match(failed.body, /failed \(status 503\), so its change may or may not have been saved/);
      assert.equal(await opened(west), 0);
    });

    test('a key kept longer than a day is forgotten: the request is answered afresh', async () => {
      const west = await someone();
      await keep(west, 'old', { status: 201, ageSeconds: 25 * 3600 });
      const fresh = await breakGlass(west, 'old', `${REASON}, and again`);
      assert.equal(fresh.statusCode, 201, fresh.body);
      assert.equal(fresh.headers[REPLAYED_HEADER], undefined);
      assert.equal(await opened(west), 1);
      assert.equal((await breakGlass(west, 'old', `${REASON}, and again`)).headers[REPLAYED_HEADER], 'true');
    });

    test('a POST that only reads (a cohort preview) keeps nothing under its key', async () => {
      const lead = await staffClient(app, db, { role: 'int-lead', teamId: 'int-west' });
      const preview = () =>
        lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts/preview',
          headers: { 'idempotency-key': 'preview' },
          payload: { rules: { kind: 'group', combinator: 'and', rules: [] } },
        });
      const first = await preview();
      const again = await preview();
      assert.equal(again.statusCode, first.statusCode, again.body);
      assert.equal(again.headers[REPLAYED_HEADER], undefined);
      const kept = await db.kysely
        .selectFrom('idempotent_request')
        .select('key')
        .where('staff_id', '=', lead.staffId)
        .execute();
      assert.deepEqual(kept, []);
    });

    test('a key that is not one is refused with 400 naming the header, and nothing is done', async () => {
      const west = await someone();
      for (const key of ['', 'two words', 'x'.repeat(256), 'naïve', '""']) {
        const res = await breakGlass(west, key);
        assert.equal(res.statusCode, 400, `${JSON.stringify(key)}: ${res.body}`);
        assert.equal(fieldOf(res.body), 'Idempotency-Key');
      }
      assert.equal((await breakGlass(west, 'x'.repeat(255))).statusCode, 201, 'the longest key');
      assert.equal(await opened(west), 1);
    });

    test('a refusal is kept and repeated as a refusal; a throttled request is not kept', async () => {
      const west = await someone();
      const wrong = (key: string) =>
        west.inject({
          method: 'POST',
          url: URL,
          headers: { 'idempotency-key': key },
          payload: { nhsNumber: NHS, reason: REASON, password: 'not the password' },
        });
      const first = await wrong('wrong-1');
      assert.equal(first.statusCode, 400, first.body);
      const again = await wrong('wrong-1');
      assert.equal(again.statusCode, 400);
      assert.equal(again.headers[REPLAYED_HEADER], 'true');
      const events = await audited(west);
      assert.deepEqual(
        events.map((e) => [e.action, e.outcome]),
        [
          ['break-glass', 'denied'],
          ['break-glass', 'denied'],
        ],
        'the repeat is recorded as the same refusal',
      );
      // Four more wrong passwords reach the limit; the next is throttled, and its key is let go.
      for (let i = 2; i <= 5; i++) assert.equal((await wrong(`wrong-${i}`)).statusCode, 400);
      assert.equal((await wrong('wrong-6')).statusCode, 429);
      const keys = await db.kysely
        .selectFrom('idempotent_request')
        .select('key')
        .where('staff_id', '=', west.staffId)
        .orderBy('key')
        .execute();
      assert.deepEqual(
        keys.map((k) => k.key),
        ['wrong-1', 'wrong-2', 'wrong-3', 'wrong-4', 'wrong-5'],
      );
    });

    test('a change the database turns away (full, read-only, a deadlock) answers 503, and sent again is reported, not made', async () => {
      const west = await someone();
      for (const code of ['53100', '25006', '40P01']) {
        const turnedAway = `begin raise exception 'turned away for the test' using errcode = '${code}'; end`;
        await withInsertTrigger(db.kysely, 'break_glass', turnedAway, async () => {
          const refused = await breakGlass(west, `turned-away-${code}`);
          assert.equal(refused.statusCode, 503, `${code}: ${refused.body}`);
          assert.equal(refused.headers['retry-after'], '5');
          assert.match(refused.body, /could not take this change just now .*so it may not have been saved/);
        });
        // A statement of the request's might have committed before the one turned away: the key is kept.
        const again = await breakGlass(west, `turned-away-${code}`);
        assert.equal(again.statusCode, 409, `${code}, sent again: ${again.body}`);
        assert.match(again.body, /failed \(status 503\), so its change may or may not have been saved/);
        assert.equal(await opened(west), 0, code);
      }
    });

    test('a sending again whose connection closes before its answer is out does not make the change', async () => {
      const west = await someone();
      assert.equal((await breakGlass(west, 'closed-early')).statusCode, 201);
      // The repeat's audit event takes a second to write, and the connection closes meanwhile. (On PGlite
      // the sleep holds the whole process, so the close is seen only once the answer has gone: there the
      // test shows less; PostgreSQL's run shows the handler kept from running.)
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const slowAudit = 'begin perform pg_sleep(1); return new; end';
      await withInsertTrigger(db.kysely, 'audit_event', slowAudit, async () => {
        const body = JSON.stringify({ nhsNumber: NHS, reason: REASON, password: TEST_PASSWORD });
        const closed = new Promise<void>((resolve) => {
          const req = http.request(`${address}${URL}`, {
            method: 'POST',
            headers: {
              ...west.headers,
              'content-type': 'application/json',
              'idempotency-key': 'closed-early',
            },
          });
          req.on('error', () => resolve());
          req.end(body);
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 300);
        });
        await closed;
        await new Promise((r) => setTimeout(r, 1500));
      });
      assert.equal(await opened(west), 1, 'made once');
    });

    test('twenty sendings at once with one key: done once, every other answered as the first or told to wait', async () => {
      const west = await someone();
      const answers = await Promise.all(Array.from({ length: 20 }, () => breakGlass(west, 'at-once')));
      assert.equal(await opened(west), 1);
      const first = answers.find((a) => a.statusCode === 201 && a.headers[REPLAYED_HEADER] === undefined);
      assert.ok(first, 'one answered first');
      for (const a of answers) {
        if (a.statusCode === 201) assert.equal(a.body, first.body);
        else {
          assert.equal(a.statusCode, 409, a.body);
          assert.equal(a.headers['retry-after'], '1');
        }
      }
      const replayed = answers.filter((a) => a.headers[REPLAYED_HEADER] === 'true').length;
      const waiting = answers.filter((a) => a.statusCode === 409).length;
      assert.equal(1 + replayed + waiting, 20);
    });
  });
}
