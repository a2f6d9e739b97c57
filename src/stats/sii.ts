// Slope and relative index of inequality (SII, RII) across deprivation quantiles, as
// PHEindicatormethods `phe_sii` (Low & Low 2004): population-weighted least squares of the indicator on
// each quantile's cumulative population midpoint (relative rank), confidence limits by simulation.

import { AppError } from '../core/errors.ts';
import { normalQuantile, toConfidenceLevel } from './distributions.ts';

/** How the indicator behaves: a rate is simulated on the log scale, a proportion on the logit scale. */
export type SiiValueType = 'normal' | 'rate' | 'proportion';

export interface SiiQuantile {
  /** 1 = most deprived … n = least deprived; rows are ordered by this. */
  quantile: number;
  population: number;
  value: number;
  /** Standard error on the simulation scale (log for rates, logit for proportions); or give limits. */
  standardError?: number;
  /** 95% limits of the value (always read as 95%, as the package does). */
  lower?: number;
  upper?: number;
}

export interface SiiOptions {
  valueType?: SiiValueType;
  /** SII (and its limits) × multiplier; a negative multiplier flips polarity and inverts the RII. */
  multiplier?: number;
  /** Fit the line on the log/logit scale (rates, proportions) and back-transform. */
  transform?: boolean;
  /** Confidence levels for the simulated limits; default [0.95]. */
  confidence?: readonly number[];
  /** Simulation repetitions; default 100,000 (the package's default); at least 1,000. */
  repetitions?: number;
  /** Seed of the simulation's random stream, so the same input always gives the same limits. */
  seed?: number;
}

export interface SiiInterval {
  confidence: number;
  siiLower: number;
  siiUpper: number;
  riiLower: number;
  riiUpper: number;
}

export interface SiiResult {
  sii: number;
  rii: number;
  /** Fitted value at relative rank 0 (the most deprived end), on the indicator's own scale. */
  intercept: number;
  intervals: SiiInterval[];
}

const Z95 = normalQuantile(0.975);

const toScale: Record<SiiValueType, (v: number) => number> = {
  normal: (v) => v,
  rate: (v) => Math.log(v),
  proportion: (v) => Math.log(v / (1 - v)),
};
const fromScale: Record<SiiValueType, (v: number) => number> = {
  normal: (v) => v,
  rate: (v) => Math.exp(v),
  proportion: (v) => Math.exp(v) / (1 + Math.exp(v)),
};

function invalid(message: string, field: string): AppError {
  return new AppError('invalid', message, [{ diagnostics: message, expression: [field] }]);
}

/** Relative rank: the midpoint of each quantile's share of the cumulative population. */
export function relativeRanks(populations: readonly number[]): number[] {
  const total = populations.reduce((a, b) => a + b, 0);
  let before = 0;
  return populations.map((population) => {
    const share = population / total;
    const midpoint = before + share / 2;
    before += share;
    return midpoint;
  });
}

/** Weighted least squares of y on x with weights a (Σa = 1): returns a linear fitter for any y. */
function weightedLine(
  a: readonly number[],
  x: readonly number[],
): (y: readonly number[]) => [number, number] {
  const meanX = a.reduce((s, ai, i) => s + ai * (x[i] ?? 0), 0);
  const sxx = a.reduce((s, ai, i) => s + ai * ((x[i] ?? 0) - meanX) ** 2, 0);
  const k = a.map((ai, i) => (ai * ((x[i] ?? 0) - meanX)) / sxx);
  return (y) => {
    let slope = 0;
    let meanY = 0;
    for (let i = 0; i < y.length; i++) {
      slope += (k[i] ?? 0) * (y[i] ?? 0);
      meanY += (a[i] ?? 0) * (y[i] ?? 0);
    }
    return [meanY - slope * meanX, slope];
  };
}

/**
 * The SII's point estimate alone (no simulated limits): the slope of the population-weighted line of
 * value on relative rank, rows ordered most deprived first. For repeated use, such as calibration.
 */
export function siiPoint(rows: readonly { population: number; value: number }[]): number {
  const populations = rows.map((row) => row.population);
  const total = populations.reduce((a, b) => a + b, 0);
  return weightedLine(
    populations.map((p) => p / total),
    relativeRanks(populations),
  )(rows.map((row) => row.value))[1];
}

/** xoshiro128** seeded through splitmix32: a small, fast, reproducible uniform stream on (0, 1). */
function uniformStream(seed: number): () => number {
  let z = seed >>> 0;
  const split = (): number => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    return (t ^ (t >>> 16)) >>> 0;
  };
  const s = [split(), split(), split(), split()];
  return () => {
    const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = s;
    const result = Math.imul(((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s2 ^ s0) >>> 0;
    s[3] = (s3 ^ s1) >>> 0;
    s[1] = (s1 ^ (s[2] ?? 0)) >>> 0;
    s[0] = (s0 ^ (s[3] ?? 0)) >>> 0;
    s[2] = ((s[2] ?? 0) ^ t) >>> 0;
    s[3] = (((s[3] ?? 0) << 11) | ((s[3] ?? 0) >>> 21)) >>> 0;
    return (result + 0.5) / 4294967296;
  };
}

/** R's position rule: sorted[round(n·p)] (1-based). */
function pick(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length, Math.max(1, Math.round(sorted.length * p)));
  return sorted[index - 1] ?? Number.NaN;
}

export function calculateSii(input: readonly SiiQuantile[], options: SiiOptions = {}): SiiResult {
  const valueType = options.valueType ?? 'normal';
  const multiplier = options.multiplier ?? 1;
  const transform = (options.transform ?? false) && valueType !== 'normal';
  const repetitions = options.repetitions ?? 100_000;
  const levels = (options.confidence ?? [0.95]).map(toConfidenceLevel);
  if (input.length < 5 || input.length > 100)
    throw invalid('SII needs between 5 and 100 quantiles', 'quantiles');
  if (repetitions < 1000) throw invalid('at least 1,000 repetitions are needed', 'repetitions');
  const rows = [...input].sort((p, q) => p.quantile - q.quantile);

  const scale = toScale[valueType];
  const back = fromScale[valueType];
  const t = rows.map((row, i) => {
    if (!(row.population > 0))
      throw invalid('every quantile needs a population more than zero', `quantiles.${i}`);
    if (valueType === 'proportion' && !(row.value > 0 && row.value < 1)) {
      throw invalid('proportions must be between 0 and 1', `quantiles.${i}.value`);
    }
    return scale(row.value);
  });
  const se = rows.map((row, i) => {
    if (row.standardError !== undefined) {
      if (!(row.standardError >= 0)) throw invalid('standard errors must be zero or more', `quantiles.${i}`);
      return row.standardError;
    }
    if (row.lower === undefined || row.upper === undefined) {
      throw invalid('each quantile needs a standard error or 95% limits', `quantiles.${i}`);
    }
    return (scale(row.upper) - scale(row.lower)) / Z95 / 2;
  });

  const populations = rows.map((row) => row.population);
  const total = populations.reduce((a, b) => a + b, 0);
  const a = populations.map((population) => population / total);
  const x = relativeRanks(populations);
  const fit = weightedLine(a, x);
  const flip = (rii: number): number => (multiplier < 0 ? 1 / rii : rii);

  // Point estimates: the line through the values (or through log/logit values, back-transformed).
  let sii: number;
  let rii: number;
  let intercept: number;
  const [c0, c1] = fit(transform ? t : rows.map((row) => row.value));
  if (transform) {
    intercept = back(c0);
    sii = back(c0 + c1) - intercept;
    rii = back(c0 + c1) / intercept;
  } else {
    intercept = c0;
    sii = c1;
    rii = (c0 + c1) / c0;
  }

  // Simulation: draw each quantile's value from N(t, se) on its scale, refit, take percentiles.
  const random = uniformStream(options.seed ?? 20240101);
  const slopes = new Float64Array(repetitions);
  const ratios = new Float64Array(repetitions);
  const meanFitted = c0 + c1 * 0.5; // Σa·x = 0.5: the fitted line's population midpoint
  const draw = new Array<number>(rows.length).fill(0);
  for (let r = 0; r < repetitions; r++) {
    for (let i = 0; i < rows.length; i++) {
      const simulated = (t[i] ?? 0) + (se[i] ?? 0) * normalQuantile(random());
      draw[i] = transform ? simulated : back(simulated);
    }
    const [s0, s1] = fit(draw);
    if (transform) {
      // The simulated slope, drawn through the fitted midpoint, back-transformed at ranks 0 and 1.
      const start = back(meanFitted - s1 * 0.5);
      const end = back(meanFitted + s1 * 0.5);
      slopes[r] = end - start;
      ratios[r] = end / start;
    } else {
      slopes[r] = s1;
      ratios[r] = (s0 + s1) / s0;
    }
  }
  slopes.sort();
  ratios.sort();

  const intervals = levels.map((confidence): SiiInterval => {
    const upperP = confidence + (1 - confidence) / 2;
    const siiLow = pick(slopes, 1 - upperP) * multiplier;
    const siiHigh = pick(slopes, upperP) * multiplier;
    const riiLow = flip(pick(ratios, 1 - upperP));
    const riiHigh = flip(pick(ratios, upperP));
    return {
      confidence,
      siiLower: Math.min(siiLow, siiHigh),
      siiUpper: Math.max(siiLow, siiHigh),
      riiLower: Math.min(riiLow, riiHigh),
      riiUpper: Math.max(riiLow, riiHigh),
    };
  });
  return { sii: sii * multiplier, rii: flip(rii), intercept, intervals };
}
