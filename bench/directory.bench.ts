// The Live Well directory's targets, with 2,000 services on PostgreSQL: the public search answers with
// p95 ≤ 50 ms at 50 concurrent users, and the public search page's largest contentful paint is ≤ 1 s
// from localhost. The 2,000 services are Bury's sample directory repeated under new ids (the same
// organisations, locations, needs, opening times and costs). Each figure beside its peer: the search
// page and the ORUK search beside a bare Fastify route answering the same page from memory
// (bench/floor-server.ts); the search page's paint beside the sign-in page's.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../e2e/support/browser.ts';
import { createDb } from '../src/db/create-db.ts';
import { refreshServiceSearch, replaceDirectory } from '../src/directory/load-directory.store.ts';
import type { DirectoryPack } from '../src/directory/place-pack-directory.ts';
import { readValidPlacePack } from '../src/place/load-place-pack.ts';
import {
  type BenchContext,
  type BenchSection,
  type CycleResult,
  type LoadRequest,
  loadRequests,
  median,
  ms,
  ratio,
  runCli,
  serverEnv,
  tempDir,
  withServer,
} from './harness.ts';

const SERVICES = 2_000;
const USERS = 50;
const SEARCH_TARGET_MS = 50;
const LCP_TARGET_MS = 1_000;
const PAINT_RUNS = 7;
/** The searches a resident makes: words, a town's neighbourhood, a need, an age. */
const SEARCHES = [
  '?search=walking',
  '?where=town-radcliffe&need=older-people&age=75',
  '?search=carers&where=neighbourhood-east',
  '?search=debt+advice',
  '?search=dementia&age=80',
  '?where=neighbourhood-north',
  '?search=food',
  '?search=youth&age=14',
];
const PAGE = '/directory';
const ORUK = '/api/places/bury/oruk/services';

/** Bury's sample directory repeated under new ids until it holds `count` services. */
export function scaledDirectory(pack: DirectoryPack, count: number): DirectoryPack {
  const copies = Math.ceil(count / pack.services.length);
  const copy = <T extends { service: string; key: string }>(rows: readonly T[], k: number): T[] =>
    rows.map((r) => ({ ...r, key: `${r.key}-copy${k}`, service: `${r.service}-copy${k}` }));
  const services = [];
  const schedules = [];
  const costOptions = [];
  const contacts = [];
  for (let k = 0; k < copies; k++) {
    for (const s of pack.services)
      services.push({ ...s, id: `${s.id}-copy${k}`, name: k === 0 ? s.name : `${s.name} (${k + 1})` });
    schedules.push(...copy(pack.schedules, k));
    costOptions.push(...copy(pack.costOptions, k));
    contacts.push(...copy(pack.contacts, k));
  }
  const kept = new Set(services.slice(0, count).map((s) => s.id));
  return {
    ...pack,
    services: services.slice(0, count),
    schedules: schedules.filter((r) => kept.has(r.service)),
    costOptions: costOptions.filter((r) => kept.has(r.service)),
    contacts: contacts.filter((r) => kept.has(r.service)),
  };
}

async function paintOf(base: string, paths: Record<string, string>): Promise<Record<string, number[]>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (let i = 0; i < PAINT_RUNS; i++)
      for (const [name, p] of Object.entries(paths)) {
        const page = await context.newPage();
        await page.goto(base + p);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        out[name]?.push(
          await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                new PerformanceObserver((list) => {
                  const entries = list.getEntries();
                  resolve(entries[entries.length - 1]?.startTime ?? Number.NaN);
                }).observe({ type: 'largest-contentful-paint', buffered: true });
              }),
          ),
        );
        await page.close();
      }
    return out;
  } finally {
    await browser.close();
  }
}

export default async function directoryBench(ctx: BenchContext): Promise<BenchSection> {
  if (!ctx.postgresUrl)
    return {
      tables: [],
      notes: ['Not measured: the targets are on PostgreSQL, and no PostgreSQL server answered.'],
    };
  const dataDir = tempDir('joinedup-bench-directory-');
  const env = serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl, JOINEDUP_SYNTH: 'off' });
  await runCli(['place', 'load', 'place-packs/bury'], env);
  const db = await createDb({ databaseUrl: ctx.postgresUrl, dataDir });
  try {
    const { pack } = readValidPlacePack('place-packs/bury');
    await db.kysely
      .transaction()
      .execute((tx) => replaceDirectory(tx, 'bury', scaledDirectory(pack.directory, SERVICES)));
    await refreshServiceSearch(db.kysely, 'bury');
    await sql`analyze directory_service, directory_service_term, directory_service_at_location, directory_location`.execute(
      db.kysely,
    );
  } finally {
    await db.close();
  }

  const requests = (prefix: string, toQuery: (s: string) => string): LoadRequest[] =>
    SEARCHES.map((s) => ({ method: 'GET', path: `${prefix}${toQuery(s)}` }));
  // The same searches through the ORUK API: words, a neighbourhood and an age (product extensions).
  const orukQuery = (s: string) =>
    s
      .replace('where=town-radcliffe', 'neighbourhood=west')
      .replace('where=neighbourhood-', 'neighbourhood=')
      .replace('&need=older-people', '');
  let firstPage = '';
  const real = await withServer(['bin/joinedup.js', 'serve'], env, '/health', async (base) => {
    const first = await fetch(`${base}${PAGE}${SEARCHES[1]}`);
    firstPage = await first.text();
    if (first.status !== 200) throw new Error(`the search page answered ${first.status}`);
    const page = await loadRequests(
      base,
      requests(PAGE, (s) => s),
      USERS,
    );
    // The same searches, each asked for one age and one page of many: different addresses, so almost
    // every answer is computed (the public cache keeps an answer per address).
    const cold = await loadRequests(
      base,
      SEARCHES.flatMap((s) =>
        Array.from({ length: 500 }, (_, i) => ({
          method: 'GET' as const,
          path: `${PAGE}${s.replace(/&?age=\d+/, '')}&age=${i % 100}&page=${1 + Math.floor(i / 100)}`,
        })),
      ),
      USERS,
    );
    const oruk = await loadRequests(base, requests(ORUK, orukQuery), USERS);
    const paint = await paintOf(base, { search: `${PAGE}${SEARCHES[1]}`, signIn: '/sign-in' });
    return { page, cold, oruk, paint };
  });
  const bodyFile = path.join(tempDir('joinedup-bench-floor-'), 'page.html');
  writeFileSync(bodyFile, firstPage);
  const floor = await withServer(
    ['bench/floor-server.ts'],
    { ...process.env, ROUTE: PAGE, BODY_FILE: bodyFile, CONTENT_TYPE: 'text/html; charset=utf-8' },
    PAGE,
    (base) =>
      loadRequests(
        base,
        requests(PAGE, (s) => s),
        USERS,
      ),
  );

  const pct = (r: CycleResult['p95']) => `${r.atLeast ? '≥ ' : ''}${ms(r.ms)}`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  const searchLcp = median(real.paint.search ?? []);
  const signInLcp = median(real.paint.signIn ?? []);
  return {
    tables: [
      {
        title: `Live Well directory, ${SERVICES.toLocaleString('en-GB')} services, PostgreSQL`,
        columns: ['measure', 'figure', 'peer', 'peer figure', 'ratio', 'target', ''],
        rows: [
          [
            'Public search page, p95 (HTML, no sign-in)',
            pct(real.page.p95),
            'the same page from memory (bare Fastify)',
            pct(floor.p95),
            ratio(real.page.p95.ms / floor.p95.ms),
            `≤ ${SEARCH_TARGET_MS} ms`,
            verdict(real.page.p95.ms <= SEARCH_TARGET_MS && real.page.errors === 0),
          ],
          [
            '  throughput, errors',
            `${Math.round(real.page.perSecond)}/s, ${real.page.errors} errors`,
            '',
            `${Math.round(floor.perSecond)}/s`,
            '',
            '',
            '',
          ],
          [
            'Public search page, p95, each search a different address (context: answers computed, not from memory)',
            pct(real.cold.p95),
            'the same page from memory (bare Fastify)',
            pct(floor.p95),
            ratio(real.cold.p95.ms / floor.p95.ms),
            '—',
            `${Math.round(real.cold.perSecond)}/s, ${real.cold.errors} errors`,
          ],
          [
            'ORUK 3.0 service search API, p95',
            pct(real.oruk.p95),
            'the search page, same run',
            pct(real.page.p95),
            ratio(real.oruk.p95.ms / real.page.p95.ms),
            `≤ ${SEARCH_TARGET_MS} ms`,
            verdict(real.oruk.p95.ms <= SEARCH_TARGET_MS && real.oruk.errors === 0),
          ],
          [
            'Search page, largest contentful paint (Chromium)',
            ms(searchLcp),
            'the sign-in page',
            ms(signInLcp),
            ratio(searchLcp / signInLcp),
            `≤ ${LCP_TARGET_MS} ms`,
            verdict(searchLcp <= LCP_TARGET_MS),
          ],
        ],
      },
    ],
    notes: [
      `The Bury place pack loaded with its directory repeated to ${SERVICES.toLocaleString('en-GB')} services (the sample services under new ids), no population. ` +
        `Load: ${USERS} connections cycling over ${SEARCHES.length} searches (words, a neighbourhood, a need, an age), each a public request without a session; 2 s warm-up, then 8 s with every response timed. Public answers are kept in memory for a minute per address (src/server/public-cache.ts, as browsers may keep them), so after the warm-up the eight searches are answered from memory; the row "each search a different address" asks 4,000 different addresses, so that nearly every answer is computed from the database. ` +
        `Paint: Chromium (Debian, headless) opens the search for older people aged 75 in Radcliffe and the sign-in page ${PAINT_RUNS} times each, a fresh page each time; the largest-contentful-paint entry once the heading shows, median.`,
    ],
  };
}
