// The import and exchange issue's targets: NDJSON import at ≥ 10,000 resources/s into PostgreSQL, with
// peak memory under 500 MB for a 2 GB file; export at ≥ 50,000 resources/s. The files are the synthetic
// population's own FHIR NDJSON (`joinedup synth --fhir-out`), imported into an empty database with the
// place loaded, as `joinedup import` does; the 2 GB file by `joinedup import` itself, whose peak memory
// the kernel records. The 2 GB file is that population's encounters written again and again under new
// ids, for people already imported. Published FHIR servers' import rates are quoted beside ours as
// context only: they were not measured on this machine.

import { once } from 'node:events';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { exportToFolder, POPULATION_TYPES } from '../src/exchange/fhir-export.ts';
import { importFile } from '../src/exchange/import-run.ts';
import { loadPlacePack } from '../src/place/load-place-pack.ts';
import {
  atCleanup,
  type BenchContext,
  type BenchSection,
  runCli,
  serverEnv,
  spawnNode,
  tempDir,
} from './harness.ts';

const PEOPLE = 20_000;
const IMPORT_TARGET = 10_000;
const EXPORT_TARGET = 50_000;
const MEMORY_TARGET_MB = 500;
const LARGE_FILE_BYTES = Number(process.env.BENCH_IMPORT_BYTES ?? 2 * 1024 ** 3);
const ORDER = ['Organization', 'Patient', 'Condition', 'MedicationStatement', 'Encounter', 'EpisodeOfCare'];
const IMPORTER = { id: null, name: 'benchmark', role: null, teamId: null };

/** The kernel's record of a process's peak resident memory (VmHWM), in MB; null once it has exited. */
function peakResidentMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs `joinedup import` as its own process, as an operator would, and reads its peak memory as it goes. */
async function importInProcess(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; peakMb: number }> {
  const started = performance.now();
  const child = spawnNode(['bin/joinedup.js', 'import', file, '--no-stratify'], env);
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, peakResidentMb(child.process.pid ?? 0) ?? 0);
  }, 100);
  const code = await child.exited;
  clearInterval(timer);
  if (code !== 0) throw new Error(`joinedup import failed (exit ${code}): ${child.stderr()}`);
  return { seconds: (performance.now() - started) / 1000, peakMb: peak };
}

/** A fresh database on the bench's server, beside the run's own. */
async function siblingDatabase(url: string, suffix: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `${new URL(url).pathname.slice(1)}_${suffix}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  atCleanup(async () => {
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`).finally(() => drop.end());
  });
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function emptyPlace(config: { databaseUrl: string | null; dataDir: string }): Promise<Db> {
  const db = await createDb(config);
  await migrateToLatest(db.kysely);
  await loadPlacePack(db.kysely, 'place-packs/bury');
  return db;
}

/** Writes the encounters again and again, each copy under new ids, until the file is `bytes` long. */
async function largeEncounterFile(source: string, target: string, bytes: number): Promise<number> {
  const lines = readFileSync(source, 'utf8').split('\n').filter(Boolean);
  const out = createWriteStream(target);
  let written = 0;
  let count = 0;
  for (let copy = 1; written < bytes; copy++)
    for (const line of lines) {
      const text = `${line.replace(/"id":"([^"]+)"/, `"id":"$1-c${copy}"`)}\n`;
      if (!out.write(text)) await once(out, 'drain');
      written += Buffer.byteLength(text);
      count++;
      if (written >= bytes) break;
    }
  out.end();
  await once(out, 'finish');
  return count;
}

interface Rate {
  resources: number;
  seconds: number;
}
const perSecond = (r: Rate) => r.resources / r.seconds;
const n = (v: number) => Math.round(v).toLocaleString('en-GB');

async function importFolder(
  db: Db,
  dir: string,
): Promise<{ rate: Rate; byFile: (Rate & { file: string })[] }> {
  const byFile: (Rate & { file: string })[] = [];
  for (const type of ORDER) {
    const started = performance.now();
    const outcome = await importFile(db, {
      placeId: 'bury',
      path: path.join(dir, `${type}.ndjson`),
      importer: IMPORTER,
    });
    if (outcome.job.status !== 'completed' || outcome.job.counts.rejected > 0)
      throw new Error(`${type}.ndjson: ${outcome.job.status}, ${outcome.job.counts.rejected} refused`);
    byFile.push({
      file: `${type}.ndjson`,
      resources: outcome.job.linesDone,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const rate = {
    resources: byFile.reduce((s, f) => s + f.resources, 0),
    seconds: byFile.reduce((s, f) => s + f.seconds, 0),
  };
  return { rate, byFile };
}

export default async function exchangeBench(ctx: BenchContext): Promise<BenchSection> {
  const notes: string[] = [];
  if (!ctx.postgresUrl)
    return {
      tables: [],
      notes: ['Not measured: the import target is PostgreSQL, and no PostgreSQL server answered.'],
    };
  const files = tempDir('joinedup-bench-fhir-');
  const dataDir = tempDir('joinedup-bench-data-');
  await runCli(
    ['synth', '--people', String(PEOPLE), '--fhir-out', files],
    serverEnv(dataDir, { DATABASE_URL: ctx.postgresUrl }),
  );

  // PostgreSQL: the population's files, then the large file, into an empty database.
  const targetUrl = await siblingDatabase(ctx.postgresUrl, 'import');
  const target = await emptyPlace({ databaseUrl: targetUrl, dataDir: '' });
  let folder: Awaited<ReturnType<typeof importFolder>>;
  let large: Rate;
  let largeBytes: number;
  let peakMb: number;
  let exported: Rate;
  try {
    folder = await importFolder(target, files);
    const largeFile = path.join(tempDir('joinedup-bench-large-'), 'Encounter-large.ndjson');
    const lines = await largeEncounterFile(path.join(files, 'Encounter.ndjson'), largeFile, LARGE_FILE_BYTES);
    largeBytes = statSync(largeFile).size;
    const env = serverEnv(dataDir, { DATABASE_URL: targetUrl });
    const measured = await importInProcess(largeFile, env);
    const job = await target.kysely
      .selectFrom('import_job')
      .select(['status', 'lines_done'])
      .where('file_name', '=', path.basename(largeFile))
      .executeTakeFirstOrThrow();
    if (job.status !== 'completed' || job.lines_done !== lines)
      throw new Error(`the large file: ${job.status}, ${job.lines_done} of ${lines} lines`);
    large = { resources: lines, seconds: measured.seconds };
    peakMb = measured.peakMb;
    const started = performance.now();
    const out = await exportToFolder(
      target.kysely,
      { placeId: 'bury', types: POPULATION_TYPES },
      tempDir('joinedup-bench-export-'),
    );
    exported = {
      resources: out.reduce((s, f) => s + f.count, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await target.close();
  }

  // PGlite, for context: the same folder into an embedded database.
  const pglite = await emptyPlace({ databaseUrl: null, dataDir: tempDir('joinedup-bench-pglite-') });
  let embedded: Rate;
  try {
    embedded = (await importFolder(pglite, files)).rate;
  } finally {
    await pglite.close();
  }

  const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'not met');
  notes.push(
    `Files: \`joinedup synth --people ${PEOPLE} --fhir-out\` (Bury's structure), ${n(folder.rate.resources)} resources in six NDJSON files, imported in order (Organization, Patient, then their records) into an empty database with the place pack loaded, each file a job of its own as \`joinedup import\` runs it, without the stratification that follows. ` +
      `The large file repeats that population's encounters under new ids to ${gb(largeBytes)}; its people were imported already; it is imported by \`joinedup import --no-stratify\` as a process of its own, whose peak resident memory (the kernel's VmHWM, reader threads included) is shown. ` +
      'Published rates of FHIR servers, as context and not measured here: HAPI FHIR about 2,200 resources/s, Medplum about 760 resources/s (each on 8 vCPUs).',
  );
  return {
    tables: [
      {
        title: 'Import and export',
        columns: ['measure', 'figure', 'target', ''],
        rows: [
          [
            'NDJSON import into PostgreSQL, the population’s six files',
            `${n(perSecond(folder.rate))} resources/s (${n(folder.rate.resources)} in ${folder.rate.seconds.toFixed(1)} s)`,
            `≥ ${n(IMPORT_TARGET)}/s`,
            verdict(perSecond(folder.rate) >= IMPORT_TARGET),
          ],
          ...folder.byFile.map((f) => [
            `  ${f.file}`,
            `${n(perSecond(f))} resources/s (${n(f.resources)})`,
            '',
            '',
          ]),
          [
            `NDJSON import into PostgreSQL, one ${gb(largeBytes)} file`,
            `${n(perSecond(large))} resources/s (${n(large.resources)} in ${large.seconds.toFixed(1)} s)`,
            `≥ ${n(IMPORT_TARGET)}/s`,
            verdict(perSecond(large) >= IMPORT_TARGET),
          ],
          [
            '  peak memory of the `joinedup import` process',
            `${n(peakMb)} MB`,
            `< ${MEMORY_TARGET_MB} MB`,
            verdict(peakMb < MEMORY_TARGET_MB),
          ],
          [
            'NDJSON export from PostgreSQL (six population types)',
            `${n(perSecond(exported))} resources/s (${n(exported.resources)} in ${exported.seconds.toFixed(1)} s)`,
            `≥ ${n(EXPORT_TARGET)}/s`,
            verdict(perSecond(exported) >= EXPORT_TARGET),
          ],
          [
            'NDJSON import into PGlite (context), the six files',
            `${n(perSecond(embedded))} resources/s`,
            '—',
            '',
          ],
          ['Published: HAPI FHIR, Medplum (context, 8 vCPUs)', '≈ 2,200 and ≈ 760 resources/s', '—', ''],
        ],
      },
    ],
    notes,
  };
}
