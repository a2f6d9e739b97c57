// The access issue's target: access checks and audit together add no more than 10% to the p95 of the
// worklist and person endpoints, the same benchmark with and without them. With: the real server
// (`joinedup serve`) signed in as an INT lead for East, so that every request looks up the session, checks
// the role and the team or relationship, and writes an audit event. Without: bench/unguarded-server.ts,
// which opens the same database and serves the same two URLs through the same store and use-case
// functions with none of that. Each database is prepared as a real first start leaves it (`joinedup synth`);
// the servers run one at a time (PGlite's folder is opened by one process at a time).
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { verifyAuditChain } from '../src/access/audit.store.ts';
import { createDb } from '../src/db/create-db.ts';
import {
  addBenchLead,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  CONNECTIONS,
  median,
  ms,
  percentile,
  processorMsBetween,
  processorTimes,
  ratio,
  runCli,
  type Session,
  serverEnv,
  signIn,
  tempDir,
  withServer,
} from './harness.ts';

type CannonOptions = Parameters<typeof autocannon>[0] & {
  requests: { method: 'GET'; path: string; headers?: Record<string, string> }[];
  setupClient?: (client: EventEmitter) => void;
};
const cannon = autocannon as unknown as (options: CannonOptions) => ReturnType<typeof autocannon>;

const PLACE = 'bury';
const TARGET_RATIO = 1.1;
const PAGE_SIZE = 25;
/** Worklist pages are requested in turn, 1 to at most this. */
const MAX_PAGES = 20;
/** Person pages cycle over at most this many people from the worklist. */
const MAX_PEOPLE = 200;
const WARM_UP_S = 2;
const MEASURE_S = 8;

const rule = (field: string, operator: string, value: unknown) => ({ kind: 'rule', field, operator, value });
/** A case-finding worklist for the East INT: aged 65 or over with moderate or severe frailty. */
const COHORT = {
  name: 'East, 65+, moderately or severely frail',
  rules: {
    kind: 'group',
    combinator: 'and',
    rules: [
      rule('neighbourhood', 'in', ['east']),
      rule('age', '>=', 65),
      rule('efiBand', 'in', ['moderate', 'severe']),
    ],
  },
};

interface Endpoint {
  label: string;
  paths: string[];
}

interface Loaded {
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Every answer, warm-up and settling included (each one the real server audits). */
  answered: number;
  /** Processor time used in the measured window per answer there, in ms (server and database). */
  processorMsPerAnswer: number;
}

interface Audit {
  /** Events written from the start of the first load run until the server stopped. */
  written: number;
  byRoute: { route: string; action: string; events: number; people: number }[];
  chainEvents: number;
  problems: { seq: number; problem: string }[];
}

interface Measured {
  database: string;
  endpoints: Endpoint[];
  /** The real server's first run, whose audit events are counted. */
  firstRun: Loaded[];
  /** Per round, per endpoint. */
  with: Loaded[][];
  without: Loaded[][];
  audit: Audit;
}

/**
 * Rounds of the unguarded server and the real one; the table shows medians over them. Seven: one run's
 * rounds were seen to differ from 0.98× to 1.62× on a shared machine, a median of three moved with a
 * single outlier, and on a two-core machine ten-second runs of one server differed by a fifth.
 */
const ROUNDS = 7;

const middle = (values: number[]) => median(values.filter((v) => Number.isFinite(v)));

export default async function accessBench(ctx: BenchContext): Promise<BenchSection> {
  const dataDir = tempDir('joinedup-bench-data-');
  const pgliteEnv = serverEnv(dataDir);
  await runCli(['synth'], pgliteEnv);
  const measured = [await measure('PGlite', pgliteEnv, dataDir)];
  const notes: string[] = [];
  if (ctx.postgresUrl) {
    const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl });
    await runCli(['synth'], env);
    measured.push(await measure('PostgreSQL', env, dataDir));
  } else {
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }
  notes.push(
    'With: `joinedup serve`, signed in as an INT lead for East (`bench-lead`, added with ' +
      '`joinedup staff add`; demo accounts off), every request carrying the session ' +
      'cookie: session lookup, the authorisation matrix, the team filter on the worklist or the ' +
      'legitimate-relationship rule on the person, and one audit event written before the answer leaves. ' +
      'Without: `bench/unguarded-server.ts`, a Fastify app set up like the real one (zod validation and ' +
      'serialisation, helmet, request ids) that opens the same database and calls the same functions ' +
      '(cohortScope, findWorklist with no team filter, checkedRules, worklistCounts, worklistPage; ' +
      'getPersonDetail, safeguardingConcerns, personOptOuts) with no session, no check and no audit. ' +
      `The worklist is made by the lead from a saved cohort (${COHORT.name}). Worklist: ` +
      `\`GET …/worklists/:id/people?status=to-review&page=N&pageSize=${PAGE_SIZE}\`, pages 1 to ${MAX_PAGES} ` +
      `(or the last) in turn; person: \`GET …/people/:personId\` cycling over up to ${MAX_PEOPLE} people on ` +
      `the worklist. The real server runs once (its audit events are counted below), then ${ROUNDS} rounds of the unguarded server and the real one, taking turns at going first; the figures are medians over the rounds, with each round's p95 ratio beside them. Processor time is the user and system time (Linux /proc) the server process used in the measured window, and on PostgreSQL every PostgreSQL server process too (its backends run the queries; the machine's other databases are idle), over the answers in the window: unlike the p95 under a full load, it does not move with the queue.`,
  );
  return { tables: [comparisonTable(measured), auditTable(measured)], notes };
}

/**
 * Runs `fn` against a server started for it, with a reading of the processor time of the server and, on
 * PostgreSQL, of its database, where a request's queries run.
 */
const withTimedServer = <T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  fn: (base: string, cpu: () => Map<number, number> | null) => Promise<T>,
): Promise<T> =>
  withServer(args, env, '/health', (base, child) =>
    fn(base, () => processorTimes([child.process.pid as number], env.DATABASE_URL !== undefined)),
  );

async function call(base: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status < 200 || res.status > 299)
    throw new Error(
      `${body === undefined ? 'GET' : 'POST'} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  return JSON.parse(text) as unknown;
}

async function measure(database: string, env: NodeJS.ProcessEnv, dataDir: string): Promise<Measured> {
  const lead = await addBenchLead(env);
  const serve = ['bin/joinedup.js', 'serve'];
  let loadStart = new Date();
  const prepared = await withTimedServer(serve, env, async (base, cpu) => {
    const session = await signIn(base, lead);
    const { cohort } = (await call(base, `/api/places/${PLACE}/cohorts`, session.write, {
      ...COHORT,
      owner: 'Benchmark',
    })) as { cohort: { id: string } };
    const { worklist } = (await call(base, `/api/places/${PLACE}/worklists`, session.write, {
      cohortId: cohort.id,
      name: `${COHORT.name} (benchmark)`,
      scope: 'neighbourhood',
      scopeCode: 'east',
    })) as { worklist: { id: string } };
    const peoplePath = (page: number) =>
      `/api/places/${PLACE}/worklists/${worklist.id}/people?status=to-review&page=${page}&pageSize=${PAGE_SIZE}`;
    const first = (await call(base, peoplePath(1), session.read)) as { total: number };
    const pages = Math.max(1, Math.min(MAX_PAGES, Math.ceil(first.total / PAGE_SIZE)));
    const worklistPaths = Array.from({ length: pages }, (_, i) => peoplePath(i + 1));
    const personIds: string[] = [];
    for (const path of worklistPaths) {
      const page = (await call(base, path, session.read)) as { people: { personId: string }[] };
      personIds.push(...page.people.map((p) => p.personId));
    }
    const personPaths = personIds.slice(0, MAX_PEOPLE).map((id) => `/api/places/${PLACE}/people/${id}`);
    for (const path of personPaths) await call(base, path, session.read);
    // The person page first: a load run on the slow worklist page leaves requests half-answered in the
    // server, which would be timed in the next run.
    const endpoints: Endpoint[] = [
      { label: `person page (${personPaths.length} people)`, paths: personPaths },
      {
        label: `worklist people page (${n(first.total)} to review; pages 1–${pages} of ${PAGE_SIZE})`,
        paths: worklistPaths,
      },
    ];
    loadStart = new Date();
    const results: Loaded[] = [];
    for (const e of endpoints) results.push(await loadPaths(base, e.paths, session, cpu));
    return { endpoints, with: results, session };
  });
  const audit = await readAudit({ databaseUrl: env.DATABASE_URL ?? null, dataDir }, loadStart);

  // Then ROUNDS rounds of the unguarded server and the real one over the same database, taking turns
  // at going first (a drift in the machine's speed over a run then falls on both alike): the figures
  // shown are medians over the rounds, so one noisy window does not decide the verdict.
  const unguarded = () =>
    withTimedServer(['bench/unguarded-server.ts'], env, async (base, cpu) => {
      // Every request once, as the real server is asked before its load runs, then the same load
      // (the cookie is sent and ignored).
      for (const e of prepared.endpoints)
        for (const path of e.paths) await call(base, path, prepared.session.read);
      const results: Loaded[] = [];
      for (const e of prepared.endpoints) results.push(await loadPaths(base, e.paths, prepared.session, cpu));
      return results;
    });
  const real = () =>
    withTimedServer(serve, env, async (base, cpu) => {
      const session = await signIn(base, lead);
      for (const e of prepared.endpoints) for (const path of e.paths) await call(base, path, session.read);
      const results: Loaded[] = [];
      for (const e of prepared.endpoints) results.push(await loadPaths(base, e.paths, session, cpu));
      return results;
    });
  const withRounds: Loaded[][] = [];
  const withoutRounds: Loaded[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      withoutRounds.push(await unguarded());
      withRounds.push(await real());
    } else {
      withRounds.push(await real());
      withoutRounds.push(await unguarded());
    }
  }
  return {
    database,
    endpoints: prepared.endpoints,
    firstRun: prepared.with,
    with: withRounds,
    without: withoutRounds,
    audit,
  };
}

/** Reads the audit trail once the server has stopped: what the load runs wrote, and the chain check. */
async function readAudit(
  config: { databaseUrl: string | null; dataDir: string },
  since: Date,
): Promise<Audit> {
  const db = await createDb(config);
  try {
    const byRoute = await db.kysely
      .selectFrom('audit_event')
      .select((eb) => [
        'route',
        'action',
        eb.fn.countAll<number>().as('events'),
        eb.fn.sum<number>(eb.fn('cardinality', ['person_ids'])).as('people'),
      ])
      .where('occurred_at', '>=', since)
      .groupBy(['route', 'action'])
      .orderBy('route')
      .execute();
    const chain = await verifyAuditChain(db.kysely);
    return {
      written: byRoute.reduce((sum, r) => sum + Number(r.events), 0),
      byRoute: byRoute.map((r) => ({
        route: r.route,
        action: r.action,
        events: Number(r.events),
        people: Number(r.people),
      })),
      chainEvents: chain.events,
      problems: chain.problems,
    };
  } finally {
    await db.close();
  }
}

/**
 * `paths` from 20 connections, each cycling through them, with the session's cookie: a 2 s warm-up, then
 * 8 s with every response time kept; after each window two more requests wait for the server's backlog.
 */
async function loadPaths(
  base: string,
  paths: string[],
  session: Session,
  cpu: () => Map<number, number> | null,
): Promise<Loaded> {
  const options: CannonOptions = {
    url: base,
    connections: CONNECTIONS,
    requests: paths.map((path) => ({ method: 'GET', path, headers: session.read })),
  };
  let answered = 0;
  const probe = async () => {
    const began = performance.now();
    await call(base, paths[0] as string, session.read);
    answered++;
    return performance.now() - began;
  };
  // How fast the first path answers on an idle server; after a window, wait until it answers about that
  // fast again (a closed window leaves requests half-answered in the server, query by query).
  let idle = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) idle = Math.min(idle, await probe());
  const settle = async () => {
    for (let i = 0; i < 100 && (await probe()) > 2 * idle + 20; i++);
  };
  const warmUp = cannon({ ...options, duration: WARM_UP_S });
  warmUp.on('response', () => answered++);
  await warmUp;
  await settle();
  const times: number[] = [];
  let non2xx = 0;
  const cpuBefore = cpu();
  const instance = cannon({ ...options, duration: MEASURE_S });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  const result = await instance;
  const processorMs = processorMsBetween(cpuBefore, cpu());
  answered += times.length;
  await settle();
  times.sort((a, b) => a - b);
  return {
    count: times.length,
    perSecond: times.length / result.duration,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: non2xx + result.errors,
    answered,
    processorMsPerAnswer: processorMs / times.length,
  };
}

const n = (v: number) => Math.round(v).toLocaleString('en-GB');

function comparisonTable(measured: Measured[]): BenchTable {
  const rows: string[][] = [];
  for (const m of measured)
    for (const [i, e] of m.endpoints.entries()) {
      const at = (rounds: Loaded[][]) => rounds.map((round) => round[i] as Loaded);
      const summed = (rounds: Loaded[][]) => ({
        p50: middle(at(rounds).map((l) => l.p50)),
        p95: middle(at(rounds).map((l) => l.p95)),
        count: at(rounds).reduce((t, l) => t + l.count, 0),
        errors: at(rounds).reduce((t, l) => t + l.errors, 0),
        processor: middle(at(rounds).map((l) => l.processorMsPerAnswer)),
      });
      const w = summed(m.with);
      const wo = summed(m.without);
      const perRound = at(m.with).map((l, k) => l.p95 / ((m.without[k] ?? [])[i] as Loaded).p95);
      const r = w.p95 / wo.p95;
      const verdict =
        w.errors + wo.errors > 0
          ? 'FAIL (errors)'
          : !Number.isFinite(r)
            ? 'not judged (no answers in the window)'
            : r <= TARGET_RATIO
              ? 'PASS'
              : `FAIL (+${((r - 1) * 100).toFixed(0)}%)`;
      rows.push([
        m.database,
        e.label,
        `${ms(w.p50)} / ${ms(w.p95)}`,
        `${ms(wo.p50)} / ${ms(wo.p95)}`,
        `${ratio(r)} (rounds: ${perRound.map(ratio).join(', ')})`,
        `${n(w.count)} / ${n(wo.count)}`,
        Number.isFinite(w.processor / wo.processor)
          ? `${ms(w.processor)} / ${ms(wo.processor)} (${ratio(w.processor / wo.processor)})`
          : 'not measured (no /proc)',
        `${w.errors} / ${wo.errors}`,
        `p95 ratio ≤ ${TARGET_RATIO.toFixed(2)}`,
        verdict,
      ]);
    }
  return {
    title:
      `Access checks and audit: worklist and person pages with and without them, ${CONNECTIONS} connections ` +
      `(Bury, synthetic residents; ${WARM_UP_S} s warm-up, then ${MEASURE_S} s, every response timed)`,
    columns: [
      'Database',
      'Endpoint',
      `With access: median p50 / p95 of ${ROUNDS} rounds`,
      `Without: median p50 / p95 of ${ROUNDS} rounds`,
      'Median p95 with ÷ without',
      `Answered in ${ROUNDS} × ${MEASURE_S} s (with / without)`,
      'Processor time per answer, median of rounds (with / without, ÷)',
      'Errors (with / without)',
      'Target',
      'Result',
    ],
    rows,
  };
}

function auditTable(measured: Measured[]): BenchTable {
  return {
    title:
      'Audit events written by the real server during its first load runs, and the chain check afterwards',
    columns: [
      'Database',
      'Requests answered (warm-up and settling included; the server also finishes what was in flight)',
      'Audit events written',
      'By route',
      'Chain check',
    ],
    rows: measured.map((m) => [
      m.database,
      n(m.firstRun.reduce((sum, l) => sum + l.answered, 0)),
      n(m.audit.written),
      m.audit.byRoute
        .map((r) => `\`${r.route}\` ${r.action}: ${n(r.events)} events, ${n(r.people)} people`)
        .join('; '),
      m.audit.problems.length === 0
        ? `verified: ${n(m.audit.chainEvents)} events, no problems`
        : `FAILED: ${m.audit.problems.map((p) => `#${p.seq} ${p.problem}`).join('; ')}`,
    ]),
  };
}
