// The contract of the profiles and outcomes API: placemats, map layers, indicator series and the
// dashboard, as stored by the refresh and served as they are. Shared by the server (OpenAPI) and the
// web app (types). Pure: no IO.
import { z } from 'zod';

export const areaKindParam = z.enum(['borough', 'neighbourhood', 'ward']);
export const areaCodeParam = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an area code such as "east" or "E05014163"');
export const figureIdParam = z
  .string()
  .regex(/^[a-z0-9-]{1,80}$/, 'must be a figure id such as "emergency-admissions"');

const comparison = z.enum(['better', 'similar', 'worse', 'higher', 'lower', 'not-compared']);
const polarity = z.enum(['higher-is-better', 'lower-is-better', 'not-applicable']);
const shown = z.object({ shown: z.string(), value: z.number().nullable() });
const areaRef = z.object({
  kind: z.enum(['borough', 'neighbourhood', 'ward', 'lsoa']),
  code: z.string(),
  name: z.string(),
});
export type AreaRef = z.infer<typeof areaRef>;

export const figure = z.object({
  id: z.string(),
  label: z.string(),
  group: z.enum(['population', 'deprivation', 'conditions', 'segments', 'activity', 'deaths']),
  unit: z.string(),
  method: z.enum(['wilson', 'byar', 'dsr', 'dsr-repeat-events']),
  polarity,
  count: z.string(),
  value: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  comparison,
  note: z.string().nullable(),
});
export type ProfileFigure = z.infer<typeof figure>;

const lifeExpectancy = z.object({
  sex: z.enum(['female', 'male', 'persons']),
  age: z.union([z.literal(0), z.literal(65)]),
  value: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  gap: z.number().nullable(),
  comparison,
  note: z.string().nullable(),
});
export type LifeExpectancyFigure = z.infer<typeof lifeExpectancy>;

export const placemat = z.object({
  area: areaRef,
  parent: areaRef.nullable(),
  children: z.array(areaRef),
  referenceDate: z.string(),
  yearFrom: z.string(),
  lifeFrom: z.string(),
  population: shown,
  pyramid: z.object({ bands: z.array(z.string()), female: z.array(shown), male: z.array(shown) }),
  figures: z.array(figure),
  lifeExpectancy: z.array(lifeExpectancy),
  inequality: z.array(
    z.object({
      sex: z.enum(['female', 'male']),
      age: z.union([z.literal(0), z.literal(65)]),
      sii: z.number().nullable(),
      lower: z.number().nullable(),
      upper: z.number().nullable(),
    }),
  ),
});
export type PlacematBody = z.infer<typeof placemat>;

export const profileIndex = z.object({
  referenceDate: z.string(),
  computedAt: z.iso.datetime(),
  /** Residents counted and residents left out for their opt-out, each disclosed (rounded to 5, 1–7 as "*"). */
  peopleCounted: z.string(),
  peopleOptedOut: z.string(),
  areas: z.array(areaRef.extend({ parent: z.string().nullable() })),
  figures: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      unit: z.string(),
      levels: z.array(z.enum(['ward', 'lsoa'])),
    }),
  ),
});
export type ProfileIndex = z.infer<typeof profileIndex>;

export const mapLayer = z.object({
  figure: z.object({ id: z.string(), label: z.string(), unit: z.string(), polarity: z.string() }),
  level: z.enum(['ward', 'lsoa']),
  referenceDate: z.string(),
  areas: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      parentName: z.string(),
      value: z.number().nullable(),
      lower: z.number().nullable(),
      upper: z.number().nullable(),
      count: z.string(),
      suppressed: z.boolean(),
      comparison,
      note: z.string().nullable(),
    }),
  ),
});
export type MapLayerBody = z.infer<typeof mapLayer>;

const variation = z.enum([
  'common-cause',
  'improvement-high',
  'improvement-low',
  'concern-high',
  'concern-low',
  'neither-high',
  'neither-low',
  'none',
]);
const assurance = z.enum(['consistently-passes', 'consistently-fails', 'inconsistent', 'none']);

export const indicator = z.object({
  id: z.string(),
  name: z.string(),
  outcome: z.string(),
  numerator: z.object({ measure: z.string(), label: z.string(), per: z.string().optional() }),
  denominator: z.object({ measure: z.string(), label: z.string(), per: z.string().optional() }),
  multiplier: z.number(),
  unit: z.string(),
  periods: z.array(z.enum(['month', 'quarter'])),
  source: z.string(),
  polarity: z.enum(['higher-is-better', 'lower-is-better', 'neither']),
  target: z.number().nullable(),
});

export const seriesPeriodParam = z.enum(['month', 'quarter']);

export const indicatorSeries = z.object({
  indicator,
  area: areaRef,
  period: seriesPeriodParam,
  points: z.array(
    z.object({ period: z.string(), label: z.string(), count: z.string(), value: z.number().nullable() }),
  ),
  // The XmR chart as src/stats/spc.ts computes it (limits, each point's rules and type, the icons).
  chart: z.looseObject({
    mean: z.number().nullable(),
    lowerProcessLimit: z.number().nullable(),
    upperProcessLimit: z.number().nullable(),
    variation,
    assurance,
    enoughPoints: z.boolean(),
    points: z.array(z.looseObject({ pointType: z.string().nullable() })),
  }),
});
export type IndicatorSeriesBody = z.infer<typeof indicatorSeries>;

export const dashboard = z.object({
  referenceDate: z.string(),
  catalogueVersion: z.string(),
  rows: z.array(
    z.object({
      indicator: z.object({
        id: z.string(),
        name: z.string(),
        unit: z.string(),
        outcome: z.string(),
        polarity: z.string(),
      }),
      area: areaRef,
      period: seriesPeriodParam,
      latest: z
        .object({ period: z.string(), label: z.string(), count: z.string(), value: z.number().nullable() })
        .nullable(),
      mean: z.number().nullable(),
      variation,
      assurance,
    }),
  ),
});
export type DashboardBody = z.infer<typeof dashboard>;
