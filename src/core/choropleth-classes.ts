// Classing for choropleth maps, shared with the web app's map component: areas are ranked by value and
// split into groups of about equal size (quantiles: fifths, or quintiles, by default), and each group is
// given a colour from a sequential scale, light for low values and dark for high ones. Pure.
//
// The rule, as the map's legend states it:
// 1. Only shown values count: suppressed and missing values take no part, and are hatched on the map.
// 2. The sorted values are cut at ranks i × n / k (rounded) for i = 1 … k − 1, so each of the k groups
//    holds about n / k areas.
// 3. Equal values always share a group: a cut that falls inside a run of equal values moves to the
//    nearer end of the run (on a tie, past its end). Cuts that meet are merged, so ties or few areas
//    can give fewer groups than asked for.
// 4. Each cut is placed at the roundest number between the last value below it and the first value at
//    or above it (a multiple of 1, 2 or 5 × a power of ten, the largest that fits), so the legend reads
//    "under 650", "650 to under 720", … "1,000 or more" and every value falls in exactly one range.

/** Fewest and most groups the map can show: beyond seven, neighbouring shades are too alike. */
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 7;

/** A cut between two groups: values at or above `value` are in the higher group. */
export interface ClassBreak {
  value: number;
  /** Decimal places needed to write `value` exactly. */
  decimals: number;
}

export interface ChoroplethClass {
  /** 1 is the lowest group. */
  index: number;
  /** Fill colour, a sRGB hex string from {@link choroplethColours}. */
  colour: string;
  /** The range in words: "under 650", "650 to under 720", "1,000 or more" (or the one value, if all equal). */
  label: string;
  /** Values in the group are at least this (null for the lowest group). */
  lower: number | null;
  /** Values in the group are less than this (null for the highest group). */
  upper: number | null;
  /** How many values are in the group. */
  size: number;
}

export interface Classing {
  /** The number of groups asked for. */
  requested: number;
  /** Cuts, ascending: one fewer than the groups made. */
  breaks: ClassBreak[];
  /** The groups made, lowest first; empty when there are no values. */
  classes: ChoroplethClass[];
}

/**
 * Sequential fills for 1 to 7 groups, lightest first: blues (after ColorBrewer's "Blues") spaced evenly
 * in lightness (CIELAB L* from 90 down to 25), so neighbouring steps differ by at least 10 L* whatever
 * the count (lightness survives colour-vision deficiency and greyscale printing), and the darker steps
 * have at least 3:1 contrast with the white background and borders (WCAG 2.2, 1.4.11). The unit test
 * checks both. Blue keeps these maps apart from the viridis of the deprivation maps.
 */
const PALETTES: Readonly<Record<number, readonly string[]>> = {
  1: ['#4191c6'],
  2: ['#d4e4f4', '#093979'],
  3: ['#d4e4f4', '#4191c6', '#093979'],
  4: ['#d4e4f4', '#6caed6', '#2372b6', '#093979'],
  5: ['#d4e4f4', '#86bcdc', '#4191c6', '#1863aa', '#093979'],
  6: ['#d4e4f4', '#95c5df', '#5ca3d0', '#307ebc', '#125aa3', '#093979'],
  7: ['#d4e4f4', '#9fcae1', '#6caed6', '#4191c6', '#2372b6', '#0c549e', '#093979'],
};

/** The fill colours for `count` groups, lightest (lowest) first. */
export function choroplethColours(count: number): readonly string[] {
  const palette = PALETTES[count];
  if (!palette) throw new RangeError(`a choropleth has 1 to ${MAX_CLASSES} groups, not ${count}`);
  return palette;
}

const QUANTILE_NAMES: Readonly<Record<number, string>> = {
  2: 'halves',
  3: 'thirds (tertiles)',
  4: 'quarters (quartiles)',
  5: 'fifths (quintiles)',
  6: 'sixths (sextiles)',
  7: 'sevenths (septiles)',
};

/** The plain name of k equal-sized groups: "fifths (quintiles)". */
export function quantileName(classes: number): string {
  return QUANTILE_NAMES[classes] ?? `${classes} groups`;
}

/** Split values into `classes` groups of about equal size (see the rule at the top of this file). */
export function quantileClasses(values: readonly number[], classes = 5): Classing {
  if (!Number.isInteger(classes) || classes < MIN_CLASSES || classes > MAX_CLASSES)
    throw new RangeError(`a choropleth has ${MIN_CLASSES} to ${MAX_CLASSES} groups, not ${classes}`);
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`${v} is not a value to map`);
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { requested: classes, breaks: [], classes: [] };

  const cuts = new Set<number>();
  for (let i = 1; i < classes; i++) {
    const cut = nearestChange(sorted, Math.round((i * n) / classes));
    if (cut !== null) cuts.add(cut);
  }
  const breaks = [...cuts]
    .sort((a, b) => a - b)
    .map((q) => roundestBetween(sorted[q - 1] as number, sorted[q] as number));

  const count = breaks.length + 1;
  const colours = choroplethColours(count);
  const sizes = new Array<number>(count).fill(0);
  for (const v of sorted) {
    const i = classOf(v, breaks) - 1;
    sizes[i] = (sizes[i] ?? 0) + 1;
  }
  const decimals = Math.max(0, ...breaks.map((b) => b.decimals));
  const limit = (b: ClassBreak) => formatNumber(b.value, decimals);

  return {
    requested: classes,
    breaks,
    classes: sizes.map((size, i) => {
      const lower = breaks[i - 1];
      const upper = breaks[i];
      const label =
        lower && upper
          ? `${limit(lower)} to under ${limit(upper)}`
          : upper
            ? `under ${limit(upper)}`
            : lower
              ? `${limit(lower)} or more`
              : formatValue(sorted[0] as number);
      return {
        index: i + 1,
        colour: colours[i] as string,
        label,
        lower: lower?.value ?? null,
        upper: upper?.value ?? null,
        size,
      };
    }),
  };
}

/** The group (1 = lowest) a value falls in, given the cuts of {@link quantileClasses}. */
export function classOf(value: number, breaks: readonly ClassBreak[]): number {
  let index = 1;
  for (const b of breaks) if (value >= b.value) index++;
  return index;
}

/**
 * The cut nearest rank `at` (0 < cut < n) between two different values, so equal values stay together;
 * on a tie, the later one. Null when every value is the same.
 */
function nearestChange(sorted: readonly number[], at: number): number | null {
  const n = sorted.length;
  const isChange = (q: number) => q > 0 && q < n && (sorted[q - 1] as number) < (sorted[q] as number);
  for (let d = 0; d < n; d++) {
    if (isChange(at + d)) return at + d;
    if (isChange(at - d)) return at - d;
  }
  return null;
}

/**
 * The roundest number above `below` and at most `atLeast` (below < atLeast): the smallest multiple
 * above `below` of the largest step 10^e, 5 × 10^(e−1) or 2 × 10^(e−1) that has one in range.
 * Worked in decimal digits, so 0.3 is exactly the 0.3 a value may be, not 0.30000000000000004.
 */
export function roundestBetween(below: number, atLeast: number): ClassBreak {
  if (!(below < atLeast)) throw new RangeError(`no number lies above ${below} and at most ${atLeast}`);
  const top = Math.floor(Math.log10(Math.max(Math.abs(below), Math.abs(atLeast)))) + 1;
  for (let e = top; e >= top - 15; e--) {
    for (const [digit, exponent] of [
      [1, e],
      [5, e - 1],
      [2, e - 1],
    ] as const) {
      const step = decimal(digit, exponent);
      if (!(step >= 1e-300 && step <= 1e300)) continue; // beyond ordinary doubles: use the fallback
      const at = (k: number) => decimal(k * digit, exponent);
      let k = Math.floor(below / step) + 1;
      while (at(k) <= below) k++;
      while (at(k - 1) > below) k--;
      const value = at(k);
      if (value <= atLeast) return { value, decimals: Math.max(0, -exponent) };
    }
  }
  // Only when the two differ beyond the 16th significant digit: cut at the higher value itself.
  return { value: atLeast, decimals: Math.max(0, 16 - top) };
}

/** The number `digits` × 10^exponent, read from its decimal form so it is the nearest double. */
function decimal(digits: number, exponent: number): number {
  return Number(`${digits}e${exponent}`);
}

function formatNumber(value: number, decimals: number): string {
  if (decimals > 20) return String(value); // tinier than any rate or count: JavaScript's own form
  return value.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function formatValue(value: number): string {
  return value.toLocaleString('en-GB', { maximumSignificantDigits: 6 });
}
