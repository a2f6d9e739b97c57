// The audit trail under load and under attack. (a) A seeded script of mixed requests by several
// signed-in staff: every request that touched a person (reads, searches, writes, exports, denials on
// person routes, signing in and out) leaves exactly one audit event under its request id, and no other
// request leaves any; a list audits exactly the people it returned. (b) The database refuses to change
// or remove events. (c) Someone able to switch the trigger off can change or remove events, and
// `joinedup audit verify` finds it. (d) Person data is never cached, and SQL in any string parameter
// is only ever data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { auditVerify } from '../cli/audit-verify.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, inDays } from '../server/test-app.ts';
import { SESSION_COOKIE } from './access.plugin.ts';
import {
  BASE,
  buildWorld,
  type Resident,
  type Session,
  staffSession,
  type World,
} from './access-fixtures.test-helper.ts';
import { verifyAuditChain } from './audit.store.ts';
import { replayScript } from './audit-replay.test-helper.ts';

/**
 * Requests in the replay: 10,000 on PostgreSQL (about 4 minutes). PGlite (one connection, in this
 * process) took 3.5 minutes for 10,000, so it replays 2,000 (20 to 50 seconds).
 * AUDIT_REPLAY_REQUESTS overrides both.
 */
const REPLAY = (target: string) =>
  Number(process.env.AUDIT_REPLAY_REQUESTS ?? (target === 'postgres' ? 10_000 : 2_000));

for (const target of dbTargets()) {
  describe(`the audit trail on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let w: World;
    let s: Record<'east' | 'lead' | 'social' | 'gp' | 'west' | 'analyst' | 'ig', Session>;
    let eastPeople: string[];
    let practicePeople: string[];
    let hidden: Resident[];
    let nominees: Resident[];

    before(async () => {
      db = await target.open();
      w = await buildWorld(db);
      app = w.app;
      s = {
        east: await staffSession(app, db, { role: 'int-practitioner', teamId: 'int-east' }),
        lead: await staffSession(app, db, { role: 'int-lead', teamId: 'int-east' }),
        social: await staffSession(app, db, { role: 'social-worker', teamId: 'int-east' }),
        gp: await staffSession(app, db, { role: 'gp-staff', practiceCode: w.practice }),
        west: await staffSession(app, db, { role: 'int-practitioner', teamId: 'int-west' }),
        analyst: await staffSession(app, db, { role: 'analyst' }),
        ig: await staffSession(app, db, { role: 'ig-officer' }),
      };
      const page = await s.lead.inject({
        method: 'GET',
        url: `${BASE}/worklists/${w.worklists.east}/people?pageSize=100`,
      });
      assert.equal(page.statusCode, 200, page.body);
      eastPeople = page.json().people.map((p: { personId: string }) => p.personId);
      assert.ok(eastPeople.length >= 20, `East worklist people (${eastPeople.length})`);
      practicePeople = (
        await db.kysely
          .selectFrom('person')
          .select('id')
          .where('practice_code', '=', w.practice)
          .orderBy('id')
          .limit(50)
          .execute()
      ).map((r) => r.id);
      hidden = [w.loner, ...Array.from({ length: 5 }, () => w.spare())];
      nominees = Array.from({ length: 12 }, () => w.spare());
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('(a) a mixed replay: one audit event for every request that touched a person, none for others', async () => {
      const account = await addStaff(db, { role: 'int-practitioner', teamId: 'int-east' });
      const n = REPLAY(target.name);
      const steps = replayScript(
        { w, s, eastPeople, practicePeople, hidden, nominees },
        n,
        20261203,
        account.username,
      );
      const wrong: string[] = [];
      const responses = new Map<string, LightMyRequestResponse>();
      const started = performance.now();
      const timeByKind = new Map<string, number>();
      let cookie = '';
      let csrf = '';
      for (const [i, step] of steps.entries()) {
        const requestId = `replay-${String(i).padStart(6, '0')}`;
        let options = await step.request();
        if (step.kind === 'sign-out') options = { ...options, headers: { cookie, 'x-csrf-token': csrf } };
        const sent = performance.now();
        const res = await app.inject({
          ...options,
          headers: { ...(options.headers ?? {}), 'x-request-id': requestId },
        });
        if (step.kind === 'sign-in' && res.statusCode === 200) {
          const c = res.cookies.find((k) => k.name === SESSION_COOKIE);
          cookie = `${SESSION_COOKIE}=${c?.value}`;
          csrf = res.json().csrfToken;
        }
        timeByKind.set(step.kind, (timeByKind.get(step.kind) ?? 0) + performance.now() - sent);
        if (!step.status.includes(res.statusCode))
          wrong.push(`${requestId} ${step.kind}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        if (step.expect.audited && typeof step.expect.people === 'function') responses.set(requestId, res);
      }
      const seconds = (performance.now() - started) / 1000;
      const slowest = [...timeByKind].sort((a, b) => b[1] - a[1]).slice(0, 4);
      console.log(
        `replayed ${n} requests on ${target.name} in ${seconds.toFixed(1)} s; most time: ${slowest.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
      );
      assert.deepEqual(wrong.slice(0, 20), [], 'statuses');

      const events = await db.kysely
        .selectFrom('audit_event')
        .select(['request_id', 'action', 'outcome', 'person_ids'])
        .where('request_id', 'like', 'replay-%')
        .execute();
      const byRequest = new Map<string, typeof events>();
      for (const e of events) byRequest.set(e.request_id, [...(byRequest.get(e.request_id) ?? []), e]);
      const problems: string[] = [];
      let audited = 0;
      for (const [i, step] of steps.entries()) {
        const requestId = `replay-${String(i).padStart(6, '0')}`;
        const found = byRequest.get(requestId) ?? [];
        const expect = step.expect;
        if (!expect.audited) {
          if (found.length > 0)
            problems.push(`${requestId} ${step.kind}: ${found.length} events, expected none`);
          continue;
        }
        audited++;
        if (found.length !== 1) {
          problems.push(`${requestId} ${step.kind}: ${found.length} events, expected one`);
          continue;
        }
        const e = found[0] as (typeof events)[number];
        if (e.action !== expect.action) problems.push(`${requestId} ${step.kind}: action ${e.action}`);
        if (expect.outcome && e.outcome !== expect.outcome)
          problems.push(`${requestId} ${step.kind}: outcome ${e.outcome}, expected ${expect.outcome}`);
        if (expect.people) {
          const want =
            typeof expect.people === 'function'
              ? expect.people(responses.get(requestId) as LightMyRequestResponse)
              : expect.people;
          if ([...e.person_ids].sort().join() !== [...want].sort().join())
            problems.push(
              `${requestId} ${step.kind}: people ${e.person_ids.length} [${e.person_ids.slice(0, 3)}…], expected ${want.length} [${want.slice(0, 3)}…]`,
            );
        }
      }
      assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
      assert.equal(events.length, audited, 'events for the replay');
      const kinds = new Set(steps.map((st) => st.kind));
      assert.ok(kinds.size >= 20, `the replay mixes ${kinds.size} kinds of request`);
      assert.ok(audited > n / 3 && audited < n, `${audited} of ${n} audited`);
      const chain = await verifyAuditChain(db.kysely);
      assert.deepEqual(chain.problems, []);
    });

    // Refusals that happen before a route reaches the person itself are audited all the same.
    const auditedOnce = async (requestId: string) =>
      (
        await db.kysely
          .selectFrom('audit_event')
          .select('outcome')
          .where('request_id', '=', requestId)
          .execute()
      ).map((e) => e.outcome);
    test('a person on another team’s worklist, asked for, is audited as denied', async () => {
      const res = await s.east.inject({
        method: 'GET',
        url: `${BASE}/worklists/${w.worklists.west}/people/${w.westPerson.id}`,
        headers: { 'x-request-id': 'gap-other-team-person' },
      });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(await auditedOnce('gap-other-team-person'), ['denied']);
    });
    test('a decision about a person not on the worklist is audited as denied', async () => {
      const res = await s.east.inject({
        method: 'POST',
        url: `${BASE}/worklists/${w.worklists.east}/decisions`,
        headers: { 'x-request-id': 'gap-decision-not-on-list' },
        payload: {
          personId: w.loner.id,
          decision: 'discuss-at-mdt',
          reason: 'Seen at the huddle',
          reviewDate: inDays(30),
        },
      });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(await auditedOnce('gap-decision-not-on-list'), ['denied']);
    });

    test('(b) the database refuses to change or remove audit events', async () => {
      const before = await verifyAuditChain(db.kysely);
      assert.ok(before.events > 0);
      for (const statement of [
        sql`update audit_event set detail = 'edited' where seq = 1`,
        sql`update audit_event set person_ids = '{}'`,
        sql`delete from audit_event where seq = ${before.events}`,
        sql`delete from audit_event`,
        sql`truncate audit_event`,
        sql`delete from audit_head`,
      ])
        await assert.rejects(statement.execute(db.kysely), /audit events cannot be changed or removed/);
      // A row inserted with its own seq and hash is numbered and chained by the database all the same.
      await sql`insert into audit_event (seq, request_id, actor_name, action, route, purpose, outcome, prev_hash, hash)
                values (1, 'forged-0001', 'Someone', 'read', 'GET /x', 'direct-care', 'allowed', 'x', 'y')`.execute(
        db.kysely,
      );
      const after = await verifyAuditChain(db.kysely);
      assert.deepEqual(after, { events: before.events + 1, problems: [] });
    });

    test('(d) responses with person data are never cached', async () => {
      const urls: [Session, string][] = [
        [s.east, `${BASE}/people/${w.eastPerson.id}`],
        [s.east, `${BASE}/people/${w.loner.id}`],
        [s.east, `${BASE}/people?nhsNumber=${w.eastPerson.nhs}`],
        [s.east, `${BASE}/worklists/${w.worklists.east}/people`],
        [s.east, `${BASE}/worklists/${w.worklists.east}/people/${w.eastPerson.id}`],
        [s.east, `${BASE}/cohorts/${w.cohortId}/members`],
        [s.east, `${BASE}/cohorts/${w.cohortId}/members.csv`],
        [s.ig, `/api/audit/events?nhsNumber=${w.eastPerson.nhs}`],
        [s.ig, '/api/audit/events.csv'],
        [s.ig, '/api/audit/break-glass'],
      ];
      for (const [who, url] of urls) {
        const res = await who.inject({ method: 'GET', url });
        assert.ok(res.statusCode === 200 || res.statusCode === 404, `${url}: ${res.statusCode}`);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
    });

    test('who accessed a record: each event says what was done in words; a backwards period or an unknown username is refused, naming the field', async () => {
      await s.east.inject({ method: 'GET', url: `${BASE}/people/${w.eastPerson.id}` });
      const found = await s.ig.inject({
        method: 'GET',
        url: `/api/audit/events?nhsNumber=${w.eastPerson.nhs}`,
      });
      assert.equal(found.statusCode, 200, found.body);
      const opened = (found.json().events as { route: string; what: string | null }[]).find(
        (e) => e.route === 'GET /api/places/:placeId/people/:personId',
      );
      assert.match(opened?.what ?? '', /^One resident: their details, risk scores/);
      const refused = async (query: string) => {
        const res = await s.ig.inject({ method: 'GET', url: `/api/audit/events?${query}` });
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        const [issue] = res.json().issue;
        return [issue.expression[0], issue.diagnostics];
      };
      assert.deepEqual(await refused('from=2026-12-31&to=2026-12-01'), [
        'to',
        'querystring to: must be the same as or after the From date',
      ]);
      assert.deepEqual(await refused('actor=no-such-person'), [
        'actor',
        'There is no member of staff with the username "no-such-person". Check it, or leave it empty.',
      ]);
      const csv = await s.ig.inject({
        method: 'GET',
        url: '/api/audit/events.csv?from=2026-12-31&to=2026-12-01',
      });
      assert.equal(csv.statusCode, 400, 'the export checks the same');
    });

    /** Calls every string parameter with each string; returns the answers that were not 400/404 (or the data). */
    async function probe(strings: readonly string[]): Promise<string[]> {
      const e = encodeURIComponent;
      const wl = `${BASE}/worklists/${w.worklists.east}`;
      const decision = {
        personId: w.eastPerson.id,
        decision: 'discuss-at-mdt',
        reason: 'Huddle',
        reviewDate: inDays(40),
      };
      const wrong: string[] = [];
      for (const x of strings) {
        const calls: [Session | null, InjectOptions, number[]][] = [
          [s.east, { method: 'GET', url: `${BASE}/people/${e(x)}` }, [400, 404]],
          [s.analyst, { method: 'GET', url: `${BASE}/people/${e(x)}` }, [404]],
          [s.east, { method: 'GET', url: `/api/places/${e(x)}/people/${w.eastPerson.id}` }, [400, 404]],
          [s.east, { method: 'GET', url: `${BASE}/people?nhsNumber=${e(x)}` }, [400]],
          [s.east, { method: 'GET', url: `${BASE}/worklists/${e(x)}` }, [400, 404]],
          [s.east, { method: 'GET', url: `${wl}/people?sort=${e(x)}` }, [400]],
          [s.east, { method: 'GET', url: `${wl}/people?status=${e(x)}` }, [400]],
          [s.east, { method: 'GET', url: `${wl}/people?page=${e(x)}` }, [400]],
          [s.east, { method: 'GET', url: `${wl}/people/${e(x)}` }, [400, 404]],
          [s.east, { method: 'POST', url: `${wl}/decisions`, payload: { ...decision, personId: x } }, [400]],
          [s.east, { method: 'POST', url: `${wl}/decisions`, payload: { ...decision, decision: x } }, [400]],
          [
            s.east,
            { method: 'POST', url: `${wl}/decisions`, payload: { ...decision, reviewDate: x } },
            [400],
          ],
          [
            s.east,
            { method: 'POST', url: `${wl}/decisions`, payload: { ...decision, reason: x } },
            [201, 400],
          ],
          [
            s.east,
            { method: 'POST', url: `${wl}/nominations`, payload: { nhsNumber: x, reason: 'Falls' } },
            [400],
          ],
          [
            s.east,
            { method: 'POST', url: `${wl}/nominations`, payload: { nhsNumber: w.eastPerson.nhs, reason: x } },
            [201, 400, 409],
          ],
          [
            s.east,
            {
              method: 'POST',
              url: `${BASE}/break-glass`,
              payload: { nhsNumber: x, reason: 'Emergency at home' },
            },
            [400],
          ],
          [s.ig, { method: 'GET', url: `/api/audit/events?actor=${e(x)}` }, [200, 400]],
          [s.ig, { method: 'GET', url: `/api/audit/events?nhsNumber=${e(x)}` }, [400]],
          [s.ig, { method: 'GET', url: `/api/audit/events?from=${e(x)}` }, [400]],
          [s.ig, { method: 'GET', url: `/api/audit/events.csv?actor=${e(x)}` }, [200, 400]],
          [s.ig, { method: 'GET', url: `/api/audit/events.csv?to=${e(x)}` }, [400]],
          [
            s.ig,
            {
              method: 'POST',
              url: `/api/audit/break-glass/${e(x)}/review`,
              payload: { outcome: 'appropriate' },
            },
            [400, 404],
          ],
          [
            null,
            {
              method: 'POST',
              url: '/api/session',
              payload: { username: x, password: x },
              remoteAddress: '10.8.0.1',
            },
            [400, 401, 429],
          ],
        ];
        for (const [who, options, allowed] of calls) {
          const res = who ? await who.inject(options) : await app.inject(options);
          if (!allowed.includes(res.statusCode))
            wrong.push(
              `${options.method} ${options.url} ${JSON.stringify(options.payload ?? '')}: ${res.statusCode} ${res.body.slice(0, 120)}`,
            );
        }
      }
      return wrong;
    }

    test('(d) SQL in any string parameter of the person, worklist and audit routes is only data', async () => {
      const count = async (
        table: 'person' | 'person_risk' | 'worklist' | 'staff_user' | 'cohort' | 'break_glass',
      ) =>
        Number(
          (
            await db.kysely
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const tables = ['person', 'person_risk', 'worklist', 'staff_user', 'cohort'] as const;
      const before = await Promise.all(tables.map(count));
      const events = (await verifyAuditChain(db.kysely)).events;
      const NASTY = [
        `' OR '1'='1`,
        `1; DROP TABLE person; --`,
        `'); truncate audit_event; --`,
        `00000000-0000-0000-0000-000000000000' OR 'a'='a`,
        `%' OR person.id IS NOT NULL --`,
        `\\'; select pg_sleep(5); --`,
        `$1 $$ ::uuid ) ) )`,
        `../../api/staff`,
      ];
      const wrong = await probe(NASTY);
      assert.deepEqual(wrong, []);
      assert.deepEqual(await Promise.all(tables.map(count)), before, 'tables intact');
      const after = await verifyAuditChain(db.kysely);
      assert.deepEqual(after.problems, []);
      assert.ok(after.events > events, 'the audit trail only grew');
      // Free text is kept exactly as written.
      const kept = await db.kysely
        .selectFrom('worklist_decision')
        .select('reason')
        .where('reason', '=', `'); truncate audit_event; --`)
        .executeTakeFirst();
      assert.ok(kept, 'a reason with SQL in it is stored as written');
    });

    test('a NUL character in any string parameter is refused with 400, not a database error', async () => {
      assert.deepEqual(await probe(['x\u0000y', '\u0000']), []);
    });

    test('`joinedup audit verify` says the trail is intact, with its number of events', async () => {
      const { events } = await verifyAuditChain(db.kysely);
      const out = await auditVerify(db.kysely);
      assert.deepEqual(out, {
        code: 0,
        text: `Audit trail intact: ${events.toLocaleString('en-GB')} events`,
      });
    });

    // Last: it breaks the chain on purpose.
    test('(c) a superuser who switches the trigger off can change or remove events, and verify finds it', async () => {
      const asSuperuser = async (statement: ReturnType<typeof sql>) => {
        await sql`alter table audit_event disable trigger audit_event_no_change`.execute(db.kysely);
        try {
          await statement.execute(db.kysely);
        } finally {
          await sql`alter table audit_event enable trigger audit_event_no_change`.execute(db.kysely);
        }
      };
      const { events } = await verifyAuditChain(db.kysely);
      const changed = Math.floor(events / 2);
      await asSuperuser(sql`update audit_event set detail = 'nothing to see' where seq = ${changed}`);
      const afterChange = await verifyAuditChain(db.kysely);
      assert.deepEqual(afterChange.problems, [
        { seq: changed, problem: 'its content does not match its hash: it was changed' },
      ]);
      const out = await auditVerify(db.kysely);
      assert.equal(out.code, 1);
      assert.match(
        out.text,
        new RegExp(`event ${changed}: its content does not match its hash: it was changed`),
      );

      await asSuperuser(sql`delete from audit_event where seq = ${events}`);
      const afterDelete = await verifyAuditChain(db.kysely);
      assert.deepEqual(afterDelete.problems, [
        { seq: changed, problem: 'its content does not match its hash: it was changed' },
        { seq: events, problem: 'the newest event is missing: the chain ends early' },
      ]);
      assert.equal(afterDelete.events, events - 1);
      // The trigger is back: ordinary changes are refused again.
      await assert.rejects(
        sql`delete from audit_event where seq = 1`.execute(db.kysely),
        /audit events cannot be changed or removed/,
      );
    });
  });
}
