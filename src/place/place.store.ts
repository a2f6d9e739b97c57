// All the place model's SQL. Loading a place replaces that place's rows in one short transaction, so
// a crash mid-way leaves the previous place intact and other places are never touched.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { replaceDirectory } from '../directory/load-directory.store.ts';
import { placeChanged } from './place-cache.ts';
import type { PlacePack } from './place-pack.ts';

type Db = Kysely<Database>;

export async function replacePlace(db: Db, pack: PlacePack, packHash: string): Promise<void> {
  try {
    await writePlace(db, pack, packHash);
  } finally {
    placeChanged(db);
  }
}

async function writePlace(db: Db, pack: PlacePack, packHash: string): Promise<void> {
  const place = {
    name: pack.name,
    kind: pack.kind,
    lad_code: pack.ladCode,
    region: pack.region,
    population_residents: pack.population.residents,
    population_year: pack.population.year,
    population_source: pack.population.source,
    assignment_status: pack.assignmentStatus,
    pack_hash: packHash,
    loaded_at: new Date(),
  };
  await db.transaction().execute(async (tx) => {
    // The place row stays (people and other records refer to it); its areas, practices, teams,
    // agencies, practitioners and sites are replaced. Deleting neighbourhoods removes their wards,
    // LSOAs and practices with them.
    await tx
      .insertInto('place')
      .values({ id: pack.id, ...place })
      .onConflict((oc) => oc.column('id').doUpdateSet(place))
      .execute();
    await tx.deleteFrom('team').where('place_id', '=', pack.id).execute();
    await tx.deleteFrom('live_well_site').where('place_id', '=', pack.id).execute();
    await tx.deleteFrom('neighbourhood').where('place_id', '=', pack.id).execute();
    await tx
      .insertInto('neighbourhood')
      .values(pack.neighbourhoods.map((n, i) => ({ place_id: pack.id, ...n, sort_order: i })))
      .execute();
    await tx
      .insertInto('ward')
      .values(
        pack.wards.map((w) => ({
          place_id: pack.id,
          code: w.code,
          name: w.name,
          neighbourhood_code: w.neighbourhood,
          assignment: w.assignment,
          evidence: w.evidence,
          boundary: JSON.stringify(pack.wardBoundaries.get(w.code)),
        })),
      )
      .execute();
    await tx
      .insertInto('lsoa')
      .values(
        pack.lsoas.map((l) => ({
          place_id: pack.id,
          code: l.code,
          name: l.name,
          ward_code: l.ward,
          neighbourhood_code: l.neighbourhood,
          msoa_code: l.msoaCode,
          msoa_name: l.msoaName,
          imd2019_rank: l.imd2019Rank,
          imd2019_decile: l.imd2019Decile,
          imd2025_score: l.imd2025Score,
          imd2025_rank: l.imd2025Rank,
          imd2025_decile: l.imd2025Decile,
          households_2021: l.households2021,
          population_mid2020: l.populationMid2020,
          boundary: JSON.stringify(pack.lsoaBoundaries.get(l.code)),
        })),
      )
      .execute();
    if (pack.practices.length > 0)
      await tx
        .insertInto('practice')
        .values(
          pack.practices.map((p) => ({
            place_id: pack.id,
            ods_code: p.odsCode,
            name: p.name,
            pcn_code: p.pcnCode,
            pcn_name: p.pcnName,
            neighbourhood_code: p.neighbourhood,
            postcode: p.postcode,
            is_open: p.isOpen,
            list_size_2021: p.listSize2021,
            assignment: p.assignment,
            evidence: p.evidence,
          })),
        )
        .execute();
    if (pack.teams.length > 0)
      await tx
        .insertInto('team')
        .values(
          pack.teams.map((t) => ({
            place_id: pack.id,
            id: t.id,
            name: t.name,
            kind: t.kind,
            neighbourhood_code: t.neighbourhood,
          })),
        )
        .execute();
    if (pack.teamRoles.length > 0)
      await tx
        .insertInto('team_role')
        .values(
          pack.teamRoles.map((r, i) => ({
            place_id: pack.id,
            team_id: r.team,
            ...withoutTeam(r),
            sort_order: i,
          })),
        )
        .execute();
    // Agencies: the pack's, and one for each GP practice, keyed by its ODS code.
    await tx.deleteFrom('agency').where('place_id', '=', pack.id).execute();
    const agencies = [
      ...pack.agencies,
      ...pack.practices.map((p) => ({ id: p.odsCode, name: p.name, kind: 'gp-practice' as const })),
    ];
    if (agencies.length > 0)
      await tx
        .insertInto('agency')
        .values(agencies.map((a) => ({ place_id: pack.id, ...a })))
        .execute();
    // Practitioners are updated in place, not deleted and re-added, so a staff account linked to one
    // stays linked while its id is still in the pack.
    let gone = tx.deleteFrom('practitioner').where('place_id', '=', pack.id);
    if (pack.practitioners.length > 0)
      gone = gone.where(
        'id',
        'not in',
        pack.practitioners.map((p) => p.id),
      );
    await gone.execute();
    if (pack.practitioners.length > 0)
      await tx
        .insertInto('practitioner')
        .values(
          pack.practitioners.map((p, i) => ({
            place_id: pack.id,
            id: p.id,
            team_id: p.team,
            agency_id: p.agency,
            title: p.title,
            sort_order: i,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['place_id', 'id']).doUpdateSet((eb) => ({
            team_id: eb.ref('excluded.team_id'),
            agency_id: eb.ref('excluded.agency_id'),
            title: eb.ref('excluded.title'),
            sort_order: eb.ref('excluded.sort_order'),
          })),
        )
        .execute();
    if (pack.liveWell.length > 0)
      await tx
        .insertInto('live_well_site')
        .values(
          pack.liveWell.map((s) => ({
            place_id: pack.id,
            id: s.id,
            name: s.name,
            kind: s.kind,
            town: s.town,
            neighbourhood_codes: sql<string[]>`${sql.val(s.neighbourhoods)}::text[]`,
            rollout_year: s.rolloutYear,
            rollout_year_end: s.rolloutYearEnd,
            summary: s.summary,
          })),
        )
        .execute();
    // The services directory changes with the rest of the place, in the same transaction.
    await replaceDirectory(tx, pack.id, pack.directory);
  });
}

const withoutTeam = ({ role, title, responsibility }: PlacePack['teamRoles'][number]) => ({
  role,
  title,
  responsibility,
});

export async function placeHash(db: Db, placeId: string): Promise<string | null> {
  const row = await db.selectFrom('place').select('pack_hash').where('id', '=', placeId).executeTakeFirst();
  return row?.pack_hash ?? null;
}

export function listPlaces(db: Db) {
  return db
    .selectFrom('place')
    .select(['id', 'name', 'kind', 'lad_code as ladCode', 'region', 'loaded_at as loadedAt'])
    .orderBy('name')
    .execute();
}

export function findPlace(db: Db, placeId: string) {
  return db
    .selectFrom('place')
    .select([
      'id',
      'name',
      'kind',
      'lad_code as ladCode',
      'region',
      'population_residents as populationResidents',
      'population_year as populationYear',
      'population_source as populationSource',
      'assignment_status as assignmentStatus',
      'loaded_at as loadedAt',
    ])
    .where('id', '=', placeId)
    .executeTakeFirst();
}

/** Per neighbourhood: size, population and deprivation mix, in one set-based query. */
export function neighbourhoodSummaries(db: Db, placeId: string, neighbourhoodCode?: string) {
  let query = db
    .selectFrom('neighbourhood as n')
    .leftJoin('lsoa as l', (j) =>
      j.onRef('l.place_id', '=', 'n.place_id').onRef('l.neighbourhood_code', '=', 'n.code'),
    )
    .select((eb) => [
      'n.code',
      'n.name',
      'n.towns',
      eb.fn.count<number>('l.code').as('lsoaCount'),
      eb.fn.coalesce(eb.fn.sum<number>('l.population_mid2020'), sql<number>`0`).as('population'),
      eb.fn.coalesce(eb.fn.sum<number>('l.households_2021'), sql<number>`0`).as('households'),
      sql<number[]>`array(select count(x.code)::int from generate_series(1, 10) d
        left join lsoa x on x.place_id = n.place_id and x.neighbourhood_code = n.code and x.imd2019_decile = d
        group by d order by d)`.as('lsoasByImd2019Decile'),
      sql<number[]>`array(select coalesce(sum(x.population_mid2020), 0)::int from generate_series(1, 10) d
        left join lsoa x on x.place_id = n.place_id and x.neighbourhood_code = n.code and x.imd2019_decile = d
        group by d order by d)`.as('populationByImd2019Decile'),
      sql<number>`coalesce(round((sum(l.imd2025_score * l.population_mid2020) / nullif(sum(l.population_mid2020), 0))::numeric, 1), 0)`.as(
        'imd2025ScoreWeighted',
      ),
      sql<number>`(select count(*)::int from ward w where w.place_id = n.place_id and w.neighbourhood_code = n.code)`.as(
        'wardCount',
      ),
      sql<number>`(select count(*)::int from practice p where p.place_id = n.place_id and p.neighbourhood_code = n.code and p.is_open)`.as(
        'practiceCount',
      ),
    ])
    .where('n.place_id', '=', placeId)
    .groupBy(['n.place_id', 'n.code', 'n.name', 'n.towns', 'n.sort_order'])
    .orderBy('n.sort_order');
  if (neighbourhoodCode !== undefined) query = query.where('n.code', '=', neighbourhoodCode);
  return query.execute();
}

export function wardsOf(db: Db, placeId: string, neighbourhoodCode: string) {
  return db
    .selectFrom('ward as w')
    .leftJoin('lsoa as l', (j) =>
      j.onRef('l.place_id', '=', 'w.place_id').onRef('l.ward_code', '=', 'w.code'),
    )
    .select((eb) => [
      'w.code',
      'w.name',
      'w.assignment',
      'w.evidence',
      eb.fn.count<number>('l.code').as('lsoaCount'),
      eb.fn.coalesce(eb.fn.sum<number>('l.population_mid2020'), sql<number>`0`).as('population'),
      sql<number>`count(*) filter (where l.imd2019_decile <= 2)::int`.as('lsoasInMostDeprived20'),
    ])
    .where('w.place_id', '=', placeId)
    .where('w.neighbourhood_code', '=', neighbourhoodCode)
    .groupBy(['w.code', 'w.name', 'w.assignment', 'w.evidence'])
    .orderBy('w.name')
    .execute();
}

export function lsoasOf(db: Db, placeId: string, neighbourhoodCode?: string) {
  let query = db
    .selectFrom('lsoa as l')
    .innerJoin('ward as w', (j) =>
      j.onRef('w.place_id', '=', 'l.place_id').onRef('w.code', '=', 'l.ward_code'),
    )
    .select([
      'l.code',
      'l.name',
      'l.ward_code as wardCode',
      'w.name as wardName',
      'l.neighbourhood_code as neighbourhood',
      'l.msoa_name as msoaName',
      'l.imd2019_rank as imd2019Rank',
      'l.imd2019_decile as imd2019Decile',
      'l.imd2025_score as imd2025Score',
      'l.imd2025_decile as imd2025Decile',
      'l.households_2021 as households2021',
      'l.population_mid2020 as populationMid2020',
    ])
    .where('l.place_id', '=', placeId)
    .orderBy('l.imd2019_rank');
  if (neighbourhoodCode !== undefined) query = query.where('l.neighbourhood_code', '=', neighbourhoodCode);
  return query.execute();
}

export function practicesOf(db: Db, placeId: string, neighbourhoodCode?: string) {
  let query = db
    .selectFrom('practice')
    .select([
      'ods_code as odsCode',
      'name',
      'pcn_code as pcnCode',
      'pcn_name as pcnName',
      'neighbourhood_code as neighbourhood',
      'postcode',
      'is_open as isOpen',
      'list_size_2021 as listSize2021',
      'assignment',
      'evidence',
    ])
    .where('place_id', '=', placeId)
    .orderBy('name');
  if (neighbourhoodCode !== undefined) query = query.where('neighbourhood_code', '=', neighbourhoodCode);
  return query.execute();
}

export async function teamsOf(db: Db, placeId: string, neighbourhoodCode: string) {
  const teams = await db
    .selectFrom('team')
    .select(['id', 'name', 'kind'])
    .where('place_id', '=', placeId)
    .where('neighbourhood_code', '=', neighbourhoodCode)
    .orderBy('name')
    .execute();
  const roles = await db
    .selectFrom('team_role')
    .select(['team_id as team', 'role', 'title', 'responsibility'])
    .where('place_id', '=', placeId)
    .where('team_id', 'in', teams.length > 0 ? teams.map((t) => t.id) : [''])
    .orderBy('sort_order')
    .execute();
  return teams.map((t) => ({
    ...t,
    roles: roles.filter((r) => r.team === t.id).map(({ team: _, ...r }) => r),
  }));
}

export function liveWellSites(db: Db, placeId: string, neighbourhoodCode?: string) {
  let query = db
    .selectFrom('live_well_site')
    .select([
      'id',
      'name',
      'kind',
      'town',
      'neighbourhood_codes as neighbourhoods',
      'rollout_year as rolloutYear',
      'rollout_year_end as rolloutYearEnd',
      'summary',
    ])
    .where('place_id', '=', placeId)
    .orderBy('rollout_year')
    .orderBy('town');
  if (neighbourhoodCode !== undefined)
    query = query.where(sql<boolean>`${neighbourhoodCode} = any(neighbourhood_codes)`);
  return query.execute();
}

/** LSOA boundaries as one GeoJSON FeatureCollection, built inside the database. */
export async function lsoaBoundaries(db: Db, placeId: string, neighbourhoodCode?: string) {
  const result = await sql<{ collection: unknown }>`
    select json_build_object(
      'type', 'FeatureCollection',
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'properties', json_build_object(
          'code', l.code, 'name', l.name, 'ward', w.name, 'neighbourhood', l.neighbourhood_code,
          'imd2019Decile', l.imd2019_decile, 'imd2025Decile', l.imd2025_decile),
        'geometry', l.boundary) order by l.code), '[]'::json)) as collection
    from lsoa l join ward w on w.place_id = l.place_id and w.code = l.ward_code
    where l.place_id = ${placeId}
      and (${neighbourhoodCode ?? null}::text is null or l.neighbourhood_code = ${neighbourhoodCode ?? null})`.execute(
    db,
  );
  return result.rows[0]?.collection;
}

/** Ward boundaries as one GeoJSON FeatureCollection, built inside the database. */
export async function wardBoundaries(db: Db, placeId: string, neighbourhoodCode?: string) {
  const result = await sql<{ collection: unknown }>`
    select json_build_object(
      'type', 'FeatureCollection',
      'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'properties', json_build_object('code', w.code, 'name', w.name, 'neighbourhood', w.neighbourhood_code),
        'geometry', w.boundary) order by w.code), '[]'::json)) as collection
    from ward w
    where w.place_id = ${placeId}
      and (${neighbourhoodCode ?? null}::text is null or w.neighbourhood_code = ${neighbourhoodCode ?? null})`.execute(
    db,
  );
  return result.rows[0]?.collection;
}
