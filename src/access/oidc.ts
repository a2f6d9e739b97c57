// Signing in through the organisation's OpenID Connect provider: the authorisation code flow with PKCE
// (S256), state and nonce, by openid-client. The sign-in in progress (state, nonce, PKCE verifier,
// where to go afterwards) is kept in the browser, in a cookie sealed with AES-256-GCM under a key
// derived from the client secret, so it works across restarts and several server processes without a
// table; it also binds the callback to the browser that started the sign-in (no login CSRF). The
// cookie lives 10 minutes and is cleared by the callback, whatever its outcome.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { isLoopbackHost, type OidcConfig } from '../core/config.ts';

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
export const OIDC_COOKIE = 'joinedup_oidc';
/** Under HTTPS the cookie takes the __Host- prefix: Secure, host-only, path /. */
export const SECURE_OIDC_COOKIE = '__Host-joinedup_oidc';
/** How long a sign-in may take at the provider before it has to be started again. */
export const PENDING_SECONDS = 10 * 60;
/** Scopes asked for when the provider offers them: names for the audit trail, never needed to sign in. */
const WANTED_SCOPES = ['openid', 'profile', 'email'];

export const redirectUriFor = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}${OIDC_CALLBACK_PATH}`;

/** A sign-in started in this browser and not yet finished. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** Seconds since the epoch after which the sign-in is refused. */
  expires: number;
  /** Set when the provider was asked to authenticate the person afresh (seconds since the epoch). */
  reauthenticateFrom?: number;
}

export interface OidcIdentity {
  /** The issuer identifier the provider signed the ID token as. */
  issuer: string;
  subject: string;
  /** A name to show in the audit trail, if the provider sent one. */
  label: string | null;
  /** When the provider last authenticated the person (auth_time), if it said. */
  authenticatedAt: Date | null;
}

/**
 * Where to go after sign-in: a path inside Joined Up, or null. Absolute and scheme-relative addresses
 * ("https://…", "//evil.example", "/\evil.example") are refused, so the sign-in cannot become an open redirect.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || value === '') return '/';
  if (value.length > 1000 || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  const base = 'http://joinedup.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

export class OidcSignIn {
  readonly settings: OidcConfig;
  readonly redirectUri: string;
  readonly #key: Buffer;
  #configuration: Promise<client.Configuration> | undefined;

  constructor(settings: OidcConfig, publicUrl: string) {
    this.settings = settings;
    this.redirectUri = redirectUriFor(publicUrl);
    this.#key = Buffer.from(
      hkdfSync('sha256', settings.clientSecret, 'joinedup', 'openid connect sign-in in progress', 32),
    );
  }

  /** The provider's metadata, discovered once and kept; a failed discovery is tried again next time. */
  configuration(): Promise<client.Configuration> {
    if (!this.#configuration) {
      const issuer = new URL(this.settings.issuer);
      this.#configuration = client
        .discovery(
          issuer,
          this.settings.clientId,
          { client_secret: this.settings.clientSecret, redirect_uris: [this.redirectUri] },
          client.ClientSecretBasic(this.settings.clientSecret),
          // openid-client refuses plain http, rightly. It is allowed only for a provider on this
          // machine (the tests' provider on 127.0.0.1); the configuration refuses any other http issuer.
          isLoopbackHost(issuer.hostname) ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw error;
        });
    }
    return this.#configuration;
  }

  /**
   * The provider's authorisation address to send the browser to, and the sealed sign-in to keep. To
   * reauthenticate, the provider is asked to sign the person in afresh (prompt=login, max_age=0) even if
   * it holds a sign-in of its own, and the answer must show it did (finish checks auth_time).
   */
  async start(returnTo: string, reauthenticate = false): Promise<{ url: URL; sealed: string }> {
    const configuration = await this.configuration();
    const now = Math.floor(Date.now() / 1000);
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      expires: now + PENDING_SECONDS,
      ...(reauthenticate ? { reauthenticateFrom: now } : {}),
    };
    const offered = configuration.serverMetadata().scopes_supported;
    const scope = WANTED_SCOPES.filter((s) => s === 'openid' || offered?.includes(s)).join(' ');
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ...(reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
    });
    return { url, sealed: this.seal(pending) };
  }

  /**
   * Checks the provider's answer against the sign-in in progress and exchanges the code for tokens;
   * returns who signed in. Throws if anything does not match (state, nonce, PKCE, ID token).
   */
  async finish(query: URLSearchParams, pending: PendingSignIn): Promise<OidcIdentity> {
    const configuration = await this.configuration();
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = query.toString();
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider sent no ID token');
    const label = [claims.name, claims.email, claims.preferred_username].find(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : null;
    // Asked to authenticate afresh, the provider must say it did, after the sign-in began (a minute's
    // grace for the two clocks).
    if (
      pending.reauthenticateFrom !== undefined &&
      (authTime === null || authTime < pending.reauthenticateFrom - 60)
    )
      throw new Error('the provider did not authenticate the person afresh (auth_time missing or too old)');
    return {
      issuer: claims.iss,
      subject: claims.sub,
      label: label ?? null,
      // Never later than now, so a provider's fast clock cannot lengthen break-glass's window.
      authenticatedAt: authTime === null ? null : new Date(Math.min(authTime * 1000, Date.now())),
    };
  }

  seal(pending: PendingSignIn): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(pending), 'utf8'), cipher.final()]);
    return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
  }

  /** The sign-in in progress, or null if the cookie was changed, sealed under another key, or has expired. */
  unseal(sealed: string | undefined, now = Date.now()): PendingSignIn | null {
    const parts = sealed?.split('.') ?? [];
    if (parts.length !== 3) return null;
    try {
      const [iv, body, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      if (iv.length !== 12 || tag.length !== 16) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAuthTag(tag);
      const json = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      const pending = JSON.parse(json) as PendingSignIn;
      if (typeof pending.expires !== 'number' || pending.expires * 1000 < now) return null;
      return pending;
    } catch {
      return null;
    }
  }
}
