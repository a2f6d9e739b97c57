// Signing in as the demo staff accounts the e2e server creates (one per role, src/access/demo-users.ts).
// Each account signs in once per server through the API and its session is reused by every page and
// API call of the spec: sign-in is limited to a few attempts per address (src/access/session.routes.ts),
// and every test runs from the same address.
import type { BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/access/demo-users.ts';

export const SESSION_COOKIE = 'joinedup_session';

export interface StaffSession {
  username: string;
  /** The session cookie's value. */
  token: string;
  csrfToken: string;
  user: {
    name: string;
    role: string;
    roleTitle: string;
    neighbourhood: string | null;
    practiceCode: string | null;
  };
}

/** Signs in through POST /api/session as the browser would; throws with the server's answer if refused. */
export async function signInThroughApi(baseUrl: string, username: string): Promise<StaffSession> {
  const res = await fetch(new URL('/api/session', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200)
    throw new Error(`Signing in as ${username} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const token = cookie?.split(';')[0]?.slice(SESSION_COOKIE.length + 1);
  if (!token) throw new Error(`Signing in as ${username} set no ${SESSION_COOKIE} cookie`);
  const body = (await res.json()) as { csrfToken: string; user: StaffSession['user'] };
  return { username, token, csrfToken: body.csrfToken, user: body.user };
}

/** The sessions of one server's demo accounts, each signed in on first use. */
export class DemoSessions {
  readonly #baseUrl: string;
  readonly #sessions = new Map<string, Promise<StaffSession>>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  of(username: string): Promise<StaffSession> {
    let session = this.#sessions.get(username);
    if (!session) {
      session = signInThroughApi(this.#baseUrl, username);
      this.#sessions.set(username, session);
    }
    return session;
  }

  /** Forgets a session the test has ended, so the next use signs in again. */
  forget(username: string): void {
    this.#sessions.delete(username);
  }

  /** Puts the account's session cookie into a browser context, as if it had signed in there. */
  async signInto(context: BrowserContext, username: string): Promise<StaffSession> {
    const session = await this.of(username);
    const { hostname } = new URL(this.#baseUrl);
    await context.addCookies([
      {
        name: SESSION_COOKIE,
        value: session.token,
        domain: hostname,
        path: '/',
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ]);
    return session;
  }

  /** Calls the API as the account: its cookie, and its CSRF token on anything but GET. */
  async api(
    username: string,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<Response> {
    const session = await this.of(username);
    const method = init.method ?? 'GET';
    return fetch(new URL(path, this.#baseUrl), {
      method,
      headers: {
        accept: 'application/json',
        cookie: `${SESSION_COOKIE}=${session.token}`,
        ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }
}
