// HTTP for profiles (placemats), maps and the outcomes framework: aggregates only, already disclosed
// at refresh, so every signed-in member of staff may read them. Bodies are sent as stored.
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import {
  areaCodeParam,
  areaKindParam,
  dashboard,
  figureIdParam,
  indicatorSeries,
  mapLayer,
  type PlacematBody,
  placemat,
  profileIndex,
  seriesPeriodParam,
} from '../core/schemas/profile.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { placematCsv } from './placemat-csv.ts';
import { placematPdf } from './placemat-pdf.ts';
import { snapshotText } from './profile.store.ts';

/** Sends stored JSON as it is (it was checked against its schema when it was made). */
const sendJson = (reply: FastifyReply, text: string) =>
  reply.type('application/json; charset=utf-8').send(text);

const errors = { 400: operationOutcome, 404: operationOutcome };
const tags = ['Profiles and outcomes'];
const NOT_REFRESHED =
  'There are no profiles for this place yet. They are computed after each stratification ("joinedup stratify").';

export function profileRoutes(app: App, db: Kysely<Database>): void {
  const stored = async (
    placeId: string,
    kind: 'placemat' | 'map' | 'series' | 'dashboard',
    key: string,
    missing: string,
  ) => {
    const text = await snapshotText(db, placeId, kind, key);
    if (text !== undefined) return text;
    const index = await snapshotText(db, placeId, 'dashboard', 'index');
    throw new AppError('not-found', index === undefined ? NOT_REFRESHED : missing);
  };
  const areaParams = z.object({ placeId: placeIdParam, areaKind: areaKindParam, code: areaCodeParam });
  const noArea = 'There is no such area in this place’s profiles.';

  app.get(
    '/api/places/:placeId/profiles',
    {
      schema: {
        tags,
        summary: 'The areas with a placemat and the figures that can be mapped, as of the last refresh',
        params: z.object({ placeId: placeIdParam }),
        response: { 200: profileIndex, ...errors },
      },
    },
    async (req, reply) =>
      sendJson(reply, await stored(req.params.placeId, 'dashboard', 'index', NOT_REFRESHED)),
  );

  app.get(
    '/api/places/:placeId/profiles/:areaKind/:code',
    {
      schema: {
        tags,
        summary:
          'The placemat of the borough, a neighbourhood or a ward: every figure with its interval and comparison',
        params: areaParams,
        response: { 200: placemat, ...errors },
      },
    },
    async (req, reply) => {
      const { placeId, areaKind, code } = req.params;
      return sendJson(reply, await stored(placeId, 'placemat', `${areaKind}:${code}`, noArea));
    },
  );

  app.get(
    '/api/places/:placeId/profiles/:areaKind/:code/download/:format',
    {
      schema: {
        tags,
        summary: 'A placemat to download as JSON, CSV or an A4 PDF',
        params: areaParams.extend({ format: z.enum(['json', 'csv', 'pdf']) }),
        response: { 200: z.any(), ...errors },
      },
    },
    async (req, reply) => {
      const { placeId, areaKind, code, format } = req.params;
      const text = await stored(placeId, 'placemat', `${areaKind}:${code}`, noArea);
      const body = JSON.parse(text) as PlacematBody;
      const file = `${body.area.name
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()}-placemat-${body.referenceDate}.${format}`;
      reply.header('Content-Disposition', `attachment; filename="${file}"`);
      if (format === 'json') return sendJson(reply, text);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(placematCsv(body));
      return reply.type('application/pdf').send(await placematPdf(body));
    },
  );

  app.get(
    '/api/places/:placeId/maps/:figureId/:level',
    {
      schema: {
        tags,
        summary: 'One figure for every ward or every LSOA, for a choropleth map',
        params: z.object({ placeId: placeIdParam, figureId: figureIdParam, level: z.enum(['ward', 'lsoa']) }),
        response: { 200: mapLayer, ...errors },
      },
    },
    async (req, reply) => {
      const { placeId, figureId, level } = req.params;
      const missing = `There is no map of "${figureId}" by ${level === 'lsoa' ? 'LSOA' : 'ward'}.`;
      return sendJson(reply, await stored(placeId, 'map', `${figureId}:${level}`, missing));
    },
  );

  app.get(
    '/api/places/:placeId/outcomes',
    {
      schema: {
        tags,
        summary:
          'The outcomes dashboard: every indicator for the borough and each neighbourhood, special-cause change first',
        params: z.object({ placeId: placeIdParam }),
        response: { 200: dashboard, ...errors },
      },
    },
    async (req, reply) =>
      sendJson(reply, await stored(req.params.placeId, 'dashboard', 'all', NOT_REFRESHED)),
  );

  app.get(
    '/api/places/:placeId/outcomes/:indicatorId/:areaKind/:code/:period',
    {
      schema: {
        tags,
        summary: 'One indicator for one area by month or quarter, with its statistical process control chart',
        params: z.object({
          placeId: placeIdParam,
          indicatorId: figureIdParam,
          areaKind: z.enum(['borough', 'neighbourhood']),
          code: areaCodeParam,
          period: seriesPeriodParam,
        }),
        response: { 200: indicatorSeries, ...errors },
      },
    },
    async (req, reply) => {
      const { placeId, indicatorId, areaKind, code, period } = req.params;
      const missing = `There is no ${period === 'month' ? 'monthly' : 'quarterly'} series of "${indicatorId}" for this area.`;
      return sendJson(
        reply,
        await stored(placeId, 'series', `${indicatorId}:${areaKind}:${code}:${period}`, missing),
      );
    },
  );
}
