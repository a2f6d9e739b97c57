// Crude rate per multiplier with confidence limits, as PHEindicatormethods `phe_rate`/`calculate_rate`:
// exact Poisson limits (chi-square) when the count is under 10, Byar's approximation otherwise
// (Breslow & Day 1987).

import { AppError } from '../core/errors.ts';
import { chiSquareQuantile, toConfidenceLevel, zFor } from './distributions.ts';
import type { Estimate } from './proportion.ts';

export type RateMethod = 'Exact' | 'Byars';

export interface RateEstimate extends Estimate {
  /** null when the count is missing (the package's method column is NA then). */
  method: RateMethod | null;
}

export interface RateOptions {
  confidence?: number;
  /** Rate per this many of the denominator; default 100,000. */
  multiplier?: number;
}

/** Counts below this use exact Poisson limits; this many and more use Byar's. */
export const EXACT_BELOW = 10;

/** Byar's lower limit for a Poisson count; null when the formula goes negative (e.g. x = 1 at 99.8%). */
export function byarsLower(x: number, confidence = 0.95): number | null {
  if (x < 0) throw new AppError('invalid', 'the count must be zero or more');
  const z = zFor(confidence);
  const lower = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
  return lower < 0 || Number.isNaN(lower) ? null : lower;
}

/** Byar's upper limit for a Poisson count. */
export function byarsUpper(x: number, confidence = 0.95): number {
  if (x < 0) throw new AppError('invalid', 'the count must be zero or more');
  const z = zFor(confidence);
  const y = x + 1;
  return y * (1 - 1 / (9 * y) + z / (3 * Math.sqrt(y))) ** 3;
}

/** Exact Poisson limits for a count: qchisq(α/2, 2x)/2 and qchisq(1 − α/2, 2x + 2)/2. */
export function exactPoissonInterval(x: number, confidence = 0.95): { lower: number; upper: number } {
  if (x < 0) throw new AppError('invalid', 'the count must be zero or more');
  const alpha = 1 - toConfidenceLevel(confidence);
  return {
    lower: chiSquareQuantile(alpha / 2, 2 * x) / 2,
    upper: chiSquareQuantile(1 - alpha / 2, 2 * x + 2) / 2,
  };
}

/** Crude rate = count / denominator × multiplier, with exact (count < 10) or Byar's limits. */
export function calculateCrudeRate(
  count: number | null,
  denominator: number | null,
  options: RateOptions = {},
): RateEstimate {
  const confidence = toConfidenceLevel(options.confidence ?? 0.95);
  const multiplier = options.multiplier ?? 100_000;
  if (count === null) return { value: null, lower: null, upper: null, confidence, method: null };
  const method: RateMethod = count < EXACT_BELOW ? 'Exact' : 'Byars';
  if (denominator === null) return { value: null, lower: null, upper: null, confidence, method };
  if (denominator <= 0) {
    throw new AppError('invalid', 'the denominator must be more than zero', [
      { diagnostics: 'the denominator must be more than zero', expression: ['denominator'] },
    ]);
  }
  const scale = multiplier / denominator;
  if (method === 'Exact') {
    const { lower, upper } = exactPoissonInterval(count, confidence);
    return { value: count * scale, lower: lower * scale, upper: upper * scale, confidence, method };
  }
  const lower = byarsLower(count, confidence);
  return {
    value: count * scale,
    lower: lower === null ? null : lower * scale,
    upper: byarsUpper(count, confidence) * scale,
    confidence,
    method,
  };
}
