// HTTP for the public directory pages, rendered on the server as plain HTML so that they need no sign-in
// and no JavaScript: search (GET /directory), one service (GET /directory/services/:id), the Live Well
// rollout (GET /directory/live-well) and one Live Well centre or hub (GET /directory/live-well/:id).
// They are public because they are outside /api and /auth (src/access/access.plugin.ts, isWebAppPath),
// and are registered before the web app's fallback, so they are never answered with the React app.
// Cacheable by anyone for a minute, like the ORUK feed. Validate, call, respond.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { liveWellSites } from '../place/place.store.ts';
import { readThroughPlaceCache } from '../place/place-cache.ts';
import type { App } from '../server/app-types.ts';
import { type Html, html } from '../server/html.ts';
import type { PublicCache } from '../server/public-cache.ts';
import { builtStylesheets } from '../server/web-stylesheet.ts';
import {
  directoryPlace,
  directoryTowns,
  getService,
  liveWellSiteLocations,
  searchServices,
} from './directory.store.ts';
import { type PublicPage, publicPage } from './directory-layout.ts';
import { pageNeighbourhoods } from './directory-pages.store.ts';
import { parseDirectorySearch, type RawQuery } from './directory-search-form.ts';
import { SEARCH_TITLE, searchPage } from './directory-search-view.ts';
import { servicePage } from './directory-service-view.ts';
import { liveWellRolloutPage, liveWellSitePage, liveWellTitle } from './live-well-view.ts';
import { listTaxonomies, listTaxonomyTerms } from './taxonomy.store.ts';

export interface DirectoryPagesOptions {
  /** The place whose directory the pages show (the product's default place). */
  placeId: string;
  /** The built web app, whose stylesheet the pages use. */
  webDir: string;
  /** Answers kept in memory for a minute, cleared when a directory editor saves. */
  cache: PublicCache;
}

/** Services listed on a Live Well site's page: all of them, in practice. */
const SITE_SERVICES = 200;

export function directoryPages(app: App, db: Kysely<Database>, options: DirectoryPagesOptions): void {
  const { placeId } = options;
  const stylesheets = builtStylesheets(options.webDir);

  /** What every page needs of the place; it changes only when the place pack is loaded again. */
  const context = () =>
    readThroughPlaceCache(db, placeId, 'directory:pages', async () => {
      const place = await directoryPlace(db, placeId);
      if (!place) return undefined;
      const [neighbourhoods, taxonomies, terms, sites] = await Promise.all([
        pageNeighbourhoods(db, placeId),
        listTaxonomies(db, placeId, { page: 1, perPage: 1000 }),
        listTaxonomyTerms(db, placeId, { page: 1, perPage: 10_000 }),
        liveWellSites(db, placeId),
      ]);
      return {
        placeName: place.name,
        neighbourhoods,
        vocabularies: taxonomies.items.map((t) => ({
          id: t.id,
          name: t.name,
          terms: terms.items.filter((term) => term.taxonomy.id === t.id),
        })),
        terms: terms.items,
        sites,
      };
    });

  type Context = NonNullable<Awaited<ReturnType<typeof context>>>;

  function send(
    reply: FastifyReply,
    ctx: Pick<Context, 'placeName'>,
    page: Omit<PublicPage, 'placeId' | 'placeName' | 'stylesheets'>,
    status = 200,
  ) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('Cache-Control', status === 200 ? 'public, max-age=60' : 'no-store')
      .send(publicPage({ ...page, placeId, placeName: ctx.placeName, stylesheets }));
  }

  function notFound(reply: FastifyReply, ctx: Pick<Context, 'placeName'>, what: string) {
    return send(
      reply,
      ctx,
      {
        title: 'Page not found',
        section: null,
        main: html`<h1>Page not found</h1>
<p class="nhsuk-body">${what}</p>
<p class="nhsuk-body"><a href="/directory">Find a local service</a></p>`,
      },
      404,
    );
  }

  /** The place's context, or a page saying there is no directory yet (null: the answer is sent). */
  async function contextOr(reply: FastifyReply): Promise<Context | null> {
    const ctx = await context();
    if (ctx) return ctx;
    await notFound(
      reply,
      { placeName: placeId },
      'There is no services directory here yet. It appears once the place has been loaded.',
    );
    return null;
  }

  /** Something went wrong: a page in the same frame, with the reference to quote, never a stack trace. */
  function errorHandler(error: Error, req: FastifyRequest, reply: FastifyReply) {
    req.log.error({ err: error }, 'directory page failed');
    return reply
      .code(500)
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(
        publicPage({
          placeId,
          placeName: placeId,
          stylesheets,
          title: 'Sorry, there is a problem with the service',
          section: null,
          main: html`<h1>Sorry, there is a problem with the service</h1>
<p class="nhsuk-body">Try again later. If it keeps happening, quote reference ${req.id}.</p>`,
        }),
      );
  }
  const { cache } = options;
  const routeOptions = {
    schema: { hide: true },
    errorHandler,
    onRequest: cache.onRequest,
    onSend: cache.onSend,
  };

  for (const url of ['/directory', '/directory/'])
    app.get(url, routeOptions, async (req, reply) => {
      const ctx = await contextOr(reply);
      if (!ctx) return reply;
      const towns = await directoryTowns(db, placeId);
      const parsed = parseDirectorySearch(req.query as RawQuery, {
        neighbourhoods: ctx.neighbourhoods,
        towns,
        terms: ctx.terms,
      });
      const results = parsed.search ? await searchServices(db, placeId, parsed.search) : null;
      // Problems with what was asked are shown on the page, as a 400 (never a 200 with an error in it).
      return send(
        reply,
        ctx,
        {
          title: SEARCH_TITLE,
          section: 'search',
          hasErrors: parsed.problems.length > 0,
          main: searchPage({
            placeName: ctx.placeName,
            neighbourhoods: ctx.neighbourhoods,
            towns,
            vocabularies: ctx.vocabularies,
            form: parsed.form,
            problems: parsed.problems,
            results,
          }),
        },
        parsed.problems.length > 0 ? 400 : 200,
      );
    });

  app.get('/directory/services/:id', routeOptions, async (req, reply) => {
    const ctx = await contextOr(reply);
    if (!ctx) return reply;
    const { id } = req.params as { id: string };
    const service = await getService(db, placeId, id);
    if (!service)
      return notFound(
        reply,
        ctx,
        'There is no service at this address. It may have been taken out of the directory.',
      );
    return send(reply, ctx, {
      title: service.name,
      section: 'search',
      main: servicePage({
        placeName: ctx.placeName,
        service,
        liveWellNames: new Map(ctx.sites.map((s) => [s.id, s.name])),
      }),
    });
  });

  for (const url of ['/directory/live-well', '/directory/live-well/'])
    app.get(url, routeOptions, async (_req, reply) => {
      const ctx = await contextOr(reply);
      if (!ctx) return reply;
      return send(reply, ctx, {
        title: liveWellTitle(ctx.placeName),
        section: 'live-well',
        main: liveWellRolloutPage({ placeName: ctx.placeName, sites: ctx.sites }),
      });
    });

  app.get('/directory/live-well/:id', routeOptions, async (req, reply) => {
    const ctx = await contextOr(reply);
    if (!ctx) return reply;
    const { id } = req.params as { id: string };
    const site = ctx.sites.find((s) => s.id === id);
    if (!site) return notFound(reply, ctx, 'There is no Live Well centre or hub at this address.');
    const [locations, services] = await Promise.all([
      liveWellSiteLocations(db, placeId, site.id),
      searchServices(db, placeId, { liveWellSiteId: site.id, page: 1, perPage: SITE_SERVICES }),
    ]);
    const main: Html = liveWellSitePage({
      placeName: ctx.placeName,
      site,
      neighbourhoodNames: new Map(ctx.neighbourhoods.map((n) => [n.code, n.name])),
      locations,
      services: services.items,
    });
    return send(reply, ctx, { title: site.name, section: 'live-well', main });
  });

  // Anything else under /directory is the directory's own "not found", not the staff app.
  app.get('/directory/*', routeOptions, async (_req, reply) => {
    const ctx = await contextOr(reply);
    if (!ctx) return reply;
    return notFound(reply, ctx, 'There is no page at this address. Check it, or search for a service.');
  });
}
