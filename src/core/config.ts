// Configuration is read from the environment once, validated by a pure function, and frozen.
// With no environment at all the product still runs: PGlite under ./data, port 3000, Bury.

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL server to use instead of the embedded database. */
  readonly databaseUrl: string | null;
  /** Folder of the embedded database (PGlite). */
  readonly dataDir: string;
  /** The place whose pages open by default, and which is loaded on first start. */
  readonly place: string;
  /** Folder holding the place packs shipped with the product. */
  readonly placePacksDir: string;
  /** Folder of the national reference data (death rates, code lists). */
  readonly referenceDir: string;
  /** Whether the first start generates a synthetic population for the place (JOINEDUP_SYNTH=off to skip). */
  readonly synthOnFirstStart: boolean;
  /** How many people the first start generates (default: the place's published population). */
  readonly synthPeople: number | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder of the built web app. */
  readonly webDir: string;
  /** The address staff reach the product at; under https the session cookie is Secure. */
  readonly publicUrl: string;
  /**
   * Whether the demo staff accounts (one per role, README) exist: on by default for the embedded
   * database, off by default with DATABASE_URL, and refused with DATABASE_URL (never in a deployment).
   */
  readonly demoUsers: boolean;
  /** Sign-in through the organisation's OpenID Connect provider, when JOINEDUP_OIDC_* are set. */
  readonly oidc: OidcConfig | null;
  /**
   * How long an audit write may wait for other requests' events while any are in flight, in
   * milliseconds (JOINEDUP_AUDIT_GATHER_MS; 0 writes each at once); null for the product's default.
   */
  readonly auditGatherMs: number | null;
  /** How many files one staff member may upload for import in an hour (JOINEDUP_UPLOADS_PER_HOUR). */
  readonly uploadsPerHour: number;
  /**
   * The proxies in front of the server whose X-Forwarded-For is believed (JOINEDUP_TRUST_PROXY): their
   * addresses or ranges, or how many hops; false when staff reach the server directly. Behind a proxy
   * without it, every request seems to come from the proxy, and sign-in's limits count everyone together.
   */
  readonly trustProxy: readonly string[] | number | false;
}

/** The uploads one staff member may make in an hour unless configured: far more than any import needs. */
export const DEFAULT_UPLOADS_PER_HOUR = 100;

export interface OidcConfig {
  /** The provider's issuer identifier; its discovery document is at /.well-known/openid-configuration. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The sign-in button's label. */
  readonly name: string;
}

export const DEFAULT_OIDC_NAME = "Sign in with your organisation's account";
const OIDC_SETTINGS = [
  'JOINEDUP_OIDC_ISSUER',
  'JOINEDUP_OIDC_CLIENT_ID',
  'JOINEDUP_OIDC_CLIENT_SECRET',
] as const;

/** Plain http is allowed only for a provider on this machine (tests, trying the product out). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function oidcErrors(env: Env): string[] {
  const given = OIDC_SETTINGS.filter((name) => env[name]);
  if (given.length === 0)
    return env.JOINEDUP_OIDC_NAME ? ['JOINEDUP_OIDC_NAME is set but JOINEDUP_OIDC_ISSUER is not'] : [];
  const errors: string[] = [];
  if (given.length < OIDC_SETTINGS.length) {
    const missing = OIDC_SETTINGS.filter((name) => !env[name]);
    errors.push(
      `OpenID Connect sign-in needs JOINEDUP_OIDC_ISSUER, JOINEDUP_OIDC_CLIENT_ID and JOINEDUP_OIDC_CLIENT_SECRET together; ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
    );
  }
  const issuer = env.JOINEDUP_OIDC_ISSUER;
  if (issuer) {
    let url: URL | null = null;
    try {
      url = new URL(issuer);
    } catch {}
    if (
      !url ||
      !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== '' ||
      url.password !== ''
    )
      errors.push(
        `JOINEDUP_OIDC_ISSUER must be the provider's https:// address with no query, such as https://login.example.nhs.uk (http:// only for localhost), not "${issuer}"`,
      );
  }
  const name = env.JOINEDUP_OIDC_NAME;
  if (name !== undefined && (name.trim() === '' || name.length > 80))
    errors.push('JOINEDUP_OIDC_NAME, the sign-in button label, must be between 1 and 80 characters');
  return errors;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every problem with the environment, in plain words; empty when it is usable. */
export function configErrors(env: Env): string[] {
  const errors: string[] = [];
  const port = env.PORT;
  if (port !== undefined && !/^\d{1,5}$/.test(port))
    errors.push(`PORT must be a whole number, not "${port}"`);
  else if (port !== undefined && (Number(port) < 0 || Number(port) > 65535))
    errors.push(`PORT must be between 0 and 65535, not ${port}`);
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '' && !/^postgres(ql)?:\/\//.test(url))
    errors.push('DATABASE_URL must start with postgres:// or postgresql://');
  const level = env.LOG_LEVEL;
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level))
    errors.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  if (env.JOINEDUP_SYNTH !== undefined && !['on', 'off'].includes(env.JOINEDUP_SYNTH))
    errors.push('JOINEDUP_SYNTH must be on or off');
  const people = env.JOINEDUP_SYNTH_PEOPLE;
  if (people !== undefined && !/^[1-9]\d{0,6}$/.test(people))
    errors.push('JOINEDUP_SYNTH_PEOPLE must be a whole number of people, such as 195500');
  const place = env.JOINEDUP_PLACE;
  if (place !== undefined && !/^[a-z][a-z0-9-]{0,40}$/.test(place))
    errors.push('JOINEDUP_PLACE must be a place pack id in lower case, such as "bury"');
  if (env.JOINEDUP_DEMO_USERS !== undefined && !['on', 'off'].includes(env.JOINEDUP_DEMO_USERS))
    errors.push('JOINEDUP_DEMO_USERS must be on or off');
  const gather = env.JOINEDUP_AUDIT_GATHER_MS;
  if (gather !== undefined && !(/^\d+$/.test(gather) && Number(gather) <= 100))
    errors.push('JOINEDUP_AUDIT_GATHER_MS must be a whole number of milliseconds from 0 to 100, such as 4');
  const uploads = env.JOINEDUP_UPLOADS_PER_HOUR;
  if (uploads !== undefined && !/^[1-9]\d{0,4}$/.test(uploads))
    errors.push('JOINEDUP_UPLOADS_PER_HOUR must be a whole number of files from 1 to 99999, such as 100');
  const proxies = env.JOINEDUP_TRUST_PROXY;
  if (proxies !== undefined && !/^(\d{1,2}|[0-9a-fA-F:./]+(,\s*[0-9a-fA-F:./]+)*)$/.test(proxies.trim()))
    errors.push(
      'JOINEDUP_TRUST_PROXY must be the addresses or ranges of the proxies in front of the server, separated by commas (such as 10.0.0.0/8,127.0.0.1), or a number of hops (such as 1)',
    );
  if (env.JOINEDUP_DEMO_USERS === 'on' && env.DATABASE_URL)
    errors.push('JOINEDUP_DEMO_USERS cannot be on with DATABASE_URL: a deployment has no demo accounts');
  const publicUrl = env.JOINEDUP_PUBLIC_URL;
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(publicUrl))
    errors.push(
      'JOINEDUP_PUBLIC_URL must be an http:// or https:// address with no path, such as https://joinedup.example.nhs.uk',
    );
  errors.push(...oidcErrors(env));
  return errors;
}

export function readConfig(env: Env = process.env): Config {
  const errors = configErrors(env);
  if (errors.length > 0) throw new Error(`The configuration is not usable:\n  - ${errors.join('\n  - ')}`);
  return Object.freeze({
    port: env.PORT === undefined ? 3000 : Number(env.PORT),
    host: env.HOST ?? 'localhost',
    databaseUrl: env.DATABASE_URL ? env.DATABASE_URL : null,
    dataDir: env.JOINEDUP_DATA_DIR ?? 'data',
    place: env.JOINEDUP_PLACE ?? 'bury',
    placePacksDir: env.JOINEDUP_PLACE_PACKS_DIR ?? 'place-packs',
    referenceDir: env.JOINEDUP_REFERENCE_DIR ?? 'reference',
    synthOnFirstStart: env.JOINEDUP_SYNTH !== 'off',
    synthPeople: env.JOINEDUP_SYNTH_PEOPLE === undefined ? null : Number(env.JOINEDUP_SYNTH_PEOPLE),
    logLevel: (env.LOG_LEVEL as Config['logLevel'] | undefined) ?? 'info',
    webDir: env.JOINEDUP_WEB_DIR ?? 'dist/web',
    publicUrl: (env.JOINEDUP_PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, ''),
    demoUsers: env.JOINEDUP_DEMO_USERS === undefined ? !env.DATABASE_URL : env.JOINEDUP_DEMO_USERS === 'on',
    oidc:
      env.JOINEDUP_OIDC_ISSUER && env.JOINEDUP_OIDC_CLIENT_ID && env.JOINEDUP_OIDC_CLIENT_SECRET
        ? Object.freeze({
            issuer: env.JOINEDUP_OIDC_ISSUER,
            clientId: env.JOINEDUP_OIDC_CLIENT_ID,
            clientSecret: env.JOINEDUP_OIDC_CLIENT_SECRET,
            name: env.JOINEDUP_OIDC_NAME?.trim() || DEFAULT_OIDC_NAME,
          })
        : null,
    auditGatherMs: env.JOINEDUP_AUDIT_GATHER_MS === undefined ? null : Number(env.JOINEDUP_AUDIT_GATHER_MS),
    uploadsPerHour:
      env.JOINEDUP_UPLOADS_PER_HOUR === undefined
        ? DEFAULT_UPLOADS_PER_HOUR
        : Number(env.JOINEDUP_UPLOADS_PER_HOUR),
    trustProxy: trustedProxies(env.JOINEDUP_TRUST_PROXY),
  });
}

/** JOINEDUP_TRUST_PROXY as Fastify takes it: a number of hops, the proxies' addresses, or none. */
function trustedProxies(given: string | undefined): readonly string[] | number | false {
  if (given === undefined) return false;
  const value = given.trim();
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((p) => p.trim());
}
