// Refreshing a place's profiles and outcomes framework: count everything by LSOA in one statement,
// add the counts up the areas, disclose every published count at once (so that secondary suppression
// sees every sum that ties two published figures), compute each placemat, map layer and indicator series,
// check each against the API's schema, and replace the place's stored snapshots in one transaction. Runs
// after every stratification, so after generation and import too; readers see the old profiles until
// the new ones are committed.
import { discloseCount, discloseLinked } from '../access/disclosure.ts';
import { AppError } from '../core/errors.ts';
import { dashboard, indicatorSeries, mapLayer, placemat, profileIndex } from '../core/schemas/profile.ts';
import type { Db } from '../db/create-db.ts';
import { outcomesCatalogue } from '../outcomes/catalogue.ts';
import {
  addQuarterCounts,
  buildAllSeries,
  buildDashboard,
  seriesAreas,
  seriesCells,
} from '../outcomes/series.ts';
import { stratificationRun } from '../risk/risk.store.ts';
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
import { countOptedOut, profileSources, replaceSnapshots, type Snapshot } from './profile.store.ts';
import { areaCounts, areaTree } from './profile-cells.ts';
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

/** Residents the stratification did not score (it ran after they died or moved away). */
const NOT_KNOWN_SEGMENT = {
  id: 'not-known',
  label: 'Segment not known: left or died since the scores were computed',
};

/**
 * Every count a place publishes in its profiles, maps and series, the sums that tie them, and each as
 * disclosed: what a refresh computes before it builds the pages' figures.
 */
export async function publishedCounts(db: Db, placeId: string) {
  const sources = await profileSources(db.kysely, placeId);
  if (!sources) throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
  const { place, asOf, neighbourhoods, wards, lsoas, conditions } = sources;
  if (asOf === null)
    throw new AppError(
      'conflict',
      `${place.name} has not been stratified yet. Run "joinedup stratify" first.`,
    );
  const periods = profilePeriods(asOf);
  const areas = areaTree(place, neighbourhoods, wards, lsoas);
  const segments = [...SEGMENTS.map((s) => ({ id: s.id as string, label: s.label })), NOT_KNOWN_SEGMENT];

  const counts = areaCounts(
    areas,
    deriveLsoaCells(
      await readLsoaCells(db.kysely, placeId, periods),
      lsoas,
      conditions.map((c) => c.id),
    ),
  );
  for (const area of seriesAreas(areas)) addQuarterCounts(counts.get(area.key) ?? new Map(), periods);

  const keys = placematKeys(
    conditions.map((c) => c.id),
    segments.map((s) => s.id),
  );
  const placematPart = placematCells(areas, counts, keys);
  const seriesPart = seriesCells(areas, counts, periods);
  const cells = new Map([...placematPart.cells, ...seriesPart.cells]);
  const sums = [...placematPart.sums, ...seriesPart.sums];
  const disclosed = discloseLinked({ counts: cells, sums });
  return { place, periods, areas, lsoas, counts, conditions, segments, cells, sums, disclosed };
}

/** Recomputes and stores every profile and indicator of a place, as of its last stratification. */
export async function refreshProfiles(db: Db, placeId: string): Promise<RefreshOutcome> {
  const started = performance.now();
  const { place, periods, areas, lsoas, counts, conditions, segments, disclosed } = await publishedCounts(
    db,
    placeId,
  );
  const cellsSuppressed = [...disclosed.values()].filter((d) => d.isSuppressed).length;

  const specs = figureSpecs(conditions, segments);
  const lsoaCounts = new Map(
    lsoas.map((l) => [l.code, counts.get(`lsoa:${l.code}`) ?? new Map<string, number>()]),
  );
  const inequality = inequalityInLifeExpectancy(lsoaCounts, lsoas);
  const boroughArea = areas.get(`borough:${place.id}`);
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

  // The index's counts are published too: disclosed by the same rule.
  const peopleCounted = counts.get(boroughArea.key)?.get('pop') ?? 0;
  const peopleOptedOut = await countOptedOut(db.kysely, placeId, periods.referenceDate);
  const index = profileIndex.parse({
    referenceDate: periods.referenceDate,
    computedAt: new Date().toISOString(),
    peopleCounted: discloseCount(peopleCounted).shown,
    peopleOptedOut: discloseCount(peopleOptedOut).shown,
    areas: placemats.map((p) => ({ ...p.area, parent: p.parent?.code ?? null })),
    figures: specs.map((spec) => ({
      id: spec.id,
      label: spec.label,
      unit: spec.unit,
      levels: spec.smallest === 'lsoa' ? ['ward', 'lsoa'] : ['ward'],
    })),
  });
  // Each snapshot is checked against the API's schema here, so the API can send it as stored.
  const snapshots: Snapshot[] = [
    ...placemats.map((p) => ({
      kind: 'placemat' as const,
      key: `${p.area.kind}:${p.area.code}`,
      body: placemat.parse(p),
    })),
    ...mapLayers.map((m) => ({
      kind: 'map' as const,
      key: `${m.figure.id}:${m.level}`,
      body: mapLayer.parse(m),
    })),
    ...series.map((s) => ({
      kind: 'series' as const,
      key: `${s.indicator.id}:${s.area.kind}:${s.area.code}:${s.period}`,
      body: indicatorSeries.parse(s),
    })),
    { kind: 'dashboard', key: 'index', body: index },
    {
      kind: 'dashboard',
      key: 'all',
      body: dashboard.parse({
        referenceDate: periods.referenceDate,
        catalogueVersion: outcomesCatalogue().version,
        rows: buildDashboard(series),
      }),
    },
  ];
  let milliseconds = 0;
  await replaceSnapshots(db.kysely, placeId, snapshots, () => {
    // The time taken, up to the last statement: reading, computing and writing.
    milliseconds = Math.round(performance.now() - started);
    return {
      reference_date: periods.referenceDate,
      milliseconds,
      people_counted: peopleCounted,
      people_opted_out: peopleOptedOut,
      cells: disclosed.size,
      cells_suppressed: cellsSuppressed,
    };
  });
  return {
    place: placeId,
    referenceDate: periods.referenceDate,
    placemats: placemats.length,
    mapLayers: mapLayers.length,
    series: series.length,
    cells: disclosed.size,
    cellsSuppressed,
    peopleCounted,
    peopleOptedOut,
    milliseconds,
  };
}

/** Refreshes the profiles of a place that has been stratified (its areas may have changed); null if it has not. */
export async function refreshProfilesIfStratified(db: Db, placeId: string): Promise<RefreshOutcome | null> {
  if (!(await stratificationRun(db.kysely, placeId))) return null;
  return refreshProfiles(db, placeId);
}
