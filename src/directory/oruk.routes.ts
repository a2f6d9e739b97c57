// HTTP for the Open Referral UK 3.0 feed of a place's services directory: public (no sign-in), read
// only, cacheable for a minute, open to other sites (CORS), as ORUK's compliance rules ask. Validate,
// call, respond.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, fieldError } from '../core/errors.ts';
import {
  orukApiDetails,
  orukIdParam,
  orukPage as orukPageSchema,
  orukPaging,
  orukService,
  orukServiceAtLocation,
  orukServiceAtLocationListItem,
  orukServiceAtLocationQuery,
  orukServiceListItem,
  orukServiceQuery,
  orukTaxonomy,
  orukTaxonomyTerm,
  orukTaxonomyTermQuery,
} from '../core/schemas/oruk.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import { readThroughPlaceCache } from '../place/place-cache.ts';
import type { App } from '../server/app-types.ts';
import type { PublicCache } from '../server/public-cache.ts';
import {
  directoryPlace,
  getService,
  getServiceAtLocation,
  listServiceAtLocations,
  type ServiceSearch,
  searchServices,
} from './directory.store.ts';
import {
  ORUK_API_DETAILS,
  orukPage,
  orukService as toService,
  orukServiceAtLocation as toServiceAtLocation,
  orukServiceAtLocationListItem as toServiceAtLocationListItem,
  orukServiceListItem as toServiceListItem,
  orukTaxonomy as toTaxonomy,
  orukTaxonomyTerm as toTaxonomyTerm,
} from './oruk.ts';
import { getTaxonomy, getTaxonomyTerm, listTaxonomies, listTaxonomyTerms } from './taxonomy.store.ts';

const BASE = '/api/places/:placeId/oruk';
const tags = ['Open Referral UK'];
const errors = { 400: operationOutcome, 404: operationOutcome };
const placeParams = z.object({ placeId: placeIdParam });
const idParams = z.object({ placeId: placeIdParam, id: orukIdParam });

/**
 * Every answer may be read by any site; a good answer may be cached for a minute by anyone, since the
 * directory is public and changes rarely. Errors keep the app's `no-store`.
 */
async function publicFeed(_req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
  if (reply.statusCode === 200) reply.header('Cache-Control', 'public, max-age=60');
  return payload;
}

/** `feed` keeps the answers in memory for a minute; the directory's editors clear it when they save. */
export function orukRoutes(app: App, db: Kysely<Database>, feed: PublicCache): void {
  async function placeOf(placeId: string) {
    const place = await readThroughPlaceCache(db, placeId, 'directory:place', () =>
      directoryPlace(db, placeId),
    );
    if (!place) throw new AppError('not-found', `There is no place "${placeId}".`);
    return place;
  }
  const notFound = (what: string, id: string) =>
    new AppError('not-found', `There is no ${what} with the id ${id} in this directory.`);

  /** The query's filters as a search of the store, after checking the neighbourhood is the place's. */
  function searchOf(
    q: z.infer<typeof orukServiceQuery>,
    place: { name: string; neighbourhoods: string[] },
  ): ServiceSearch {
    if (q.neighbourhood !== undefined && !place.neighbourhoods.includes(q.neighbourhood))
      throw fieldError(
        'invalid',
        'neighbourhood',
        `"${q.neighbourhood}" is not a neighbourhood of ${place.name} (expected one of ${place.neighbourhoods.join(', ')}).`,
      );
    return {
      text: q.search || undefined,
      neighbourhood: q.neighbourhood,
      taxonomyTermIds: q.taxonomy_term_id,
      taxonomyId: q.taxonomy_id,
      organisationId: q.organization_id,
      modifiedAfter: q.modified_after === undefined ? undefined : new Date(q.modified_after),
      age: q.age,
      minimumAge: q.minimum_age,
      maximumAge: q.maximum_age,
      page: q.page,
      perPage: q.per_page,
    };
  }

  for (const url of [BASE, `${BASE}/`])
    app.get(
      url,
      {
        onRequest: feed.onRequest,
        onSend: [publicFeed, feed.onSend],
        schema: {
          tags,
          summary: 'Open Referral UK: about this feed (the standard and profile it follows)',
          params: placeParams,
          response: { 200: orukApiDetails, ...errors },
        },
      },
      async (req) => {
        await placeOf(req.params.placeId);
        return ORUK_API_DETAILS;
      },
    );

  app.get(
    `${BASE}/services`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: a page of services (retired services left out), with filters',
        params: placeParams,
        querystring: orukServiceQuery,
        response: { 200: orukPageSchema(orukServiceListItem), ...errors },
      },
    },
    async (req) => {
      const place = await placeOf(req.params.placeId);
      const search = searchOf(req.query, place);
      return orukPage(await searchServices(db, req.params.placeId, search), search, toServiceListItem);
    },
  );

  app.get(
    `${BASE}/services/:id`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary:
          'Open Referral UK: one service with its organisation, locations, times, costs, contacts and needs',
        params: idParams,
        response: { 200: orukService, ...errors },
      },
    },
    async (req) => {
      const place = await placeOf(req.params.placeId);
      const service = await getService(db, req.params.placeId, req.params.id);
      if (!service) throw notFound('service', req.params.id);
      return toService(service, place);
    },
  );

  app.get(
    `${BASE}/taxonomies`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: the vocabularies services are described by',
        params: placeParams,
        querystring: orukPaging,
        response: { 200: orukPageSchema(orukTaxonomy), ...errors },
      },
    },
    async (req) => {
      await placeOf(req.params.placeId);
      const paging = { page: req.query.page, perPage: req.query.per_page };
      return orukPage(await listTaxonomies(db, req.params.placeId, paging), paging, (t) => toTaxonomy(t));
    },
  );

  app.get(
    `${BASE}/taxonomies/:id`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: one vocabulary with its terms',
        params: idParams,
        response: { 200: orukTaxonomy, ...errors },
      },
    },
    async (req) => {
      await placeOf(req.params.placeId);
      const taxonomy = await getTaxonomy(db, req.params.placeId, req.params.id);
      if (!taxonomy) throw notFound('taxonomy', req.params.id);
      return toTaxonomy(taxonomy, taxonomy.terms);
    },
  );

  app.get(
    `${BASE}/taxonomy_terms`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: a page of taxonomy terms (the needs services meet)',
        params: placeParams,
        querystring: orukTaxonomyTermQuery,
        response: { 200: orukPageSchema(orukTaxonomyTerm), ...errors },
      },
    },
    async (req) => {
      await placeOf(req.params.placeId);
      const options = {
        page: req.query.page,
        perPage: req.query.per_page,
        taxonomyId: req.query.taxonomy_id,
      };
      return orukPage(await listTaxonomyTerms(db, req.params.placeId, options), options, toTaxonomyTerm);
    },
  );

  app.get(
    `${BASE}/taxonomy_terms/:id`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: one taxonomy term',
        params: idParams,
        response: { 200: orukTaxonomyTerm, ...errors },
      },
    },
    async (req) => {
      await placeOf(req.params.placeId);
      const term = await getTaxonomyTerm(db, req.params.placeId, req.params.id);
      if (!term) throw notFound('taxonomy term', req.params.id);
      return toTaxonomyTerm(term);
    },
  );

  app.get(
    `${BASE}/service_at_locations`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: a page of services at their locations, with the services’ filters',
        params: placeParams,
        querystring: orukServiceAtLocationQuery,
        response: { 200: orukPageSchema(orukServiceAtLocationListItem), ...errors },
      },
    },
    async (req) => {
      const place = await placeOf(req.params.placeId);
      const search = searchOf(req.query, place);
      return orukPage(
        await listServiceAtLocations(db, req.params.placeId, search),
        search,
        toServiceAtLocationListItem,
      );
    },
  );

  app.get(
    `${BASE}/service_at_locations/:id`,
    {
      onRequest: feed.onRequest,
      onSend: [publicFeed, feed.onSend],
      schema: {
        tags,
        summary: 'Open Referral UK: one service at one location, in full',
        params: idParams,
        response: { 200: orukServiceAtLocation, ...errors },
      },
    },
    async (req) => {
      const place = await placeOf(req.params.placeId);
      const found = await getServiceAtLocation(db, req.params.placeId, req.params.id);
      if (!found) throw notFound('service at location', req.params.id);
      return toServiceAtLocation(found, place);
    },
  );
}
