// The database lost mid-request, then restored (PostgreSQL, when DATABASE_URL is set; the embedded
// database runs in the server's own process and has no network to lose). The app reaches its database
// through a TCP proxy that the test can cut, as a dropped network would, and restore. A multi-row write
// in flight when the network goes answers 503 and leaves nothing half-written; while the database cannot
// be reached, requests answer 503 within the connect timeout; once it is back, the same server answers
// again with no restart, and the write cut off, sent again with its Idempotency-Key, is reported as
// unfinished rather than made; a server whose connections are all in use says it is busy.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, createDb, type Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from './app-types.ts';
import { addPerson, type Client, inDays, openTestApp, staffClient } from './test-app.ts';

/** A network between the app and its database server that can be cut, left hanging, or restored. */
function cuttableNetwork(server: URL) {
  const sockets = new Set<net.Socket>();
  let state: 'up' | 'cut' | 'silent' = 'up';
  const proxy = net.createServer((client) => {
    client.on('error', () => {});
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (state === 'cut') return client.destroy();
    // Silent: the connection is taken and nothing ever answers, as from a hung server.
    if (state === 'silent') return;
    const upstream = net.connect(Number(server.port || 5432), server.hostname);
    upstream.on('error', () => {});
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as net.AddressInfo).port)),
      ),
    /** Drops every open connection and refuses new ones. */
    cut() {
      state = 'cut';
      for (const s of sockets) s.destroy();
    },
    /** Drops every open connection; new ones are taken and never answered. */
    silent() {
      state = 'silent';
      for (const s of sockets) s.destroy();
    },
    restore() {
      state = 'up';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

const base = '/api/places/bury';

for (const target of dbTargets().filter((t) => t.name === 'postgres')) {
  describe('the database lost mid-request, then restored (PostgreSQL)', () => {
    let direct: Db;
    let app: App;
    let appDb: Db;
    let network: ReturnType<typeof cuttableNetwork>;
    let socialWorker: Client;
    let lead: Client;
    let admin: pg.Client;
    let personId: string;

    before(async () => {
      direct = await target.open();
      await loadPlacePack(direct.kysely, 'place-packs/bury');
      personId = await addPerson(direct, { lsoa_code: 'E01004954', nhs_number: '9990000050' });
      // The app's own pool reaches the same database through the network the test controls.
      const server = new URL(process.env.DATABASE_URL as string);
      network = cuttableNetwork(server);
      const through = new URL(server);
      through.hostname = '127.0.0.1';
      through.port = String(await network.listen());
      through.pathname = direct.location.slice(direct.location.indexOf('/'));
      appDb = await createDb({ databaseUrl: through.toString(), dataDir: '' });
      app = await openTestApp(appDb);
      socialWorker = await staffClient(app, direct, {
        role: 'social-worker',
        teamId: 'int-east',
        agencyId: 'bury-council-adult-social-care',
        practitionerId: 'int-east-social-worker',
      });
      lead = await staffClient(app, direct, {
        role: 'int-lead',
        teamId: 'int-east',
        agencyId: 'bury-community-health',
        practitionerId: 'int-east-int-lead',
      });
      const own = new URL(server);
      own.pathname = through.pathname;
      admin = new pg.Client({ connectionString: own.toString() });
      await admin.connect();
    });
    after(async () => {
      await admin?.end();
      await app?.close();
      await appDb?.close();
      await network?.close();
      await direct?.close();
    });

    let referralId = '';
    const triage = (idempotencyKey?: string) =>
      lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
        payload: {
          decision: 'accept',
          leadPractitionerId: 'int-east-care-coordinator',
          reviewDueOn: inDays(28),
        },
      });
    const saved = async () => {
      const referral = await direct.kysely
        .selectFrom('int_referral')
        .select(['status', 'case_id'])
        .where('id', '=', referralId)
        .executeTakeFirstOrThrow();
      const cases = await direct.kysely
        .selectFrom('care_case')
        .select('id')
        .where('person_id', '=', personId)
        .execute();
      const versions = await direct.kysely
        .selectFrom('record_version')
        .select('kind')
        .where('person_id', '=', personId)
        .execute();
      return {
        status: referral.status,
        caseId: referral.case_id,
        cases: cases.length,
        versions: versions.length,
      };
    };
    /** Locks other sessions hold or wait for on the table; with `waiting`, only writes waiting for theirs. */
    const locksOn = async (table: string, waiting: boolean) => {
      const { rows } = await admin.query(
        `select count(*)::int as n from pg_locks where relation = $1::regclass and pid <> pg_backend_pid()
         ${waiting ? "and mode = 'RowExclusiveLock' and not granted" : ''}`,
        [table],
      );
      return rows[0].n as number;
    };
    /** Checks every 50 ms, for up to 10 s, until `done`; answers whether it came. */
    const eventually = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 200; i++) {
        if (await done()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    };
    /** Waits until a statement of the app's is waiting to write to the table, or fails after 10 s. */
    const waitingToWrite = async (table: string) => {
      if (!(await eventually(async () => (await locksOn(table, true)) > 0)))
        assert.fail(`nothing waiting to write to ${table}`);
    };

    test('a multi-row write in flight when the network drops answers 503 and writes none of its rows', async () => {
      const referred = await socialWorker.inject({
        method: 'POST',
        url: `${base}/referrals`,
        payload: {
          teamId: 'int-east',
          nhsNumber: '9990000050',
          source: 'practitioner',
          reason: 'Falls at home',
        },
      });
      assert.equal(referred.statusCode, 201, referred.body);
      referralId = (referred.json() as { id: string }).id;

      // Accepting a referral updates it, then opens a case, its plan and their first versions, in one
      // transaction. Holding back new cases stops it part-way: the referral updated, the case not yet.
      await admin.query('begin');
      await admin.query('lock table care_case in share mode');
      const answer = triage('accept-1');
      let res: Awaited<typeof answer>;
      try {
        await Promise.race([
          waitingToWrite('care_case'),
          answer.then((r) => assert.fail(`answered ${r.statusCode} ${r.body}`)),
        ]);
        network.cut();
        res = await answer;
      } finally {
        await admin.query('rollback');
      }

      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.headers['retry-after'], '5');
      assert.match(res.body, /could not be reached, so this change may not have been saved/);
      // The server's side of the lost connection ends without committing: the referral still awaits triage.
      await eventually(async () => (await locksOn('care_case', false)) === 0);
      assert.deepEqual(await saved(), { status: 'awaiting-triage', caseId: null, cases: 0, versions: 0 });
    });

    test('while the database cannot be reached, requests answer 503 at once, and /health says so', async () => {
      const health = await app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 503);
      const { connections, ...database } = health.json().database;
      assert.deepEqual(database, { kind: 'postgres', reachable: false });
      assert.equal(connections.max, 10);
      const list = await lead.get(`${base}/teams/int-east/referrals?status=awaiting-triage`);
      assert.equal(list.statusCode, 503, list.body);
      assert.match(list.body, /not reachable just now/);
    });

    test('a database that takes the connection and never answers fails the request within the connect timeout', {
      timeout: CONNECT_TIMEOUT_MS + 10_000,
    }, async () => {
      network.silent();
      const started = performance.now();
      const res = await lead.get(`${base}/teams/int-east/referrals?status=awaiting-triage`);
      const waited = performance.now() - started;
      assert.equal(res.statusCode, 503, res.body);
      assert.ok(
        waited >= CONNECT_TIMEOUT_MS - 100 && waited < CONNECT_TIMEOUT_MS + 5_000,
        `waited ${waited} ms`,
      );
    });

    test('once the network is back, the same server answers again and the write goes through whole', async () => {
      network.restore();
      const health = await app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 200, health.body);
      // Sent again with its key, the write cut off is reported as unfinished, not made or waited for.
      const again = await triage('accept-1');
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(again.headers['retry-after'], undefined);
      assert.match(again.body, /was answered \(status 503\) but the answer could not be kept/);
      assert.deepEqual(await saved(), { status: 'awaiting-triage', caseId: null, cases: 0, versions: 0 });
      const res = await triage();
      assert.equal(res.statusCode, 200, res.body);
      const caseId = (res.json() as { caseId: string }).caseId;
      assert.deepEqual(await saved(), { status: 'accepted', caseId, cases: 1, versions: 2 });
    });

    test('with every connection in use for the whole wait, a request answers 503 saying the service is busy', {
      timeout: CONNECT_TIMEOUT_MS + 20_000,
    }, async () => {
      const list = () => lead.get(`${base}/teams/int-east/referrals?status=awaiting-triage`);
      // Ten requests each hold a connection, waiting on a table the test has locked.
      await admin.query('begin');
      await admin.query('lock table int_referral in access exclusive mode');
      let held: ReturnType<typeof list>[] = [];
      try {
        held = Array.from({ length: 10 }, list);
        const waitingOnLock = async () => {
          const { rows } = await admin.query(
            `select count(*)::int as n from pg_locks
             where relation = 'int_referral'::regclass and not granted and pid <> pg_backend_pid()`,
          );
          return rows[0].n as number;
        };
        if (!(await eventually(async () => (await waitingOnLock()) === 10)))
          assert.fail(`connections: ${JSON.stringify(appDb.connections())}`);
        assert.equal(appDb.connections()?.inUse, 10);
        const busy = await list();
        assert.equal(busy.statusCode, 503, busy.body);
        assert.match(busy.body, /Joined Up is very busy just now/);
        assert.equal(busy.headers['retry-after'], '5');
      } finally {
        await admin.query('rollback');
      }
      for (const res of await Promise.all(held)) assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(appDb.connections(), { open: 10, inUse: 0, idle: 10, waiting: 0, max: 10 });
    });
  });
}
