// Import jobs: one per file and place, known by the file's SHA-256 (a unique constraint), so the same
// file is never taken in twice, even by imports started at the same moment. A job's checkpoint and
// counts are written in the same transaction as each batch. A running job that has not moved for
// STALE_SECONDS is reported as interrupted: its process stopped, and it can be resumed.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database, ImportFormat, ImportStatus } from '../db/database.ts';
import { type Counts, noCounts } from './import.store.ts';
import type { ImportIssue } from './records.ts';

type Tx = Kysely<Database>;

/** A running job whose last batch is older than this is reported as interrupted. */
export const STALE_SECONDS = 30;
/** The most problems kept for one job; the rest are counted in a last one. */
export const MAX_ISSUES = 10_000;

export interface ImportJob {
  id: string;
  placeId: string;
  fileName: string;
  sha256: string;
  bytes: number;
  format: ImportFormat;
  status: ImportStatus;
  linesDone: number;
  bytesDone: number;
  counts: Counts;
  issueCount: number;
  startedBy: string;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const statusNow = sql<ImportStatus>`case when j.status = 'running' and j.updated_at < now() - make_interval(secs => ${STALE_SECONDS}) then 'interrupted' else j.status end`;

function jobsQuery(db: Tx) {
  return db
    .selectFrom('import_job as j')
    .select([
      'j.id',
      'j.place_id',
      'j.file_name',
      'j.sha256',
      'j.bytes',
      'j.format',
      statusNow.as('status'),
      'j.lines_done',
      'j.bytes_done',
      'j.counts',
      'j.started_by',
      'j.message',
      'j.created_at',
      'j.updated_at',
      'j.finished_at',
      sql<number>`(select count(*)::int from import_issue i where i.job_id = j.id)`.as('issue_count'),
    ]);
}

type JobRow = Awaited<ReturnType<ReturnType<typeof jobsQuery>['executeTakeFirstOrThrow']>>;
const iso = (d: Date | string) => new Date(d).toISOString();
const toJob = (r: JobRow): ImportJob => ({
  id: r.id,
  placeId: r.place_id,
  fileName: r.file_name,
  sha256: r.sha256,
  bytes: Number(r.bytes),
  format: r.format,
  status: r.status,
  linesDone: r.lines_done,
  bytesDone: Number(r.bytes_done),
  counts: { ...noCounts(), ...r.counts },
  issueCount: r.issue_count,
  startedBy: r.started_by,
  message: r.message,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  finishedAt: r.finished_at ? iso(r.finished_at) : null,
});

export async function findJob(db: Tx, placeId: string, id: string): Promise<ImportJob | null> {
  const row = await jobsQuery(db).where('j.place_id', '=', placeId).where('j.id', '=', id).executeTakeFirst();
  return row ? toJob(row) : null;
}

export async function listJobs(db: Tx, placeId: string, limit = 100): Promise<ImportJob[]> {
  const rows = await jobsQuery(db)
    .where('j.place_id', '=', placeId)
    .orderBy('j.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toJob);
}

export interface NewJob {
  placeId: string;
  fileName: string;
  sha256: string;
  bytes: number;
  format: ImportFormat;
  startedBy: string;
}

/**
 * The job for a file: a new one, or the one that already exists for the same bytes in the place.
 * `created` is true only for the caller that made it.
 */
export async function claimJob(db: Tx, job: NewJob): Promise<{ job: ImportJob; created: boolean }> {
  const id = randomUUID();
  const inserted = await db
    .insertInto('import_job')
    .values({
      id,
      place_id: job.placeId,
      file_name: job.fileName,
      sha256: job.sha256,
      bytes: job.bytes,
      format: job.format,
      status: 'running',
      counts: JSON.stringify(noCounts()),
      started_by: job.startedBy,
    })
    .onConflict((oc) => oc.columns(['place_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const found = await jobsQuery(db)
    .where('j.place_id', '=', job.placeId)
    .where('j.sha256', '=', job.sha256)
    .executeTakeFirstOrThrow();
  return { job: toJob(found), created: inserted !== undefined };
}

/**
 * Takes over an interrupted or failed job to resume it. Returns false when another process holds it
 * (it is running and has moved within STALE_SECONDS).
 */
export async function takeOver(db: Tx, id: string): Promise<boolean> {
  const taken = await db
    .updateTable('import_job as j')
    .set({ status: 'running', updated_at: sql`now()`, message: null, finished_at: null })
    .where('j.id', '=', id)
    .where(statusNow, 'in', ['interrupted', 'failed'])
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Records a batch's progress: the checkpoint, the counts so far and the batch's problems. */
export async function recordProgress(
  tx: Tx,
  jobId: string,
  progress: { linesDone: number; bytesDone: number; counts: Counts; issues: readonly ImportIssue[] },
): Promise<void> {
  await tx
    .updateTable('import_job')
    .set({
      lines_done: progress.linesDone,
      bytes_done: progress.bytesDone,
      counts: JSON.stringify(progress.counts),
      updated_at: sql`now()`,
    })
    .where('id', '=', jobId)
    .execute();
  await addIssues(tx, jobId, progress.issues);
}

export async function addIssues(tx: Tx, jobId: string, issues: readonly ImportIssue[]): Promise<void> {
  if (issues.length === 0) return;
  const { next } = await tx
    .selectFrom('import_issue')
    .select(sql<number>`coalesce(max(n), 0) + 1`.as('next'))
    .where('job_id', '=', jobId)
    .executeTakeFirstOrThrow();
  const room = Math.max(0, MAX_ISSUES - next + 1);
  const kept = issues.slice(0, room);
  const rows = kept.map((i, k) => ({
    job_id: jobId,
    n: next + k,
    line: i.line ?? (i.entry !== undefined ? i.entry : null),
    resource_key: i.resourceKey ?? null,
    severity: i.severity,
    code: i.code,
    expression: i.expression ?? null,
    diagnostics: i.diagnostics,
  }));
  if (issues.length > room && room > 0)
    rows[rows.length - 1] = {
      ...(rows[rows.length - 1] as (typeof rows)[number]),
      diagnostics: `More than ${MAX_ISSUES} problems: the rest are not listed. Correct these and import the file again.`,
      code: 'too-costly',
    };
  for (let from = 0; from < rows.length; from += 1000)
    await tx
      .insertInto('import_issue')
      .values(rows.slice(from, from + 1000))
      .execute();
}

export async function finishJob(
  db: Tx,
  jobId: string,
  outcome: { status: 'completed' | 'failed' | 'interrupted'; message: string | null; counts?: Counts },
): Promise<void> {
  await db
    .updateTable('import_job')
    .set({
      status: outcome.status,
      message: outcome.message,
      updated_at: sql`now()`,
      finished_at: outcome.status === 'interrupted' ? null : sql`now()`,
      ...(outcome.status === 'completed' ? { bytes_done: sql<number>`bytes` } : {}),
      ...(outcome.counts ? { counts: JSON.stringify(outcome.counts) } : {}),
    })
    .where('id', '=', jobId)
    .execute();
}

export interface StoredIssue extends ImportIssue {
  n: number;
}

export async function jobIssues(
  db: Tx,
  jobId: string,
  options: { after?: number; limit?: number } = {},
): Promise<StoredIssue[]> {
  const rows = await db
    .selectFrom('import_issue')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('n', '>', options.after ?? 0)
    .orderBy('n')
    .limit(options.limit ?? MAX_ISSUES)
    .execute();
  return rows.map((r) => ({
    n: r.n,
    severity: r.severity,
    code: r.code,
    diagnostics: r.diagnostics,
    ...(r.expression ? { expression: r.expression } : {}),
    ...(r.line !== null ? { line: r.line } : {}),
    ...(r.resource_key ? { resourceKey: r.resource_key } : {}),
  }));
}
