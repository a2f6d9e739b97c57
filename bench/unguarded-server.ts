// The "without" side of the access benchmark (bench/access.bench.ts): the worklist people page and the
// person page served from the same database by the same store and use-case functions the real handlers
// call (src/cohorts/worklist.routes.ts, src/risk/person.routes.ts), on a Fastify app set up like the real
// one (zod validation and serialisation, helmet, request ids, the same error model), but with no session
// lookup, no role, team or relationship check and no audit event. Bench only: it must never be deployed.
// Env: as `joinedup serve` (PORT, HOST, DATABASE_URL or JOINEDUP_DATA_DIR, LOG_LEVEL).
import helmet from '@fastify/helmet';
import Fastify, { type FastifyError } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { SAFEGUARDING_DETAIL_ROLES } from '../src/access/roles.ts';
import { checkedRules, cohortScope } from '../src/cohorts/cohort-scope.ts';
import { personOut, practiceLabel } from '../src/cohorts/members-out.ts';
import { findWorklist, worklistCounts, worklistPage } from '../src/cohorts/worklist.store.ts';
import { readConfig } from '../src/core/config.ts';
import { todayInEngland } from '../src/core/dates.ts';
import { AppError, isAppError, toOperationOutcome } from '../src/core/errors.ts';
import { worklistIdParam, worklistPeoplePage, worklistPeopleQuery } from '../src/core/schemas/cohort.ts';
import { personDetail, personIdParam } from '../src/core/schemas/person.ts';
import { placeIdParam } from '../src/core/schemas/place.ts';
import { createDb } from '../src/db/create-db.ts';
import { personOptOuts, safeguardingConcerns } from '../src/risk/person.store.ts';
import { readHfrsDescriptions } from '../src/risk/read-hfrs-descriptions.ts';
import { getPersonDetail } from '../src/risk/read-person.ts';
import { SECURITY_HEADERS } from '../src/server/app.ts';

const config = readConfig(process.env);
const db = await createDb(config);
const kysely = db.kysely;
const hfrsDescriptions = readHfrsDescriptions();
/** The real server signs the benchmark in as an INT lead; the person page shows what that role sees. */
const seesDetail = SAFEGUARDING_DETAIL_ROLES.includes('int-lead');

const app = Fastify({
  logger: { level: config.logLevel },
  genReqId: () => crypto.randomUUID(),
  bodyLimit: 1024 * 1024,
  return503OnClosing: true,
}).withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.setErrorHandler((error: FastifyError, req, reply) => {
  const e = isAppError(error)
    ? error
    : typeof error.statusCode === 'number' && error.statusCode < 500
      ? new AppError('invalid', error.message)
      : new AppError('internal', `Something went wrong (${error.message}).`);
  return reply
    .code(e.status)
    .type('application/fhir+json; charset=utf-8')
    .send(toOperationOutcome(e, req.id));
});
await app.register(helmet, SECURITY_HEADERS);
app.addHook('onSend', async (req, reply) => {
  reply.header('X-Request-Id', req.id);
  if (req.url.startsWith('/api/') && !reply.hasHeader('Cache-Control'))
    reply.header('Cache-Control', 'no-store');
});

app.get('/health', async () => {
  await sql`select 1`.execute(kysely);
  return { status: 'ok' };
});

app.get(
  '/api/places/:placeId/worklists/:worklistId/people',
  {
    schema: {
      params: z.object({ placeId: placeIdParam, worklistId: worklistIdParam }),
      querystring: worklistPeopleQuery,
      response: { 200: worklistPeoplePage },
    },
  },
  async (req) => {
    const scope = await cohortScope(kysely, req.params.placeId);
    // Any worklist: no team or practice filter (the real handler passes ownsWorklist(staff)).
    const worklist = await findWorklist(kysely, req.params.placeId, req.params.worklistId, () => sql`true`);
    if (!worklist) throw new AppError('not-found', 'There is no such worklist.');
    const rules = checkedRules(worklist.rules, scope.vocabulary);
    const today = todayInEngland();
    const [counts, rows] = await Promise.all([
      worklistCounts(kysely, worklist, rules, scope, today),
      worklistPage(kysely, worklist, rules, scope, { ...req.query, today }),
    ]);
    const practice = practiceLabel(scope.vocabulary);
    return {
      total: req.query.status === 'to-review' ? counts.toReview : counts.decided,
      ...req.query,
      people: rows.map((r) => personOut(r, practice)),
    };
  },
);

app.get(
  '/api/places/:placeId/people/:personId',
  {
    schema: {
      params: z.object({ placeId: placeIdParam, personId: personIdParam }),
      response: { 200: personDetail },
    },
  },
  async (req) => {
    const { placeId, personId } = req.params;
    // No relationship check: the real handler calls access.requirePerson first.
    const detail = await getPersonDetail(kysely, placeId, personId, hfrsDescriptions);
    const [concerns, optOuts] = await Promise.all([
      safeguardingConcerns(kysely, placeId, personId),
      personOptOuts(kysely, placeId, personId),
    ]);
    return {
      ...detail,
      access: { relationship: 'worklist', expiresAt: null },
      safeguarding: concerns.map((c) => ({ ...c, detail: seesDetail ? c.detail : null })),
      optOuts,
    };
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void app
      .close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  });

await app.listen({ port: config.port, host: config.host });
