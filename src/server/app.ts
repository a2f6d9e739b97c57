// The composition root: builds the Fastify app from its parts. Nothing here reads the environment or
// opens connections; the caller passes the database, the config and the startup state in.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { registerAccess } from '../access/access.plugin.ts';
import { attemptStore } from '../access/attempts.store.ts';
import { auditRoutes } from '../access/audit.routes.ts';
import { breakGlassRoutes } from '../access/break-glass.routes.ts';
import { oidcRoutes } from '../access/oidc.routes.ts';
import { breakGlass, type RelationshipSource, registeredPractice } from '../access/relationship.ts';
import { sessionRoutes } from '../access/session.routes.ts';
import { caseRoutes } from '../cases/case.routes.ts';
import { mdtAgenda, openCase, openReferral } from '../cases/case-relationship.ts';
import { huddleRoutes } from '../cases/huddle.routes.ts';
import { mdtRoutes } from '../cases/mdt.routes.ts';
import { referralRoutes } from '../cases/referral.routes.ts';
import { cohortRoutes } from '../cohorts/cohort.routes.ts';
import { worklistRoutes } from '../cohorts/worklist.routes.ts';
import { worklistMembership } from '../cohorts/worklist-relationship.ts';
import type { Config } from '../core/config.ts';
import { AppError, codeForStatus, isAppError, toOperationOutcome } from '../core/errors.ts';
import type { Connections, Db } from '../db/create-db.ts';
import { databaseTurnedAway, databaseUnreachable, POOL_WAIT_EXPIRED } from '../db/sql-state.ts';
import { directoryEditRoutes } from '../directory/directory-edit.routes.ts';
import { directoryPages } from '../directory/directory-pages.ts';
import { orukRoutes } from '../directory/oruk.routes.ts';
import { serviceReferralRoutes } from '../directory/service-referral.routes.ts';
import { openServiceReferral } from '../directory/service-referral-relationship.ts';
import { fhirRoutes } from '../exchange/fhir.routes.ts';
import { importRoutes } from '../exchange/import.routes.ts';
import { placeRoutes } from '../place/place.routes.ts';
import { profileRoutes } from '../profiles/profile.routes.ts';
import { personRoutes } from '../risk/person.routes.ts';
import type { App } from './app-types.ts';
import { registerIdempotency } from './idempotency.ts';
import { progressPage } from './progress-page.ts';
import { publicCache } from './public-cache.ts';
import type { StartupState } from './startup.ts';

export interface AppDeps {
  /** Null while a first start prepares the database in the background: the app then only shows progress. */
  db: Db | null;
  config: Pick<Config, 'logLevel' | 'webDir' | 'place' | 'publicUrl' | 'oidc' | 'referenceDir'> &
    Partial<Pick<Config, 'dataDir' | 'auditGatherMs' | 'uploadsPerHour' | 'trustProxy'>>;
  startup: StartupState;
  /** Set false in tests that do not want request logs, or a stream to write them to (tests that read them). */
  logger?: boolean | NodeJS.WritableStream;
}

/** Every kind of legitimate relationship a staff member can have with a person, in the order the audit names them. */
export const RELATIONSHIP_SOURCES: readonly RelationshipSource[] = [
  registeredPractice,
  openCase,
  openReferral,
  mdtAgenda,
  worklistMembership,
  openServiceReferral,
  breakGlass,
];

/** The security headers every answer carries: a strict content security policy, no framing. */
export const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      baseUri: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** JOINEDUP_TRUST_PROXY for Fastify: a number of hops as the function its types take for one. */
const trustProxyOf = (trust: Config['trustProxy']) =>
  typeof trust === 'number'
    ? (_address: string, hop: number) => hop < trust
    : trust === false
      ? false
      : [...trust];

export async function buildApp({ db, config, startup, logger = true }: AppDeps): Promise<App> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          redact: ['req.headers.cookie', 'req.headers.authorization'],
          serializers: { req: requestForLog },
          ...(logger === true ? {} : { stream: logger }),
        }
      : false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // req.ip is the client's address, as the configured proxies forward it (sign-in's limits count by it).
    trustProxy: trustProxyOf(config.trustProxy ?? false),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Set before any route or plugin, so that every route uses it.
  app.setErrorHandler((error: FastifyError, req, reply) =>
    sendError(reply, req, asAppError(error, req, db?.connections() ?? null)),
  );
  // PostgreSQL text cannot hold a NUL character: refuse it in any parameter before anything runs.
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const field = nulField(value);
      if (field !== null)
        throw new AppError('invalid', `${where} ${field || where}: must not contain a NUL character.`, [
          {
            diagnostics: `${where} ${field || where}: must not contain a NUL character.`,
            expression: [field || where],
          },
        ]);
    }
  });

  await app.register(helmet, SECURITY_HEADERS);

  // Before any route, so that every route gets its matrix entry, its rate limit and its checks.
  if (db) {
    // Counted in the database, so that every server process over it counts alike.
    await app.register(rateLimit, { global: false, store: attemptStore(db.kysely) });
    // Before the access plugin: its answers are kept as the routes gave them (see its onSend).
    await registerIdempotency(app, db.kysely);
    await registerAccess(app, {
      db: db.kysely,
      relationshipSources: RELATIONSHIP_SOURCES,
      secureCookies: config.publicUrl.startsWith('https:'),
      publicUrl: config.publicUrl,
      auditGatherMs: config.auditGatherMs,
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Joined Up API',
        version: VERSION,
        description:
          'Neighbourhood health and care. Errors are FHIR OperationOutcome resources; the request id is in X-Request-Id. A change (POST, PUT, PATCH, DELETE) may carry an Idempotency-Key header, a new one for each change: sent again with the same key, it is answered as the first time (with Idempotent-Replayed: true) and not made twice; the same key for a different request answers 422, and while the first is being answered, 409 with Retry-After.',
      },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    if (req.url.startsWith('/api/') && !reply.hasHeader('Cache-Control'))
      reply.header('Cache-Control', 'no-store');
  });

  // While the server gets ready, pages show progress and the API says it is not ready yet.
  app.addHook('onRequest', async (req, reply) => {
    if (startup.phase === 'ready' || req.url === '/health' || req.url.startsWith('/assets/')) return;
    if (req.url.startsWith('/api/')) {
      const message =
        startup.phase === 'failed'
          ? `Joined Up could not start: ${startup.error}`
          : `Joined Up is getting ready (${startup.step}). Try again in a few seconds.`;
      reply.header('Retry-After', '5');
      return sendError(reply, req, new AppError('unavailable', message));
    }
    return reply
      .code(503)
      .header('Retry-After', '2')
      .type('text/html; charset=utf-8')
      .send(progressPage(startup));
  });

  app.get(
    '/health',
    {
      schema: {
        tags: ['Service'],
        summary: 'Whether the service and its database are working',
        response: {
          200: healthSchema,
          503: healthSchema,
        },
      },
    },
    async (_req, reply) => {
      let reachable: boolean | null = null;
      if (db) {
        try {
          await sql`select 1`.execute(db.kysely);
          reachable = true;
        } catch {
          reachable = false;
        }
      }
      const auditFailing = db ? app.auditFailingSince() : null;
      const status =
        reachable === false || auditFailing !== null || startup.phase === 'failed'
          ? 'degraded'
          : startup.phase === 'ready'
            ? 'ok'
            : 'starting';
      return reply.code(status === 'ok' ? 200 : 503).send({
        status,
        version: VERSION,
        database: { kind: db?.kind ?? null, reachable, connections: db?.connections() ?? null },
        audit: {
          writing: db ? auditFailing === null : null,
          failingSince: auditFailing?.toISOString() ?? null,
        },
        startup: {
          phase: startup.phase,
          step: startup.step,
          progress: startup.progress,
          error: startup.error,
        },
      });
    },
  );

  app.get('/api/docs', { schema: { hide: true } }, async (_req, reply) => reply.send(app.swagger()));
  app.get('/api/docs/json', { schema: { hide: true } }, async (_req, reply) => reply.send(app.swagger()));

  if (db) {
    // The public directory's pages and feed, kept in memory for a minute; an editor's save clears them.
    const directoryCache = publicCache({ maxAgeMs: 60_000, limit: 4_000 });
    sessionRoutes(app, db.kysely, config.publicUrl.startsWith('https:'));
    oidcRoutes(app, db.kysely, { oidc: config.oidc, publicUrl: config.publicUrl });
    placeRoutes(app, db.kysely);
    orukRoutes(app, db.kysely, directoryCache);
    profileRoutes(app, db.kysely);
    personRoutes(app, db.kysely);
    cohortRoutes(app, db.kysely);
    worklistRoutes(app, db.kysely);
    caseRoutes(app, db.kysely);
    referralRoutes(app, db.kysely);
    serviceReferralRoutes(app, db.kysely);
    directoryEditRoutes(app, db.kysely, directoryCache);
    mdtRoutes(app, db.kysely);
    huddleRoutes(app, db.kysely);
    breakGlassRoutes(app, db.kysely);
    auditRoutes(app, db.kysely);
    fhirRoutes(app, db);
    await importRoutes(app, {
      db,
      referenceDir: config.referenceDir,
      uploadDir: config.dataDir ? path.join(config.dataDir, 'imports') : undefined,
      uploadsPerHour: config.uploadsPerHour,
      log: (message, err) => app.log.error({ err }, message),
    });
    // Public pages rendered on the server (no sign-in, no JavaScript), before the web app's fallback.
    directoryPages(app, db.kysely, { placeId: config.place, webDir: config.webDir, cache: directoryCache });
    await serveWebApp(app, config.webDir);
  }
  return app;
}

const healthSchema = z.object({
  status: z.enum(['ok', 'starting', 'degraded']),
  version: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']).nullable().describe('null while the database is being prepared'),
    reachable: z.boolean().nullable(),
    connections: z
      .object({
        open: z.number(),
        inUse: z.number(),
        idle: z.number(),
        waiting: z.number(),
        max: z.number(),
      })
      .nullable()
      .describe(
        'the pool of connections to a database server: open (in use, idle or connecting), in use, idle, queries waiting for one, and the most it opens; null for the embedded database',
      ),
  }),
  audit: z.object({
    writing: z
      .boolean()
      .nullable()
      .describe(
        'false from an audit event that could not be written until one is: person data are not shown meanwhile; null without a database',
      ),
    failingSince: z.string().nullable(),
  }),
  startup: z.object({
    phase: z.enum(['starting', 'ready', 'failed']),
    step: z.string(),
    progress: z.number().nullable(),
    error: z.string().nullable(),
  }),
});

/** Query parameters that carry a secret: OpenID Connect's code and state, and any token. */
const SECRET_PARAMETERS = /^(code|state|session_state|id_token|access_token|refresh_token|token)$/i;

/**
 * A request as its log lines show it (Fastify's own fields), with the values of secret query
 * parameters replaced: the sign-in callback's authorization code never reaches the logs.
 */
export function requestForLog(req: FastifyRequest) {
  return {
    method: req.method,
    url: urlForLog(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function urlForLog(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const name of new Set(params.keys())) if (SECRET_PARAMETERS.test(name)) params.set(name, 'redacted');
  return `${url.slice(0, query)}?${params.toString()}`;
}

/** The path of the first string holding a NUL character ('' for the value itself), or null. */
export function nulField(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  // Parsed values are walked; a body left to its route as a stream (an upload) is the route's to read.
  if (value === null || typeof value !== 'object' || value instanceof EventEmitter) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
    const found = nulField(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

function sendError(reply: FastifyReply, req: FastifyRequest, error: AppError) {
  if (error.status === 503 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '5');
  return reply
    .code(error.status)
    .type('application/fhir+json; charset=utf-8')
    .send(toOperationOutcome(error, req.id));
}

/** Turns anything thrown into the one error model; the full error goes to the log, never to the user. */
function asAppError(error: FastifyError, req: FastifyRequest, connections: Connections | null): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    return new AppError(
      'invalid',
      'The request is not valid.',
      error.validation.map((v) => {
        const field =
          v.instancePath.replace(/^\//, '').replaceAll('/', '.') ||
          String(v.params?.missingProperty ?? where);
        return { diagnostics: `${where} ${field}: ${v.message ?? 'is not valid'}`, expression: [field] };
      }),
    );
  }
  if (isResponseSerializationError(error)) {
    req.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return internal(req);
  }
  // A read (or a POST that only reads) is told to try again; a change, that it may not have been saved,
  // since a statement of the request's may have committed before the one that failed.
  const reading = req.method === 'GET' || req.method === 'HEAD' || req.routeOptions.config.readsOnly === true;
  // Every connection in use for as long as a query waited for one: the server is overloaded, not gone.
  if (error.message === POOL_WAIT_EXPIRED && connections && connections.inUse >= connections.max) {
    req.log.error({ err: error, connections }, 'database connections all in use');
    return databaseFault(
      reading,
      'Joined Up is very busy just now.',
      'Joined Up is very busy just now, so this change',
    );
  }
  if (databaseUnreachable(error)) {
    req.log.error({ err: error, connections }, 'database unavailable');
    // A connection lost as a change commits leaves it unknown whether the change was saved.
    return databaseFault(
      reading,
      'The database is not reachable just now.',
      'The database could not be reached, so this change',
    );
  }
  // The failing statement's transaction is rolled back, but one of the request's may have committed
  // before it (a decision saved, then read back).
  if (databaseTurnedAway(error)) {
    req.log.error({ err: error }, 'database turned the request away');
    return databaseFault(
      reading,
      'The database cannot answer just now.',
      'The database could not take this change just now (it is full, busy or read-only), so it',
    );
  }
  if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    return new AppError(codeForStatus(error.statusCode), error.message);
  }
  req.log.error({ err: error }, 'unhandled error');
  return internal(req);
}

/** 503 for a database fault: a read is told to try again; a change, that it may not have been saved. */
const databaseFault = (reading: boolean, read: string, change: string) =>
  new AppError(
    'unavailable',
    reading
      ? `${read} Try again shortly.`
      : `${change} may not have been saved. Check it, then try again shortly.`,
  );

const internal = (req: FastifyRequest) =>
  new AppError(
    'internal',
    `Something went wrong on our side. If it keeps happening, quote reference ${req.id}.`,
  );

/** Serves the built React app; any other GET that is not the API gets index.html (client routing). */
async function serveWebApp(app: App, webDir: string): Promise<void> {
  const root = path.resolve(webDir);
  const indexFile = path.join(root, 'index.html');
  const hasWeb = existsSync(indexFile);
  if (hasWeb) {
    await app.register(fastifyStatic, { root, index: false, wildcard: false, maxAge: '1h', immutable: true });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    if (url.startsWith('/api/') || url === '/api' || req.method !== 'GET' || url.startsWith('/assets/')) {
      return sendError(reply, req, new AppError('not-found', `There is nothing at ${req.method} ${url}.`));
    }
    if (!hasWeb) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The web app has not been built. Run "npm run build" (it runs during "npm ci"), then restart.`);
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(readFileSync(indexFile));
  });
}
