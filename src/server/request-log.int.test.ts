// What the logs keep of a request: no secrets (QUALITY.md S-5, S-7). The sign-in callback's
// authorization code and state, a password, the session cookie and the CSRF token never reach a log
// line. On PGlite, and PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { urlForLog } from './app.ts';
import type { App } from './app-types.ts';
import { addStaff, openTestApp, signIn, TEST_PASSWORD } from './test-app.ts';

for (const target of dbTargets()) {
  describe(`request logs, on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let lines = '';

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      const logStream = new PassThrough();
      logStream.on('data', (chunk: Buffer) => {
        lines += chunk.toString('utf8');
      });
      app = await openTestApp(db, { logStream });
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('no code, state, password, session cookie or CSRF token is logged', async () => {
      const code = 'authorisation-code-4f1c9e';
      const state = 'state-value-93ab20';
      await app.inject({ method: 'GET', url: `/auth/oidc/callback?code=${code}&state=${state}&iss=x` });
      const staff = await addStaff(db, { role: 'analyst' });
      const session = await signIn(app, staff.username);
      await app.inject({ method: 'GET', url: '/api/session', headers: session });
      await new Promise((r) => setImmediate(r));

      const logged = lines.split('\n').filter(Boolean);
      assert.ok(logged.length > 0, 'the app logged its requests');
      const callback = logged
        .map((l) => JSON.parse(l) as { msg: string; req?: { url: string } })
        .find((l) => l.msg === 'incoming request' && l.req?.url.startsWith('/auth/oidc/callback'));
      assert.equal(callback?.req?.url, '/auth/oidc/callback?code=redacted&state=redacted&iss=x');
      const cookieValue = session.cookie.split('=')[1] ?? '';
      for (const secret of [code, state, TEST_PASSWORD, cookieValue, session['x-csrf-token']])
        assert.ok(!lines.includes(secret), `${secret.slice(0, 12)}… is not in the logs`);
    });
  });
}

test('secret query parameters are redacted, others kept, in any case', () => {
  assert.equal(urlForLog('/a/b'), '/a/b');
  assert.equal(urlForLog('/a?page=2&sort=risk'), '/a?page=2&sort=risk');
  assert.equal(
    urlForLog('/cb?CODE=1&Access_Token=2&id_token=3&session_state=4&keep=5'),
    '/cb?CODE=redacted&Access_Token=redacted&id_token=redacted&session_state=redacted&keep=5',
  );
});
