// The synthetic population's targets: the generator alone ≥ 50,000 persons/s in memory; Bury (195,500
// people) generated and loaded by `joinedup synth` ≤ 120 s on PGlite and ≤ 60 s on PostgreSQL; Greater
// Manchester (its place pack's 2,867,752 people) into PostgreSQL ≤ 15 min with the process's peak RSS
// under 2 GB.
// The last takes 10+ minutes and runs only when asked: `npm run bench -- synth --gm` or BENCH_GM=1.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { generatePeople, prepareGeneration } from '../src/synth/generate.ts';
import { readSynthInputs } from '../src/synth/inputs.ts';
import { DEFAULT_SYNTH } from '../src/synth/synth-defaults.ts';
import {
  atCleanup,
  type BenchContext,
  type BenchSection,
  type BenchTable,
  ROOT,
  spawnNode,
  stop,
  tempDir,
} from './harness.ts';

const BURY = 195_500;
/** Greater Manchester's residents (Census 2021), its place pack's default population. */
const GM = 2_867_752;
const GENERATOR_TARGET = 50_000;
const GM_RSS_TARGET_MB = 2048;
const SYNTHEA_PER_S = 17;

export default async function synthBench(ctx: BenchContext): Promise<BenchSection> {
  const notes: string[] = [];
  const tables = [generatorTable(notes), await loadTable(ctx, notes)];
  return { tables, notes };
}

const n = (v: number) => Math.round(v).toLocaleString('en-GB');
const s = (v: number) => `${v.toFixed(1)} s`;

// ---- 1. The generator alone, in memory -----------------------------------------------------------

function generatorTable(notes: string[]): BenchTable {
  const t0 = performance.now();
  const inputs = readSynthInputs(path.join(ROOT, 'place-packs/bury'), path.join(ROOT, 'reference'));
  const g = prepareGeneration(inputs, { ...DEFAULT_SYNTH, people: BURY });
  const t1 = performance.now();
  let people = 0;
  let records = 0;
  for (const p of generatePeople(g)) {
    people++;
    records += p.conditions.length + p.medicines.length + p.encounters.length + p.socialCare.length;
  }
  const seconds = (performance.now() - t1) / 1000;
  const rate = people / seconds;
  notes.push(
    `The generator's peer is context, not a same-machine ratio: a Synthea maintainer quotes about 1,000 ` +
      `patients a minute (~${SYNTHEA_PER_S}/s) on a laptop (synthetichealth/synthea#776, 2020), but Synthea ` +
      'simulates far more per patient (a whole life history, every encounter, claims, FHIR/CSV output).',
  );
  return {
    title: `Synthetic population generator alone, in memory (Bury, ${n(BURY)} people, one pass)`,
    columns: ['Measured', 'Prepare', 'Generate', 'People', 'Records', 'Persons/s', 'Target', 'Result'],
    rows: [
      [
        '`prepareGeneration` (read inputs, calibrate) + iterate `generatePeople`',
        s((t1 - t0) / 1000),
        s(seconds),
        n(people),
        n(records),
        n(rate),
        `≥ ${n(GENERATOR_TARGET)} persons/s`,
        people === BURY && rate >= GENERATOR_TARGET ? 'pass' : `FAIL (${n(rate - GENERATOR_TARGET)})`,
      ],
      [
        'peer: Synthea (published, not run here)',
        '—',
        '—',
        '—',
        '—',
        `~${SYNTHEA_PER_S}`,
        '—',
        '— (see note)',
      ],
    ],
  };
}

// ---- 2. `joinedup synth`: generated and loaded ---------------------------------------------------

interface SynthRun {
  exit: number | null;
  wall: number;
  /** Seconds from spawn to the loader's "Swapping in" step (generating and staging), if reached. */
  staged: number | null;
  /** The command's own figure from its last line, if it printed one. */
  reported: number | null;
  loaded: number | null;
  peakRssMb: number;
  timedOut: boolean;
  message: string;
}

/** Kilobytes from a /proc/<pid>/status field, or 0 once the process is gone. */
function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Spawns `joinedup synth <args>`, polls its peak RSS every 500 ms, and waits for it (at most `limitS`). */
async function timeSynth(args: string[], env: NodeJS.ProcessEnv, limitS: number): Promise<SynthRun> {
  const started = performance.now();
  const child = spawnNode(['bin/joinedup.js', 'synth', ...args], env);
  let staged: number | null = null;
  let peakKb = 0;
  child.process.stderr?.on('data', () => {
    if (staged === null && child.stderr().includes('Swapping in'))
      staged = (performance.now() - started) / 1000;
  });
  const pid = child.process.pid as number;
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, statusKb(pid, 'VmHWM'), statusKb(pid, 'VmRSS'));
  }, 500);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    void stop(child);
  }, limitS * 1000);
  const exit = await child.exited;
  const wall = (performance.now() - started) / 1000;
  clearInterval(poll);
  clearTimeout(limit);
  const message = child.stderr();
  const last = /Generated and loaded ([\d,]+) people into .* in ([\d.]+) s:/.exec(message);
  return {
    exit,
    wall,
    staged,
    reported: last ? Number(last[2]) : null,
    loaded: last ? Number((last[1] as string).replaceAll(',', '')) : null,
    peakRssMb: peakKb / 1024,
    timedOut,
    message: message.split('\n').slice(-3).join(' / '),
  };
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

function synthEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, JOINEDUP_PLACE: _place, JOINEDUP_DATA_DIR: _dir, ...env } = process.env;
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

interface Case {
  database: string;
  people: number;
  targetS: number;
  rssTargetMb?: number;
}

function runRow(c: Case, r: SynthRun): string[] {
  const failures: string[] = [];
  if (r.timedOut) failures.push(`stopped after ${s(r.wall)}`);
  else if (r.exit !== 0) failures.push(`exit ${r.exit}: ${r.message}`);
  else if (r.loaded !== c.people) failures.push(`loaded ${r.loaded ?? '?'} people`);
  if (r.wall > c.targetS) failures.push(`+${s(r.wall - c.targetS)}`);
  if (c.rssTargetMb !== undefined && r.peakRssMb >= c.rssTargetMb)
    failures.push(`RSS +${n(r.peakRssMb - c.rssTargetMb)} MB`);
  const target = `≤ ${c.targetS >= 600 ? `${c.targetS / 60} min` : `${c.targetS} s`}`;
  return [
    c.database,
    n(c.people),
    s(r.wall),
    r.staged === null ? '—' : `${s(r.staged)} / ${s(r.wall - r.staged)}`,
    r.reported === null ? '—' : s(r.reported),
    `${n(r.peakRssMb)} MB`,
    c.rssTargetMb === undefined ? target : `${target}, peak RSS < ${c.rssTargetMb / 1024} GB`,
    failures.length === 0 ? 'pass' : `FAIL (${failures.join('; ')})`,
  ];
}

async function loadTable(ctx: BenchContext, notes: string[]): Promise<BenchTable> {
  const rows: string[][] = [];
  const pglite: Case = { database: 'PGlite, fresh data folder', people: BURY, targetS: 120 };
  const dataDir = tempDir('joinedup-bench-synth-');
  rows.push(runRow(pglite, await timeSynth([], synthEnv({ JOINEDUP_DATA_DIR: dataDir }), 600)));

  const postgres: Case = { database: 'PostgreSQL, fresh database', people: BURY, targetS: 60 };
  const gm: Case = {
    database: 'PostgreSQL, fresh database',
    people: GM,
    targetS: 900,
    rssTargetMb: GM_RSS_TARGET_MB,
  };
  const wantGm = process.argv.includes('--gm') || process.env.BENCH_GM === '1';
  const notRun = (c: Case, why: string) => [c.database, n(c.people), why, '—', '—', '—', '—', '—'];
  if (ctx.postgresUrl) {
    const url = await freshDatabase(ctx.postgresUrl, 'synth');
    rows.push(runRow(postgres, await timeSynth([], synthEnv({ DATABASE_URL: url }), 600)));
    if (wantGm) {
      const gmUrl = await freshDatabase(ctx.postgresUrl, 'gm');
      const run = await timeSynth(['--place', 'greater-manchester'], synthEnv({ DATABASE_URL: gmUrl }), 1800);
      rows.push(runRow(gm, run));
      notes.push(
        "Greater Manchester: `joinedup synth --place greater-manchester`, the city region's own place pack " +
          '(its ten localities, 1,702 LSOAs and 426 practices) at its default population. People beyond the ' +
          '909,091 valid numbers of the 999 test range have no NHS number (documented in ' +
          'docs/clinical/synthetic-population.md), as intended.',
      );
    } else {
      rows.push(notRun(gm, 'not run'));
      notes.push(
        `Greater Manchester (${n(GM)} people into PostgreSQL) was not run in this pass; run it with ` +
          '`npm run bench -- synth --gm` or `BENCH_GM=1 npm run bench -- synth` (it takes 10+ minutes).',
      );
    }
  } else {
    rows.push(notRun(postgres, 'not measured'), notRun(gm, 'not measured'));
    notes.push('PostgreSQL figures were not measured: no PostgreSQL server answered on 127.0.0.1:5432.');
  }
  notes.push(
    'Wall time runs from spawning `node bin/joinedup.js synth` to its exit: starting Node, opening (for ' +
      'PGlite, creating) and migrating the database, calibrating, generating, COPY into staging tables, ' +
      'the swap transaction and closing. "Generate + stage / swap" splits it at the loader\'s ' +
      '"Swapping in the new population" step; "Reported" is the command\'s own figure, from its last line ' +
      '(the loader alone). Peak RSS is the `joinedup` process (the larger of VmHWM and VmRSS in ' +
      "/proc/<pid>/status, polled every 500 ms); the PostgreSQL server's memory is not included.",
  );
  return {
    title: '`joinedup synth`: generated and loaded (one run each)',
    columns: [
      'Database',
      'People',
      'Wall time',
      'Generate + stage / swap',
      'Reported',
      'Peak RSS',
      'Target',
      'Result',
    ],
    rows,
  };
}
