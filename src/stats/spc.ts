// Statistical process control: XmR charts in the NHS England "Making Data Count" (MDC) style, as the
// NHS-R package NHSRplotthedots (v0.2.2) draws them — mean, process limits from the mean moving range,
// the four special-cause rules, and the variation and assurance icons. Pure: values in, chart out.

import { AppError } from '../core/errors.ts';

/** Which way is better for the measure. "neither" gives special cause without improvement or concern. */
export type SpcPolarity = 'higher-is-better' | 'lower-is-better' | 'neither';

/** Points in a run (shift) or trend: 7 (MDC and the package), or 6 (allowed by the MDC Excel tool). */
export type SpcRunLength = 6 | 7;

/** The special-cause rules, in the package's order of precedence. */
export type SpcRuleName = 'outside-limits' | 'trend' | 'two-in-three' | 'shift';

/** High: above the mean (or rising, for a trend). Low: below the mean (or falling). */
export type SpcDirection = 'high' | 'low';

export interface SpcRule {
  name: SpcRuleName;
  direction: SpcDirection;
}

export type SpcPointType =
  | 'common-cause'
  | 'special-cause-improvement'
  | 'special-cause-concern'
  | 'special-cause-neither';

/** The variation icon: the point type of the latest point, with its direction. */
export type SpcVariation =
  | 'common-cause'
  | 'improvement-high'
  | 'improvement-low'
  | 'concern-high'
  | 'concern-low'
  | 'neither-high'
  | 'neither-low'
  | 'none';

/** The assurance icon: where the target lies against the process limits. */
export type SpcAssurance = 'consistently-passes' | 'consistently-fails' | 'inconsistent' | 'none';

export interface SpcOptions {
  polarity: SpcPolarity;
  /** A target makes an assurance icon (unless polarity is "neither"). */
  target?: number | null;
  /** Leave out moving ranges of 3.267 × the mean moving range or more, then average again. Default true
   * (the package's default; Wheeler). The MDC Excel tools do not screen: pass false to match them. */
  screenOutliers?: boolean;
  /** Points for a shift and for a trend. Default 7. */
  runLength?: SpcRunLength;
  /** Fix the mean and limits from the first n values (missing values not counted); at least 12. */
  baselinePoints?: number;
  /** Fewer values than this (missing values not counted) give no limits, rules or icons. Default 13, as
   * NHS England's current MDC single-chart tool; the package draws "trial limits" from 2. */
  minimumPoints?: number;
  /** Two-in-three rule: count points outside the process limits as beyond 2σ. Default true, as NHS
   * England's MDC tools since November 2023; false is the package's rule (only points between 2σ and
   * 3σ count). */
  twoInThreeCountsOutsideLimits?: boolean;
  /** When a point breaks rules pointing both ways: "precedence" (default, the package) takes the first
   * rule in the order outside limits > trend > two-in-three > shift; "improvement" shows improvement, as
   * the MDC single-chart tool does. */
  conflictResolution?: 'precedence' | 'improvement';
}

export interface SpcPoint {
  /** null when the value is missing: it keeps its place but takes no part in the calculations. */
  value: number | null;
  /** |this value − the previous non-missing value|; null for the first value and missing ones. */
  movingRange: number | null;
  mean: number | null;
  lowerProcessLimit: number | null;
  upperProcessLimit: number | null;
  /** 1 above the mean, −1 below, 0 on it; null when missing or not judged. */
  relativeToMean: -1 | 0 | 1 | null;
  isOutsideLimits: boolean | null;
  /** Beyond 2σ but within the process limits (the package's "close to limits"). */
  isCloseToLimits: boolean | null;
  /** Every rule this point is part of, in order of precedence. */
  rules: SpcRule[];
  /** The rule that decides the point type; null for common cause. */
  specialCause: SpcRule | null;
  /** null when the value is missing or there are too few points to judge. */
  pointType: SpcPointType | null;
}

export interface SpcChart {
  /** The mean of the baseline values; null when there are no values. */
  mean: number | null;
  /** Mean moving range after screening; null with too few points. */
  averageMovingRange: number | null;
  /** One sigma: 2.66 / 3 × the mean moving range. The 2σ lines are mean ± 2 × sigma. */
  sigma: number | null;
  lowerProcessLimit: number | null;
  upperProcessLimit: number | null;
  points: SpcPoint[];
  variation: SpcVariation;
  assurance: SpcAssurance;
  /** At least minimumPoints non-missing values: limits, rules and icons are given. */
  enoughPoints: boolean;
  /** Non-missing values in the series, and how many of them made the mean and limits. */
  observedPoints: number;
  baselinePointsUsed: number;
  options: Required<Omit<SpcOptions, 'target' | 'baselinePoints'>> & {
    target: number | null;
    baselinePoints: number | null;
  };
}

/** Process limits are mean ± 2.66 × the mean moving range (3 ÷ d₂, d₂ = 1.128; MDC rounds to 2.66). */
export const LIMIT_FACTOR = 2.66;
/** Moving ranges of 3.267 × the mean moving range or more are screened out (Wheeler's upper range limit). */
export const MOVING_RANGE_SCREEN_FACTOR = 3.267;
export const DEFAULT_MINIMUM_POINTS = 13;
export const MINIMUM_BASELINE_POINTS = 12;

export const VARIATION_LABELS: Record<SpcVariation, string> = {
  'common-cause': 'Common cause variation',
  'improvement-high': 'Special cause variation – improvement (higher)',
  'improvement-low': 'Special cause variation – improvement (lower)',
  'concern-high': 'Special cause variation – concern (higher)',
  'concern-low': 'Special cause variation – concern (lower)',
  'neither-high': 'Special cause variation – neither improvement nor concern (higher)',
  'neither-low': 'Special cause variation – neither improvement nor concern (lower)',
  none: 'Not enough points to judge variation',
};

export const ASSURANCE_LABELS: Record<SpcAssurance, string> = {
  'consistently-passes': 'Consistently hit target',
  'consistently-fails': 'Consistently fail target',
  inconsistent: 'Hit and miss target subject to random variation',
  none: 'No target assurance',
};

export const POINT_TYPE_LABELS: Record<SpcPointType, string> = {
  'common-cause': 'Common cause variation',
  'special-cause-improvement': 'Special cause variation – improvement',
  'special-cause-concern': 'Special cause variation – concern',
  'special-cause-neither': 'Special cause variation – neither improvement nor concern',
};

/** A rule in plain words, e.g. "part of a run of 7 points above the mean". */
export function describeRule(rule: SpcRule, runLength: SpcRunLength = 7): string {
  const high = rule.direction === 'high';
  switch (rule.name) {
    case 'outside-limits':
      return high ? 'above the upper process limit' : 'below the lower process limit';
    case 'trend':
      return `part of ${runLength} or more points in a row going ${high ? 'up' : 'down'}`;
    case 'two-in-three':
      return `2 of 3 points in a row near or beyond the ${high ? 'upper' : 'lower'} process limit`;
    case 'shift':
      return `part of ${runLength} or more points in a row ${high ? 'above' : 'below'} the mean`;
  }
}

function invalid(message: string, field: string): AppError {
  return new AppError('invalid', message, [{ diagnostics: message, expression: [field] }]);
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const sign = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

// ---- The rules as the package's building blocks (each over the non-missing values, in order) --------

/** 1 where a run of runLength points on the same side of the mean ends (0 = on the mean breaks a run). */
export function shiftEnds(relativeToMean: readonly number[], runLength: SpcRunLength = 7): number[] {
  return relativeToMean.map((side, i) => {
    if (side === 0 || i < runLength - 1) return 0;
    for (let k = 1; k < runLength; k++) if (relativeToMean[i - k] !== side) return 0;
    return 1;
  });
}

/** 1 (rising) or −1 (falling) where runLength strictly rising or falling points end; a tie breaks it. */
export function trendEnds(values: readonly number[], runLength: SpcRunLength = 7): number[] {
  return values.map((_, i) => {
    if (i < runLength - 1) return 0;
    const first = sign((values[i - runLength + 2] ?? 0) - (values[i - runLength + 1] ?? 0));
    if (first === 0) return 0;
    for (let k = i - runLength + 2; k <= i; k++) {
      if (sign((values[k] ?? 0) - (values[k - 1] ?? 0)) !== first) return 0;
    }
    return first;
  });
}

/** 1 for every point of a pattern whose last point is flagged (the flag and the runLength − 1 before it). */
export function partOfPattern(ends: readonly number[], runLength: SpcRunLength = 7): number[] {
  return ends.map((_, i) => {
    for (let k = i; k < Math.min(ends.length, i + runLength); k++) if (ends[k] !== 0) return 1;
    return 0;
  });
}

/** 1 for a point in a window of 3 in a row, all on one side of the mean, with at least 2 "close" points. */
export function twoInThreeWindows(close: readonly number[], relativeToMean: readonly number[]): number[] {
  const qualifies = (start: number): boolean => {
    if (start < 0 || start + 2 >= close.length) return false;
    let count = 0;
    let side = 0;
    for (let k = start; k < start + 3; k++) {
      count += close[k] ?? 0;
      side += relativeToMean[k] ?? 0;
    }
    return count >= 2 && Math.abs(side) === 3;
  };
  return close.map((_, i) => (qualifies(i - 2) || qualifies(i - 1) || qualifies(i) ? 1 : 0));
}

/** Of the points in a qualifying window, only the close ones are flagged. */
export function partOfTwoInThree(windows: readonly number[], close: readonly number[]): number[] {
  return windows.map((w, i) => (w === 1 && Math.abs(close[i] ?? 0) === 1 ? 1 : 0));
}

export interface RuleFlags {
  relativeToMean: readonly number[];
  /** Non-zero when the point is outside the process limits. */
  outsideLimits: readonly number[];
  /** 1 (rising) or −1 (falling) for a point in a trend, 0 otherwise. */
  trend: readonly number[];
  twoInThree: readonly number[];
  shift: readonly number[];
}

/** Every rule each point breaks, in the package's order of precedence. */
export function rulesByPoint(flags: RuleFlags): SpcRule[][] {
  return flags.relativeToMean.map((side, i) => {
    const sideDirection: SpcDirection = side > 0 ? 'high' : 'low';
    const rules: SpcRule[] = [];
    if ((flags.outsideLimits[i] ?? 0) !== 0) rules.push({ name: 'outside-limits', direction: sideDirection });
    const trend = flags.trend[i] ?? 0;
    if (trend !== 0) rules.push({ name: 'trend', direction: trend > 0 ? 'high' : 'low' });
    if ((flags.twoInThree[i] ?? 0) !== 0) rules.push({ name: 'two-in-three', direction: sideDirection });
    if ((flags.shift[i] ?? 0) !== 0) rules.push({ name: 'shift', direction: sideDirection });
    return rules;
  });
}

/** The direction of the trend each point is part of (0 if none); a point shared by a rising and a falling
 * trend (a peak or trough) takes the later trend, as the package does. */
export function trendMembership(values: readonly number[], runLength: SpcRunLength = 7): number[] {
  const ends = trendEnds(values, runLength);
  const rising = partOfPattern(
    ends.map((e) => (e > 0 ? 1 : 0)),
    runLength,
  );
  const falling = partOfPattern(
    ends.map((e) => (e < 0 ? 1 : 0)),
    runLength,
  );
  return values.map((value, i) => {
    if (rising[i] && falling[i]) return sign((values[i + 1] ?? value) - value);
    return rising[i] ? 1 : falling[i] ? -1 : 0;
  });
}

const isImprovement = (direction: SpcDirection, polarity: SpcPolarity): boolean =>
  (direction === 'high' && polarity === 'higher-is-better') ||
  (direction === 'low' && polarity === 'lower-is-better');

/** The rule that decides a point's type, and the type. */
export function pointTypeFor(
  rules: readonly SpcRule[],
  polarity: SpcPolarity,
  conflictResolution: 'precedence' | 'improvement' = 'precedence',
): { specialCause: SpcRule | null; pointType: SpcPointType } {
  const first = rules[0];
  if (!first) return { specialCause: null, pointType: 'common-cause' };
  if (polarity === 'neither') return { specialCause: first, pointType: 'special-cause-neither' };
  const deciding =
    conflictResolution === 'improvement'
      ? (rules.find((r) => isImprovement(r.direction, polarity)) ?? first)
      : first;
  return {
    specialCause: deciding,
    pointType: isImprovement(deciding.direction, polarity)
      ? 'special-cause-improvement'
      : 'special-cause-concern',
  };
}

/** The variation icon for a point (the chart's icon comes from its latest point). */
export function variationFor(pointType: SpcPointType | null, direction: SpcDirection | null): SpcVariation {
  if (pointType === null) return 'none';
  if (pointType === 'common-cause' || direction === null) return 'common-cause';
  const kind =
    pointType === 'special-cause-improvement'
      ? 'improvement'
      : pointType === 'special-cause-concern'
        ? 'concern'
        : 'neither';
  return `${kind}-${direction}`;
}

/** The assurance icon: a target beyond a process limit is always (or never) met; between them (or on one)
 * it is hit and miss. No target, or polarity "neither", gives none. */
export function assuranceFor(
  limits: { lower: number | null; upper: number | null },
  target: number | null | undefined,
  polarity: SpcPolarity,
): SpcAssurance {
  if (target === null || target === undefined || polarity === 'neither') return 'none';
  if (limits.lower === null || limits.upper === null) return 'none';
  const higherIsBetter = polarity === 'higher-is-better';
  if (target > limits.upper) return higherIsBetter ? 'consistently-fails' : 'consistently-passes';
  if (target < limits.lower) return higherIsBetter ? 'consistently-passes' : 'consistently-fails';
  return 'inconsistent';
}

// ---- The chart ------------------------------------------------------------------------------------

function checkOptions(options: SpcOptions): SpcChart['options'] {
  const polarity = options.polarity;
  if (!['higher-is-better', 'lower-is-better', 'neither'].includes(polarity)) {
    throw invalid('polarity must be higher-is-better, lower-is-better or neither', 'polarity');
  }
  const runLength = options.runLength ?? 7;
  if (runLength !== 6 && runLength !== 7) throw invalid('runLength must be 6 or 7', 'runLength');
  const minimumPoints = options.minimumPoints ?? DEFAULT_MINIMUM_POINTS;
  if (!Number.isInteger(minimumPoints) || minimumPoints < 2) {
    throw invalid('minimumPoints must be a whole number, 2 or more', 'minimumPoints');
  }
  const baselinePoints = options.baselinePoints ?? null;
  if (
    baselinePoints !== null &&
    (!Number.isInteger(baselinePoints) || baselinePoints < MINIMUM_BASELINE_POINTS)
  ) {
    throw invalid(
      `baselinePoints must be a whole number, ${MINIMUM_BASELINE_POINTS} or more`,
      'baselinePoints',
    );
  }
  const target = options.target ?? null;
  if (target !== null && !Number.isFinite(target)) throw invalid('target must be a number', 'target');
  return {
    polarity,
    target,
    screenOutliers: options.screenOutliers ?? true,
    runLength,
    baselinePoints,
    minimumPoints,
    twoInThreeCountsOutsideLimits: options.twoInThreeCountsOutsideLimits ?? true,
    conflictResolution: options.conflictResolution ?? 'precedence',
  };
}

/** Mean and mean moving range of the baseline values, screening large moving ranges if asked. */
export function processCentre(
  baseline: readonly number[],
  screenOutliers: boolean,
): { mean: number; averageMovingRange: number | null } {
  const movingRanges = baseline.slice(1).map((v, i) => Math.abs(v - (baseline[i] ?? v)));
  if (movingRanges.length === 0) return { mean: mean(baseline), averageMovingRange: null };
  let averageMovingRange = mean(movingRanges);
  if (screenOutliers && averageMovingRange > 0) {
    const limit = MOVING_RANGE_SCREEN_FACTOR * averageMovingRange;
    averageMovingRange = mean(movingRanges.filter((mr) => mr < limit));
  }
  return { mean: mean(baseline), averageMovingRange };
}

/**
 * An XmR chart: mean and process limits (mean ± 2.66 × mean moving range), each point's special-cause
 * rules and type, the variation icon (from the latest point) and the assurance icon (target against the
 * limits). Missing values (null) keep their place but are left out of every calculation and rule.
 */
export function xmrChart(values: readonly (number | null)[], options: SpcOptions): SpcChart {
  const settings = checkOptions(options);
  const { polarity, runLength, minimumPoints } = settings;
  const positions: number[] = [];
  const observed: number[] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    if (!Number.isFinite(value)) throw invalid('every value must be a number or null', `values.${i}`);
    positions.push(i);
    observed.push(value);
  });

  const enoughPoints = observed.length >= minimumPoints;
  const baseline = settings.baselinePoints === null ? observed : observed.slice(0, settings.baselinePoints);
  const centre = observed.length > 0 ? processCentre(baseline, settings.screenOutliers) : null;
  const centreMean = centre?.mean ?? null;
  const amr = enoughPoints ? (centre?.averageMovingRange ?? null) : null;
  const sigma = amr === null ? null : (LIMIT_FACTOR / 3) * amr;
  const lower = amr === null || centreMean === null ? null : centreMean - LIMIT_FACTOR * amr;
  const upper = amr === null || centreMean === null ? null : centreMean + LIMIT_FACTOR * amr;

  let previous: number | null = null;
  const points: SpcPoint[] = values.map((value) => {
    const movingRange = value === null || previous === null ? null : Math.abs(value - previous);
    if (value !== null) previous = value;
    return {
      value,
      movingRange,
      mean: centreMean,
      lowerProcessLimit: lower,
      upperProcessLimit: upper,
      relativeToMean: null,
      isOutsideLimits: null,
      isCloseToLimits: null,
      rules: [],
      specialCause: null,
      pointType: null,
    };
  });

  let variation: SpcVariation = 'none';
  if (centreMean !== null && amr !== null && lower !== null && upper !== null) {
    const relativeToMean = observed.map((v) => sign(v - centreMean));
    // The package's arithmetic, so that a point exactly on a line falls the same way.
    const upperTwoSigma = centreMean + 2 * (LIMIT_FACTOR / 3) * amr;
    const lowerTwoSigma = centreMean - 2 * (LIMIT_FACTOR / 3) * amr;
    const outside = observed.map((v) => (v > upper || v < lower ? 1 : 0));
    const beyondTwoSigma = observed.map((v) => (v > upperTwoSigma || v < lowerTwoSigma ? 1 : 0));
    const close = beyondTwoSigma.map((b, k) => (b === 1 && outside[k] === 0 ? 1 : 0));
    const counted = settings.twoInThreeCountsOutsideLimits ? beyondTwoSigma : close;
    const rules = rulesByPoint({
      relativeToMean,
      outsideLimits: outside,
      trend: trendMembership(observed, runLength),
      twoInThree: partOfTwoInThree(twoInThreeWindows(counted, relativeToMean), counted),
      shift: partOfPattern(shiftEnds(relativeToMean, runLength), runLength),
    });
    positions.forEach((position, k) => {
      const point = points[position];
      if (!point) return;
      const { specialCause, pointType } = pointTypeFor(rules[k] ?? [], polarity, settings.conflictResolution);
      point.relativeToMean = relativeToMean[k] ?? 0;
      point.isOutsideLimits = outside[k] === 1;
      point.isCloseToLimits = close[k] === 1;
      point.rules = rules[k] ?? [];
      point.specialCause = specialCause;
      point.pointType = pointType;
    });
    const latest = points[positions.at(-1) ?? -1];
    variation = variationFor(latest?.pointType ?? null, latest?.specialCause?.direction ?? null);
  }

  return {
    mean: centreMean,
    averageMovingRange: amr,
    sigma,
    lowerProcessLimit: lower,
    upperProcessLimit: upper,
    points,
    variation,
    assurance: enoughPoints ? assuranceFor({ lower, upper }, settings.target, polarity) : 'none',
    enoughPoints,
    observedPoints: observed.length,
    baselinePointsUsed: baseline.length,
    options: settings,
  };
}
