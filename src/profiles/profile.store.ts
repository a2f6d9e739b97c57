// Reading the stored profiles: one row per placemat, map layer, series and dashboard, served as stored.
import { type Kysely, sql } from 'kysely';
import type { Database, ProfileSnapshotTable } from '../db/database.ts';

/** The stored JSON of one snapshot as text (it is sent as it is), or undefined when there is none. */
export async function snapshotText(
  db: Kysely<Database>,
  placeId: string,
  kind: ProfileSnapshotTable['kind'],
  key: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('profile_snapshot')
    .select(sql<string>`body::text`.as('body'))
    .where('place_id', '=', placeId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.body;
}

/** The stored JSON of one snapshot, parsed. */
export async function snapshot<T>(
  db: Kysely<Database>,
  placeId: string,
  kind: ProfileSnapshotTable['kind'],
  key: string,
): Promise<T | undefined> {
  const text = await snapshotText(db, placeId, kind, key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
