// HTTP for imports: upload a file (streamed to disk, never held in memory), follow its job, read its
// problems as an OperationOutcome or a CSV, resume an interrupted job, download CSV templates, and
// work through the match review queue. A completed import that changed anything re-stratifies the
// place in the background, one run at a time.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { accessOf, staffLabel } from '../access/access.plugin.ts';
import { minutesOf } from '../access/attempts.store.ts';
import { DEFAULT_UPLOADS_PER_HOUR } from '../core/config.ts';
import { CSV_LAYOUTS } from '../core/csv-layouts.ts';
import { AppError } from '../core/errors.ts';
import {
  importJob,
  importJobIdParam,
  importProblem,
  importStarted,
  matchDecision,
  matchReview,
  matchReviewIdParam,
} from '../core/schemas/exchange.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import { runStratify } from '../risk/run-stratify.ts';
import type { App } from '../server/app-types.ts';
import { csvTemplate } from './csv-in.ts';
import { findJob, type ImportJob, jobIssues, listJobs } from './import-job.store.ts';
import { formatOf, type Importer, type ImportOutcome, startImport } from './import-run.ts';
import { decideReview, listReviews } from './match-review.store.ts';

const tags = ['Imports'];
const errors = { 400: operationOutcome, 404: operationOutcome, 409: operationOutcome };
/** The largest file one upload may send. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
const UPLOAD_TYPES = [
  'application/x-ndjson',
  'application/fhir+ndjson',
  'application/fhir+json',
  'text/csv',
  'application/octet-stream',
];

export interface ImportRouteOptions {
  db: Db;
  referenceDir: string;
  /** Where uploaded files wait until their job completes (so an interrupted job can resume). */
  uploadDir?: string;
  log?: (message: string, error?: unknown) => void;
  /** How many files one staff member may upload in an hour (DEFAULT_UPLOADS_PER_HOUR unless given). */
  uploadsPerHour?: number;
}

export const jobView = (j: ImportJob) => ({
  id: j.id,
  fileName: j.fileName,
  format: j.format,
  status: j.status,
  bytes: j.bytes,
  bytesDone: j.bytesDone,
  linesDone: j.linesDone,
  counts: j.counts,
  problemCount: j.issueCount,
  startedBy: j.startedBy,
  message: j.message,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
  finishedAt: j.finishedAt,
});

const fileNameQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+\.(ndjson|jsonl|json|csv)$/i, 'must be a file name ending .ndjson, .json or .csv')
    .describe('The file’s own name; its ending says what it holds'),
});

export async function importRoutes(app: App, options: ImportRouteOptions): Promise<void> {
  const { db } = options;
  const uploadsPerHour = options.uploadsPerHour ?? DEFAULT_UPLOADS_PER_HOUR;
  const uploadDir = options.uploadDir ?? path.join(tmpdir(), 'joinedup-imports');
  let stratifying: Promise<unknown> = Promise.resolve();
  const restratify = (placeId: string) => {
    stratifying = stratifying
      .then(() => runStratify(db, { place: placeId, referenceDir: options.referenceDir }))
      .catch((e) => options.log?.(`Stratifying ${placeId} after an import failed`, e));
  };
  /** Follows a job to its end: tidies its upload and re-stratifies when anything changed. */
  const follow = (placeId: string, upload: string, done: Promise<ImportOutcome>) => {
    done
      .then(async (o) => {
        if (o.job.status === 'completed' || o.job.status === 'failed') await rm(upload, { force: true });
        const c = o.job.counts;
        if (c.peopleAdded + c.peopleUpdated + c.recordsAdded + c.recordsUpdated > 0) restratify(placeId);
      })
      .catch((e) => options.log?.('An import stopped with an error', e));
  };
  const importerOf = (req: Parameters<typeof accessOf>[0]): Importer => {
    const staff = accessOf(req).staff;
    return { id: staff.id, name: staffLabel(staff), role: staff.role, teamId: staff.teamId };
  };

  await app.register(async (plugin) => {
    const scope = plugin as unknown as App;
    // Uploads arrive as a stream, written to disk as they come.
    scope.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
    scope.post(
      '/api/places/:placeId/imports',
      {
        bodyLimit: MAX_UPLOAD_BYTES,
        config: {
          // Counted per staff member once they are known, before a byte of the file is read.
          rateLimit: {
            hook: 'preParsing',
            max: uploadsPerHour,
            timeWindow: '1 hour',
            keyGenerator: (req) => `upload|${req.signedIn?.staff.id ?? req.ip}`,
            errorResponseBuilder: (_req, context) =>
              new AppError(
                'too-many-requests',
                `You have uploaded ${uploadsPerHour} files in the last hour, the most one person may. Try again in ${minutesOf(context.ttl)}.`,
              ),
          },
        },
        schema: {
          tags,
          summary:
            'Import a file: FHIR R4 NDJSON, a FHIR Bundle or a CSV extract, sent as the request body. Answers at once with the job; the same file sent again is recognised and not taken twice. One person may upload at most JOINEDUP_UPLOADS_PER_HOUR files an hour (100 unless set); past it, 429 before the file is read',
          params: z.object({ placeId: placeIdParam }),
          querystring: fileNameQuery,
          response: {
            202: importStarted,
            200: importStarted,
            ...errors,
            413: operationOutcome,
            415: operationOutcome,
            429: operationOutcome,
          },
        },
      },
      async (req, reply) => {
        const { placeId } = req.params;
        const { fileName } = req.query;
        formatOf(fileName);
        if (!(req.body && typeof (req.body as NodeJS.ReadableStream).pipe === 'function'))
          throw new AppError('invalid', 'Send the file itself as the request body.');
        await mkdir(uploadDir, { recursive: true });
        const upload = path.join(uploadDir, `${req.id}${path.extname(fileName).toLowerCase()}`);
        let received = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, next) {
            received += chunk.length;
            next(
              received > MAX_UPLOAD_BYTES
                ? new AppError('too-large', 'The file is too large to upload.')
                : null,
              chunk,
            );
          },
        });
        try {
          await pipeline(req.body as NodeJS.ReadableStream, counter, createWriteStream(upload));
        } catch (e) {
          await rm(upload, { force: true });
          throw e;
        }
        if (received === 0) {
          await rm(upload, { force: true });
          throw new AppError('invalid', 'The file is empty.');
        }
        const started = await startImport(db, { placeId, path: upload, fileName, importer: importerOf(req) });
        if (started.alreadyImported || started.busy) await rm(upload, { force: true });
        else follow(placeId, upload, started.done);
        const body = {
          job: jobView(started.job),
          alreadyImported: started.alreadyImported,
          busy: started.busy,
        };
        return reply.code(started.alreadyImported || started.busy ? 200 : 202).send(body);
      },
    );
  });

  app.get(
    '/api/places/:placeId/imports',
    {
      schema: {
        tags,
        summary: 'The latest import jobs, newest first',
        params: z.object({ placeId: placeIdParam }),
        response: { 200: z.object({ jobs: z.array(importJob) }), ...errors },
      },
    },
    async (req) => ({ jobs: (await listJobs(db.kysely, req.params.placeId)).map(jobView) }),
  );

  app.get(
    '/api/places/:placeId/imports/:jobId',
    {
      schema: {
        tags,
        summary: 'One import job: its status, progress and counts',
        params: z.object({ placeId: placeIdParam, jobId: importJobIdParam }),
        response: { 200: importJob, ...errors },
      },
    },
    async (req) => jobView(await jobOrThrow(db.kysely, req.params.placeId, req.params.jobId)),
  );

  app.get(
    '/api/places/:placeId/imports/:jobId/problems',
    {
      schema: {
        tags,
        summary:
          'The problems an import found, each with where it was (line, row or entry, and FHIRPath or column)',
        params: z.object({ placeId: placeIdParam, jobId: importJobIdParam }),
        querystring: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({ problems: z.array(importProblem), outcome: operationOutcome }),
          ...errors,
        },
      },
    },
    async (req) => {
      const job = await jobOrThrow(db.kysely, req.params.placeId, req.params.jobId);
      const problems = await jobIssues(db.kysely, job.id, { after: req.query.after, limit: req.query.limit });
      return {
        problems: problems.map((p) => ({
          n: p.n,
          severity: p.severity,
          code: p.code,
          diagnostics: p.diagnostics,
          expression: p.expression ?? null,
          line: p.line ?? null,
          resourceKey: p.resourceKey ?? null,
        })),
        outcome: {
          resourceType: 'OperationOutcome' as const,
          id: job.id,
          issue: problems.map((p) => ({
            severity: p.severity,
            code: p.code,
            diagnostics: p.line !== undefined ? `${where(job, p.line)}: ${p.diagnostics}` : p.diagnostics,
            ...(p.expression ? { expression: [p.expression] } : {}),
          })),
        },
      };
    },
  );

  app.get(
    '/api/places/:placeId/imports/:jobId/problems.csv',
    {
      schema: {
        tags,
        summary: 'Every problem an import found, as a CSV to open beside the file',
        params: z.object({ placeId: placeIdParam, jobId: importJobIdParam }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const job = await jobOrThrow(db.kysely, req.params.placeId, req.params.jobId);
      const problems = await jobIssues(db.kysely, job.id);
      const place = job.format === 'csv' ? 'row' : job.format === 'fhir-bundle' ? 'entry' : 'line';
      const csv = stringify(
        problems.map((p) => [
          p.line ?? '',
          p.expression ?? '',
          p.severity,
          p.code,
          p.diagnostics,
          p.resourceKey ?? '',
        ]),
        {
          header: true,
          columns: [
            place,
            job.format === 'csv' ? 'column' : 'fhirpath',
            'severity',
            'code',
            'problem',
            'identity',
          ],
          escape_formulas: true,
        },
      );
      const file = `${job.fileName.replace(/\.[a-z]+$/i, '')}-problems.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .header('Content-Disposition', `attachment; filename="${file}"`)
        .type('text/csv; charset=utf-8')
        .send(csv);
    },
  );

  app.get(
    '/api/places/:placeId/import-templates/:layout',
    {
      schema: {
        tags,
        summary:
          'A CSV template for one of the import layouts: its header and an example row of invented data',
        params: z.object({
          placeId: placeIdParam,
          layout: z.enum(CSV_LAYOUTS.map((l) => `${l}.csv`) as [string, ...string[]]),
        }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const layout = req.params.layout.replace(/\.csv$/, '') as (typeof CSV_LAYOUTS)[number];
      return reply
        .header('Content-Disposition', `attachment; filename="joinedup-${layout}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(csvTemplate(layout));
    },
  );

  app.get(
    '/api/places/:placeId/match-reviews',
    {
      schema: {
        tags,
        summary:
          'People who arrived without an NHS number and matched someone known only uncertainly, with the candidates and why they scored as they did',
        params: z.object({ placeId: placeIdParam }),
        querystring: z.object({ status: z.enum(['open', 'decided']).default('open') }),
        response: { 200: z.object({ reviews: z.array(matchReview) }), ...errors },
      },
    },
    async (req) => {
      const reviews = await listReviews(db.kysely, req.params.placeId, { status: req.query.status });
      accessOf(req).audit({
        action: 'read',
        personIds: reviews.flatMap((r) => r.candidates.map((c) => c.personId)),
        purpose: 'identity-matching',
        relationship: 'match review',
        outcome: 'allowed',
      });
      return { reviews };
    },
  );

  app.post(
    '/api/places/:placeId/match-reviews/:reviewId',
    {
      schema: {
        tags,
        summary:
          'Decide a match review: the same person as a candidate, or a new person. The records that waited are then written',
        params: z.object({ placeId: placeIdParam, reviewId: matchReviewIdParam }),
        body: matchDecision,
        response: { 200: z.object({ personId: z.string(), recordsWritten: z.number().int() }), ...errors },
      },
    },
    async (req) => {
      const { placeId, reviewId } = req.params;
      const access = accessOf(req);
      const result = await decideReview(db.kysely, placeId, reviewId, req.body, staffLabel(access.staff));
      access.audit({
        action: 'write',
        personIds: [result.personId],
        purpose: 'identity-matching',
        relationship: 'match review',
        outcome: 'allowed',
      });
      if (result.recordsWritten > 0) restratify(placeId);
      return result;
    },
  );
}

/** Where a problem was, in words: "Line 12", "Row 12" or "Entry 3". */
function where(job: ImportJob, line: number): string {
  return `${job.format === 'csv' ? 'Row' : job.format === 'fhir-bundle' ? 'Entry' : 'Line'} ${line}`;
}

async function jobOrThrow(db: Kysely<Database>, placeId: string, jobId: string): Promise<ImportJob> {
  const job = await findJob(db, placeId, jobId);
  if (!job) throw new AppError('not-found', 'There is no such import.');
  return job;
}
