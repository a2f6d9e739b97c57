// Test support: fresh, migrated databases for integration tests. PGlite always (cloned from a
// migrated template, ~0.5 s instead of initdb's ~3 s); PostgreSQL too when DATABASE_URL names a
// server, each database created for the test and dropped after it, so test files run in parallel.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { createDb, type Db, openPglite, wrapPglite } from './create-db.ts';
import { MIGRATIONS_DIR, migrateToLatest } from './migrate.ts';

export interface DbTarget {
  name: 'pglite' | 'postgres';
  /** A new, empty, migrated database; close() also drops it (PostgreSQL). */
  open(): Promise<Db>;
}

const CACHE_DIR = path.resolve('node_modules/.cache/joinedup');

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file);
    hash.update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(CACHE_DIR, `pglite-template-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const pglite = await openPglite({});
  const db = wrapPglite(pglite, 'memory://template');
  await migrateToLatest(db.kysely);
  const dump = await pglite.dumpDataDir('gzip');
  await db.close();
  const bytes = Buffer.from(await dump.arrayBuffer());
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file); // atomic: parallel test files never read half a template
  return new Blob([bytes]);
}

export async function openTestPglite(): Promise<Db> {
  const pglite = await openPglite({ loadDataDir: await pgliteTemplate() });
  return wrapPglite(pglite, 'memory://test');
}

export async function openTestPostgres(serverUrl: string): Promise<Db> {
  const name = `joinedup_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), dataDir: '' });
  await migrateToLatest(db.kysely);
  return {
    kysely: db.kysely,
    kind: db.kind,
    location: db.location,
    copyCsv: db.copyCsv,
    connections: db.connections,
    async close() {
      await db.close();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      try {
        await drop.query(`drop database if exists ${name} with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** The databases integration tests run on: PGlite, and PostgreSQL when DATABASE_URL is set. */
export function dbTargets(): DbTarget[] {
  const targets: DbTarget[] = [{ name: 'pglite', open: openTestPglite }];
  const url = process.env.DATABASE_URL;
  if (url) targets.push({ name: 'postgres', open: () => openTestPostgres(url) });
  return targets;
}

/**
 * Runs `fn` while every row inserted into `table` first runs this PL/pgSQL body: a fault injected, such
 * as `begin raise exception 'the disk is full' using errcode = '53100'; end`. Removed afterwards.
 */
export async function withInsertTrigger<T>(
  // biome-ignore lint/suspicious/noExplicitAny: any schema
  db: Kysely<any>,
  table: string,
  body: string,
  fn: () => Promise<T>,
): Promise<T> {
  const name = sql.id(`test_${table}_insert`);
  try {
    await sql`create function ${name}() returns trigger language plpgsql as $$ ${sql.raw(body)} $$`.execute(
      db,
    );
    await sql`create trigger ${name} before insert on ${sql.table(table)}
      for each row execute function ${name}()`.execute(db);
    return await fn();
  } finally {
    await sql`drop trigger if exists ${name} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ${name}()`.execute(db);
  }
}

/**
 * Runs `fn` while `table` is renamed away, so that any statement reading it fails (a fault injected
 * after the writes before it); renamed back afterwards.
 */
export async function withTableAway<T>(
  // biome-ignore lint/suspicious/noExplicitAny: any schema
  db: Kysely<any>,
  table: string,
  fn: () => Promise<T>,
): Promise<T> {
  await sql`alter table ${sql.table(table)} rename to ${sql.id(`${table}_away`)}`.execute(db);
  try {
    return await fn();
  } finally {
    await sql`alter table ${sql.table(`${table}_away`)} rename to ${sql.id(table)}`.execute(db);
  }
}
