// Signing in and sessions: passwords kept as argon2id PHC strings; a wrong password and an unknown
// user answered alike; a new session at every sign-in; idle and absolute timeouts; signing out ends
// the session on the server; one's own sessions listed and ended (not another's); CSRF tokens and the
// sign-in Origin check; the sign-in rate limit; and the cookie's flags, with __Host- under HTTPS.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withInsertTrigger } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, openTestApp, TEST_PASSWORD } from '../server/test-app.ts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './access.plugin.ts';
import { SIGN_IN_ATTEMPTS } from './session.routes.ts';
import { forgetSessions } from './session.store.ts';

let address = 0;
/** Each sign-in from its own address, so the rate limit (per address) is met only where it is tested. */
const nextAddress = () => {
  address++;
  return `10.5.${address >> 8}.${address & 255}`;
};

for (const target of dbTargets()) {
  describe(`signing in and sessions on ${target.name}`, () => {
    let db: Db;
    let app: App;
    const apps: App[] = [];

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      app = await openTestApp(db);
      apps.push(app);
    });
    after(async () => {
      for (const a of apps) await a.close();
      await db?.close();
    });

    async function signIn(
      username: string,
      options: { password?: string; cookie?: string; on?: App; headers?: Record<string, string> } = {},
    ) {
      const res = await (options.on ?? app).inject({
        method: 'POST',
        url: '/api/session',
        payload: { username, password: options.password ?? TEST_PASSWORD },
        remoteAddress: nextAddress(),
        headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.headers ?? {}) },
      });
      const set = res.cookies.find((c) => c.name.endsWith(SESSION_COOKIE));
      return {
        res,
        cookie: set ? `${set.name}=${set.value}` : '',
        csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '',
        sessionId: res.statusCode === 200 ? (res.json().sessionId as string) : '',
      };
    }
    const as = (s: { cookie: string; csrf: string }, options: InjectOptions) =>
      app.inject({
        ...options,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(options.headers ?? {}) },
      });
    const sessionsOf = (s: { cookie: string; csrf: string }) =>
      as(s, { method: 'GET', url: '/api/sessions' });
    const person = () => addStaff(db, { role: 'int-practitioner', teamId: 'int-east' });

    test('passwords are stored as argon2id PHC strings, never as given', async () => {
      const { id, username } = await person();
      const row = await db.kysely
        .selectFrom('staff_user')
        .select('password_hash')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.match(
        row.password_hash ?? '',
        /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
      );
      assert.ok(!row.password_hash?.includes(TEST_PASSWORD));
      assert.equal((await signIn(username)).res.statusCode, 200);
      // Session tokens are kept only as their SHA-256.
      const s = await signIn(username);
      const token = s.cookie.split('=')[1] ?? '';
      const stored = await db.kysely
        .selectFrom('staff_session')
        .select('id_hash')
        .where('public_id', '=', s.sessionId)
        .executeTakeFirstOrThrow();
      assert.notEqual(stored.id_hash, token);
      assert.match(stored.id_hash, /^[0-9a-f]{64}$/);
    });

    test('a wrong password and an unknown user are answered alike', async () => {
      const { username } = await person();
      const wrong = await signIn(username, { password: 'not the password' });
      const unknown = await signIn('nobody-by-this-name', { password: 'not the password' });
      assert.equal(wrong.res.statusCode, 401);
      assert.equal(unknown.res.statusCode, 401);
      const body = (r: LightMyRequestResponse) =>
        r.body.replaceAll(String(r.headers['x-request-id']), '<id>');
      assert.equal(body(wrong.res), body(unknown.res));
      const headers = (r: LightMyRequestResponse) => {
        const { 'x-request-id': _id, date: _date, 'content-length': _length, ...rest } = r.headers;
        return rest;
      };
      assert.deepEqual(headers(wrong.res), headers(unknown.res));
      assert.equal(wrong.cookie, '');
      assert.equal(unknown.cookie, '');
      // Both attempts are in the audit trail as refused sign-ins.
      const events = await db.kysely
        .selectFrom('audit_event')
        .select(['actor_name', 'outcome', 'action'])
        .where('request_id', 'in', [
          String(wrong.res.headers['x-request-id']),
          String(unknown.res.headers['x-request-id']),
        ])
        .execute();
      assert.equal(events.length, 2);
      assert.ok(events.every((e) => e.action === 'sign-in' && e.outcome === 'denied'));
    });

    test('every sign-in starts a new session; the one it replaces is refused', async () => {
      const { username } = await person();
      const first = await signIn(username);
      assert.equal((await sessionsOf(first)).statusCode, 200);
      const second = await signIn(username, { cookie: first.cookie });
      assert.equal(second.res.statusCode, 200);
      assert.notEqual(second.cookie, first.cookie);
      assert.notEqual(second.sessionId, first.sessionId);
      assert.notEqual(second.csrf, first.csrf);
      assert.equal((await sessionsOf(first)).statusCode, 401);
      assert.equal((await sessionsOf(second)).statusCode, 200);
    });

    test('a sign-in whose new session cannot be saved leaves the session it would replace open (one transaction)', async () => {
      const { username } = await person();
      const first = await signIn(username);
      const fault = `begin raise exception 'the session could not be written'; end`;
      await withInsertTrigger(db.kysely, 'staff_session', fault, async () => {
        const again = await signIn(username, { cookie: first.cookie });
        assert.equal(again.res.statusCode, 500, again.res.body);
        assert.equal(again.cookie, '');
      });
      forgetSessions(db.kysely);
      assert.equal((await sessionsOf(first)).statusCode, 200, 'the first session is still open');
    });

    test('a session ends after 30 minutes idle and after 12 hours in all', async () => {
      const { username } = await person();
      const idle = await signIn(username);
      const fresh = await signIn(username);
      // The clock is moved in the database; a process remembers who holds a session for
      // SESSION_CACHE_SECONDS, so it is told to forget, as that time passing would.
      const age = async (column: 'last_seen_at' | 'expires_at', by: string, sessionId: string) => {
        await db.kysely
          .updateTable('staff_session')
          .set({ [column]: sql<Date>`now() - ${by}::interval` })
          .where('public_id', '=', sessionId)
          .execute();
        forgetSessions(db.kysely);
      };
      await age('last_seen_at', '31 minutes', idle.sessionId);
      assert.equal((await sessionsOf(idle)).statusCode, 401);
      assert.equal((await sessionsOf(fresh)).statusCode, 200);
      // 29 minutes idle is still fine.
      await age('last_seen_at', '29 minutes', fresh.sessionId);
      assert.equal((await sessionsOf(fresh)).statusCode, 200);
      await age('expires_at', '1 second', fresh.sessionId);
      const expired = await sessionsOf(fresh);
      assert.equal(expired.statusCode, 401);
      // The browser is told to forget the cookie.
      assert.ok(expired.cookies.some((c) => c.name === SESSION_COOKIE && c.value === ''));
      const created = await db.kysely
        .selectFrom('staff_session')
        .select(sql<number>`extract(epoch from expires_at - created_at)::int`.as('seconds'))
        .where('public_id', '=', idle.sessionId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(created.seconds), 12 * 3600, 'a new session lasts at most 12 hours');
    });

    test('signing out ends the session on the server, not only in the browser', async () => {
      const { username } = await person();
      const s = await signIn(username);
      const out = await as(s, { method: 'DELETE', url: '/api/session' });
      assert.equal(out.statusCode, 204);
      assert.ok(out.cookies.some((c) => c.name === SESSION_COOKIE && c.value === ''));
      assert.equal((await sessionsOf(s)).statusCode, 401);
      const row = await db.kysely
        .selectFrom('staff_session')
        .select(['ended_at', 'ended_reason'])
        .where('public_id', '=', s.sessionId)
        .executeTakeFirstOrThrow();
      assert.ok(row.ended_at);
      assert.equal(row.ended_reason, 'signed out');
    });

    test('staff list and end their own sessions, and cannot end anyone else’s', async () => {
      const a = await person();
      const b = await person();
      const laptop = await signIn(a.username);
      const phone = await signIn(a.username, {
        headers: {
          'user-agent':
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        },
      });
      const other = await signIn(b.username);
      const list = (await sessionsOf(laptop)).json().sessions as {
        id: string;
        current: boolean;
        browser: string;
      }[];
      assert.deepEqual(list.map((x) => x.id).sort(), [laptop.sessionId, phone.sessionId].sort());
      // Each session's browser in words, so that staff can tell their devices apart.
      assert.equal(list.find((x) => x.id === phone.sessionId)?.browser, 'Safari 17 on iOS');
      assert.deepEqual(
        list.filter((x) => x.current).map((x) => x.id),
        [laptop.sessionId],
      );
      // B cannot end A's session, and is told only that B has no such session.
      const theirs = await as(other, { method: 'DELETE', url: `/api/sessions/${phone.sessionId}` });
      assert.equal(theirs.statusCode, 404);
      assert.equal((await sessionsOf(phone)).statusCode, 200);
      const ended = await as(laptop, { method: 'DELETE', url: `/api/sessions/${phone.sessionId}` });
      assert.equal(ended.statusCode, 204);
      assert.equal((await sessionsOf(phone)).statusCode, 401);
      assert.equal((await sessionsOf(laptop)).statusCode, 200);
      assert.equal(
        (await as(laptop, { method: 'DELETE', url: `/api/sessions/${phone.sessionId}` })).statusCode,
        404,
      );
      // Each attempt to end a session is in the audit trail, refused or not.
      const events = await db.kysely
        .selectFrom('audit_event')
        .select(['actor_id', 'outcome'])
        .where('action', '=', 'sign-out')
        .where('detail', 'like', `%${phone.sessionId}%`)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.actor_id === a.id ? 'a' : e.actor_id === b.id ? 'b' : '?', e.outcome]),
        [
          ['b', 'denied'],
          ['a', 'allowed'],
          ['a', 'denied'],
        ],
      );
    });

    test('a state-changing request without the session’s CSRF token is refused and changes nothing', async () => {
      const { username } = await addStaff(db, { role: 'int-lead', teamId: 'int-east' });
      const s = await signIn(username);
      const spare = await signIn(username);
      const cohorts = async () =>
        Number(
          (
            await db.kysely
              .selectFrom('cohort')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await cohorts();
      const rules = { kind: 'group', combinator: 'and', rules: [] };
      for (const token of [undefined, '', 'x'.repeat(s.csrf.length), spare.csrf, `${s.csrf}x`]) {
        const headers: Record<string, string> = { cookie: s.cookie };
        if (token !== undefined) headers['x-csrf-token'] = token;
        for (const options of [
          { method: 'POST', url: '/api/places/bury/cohorts', payload: { name: 'CSRF', rules } },
          { method: 'DELETE', url: `/api/sessions/${spare.sessionId}` },
          { method: 'DELETE', url: '/api/session' },
        ] as InjectOptions[]) {
          const res = await app.inject({ ...options, headers });
          assert.equal(res.statusCode, 403, `${options.method} ${options.url} with ${JSON.stringify(token)}`);
          assert.deepEqual(res.json().issue[0].expression, ['X-CSRF-Token']);
        }
      }
      assert.equal(await cohorts(), before);
      assert.equal((await sessionsOf(s)).statusCode, 200, 'not signed out');
      assert.equal((await sessionsOf(spare)).statusCode, 200, 'the other session not ended');
      // With the right token the same request goes through.
      assert.equal(
        (await as(s, { method: 'DELETE', url: `/api/sessions/${spare.sessionId}` })).statusCode,
        204,
      );
    });

    test('signing in from another site’s page is refused', async () => {
      const { username } = await person();
      const sessions = async () =>
        Number(
          (
            await db.kysely
              .selectFrom('staff_session')
              .innerJoin('staff_user', 'staff_user.id', 'staff_session.user_id')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('staff_user.username', '=', username)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const host = { host: 'joinedup.example' };
      for (const origin of [
        'https://evil.example',
        'http://joinedup.example.evil.example',
        'null',
        'not a url',
      ]) {
        const res = await signIn(username, { headers: { ...host, origin } });
        assert.equal(res.res.statusCode, 403, origin);
        assert.equal(res.cookie, '');
      }
      assert.equal(await sessions(), 0);
      assert.equal(
        (await signIn(username, { headers: { ...host, origin: 'http://joinedup.example' } })).res.statusCode,
        200,
      );
      assert.equal(
        (await signIn(username, { headers: host })).res.statusCode,
        200,
        'no Origin: not a browser form',
      );
      // Behind a proxy that rewrites Host, the public address (JOINEDUP_PUBLIC_URL) is the page's origin.
      const proxied = await openTestApp(db, { publicUrl: 'https://joinedup.example.nhs.uk' });
      apps.push(proxied);
      assert.equal(
        (
          await signIn(username, {
            on: proxied,
            headers: { host: '10.0.0.5:3000', origin: 'https://joinedup.example.nhs.uk' },
          })
        ).res.statusCode,
        200,
        'the public address is accepted whatever Host the proxy sends',
      );
      assert.equal(await sessions(), 3);
    });

    test(`after ${SIGN_IN_ATTEMPTS} failed sign-ins for one account from one address within the window, the next is refused with 429, counted across server processes; signing in forgets failures`, async () => {
      // Two servers over one database, as a deployment runs several behind one address: attempts sent to
      // either are counted together.
      const fresh = await openTestApp(db);
      const twin = await openTestApp(db);
      apps.push(fresh, twin);
      const { username } = await person();
      const attempt = (password: string, remoteAddress = '10.6.0.1', on = fresh) =>
        on.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress });
      // Signing in forgets the failures before it: staff who sign in often are never locked out.
      for (let i = 0; i < 2 * SIGN_IN_ATTEMPTS; i++)
        assert.equal((await attempt(TEST_PASSWORD, '10.6.0.1', i % 2 === 0 ? fresh : twin)).statusCode, 200);
      assert.equal((await attempt('wrong')).statusCode, 401);
      assert.equal((await attempt(TEST_PASSWORD)).statusCode, 200, 'one failure forgotten');
      for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) {
        const res = await attempt('wrong', '10.6.0.1', i % 2 === 0 ? fresh : twin);
        assert.equal(res.statusCode, 401, `failure ${i + 1}`);
      }
      const limited = await attempt(TEST_PASSWORD);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().resourceType, 'OperationOutcome');
      assert.match(limited.json().issue[0].diagnostics, /Try again in 1[45] minutes\./);
      const wait = Number(limited.headers['retry-after']);
      assert.ok(wait > 800 && wait <= 900, `Retry-After ${wait}`);
      const refusals = await db.kysely
        .selectFrom('audit_event')
        .select(['outcome', 'detail'])
        .where('action', '=', 'sign-in')
        .where('actor_name', '=', username)
        .where('detail', 'like', 'too many%')
        .execute();
      assert.deepEqual(refusals, [
        { outcome: 'denied', detail: 'too many failed sign-ins from this address: not checked' },
      ]);
      assert.equal(limited.cookies.length, 0);
      assert.equal((await attempt(TEST_PASSWORD, '10.6.0.1', twin)).statusCode, 429, 'the other server too');
      // Counted in the database, where every process over it reads the same count (not in memory).
      const counted = await db.kysely
        .selectFrom('attempt_window')
        .select('attempts')
        .where('key_hash', '=', createHash('sha256').update(`sign-in|10.6.0.1|${username}`).digest('hex'))
        .executeTakeFirst();
      assert.equal(counted?.attempts, SIGN_IN_ATTEMPTS + 2, 'ten failures, then the two refused');
      assert.equal(
        (await attempt(TEST_PASSWORD, '10.6.0.2')).statusCode,
        200,
        'another address is not limited',
      );
      const colleague = await person();
      const theirs = await fresh.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: colleague.username, password: TEST_PASSWORD },
        remoteAddress: '10.6.0.1',
      });
      assert.equal(theirs.statusCode, 200, 'a colleague at the same address is not limited');
    });

    test('the session cookie is HttpOnly and SameSite=Lax; under HTTPS also Secure, with the __Host- prefix', async () => {
      const { username } = await person();
      const plain = await signIn(username);
      const cookie = plain.res.cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(!cookie.secure);

      const https = await openTestApp(db, { publicUrl: 'https://x' });
      apps.push(https);
      const secure = await signIn(username, { on: https });
      assert.equal(secure.res.statusCode, 200);
      const set = secure.res.cookies.find((c) => c.name === SECURE_SESSION_COOKIE);
      assert.ok(set, `cookies: ${JSON.stringify(secure.res.cookies.map((c) => c.name))}`);
      assert.equal(set.httpOnly, true);
      assert.equal(set.sameSite, 'Lax');
      assert.equal(set.secure, true);
      assert.equal(set.path, '/');
      assert.equal(set.domain, undefined, '__Host- cookies have no Domain');
      const raw = String(secure.res.headers['set-cookie']);
      assert.match(raw, /^__Host-joinedup_session=[^;]+;/);
      assert.match(raw, /; Secure/);
      assert.match(raw, /; HttpOnly/);
      assert.match(raw, /; SameSite=Lax/);
      // That app reads only the __Host- cookie.
      const headers = { 'x-csrf-token': secure.csrf };
      assert.equal(
        (
          await https.inject({
            method: 'GET',
            url: '/api/sessions',
            headers: { ...headers, cookie: secure.cookie },
          })
        ).statusCode,
        200,
      );
      const value = secure.cookie.split('=')[1];
      assert.equal(
        (
          await https.inject({
            method: 'GET',
            url: '/api/sessions',
            headers: { ...headers, cookie: `${SESSION_COOKIE}=${value}` },
          })
        ).statusCode,
        401,
      );
    });
  });
}
