// Opens the configured database and brings its schema up to date; closes it cleanly on SIGINT/SIGTERM.
import type { Config } from '../core/config.ts';
import { createDb, type Db } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  const db = await createDb(config);
  try {
    await migrateToLatest(db.kysely);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/** Runs `cleanup` once on the first SIGINT or SIGTERM, then exits (130 for Ctrl-C, 143 for TERM). */
export function onShutdown(cleanup: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    cleanup()
      .catch((e) => console.error(`Problem while stopping: ${(e as Error).message}`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handle);
  process.once('SIGTERM', handle);
}
