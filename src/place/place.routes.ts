// HTTP for the place model: validate, call, respond.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import {
  lsoaFeatureCollection,
  lsoaSummary,
  neighbourhoodCodeParam,
  neighbourhoodDetail,
  placeIdParam,
  placeList,
  placeOverview,
  wardFeatureCollection,
} from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import {
  findPlace,
  listPlaces,
  lsoaBoundaries,
  lsoasOf,
  neighbourhoodSummaries,
  wardBoundaries,
} from './place.store.ts';
import { readThroughPlaceCache } from './place-cache.ts';
import { getNeighbourhoodDetail, getPlaceOverview } from './read-place.ts';

const errors = { 400: operationOutcome, 404: operationOutcome };
const tags = ['Place'];

export function placeRoutes(app: App, db: Kysely<Database>): void {
  app.get(
    '/api/places',
    { schema: { tags, summary: 'Places held in this database', response: { 200: placeList } } },
    async () => ({ places: await listPlaces(db) }),
  );

  app.get(
    '/api/places/:placeId',
    {
      schema: {
        tags,
        summary: 'A place: its neighbourhoods with population and deprivation mix',
        params: z.object({ placeId: placeIdParam }),
        response: { 200: placeOverview, ...errors },
      },
    },
    async (req) => getPlaceOverview(db, req.params.placeId),
  );

  app.get(
    '/api/places/:placeId/neighbourhoods/:code',
    {
      schema: {
        tags,
        summary:
          'One neighbourhood: wards, LSOAs, practices, its Integrated Neighbourhood Team and Live Well sites',
        params: z.object({ placeId: placeIdParam, code: neighbourhoodCodeParam }),
        response: { 200: neighbourhoodDetail, ...errors },
      },
    },
    async (req) => getNeighbourhoodDetail(db, req.params.placeId, req.params.code),
  );

  const neighbourhoodQuery = z.object({ neighbourhood: neighbourhoodCodeParam.optional() });

  async function checkNeighbourhood(placeId: string, code: string | undefined) {
    if (!(await findPlace(db, placeId)))
      throw new AppError('not-found', `There is no place "${placeId}". Load its place pack first.`);
    if (code !== undefined && (await neighbourhoodSummaries(db, placeId, code)).length === 0) {
      const message = `"${code}" is not a neighbourhood of ${placeId}.`;
      throw new AppError('invalid', message, [{ diagnostics: message, expression: ['neighbourhood'] }]);
    }
  }

  app.get(
    '/api/places/:placeId/lsoas',
    {
      schema: {
        tags,
        summary: 'LSOAs with deprivation, households and population, most deprived first',
        params: z.object({ placeId: placeIdParam }),
        querystring: neighbourhoodQuery,
        response: { 200: z.object({ lsoas: z.array(lsoaSummary) }), ...errors },
      },
    },
    async (req) => {
      await checkNeighbourhood(req.params.placeId, req.query.neighbourhood);
      const { placeId } = req.params;
      const code = req.query.neighbourhood;
      return {
        lsoas: await readThroughPlaceCache(db, placeId, `lsoas:${code ?? ''}`, () =>
          lsoasOf(db, placeId, code),
        ),
      };
    },
  );

  app.get(
    '/api/places/:placeId/boundaries/lsoas',
    {
      schema: {
        tags,
        summary: 'LSOA boundaries as GeoJSON (WGS84), with each LSOA’s neighbourhood and IMD deciles',
        params: z.object({ placeId: placeIdParam }),
        querystring: neighbourhoodQuery,
        response: { 200: lsoaFeatureCollection, ...errors },
      },
    },
    async (req) => {
      await checkNeighbourhood(req.params.placeId, req.query.neighbourhood);
      return lsoaFeatureCollection.parse(
        await lsoaBoundaries(db, req.params.placeId, req.query.neighbourhood),
      );
    },
  );

  app.get(
    '/api/places/:placeId/boundaries/wards',
    {
      schema: {
        tags,
        summary: 'Ward boundaries as GeoJSON (WGS84), with each ward’s neighbourhood',
        params: z.object({ placeId: placeIdParam }),
        querystring: neighbourhoodQuery,
        response: { 200: wardFeatureCollection, ...errors },
      },
    },
    async (req) => {
      await checkNeighbourhood(req.params.placeId, req.query.neighbourhood);
      return wardFeatureCollection.parse(
        await wardBoundaries(db, req.params.placeId, req.query.neighbourhood),
      );
    },
  );
}
