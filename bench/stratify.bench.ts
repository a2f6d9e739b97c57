// The risk stratification issue's targets: `stratifyPlace` (every model for every living resident of a
// place, set-based SQL in one transaction) for Bury (195,500 synthetic people, ~1.1M encounters)
// ≤ 3 s on PostgreSQL and ≤ 8 s on PGlite; for Greater Manchester (2,867,752 people, `joinedup synth
// --place greater-manchester` into PostgreSQL) ≤ 45 s on PostgreSQL. The peer, in the same run: the same
// computations as DuckDB SQL over the same data (an in-memory DuckDB, loaded before timing); our time ÷
// DuckDB's within 5×, aiming for 2×. The results must agree, or the bench fails: a peer that computes
// something else is no peer (the peer is in stratify-duckdb.ts, the agreement in stratify-results.ts).
// Greater Manchester takes ~6 minutes to generate and runs only when asked: `npm run bench -- stratify
// --gm` or BENCH_GM=1.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type DbConfig } from '../src/db/create-db.ts';
import { type RiskCodeLists, riskCodeRows, riskValueRuleRows } from '../src/risk/code-lists.ts';
import { readRiskCodeLists } from '../src/risk/read-code-lists.ts';
import { MODEL_VERSIONS } from '../src/risk/run-stratify.ts';
import { stratifyPlace } from '../src/risk/stratify.store.ts';
import {
  atCleanup,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  median,
  ROOT,
  ratio,
  runCli,
  tempDir,
} from './harness.ts';
import { measureDuckdb, type Peer, type Source } from './stratify-duckdb.ts';
import {
  AS_OF,
  assertSame,
  type Measured,
  medianRun,
  n,
  postgresRows,
  RUNS,
  type Run,
  readCheck,
} from './stratify-results.ts';

const BURY = 'bury';
const GREATER_MANCHESTER = 'greater-manchester';
/** Greater Manchester's residents (Census 2021), its place pack's default population. */
const GM = 2_867_752;
const TARGET_S = { pglite: 8, postgres: 3, gm: 45 } as const;
const PEER_LIMIT = 5;
const PEER_AIM = 2;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---- Our stratification, timed in process ------------------------------------------------------

interface Ours extends Measured {
  /** Dead rows left in the score tables (and their partitions) after the runs, as statistics count them. */
  deadAfter: number;
}

/** Opens the database as the product does, times `stratifyPlace` RUNS times back to back, reads the results. */
async function measureOurs(
  engine: string,
  config: DbConfig,
  lists: RiskCodeLists,
  perResident: boolean,
  place = BURY,
): Promise<Ours> {
  const db = await createDb(config);
  try {
    const runs: Run[] = [];
    let people = 0;
    for (let i = 0; i < RUNS; i++) {
      const steps: [string, number][] = [];
      const t0 = performance.now();
      const counts = await stratifyPlace(db.kysely, place, AS_OF, lists, MODEL_VERSIONS, (label, ms) =>
        steps.push([label, ms]),
      );
      runs.push({ ms: performance.now() - t0, steps });
      people = counts.people;
    }
    const check = await readCheck(postgresRows(db.kysely), 'cardinality', perResident, place);
    const dead = await sql<{ dead: number }>`
      select coalesce(sum(n_dead_tup), 0)::int as dead from pg_stat_user_tables
      where relname like 'score\_contribution%' or relname like 'person\_risk%'`.execute(db.kysely);
    return { engine, runs, people, check, deadAfter: Number(dead.rows[0]?.dead) };
  } finally {
    await db.close();
  }
}

// ---- Preparing the data -------------------------------------------------------------------------

function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, JOINEDUP_PLACE: _place, JOINEDUP_DATA_DIR: _dir, ...env } = process.env;
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

/** A fresh database on the bench's PostgreSQL server, dropped at cleanup. */
async function freshDatabase(benchUrl: string, suffix: string): Promise<string> {
  const name = `${new URL(benchUrl).pathname.slice(1)}_${suffix}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: benchUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  atCleanup(() => admin(`drop database if exists ${name} with (force)`));
  const url = new URL(benchUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---- Tables -------------------------------------------------------------------------------------

const medianMs = (m: Measured) => median(m.runs.map((r) => r.ms));
const times = (m: Measured) => m.runs.map((r) => s(r.ms)).join(' / ');
const COLUMNS = ['Measured', 'Median', 'Runs', 'Target', 'Result', '÷ DuckDB'];

function ourRow(what: string, m: Measured, targetS: number, peer: Measured): string[] {
  const mid = medianMs(m);
  const peerRatio = mid / medianMs(peer);
  const failures: string[] = [];
  if (mid > targetS * 1000) failures.push(`+${s(mid - targetS * 1000)}`);
  if (peerRatio > PEER_LIMIT) failures.push(`${ratio(peerRatio)} DuckDB`);
  const result =
    failures.length > 0
      ? `FAIL (${failures.join('; ')})`
      : peerRatio > PEER_AIM
        ? `pass (above the ${PEER_AIM}× aim)`
        : 'pass';
  return [
    what,
    s(mid),
    times(m),
    `≤ ${targetS} s; ≤ ${PEER_LIMIT}× DuckDB (aim ${PEER_AIM}×)`,
    result,
    ratio(peerRatio),
  ];
}

const peerRow = (peer: Peer) => [
  `peer: DuckDB ${peer.version}, in memory, the same SQL`,
  s(medianMs(peer)),
  times(peer),
  '—',
  '—',
  '1.00×',
];

function stepsNote(scale: string, measured: Measured[]): string {
  const labels = [...new Set(measured.flatMap((m) => medianRun(m.runs).steps.map(([l]) => l)))];
  const cell = (m: Measured, label: string) => {
    const found = medianRun(m.runs).steps.find(([l]) => l === label);
    return found ? s(found[1]) : '—';
  };
  const rest = (m: Measured) => {
    const run = medianRun(m.runs);
    return s(run.ms - run.steps.reduce((sum, [, v]) => sum + v, 0));
  };
  const parts = labels.map((l) => `${l} ${measured.map((m) => cell(m, l)).join(' / ')}`);
  parts.push(`after the last step (counts, run record, commit) ${measured.map(rest).join(' / ')}`);
  return (
    `${scale}, step by step in the median run (${measured.map((m) => m.engine).join(' / ')}), as each ` +
    'reports its steps: ' +
    `${parts.join('; ')}. A step's time runs from the end of the one before, so statements between ` +
    'labelled steps count in the next one (rewriting `risk_code` in the first, for example).'
  );
}

const SEGMENT_ORDER = [
  'short-decline',
  'organ-failure',
  'frailty-dementia',
  'stable-disability',
  'chronic-conditions',
  'maternal-infant',
  'acutely-ill',
  'healthy',
];
const EFI_ORDER = ['fit', 'mild', 'moderate', 'severe'];

function summaryText(summary: Map<string, string>): string {
  const pick = (prefix: string, order: string[]) =>
    order
      .filter((k) => summary.has(`${prefix} ${k}`))
      .map((k) => `${k} ${n(Number(summary.get(`${prefix} ${k}`)))}`)
      .join(', ');
  return (
    `segments ${pick('segment', SEGMENT_ORDER)}; eFI bands ${pick('eFI band', EFI_ORDER)}; ` +
    `sum of HFRS ${(Number(summary.get('sum of hfrs_score (tenths)')) / 10).toFixed(1)}, ` +
    `of Charlson ${n(Number(summary.get('sum of charlson_score')))}; ` +
    `${n(Number(summary.get('contribution rows')))} contribution rows`
  );
}

function peerNote(peer: Peer, from: string): string {
  return (
    `The peer: DuckDB ${peer.version} (\`@duckdb/node-api\`), in memory, ${peer.threads} threads, in the ` +
    'benchmark process. The same inputs (only the columns the models read: ' +
    Object.entries(peer.rows)
      .map(([t, c]) => `${t} ${n(c)}`)
      .join(', ') +
    ` rows) were copied from ${from} with COPY … TO as CSV and read into DuckDB tables in ${s(peer.loadMs)}, ` +
    "not timed. Its SQL repeats stratify-models.store.ts's queries one for one (DISTINCT ON, the same joins, " +
    'filters, look-backs, CASEs and temporary tables; lists for arrays) in one transaction: it rewrites ' +
    '`risk_code` and `risk_value_rule` from staging tables, builds the new `score_contribution` and `person_risk` rows in fresh ' +
    'tables with the same columns and swaps them in with DROP and RENAME (with one place in the database, ' +
    "the whole table stands for the place's partition). DuckDB's tables have no primary keys: its ART " +
    'indexes are slow to build in bulk, and columnar scans need none. One untimed run first, as ours had ' +
    "`joinedup synth`'s."
  );
}

/** Which version of the SQL was measured: the last commit of the stratification's files, and whether they were edited since. */
function measuredVersion(): string {
  const files = ['stratify.store.ts', 'stratify-models.store.ts', 'stratify-tables.store.ts'].map(
    (f) => `src/risk/${f}`,
  );
  const named = `src/risk/stratify*.store.ts`;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const commit = git('log', '-1', '--format=%h', '--', ...files);
    const edited = git('status', '--porcelain', '--', ...files) !== '';
    return `${named} as of commit ${commit}${edited ? ', with uncommitted changes' : ''}`;
  } catch {
    return `${named} (version unknown: no git)`;
  }
}

// ---- The bench ----------------------------------------------------------------------------------

export default async function stratifyBench(ctx: BenchContext): Promise<BenchSection> {
  const notes: string[] = [];
  const tables: BenchTable[] = [];
  const lists = readRiskCodeLists(path.join(ROOT, 'reference'));
  const version = measuredVersion();

  const dataDir = tempDir('joinedup-bench-stratify-');
  await runCli(['synth'], cliEnv({ JOINEDUP_DATA_DIR: dataDir }));
  const pglite = await measureOurs('PGlite', { databaseUrl: null, dataDir }, lists, true);

  let postgres: Ours | null = null;
  if (ctx.postgresUrl) {
    await runCli(['synth'], cliEnv({ DATABASE_URL: ctx.postgresUrl, JOINEDUP_DATA_DIR: dataDir }));
    postgres = await measureOurs('PostgreSQL', { databaseUrl: ctx.postgresUrl, dataDir }, lists, true);
  }
  const source: Source = ctx.postgresUrl
    ? { kind: 'postgres', url: ctx.postgresUrl }
    : { kind: 'pglite', dataDir };
  const peer = await measureDuckdb(source, lists, true, BURY);

  // A peer that computes something else is no peer: every pair must agree, resident by resident.
  let compared = '';
  for (const m of [pglite, ...(postgres ? [postgres] : [])]) compared = assertSame(m, peer);
  if (postgres) assertSame(pglite, postgres);

  tables.push({
    title: `Stratification of Bury (${n(pglite.people)} residents alive on ${AS_OF}; ${RUNS} runs each)`,
    columns: COLUMNS,
    rows: [
      ourRow('PGlite: `stratifyPlace`, in process', pglite, TARGET_S.pglite, peer),
      postgres
        ? ourRow('PostgreSQL: `stratifyPlace`, over a connection', postgres, TARGET_S.postgres, peer)
        : ['PostgreSQL: `stratifyPlace`, over a connection', 'not measured', '—', '—', '—', '—'],
      peerRow(peer),
    ],
  });
  if (!postgres)
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  notes.push(
    'Each database was prepared by `joinedup synth` (Bury, seed and window as shipped), which also ' +
      `stratifies once; then \`stratifyPlace(db, 'bury', '${AS_OF}', …)\` ran ${RUNS} times back to back ` +
      `on the database opened with \`createDb\` (${version}). Each run is the whole of it: staging ` +
      `\`risk_code\` and \`risk_value_rule\` (${n(riskCodeRows(lists).length)} and ` +
      `${n(riskValueRuleRows(lists).length)} rows), the temporary tables, every model, the place's ` +
      '`score_contribution` and `person_risk` rows with their primary keys and statistics, and the swap ' +
      'transaction with the run record. On PostgreSQL the residents are scored in two shares at once, each ' +
      "on a connection of its own (the steps shown are the first share's); PGlite scores them in one. " +
      `Median of the runs; "÷ DuckDB" is our median over the peer's. Dead rows left in the score tables ` +
      `after the runs (pg_stat_user_tables; PGlite has no autovacuum${
        ctx.postgresUrl
          ? `, and this server runs with autovacuum ${await autovacuumSetting(ctx.postgresUrl)}`
          : ''
      }): ${n(pglite.deadAfter)} on PGlite${postgres ? `, ${n(postgres.deadAfter)} on PostgreSQL` : ''}.`,
  );
  notes.push(peerNote(peer, source.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'));
  notes.push(
    `Results agree: DuckDB${postgres ? ', PGlite and PostgreSQL' : ' and PGlite'} match on ${compared}, and so on ` +
      `the aggregates: ${summaryText(pglite.check.summary)}. The bench fails if they do not.`,
  );
  notes.push(stepsNote('Bury', [pglite, ...(postgres ? [postgres] : []), peer]));

  const wantGm = process.argv.includes('--gm') || process.env.BENCH_GM === '1';
  if (wantGm && ctx.postgresUrl) {
    const gmUrl = await freshDatabase(ctx.postgresUrl, 'stratify_gm');
    await runCli(
      ['synth', '--place', GREATER_MANCHESTER],
      cliEnv({ DATABASE_URL: gmUrl, JOINEDUP_DATA_DIR: dataDir }),
    );
    const gm = await measureOurs(
      'PostgreSQL',
      { databaseUrl: gmUrl, dataDir },
      lists,
      false,
      GREATER_MANCHESTER,
    );
    const gmPeer = await measureDuckdb({ kind: 'postgres', url: gmUrl }, lists, false, GREATER_MANCHESTER);
    assertSame(gm, gmPeer);
    tables.push({
      title: `Stratification at Greater Manchester scale (${n(gm.people)} residents alive on ${AS_OF}; ${RUNS} runs each)`,
      columns: COLUMNS,
      rows: [
        ourRow('PostgreSQL: `stratifyPlace`, over a connection', gm, TARGET_S.gm, gmPeer),
        peerRow(gmPeer),
      ],
    });
    notes.push(
      `Greater Manchester: \`joinedup synth --place ${GREATER_MANCHESTER}\` (the city region's own place pack, ` +
        `${n(GM)} people) into a fresh PostgreSQL database; DuckDB ` +
        `loaded in ${s(gmPeer.loadMs)} (not timed); results compared on the aggregates ` +
        `(${summaryText(gm.check.summary)}); ${n(gm.deadAfter)} dead rows left in the score tables.`,
    );
    notes.push(stepsNote('Greater Manchester', [gm, gmPeer]));
  } else {
    notes.push(
      wantGm
        ? 'Greater Manchester scale was asked for but not measured: it needs PostgreSQL.'
        : `Greater Manchester scale (${n(GM)} people into PostgreSQL, target ≤ ${TARGET_S.gm} s) was not run ` +
            'in this pass; run it with `npm run bench -- stratify --gm` or `BENCH_GM=1 npm run bench -- stratify` ' +
            '(generating takes ~6 minutes).',
    );
  }
  return { tables, notes };
}

async function autovacuumSetting(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return String((await client.query<{ autovacuum: string }>('show autovacuum')).rows[0]?.autovacuum);
  } finally {
    await client.end();
  }
}
