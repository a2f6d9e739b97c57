// The figures of a placemat: what each one counts, how it is computed (the public-health statistics
// module) and how it is compared with the borough. Each figure names the published count it rests on;
// when secondary suppression hides that count the figure is not shown either, since a rate, a
// percentage or a standardised rate with its interval would give the count back. Pure.
import type { Disclosed } from '../access/disclosure.ts';
import { type Comparison, compareWithComparator, type Polarity } from '../stats/compare.ts';
import { calculateDsr, calculateDsrNonIndependent, DSR_MIN_COUNT, ESP2013 } from '../stats/dsr.ts';
import { calculateProportion } from '../stats/proportion.ts';
import { calculateCrudeRate } from '../stats/rate.ts';
import { type AreaKind, frequencyOf, keysWith, total } from './profile-cells.ts';

export type FigureGroup = 'population' | 'deprivation' | 'conditions' | 'segments' | 'activity' | 'deaths';
export type FigureMethod = 'wilson' | 'byar' | 'dsr' | 'dsr-repeat-events';

export interface FigureSpec {
  id: string;
  label: string;
  group: FigureGroup;
  method: FigureMethod;
  /** The published count the figure rests on (numerator). */
  count: string;
  /** Denominator key for a proportion or crude rate. */
  denominator?: string;
  /** Prefix of the event cells by age band for a standardised rate (`ed|`, `death|`). */
  events?: string;
  unit: string;
  multiplier: number;
  polarity: Polarity;
  /** The smallest area the figure is published for. */
  smallest: AreaKind;
  /** False for a figure drawn on maps only (the crude rates that stand in for standardised ones by LSOA). */
  inPlacemat?: boolean;
}

/** The published counts a figure is computed from: hidden when any of them is. */
export const figureInputs = (spec: FigureSpec): string[] =>
  spec.denominator === undefined ? [spec.count] : [spec.count, spec.denominator];

export const ESP_BANDS: readonly number[] = ESP2013.map((b) => b.startAge);
export const SEXES = ['female', 'male'] as const;

const percent = { unit: '%', multiplier: 100 } as const;
const per100k = { unit: 'per 100,000', multiplier: 100_000 } as const;

/** The fixed figures; conditions, segments, deprivation quintiles and causes of death are added per place. */
export const FIXED_FIGURES: readonly FigureSpec[] = [
  share('share-under-15', 'Residents aged under 15', 'pop:0-14'),
  share('share-65-plus', 'Residents aged 65 and over', 'pop:65+'),
  share('share-75-plus', 'Residents aged 75 and over', 'pop:75+'),
  {
    id: 'ed-attendances',
    label: 'A&E attendances (age-standardised)',
    group: 'activity',
    method: 'dsr-repeat-events',
    count: 'ed',
    events: 'ed|',
    ...per100k,
    polarity: 'lower-is-better',
    smallest: 'ward',
  },
  {
    id: 'emergency-admissions',
    label: 'Emergency admissions (age-standardised)',
    group: 'activity',
    method: 'dsr-repeat-events',
    count: 'em',
    events: 'emergency-admission|',
    ...per100k,
    polarity: 'lower-is-better',
    smallest: 'ward',
  },
  {
    id: 'readmissions-30-days',
    label: 'Emergency admissions that were readmissions within 30 days',
    group: 'activity',
    method: 'wilson',
    count: 'readmit',
    denominator: 'em',
    ...percent,
    polarity: 'lower-is-better',
    smallest: 'lsoa',
  },
  {
    id: 'care-home-admissions-65',
    label: 'Permanent admissions to care homes, aged 65 and over',
    group: 'activity',
    method: 'byar',
    count: 'carehome65',
    denominator: 'mid65',
    ...per100k,
    polarity: 'lower-is-better',
    smallest: 'lsoa',
  },
  {
    id: 'deaths',
    label: 'Deaths from all causes (age-standardised)',
    group: 'deaths',
    method: 'dsr',
    count: 'death',
    events: 'death|',
    ...per100k,
    polarity: 'lower-is-better',
    smallest: 'ward',
  },
];

/**
 * By LSOA a standardised rate would rest on a handful of events in each age band, which its value and
 * interval could give away: maps of LSOAs show crude rates per 100,000 residents instead.
 */
const CRUDE_FOR_MAPS: readonly FigureSpec[] = FIXED_FIGURES.filter((f) => f.method.startsWith('dsr')).map(
  (f): FigureSpec => ({
    ...f,
    id: `${f.id}-crude`,
    label: f.label.replace('(age-standardised)', '(crude rate)'),
    method: 'byar',
    denominator: 'pop',
    smallest: 'lsoa',
    inPlacemat: false,
  }),
);

function share(id: string, label: string, count: string): FigureSpec {
  return {
    id,
    label,
    group: 'population',
    method: 'wilson',
    count,
    denominator: 'pop',
    ...percent,
    polarity: 'not-applicable',
    smallest: 'lsoa',
  };
}

export const CAUSES = ['cardiovascular', 'cancer', 'respiratory', 'other'] as const;
const CAUSE_LABELS: Record<(typeof CAUSES)[number], string> = {
  cardiovascular: 'Deaths from circulatory disease, share of all deaths',
  cancer: 'Deaths from cancer, share of all deaths',
  respiratory: 'Deaths from respiratory disease, share of all deaths',
  other: 'Deaths from other causes, share of all deaths',
};

/** Every figure of a place's placemats, given its conditions and segments (ids with labels). */
export function figureSpecs(
  conditions: readonly { id: string; label: string }[],
  segments: readonly { id: string; label: string }[],
): FigureSpec[] {
  const prevalence = conditions.map(
    (c): FigureSpec => ({
      id: `prevalence-${c.id}`,
      label: `${c.label}: recorded prevalence`,
      group: 'conditions',
      method: 'wilson',
      count: `ltc|${c.id}`,
      denominator: 'pop',
      ...percent,
      polarity: 'not-applicable',
      smallest: 'lsoa',
    }),
  );
  const segmentShares = segments.map(
    (s): FigureSpec => ({
      id: `segment-${s.id}`,
      label: s.label,
      group: 'segments',
      method: 'wilson',
      count: `seg|${s.id}`,
      denominator: 'pop',
      ...percent,
      polarity: 'not-applicable',
      smallest: 'ward',
    }),
  );
  const quintiles = [1, 2, 3, 4, 5].map(
    (q): FigureSpec => ({
      id: `imd-quintile-${q}`,
      label:
        q === 1
          ? 'Residents in the most deprived fifth of areas in England (IMD 2019 quintile 1, Core20)'
          : q === 5
            ? 'Residents in the least deprived fifth of areas in England (IMD 2019 quintile 5)'
            : `Residents in IMD 2019 quintile ${q} of areas in England`,
      group: 'deprivation',
      method: 'wilson',
      count: `q|${q}`,
      denominator: 'pop',
      ...percent,
      polarity: 'not-applicable',
      smallest: 'ward',
    }),
  );
  const causes = CAUSES.map(
    (c): FigureSpec => ({
      id: `deaths-${c}`,
      label: CAUSE_LABELS[c],
      group: 'deaths',
      method: 'wilson',
      count: `cause|${c}`,
      denominator: 'death',
      ...percent,
      polarity: 'not-applicable',
      smallest: 'ward',
    }),
  );
  return [...FIXED_FIGURES, ...quintiles, ...prevalence, ...segmentShares, ...causes, ...CRUDE_FOR_MAPS];
}

/** One figure as published for one area. */
export interface Figure {
  id: string;
  label: string;
  group: FigureGroup;
  unit: string;
  method: FigureMethod;
  polarity: Polarity;
  /** The count, as it may be published: "*" when hidden, otherwise rounded to 5. */
  count: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  comparison: Comparison;
  /** Why there is no value, in plain words; null when there is one. */
  note: string | null;
}

export const NOTE_SUPPRESSED = 'Not shown: too few people to publish safely.';
export const NOTE_TOO_FEW = `Not calculated: fewer than ${DSR_MIN_COUNT} events.`;
export const NOTE_NO_DENOMINATOR = 'Not calculated: no one in the group it is a share of.';
export const NOTE_EMPTY_BAND = 'Not calculated: no residents in some age bands.';

type Estimate = { value: number | null; lower: number | null; upper: number | null; note: string | null };

/** The figure's value and 95% interval from an area's exact counts. */
export function estimate(spec: FigureSpec, counts: ReadonlyMap<string, number>): Estimate {
  const none = (note: string): Estimate => ({ value: null, lower: null, upper: null, note });
  const count = counts.get(spec.count) ?? 0;
  if (spec.method === 'wilson' || spec.method === 'byar') {
    const denominator = counts.get(spec.denominator ?? '') ?? 0;
    if (denominator <= 0) return none(NOTE_NO_DENOMINATOR);
    const e =
      spec.method === 'wilson'
        ? calculateProportion(Math.min(count, denominator), denominator, { multiplier: spec.multiplier })
        : calculateCrudeRate(count, denominator, { multiplier: spec.multiplier });
    return { value: e.value, lower: e.lower, upper: e.upper, note: null };
  }
  const populations = ESP_BANDS.map((b) =>
    total(
      counts,
      SEXES.map((s) => `mid|${s}|${b}`),
    ),
  );
  if (populations.some((p) => p <= 0)) return none(NOTE_EMPTY_BAND);
  if (count < DSR_MIN_COUNT) return none(NOTE_TOO_FEW);
  const prefix = spec.events ?? '';
  const e =
    spec.method === 'dsr'
      ? calculateDsr(
          ESP_BANDS.map((b, i) => ({
            count: total(
              counts,
              SEXES.map((s) => `${prefix}${s}|${b}`),
            ),
            population: populations[i] ?? 0,
          })),
          { multiplier: spec.multiplier },
        )
      : calculateDsrNonIndependent(
          ESP_BANDS.map((b, i) => {
            const personsByFrequency = keysWith(counts, `${prefix}${b}|`).map((k) => ({
              frequency: frequencyOf(k),
              persons: counts.get(k) ?? 0,
            }));
            return {
              events: personsByFrequency.reduce((t, f) => t + f.frequency * (f.persons ?? 0), 0),
              population: populations[i] ?? 0,
              personsByFrequency,
            };
          }),
          { multiplier: spec.multiplier },
        );
  return { value: e.value, lower: e.lower, upper: e.upper, note: e.value === null ? NOTE_TOO_FEW : null };
}

/** Values are published to one decimal place, as shown: no more precision than a reader needs (never -0). */
export const oneDecimal = (v: number | null | undefined): number | null => {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const r = Math.round(v * 10) / 10;
  return r === 0 ? 0 : r;
};

/**
 * The figure as published: hidden when any count it is computed from is hidden (a percentage would give
 * back its denominator as well as its numerator), compared with the borough's value.
 */
export function publishFigure(
  spec: FigureSpec,
  counts: ReadonlyMap<string, number>,
  inputs: readonly Disclosed[],
  boroughValue: number | null,
): Figure {
  const base = {
    id: spec.id,
    label: spec.label,
    group: spec.group,
    unit: spec.unit,
    method: spec.method,
    polarity: spec.polarity,
    count: inputs[0]?.shown ?? '*',
  };
  if (inputs.length === 0 || inputs.some((d) => d.isSuppressed))
    return {
      ...base,
      value: null,
      lower: null,
      upper: null,
      comparison: 'not-compared',
      note: NOTE_SUPPRESSED,
    };
  const e = estimate(spec, counts);
  const rounded = { value: oneDecimal(e.value), lower: oneDecimal(e.lower), upper: oneDecimal(e.upper) };
  return {
    ...base,
    ...rounded,
    note: e.note,
    comparison:
      boroughValue === null ? 'not-compared' : compareWithComparator(rounded, boroughValue, spec.polarity),
  };
}
