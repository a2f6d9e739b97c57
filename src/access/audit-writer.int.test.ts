// The audit writer's group commit: concurrent requests' events go together, every one is committed
// before its request is told so, the chain stays whole, an event refused for what it holds fails only
// its own request, and a database that cannot be written fails every request whose event it holds, and
// shows in the health check until an event is written again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withInsertTrigger } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { addPerson, openTestApp, staffClient, TEST_PASSWORD } from '../server/test-app.ts';
import { type AuditEvent, AuditWriter, verifyAuditChain, writeAuditEvents } from './audit.store.ts';

const event = (requestId: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  requestId,
  actorId: null,
  actorName: 'Test',
  role: 'int-lead',
  teamId: 'int-east',
  action: 'read',
  route: 'GET /api/places/:placeId/people/:personId',
  personIds: [randomUUID()],
  purpose: 'direct-care',
  relationship: 'worklist',
  outcome: 'allowed',
  ...extra,
});

for (const target of dbTargets()) {
  describe(`the audit writer on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    const stored = (ids: string[]) =>
      db.kysely
        .selectFrom('audit_event')
        .select(['request_id', 'seq'])
        .where('request_id', 'in', ids)
        .execute();

    test('300 concurrent events are all committed, each once, in a whole chain', async () => {
      const writer = new AuditWriter(db.kysely);
      const ids = Array.from({ length: 300 }, (_, i) => `concurrent-${i}`);
      await Promise.all(ids.map((id) => writer.write(event(id))));
      const rows = await stored(ids);
      assert.equal(rows.length, 300);
      assert.equal(new Set(rows.map((r) => r.request_id)).size, 300);
      assert.deepEqual((await verifyAuditChain(db.kysely)).problems, []);
      // Written in order, whichever statements they went in.
      const bySeq = rows.sort((x, y) => x.seq - y.seq).map((r) => r.request_id);
      assert.deepEqual(bySeq, ids);
    });

    /** The events written by each statement, in order: each statement is a transaction of its own. */
    const statements = async (ids: string[]) => {
      const rows = await db.kysely
        .selectFrom('audit_event')
        .select(['request_id', sql<string>`xmin::text`.as('transaction')])
        .where('request_id', 'in', ids)
        .orderBy('seq')
        .execute();
      const byTransaction = new Map<string, string[]>();
      for (const r of rows)
        byTransaction.set(r.transaction, [...(byTransaction.get(r.transaction) ?? []), r.request_id]);
      return [...byTransaction.values()];
    };

    test('while other requests are in flight, a write waits for their events: one statement for all', {
      timeout: 20_000,
    }, async () => {
      let others = 2;
      const writer = new AuditWriter(db.kysely, { othersInFlight: () => others, gatherMs: 600_000 });
      const first = writer.write(event('gathered-1'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      others = 1;
      const second = writer.write(event('gathered-2'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      others = 0;
      const third = writer.write(event('gathered-3'));
      await Promise.all([first, second, third]);
      assert.deepEqual(await statements(['gathered-1', 'gathered-2', 'gathered-3']), [
        ['gathered-1', 'gathered-2', 'gathered-3'],
      ]);
      assert.deepEqual((await verifyAuditChain(db.kysely)).problems, []);
    });

    test('with no other request in flight, an event is written at once, without waiting', {
      timeout: 20_000,
    }, async () => {
      const writer = new AuditWriter(db.kysely, { othersInFlight: () => 0, gatherMs: 600_000 });
      await writer.write(event('at-once-1'));
      await writer.write(event('at-once-2'));
      assert.deepEqual(await statements(['at-once-1', 'at-once-2']), [['at-once-1'], ['at-once-2']]);
    });

    test('the wait for other requests is bounded: their events may never come', {
      timeout: 20_000,
    }, async () => {
      const writer = new AuditWriter(db.kysely, { othersInFlight: () => 5, gatherMs: 30 });
      const began = performance.now();
      await writer.write(event('bounded-1'));
      const waited = performance.now() - began;
      assert.ok(waited >= 25, `waited ${waited.toFixed(1)} ms for others' events`);
      assert.deepEqual(await statements(['bounded-1']), [['bounded-1']]);
    });

    // Through the app, with a wait of ten minutes: a request must leave the count of requests in flight
    // before its own event is written, or it would wait for itself.
    test('through the app, a request answered alone is not kept waiting for its own event', {
      timeout: 20_000,
    }, async () => {
      await loadPlacePack(db.kysely, 'place-packs/bury');
      const app = await openTestApp(db, { auditGatherMs: 600_000 });
      try {
        const client = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-east' });
        const personId = randomUUID();
        const res = await client.get(`/api/places/bury/people/${personId}`);
        assert.equal(res.statusCode, 404);
        const events = await db.kysely
          .selectFrom('audit_event')
          .select(['outcome'])
          .where('request_id', '=', res.headers['x-request-id'] as string)
          .execute();
        assert.deepEqual(events, [{ outcome: 'denied' }]);
        assert.equal(app.requestsInFlight(), 0);
      } finally {
        await app.close();
      }
    });

    test('an event the database refuses fails its own request and no other; nothing of it is kept', async () => {
      const writer = new AuditWriter(db.kysely);
      const first = writer.write(event('alone-1'));
      // These arrive while the first is being written, so they go together in the next statement, which
      // fails; each is then written on its own, in order.
      const before = writer.write(event('batch-before'));
      const bad = writer.write(event('batch-bad', { action: 'not-an-action' as AuditEvent['action'] }));
      const good = writer.write(event('batch-good'));
      await first;
      await assert.rejects(bad, /audit_event_action|check constraint/);
      assert.equal(
        writer.failingSince(),
        null,
        'an event refused for what it holds says nothing of the database',
      );
      await before;
      await good;
      await writer.write(event('after-1'));
      const rows = await stored(['alone-1', 'batch-before', 'batch-bad', 'batch-good', 'after-1']);
      assert.deepEqual(
        rows.sort((x, y) => x.seq - y.seq).map((r) => r.request_id),
        ['alone-1', 'batch-before', 'batch-good', 'after-1'],
      );
      assert.deepEqual((await verifyAuditChain(db.kysely)).problems, []);
    });

    test('a person id that is not a UUID fails only its own request when it comes with others', async () => {
      const writer = new AuditWriter(db.kysely);
      const first = writer.write(event('uuid-alone'));
      const bad = writer.write(event('uuid-bad', { personIds: ['1,2}'] }));
      const good = writer.write(event('uuid-good'));
      await first;
      await assert.rejects(bad, /not a person id/);
      await good;
      const rows = await stored(['uuid-alone', 'uuid-bad', 'uuid-good']);
      assert.deepEqual(rows.map((r) => r.request_id).sort(), ['uuid-alone', 'uuid-good']);
    });

    /**
     * Runs `fn` while a trigger runs this PL/pgSQL body before each insert into audit_event (to make the
     * database refuse events), and removes the trigger afterwards, whatever happened.
     */
    const withAuditTrigger = <T>(body: string, fn: () => Promise<T>) =>
      withInsertTrigger(db.kysely, 'audit_event', body, fn);

    test('a database that cannot be written fails every request whose event it holds, at once', async () => {
      const writer = new AuditWriter(db.kysely);
      const conn = db.kysely;
      // Every insert refused as by a full disk (SQLSTATE 53100); the sequence counts the rows tried,
      // whatever is rolled back.
      await sql`create sequence test_insert_tries`.execute(conn);
      const fullDisk = `begin perform nextval('test_insert_tries');
        raise exception 'the disk is full' using errcode = '53100'; end`;
      await withAuditTrigger(fullDisk, async () => {
        // All three arrive before the writer's next turn of the event loop, and go together.
        const written = await Promise.allSettled([
          writer.write(event('full-1')),
          writer.write(event('full-2')),
          writer.write(event('full-3')),
        ]);
        assert.deepEqual(
          written.map((w) => w.status === 'rejected' && /the disk is full/.test(String(w.reason))),
          [true, true, true],
        );
        // One statement tried: its events were not tried again one by one.
        const { rows } = await sql<{
          tries: number;
        }>`select last_value::int as tries from test_insert_tries`.execute(conn);
        assert.equal(rows[0]?.tries, 1);
        const since = writer.failingSince();
        assert.ok(since instanceof Date);
        // Shown for a minute after the latest failure, so a server taken out of service can come back.
        assert.equal(writer.failingSince(Date.now() + 61_000), null);
        await assert.rejects(writer.write(event('full-4')), /the disk is full/);
        assert.equal(writer.failingSince(), since, 'the first failure is kept while failures go on');
      });
      await sql`drop sequence test_insert_tries`.execute(conn);
      assert.deepEqual(await stored(['full-1', 'full-2', 'full-3', 'full-4']), []);
      // Writable again: the next event is written and the writer no longer reports a failure.
      await writer.write(event('full-after'));
      assert.equal(writer.failingSince(), null);
      assert.deepEqual((await verifyAuditChain(db.kysely)).problems, []);
    });

    test('events that arrive before the writer’s next turn of the event loop go in one statement, with no one else in flight', async () => {
      const writer = new AuditWriter(db.kysely, { othersInFlight: () => 0 });
      await Promise.all([writer.write(event('same-turn-1')), writer.write(event('same-turn-2'))]);
      assert.deepEqual(await statements(['same-turn-1', 'same-turn-2']), [['same-turn-1', 'same-turn-2']]);
    });

    test('by default a write waits for other requests’ events on a database server, and not on the embedded database', async () => {
      const writer = new AuditWriter(db.kysely, { othersInFlight: () => 5 });
      const first = writer.write(event('default-wait-1'));
      // The second comes a turn of the event loop later: while the first waits for others' events on a
      // server, or is being written on the embedded database.
      await new Promise((resolve) => setImmediate(resolve));
      const second = writer.write(event('default-wait-2'));
      await Promise.all([first, second]);
      assert.deepEqual(
        await statements(['default-wait-1', 'default-wait-2']),
        db.kind === 'pglite'
          ? [['default-wait-1'], ['default-wait-2']]
          : [['default-wait-1', 'default-wait-2']],
      );
    });

    test('through the app, a request whose event is refused answers 503 in place of its answer; the requests beside it get theirs', {
      timeout: 20_000,
    }, async () => {
      await loadPlacePack(db.kysely, 'place-packs/bury');
      // The database refuses the event of one request, as its checks refuse a faulty value.
      const refuseOne = `begin
          if new.request_id = 'refused-request' then
            raise exception 'refused for the test' using errcode = '23514';
          end if;
          return new;
        end`;
      // A wait long enough that the three requests' events go in one statement where the writer waits.
      const app = await openTestApp(db, { auditGatherMs: 100 });
      await withAuditTrigger(refuseOne, async () => {
        const client = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-east' });
        const ids = ['beside-refused-1', 'refused-request', 'beside-refused-2'];
        const answers = await Promise.all(
          ids.map((id) =>
            client.inject({
              method: 'GET',
              url: `/api/places/bury/people/${randomUUID()}`,
              headers: { 'x-request-id': id },
            }),
          ),
        );
        assert.deepEqual(
          answers.map((a) => a.statusCode),
          [404, 503, 404],
        );
        assert.match(answers[1]?.body ?? '', /could not record this access/);
        assert.deepEqual((await stored(ids)).map((r) => r.request_id).sort(), [
          'beside-refused-1',
          'beside-refused-2',
        ]);
      }).finally(() => app.close());
    });

    test('through the app, while no event can be written, person data are refused and /health says so until one is; a change made says it was', {
      timeout: 20_000,
    }, async () => {
      await loadPlacePack(db.kysely, 'place-packs/bury');
      const app = await openTestApp(db);
      const health = async () => {
        const res = await app.inject({ method: 'GET', url: '/health' });
        return { code: res.statusCode, status: res.json().status, writing: res.json().audit.writing };
      };
      try {
        const client = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-east' });
        const person = `/api/places/bury/people/${randomUUID()}`;
        assert.deepEqual(await health(), { code: 200, status: 'ok', writing: true });
        const fullDisk = `begin raise exception 'the disk is full' using errcode = '53100'; end`;
        await withAuditTrigger(fullDisk, async () => {
          const refused = await client.get(person);
          assert.equal(refused.statusCode, 503);
          assert.match(refused.body, /could not record this access/);
          assert.deepEqual(await health(), { code: 503, status: 'degraded', writing: false });
        });
        assert.equal((await client.get(person)).statusCode, 404);
        assert.deepEqual(await health(), { code: 200, status: 'ok', writing: true });

        // A change made by its route stays made when its event cannot be written: the answer says so.
        const nhsNumber = '9990000026';
        await addPerson(db, { lsoa_code: 'E01004954', nhs_number: nhsNumber });
        const refusedEvent = `begin
            if new.action = 'break-glass' then raise exception 'refused for the test' using errcode = '23514'; end if;
            return new;
          end`;
        await withAuditTrigger(refusedEvent, async () => {
          const change = await client.inject({
            method: 'POST',
            url: '/api/places/bury/break-glass',
            payload: {
              nhsNumber,
              reason: 'Found collapsed at home, GP surgery closed',
              password: TEST_PASSWORD,
            },
          });
          assert.equal(change.statusCode, 503, change.body);
          assert.match(
            change.body,
            /This change was saved, but Joined Up could not record it in the audit trail/,
          );
          assert.doesNotMatch(change.body, /expiresAt/, 'its answer is not sent');
        });
        const made = await db.kysely
          .selectFrom('break_glass')
          .select('id')
          .where('user_id', '=', client.staffId)
          .execute();
        assert.equal(made.length, 1);
      } finally {
        await app.close();
      }
    });

    test('every field arrives exactly as given, whatever its characters, alone or in a transaction', async () => {
      const awkward = `O'Brien \\ "quoted" {braces,commas} $1 -- ; drop table audit_event; \n tab\t ünïcode 🙂`;
      const people = [randomUUID(), randomUUID(), randomUUID()];
      const given = [
        event('exact-1', { actorName: awkward, detail: awkward, purpose: awkward, personIds: people }),
        event('exact-2', {
          actorId: randomUUID(),
          role: null,
          teamId: null,
          relationship: null,
          personIds: [],
        }),
      ];
      await writeAuditEvents(db.kysely, given);
      const inTransaction = event('exact-3', { detail: awkward, personIds: [people[0] as string] });
      await db.kysely.transaction().execute((trx) => writeAuditEvents(trx, [inTransaction]));
      const rows = await db.kysely
        .selectFrom('audit_event')
        .select(['request_id', 'actor_id', 'actor_name', 'role', 'team_id', 'person_ids', 'purpose'])
        .select(['relationship', 'detail'])
        .where('request_id', 'in', ['exact-1', 'exact-2', 'exact-3'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        rows,
        [...given, inTransaction].map((e) => ({
          request_id: e.requestId,
          actor_id: e.actorId,
          actor_name: e.actorName,
          role: e.role,
          team_id: e.teamId,
          person_ids: [...e.personIds],
          purpose: e.purpose,
          relationship: e.relationship,
          detail: e.detail ?? '',
        })),
      );
      assert.deepEqual((await verifyAuditChain(db.kysely)).problems, []);
    });

    test('a person id that is not a UUID is refused before anything is written', async () => {
      await assert.rejects(
        writeAuditEvents(db.kysely, [event('not-a-uuid', { personIds: ['1,2}'] })]),
        /not a person id/,
      );
      assert.deepEqual(await stored(['not-a-uuid']), []);
    });

    test('the person index is written by each event directly (no fast-update list to merge later)', async () => {
      const { rows } = await sql<{ options: string[] | null }>`
        select reloptions as options from pg_class where relname = 'audit_event_person'`.execute(db.kysely);
      assert.deepEqual(rows[0]?.options, ['fastupdate=off']);
    });
  });
}
