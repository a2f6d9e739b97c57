// The profiles issue's targets: the placemat API answers with p95 ≤ 100 ms at 20 concurrent users; a full
// refresh of every profile and indicator for Bury takes ≤ 10 s on PostgreSQL; and the placemat page's
// largest contentful paint is ≤ 1.5 s from localhost in Chromium, measured with the browser's own
// performance API. Each beside its peer: the API beside a bare Fastify route answering the same JSON from
// memory (bench/floor-server.ts); the refresh beside the stratification it follows (the same run's
// `stratifyPlace`, as context for its cost); the placemat's paint beside the overview page's.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../e2e/support/browser.ts';
import { createDb } from '../src/db/create-db.ts';
import { refreshProfiles } from '../src/profiles/refresh-profiles.ts';
import {
  type Account,
  addBenchLead,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  type CycleResult,
  type LoadRequest,
  loadRequests,
  median,
  ms,
  ratio,
  runCli,
  type Session,
  serverEnv,
  signIn,
  tempDir,
  withServer,
} from './harness.ts';

const PLACE = 'bury';
const API = `/api/places/${PLACE}`;
const USERS = 20;
const API_TARGET_MS = 100;
const REFRESH_TARGET_S = 10;
const LCP_TARGET_MS = 1500;
const REFRESH_RUNS = 3;
const PAINT_RUNS = 7;

interface Measured {
  database: string;
  refresh: number[];
  stratifySeconds: number;
  api: CycleResult;
  firstAnswer: string;
  paint: { placemat: number[]; overview: number[] } | null;
  /** The placemats' keys (kind:code). */
  areas: string[];
}

export default async function profilesBench(ctx: BenchContext): Promise<BenchSection> {
  const dataDir = tempDir('joinedup-bench-data-');
  const measured: Measured[] = [
    await measureDatabase('PGlite', serverEnv(dataDir), { databaseUrl: null, dataDir }, true),
  ];
  const notes: string[] = [];
  if (ctx.postgresUrl) {
    const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl });
    measured.push(await measureDatabase('PostgreSQL', env, { databaseUrl: ctx.postgresUrl, dataDir }, true));
  } else {
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }

  // The floor answers every placemat address with the first placemat the real server gave.
  const bodyDir = tempDir('joinedup-bench-floor-');
  const bodyFile = path.join(bodyDir, 'placemat.json');
  writeFileSync(bodyFile, (measured[0] as Measured).firstAnswer);
  const floorEnv = { ...process.env, ROUTE: `${API}/profiles/:kind/:code`, BODY_FILE: bodyFile };
  const floor = await withServer(
    ['bench/floor-server.ts'],
    floorEnv,
    `${API}/profiles/borough/${PLACE}`,
    (base) => loadRequests(base, placematRequests(null, (measured[0] as Measured).areas), USERS),
  );

  notes.push(
    'Each database: `joinedup synth` (Bury, 195,500 synthetic residents, stratified, then its profiles refreshed), ' +
      `then \`refreshProfiles\` run ${REFRESH_RUNS} times in the benchmark's process (the median is shown; ` +
      'the stratification time is the same database’s `joinedup synth` run, for context). API: signed in as ' +
      `the bench INT lead, ${USERS} connections cycling over every placemat (the borough, 5 neighbourhoods ` +
      'and 17 wards); 2 s warm-up, then 8 s with every response timed. Paint: Chromium (Debian, headless) ' +
      `opens the placemat of East neighbourhood and the overview page ${PAINT_RUNS} times each, signed in, ` +
      'with a fresh page each time (the browser cache warm after the first); the largest-contentful-paint ' +
      'entry the browser records once the heading is shown, median.',
  );
  return { tables: [table(measured, floor)], notes };
}

function placematRequests(session: Session | null, areas: readonly string[]): LoadRequest[] {
  const headers = session?.read;
  return areas.map((key) => ({
    method: 'GET',
    path: `${API}/profiles/${key.replace(':', '/')}`,
    ...(headers ? { headers } : {}),
  }));
}

async function measureDatabase(
  database: string,
  env: NodeJS.ProcessEnv,
  config: { databaseUrl: string | null; dataDir: string },
  paint: boolean,
): Promise<Measured> {
  await runCli(['synth'], env);
  const db = await createDb(config);
  const refresh: number[] = [];
  let stratifySeconds = 0;
  let areas: string[] = [];
  try {
    const run = await db.kysely
      .selectFrom('stratification_run')
      .select('duration_ms')
      .where('place_id', '=', PLACE)
      .executeTakeFirstOrThrow();
    stratifySeconds = run.duration_ms / 1000;
    for (let i = 0; i < REFRESH_RUNS; i++) {
      const out = await refreshProfiles(db, PLACE);
      refresh.push(out.milliseconds / 1000);
    }
    const keys = await db.kysely
      .selectFrom('profile_snapshot')
      .select('key')
      .where('place_id', '=', PLACE)
      .where('kind', '=', 'placemat')
      .orderBy('key')
      .execute();
    areas = keys.map((k) => k.key);
  } finally {
    await db.close();
  }
  const lead = await addBenchLead(env);
  const measured = await withServer(['bin/joinedup.js', 'serve'], env, '/health', async (base) => {
    const session = await signIn(base, lead);
    const requests = placematRequests(session, areas);
    const first = await fetch(base + (requests[0] as LoadRequest).path, { headers: session.read });
    const firstAnswer = await first.text();
    if (first.status !== 200)
      throw new Error(`the borough placemat answered ${first.status}: ${firstAnswer}`);
    const api = await loadRequests(base, requests, USERS);
    return { api, firstAnswer, paint: paint ? await measurePaint(base, lead) : null };
  });
  return { database, refresh, stratifySeconds, areas, ...measured };
}

/** Largest contentful paint of the placemat and of the overview page, signed in, in Chromium. */
async function measurePaint(
  base: string,
  account: Account,
): Promise<{ placemat: number[]; overview: number[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const res = await context.request.post(`${base}/api/session`, { data: account });
    if (res.status() !== 200) throw new Error(`signing in answered ${res.status()}`);
    const lcp = async (path: string, heading: string) => {
      const page = await context.newPage();
      await page.goto(base + path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      const value = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              resolve(entries[entries.length - 1]?.startTime ?? Number.NaN);
            }).observe({ type: 'largest-contentful-paint', buffered: true });
          }),
      );
      await page.close();
      return value;
    };
    const placemat: number[] = [];
    const overview: number[] = [];
    for (let i = 0; i < PAINT_RUNS; i++) {
      placemat.push(await lcp('/profiles/neighbourhood/east', 'East neighbourhood placemat'));
      overview.push(await lcp('/', 'Bury'));
    }
    return { placemat, overview };
  } finally {
    await browser.close();
  }
}

const pct = (r: CycleResult['p95']) => `${r.atLeast ? '≥ ' : ''}${ms(r.ms)}`;
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');

function table(measured: Measured[], floor: CycleResult): BenchTable {
  const rows: string[][] = [];
  for (const m of measured) {
    const refresh = median(m.refresh);
    rows.push([
      'Full refresh of every profile and indicator',
      m.database,
      `${refresh.toFixed(2)} s (runs: ${m.refresh.map((s) => s.toFixed(2)).join(', ')})`,
      `stratification ${m.stratifySeconds.toFixed(2)} s`,
      ratio(refresh / m.stratifySeconds),
      m.database === 'PostgreSQL' ? `≤ ${REFRESH_TARGET_S} s` : '—',
      m.database === 'PostgreSQL' ? verdict(refresh <= REFRESH_TARGET_S) : '—',
    ]);
    rows.push([
      `Placemat API, ${USERS} users (p50 ${pct(m.api.p50)}, ${m.api.perSecond.toFixed(0)}/s, ${m.api.errors} errors)`,
      m.database,
      `p95 ${pct(m.api.p95)}`,
      `floor p95 ${ms(floor.p95.ms)}`,
      ratio(m.api.p95.ms / floor.p95.ms),
      `p95 ≤ ${API_TARGET_MS} ms`,
      verdict(!m.api.p95.atLeast && m.api.p95.ms <= API_TARGET_MS && m.api.errors === 0),
    ]);
    if (m.paint) {
      const placemat = median(m.paint.placemat);
      const overview = median(m.paint.overview);
      rows.push([
        'Placemat page, largest contentful paint (Chromium)',
        m.database,
        ms(placemat),
        `overview page ${ms(overview)}`,
        ratio(placemat / overview),
        `≤ ${LCP_TARGET_MS} ms`,
        verdict(placemat <= LCP_TARGET_MS),
      ]);
    }
  }
  return {
    title:
      'Profiles and outcomes: refresh, placemat API and placemat paint (Bury, 195,500 synthetic residents)',
    columns: ['Measure', 'Database', 'Joined Up', 'Peer', 'Ratio', 'Target', 'Verdict'],
    rows,
  };
}
