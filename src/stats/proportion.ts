// Proportion with Wilson score confidence interval, as PHEindicatormethods `phe_proportion` /
// `wilson_lower` / `wilson_upper` (Wilson 1927; Newcombe & Altman 2000).

import { AppError } from '../core/errors.ts';
import { toConfidenceLevel, zFor } from './distributions.ts';

export interface Estimate {
  /** null when an input is missing (R's NA) or the method suppresses the value. */
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Confidence level as a fraction, e.g. 0.95 or 0.998. */
  confidence: number;
}

export interface ProportionOptions {
  /** 0.95 (default), 0.998, or the same as a percentage (95, 99.8). */
  confidence?: number;
  /** 1 for a proportion (default), 100 for a percentage. */
  multiplier?: number;
}

function invalid(message: string, field: string): AppError {
  return new AppError('invalid', message, [{ diagnostics: message, expression: [field] }]);
}

/** Wilson score limits for x successes out of n, on the 0–1 scale. Confidence 1 gives 0 and 1. */
export function wilsonInterval(x: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  if (x < 0) throw invalid('the numerator must be zero or more', 'numerator');
  if (n < 0) throw invalid('the denominator must be zero or more', 'denominator');
  if (x > n) throw invalid('the numerator must not be more than the denominator', 'numerator');
  if (toConfidenceLevel(confidence) === 1) return { lower: 0, upper: 1 };
  const z = zFor(confidence);
  const centre = 2 * x + z * z;
  const spread = z * Math.sqrt(z * z + 4 * x * (1 - x / n));
  const scale = 2 * (n + z * z);
  return { lower: (centre - spread) / scale, upper: (centre + spread) / scale };
}

/**
 * A proportion (x / n × multiplier) with its Wilson interval. 0 and n are valid numerators (their limits
 * are 0 and 1 exactly); a missing numerator or denominator gives nulls, as the package gives NA.
 */
export function calculateProportion(
  numerator: number | null,
  denominator: number | null,
  options: ProportionOptions = {},
): Estimate {
  const confidence = toConfidenceLevel(options.confidence ?? 0.95);
  const multiplier = options.multiplier ?? 1;
  if (numerator === null || denominator === null) {
    return { value: null, lower: null, upper: null, confidence };
  }
  if (denominator <= 0) throw invalid('the denominator must be more than zero', 'denominator');
  const { lower, upper } = wilsonInterval(numerator, denominator, confidence);
  return {
    value: (numerator / denominator) * multiplier,
    lower: lower * multiplier,
    upper: upper * multiplier,
    confidence,
  };
}
