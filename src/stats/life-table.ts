// Life expectancy by the Chiang II abridged life table as PHE/OHID use it (PHEindicatormethods
// `phe_life_expectancy`): Chiang 1984 for the table, Silcocks et al. 2001 for the variance of the
// final open band, 95% limits e ± z·SE.

import { normalQuantile, toConfidenceLevel, zFor } from './distributions.ts';

/** The 20 start ages: <1, 1–4, 5–9 … 85–89, 90+. */
export const LIFE_TABLE_START_AGES: readonly number[] = Object.freeze([
  0,
  1,
  ...Array.from({ length: 18 }, (_, i) => (i + 1) * 5),
]);

/** Areas with this total population or less get no life expectancy. */
export const MIN_TOTAL_POPULATION = 5000;
/** A value is suppressed when its 95% interval is wider than 2 × this many years (limits are kept). */
export const MAX_HALF_WIDTH_YEARS = 10;

export interface LifeTableBand {
  startAge: number;
  deaths: number;
  /** Person-years at risk (usually mid-year population × years). */
  population: number;
}

export type LifeTableSuppression =
  | 'negative-deaths'
  | 'population-not-positive'
  | 'wrong-age-bands'
  | 'deaths-exceed-population'
  | 'total-population-too-small';

export interface LifeExpectancyRow {
  startAge: number;
  /** Life expectancy at startAge; null when suppressed (whole area, or 95% CI wider than 20 years). */
  value: number | null;
  /** Limits are returned even when the value is suppressed for a wide interval (as the package does). */
  lower: number | null;
  upper: number | null;
  standardError: number | null;
  /** Population and deaths from this age upwards: what the estimate rests on. */
  populationUsed: number;
  deathsUsed: number;
}

export interface LifeExpectancyResult {
  confidence: number;
  suppression: LifeTableSuppression | null;
  rows: LifeExpectancyRow[];
}

function suppressionOf(bands: readonly LifeTableBand[]): LifeTableSuppression | null {
  if (bands.some((band) => band.deaths < 0)) return 'negative-deaths';
  if (bands.some((band) => !(band.population > 0))) return 'population-not-positive';
  const ages = bands.map((band) => band.startAge);
  if (
    ages.length !== LIFE_TABLE_START_AGES.length ||
    ages.some((age, i) => age !== LIFE_TABLE_START_AGES[i])
  ) {
    return 'wrong-age-bands';
  }
  if (bands.some((band) => band.deaths > band.population)) return 'deaths-exceed-population';
  if (bands.reduce((total, band) => total + band.population, 0) <= MIN_TOTAL_POPULATION) {
    return 'total-population-too-small';
  }
  return null;
}

/**
 * Life expectancy at every start age with its confidence interval.
 *
 * Per band i (width nᵢ, fraction of the band lived by those dying aᵢ = 0.1 at age 0, 0.5 otherwise):
 * Mᵢ = Dᵢ/Pᵢ; qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ)) (1 if Dᵢ > Pᵢ/(nᵢaᵢ)); lᵢ₊₁ = lᵢ(1 − qᵢ) from l₀ = 100,000;
 * Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ), closed at 90+ by L = l/M; eᵢ = Σⱼ≥ᵢ Lⱼ / lᵢ.
 * Variance (Chiang; Silcocks for 90+): sᵢ² = qᵢ²(1 − qᵢ)/Dᵢ, s²₉₀ = 4/(D M²); Var(eᵢ) =
 * Σⱼ≥ᵢ wⱼ / lᵢ² with wⱼ = lⱼ² ((1 − aⱼ)nⱼ + eⱼ₊₁)² sⱼ², w₉₀ = (l/2)² s²₉₀.
 */
export function calculateLifeExpectancy(
  input: readonly LifeTableBand[],
  options: { confidence?: number } = {},
): LifeExpectancyResult {
  const confidence = toConfidenceLevel(options.confidence ?? 0.95);
  const bands = [...input].sort((a, b) => a.startAge - b.startAge);
  // Population and deaths from each age upwards.
  let populationUsed = 0;
  let deathsUsed = 0;
  const cumulative = [...bands]
    .reverse()
    .map((band) => {
      populationUsed += band.population;
      deathsUsed += band.deaths;
      return { populationUsed, deathsUsed };
    })
    .reverse();

  const suppression = suppressionOf(bands);
  if (suppression !== null) {
    return {
      confidence,
      suppression,
      rows: bands.map((band, i) => ({
        startAge: band.startAge,
        value: null,
        lower: null,
        upper: null,
        standardError: null,
        populationUsed: cumulative[i]?.populationUsed ?? 0,
        deathsUsed: cumulative[i]?.deathsUsed ?? 0,
      })),
    };
  }

  const last = bands.length - 1;
  const table = bands.map((band, i) => {
    const m = band.deaths / band.population;
    const a = band.startAge === 0 ? 0.1 : 0.5;
    const next = bands[i + 1];
    const n = next === undefined ? 2 / m : next.startAge - band.startAge;
    const q = band.deaths <= band.population / n / a ? (m * n) / (1 + m * n * (1 - a)) : 1;
    return { band, m, a, n, q, l: 0, d: 0, bigL: 0, e: 0, s2: 0 };
  });
  table.forEach((row, i) => {
    const previous = table[i - 1];
    row.l = previous === undefined ? 100_000 : previous.l * (1 - previous.q);
  });
  table.forEach((row, i) => {
    const lNext = table[i + 1]?.l ?? 0;
    row.d = row.l - lNext;
    row.bigL = i < last ? row.n * (lNext + row.a * row.d) : row.l / row.m;
  });
  let t = 0;
  for (let i = last; i >= 0; i--) {
    const row = table[i];
    if (row === undefined) continue;
    t += row.bigL;
    row.e = row.l === 0 ? 0 : t / row.l;
  }
  const z = zFor(confidence);
  const z95 = normalQuantile(0.975);
  let weighted = 0;
  const rows: LifeExpectancyRow[] = [];
  for (let i = last; i >= 0; i--) {
    const row = table[i];
    if (row === undefined) continue;
    const deaths = row.band.deaths;
    if (i === last) {
      weighted += (row.l / 2) ** 2 * (4 / (deaths * row.m ** 2));
    } else {
      const s2 = row.d === 0 ? 0 : (row.q ** 2 * (1 - row.q)) / deaths;
      weighted += s2 * row.l ** 2 * ((1 - row.a) * row.n + (table[i + 1]?.e ?? 0)) ** 2;
    }
    const se = Math.sqrt(weighted / row.l ** 2);
    const isTooWide = z95 * se > MAX_HALF_WIDTH_YEARS;
    rows.push({
      startAge: row.band.startAge,
      value: isTooWide || !Number.isFinite(row.e) ? null : row.e,
      lower: row.e - z * se,
      upper: row.e + z * se,
      standardError: se,
      populationUsed: cumulative[i]?.populationUsed ?? 0,
      deathsUsed: cumulative[i]?.deathsUsed ?? 0,
    });
  }
  return { confidence, suppression: null, rows: rows.reverse() };
}
