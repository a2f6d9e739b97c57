// Comparison of an area's value with a comparator (e.g. the borough), by the Fingertips convention:
// the area's confidence interval against the comparator's point value. No interval, no comparison.

export type Polarity = 'higher-is-better' | 'lower-is-better' | 'not-applicable';

export type Comparison = 'better' | 'similar' | 'worse' | 'higher' | 'lower' | 'not-compared';

/** Plain-English words for each outcome, as shown beside a figure. */
export const COMPARISON_LABELS: Record<Comparison, string> = {
  better: 'Significantly better',
  similar: 'Similar',
  worse: 'Significantly worse',
  higher: 'Significantly higher',
  lower: 'Significantly lower',
  'not-compared': 'Not compared',
};

export interface Interval {
  lower: number | null;
  upper: number | null;
}

/**
 * 'similar' when the comparator's value lies within the area's interval (limits included); otherwise
 * higher or lower, read as better or worse through the indicator's polarity.
 */
export function compareWithComparator(
  area: Interval,
  comparatorValue: number | null,
  polarity: Polarity,
): Comparison {
  const { lower, upper } = area;
  if (lower === null || upper === null || comparatorValue === null) return 'not-compared';
  if (![lower, upper, comparatorValue].every(Number.isFinite)) return 'not-compared';
  if (lower <= comparatorValue && comparatorValue <= upper) return 'similar';
  const isHigher = lower > comparatorValue;
  if (polarity === 'not-applicable') return isHigher ? 'higher' : 'lower';
  return isHigher === (polarity === 'higher-is-better') ? 'better' : 'worse';
}
