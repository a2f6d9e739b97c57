// The in-memory cache of what is read from a place's reference data.
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.ts';
import { exclusiveDatabases } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/**
 * A place's reference data change only when its pack is loaded again, so what is read from it is kept
 * in memory, keyed by the place's load stamp. On a server database each read costs one primary-key
 * lookup of the stamp, so a pack loaded by another process is seen at once; on the embedded database
 * no other process can write, so this process's own loads (counted by `placeChanged`) are enough.
 */
const caches = new WeakMap<Db, Map<string, { stamp: string; value: Promise<unknown> }>>();
const localChanges = new WeakMap<Db, number>();

/** Called by the store after a place is replaced. */
export function placeChanged(db: Db): void {
  localChanges.set(db, (localChanges.get(db) ?? 0) + 1);
}

async function placeStamp(db: Db, placeId: string): Promise<string> {
  if (exclusiveDatabases.has(db)) return `local|${localChanges.get(db) ?? 0}`;
  const row = await db
    .selectFrom('place')
    .select(['pack_hash', 'loaded_at'])
    .where('id', '=', placeId)
    .executeTakeFirst();
  if (!row) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  return `${row.pack_hash}|${new Date(row.loaded_at).getTime()}`;
}

export async function readThroughPlaceCache<T>(
  db: Db,
  placeId: string,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  const stamp = await placeStamp(db, placeId);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const slot = `${placeId}|${key}`;
  const hit = cache.get(slot);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = read();
  cache.set(slot, { stamp, value });
  value.catch(() => cache.delete(slot));
  return value;
}
