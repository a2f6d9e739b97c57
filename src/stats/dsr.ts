// Directly age-standardised rate (DSR) with Dobson confidence limits, as PHEindicatormethods
// `calculate_dsr` (Dobson et al. 1991, Byar's limits for the total count from Breslow & Day 1987),
// including the variant for non-independent (repeat) events.

import { AppError } from '../core/errors.ts';
import { toConfidenceLevel } from './distributions.ts';
import type { Estimate } from './proportion.ts';
import { byarsLower, byarsUpper } from './rate.ts';

export interface StandardBand {
  ageBand: string;
  startAge: number;
  /** null for the open band 90+. */
  endAge: number | null;
  weight: number;
}

/**
 * European Standard Population 2013 (Eurostat), 19 bands summing to 100,000: 0 and 1–4 merged into 0–4
 * and 90–94 and 95+ into 90+, as PHE/OHID and PHEindicatormethods use it.
 */
export const ESP2013: readonly StandardBand[] = Object.freeze(
  [
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500,
    1500, 1000,
  ].map((weight, i): StandardBand => {
    const startAge = i * 5;
    const endAge = i === 18 ? null : startAge + 4;
    return { ageBand: endAge === null ? '90+' : `${startAge}-${endAge}`, startAge, endAge, weight };
  }),
);

export const ESP2013_WEIGHTS: readonly number[] = ESP2013.map((band) => band.weight);

/** Below this total count the package returns no DSR (NA): the estimate is unreliable. */
export const DSR_MIN_COUNT = 10;

export interface DsrBand {
  /** Events in the band; null (missing) counts as 0, as in the package. */
  count: number | null;
  /** Person-years at risk in the band; must be more than 0. */
  population: number;
}

export interface DsrOptions {
  /** Standard population weights in the same band order as the data; default ESP2013 (19 bands). */
  standard?: readonly number[];
  confidence?: number;
  /** Rate per this many; default 100,000. */
  multiplier?: number;
}

export interface DsrEstimate extends Estimate {
  totalCount: number;
  totalPopulation: number;
}

function checkBands(populations: number[], standard: readonly number[]): void {
  if (populations.length !== standard.length) {
    throw new AppError('invalid', `expected ${standard.length} age bands to match the standard population`, [
      { diagnostics: `got ${populations.length} age bands`, expression: ['bands'] },
    ]);
  }
  populations.forEach((population, i) => {
    if (!(population > 0)) {
      throw new AppError('invalid', 'every age band needs a population more than zero', [
        { diagnostics: 'population must be more than zero', expression: [`bands.${i}.population`] },
      ]);
    }
  });
}

/**
 * Dobson limits: DSR + √(var / O) × (Byar's limit of O − O), where O is the total count and var the
 * variance of the DSR (before the multiplier). All outputs are null when O < 10.
 */
function dobson(
  value: number,
  variance: number,
  totalCount: number,
  totalPopulation: number,
  confidence: number,
  multiplier: number,
): DsrEstimate {
  if (totalCount < DSR_MIN_COUNT) {
    return { value: null, lower: null, upper: null, confidence, totalCount, totalPopulation };
  }
  const scale = Math.sqrt(variance / totalCount) * multiplier;
  const lowerCount = byarsLower(totalCount, confidence);
  return {
    value: value * multiplier,
    lower: lowerCount === null ? null : value * multiplier + scale * (lowerCount - totalCount),
    upper: value * multiplier + scale * (byarsUpper(totalCount, confidence) - totalCount),
    confidence,
    totalCount,
    totalPopulation,
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** DSR = Σ(countᵢ·wᵢ/popᵢ) / Σw × multiplier; var = Σ countᵢ(wᵢ/popᵢ)² / (Σw)²; Dobson limits. */
export function calculateDsr(bands: readonly DsrBand[], options: DsrOptions = {}): DsrEstimate {
  const standard = options.standard ?? ESP2013_WEIGHTS;
  const confidence = toConfidenceLevel(options.confidence ?? 0.95);
  checkBands(
    bands.map((band) => band.population),
    standard,
  );
  const counts = bands.map((band) => band.count ?? 0);
  if (counts.some((count) => count < 0)) throw new AppError('invalid', 'counts must be zero or more');
  const ratios = bands.map((band, i) => (standard[i] ?? 0) / band.population);
  const totalWeight = sum([...standard]);
  const value = sum(counts.map((count, i) => count * (ratios[i] ?? 0))) / totalWeight;
  const variance = sum(counts.map((count, i) => count * (ratios[i] ?? 0) ** 2)) / totalWeight ** 2;
  return dobson(
    value,
    variance,
    sum(counts),
    sum(bands.map((band) => band.population)),
    confidence,
    options.multiplier ?? 100_000,
  );
}

export interface PersonsWithFrequency {
  /** Number of events each of these persons had (1, 2, 3 …). */
  frequency: number;
  /** Persons in the band with exactly that many events; null counts as 0. */
  persons: number | null;
}

export interface NonIndependentDsrBand {
  /** All events in the band (persons × frequency summed). */
  events: number | null;
  population: number;
  personsByFrequency: readonly PersonsWithFrequency[];
}

/**
 * DSR for non-independent events (one person can have several): the value is the ordinary DSR of all
 * events; the variance is Σ over frequency f of f² × (the DSR variance of the persons with f events),
 * and the Dobson limits use that variance with the total event count.
 */
export function calculateDsrNonIndependent(
  bands: readonly NonIndependentDsrBand[],
  options: DsrOptions = {},
): DsrEstimate {
  const standard = options.standard ?? ESP2013_WEIGHTS;
  const confidence = toConfidenceLevel(options.confidence ?? 0.95);
  checkBands(
    bands.map((band) => band.population),
    standard,
  );
  const totalWeight = sum([...standard]);
  const events = bands.map((band) => band.events ?? 0);
  const ratios = bands.map((band, i) => (standard[i] ?? 0) / band.population);
  const value = sum(events.map((count, i) => count * (ratios[i] ?? 0))) / totalWeight;
  const weightedPersons = bands.flatMap((band, i) =>
    band.personsByFrequency.map(
      ({ frequency, persons }) => frequency ** 2 * (persons ?? 0) * (ratios[i] ?? 0) ** 2,
    ),
  );
  return dobson(
    value,
    sum(weightedPersons) / totalWeight ** 2,
    sum(events),
    sum(bands.map((band) => band.population)),
    confidence,
    options.multiplier ?? 100_000,
  );
}
