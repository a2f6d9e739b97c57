// OpenID Connect sign-in against a real provider (oidc-provider, on 127.0.0.1) with the app listening on
// a real port: a small browser (fetch, manual redirects, a cookie jar per origin) goes from the app to
// the provider's development login and consent pages and back, as staff would.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
// @ts-expect-error oidc-provider ships no type declarations; the little used here is typed below.
import OidcProviderModule from 'oidc-provider';
import { configErrors, DEFAULT_OIDC_NAME, type OidcConfig, readConfig } from '../core/config.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets, openTestPglite } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, openTestApp } from '../server/test-app.ts';
import { OIDC_NAME_HEADER } from './oidc.routes.ts';
import { OidcSignIn, safeReturnTo } from './oidc.ts';

const Provider = OidcProviderModule as new (
  issuer: string,
  configuration: Record<string, unknown>,
) => { callback(): http.RequestListener };

const CLIENT_ID = 'joinedup-test';
const CLIENT_SECRET = 'a-client-secret-long-enough-for-hs256-and-then-some';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real OpenID Connect provider for one client, with its development login and consent pages. */
async function startProvider(redirectUri: string): Promise<{ issuer: string; close(): Promise<void> }> {
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    // Whatever login is typed on the development login page becomes the subject.
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  handler = provider.callback();
  return {
    issuer,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Hop {
  url: URL;
  status: number;
  location: URL | null;
}

/** Just enough of a browser: cookies kept per origin, redirects followed one at a time. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>();
  readonly hops: Hop[] = [];

  cookies(origin: string): Map<string, string> {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    return jar;
  }

  async request(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const jar = this.cookies(url.origin);
    const headers: Record<string, string> = { 'user-agent': 'oidc-test-browser' };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const gone = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    this.hops.push({ url, status: res.status, location: location ? new URL(location, url) : null });
    return res;
  }

  /** Follows redirects from url; stops before a URL for which `stopBefore` is true. */
  async follow(
    url: URL,
    stopBefore: (next: URL) => boolean = () => false,
  ): Promise<{ url: URL; res: Response | null }> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      if (stopBefore(current)) return { url: current, res: null };
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { url: current, res };
      await res.arrayBuffer();
      current = new URL(location, current);
    }
    throw new Error('too many redirects');
  }
}

const isCallback = (url: URL) => url.pathname === '/auth/oidc/callback';

/**
 * Starts sign-in at the app and goes through the provider's login (as `login`) and consent pages;
 * returns the callback address the provider sent the browser back to, not yet visited.
 */
async function throughProvider(
  browser: Browser,
  appUrl: string,
  login: string,
  returnTo = '/',
  options: { reauthenticate?: boolean; prompts?: string[] } = {},
): Promise<URL> {
  const again = options.reauthenticate ? '&reauthenticate=1' : '';
  let at = await browser.follow(
    new URL(`/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}${again}`, appUrl),
    isCallback,
  );
  for (let step = 0; step < 4 && at.res; step++) {
    const html = await at.res.text();
    assert.equal(at.res.status, 200, html);
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
    assert.ok(prompt, `expected a login or consent page at ${at.url}: ${html.slice(0, 300)}`);
    options.prompts?.push(prompt);
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt };
    const posted = await browser.request(at.url, { method: 'POST', form });
    await posted.arrayBuffer();
    const next = posted.headers.get('location');
    assert.ok(next, `the ${prompt} page did not redirect (${posted.status})`);
    at = await browser.follow(new URL(next, at.url), isCallback);
  }
  assert.ok(isCallback(at.url), `the provider did not send the browser back to the app: ${at.url}`);
  return at.url;
}

test('OpenID Connect settings: all three or none, an https issuer (http only on this machine)', () => {
  assert.equal(readConfig({}).oidc, null);
  const env = {
    JOINEDUP_OIDC_ISSUER: 'https://login.example.nhs.uk',
    JOINEDUP_OIDC_CLIENT_ID: 'joinedup',
    JOINEDUP_OIDC_CLIENT_SECRET: 's3cret',
  };
  assert.deepEqual(readConfig(env).oidc, {
    issuer: 'https://login.example.nhs.uk',
    clientId: 'joinedup',
    clientSecret: 's3cret',
    name: DEFAULT_OIDC_NAME,
  });
  assert.equal(
    readConfig({ ...env, JOINEDUP_OIDC_NAME: 'Sign in with NHS CIS2' }).oidc?.name,
    'Sign in with NHS CIS2',
  );
  assert.deepEqual(configErrors({ JOINEDUP_OIDC_ISSUER: 'https://login.example.nhs.uk' }), [
    'OpenID Connect sign-in needs JOINEDUP_OIDC_ISSUER, JOINEDUP_OIDC_CLIENT_ID and JOINEDUP_OIDC_CLIENT_SECRET together; JOINEDUP_OIDC_CLIENT_ID and JOINEDUP_OIDC_CLIENT_SECRET are missing',
  ]);
  assert.match(
    configErrors({ ...env, JOINEDUP_OIDC_ISSUER: 'http://login.example.nhs.uk' }).join(),
    /https:\/\//,
  );
  assert.match(configErrors({ ...env, JOINEDUP_OIDC_ISSUER: 'login.example.nhs.uk' }).join(), /https:\/\//);
  assert.match(configErrors({ ...env, JOINEDUP_OIDC_ISSUER: 'https://x.example/?a=1' }).join(), /no query/);
  assert.deepEqual(configErrors({ ...env, JOINEDUP_OIDC_ISSUER: 'http://127.0.0.1:4000' }), []);
  assert.deepEqual(configErrors({ ...env, JOINEDUP_OIDC_ISSUER: 'http://localhost:4000/oidc' }), []);
  assert.match(configErrors({ JOINEDUP_OIDC_NAME: 'Sign in' }).join(), /JOINEDUP_OIDC_ISSUER is not/);
  assert.throws(() => readConfig({ JOINEDUP_OIDC_CLIENT_SECRET: 'x' }), /not usable/);
});

test('returnTo is a path inside Joined Up, never another site', () => {
  assert.equal(safeReturnTo(undefined), '/');
  assert.equal(safeReturnTo('/worklists?team=int-east#top'), '/worklists?team=int-east#top');
  for (const bad of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    'evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    ' /x',
  ])
    assert.equal(safeReturnTo(bad), null, bad);
});

test('the sealed sign-in in progress cannot be changed, moved to another key, or used late', () => {
  const settings: OidcConfig = { issuer: 'https://x.example', clientId: 'c', clientSecret: 's1', name: 'n' };
  const a = new OidcSignIn(settings, 'https://joinedup.example');
  const b = new OidcSignIn({ ...settings, clientSecret: 's2' }, 'https://joinedup.example');
  const pending = {
    state: 's',
    nonce: 'n',
    codeVerifier: 'v',
    returnTo: '/',
    expires: Date.now() / 1000 + 60,
  };
  const sealed = a.seal(pending);
  assert.deepEqual(a.unseal(sealed), pending);
  assert.equal(b.unseal(sealed), null);
  const [iv, body, tag] = sealed.split('.') as [string, string, string];
  const flipped = Buffer.from(body, 'base64url');
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  assert.equal(a.unseal([iv, flipped.toString('base64url'), tag].join('.')), null);
  assert.equal(a.unseal(sealed, Date.now() + 120_000), null);
  assert.equal(a.unseal('not.a.cookie'), null);
  assert.equal(a.unseal(undefined), null);
  assert.equal(a.redirectUri, 'https://joinedup.example/auth/oidc/callback');
});

for (const target of dbTargets()) {
  describe(`OpenID Connect sign-in on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let appUrl: string;
    let provider: Awaited<ReturnType<typeof startProvider>>;
    let linked: { id: string; username: string };

    const sessions = async () =>
      (
        await db.kysely
          .selectFrom('staff_session')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const lastAudit = () =>
      db.kysely
        .selectFrom('audit_event')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      const port = await freePort();
      appUrl = `http://127.0.0.1:${port}`;
      provider = await startProvider(`${appUrl}/auth/oidc/callback`);
      app = await openTestApp(db, {
        publicUrl: appUrl,
        oidc: {
          issuer: provider.issuer,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          name: 'Sign in with Test IdP',
        },
      });
      await app.listen({ host: '127.0.0.1', port });
      linked = await addStaff(db, { role: 'int-practitioner', teamId: 'int-east' });
      await db.kysely
        .updateTable('staff_user')
        .set({ oidc_issuer: provider.issuer, oidc_subject: 'alice-at-idp' })
        .where('id', '=', linked.id)
        .execute();
    });

    after(async () => {
      await app?.close();
      await provider?.close();
      await db?.close();
    });

    test('a staff member linked by issuer and subject signs in and lands where they were going', async () => {
      const browser = new Browser();
      const callback = await throughProvider(browser, appUrl, 'alice-at-idp', '/worklists?from=sign-in');
      const start = browser.hops[0];
      assert.equal(start?.status, 302);
      assert.equal(start?.location?.origin, provider.issuer);
      assert.equal(start?.location?.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(start?.location?.searchParams.get('nonce'));
      assert.ok(start?.location?.searchParams.get('state'));
      assert.equal(start?.location?.searchParams.get('redirect_uri'), `${appUrl}/auth/oidc/callback`);

      const res = await browser.request(callback);
      assert.equal(res.status, 302, await res.text());
      assert.equal(res.headers.get('location'), '/worklists?from=sign-in');
      const jar = browser.cookies(appUrl);
      assert.ok(jar.get('joinedup_session'), 'the session cookie is set');
      assert.equal(jar.has('joinedup_oidc'), false, 'the sign-in in progress is cleared');
      assert.match(res.headers.getSetCookie().join('\n'), /joinedup_session=[^;]+;.*HttpOnly/i);

      const me = await browser.request(new URL('/api/session', appUrl));
      assert.equal(me.status, 200);
      const body = (await me.json()) as { user: { id: string; username: string } };
      assert.equal(body.user.id, linked.id);
      assert.equal(body.user.username, linked.username);

      const session = await db.kysely
        .selectFrom('staff_session')
        .select(['method'])
        .where('user_id', '=', linked.id)
        .executeTakeFirstOrThrow();
      assert.equal(session.method, 'oidc');
      const audit = await lastAudit();
      assert.equal(audit.action, 'sign-in');
      assert.equal(audit.outcome, 'allowed');
      assert.equal(audit.actor_id, linked.id);
      assert.equal(audit.route, 'GET /auth/oidc/callback');

      // The callback cannot be replayed: the sign-in in progress went with the first use.
      const again = await browser.request(callback);
      assert.equal(again.status, 302);
      assert.equal(again.headers.get('location'), '/?signin=failed');
    });

    test('asked to sign in afresh, the provider asks again; otherwise a session carries when it last asked', async () => {
      const browser = new Browser();
      const signInAs = async (reauthenticate: boolean) => {
        const prompts: string[] = [];
        const callback = await throughProvider(browser, appUrl, 'alice-at-idp', '/', {
          reauthenticate,
          prompts,
        });
        const res = await browser.request(callback);
        assert.equal(res.headers.get('location'), '/', 'signed in');
        const session = await db.kysely
          .selectFrom('staff_session')
          .select(['authenticated_at'])
          .where('user_id', '=', linked.id)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        const at = session.authenticated_at;
        return { prompts, authenticatedAt: at === null ? null : new Date(at).getTime() };
      };
      // A provider need not say when it authenticated someone unless asked (this one does not): then it
      // is not known, and break-glass will ask for a fresh sign-in.
      const first = await signInAs(false);
      assert.ok(first.prompts.includes('login'));
      assert.ok(
        first.authenticatedAt === null || Math.abs(first.authenticatedAt - Date.now()) < 60_000,
        'the provider’s auth_time, when it sends one',
      );
      await new Promise((r) => setTimeout(r, 1_100));
      // Signed in again from the provider's own session: no login page, and the time it last asked stays.
      const silent = await signInAs(false);
      assert.equal(silent.prompts.includes('login'), false);
      assert.equal(silent.authenticatedAt, first.authenticatedAt);
      // Asked to sign in afresh (as break-glass needs), the provider asks for the login again.
      const fresh = await signInAs(true);
      const start = browser.hops.findLast((h) => h.url.pathname === '/auth/oidc/start');
      assert.equal(start?.location?.searchParams.get('prompt'), 'login');
      assert.equal(start?.location?.searchParams.get('max_age'), '0');
      assert.ok(fresh.prompts.includes('login'));
      assert.ok(fresh.authenticatedAt !== null && fresh.authenticatedAt > (first.authenticatedAt ?? 0));
      assert.ok(Math.abs(fresh.authenticatedAt - Date.now()) < 60_000);
    });

    test('asked to sign in afresh, an answer that does not show it was is refused', async () => {
      const before = await sessions();
      const browser = new Browser();
      const callback = await throughProvider(browser, appUrl, 'alice-at-idp', '/', { reauthenticate: true });
      // The sign-in in progress, resealed as if it had begun an hour later than the provider's login.
      const signIn = new OidcSignIn(
        { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, name: 'n' },
        appUrl,
      );
      const jar = browser.cookies(appUrl);
      const pending = signIn.unseal(jar.get('joinedup_oidc'));
      assert.ok(pending?.reauthenticateFrom, 'the sign-in in progress asks for a fresh login');
      jar.set(
        'joinedup_oidc',
        signIn.seal({ ...pending, reauthenticateFrom: pending.reauthenticateFrom + 3600 }),
      );
      const res = await browser.request(callback);
      assert.equal(res.headers.get('location'), '/?signin=failed');
      assert.equal(await sessions(), before);
    });

    test('a subject with no staff account gets no session, and the refusal is audited', async () => {
      const before = await sessions();
      const browser = new Browser();
      const callback = await throughProvider(browser, appUrl, 'stranger-at-idp');
      const res = await browser.request(callback);
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/?signin=no-account');
      assert.equal(browser.cookies(appUrl).has('joinedup_session'), false);
      assert.equal(await sessions(), before);
      const me = await browser.request(new URL('/api/session', appUrl));
      assert.equal(me.status, 401);
      const audit = await lastAudit();
      assert.equal(audit.action, 'sign-in');
      assert.equal(audit.outcome, 'denied');
      assert.equal(audit.purpose, 'account');
      assert.equal(audit.actor_id, null);
      assert.match(audit.detail, /stranger-at-idp/);
    });

    test('a tampered state, a callback in another browser and a provider error are all refused', async () => {
      const before = await sessions();
      const browser = new Browser();
      const callback = await throughProvider(browser, appUrl, 'alice-at-idp');

      const tampered = new URL(callback);
      tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      const refused = await browser.request(tampered);
      assert.equal(refused.status, 302);
      assert.equal(refused.headers.get('location'), '/?signin=failed');
      assert.equal(browser.cookies(appUrl).has('joinedup_session'), false);

      // The genuine callback, but in a browser that did not start this sign-in (login CSRF).
      const other = new Browser();
      const elsewhere = await other.request(callback);
      assert.equal(elsewhere.headers.get('location'), '/?signin=failed');
      assert.equal(other.cookies(appUrl).has('joinedup_session'), false);

      // A sign-in cookie that was changed is refused too.
      const third = new Browser();
      const callback3 = await throughProvider(third, appUrl, 'alice-at-idp');
      const jar = third.cookies(appUrl);
      // One character of the sealed body changed (the last character of a part may carry only padding bits).
      const [iv, body = '', tag] = (jar.get('joinedup_oidc') ?? '').split('.');
      const changedBody = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
      jar.set('joinedup_oidc', [iv, changedBody, tag].join('.'));
      const changed = await third.request(callback3);
      assert.equal(changed.headers.get('location'), '/?signin=failed');

      const errored = await new Browser().request(
        new URL('/auth/oidc/callback?error=access_denied&state=whatever', appUrl),
      );
      assert.equal(errored.headers.get('location'), '/?signin=failed');
      assert.equal(await sessions(), before);
    });

    test('the user giving up at the provider comes back to the sign-in page', async () => {
      const browser = new Browser();
      const at = await browser.follow(new URL('/auth/oidc/start', appUrl), isCallback);
      assert.match(at.url.pathname, /^\/interaction\//);
      await at.res?.arrayBuffer();
      const back = await browser.follow(new URL(`${at.url.pathname}/abort`, at.url), isCallback);
      assert.equal(back.url.searchParams.get('error'), 'access_denied');
      const res = await browser.request(back.url);
      assert.equal(res.headers.get('location'), '/?signin=failed');
    });

    const setsSignInCookie = (res: { headers: Record<string, unknown> }) =>
      String(res.headers['set-cookie'] ?? '').includes('joinedup_oidc');
    test('returnTo must be a path inside Joined Up; HEAD says sign-in is set up and its label', async () => {
      const open = await app.inject({
        method: 'GET',
        url: '/auth/oidc/start?returnTo=https://evil.example/',
      });
      assert.equal(open.statusCode, 400);
      assert.equal(open.json().resourceType, 'OperationOutcome');
      const slashes = await app.inject({ method: 'GET', url: '/auth/oidc/start?returnTo=//evil.example/' });
      assert.equal(slashes.statusCode, 400);
      // Asking to sign in afresh is reauthenticate=1, nothing else; anything else is named and refused.
      const again = await app.inject({ method: 'GET', url: '/auth/oidc/start?reauthenticate=yes' });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /reauthenticate/);
      assert.equal(setsSignInCookie(again), false, 'no sign-in was started');
      const head = await app.inject({ method: 'HEAD', url: '/auth/oidc/start' });
      assert.equal(head.statusCode, 204);
      assert.equal(decodeURIComponent(String(head.headers[OIDC_NAME_HEADER])), 'Sign in with Test IdP');
    });
  });
}

describe('without OpenID Connect settings', () => {
  let db: Db;
  let app: App;
  before(async () => {
    db = await openTestPglite();
    app = await openTestApp(db);
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  test('both routes answer 404 in plain words', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      for (const url of ['/auth/oidc/start', '/auth/oidc/callback?code=x&state=y']) {
        const res = await app.inject({ method, url });
        assert.equal(res.statusCode, 404, `${method} ${url}`);
        if (method === 'GET') {
          assert.equal(res.json().resourceType, 'OperationOutcome');
          assert.match(res.body, /OpenID Connect sign-in is not set up here/);
        }
      }
    }
  });
});
