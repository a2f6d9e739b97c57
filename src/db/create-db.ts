// createDb(config) → the embedded PGlite (default) or a PostgreSQL pool (DATABASE_URL). One SQL
// dialect, the same migrations and queries, and the same type parsers on both drivers so values
// read back identically: int8 and numeric as numbers, date as a plain 'YYYY-MM-DD' string.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { packageVersion } from '../core/package-version.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';

export type DbKind = 'pglite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly kind: DbKind;
  /** Where the data lives, for messages: a folder or a server address without credentials. */
  readonly location: string;
  /**
   * Bulk-loads CSV text (PostgreSQL's CSV format: an unquoted empty field is NULL) into a table with
   * COPY: from a stream on a server, from a blob on PGlite. Runs on its own connection, serialised with
   * other queries on PGlite.
   */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
  /** How a server's pool of connections stands now; null for the embedded database, which has one. */
  connections(): Connections | null;
  /** Checkpoints (PGlite), closes the connection(s) and releases the data-folder lock. */
  close(): Promise<void>;
}

export interface Connections {
  /** Open, or being opened: in use, idle or connecting. */
  open: number;
  /** Held by a query or transaction now. */
  inUse: number;
  idle: number;
  /** Queries waiting for a connection to come free. */
  waiting: number;
  max: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
function copyStatement(table: string, columns: readonly string[], source: string): string {
  for (const name of [table, ...columns])
    if (!IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
  return `copy ${table} (${columns.join(', ')}) from ${source} with (format csv)`;
}

export interface DbConfig {
  databaseUrl: string | null;
  dataDir: string;
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const asNumber = (v: string) => (v === null ? v : Number(v));
const asText = (v: string) => v;

export async function createDb(config: DbConfig): Promise<Db> {
  return config.databaseUrl ? createPostgres(config.databaseUrl) : createPglite(config.dataDir);
}

/**
 * How long a query waits for a connection: to be made, or to come free when all ten are in use. A server
 * that cannot be reached (its network gone, so nothing answers) then fails a request with "not reachable
 * just now" in seconds, not after the system's own connect timeout of about two minutes, while the
 * requests behind it pile up. Ten seconds is far beyond any wait for a free connection under load. A
 * connection already open whose network goes silent is found out by TCP keepalive, whose first probe
 * goes after ten idle seconds; a statement running at the time waits for that (stratifying a city
 * region runs statements of tens of seconds, so statements have no time limit of their own).
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Connections a server process keeps to a database server at most. */
const POOL_SIZE = 10;

function createPostgres(url: string): Db {
  const parsers: Record<number, (v: string) => unknown> = {
    [OID.INT8]: asNumber,
    [OID.NUMERIC]: asNumber,
    [OID.DATE]: asText,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server must not crash the process. Idle, the pool drops it (its 'error' event);
  // in use, the query it was running fails with the error, and so does the next, and the pool drops it
  // when it is given back; the client's own 'error' event, with no listener, would be thrown.
  pool.on('error', () => {});
  // Connections held now: the pool's total also counts those still connecting (a server not answering).
  let inUse = 0;
  pool.on('acquire', () => inUse++);
  pool.on('release', () => inUse--);
  pool.on('connect', (client) => client.on('error', () => {}));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    kysely,
    kind: 'postgres',
    location: `${u.hostname}:${u.port || 5432}${u.pathname}`,
    connections: () => ({
      open: pool.totalCount,
      inUse,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: POOL_SIZE,
    }),
    async copyCsv(table, columns, csv) {
      const client = await pool.connect();
      try {
        const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
        await pipeline(Readable.from([csv]), stream);
      } finally {
        client.release();
      }
    },
    close: () => kysely.destroy(),
  };
}

/** The PGlite release that wrote a data folder; a folder written by another major cannot be opened. */
const STORE_FILE = 'joinedup-store.json';

function checkStoreVersion(dataDir: string, version: string): void {
  const file = path.join(dataDir, STORE_FILE);
  if (!existsSync(file)) return;
  const stored = (JSON.parse(readFileSync(file, 'utf8')) as { pglite: string }).pglite;
  const series = (v: string) => v.split('.').slice(0, 2).join('.');
  if (series(stored) !== series(version)) {
    throw new Error(
      `The data folder ${path.resolve(dataDir)} was written by embedded PostgreSQL (PGlite) ${stored}, ` +
        `but this version of Joined Up uses ${version}, which cannot open it. ` +
        'Export what you need with the version that wrote it, or start with an empty folder ' +
        '(move the old one aside, or set JOINEDUP_DATA_DIR).',
    );
  }
}

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  const pglite = new PGlite({
    ...options,
    parsers: {
      [pgliteTypes.INT8]: asNumber,
      [pgliteTypes.NUMERIC]: asNumber,
      [pgliteTypes.DATE]: asText,
    },
  });
  await pglite.waitReady;
  return pglite;
}

async function createPglite(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    const version = packageVersion('@electric-sql/pglite');
    checkStoreVersion(dataDir, version);
    const pglite = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
    writeFileSync(path.join(dataDir, STORE_FILE), `${JSON.stringify({ pglite: version })}\n`);
    return wrapPglite(pglite, path.resolve(dataDir), release);
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * Databases no other process can write to (an embedded PGlite behind its data-folder lock, or an
 * in-memory one): a cache of their contents can be kept valid by this process alone.
 */
export const exclusiveDatabases = new WeakSet<Kysely<Database>>();

/** Wraps an open PGlite as a Db; used for the data folder and for in-memory test databases. */
export function wrapPglite(pglite: PGlite, location: string, release: () => void = () => {}): Db {
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  exclusiveDatabases.add(kysely);
  let closing: Promise<void> | null = null;
  return {
    kysely,
    kind: 'pglite',
    connections: () => null,
    location,
    async copyCsv(table, columns, csv) {
      // Holding a Kysely connection serialises the COPY with every other query on the one connection.
      await kysely.connection().execute(async () => {
        await pglite.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) });
      });
    },
    close() {
      closing ??= (async () => {
        try {
          if (!pglite.closed) await sql`CHECKPOINT`.execute(kysely);
          await kysely.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          release();
        }
      })();
      return closing;
    },
  };
}
