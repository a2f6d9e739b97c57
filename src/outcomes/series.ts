// The outcomes framework's series: each indicator by month and by quarter for the borough and each
// neighbourhood, with its statistical process control chart, and the dashboard that puts special-cause
// change first. The counts are published (and so disclosed) like every other: a month's count is part
// of its quarter, of the profile's year and of the borough's month, and those sums go to secondary
// suppression with the placemats' own. A point whose count is hidden has no value, and the chart is
// drawn from the points that have one. Pure.
import type { Disclosed, LinkedSum } from '../access/disclosure.ts';
import type { AreaRef } from '../profiles/placemats.ts';
import { type Area, cellId, type ProfilePeriods } from '../profiles/profile-cells.ts';
import { type SpcChart, xmrChart } from '../stats/spc.ts';
import { type Catalogue, type Indicator, isRatioOfRates, SERIES_MEASURES } from './catalogue.ts';

export type SeriesPeriod = 'month' | 'quarter';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The calendar quarters wholly inside the months, each as its first month (YYYY-MM). */
export function quartersOf(months: readonly string[]): string[] {
  const have = new Set(months);
  return months.filter((m) => {
    const [y, mm] = m.split('-').map(Number) as [number, number];
    if ((mm - 1) % 3 !== 0) return false;
    return [1, 2].every((k) => have.has(`${y}-${String(mm + k).padStart(2, '0')}`));
  });
}

export const monthsOfQuarter = (first: string): string[] => {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return [0, 1, 2].map((k) => `${y}-${String(m + k).padStart(2, '0')}`);
};

export function periodLabel(period: SeriesPeriod, first: string): string {
  const [y, m] = first.split('-').map(Number) as [number, number];
  if (period === 'month') return `${MONTH_NAMES[m - 1]} ${y}`;
  return `${MONTH_NAMES[m - 1]}–${MONTH_NAMES[m + 1]} ${y}`;
}

/** Counts a reader can work out from the measures (admissions under 65, admissions not readmissions). */
const REMAINDERS = ['em-under65', 'em-first'];

const monthKey = (month: string, measure: string) => `m|${month}|${measure}`;
const quarterKey = (first: string, measure: string) => `qtr|${first}|${measure}`;

/** The areas the framework reports on: the borough and its neighbourhoods. */
export const seriesAreas = (areas: ReadonlyMap<string, Area>): Area[] =>
  [...areas.values()].filter((a) => a.kind === 'borough' || a.kind === 'neighbourhood');

/** Adds each area's quarter counts (sums of its months). */
export function addQuarterCounts(counts: Map<string, number>, periods: ProfilePeriods): void {
  const measures = new Set<string>();
  for (const k of counts.keys()) if (k.startsWith('m|')) measures.add(k.slice(10));
  for (const q of quartersOf(periods.months))
    for (const measure of measures)
      counts.set(
        quarterKey(q, measure),
        monthsOfQuarter(q).reduce((t, m) => t + (counts.get(monthKey(m, measure)) ?? 0), 0),
      );
}

/** The series' published counts and the sums among them and with the placemats' year counts. */
export function seriesCells(
  areas: ReadonlyMap<string, Area>,
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>,
  periods: ProfilePeriods,
): { cells: Map<string, number>; sums: LinkedSum[] } {
  const cells = new Map<string, number>();
  const sums: LinkedSum[] = [];
  const quarters = quartersOf(periods.months);
  const published = seriesAreas(areas);
  for (const area of published) {
    const c = counts.get(area.key) ?? new Map<string, number>();
    const id = (k: string) => cellId(area.key, k);
    for (const measure of [...SERIES_MEASURES, ...REMAINDERS]) {
      for (const m of periods.months) cells.set(id(monthKey(m, measure)), c.get(monthKey(m, measure)) ?? 0);
      for (const q of quarters) {
        cells.set(id(quarterKey(q, measure)), c.get(quarterKey(q, measure)) ?? 0);
        sums.push({
          total: id(quarterKey(q, measure)),
          parts: monthsOfQuarter(q).map((m) => id(monthKey(m, measure))),
        });
      }
    }
    for (const m of periods.months)
      sums.push({
        total: id(monthKey(m, 'em')),
        parts: [id(monthKey(m, 'em-core20')), id(monthKey(m, 'em-rest'))],
      });
    // The placemat's year is the last twelve months: its counts are sums of the months.
    const year = periods.months.slice(-12);
    for (const measure of ['ed', 'em', 'readmit', 'carehome65'])
      sums.push({ total: id(measure), parts: year.map((m) => id(monthKey(m, measure))) });
    // The borough's month is the sum of its neighbourhoods' months.
    if (area.kind === 'borough')
      for (const k of cells.keys()) {
        if (!k.startsWith(`${area.key}#`)) continue;
        const key = k.slice(area.key.length + 1);
        sums.push({ total: k, parts: area.childKeys.map((child) => cellId(child, key)) });
      }
  }
  return { cells, sums };
}

export interface SeriesPoint {
  period: string;
  label: string;
  /** The numerator as published ("*" when hidden). */
  count: string;
  value: number | null;
}

export interface IndicatorSeries {
  indicator: Indicator;
  area: AreaRef;
  period: SeriesPeriod;
  points: SeriesPoint[];
  chart: SpcChart;
}

/** One indicator's series for one area, with its XmR chart. */
export function buildSeries(input: {
  indicator: Indicator;
  area: Area;
  period: SeriesPeriod;
  counts: ReadonlyMap<string, number>;
  disclosed: ReadonlyMap<string, Disclosed>;
  periods: ProfilePeriods;
}): IndicatorSeries {
  const { indicator, area, period, counts } = input;
  const firsts = period === 'month' ? input.periods.months : quartersOf(input.periods.months);
  const key = period === 'month' ? monthKey : quarterKey;
  const months = (first: string) => (period === 'month' ? [first] : monthsOfQuarter(first));
  // A population over a period: the mean of its months' mid-month populations.
  const population = (first: string, measure: string) => {
    const ms = months(first);
    return ms.reduce((t, m) => t + (counts.get(monthKey(m, measure)) ?? 0), 0) / ms.length;
  };
  const shown = (first: string, measure: string) =>
    input.disclosed.get(cellId(area.key, key(first, measure))) ?? {
      shown: '*',
      value: null,
      isSuppressed: true,
    };
  const points = firsts.map((first): SeriesPoint => {
    const num = shown(first, indicator.numerator.measure);
    const numerator = counts.get(key(first, indicator.numerator.measure)) ?? 0;
    let value: number | null;
    if (isRatioOfRates(indicator)) {
      const den = shown(first, indicator.denominator.measure);
      const a = population(first, indicator.numerator.per ?? 'pop');
      const b = population(first, indicator.denominator.per ?? 'pop');
      const rest = counts.get(key(first, indicator.denominator.measure)) ?? 0;
      value =
        num.isSuppressed || den.isSuppressed || a <= 0 || b <= 0 || rest === 0
          ? null
          : (numerator / a / (rest / b)) * indicator.multiplier;
    } else {
      const isCount = (SERIES_MEASURES as readonly string[]).includes(indicator.denominator.measure);
      const denominator = isCount
        ? (counts.get(key(first, indicator.denominator.measure)) ?? 0)
        : population(first, indicator.denominator.measure);
      const den = isCount ? shown(first, indicator.denominator.measure) : undefined;
      value =
        num.isSuppressed || den?.isSuppressed || denominator <= 0
          ? null
          : (numerator / denominator) * indicator.multiplier;
    }
    return {
      period: first,
      label: periodLabel(period, first),
      count: num.shown,
      value,
    };
  });
  const chart = xmrChart(
    points.map((p) => p.value),
    // Three years give twelve quarters: limits from twelve points, as NHSRplotthedots draws them.
    {
      polarity: indicator.polarity,
      target: indicator.target,
      ...(period === 'quarter' ? { minimumPoints: 12 } : {}),
    },
  );
  return { indicator, area: { kind: area.kind, code: area.code, name: area.name }, period, points, chart };
}

/** Every indicator's series for every reported area and period. */
export function buildAllSeries(input: {
  catalogue: Catalogue;
  areas: ReadonlyMap<string, Area>;
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  disclosed: ReadonlyMap<string, Disclosed>;
  periods: ProfilePeriods;
}): IndicatorSeries[] {
  return input.catalogue.indicators.flatMap((indicator) =>
    seriesAreas(input.areas).flatMap((area) =>
      indicator.periods.map((period) =>
        buildSeries({
          indicator,
          area,
          period,
          counts: input.counts.get(area.key) ?? new Map(),
          disclosed: input.disclosed,
          periods: input.periods,
        }),
      ),
    ),
  );
}

export interface DashboardRow {
  indicator: { id: string; name: string; unit: string; outcome: string; polarity: Indicator['polarity'] };
  area: AreaRef;
  period: SeriesPeriod;
  latest: SeriesPoint | null;
  mean: number | null;
  variation: SpcChart['variation'];
  assurance: SpcChart['assurance'];
}

/** How urgently a row needs reading: concern first, then improvement, then the rest. */
const ORDER: Record<SpcChart['variation'], number> = {
  'concern-high': 0,
  'concern-low': 0,
  'improvement-high': 1,
  'improvement-low': 1,
  'neither-high': 2,
  'neither-low': 2,
  'common-cause': 3,
  none: 4,
};

/** The dashboard: each indicator's first period for every area, special-cause change first. */
export function buildDashboard(series: readonly IndicatorSeries[]): DashboardRow[] {
  return series
    .filter((s) => s.period === s.indicator.periods[0])
    .map((s): DashboardRow => {
      const latest = [...s.points].reverse().find((p) => p.value !== null) ?? null;
      return {
        indicator: {
          id: s.indicator.id,
          name: s.indicator.name,
          unit: s.indicator.unit,
          outcome: s.indicator.outcome,
          polarity: s.indicator.polarity,
        },
        area: s.area,
        period: s.period,
        latest,
        mean: s.chart.mean,
        variation: s.chart.variation,
        assurance: s.chart.assurance,
      };
    })
    .sort(
      (a, b) =>
        ORDER[a.variation] - ORDER[b.variation] ||
        a.indicator.name.localeCompare(b.indicator.name) ||
        (a.area.kind === 'borough'
          ? -1
          : b.area.kind === 'borough'
            ? 1
            : a.area.name.localeCompare(b.area.name)),
    );
}
