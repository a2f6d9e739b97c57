// The import and exchange API's contract: zod schemas shared by the server (validation, OpenAPI) and
// the web app (types). Pure: no IO.
import { z } from 'zod';

export const importJobIdParam = z.uuid('must be an import job id');
export const matchReviewIdParam = z.uuid('must be a match review id');

export const IMPORT_COUNT_LABELS = {
  peopleAdded: 'People added',
  peopleUpdated: 'People updated',
  peopleUnchanged: 'People unchanged',
  peopleLinked: 'People matched to someone known',
  peopleForReview: 'People waiting for a match review',
  recordsAdded: 'Records added',
  recordsUpdated: 'Records updated',
  recordsUnchanged: 'Records unchanged',
  recordsHeld: 'Records held for a match review',
  organisationsKnown: 'GP practices recognised',
  skipped: 'Left out (entered in error, cancelled or not finished)',
  rejected: 'Refused',
} as const;
export type ImportCountName = keyof typeof IMPORT_COUNT_LABELS;

export const importJob = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.enum(['fhir-ndjson', 'fhir-bundle', 'csv']),
  status: z
    .enum(['running', 'interrupted', 'completed', 'failed'])
    .describe('interrupted: its process stopped part-way; import the same file again to resume'),
  bytes: z.number(),
  bytesDone: z.number(),
  linesDone: z.number().int().describe('The checkpoint: lines, rows or Bundle entries read and written'),
  counts: z.record(z.string(), z.number().int()),
  problemCount: z.number().int(),
  startedBy: z.string(),
  message: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJob>;

export const importStarted = z.object({
  job: importJob,
  alreadyImported: z.boolean().describe('The same file was imported before: nothing is taken in again'),
  busy: z.boolean().describe('Another process is importing this file now'),
});

export const importProblem = z.object({
  n: z.number().int(),
  severity: z.enum(['error', 'warning']),
  code: z.string().describe('FHIR IssueType'),
  diagnostics: z.string(),
  expression: z.string().nullable().describe('FHIRPath of the element, or the CSV column'),
  line: z
    .number()
    .int()
    .nullable()
    .describe('NDJSON line, CSV row (the header is row 1) or Bundle entry (from 1)'),
  resourceKey: z.string().nullable(),
});

export const matchCandidate = z.object({
  personId: z.string(),
  score: z.number(),
  band: z.enum(['match', 'review', 'non-match']),
  explanation: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  sex: z.string(),
  postcode: z.string().nullable(),
  nhsNumber: z.string().nullable(),
});

export const matchReview = z.object({
  id: z.string(),
  jobId: z.string(),
  fileName: z.string(),
  status: z.enum(['open', 'same-person', 'new-person']),
  incoming: z.object({
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string(),
    sex: z.string(),
    postcode: z.string().nullable(),
    lsoa: z.string(),
    practice: z.string(),
  }),
  candidates: z.array(matchCandidate),
  heldRecords: z.number().int(),
  personId: z.string().nullable().describe('Once decided: the person the incoming record now belongs to'),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type MatchReviewView = z.infer<typeof matchReview>;

export const matchDecision = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('same-person'),
    personId: z.uuid('must be the id of one of the candidates'),
  }),
  z.object({ decision: z.literal('new-person') }),
]);
