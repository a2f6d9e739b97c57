// The cohort issue's targets: for synthetic Bury (195,500 residents), a cohort's count p95 ≤ 100 ms and a
// page of its members p95 ≤ 150 ms at 20 concurrent users, on PGlite and on PostgreSQL, beside a bare Fastify
// floor answering the same JSON from memory. Each database is prepared as a real first start leaves it
// (`joinedup synth`: Bury, its synthetic population and their risk scores), the cohorts are saved through the
// API, and the real server runs as its own process.
import type { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  type Account,
  type Answer,
  addBenchLead,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  type Child,
  CONNECTIONS,
  freePort,
  ms,
  ratio,
  runCli,
  type Session,
  serverEnv,
  signIn,
  spawnNode,
  stop,
  tempDir,
  waitFor,
} from './harness.ts';

// autocannon takes more than bench/autocannon.d.ts declares: requests each connection cycles through, and a
// hook on each connection's client (which emits 'request', 'response', 'timeout' and 'connError').
type CannonOptions = Parameters<typeof autocannon>[0] & {
  requests: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }[];
  setupClient?: (client: EventEmitter) => void;
};
const cannon = autocannon as unknown as (options: CannonOptions) => ReturnType<typeof autocannon>;

const PLACE = 'bury';
const COHORTS = `/api/places/${PLACE}/cohorts`;
const COUNT_TARGET_MS = 100;
const PAGE_TARGET_MS = 150;
/** Member pages are requested in turn, 1 to at most this, so that no answer is one repeated query. */
const MAX_PAGES = 20;
const PAGE_SIZE = 25;
// The same windows as the harness's `load`, which takes only a GET of one URL.
const WARM_UP_S = 2;
const MEASURE_S = 8;

type Rules = Record<string, unknown>;
const rule = (field: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'rule',
  field,
  operator,
  value,
  ...extra,
});
const and = (...rules: unknown[]): Rules => ({ kind: 'group', combinator: 'and', rules });

/** The example: East, aged 65+, moderate or severe frailty, an emergency admission in 12 months. */
const NARROW = and(
  rule('neighbourhood', 'in', ['east']),
  rule('age', '>=', 65),
  rule('efiBand', 'in', ['moderate', 'severe']),
  rule('activity', '>=', 1, { activity: 'emergency-admission', months: 12 }),
);
/** Every adult with two or more long-term conditions: a large share of the population. */
const BROAD = and(rule('age', '>=', 18), rule('ltcCount', '>=', 2));
/** Aged 65+ with an A&E attendance in 6 months: a period other than the 12 months kept as ed_12m. */
const RECENT_ED = and(rule('age', '>=', 65), rule('activity', '>=', 1, { activity: 'ed', months: 6 }));

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

interface Scenario {
  label: string;
  /** The route as the floor registers it. */
  route: string;
  target: number;
  /** The requests one connection cycles through, given the saved cohorts' ids and sizes. */
  requests(saved: Saved): Request[];
}

/** The saved cohorts: ids, and how many members the signed-in INT lead sees (those in East). */
interface Saved {
  narrow: { id: string; total: number };
  broad: { id: string; total: number };
}

const pages = (id: string, total: number): Request[] =>
  Array.from({ length: Math.max(1, Math.min(MAX_PAGES, Math.ceil(total / PAGE_SIZE))) }, (_, i) => ({
    method: 'GET',
    path: `${COHORTS}/${id}/members?page=${i + 1}&pageSize=${PAGE_SIZE}&sort=risk`,
  }));

const SCENARIOS: Scenario[] = [
  {
    label: 'count (saved cohort, narrow rules)',
    route: `${COHORTS}/:cohortId`,
    target: COUNT_TARGET_MS,
    requests: (s) => [{ method: 'GET', path: `${COHORTS}/${s.narrow.id}` }],
  },
  {
    label: 'count (broad rules)',
    route: `${COHORTS}/:cohortId`,
    target: COUNT_TARGET_MS,
    requests: (s) => [{ method: 'GET', path: `${COHORTS}/${s.broad.id}` }],
  },
  {
    label: 'preview (6-month activity)',
    route: `${COHORTS}/preview`,
    target: COUNT_TARGET_MS,
    requests: () => [
      { method: 'POST', path: `${COHORTS}/preview`, body: JSON.stringify({ rules: RECENT_ED }) },
    ],
  },
  {
    label: 'members page (narrow)',
    route: `${COHORTS}/:cohortId/members`,
    target: PAGE_TARGET_MS,
    requests: (s) => pages(s.narrow.id, s.narrow.total),
  },
  {
    label: 'members page (broad)',
    route: `${COHORTS}/:cohortId/members`,
    target: PAGE_TARGET_MS,
    requests: (s) => pages(s.broad.id, s.broad.total),
  },
];

/** What one database gave: the load results, the first answer to each scenario and the cohorts' sizes. */
interface Measured {
  results: Loaded[];
  answers: Answer[];
  totals: number[];
  saved: Saved;
  /** The session the requests were made in (the floor is sent the same headers). */
  session: Session;
}

export default async function cohortBench(ctx: BenchContext): Promise<BenchSection> {
  const notes: string[] = [];
  const dataDir = tempDir('joinedup-bench-data-');
  await runCli(['synth'], serverEnv(dataDir));
  const pglite = await measureServer(serverEnv(dataDir), await addBenchLead(serverEnv(dataDir)));

  // The floor runs alone, like each server, so that none of them shares the machine with another.
  const floor: Loaded[] = [];
  const bodyDir = tempDir('joinedup-bench-floor-');
  for (const [i, scenario] of SCENARIOS.entries()) {
    const answer = pglite.answers[i] as Answer;
    const bodyFile = path.join(bodyDir, `${i}.json`);
    writeFileSync(bodyFile, answer.body);
    const requests = scenario.requests(pglite.saved);
    const env = {
      ...process.env,
      ROUTE: scenario.route,
      METHOD: requests[0]?.method,
      BODY_FILE: bodyFile,
      CONTENT_TYPE: answer.type,
    };
    floor.push(
      await withServer(['bench/floor-server.ts'], env, '/', (base) =>
        loadRequests(base, requests, pglite.session),
      ),
    );
  }

  let postgres: Measured | null = null;
  if (ctx.postgresUrl) {
    const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl });
    await runCli(['synth'], env);
    postgres = await measureServer(env, await addBenchLead(env));
    const differ = SCENARIOS.filter((_, i) => postgres?.totals[i] !== pglite.totals[i]).map((s) => s.label);
    if (differ.length > 0)
      notes.push(`PostgreSQL's cohort sizes differ from PGlite's for: ${differ.join('; ')}.`);
    notes.push(await plannerStatistics(ctx.postgresUrl));
  } else {
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }

  const tables = [
    table('PGlite', pglite, floor),
    postgres
      ? table('PostgreSQL', postgres, floor)
      : {
          title: 'Cohorts on PostgreSQL',
          columns: ['Measured'],
          rows: [['not measured (no PostgreSQL server answered)']],
        },
    floorTable(pglite, floor),
  ];
  notes.push(
    'Cohort rules. Narrow (saved): neighbourhood East, aged 65 or over, moderate or severe frailty (eFI), ' +
      'at least one emergency admission in 12 months. Broad (saved): aged 18 or over with 2 or more ' +
      'long-term conditions. Preview (unsaved, the rule builder’s live count): aged 65 or over with at ' +
      'least one A&E attendance in 6 months (counted for every resident at stratification, like every period). ' +
      'A count is `GET …/cohorts/:id` (or `POST …/cohorts/preview`): the cohort by neighbourhood × ' +
      `deprivation quintile. A members page is \`GET …/cohorts/:id/members?page=N&pageSize=${PAGE_SIZE}&sort=risk\`; ` +
      `each connection asks for pages 1, 2, … up to ${MAX_PAGES} (or the last page) in turn. The floor ` +
      'answers each route with PGlite’s first answer (page 1 for members), whatever the page asked for.',
    'Every request is signed in as an INT lead for East (`bench-lead`, added with `joinedup staff add`; ' +
      'demo accounts off) and carries the session ' +
      'cookie (and the CSRF token on POST), so each one includes the session lookup and, for member pages, ' +
      'the relationship rule and an audit event. A count is the planning figure (opt-outs left out, small ' +
      'numbers suppressed; its size above is the rounded total). A members page lists only the members the ' +
      'viewer has a relationship with: before measuring, the bench makes an East worklist from each saved ' +
      'cohort, so the lead sees the cohort’s members in East (the size shown is that visible total).',
  );
  return { tables, notes };
}

/** Whether PostgreSQL's planner had statistics for the tables the cohort queries read, and why not. */
async function plannerStatistics(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const autovacuum = (await client.query<{ autovacuum: string }>('show autovacuum')).rows[0]?.autovacuum;
    const { rows } = await client.query<{ table: string; analysed: boolean }>(
      `select c.relname as table, exists (select 1 from pg_statistic s where s.starelid = c.oid) as analysed
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p')
          and (c.relname like 'person_risk%' or c.relname in ('person', 'encounter'))
        order by 1`,
    );
    const list = (analysed: boolean) =>
      rows
        .filter((r) => r.analysed === analysed)
        .map((r) => r.table)
        .join(', ') || 'none';
    return (
      `PostgreSQL planner statistics when measured: autovacuum ${autovacuum}; analysed: ${list(true)}; ` +
      `never analysed: ${list(false)}.`
    );
  } finally {
    await client.end();
  }
}

/** Starts a process, waits until `readyPath` answers at all, runs `fn` against it, then stops it. */
async function withServer<T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPath: string,
  fn: (base: string) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: Child = spawnNode(args, { ...env, PORT: String(port) });
  try {
    await waitFor(base + readyPath, child, (a) => a.status > 0);
    return await fn(base);
  } finally {
    await stop(child);
  }
}

/** The headers a request sends as this session: its cookie, and on POST the CSRF token and the body's type. */
function headersFor(r: Request, session: Session): Record<string, string> {
  if (r.method === 'GET') return session.read;
  return { ...session.write, ...(r.body === undefined ? {} : { 'content-type': 'application/json' }) };
}

async function send(base: string, r: Request, session: Session): Promise<Answer> {
  const res = await fetch(base + r.path, {
    method: r.method,
    headers: headersFor(r, session),
    ...(r.body === undefined ? {} : { body: r.body }),
  });
  const answer = { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${r.method} ${r.path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  return answer;
}

/**
 * Signs in as `lead`, saves the two cohorts and makes an East worklist from each (so that the lead has a
 * relationship with their members in East), checks every request answers, then loads each scenario in turn.
 */
async function measureServer(env: NodeJS.ProcessEnv, lead: Account): Promise<Measured> {
  return withServer(['bin/joinedup.js', 'serve'], env, '/health', async (base) => {
    const session = await signIn(base, lead);
    const save = async (name: string, rules: Rules) => {
      const body = JSON.stringify({ name, owner: 'Benchmark', rules });
      const answer = await send(base, { method: 'POST', path: COHORTS, body }, session);
      const { cohort } = JSON.parse(answer.body) as { cohort: { id: string } };
      const worklist = {
        cohortId: cohort.id,
        name: `${name} (East)`,
        scope: 'neighbourhood',
        scopeCode: 'east',
      };
      const path = `/api/places/${PLACE}/worklists`;
      await send(base, { method: 'POST', path, body: JSON.stringify(worklist) }, session);
      const first = await send(
        base,
        { method: 'GET', path: `${COHORTS}/${cohort.id}/members?pageSize=1` },
        session,
      );
      return { id: cohort.id, total: (JSON.parse(first.body) as { total: number }).total };
    };
    const saved: Saved = {
      narrow: await save('East, 65+, moderately or severely frail, emergency admission', NARROW),
      broad: await save('Adults with 2 or more long-term conditions', BROAD),
    };
    const answers: Answer[] = [];
    const totals: number[] = [];
    for (const scenario of SCENARIOS) {
      const requests = scenario.requests(saved);
      for (const r of requests) await send(base, r, session);
      const answer = await send(base, requests[0] as Request, session);
      answers.push(answer);
      // A count's total is disclosed for planning ({shown, value, isSuppressed}; value null when suppressed).
      const parsed = JSON.parse(answer.body) as {
        total?: number;
        breakdown?: { total: { value: number | null } };
      };
      totals.push((parsed.breakdown ? parsed.breakdown.total.value : parsed.total) ?? Number.NaN);
    }
    const results: Loaded[] = [];
    for (const scenario of SCENARIOS) {
      const requests = scenario.requests(saved);
      results.push(
        await loadRequests(base, requests, session, () => drain(base, requests[0] as Request, session)),
      );
    }
    return { results, answers, totals, saved, session };
  });
}

/**
 * Waits for the requests a load run left in the server to finish: when autocannon stops it closes its
 * connections, but the server still answers what it had accepted, and on a slow route that backlog would
 * otherwise be timed in the next run. Queries queue first in, first out (PGlite's mutex, pg's pool), so a
 * request sent now is answered once the backlog's queries have run; a second one makes sure.
 */
async function drain(base: string, probe: Request, session: Session): Promise<void> {
  for (let i = 0; i < 2; i++) await send(base, probe, session);
}

/** A load run's figures. A request still waiting when the window closes counts as at least its wait. */
interface Loaded {
  /** Answered within the window. */
  count: number;
  perSecond: number;
  p50: Percentile;
  p95: Percentile;
  p99: Percentile;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  /** Requests autocannon gave up on after 10 s (also counted in `errors`). */
  timeouts: number;
  /** Requests sent but not answered when the window closed, and the longest of their waits so far. */
  inFlight: number;
  longestWait: number;
}

/** A nearest-rank percentile; `atLeast` when it fell on a request still waiting at the end. */
interface Percentile {
  ms: number;
  atLeast: boolean;
}

/**
 * `requests` from 20 connections, each cycling through them: a 2 s warm-up, then 8 s with every response
 * time kept. `settle` runs after each window, for the server to finish what the closed connections left.
 * On a slow server a single 8 s window holds few answers, and the requests still waiting at its end are
 * the slowest: they are kept as lower bounds (their wait so far) rather than dropped.
 */
async function loadRequests(
  base: string,
  requests: Request[],
  session: Session,
  settle: () => Promise<void> = async () => {},
): Promise<Loaded> {
  const options: CannonOptions = {
    url: base,
    connections: CONNECTIONS,
    requests: requests.map((r) => ({
      method: r.method,
      path: r.path,
      headers: headersFor(r, session),
      ...(r.body === undefined ? {} : { body: r.body }),
    })),
  };
  await cannon({ ...options, duration: WARM_UP_S });
  await settle();
  const times: number[] = [];
  let non2xx = 0;
  // When each connection sent the request it is waiting on (a connection has one at a time).
  const sentAt = new Map<EventEmitter, number>();
  const instance = cannon({
    ...options,
    duration: MEASURE_S,
    setupClient: (client) => {
      client.on('request', () => sentAt.set(client, performance.now()));
      for (const end of ['response', 'timeout', 'connError']) client.on(end, () => sentAt.delete(client));
    },
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    times.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  const result = await instance;
  const closed = performance.now();
  const waits = [...sentAt.values()].map((t) => closed - t);
  await settle();
  const all = [
    ...times.map((ms) => ({ ms, atLeast: false })),
    ...waits.map((ms) => ({ ms, atLeast: true })),
  ].sort((a, b) => a.ms - b.ms);
  const at = (p: number): Percentile =>
    all.length === 0
      ? { ms: Number.NaN, atLeast: false }
      : (all[Math.max(0, Math.ceil((p / 100) * all.length) - 1)] as Percentile);
  return {
    count: times.length,
    perSecond: times.length / result.duration,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors: non2xx + result.errors,
    timeouts: result.timeouts,
    inFlight: waits.length,
    longestWait: Math.max(0, ...waits),
  };
}

const errors = (r: Loaded) =>
  r.timeouts > 0 ? `${r.errors} (${r.timeouts} timed out at 10 s)` : String(r.errors);
const n = (v: number) => (Number.isNaN(v) ? '—' : Math.round(v).toLocaleString('en-GB'));
const pct = (p: Percentile) => (p.atLeast ? `≥ ${ms(p.ms)}` : ms(p.ms));
const COLUMNS = [
  'Measured',
  'p50',
  'p95',
  'p99',
  `Answered in ${MEASURE_S} s`,
  'Waiting at the end (longest)',
  'Errors',
  'Target',
  'Result',
  '÷ floor (p95)',
];

function figures(r: Loaded): string[] {
  return [
    pct(r.p50),
    pct(r.p95),
    pct(r.p99),
    `${n(r.count)} (${r.perSecond.toFixed(0)}/s)`,
    r.inFlight === 0 ? '0' : `${r.inFlight} (${ms(r.longestWait)})`,
    errors(r),
  ];
}

function verdict(r: Loaded, target: number): string {
  if (r.p95.ms > target) return `FAIL (${r.p95.atLeast ? '≥ ' : ''}+${ms(r.p95.ms - target)})`;
  if (r.errors > 0) return 'FAIL (errors)';
  if (r.p95.atLeast || Number.isNaN(r.p95.ms)) return 'not judged (too few answers)';
  return 'pass';
}

function table(database: string, measured: Measured, floor: Loaded[]): BenchTable {
  const rows = SCENARIOS.map((scenario, i) => {
    const r = measured.results[i] as Loaded;
    const f = floor[i] as Loaded;
    return [
      `${scenario.label}: ${n(measured.totals[i] as number)} people`,
      ...figures(r),
      `p95 ≤ ${scenario.target} ms, no errors`,
      verdict(r, scenario.target),
      `${r.p95.atLeast ? '≥ ' : ''}${ratio(r.p95.ms / f.p95.ms)}`,
    ];
  });
  return {
    title:
      `${database}: cohorts at ${CONNECTIONS} concurrent users (Bury, 195,500 synthetic residents; ` +
      `${WARM_UP_S} s warm-up, then ${MEASURE_S} s, every response timed)`,
    columns: COLUMNS,
    rows,
  };
}

function floorTable(pglite: Measured, floor: Loaded[]): BenchTable {
  return {
    title: `Floor: bare Fastify route answering the same JSON from memory, ${CONNECTIONS} connections`,
    columns: COLUMNS,
    rows: SCENARIOS.map((scenario, i) => [
      `${scenario.label}: ${n((pglite.answers[i] as Answer).body.length)} bytes`,
      ...figures(floor[i] as Loaded),
      '—',
      '—',
      '1.00×',
    ]),
  };
}
