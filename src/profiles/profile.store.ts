// The profiles' SQL outside the one counting statement (profile-counts.store.ts): the place and its areas,
// the long-term conditions, the people left out, and the stored snapshots, read and replaced.
import { type Kysely, sql } from 'kysely';
import type { Database, ProfileSnapshotTable } from '../db/database.ts';
import type { LsoaInfo } from './profile-cells.ts';

type Db = Kysely<Database>;

/** The place with its areas, its long-term conditions and its last stratification date; undefined when there is no such place. */
export async function profileSources(db: Db, placeId: string) {
  const place = await db
    .selectFrom('place')
    .select(['id', 'name'])
    .where('id', '=', placeId)
    .executeTakeFirst();
  if (!place) return undefined;
  const [run, neighbourhoods, wards, lsoas, conditions] = await Promise.all([
    db.selectFrom('stratification_run').select('as_of').where('place_id', '=', placeId).executeTakeFirst(),
    db
      .selectFrom('neighbourhood')
      .select(['code', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('ward')
      .select(['code', 'name', 'neighbourhood_code as neighbourhoodCode'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('lsoa')
      .select([
        'code',
        'name',
        'ward_code as wardCode',
        'neighbourhood_code as neighbourhoodCode',
        'imd2019_decile as imdDecile',
        'imd2019_rank as imdRank',
      ])
      .where('place_id', '=', placeId)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('risk_code')
      .select(['item as id', 'label'])
      .distinct()
      .where('model', '=', 'ltc')
      .orderBy('label')
      .execute(),
  ]);
  return { place, asOf: run?.as_of ?? null, neighbourhoods, wards, lsoas: lsoas as LsoaInfo[], conditions };
}

/** Residents of the place's LSOAs on a day who opted out of the use of their data for planning. */
export async function countOptedOut(db: Db, placeId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('person as p')
    .innerJoin('lsoa as l', (j) =>
      j.onRef('l.place_id', '=', 'p.place_id').onRef('l.code', '=', 'p.lsoa_code'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.place_id', '=', placeId)
    .where((eb) => eb.or([eb('p.national_data_opt_out', '=', true), eb('p.type1_objection', '=', true)]))
    .where('p.date_of_birth', '<=', day)
    .where((eb) => eb.or([eb('p.date_of_death', 'is', null), eb('p.date_of_death', '>', day)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface Snapshot {
  kind: ProfileSnapshotTable['kind'];
  key: string;
  body: unknown;
}

/** Replaces a place's snapshots and its run record in one transaction. */
export async function replaceSnapshots(
  db: Db,
  placeId: string,
  snapshots: readonly Snapshot[],
  run: () => {
    reference_date: string;
    milliseconds: number;
    people_counted: number;
    people_opted_out: number;
    cells: number;
    cells_suppressed: number;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('profile_snapshot').where('place_id', '=', placeId).execute();
    for (let i = 0; i < snapshots.length; i += 200)
      await trx
        .insertInto('profile_snapshot')
        .values(
          snapshots
            .slice(i, i + 200)
            .map((r) => ({ place_id: placeId, kind: r.kind, key: r.key, body: JSON.stringify(r.body) })),
        )
        .execute();
    const record = { ...run(), computed_at: sql<Date>`now()` };
    await trx
      .insertInto('profile_run')
      .values({ place_id: placeId, ...record })
      .onConflict((oc) => oc.column('place_id').doUpdateSet(record))
      .execute();
  });
}

/** Whether a place has profiles. */
export async function hasProfiles(db: Db, placeId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('profile_run')
      .select('place_id')
      .where('place_id', '=', placeId)
      .executeTakeFirst()) !== undefined
  );
}

/** The stored JSON of one snapshot as text (it is sent as it is), or undefined when there is none. */
export async function snapshotText(
  db: Db,
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
