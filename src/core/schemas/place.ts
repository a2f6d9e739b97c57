// The place API's contract: zod schemas for responses, shared by the server (validation, OpenAPI) and
// the web app (types). Pure: no IO.
import { z } from 'zod';

export const placeIdParam = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a place id such as "bury"');
export const neighbourhoodCodeParam = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,40}$/, 'must be a neighbourhood code such as "east"');

const deciles = z.array(z.number().int()).length(10);

export const neighbourhoodSummary = z.object({
  code: z.string(),
  name: z.string(),
  towns: z.string(),
  lsoaCount: z.number().int(),
  wardCount: z.number().int(),
  practiceCount: z.number().int(),
  population: z.number().int(),
  households: z.number().int(),
  /** LSOAs in each national IMD 2019 decile, decile 1 (most deprived) first. */
  lsoasByImd2019Decile: deciles,
  /** Residents (ONS mid-2020) living in LSOAs of each national IMD 2019 decile. */
  populationByImd2019Decile: deciles,
  /** Population-weighted mean IMD 2025 score (higher is more deprived). */
  imd2025ScoreWeighted: z.number(),
});
export type NeighbourhoodSummary = z.infer<typeof neighbourhoodSummary>;

export const placeSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  ladCode: z.string(),
  region: z.string(),
  populationResidents: z.number().int(),
  populationYear: z.number().int(),
  populationSource: z.string(),
  assignmentStatus: z.string(),
  loadedAt: z.iso.datetime(),
});

export const placeOverview = z.object({
  place: placeSummary,
  neighbourhoods: z.array(neighbourhoodSummary),
  totals: z.object({
    lsoas: z.number().int(),
    lsoasInImd2019Decile1: z.number().int(),
    wards: z.number().int(),
    practices: z.number().int(),
    populationMid2020: z.number().int(),
  }),
});
export type PlaceOverview = z.infer<typeof placeOverview>;

export const wardSummary = z.object({
  code: z.string(),
  name: z.string(),
  assignment: z.string(),
  evidence: z.string(),
  lsoaCount: z.number().int(),
  population: z.number().int(),
  lsoasInMostDeprived20: z.number().int(),
});

export const lsoaSummary = z.object({
  code: z.string(),
  name: z.string(),
  wardCode: z.string(),
  wardName: z.string(),
  neighbourhood: z.string(),
  msoaName: z.string(),
  imd2019Rank: z.number().int(),
  imd2019Decile: z.number().int(),
  imd2025Score: z.number(),
  imd2025Decile: z.number().int(),
  households2021: z.number().int(),
  populationMid2020: z.number().int(),
});
export type LsoaSummary = z.infer<typeof lsoaSummary>;

export const practiceSummary = z.object({
  odsCode: z.string(),
  name: z.string(),
  pcnCode: z.string(),
  pcnName: z.string(),
  neighbourhood: z.string(),
  postcode: z.string(),
  isOpen: z.boolean(),
  listSize2021: z.number().int(),
  assignment: z.string(),
  evidence: z.string(),
});

export const teamSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  roles: z.array(z.object({ role: z.string(), title: z.string(), responsibility: z.string() })),
});

export const liveWellSite = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  town: z.string(),
  neighbourhoods: z.array(z.string()),
  rolloutYear: z.number().int(),
  rolloutYearEnd: z.number().int().nullable(),
  summary: z.string(),
});
export type LiveWellSite = z.infer<typeof liveWellSite>;

export const neighbourhoodDetail = z.object({
  place: z.object({ id: z.string(), name: z.string() }),
  neighbourhood: neighbourhoodSummary,
  wards: z.array(wardSummary),
  lsoas: z.array(lsoaSummary),
  practices: z.array(practiceSummary),
  teams: z.array(teamSummary),
  liveWell: z.array(liveWellSite),
});
export type NeighbourhoodDetail = z.infer<typeof neighbourhoodDetail>;

export const placeList = z.object({
  places: z.array(
    z.object({ id: z.string(), name: z.string(), kind: z.string(), ladCode: z.string(), region: z.string() }),
  ),
});

/** A boundary in WGS84 longitude and latitude, as GeoJSON (RFC 7946). */
const boundaryGeometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.any()),
});

export const lsoaFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({
        code: z.string(),
        name: z.string(),
        ward: z.string(),
        neighbourhood: z.string(),
        imd2019Decile: z.number().int(),
        imd2025Decile: z.number().int(),
      }),
      geometry: boundaryGeometry,
    }),
  ),
});
export type LsoaFeatureCollection = z.infer<typeof lsoaFeatureCollection>;

export const wardFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({
        code: z.string(),
        name: z.string(),
        /** The code of the neighbourhood the ward is in. */
        neighbourhood: z.string(),
      }),
      geometry: boundaryGeometry,
    }),
  ),
});
export type WardFeatureCollection = z.infer<typeof wardFeatureCollection>;
