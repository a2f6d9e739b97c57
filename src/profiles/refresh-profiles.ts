// Refreshing a place's profiles and outcomes framework: count everything by LSOA in one statement,
// add the counts up the areas, disclose every published count at once (so that secondary suppression
// sees every sum that ties two published figures), compute each placemat, map layer and indicator series,
// and replace the place's stored snapshots in one transaction. Runs after every stratification, so after
// generation and import too; readers see the old profiles until the new ones are committed.
import { sql } from 'kysely';
import { discloseLinked } from '../access/disclosure.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { outcomesCatalogue } from '../outcomes/catalogue.ts';
import {
  addQuarterCounts,
  buildAllSeries,
  buildDashboard,
  seriesAreas,
  seriesCells,
} from '../outcomes/series.ts';
import { SEGMENTS } from '../risk/segments.ts';
import { figureSpecs } from './figures.ts';
import {
  buildMapLayer,
  buildPlacemat,
  deriveLsoaCells,
  inequalityInLifeExpectancy,
  type Placemat,
  placematCells,
  placematKeys,
} from './placemats.ts';
import { areaCounts, areaTree, type LsoaInfo } from './profile-cells.ts';
import { profilePeriods, readLsoaCells } from './profile-counts.store.ts';

export interface RefreshOutcome {
  place: string;
  referenceDate: string;
  placemats: number;
  mapLayers: number;
  series: number;
  cells: number;
  cellsSuppressed: number;
  peopleCounted: number;
  peopleOptedOut: number;
  milliseconds: number;
}

/**
 * Every count a place publishes in its profiles, maps and series, the sums that tie them, and each as
 * disclosed: what a refresh computes before it builds the pages' figures.
 */
export async function publishedCounts(db: Db, placeId: string) {
  const k = db.kysely;
  const place = await k
    .selectFrom('place')
    .select(['id', 'name'])
    .where('id', '=', placeId)
    .executeTakeFirst();
  if (!place) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  const run = await k
    .selectFrom('stratification_run')
    .select('as_of')
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  if (!run)
    throw new AppError(
      'conflict',
      `${place.name} has not been stratified yet. Run "joinedup stratify" first.`,
    );
  const periods = profilePeriods(run.as_of);

  const [neighbourhoods, wards, lsoaRows, conditions] = await Promise.all([
    k
      .selectFrom('neighbourhood')
      .select(['code', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('sort_order')
      .execute(),
    k
      .selectFrom('ward')
      .select(['code', 'name', 'neighbourhood_code as neighbourhoodCode'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
    k
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
    k
      .selectFrom('risk_code')
      .select(['item as id', 'label'])
      .distinct()
      .where('model', '=', 'ltc')
      .orderBy('label')
      .execute(),
  ]);
  const lsoas: LsoaInfo[] = lsoaRows;
  const areas = areaTree(place, neighbourhoods, wards, lsoas);
  const segments = SEGMENTS.map((s) => ({ id: s.id, label: s.label }));

  const lsoaCells = deriveLsoaCells(await readLsoaCells(k, placeId, periods), lsoas);
  const counts = areaCounts(areas, lsoaCells);
  for (const area of seriesAreas(areas)) addQuarterCounts(counts.get(area.key) ?? new Map(), periods);

  // Every published count, disclosed together.
  const keys = placematKeys(
    conditions.map((c) => c.id),
    segments.map((s) => s.id),
  );
  const placematPart = placematCells(areas, counts, keys);
  const seriesPart = seriesCells(areas, counts, periods);
  const cells = new Map([...placematPart.cells, ...seriesPart.cells]);
  const sums = [...placematPart.sums, ...seriesPart.sums];
  const disclosed = discloseLinked({ counts: cells, sums });
  return { periods, areas, lsoas, counts, conditions, segments, cells, sums, disclosed };
}

/** Recomputes and stores every profile and indicator of a place, as of its last stratification. */
export async function refreshProfiles(db: Db, placeId: string): Promise<RefreshOutcome> {
  const started = performance.now();
  const k = db.kysely;
  const { periods, areas, lsoas, counts, conditions, segments, disclosed } = await publishedCounts(
    db,
    placeId,
  );
  const cellsSuppressed = [...disclosed.values()].filter((d) => d.isSuppressed).length;

  const specs = figureSpecs(conditions, segments);
  const lsoaCounts = new Map(
    lsoas.map((l) => [l.code, counts.get(`lsoa:${l.code}`) ?? new Map<string, number>()]),
  );
  const inequality = inequalityInLifeExpectancy(lsoaCounts, lsoas);
  const boroughArea = [...areas.values()].find((a) => a.kind === 'borough');
  if (!boroughArea) throw new Error('the area tree has no borough');
  const common = { areas, counts, disclosed, specs, inequality, periods };
  const borough = buildPlacemat({
    ...common,
    area: boroughArea,
    borough: { figures: new Map(), lifeExpectancy: new Map() },
  });
  const boroughValues = {
    figures: new Map(borough.figures.map((f) => [f.id, f.value])),
    lifeExpectancy: new Map(borough.lifeExpectancy.map((le) => [`${le.sex}|${le.age}`, le.value])),
  };
  const placemats: Placemat[] = [borough];
  for (const area of areas.values())
    if (area.kind === 'neighbourhood' || area.kind === 'ward')
      placemats.push(buildPlacemat({ ...common, area, borough: boroughValues }));

  const mapLayers = specs.flatMap((spec) =>
    (['ward', 'lsoa'] as const)
      .filter((level) => level === 'ward' || spec.smallest === 'lsoa')
      .map((level) =>
        buildMapLayer({
          spec,
          level,
          areas,
          counts,
          disclosed,
          boroughValue: boroughValues.figures.get(spec.id) ?? null,
          referenceDate: periods.referenceDate,
        }),
      ),
  );
  const series = buildAllSeries({ catalogue: outcomesCatalogue(), areas, counts, disclosed, periods });
  const dashboard = buildDashboard(series);

  const boroughPeople = counts.get(boroughArea.key)?.get('pop') ?? 0;
  const optedOut = await k
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('place_id', '=', placeId)
    .where((eb) => eb.or([eb('national_data_opt_out', '=', true), eb('type1_objection', '=', true)]))
    .where('date_of_birth', '<=', periods.referenceDate)
    .where((eb) => eb.or([eb('date_of_death', 'is', null), eb('date_of_death', '>', periods.referenceDate)]))
    .executeTakeFirstOrThrow();

  const rows = [
    ...placemats.map((p) => ({ kind: 'placemat' as const, key: `${p.area.kind}:${p.area.code}`, body: p })),
    ...mapLayers.map((m) => ({ kind: 'map' as const, key: `${m.figure.id}:${m.level}`, body: m })),
    ...series.map((s) => ({
      kind: 'series' as const,
      key: `${s.indicator.id}:${s.area.kind}:${s.area.code}:${s.period}`,
      body: s,
    })),
    {
      kind: 'dashboard' as const,
      key: 'index',
      body: {
        referenceDate: periods.referenceDate,
        computedAt: new Date().toISOString(),
        peopleCounted: boroughPeople,
        peopleOptedOut: optedOut.n,
        areas: placemats.map((p) => ({ ...p.area, parent: p.parent?.code ?? null })),
        figures: specs.map((spec) => ({
          id: spec.id,
          label: spec.label,
          unit: spec.unit,
          levels: spec.smallest === 'lsoa' ? ['ward', 'lsoa'] : ['ward'],
        })),
      },
    },
    {
      kind: 'dashboard' as const,
      key: 'all',
      body: {
        referenceDate: periods.referenceDate,
        catalogueVersion: outcomesCatalogue().version,
        rows: dashboard,
      },
    },
  ];
  let milliseconds = 0;
  await k.transaction().execute(async (trx) => {
    await trx.deleteFrom('profile_snapshot').where('place_id', '=', placeId).execute();
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('profile_snapshot')
        .values(
          rows
            .slice(i, i + 200)
            .map((r) => ({ place_id: placeId, kind: r.kind, key: r.key, body: JSON.stringify(r.body) })),
        )
        .execute();
    }
    // The time taken, up to the last statement: reading, computing and writing.
    milliseconds = Math.round(performance.now() - started);
    const record = {
      reference_date: periods.referenceDate,
      computed_at: sql<Date>`now()`,
      milliseconds,
      people_counted: boroughPeople,
      people_opted_out: optedOut.n,
      cells: disclosed.size,
      cells_suppressed: cellsSuppressed,
    };
    await trx
      .insertInto('profile_run')
      .values({ place_id: placeId, ...record })
      .onConflict((oc) => oc.column('place_id').doUpdateSet(record))
      .execute();
  });
  return {
    place: placeId,
    referenceDate: periods.referenceDate,
    placemats: placemats.length,
    mapLayers: mapLayers.length,
    series: series.length,
    cells: disclosed.size,
    cellsSuppressed,
    peopleCounted: boroughPeople,
    peopleOptedOut: optedOut.n,
    milliseconds,
  };
}
