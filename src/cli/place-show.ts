// `joinedup place show [neighbourhood] [--json]`: the place as the database holds it.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { lsoasOf, practicesOf } from '../place/place.store.ts';
import { getNeighbourhoodDetail, getPlaceOverview } from '../place/read-place.ts';

export async function placeShow(
  db: Kysely<Database>,
  placeId: string,
  neighbourhood: string | undefined,
  json: boolean,
): Promise<string> {
  if (neighbourhood !== undefined) {
    const detail = await getNeighbourhoodDetail(db, placeId, neighbourhood);
    if (json) return JSON.stringify(detail, null, 2);
    const n = detail.neighbourhood;
    return [
      `${n.name} neighbourhood, ${detail.place.name}: ${n.towns}`,
      `  residents (ONS mid-2020): ${n.population.toLocaleString('en-GB')}`,
      `  wards: ${detail.wards.map((w) => w.name).join(', ')}`,
      `  LSOAs: ${n.lsoaCount}, of which ${n.lsoasByImd2019Decile[0]} in the most deprived 10% nationally (IMD 2019)`,
      `  practices: ${detail.practices.map((p) => `${p.name} (${p.odsCode}${p.isOpen ? '' : ', closed'})`).join('; ')}`,
      ...detail.teams.map((t) => `  ${t.name}: ${t.roles.map((r) => r.title).join(', ')}`),
      ...detail.liveWell.map(
        (s) => `  Live Well: ${s.name}, ${s.rolloutYear}${s.rolloutYearEnd ? `–${s.rolloutYearEnd}` : ''}`,
      ),
    ].join('\n');
  }

  const overview = await getPlaceOverview(db, placeId);
  const [lsoas, practices] = await Promise.all([lsoasOf(db, placeId), practicesOf(db, placeId)]);
  const known = new Set(overview.neighbourhoods.map((n) => n.code));
  const neighbourhoodsPerLsoa = new Map<string, number>();
  for (const l of lsoas) neighbourhoodsPerLsoa.set(l.code, (neighbourhoodsPerLsoa.get(l.code) ?? 0) + 1);
  const report = {
    place: overview.place,
    neighbourhoods: overview.neighbourhoods.map((n) => ({
      code: n.code,
      name: n.name,
      towns: n.towns,
      population: n.population,
      wardCount: n.wardCount,
      lsoaCount: n.lsoaCount,
      lsoasInImd2019Decile1: n.lsoasByImd2019Decile[0] ?? 0,
      practiceCount: practices.filter((p) => p.neighbourhood === n.code).length,
      lsoas: lsoas.filter((l) => l.neighbourhood === n.code).map((l) => l.code),
      practices: practices.filter((p) => p.neighbourhood === n.code).map((p) => p.odsCode),
    })),
    totals: {
      neighbourhoods: overview.neighbourhoods.length,
      lsoas: neighbourhoodsPerLsoa.size,
      lsoasInExactlyOneNeighbourhood: [...neighbourhoodsPerLsoa.values()].filter((c) => c === 1).length,
      lsoasInImd2019Decile1: lsoas.filter((l) => l.imd2019Decile === 1).length,
      practices: practices.length,
      openPractices: practices.filter((p) => p.isOpen).length,
      practicesWithoutNeighbourhood: practices.filter((p) => !known.has(p.neighbourhood)).length,
      populationMid2020: overview.totals.populationMid2020,
    },
  };
  if (json) return JSON.stringify(report, null, 2);
  const pad = (s: string | number, w: number) => String(s).padEnd(w);
  const num = (s: number, w: number) => s.toLocaleString('en-GB').padStart(w);
  return [
    `${overview.place.name}: ${report.totals.neighbourhoods} neighbourhoods, ${report.totals.lsoas} LSOAs ` +
      `(${report.totals.lsoasInImd2019Decile1} in the most deprived 10% nationally, IMD 2019), ` +
      `${report.totals.openPractices} open GP practices`,
    '',
    `${pad('Neighbourhood', 14)}${pad('Wards', 7)}${pad('LSOAs', 7)}${pad('Decile 1', 10)}${pad('Practices', 11)}Residents (mid-2020)`,
    ...report.neighbourhoods.map(
      (n) =>
        `${pad(n.name, 14)}${pad(n.wardCount, 7)}${pad(n.lsoaCount, 7)}${pad(n.lsoasInImd2019Decile1, 10)}${pad(n.practiceCount, 11)}${num(n.population, 10)}`,
    ),
  ].join('\n');
}
