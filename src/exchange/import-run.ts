// Running an import job over a file: FHIR NDJSON (one resource per line, as FHIR Bulk Data writes),
// a FHIR Bundle (.json), or a CSV extract. The file is read as a stream and written in batches; each
// batch, its problems, its audit event and the job's checkpoint are one transaction, so a kill at any
// moment leaves whole batches only, and a resumed job starts after the last one. A transaction Bundle
// is all or nothing: one problem in any entry refuses it and nothing is written.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import { writeAuditEvents } from '../access/audit.store.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import type { Database, ImportFormat } from '../db/database.ts';
import { readBundle } from './bundle.ts';
import { readCsv } from './csv-in.ts';
import {
  addCounts,
  type BatchItem,
  type Counts,
  noCounts,
  type PlaceCodes,
  placeCodes,
  writeBatch,
} from './import.store.ts';
import {
  addIssues,
  claimJob,
  findJob,
  finishJob,
  type ImportJob,
  recordProgress,
  takeOver,
} from './import-job.store.ts';
import type {
  NdjsonWorkerData,
  NdjsonWorkerMessage,
  NdjsonWorkerRequest,
  ReadLine,
} from './ndjson.worker.ts';
import type { LineOutcome } from './ndjson-line.ts';
import type { ImportIssue, ImportRecord, Parsed } from './records.ts';
import { parseStrictJson } from './strict-json.ts';

/** Who is importing, for the job and the audit trail. */
export interface Importer {
  id: string | null;
  name: string;
  role: string | null;
  teamId: string | null;
}

export interface ImportProgress {
  linesDone: number;
  bytesDone: number;
  bytes: number;
  counts: Counts;
}

export interface ImportOptions {
  placeId: string;
  path: string;
  /** The name shown for the file (an upload's own name); the path's base name by default. */
  fileName?: string;
  importer: Importer;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportOutcome {
  job: ImportJob;
  /** The same file was imported before: nothing was done. */
  alreadyImported: boolean;
  /** Another process is importing this file now: nothing was done. */
  busy: boolean;
}

/** The largest Bundle read whole; larger data belongs in NDJSON, which streams. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export function formatOf(fileName: string): ImportFormat {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'fhir-ndjson';
  if (ext === '.json') return 'fhir-bundle';
  if (ext === '.csv') return 'csv';
  throw new AppError(
    'unsupported-media-type',
    `${fileName}: Joined Up imports FHIR NDJSON (.ndjson), a FHIR Bundle (.json) or a CSV extract (.csv).`,
  );
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface StartedImport extends ImportOutcome {
  /** The import's end: at once when the file was imported before or is being imported elsewhere. */
  done: Promise<ImportOutcome>;
}

/**
 * Starts importing a file, or resumes its interrupted job: the file is hashed and its job claimed
 * before this returns; the reading and writing go on in `done`. A file imported before is not taken
 * in again.
 */
export async function startImport(db: Db, options: ImportOptions): Promise<StartedImport> {
  const fileName = options.fileName ?? path.basename(options.path);
  const format = formatOf(fileName);
  const { size } = await stat(options.path);
  const sha256 = await sha256OfFile(options.path);
  const claimed = await claimJob(db.kysely, {
    placeId: options.placeId,
    fileName,
    sha256,
    bytes: size,
    format,
    startedBy: options.importer.name,
  });
  const job = claimed.job;
  if (!claimed.created) {
    const already = job.status === 'completed';
    const busy = !already && !(await takeOver(db.kysely, job.id));
    if (already || busy) {
      const outcome = { job, alreadyImported: already, busy };
      return { ...outcome, done: Promise.resolve(outcome) };
    }
  }
  const done = runJob(db, options, job, format);
  return { job, alreadyImported: false, busy: false, done };
}

/** Imports a file to the end (see startImport). */
export async function importFile(db: Db, options: ImportOptions): Promise<ImportOutcome> {
  return (await startImport(db, options)).done;
}

async function runJob(
  db: Db,
  options: ImportOptions,
  job: ImportJob,
  format: ImportFormat,
): Promise<ImportOutcome> {
  const run = new JobRun(db, options, job, await placeCodes(db.kysely, options.placeId));
  try {
    if (format === 'fhir-ndjson') await run.ndjson();
    else if (format === 'csv') await run.csv();
    else await run.bundle();
    await finishJob(db.kysely, job.id, {
      status: run.failed ? 'failed' : 'completed',
      message: run.summary(),
    });
  } catch (error) {
    const stopped = options.signal?.aborted === true;
    await finishJob(db.kysely, job.id, {
      status: stopped ? 'interrupted' : 'failed',
      message: stopped
        ? 'Stopped before the end: import the same file again to resume.'
        : `Stopped by an error: ${(error as Error).message}. Import the same file again to resume.`,
    }).catch(() => {});
    throw error;
  }
  const finished = (await findJob(db.kysely, options.placeId, job.id)) ?? job;
  return { job: finished, alreadyImported: false, busy: false };
}

/** One job's pass over its file: batches, counts, and the checkpoint. */
class JobRun {
  private counts: Counts;
  private linesDone: number;
  private bytesDone: number;
  private items: BatchItem[] = [];
  private issues: ImportIssue[] = [];
  failed = false;
  private batches = 0;
  private readonly batchSize: number;
  private readonly db: Db;
  private readonly options: ImportOptions;
  private readonly job: ImportJob;
  private readonly place: PlaceCodes;

  constructor(db: Db, options: ImportOptions, job: ImportJob, place: PlaceCodes) {
    this.db = db;
    this.options = options;
    this.job = job;
    this.place = place;
    this.counts = { ...job.counts };
    this.linesDone = job.linesDone;
    this.bytesDone = job.bytesDone;
    this.batchSize = options.batchSize ?? 2_000;
  }

  summary(): string {
    const c = this.counts;
    const people = c.peopleAdded + c.peopleUpdated + c.peopleUnchanged + c.peopleLinked;
    const records = c.recordsAdded + c.recordsUpdated + c.recordsUnchanged;
    return this.failed
      ? 'Nothing was imported: the transaction Bundle has problems. Correct them and send it again.'
      : `${people} ${people === 1 ? 'person' : 'people'} and ${records} ${records === 1 ? 'record' : 'records'} read; ${c.rejected} refused, ${c.peopleForReview} waiting for a match review.`;
  }

  /** Adds one line's, row's or entry's outcome to the batch being gathered. */
  private account(line: number, outcome: LineOutcome, end: number): void {
    if (outcome.kind === 'skipped') {
      this.counts.skipped++;
      this.issues.push({ severity: 'warning', code: 'informational', diagnostics: outcome.reason, line });
    } else if (outcome.kind === 'refused') {
      this.counts.rejected++;
      for (const issue of outcome.issues) this.issues.push({ ...issue, line });
    } else if (outcome.kind === 'record') {
      this.items.push({ line, record: outcome.record });
      for (const w of outcome.warnings) this.issues.push({ ...w, line });
    }
    this.linesDone = line;
    this.bytesDone = end;
  }

  /** Adds an outcome and writes the batch when it is full. */
  private async take(line: number, outcome: LineOutcome, end: number): Promise<void> {
    this.account(line, outcome, end);
    if (this.items.length + this.issues.length >= this.batchSize) await this.flush();
  }

  /**
   * Writes the batch, its problems, its audit event and the checkpoint in one transaction. With
   * `allOrNothing`, a problem found while writing (a person not known) undoes the whole batch.
   */
  private async flush(allOrNothing = false): Promise<void> {
    this.options.signal?.throwIfAborted();
    const items = this.items;
    const issues = this.issues;
    this.items = [];
    this.issues = [];
    const refused = await this.db.kysely
      .transaction()
      .execute(async (tx) => {
        const result = await writeBatch(tx, this.place, this.job.id, items);
        if (allOrNothing && result.issues.some((i) => i.severity === 'error'))
          throw new Refused(result.issues);
        this.counts = addCounts(this.counts, result.counts);
        await recordProgress(tx, this.job.id, {
          linesDone: this.linesDone,
          bytesDone: this.bytesDone,
          counts: this.counts,
          issues: [...issues, ...result.issues],
        });
        await this.audit(tx, result.personIds);
        return null;
      })
      .catch((error: unknown) => {
        if (error instanceof Refused) return error.issues;
        throw error;
      });
    await this.refreshStatistics();
    if (refused) {
      this.failed = true;
      this.counts = { ...noCounts(), rejected: items.length };
      await recordProgress(this.db.kysely, this.job.id, {
        linesDone: 0,
        bytesDone: 0,
        counts: this.counts,
        issues: refused,
      });
      return;
    }
    this.options.onProgress?.({
      linesDone: this.linesDone,
      bytesDone: this.bytesDone,
      bytes: this.job.bytes,
      counts: this.counts,
    });
  }

  /**
   * Fresh planner statistics after the 1st, 4th, 16th… batch: a growing table's old statistics (or
   * none, where autovacuum is off or late) lead the planner to scan whole tables for each batch.
   */
  private async refreshStatistics(): Promise<void> {
    this.batches++;
    if ((this.batches & (this.batches - 1)) !== 0 || Math.log2(this.batches) % 2 !== 0) return;
    await sql`analyze import_identity, person, condition, medication, encounter, social_care, observation`.execute(
      this.db.kysely,
    );
  }

  private async audit(tx: Kysely<Database>, personIds: readonly string[]): Promise<void> {
    if (personIds.length === 0) return;
    const who = this.options.importer;
    await writeAuditEvents(tx, [
      {
        requestId: this.job.id,
        actorId: who.id,
        actorName: who.name,
        role: who.role,
        teamId: who.teamId,
        action: 'write',
        route: 'import',
        personIds,
        purpose: 'import',
        relationship: null,
        outcome: 'allowed',
        detail: `${this.job.fileName}, to line ${this.linesDone}`,
      },
    ]);
  }

  /** NDJSON is read and validated in a worker thread while the batches before are written here. */
  async ndjson(): Promise<void> {
    const batches = workerBatches(
      {
        path: this.options.path,
        startByte: this.bytesDone,
        startLine: this.linesDone,
        batchSize: this.batchSize,
      },
      this.options.signal,
    );
    for await (const lines of batches) {
      for (const l of lines) this.account(l.line, l.outcome, l.end);
      await this.flush();
    }
  }

  async csv(): Promise<void> {
    const skip = this.linesDone;
    const file = createReadStream(this.options.path);
    for await (const row of readCsv(file, this.job.fileName)) {
      if ('headerIssue' in row) {
        this.counts.rejected++;
        this.failed = true;
        await addIssues(this.db.kysely, this.job.id, [row.headerIssue]);
        return;
      }
      if (row.line <= skip) continue;
      await this.take(row.line, outcomeOf(row.parsed), file.bytesRead);
    }
    await this.flush();
  }

  async bundle(): Promise<void> {
    if (this.job.bytes > MAX_BUNDLE_BYTES) {
      this.failed = true;
      await addIssues(this.db.kysely, this.job.id, [
        {
          severity: 'error',
          code: 'too-long',
          diagnostics: `The Bundle is ${this.job.bytes} bytes; the most read whole is ${MAX_BUNDLE_BYTES}. Send large data as NDJSON, which is read as a stream.`,
        },
      ]);
      return;
    }
    const parsed = parseStrictJson(await readFile(this.options.path, 'utf8'));
    const read = parsed.ok ? readBundle(parsed.value) : { ok: false as const, issues: [parsed.issue] };
    if (!read.ok) {
      this.failed = true;
      this.counts.rejected++;
      await addIssues(this.db.kysely, this.job.id, read.issues);
      return;
    }
    const { type, entries } = read.bundle;
    if (type === 'transaction' && entries.some((e) => e.issues.length > 0)) {
      this.failed = true;
      this.counts.rejected = entries.length;
      await addIssues(
        this.db.kysely,
        this.job.id,
        entries.flatMap((e) => e.issues.map((i) => ({ ...i, line: e.entry + 1 }))),
      );
      return;
    }
    for (const e of entries.slice(this.linesDone)) {
      const outcome: LineOutcome = e.skipped
        ? { kind: 'skipped', reason: e.skipped }
        : e.record
          ? { kind: 'record', record: e.record, warnings: [] }
          : { kind: 'refused', issues: e.issues };
      if (type === 'transaction') this.account(e.entry + 1, outcome, 0);
      else await this.take(e.entry + 1, outcome, 0);
    }
    await this.flush(type === 'transaction');
  }
}

/** A transaction Bundle refused while being written: its problems, and nothing kept. */
class Refused extends Error {
  readonly issues: readonly ImportIssue[];
  constructor(issues: readonly ImportIssue[]) {
    super('refused');
    this.issues = issues;
  }
}

const outcomeOf = (parsed: Parsed<ImportRecord>): LineOutcome =>
  parsed.ok
    ? { kind: 'record', record: parsed.value, warnings: parsed.warnings ?? [] }
    : { kind: 'refused', issues: parsed.issues };

/**
 * The NDJSON readers: at most MAX_READERS at once (each holds the FHIR definitions, a couple of
 * hundred megabytes), shared by every import in the process; imports beyond that wait their turn.
 * One reader is kept between files so the definitions are not loaded again for each.
 */
export const MAX_READERS = 2;
const idleReaders: Worker[] = [];
const waiting: ((w: Worker) => void)[] = [];
let readers = 0;

/**
 * A reader thread with a bounded heap: what it holds is the definitions and one batch, so a small heap
 * makes it collect its garbage early instead of growing (measured: the process stays within a few
 * hundred megabytes however large the file).
 */
const newReader = () =>
  new Worker(new URL('./ndjson.worker.ts', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 },
  });

async function takeReader(): Promise<Worker> {
  const idle = idleReaders.pop();
  if (idle) {
    idle.ref();
    return idle;
  }
  if (readers < MAX_READERS) {
    readers++;
    return newReader();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** Hands a reader that finished a file to the next import, or keeps it idle. */
function returnReader(worker: Worker): void {
  const next = waiting.shift();
  if (next) {
    next(worker);
    return;
  }
  if (idleReaders.length > 0) {
    readers--;
    void worker.terminate();
    return;
  }
  worker.unref();
  idleReaders.push(worker);
}

/** A reader that failed or was stopped is ended; a new one may be started in its place. */
async function dropReader(worker: Worker): Promise<void> {
  await worker.terminate();
  const next = waiting.shift();
  if (next) next(newReader());
  else readers--;
}

/** The batches a worker thread reads from an NDJSON file; the worker reads one ahead while a batch is written. */
async function* workerBatches(
  data: NdjsonWorkerData,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReadLine[]> {
  const worker = await takeReader();
  const queue: NdjsonWorkerMessage[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const stir = () => wake?.();
  const onMessage = (m: NdjsonWorkerMessage) => {
    queue.push(m);
    stir();
  };
  const onError = (e: Error) => {
    failure = e;
    stir();
  };
  const onExit = (code: number) => {
    failure ??= new Error(`the file reader stopped (exit ${code})`);
    stir();
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  signal?.addEventListener('abort', stir);
  worker.postMessage({ kind: 'read', data } satisfies NdjsonWorkerRequest);
  try {
    for (;;) {
      signal?.throwIfAborted();
      if (failure) throw failure;
      const message = queue.shift();
      if (!message) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      if (message.kind === 'end') {
        finished = true;
        return;
      }
      worker.postMessage({ kind: 'taken' } satisfies NdjsonWorkerRequest);
      yield message.lines;
    }
  } finally {
    signal?.removeEventListener('abort', stir);
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    if (finished) returnReader(worker);
    else await dropReader(worker);
  }
}
