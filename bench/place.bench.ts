// The foundation issue's targets: from start to the first page served ≤ 3 s on an existing data folder;
// place API p95 ≤ 20 ms at 20 concurrent clients on PGlite and on PostgreSQL, beside a bare Fastify floor.
// Both databases are prepared as a real first start leaves them: Bury and its synthetic population
// (`joinedup synth`, 195,500 people), so that `serve` finds nothing to prepare.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Answer,
  addBenchLead,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  type Child,
  CONNECTIONS,
  freePort,
  get,
  type LoadResult,
  load,
  median,
  ms,
  ROOT,
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

const STARTS = 5;
const START_TARGET_MS = 3000;
const P95_TARGET_MS = 20;
const ENDPOINTS = ['/api/places/bury', '/api/places/bury/neighbourhoods/east'];

export default async function placeBench(ctx: BenchContext): Promise<BenchSection> {
  const webDir = path.resolve(ROOT, process.env.JOINEDUP_WEB_DIR ?? 'dist/web');
  const indexFile = path.join(webDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: run npm run build`);

  const dataDir = tempDir('joinedup-bench-data-');
  await runCli(['synth'], serverEnv(dataDir));
  const notes: string[] = [];
  const tables = [await startTable(dataDir), await apiTable(ctx, dataDir, notes)];
  return { tables, notes };
}

// ---- 1. Start-up ---------------------------------------------------------------------------------

/** Milliseconds from spawning `node <args>` to the first answer `accept` takes; the process is stopped. */
async function timeToFirstAnswer(
  args: string[],
  env: (port: number) => NodeJS.ProcessEnv,
  accept: (a: Answer) => boolean,
): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNode(args, env(port));
  try {
    return (await waitFor(`http://127.0.0.1:${port}/`, child, accept)) - started;
  } finally {
    await stop(child);
  }
}

/** The built web app's page (matched by its markers: other work may rebuild dist/web while this runs). */
const isWebApp = (a: Answer) =>
  a.status === 200 &&
  a.type.startsWith('text/html') &&
  a.body.includes('<div id="root">') &&
  a.body.includes('/assets/');

async function startTable(dataDir: string): Promise<BenchTable> {
  const joinedUp: number[] = [];
  const bare: number[] = [];
  const bareServer = "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')";
  for (let i = 0; i < STARTS; i++) {
    joinedUp.push(
      await timeToFirstAnswer(
        ['bin/joinedup.js', 'serve'],
        (port) => serverEnv(dataDir, { PORT: String(port) }),
        isWebApp,
      ),
    );
    bare.push(
      await timeToFirstAnswer(
        ['-e', bareServer],
        (port) => ({ ...process.env, PORT: String(port) }),
        (a) => a.status === 200 && a.body === 'ok',
      ),
    );
  }
  const worst = Math.max(...joinedUp);
  const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
  const timing = (v: number[]) => [`${s(median(v))} / ${s(Math.max(...v))}`];
  return {
    title: `Start-up: from start to the first page served (${STARTS} starts, median / max)`,
    columns: ['Measured', 'Time', 'Ratio to peer (median)', 'Target', 'Result'],
    rows: [
      [
        '`joinedup serve`, existing PGlite folder (Bury + 195,500 synthetic people) → `GET /` 200 with the web app',
        ...timing(joinedUp),
        ratio(median(joinedUp) / median(bare)),
        '≤ 3 s, every start',
        worst <= START_TARGET_MS ? 'pass' : `FAIL (+${s(worst - START_TARGET_MS)})`,
      ],
      ['peer: bare Node `http` server → first answer', ...timing(bare), '1.00×', '—', '—'],
    ],
  };
}

// ---- 2. Place API under load ---------------------------------------------------------------------

/** Starts a process, waits until `readyPath` answers 200, runs `fn` against it, then stops it. */
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
    await waitFor(base + readyPath, child, (a) => a.status === 200);
    return await fn(base);
  } finally {
    await stop(child);
  }
}

/** Loads every endpoint in turn on a running Joined Up server, signed in as `session`. */
async function loadEndpoints(base: string, session: Session): Promise<Map<string, LoadResult>> {
  const results = new Map<string, LoadResult>();
  for (const endpoint of ENDPOINTS) results.set(endpoint, await load(base + endpoint, session.read));
  return results;
}

async function apiTable(ctx: BenchContext, dataDir: string, notes: string[]): Promise<BenchTable> {
  const serve = ['bin/joinedup.js', 'serve'];
  const bodies = new Map<string, Answer>();
  const lead = await addBenchLead(serverEnv(dataDir));
  const pglite = await withServer(serve, serverEnv(dataDir), '/health', async (base) => {
    const session = await signIn(base, lead);
    for (const endpoint of ENDPOINTS) {
      const answer = await get(base + endpoint, session.read);
      if (answer.status !== 200) throw new Error(`GET ${endpoint} answered ${answer.status}: ${answer.body}`);
      bodies.set(endpoint, answer);
    }
    return loadEndpoints(base, session);
  });

  // The floor runs alone, like each server, so that none of them shares the machine with another.
  const floor = new Map<string, LoadResult>();
  const bodyDir = tempDir('joinedup-bench-floor-');
  for (const [i, endpoint] of ENDPOINTS.entries()) {
    const answer = bodies.get(endpoint) as Answer;
    const bodyFile = path.join(bodyDir, `${i}.json`);
    writeFileSync(bodyFile, answer.body);
    const env = { ...process.env, ROUTE: endpoint, BODY_FILE: bodyFile, CONTENT_TYPE: answer.type };
    floor.set(
      endpoint,
      await withServer(['bench/floor-server.ts'], env, endpoint, (base) => load(base + endpoint)),
    );
  }

  let postgres: Map<string, LoadResult> | null = null;
  if (ctx.postgresUrl) {
    const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl });
    await runCli(['synth'], env);
    const pgLead = await addBenchLead(env);
    postgres = await withServer(serve, env, '/health', async (base) => {
      const session = await signIn(base, pgLead);
      for (const endpoint of ENDPOINTS) {
        // The two databases were loaded at different times; anything else should be the same.
        const same = (a: string) => a.replace(/"loadedAt":"[^"]*"/g, '');
        const answer = await get(base + endpoint, session.read);
        if (same(answer.body) !== same(bodies.get(endpoint)?.body ?? ''))
          notes.push(`PostgreSQL's body for ${endpoint} differs from PGlite's; the floor serves PGlite's.`);
      }
      return loadEndpoints(base, session);
    });
  } else {
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }

  notes.push(
    'Every place API request is signed in as an INT lead for East (`bench-lead`, added with ' +
      '`joinedup staff add`; demo accounts off) and carries the session cookie, so each one includes the ' +
      'session lookup.',
  );
  const rows: string[][] = [];
  for (const endpoint of ENDPOINTS) {
    const floorResult = floor.get(endpoint) as LoadResult;
    rows.push(row('floor: bare Fastify, same JSON', endpoint, floorResult, floorResult, false));
    rows.push(row('PGlite', endpoint, pglite.get(endpoint) as LoadResult, floorResult, true));
    const pg = postgres?.get(endpoint);
    rows.push(
      pg
        ? row('PostgreSQL', endpoint, pg, floorResult, true)
        : ['PostgreSQL', `\`${endpoint}\``, 'not measured', '—', '—', '—', '—', '—', '—', '—'],
    );
  }
  return {
    title: `Place API at ${CONNECTIONS} concurrent clients (2 s warm-up, then 8 s, every response timed)`,
    columns: [
      'Database',
      'Endpoint',
      'p50',
      'p95',
      'p99',
      'Requests/s',
      'Errors',
      'p95 ratio to floor',
      'Target',
      'Result',
    ],
    rows,
  };
}

function row(what: string, endpoint: string, r: LoadResult, floor: LoadResult, judged: boolean): string[] {
  const pass = r.p95 <= P95_TARGET_MS && r.errors === 0;
  const miss = r.p95 > P95_TARGET_MS ? ` (+${ms(r.p95 - P95_TARGET_MS)})` : r.errors > 0 ? ' (errors)' : '';
  return [
    what,
    `\`${endpoint}\``,
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    r.perSecond.toFixed(0),
    String(r.errors),
    ratio(r.p95 / floor.p95),
    judged ? `p95 ≤ ${P95_TARGET_MS} ms, no errors` : '—',
    judged ? (pass ? 'pass' : `FAIL${miss}`) : '—',
  ];
}
