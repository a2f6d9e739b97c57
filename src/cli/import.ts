// `joinedup import PATH…`, `joinedup imports` and `joinedup export fhir`: files (or folders of them)
// taken in as import jobs, then the place stratified again so its scores and profiles include what
// arrived; and the place's data written out as FHIR NDJSON.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeAuditEvents } from '../access/audit.store.ts';
import type { Config } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { EXPORT_TYPES, type ExportType, exportToFolder } from '../exchange/fhir-export.ts';
import { IMPORTED_TYPES } from '../exchange/fhir-in.ts';
import type { Counts } from '../exchange/import.store.ts';
import { listJobs } from '../exchange/import-job.store.ts';
import { formatOf, type ImportOutcome, importFile } from '../exchange/import-run.ts';
import { checkWritable } from '../exchange/ndjson-files.ts';
import { runStratify } from '../risk/run-stratify.ts';
import { onShutdown, openDatabase } from './open-db.ts';
import { progress } from './progress.ts';
import { describeStratification } from './stratify.ts';

export interface ImportCliOptions {
  place?: string;
  stratify?: boolean;
  asOf?: string;
}

/** Organisations first, then people, then their records, so every reference finds its person. */
function importOrder(file: string): number {
  const name = path.basename(file).toLowerCase();
  if (name.startsWith('organization')) return 0;
  if (name.startsWith('patient') || name.startsWith('people')) return 1;
  return 2;
}

async function filesIn(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new AppError('not-found', `${p}: there is no such file or folder.`);
    if (info.isDirectory()) {
      for (const name of (await readdir(p)).sort()) {
        if (!/\.(ndjson|jsonl|json|csv)$/i.test(name)) continue;
        // A folder written by `joinedup export fhir` also holds what is written out but never read in.
        const type = name.replace(/\.[a-z]+$/i, '');
        if (
          (EXPORT_TYPES as readonly string[]).includes(type) &&
          !(IMPORTED_TYPES as readonly string[]).includes(type)
        ) {
          console.log(`${path.join(p, name)}: left out: Joined Up does not import ${type} resources.`);
          continue;
        }
        if ((await stat(path.join(p, name))).size === 0) {
          console.log(`${path.join(p, name)}: left out: the file is empty.`);
          continue;
        }
        files.push(path.join(p, name));
      }
    } else {
      formatOf(p);
      files.push(p);
    }
  }
  if (files.length === 0)
    throw new AppError('not-found', 'There are no .ndjson, .json or .csv files to import there.');
  return files.sort((a, b) => importOrder(a) - importOrder(b) || a.localeCompare(b));
}

const n = (v: number) => v.toLocaleString('en-GB');

export function describeImport(file: string, o: ImportOutcome): string {
  const c: Counts = o.job.counts;
  if (o.alreadyImported) return `${file}: imported before (job ${o.job.id}), so nothing was taken in again.`;
  if (o.busy) return `${file}: another process is importing it now (job ${o.job.id}); nothing was done.`;
  const lines = [
    `${file}: ${o.job.status} (job ${o.job.id}).`,
    `  People: ${n(c.peopleAdded)} added, ${n(c.peopleUpdated)} updated, ${n(c.peopleUnchanged)} unchanged, ${n(c.peopleLinked)} matched, ${n(c.peopleForReview)} waiting for review.`,
    `  Records: ${n(c.recordsAdded)} added, ${n(c.recordsUpdated)} updated, ${n(c.recordsUnchanged)} unchanged, ${n(c.recordsHeld)} held for review.`,
    `  ${n(c.rejected)} refused, ${n(c.skipped)} left out; ${n(o.job.issueCount)} problems listed (joinedup imports, or the Imports page).`,
  ];
  if (o.job.message && o.job.status !== 'completed') lines.push(`  ${o.job.message}`);
  return lines.join('\n');
}

export async function importCommand(
  config: Config,
  paths: readonly string[],
  options: ImportCliOptions,
): Promise<number> {
  const place = options.place ?? config.place;
  const files = await filesIn(paths);
  const db = await openDatabase(config);
  const stop = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  onShutdown(async () => {
    stop.abort();
    await running.catch(() => {});
    await db.close();
  });
  let failed = false;
  let changed = false;
  try {
    for (const file of files) {
      const bar = progress();
      const work = importFile(db, {
        placeId: place,
        path: file,
        importer: { id: null, name: 'joinedup import (command line)', role: null, teamId: null },
        signal: stop.signal,
        onProgress: (p) => bar.update(p.bytesDone, p.bytes, `Importing ${path.basename(file)}`),
      });
      running = work;
      const outcome = await work;
      bar.finish(describeImport(file, outcome));
      const c = outcome.job.counts;
      if (outcome.job.status === 'failed' || outcome.busy) failed = true;
      if (!outcome.alreadyImported && c.peopleAdded + c.peopleUpdated + c.recordsAdded + c.recordsUpdated > 0)
        changed = true;
    }
    if (changed && options.stratify !== false) {
      const outcome = await runStratify(db, { place, referenceDir: config.referenceDir, asOf: options.asOf });
      console.log(describeStratification(outcome));
    }
  } finally {
    await db.close();
  }
  return failed ? 1 : 0;
}

export async function importsCommand(config: Config, options: { place?: string }): Promise<void> {
  const db = await openDatabase(config);
  try {
    const jobs = await listJobs(db.kysely, options.place ?? config.place, 50);
    if (jobs.length === 0) console.log('No imports yet.');
    for (const j of jobs)
      console.log(
        `${j.createdAt.slice(0, 19).replace('T', ' ')}  ${j.status.padEnd(11)}  ${j.fileName}  (${n(j.linesDone)} read, ${n(j.counts.rejected)} refused, ${n(j.issueCount)} problems)  ${j.id}`,
      );
  } finally {
    await db.close();
  }
}

export interface ExportCliOptions {
  place?: string;
  out: string;
  types?: string;
}

/** `joinedup export fhir`: the place's data as FHIR R4 NDJSON, one file per resource type. */
export async function exportCommand(config: Config, options: ExportCliOptions): Promise<void> {
  const place = options.place ?? config.place;
  const types = options.types?.split(',').map((t) => t.trim());
  const unknown = types?.filter((t) => !(EXPORT_TYPES as readonly string[]).includes(t)) ?? [];
  if (unknown.length > 0)
    throw new AppError(
      'invalid',
      `--types: ${unknown.join(', ')} cannot be exported. Types: ${EXPORT_TYPES.join(', ')}.`,
    );
  checkWritable(options.out, 'out');
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    const started = performance.now();
    const bar = progress();
    const files = await exportToFolder(
      db.kysely,
      {
        placeId: place,
        types: types as ExportType[] | undefined,
        onProgress: (n) => bar.update(n, 0, 'Exporting'),
      },
      options.out,
    );
    const total = files.reduce((sum, f) => sum + f.count, 0);
    bar.finish(
      `Exported ${n(total)} resources of ${place} in ${((performance.now() - started) / 1000).toFixed(1)} s:`,
    );
    for (const f of files) console.log(`  ${f.file}: ${n(f.count)}`);
    await writeAuditEvents(db.kysely, [
      {
        requestId: crypto.randomUUID(),
        actorId: null,
        actorName: 'joinedup export fhir (command line)',
        role: null,
        teamId: null,
        action: 'export',
        route: 'export fhir',
        personIds: [],
        purpose: 'export',
        relationship: null,
        outcome: 'allowed',
        detail: `${place}: ${n(total)} resources to ${options.out}`,
      },
    ]);
  } finally {
    await db.close();
  }
}
