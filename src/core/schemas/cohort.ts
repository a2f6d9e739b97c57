// The cohort and worklist API's contract, shared by the server (validation, OpenAPI) and the web app.
// Rule trees are checked by checkCohortRules (src/core/cohort-rules.ts), which names the path of
// every problem; the schema here only says they are JSON objects.
import { z } from 'zod';
import { type Group, MEMBER_SORTS } from '../cohort-rules.ts';

export const cohortIdParam = z.uuid({ message: 'must be a cohort id' });

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 32), 'must not contain control characters');

export const ruleTree = z
  .record(z.string(), z.unknown())
  .describe(
    'A group: { kind: "group", combinator: "and" | "or", rules: [rule | group] }. A rule: ' +
      '{ kind: "rule", field, operator, value } (activity rules add "activity" and "months"). ' +
      'See GET …/cohort-fields for the fields, their operators and allowed values.',
  )
  .transform((v) => v as unknown as Group);

export const cohortInput = z.object({
  name: text(120),
  owner: text(120).optional().describe('Who keeps the cohort: a person or a team (you, if left out)'),
  rules: ruleTree,
});
export const cohortUpdate = cohortInput.omit({ owner: true });

export const rulesInput = z.object({ rules: ruleTree });

const option = z.object({ value: z.string(), label: z.string() });
export const cohortFields = z.object({
  asOf: z.string().nullable(),
  fields: z.array(
    z.object({
      field: z.string(),
      label: z.string(),
      type: z.enum(['number', 'choice', 'list', 'boolean', 'activity']),
      operators: z.array(z.object({ value: z.string(), label: z.string() })),
      min: z.number().optional(),
      max: z.number().optional(),
      decimals: z.boolean().optional(),
      options: z.array(option).optional(),
    }),
  ),
  activities: z.array(option),
  activityMonths: z.array(z.number().int()),
  sorts: z.array(option),
});
export type CohortFields = z.infer<typeof cohortFields>;

/** A count as the small-number rule lets it be shown: "*" for 1 to 7, otherwise rounded to 5. */
export const disclosed = z.object({
  shown: z.string(),
  value: z.number().int().nullable().describe('null when suppressed'),
  isSuppressed: z.boolean(),
});
export type DisclosedCount = z.infer<typeof disclosed>;

export const breakdown = z.object({
  purpose: z.literal('planning'),
  note: z.string(),
  total: disclosed,
  cells: z.array(z.object({ neighbourhood: z.string(), quintile: z.number().int(), people: disclosed })),
  neighbourhoodTotals: z.array(z.object({ neighbourhood: z.string(), people: disclosed })),
  quintileTotals: z.array(z.object({ quintile: z.number().int(), people: disclosed })),
});
export type Breakdown = z.infer<typeof breakdown>;

export const cohortSummary = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Who last changed it, or null if never changed. */
  changedBy: z.string().nullable(),
  /** Why the person asking may not change its rules, in words, or null if they may (see cohort.routes.ts). */
  cannotChange: z.string().nullable(),
});

export const cohortList = z.object({ cohorts: z.array(cohortSummary) });

export const cohortDetail = z.object({
  cohort: cohortSummary.extend({ rules: z.record(z.string(), z.unknown()) }),
  asOf: z.string(),
  breakdown,
});
export type CohortDetail = z.infer<typeof cohortDetail>;

export const membersQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(MEMBER_SORTS).default('risk'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});

export const member = z.object({
  personId: z.string(),
  name: z.string(),
  nhsNumber: z.string().nullable(),
  dateOfBirth: z.string(),
  age: z.number().int(),
  sex: z.string(),
  neighbourhood: z.string(),
  practice: z.string(),
  /** The practice as staff know it, "Name (ODS code)"; the code alone if the place has no such practice. */
  practiceName: z.string(),
  imdDecile: z.number().int(),
  segment: z.string(),
  efiBand: z.string(),
  efiDeficits: z.number().int(),
  hfrsScore: z.number(),
  hfrsBand: z.string(),
  charlsonScore: z.number().int(),
  conditions: z.number().int(),
  ed12m: z.number().int(),
  emergency12m: z.number().int(),
});
export type Member = z.infer<typeof member>;

export const membersPage = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  sort: z.string(),
  direction: z.enum(['asc', 'desc']),
  members: z.array(member),
});
export type MembersPage = z.infer<typeof membersPage>;

// ---- Worklists -------------------------------------------------------------------------------------

export const worklistIdParam = z.uuid({ message: 'must be a worklist id' });
export const personIdParam = z.uuid({ message: 'must be a person id' });

export const DECISIONS = [
  'add-to-caseload',
  'discuss-at-mdt',
  'already-known',
  'not-appropriate-now',
] as const;
export const DECISION_LABELS: Record<(typeof DECISIONS)[number], string> = {
  'add-to-caseload': 'Add to caseload',
  'discuss-at-mdt': 'Discuss at MDT',
  'already-known': 'Already known to a service',
  'not-appropriate-now': 'Not appropriate now',
};

/** A date written YYYY-MM-DD: one problem named, the first found (a blank is not also "not a real date"). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD', abort: true })
  .refine(
    (v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    },
    { error: 'must be a real date', abort: true },
  )
  .refine((v) => v >= '1900-01-01' && v <= '2199-12-31', 'must be a date between 1900 and 2199');

/** The longest name a worklist may have. */
export const WORKLIST_NAME_MAX = 120;

export const worklistInput = z.object({
  cohortId: cohortIdParam,
  name: text(WORKLIST_NAME_MAX),
  scope: z
    .enum(['neighbourhood', 'practice'])
    .describe("The team's footprint: an INT's neighbourhood or a GP practice"),
  scopeCode: z.string().trim().min(1, 'must not be empty').max(40),
});

export const decisionInput = z.object({
  personId: personIdParam,
  decision: z.enum(DECISIONS, { message: 'choose what the team will do' }),
  reason: text(1000),
  reviewDate: isoDate.describe('When to look at this person again; they leave the list until then'),
});

export const nominationInput = z.object({
  nhsNumber: z.string().trim().min(1, 'must not be empty').max(20),
  reason: text(1000).describe('Why, in professional judgement, this person should be reviewed'),
});

export const nominationResult = z.object({
  personId: z.string(),
  name: z.string(),
  /** The review date of a decision about them that still stands (they stay under Decided until then), or null. */
  decidedUntil: z.string().nullable(),
});

export const worklistSummary = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['neighbourhood', 'practice']),
  scopeCode: z.string(),
  scopeName: z.string(),
  cohortId: z.string(),
  cohortName: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});

export const worklistList = z.object({ worklists: z.array(worklistSummary) });

export const worklistDetail = z.object({
  worklist: worklistSummary.extend({ cohortDescription: z.string() }),
  asOf: z.string(),
  today: z.string(),
  counts: z.object({ toReview: z.number().int(), decided: z.number().int(), nominated: z.number().int() }),
});
export type WorklistDetail = z.infer<typeof worklistDetail>;

export const worklistPeopleQuery = membersQuery.extend({
  status: z.enum(['to-review', 'decided']).default('to-review'),
});

const decisionOut = z.object({
  decision: z.enum(DECISIONS, { message: 'choose what the team will do' }),
  reason: z.string(),
  reviewDate: z.string(),
  decidedBy: z.string(),
  decidedAt: z.iso.datetime(),
});

export const worklistPerson = member.extend({
  latestDecision: decisionOut.nullable(),
  nomination: z.object({ reason: z.string(), nominatedBy: z.string() }).nullable(),
});
export type WorklistPerson = z.infer<typeof worklistPerson>;

export const worklistPeoplePage = z.object({
  total: z.number().int(),
  status: z.enum(['to-review', 'decided']),
  page: z.number().int(),
  pageSize: z.number().int(),
  sort: z.string(),
  direction: z.enum(['asc', 'desc']),
  people: z.array(worklistPerson),
});
export type WorklistPeoplePage = z.infer<typeof worklistPeoplePage>;

export const decisionHistory = z.object({ decisions: z.array(decisionOut.extend({ id: z.string() })) });

/** A decision saved; "add to caseload" also refers the person to the INT, which this reports. */
export const decisionResult = decisionHistory.extend({
  referral: z
    .object({
      status: z.enum(['referred', 'already-referred', 'already-open']),
      teamName: z.string(),
      referralId: z.string().nullable(),
    })
    .nullable(),
});

export const worklistPersonDetail = z.object({
  person: worklistPerson,
  today: z.string(),
  decisions: decisionHistory.shape.decisions,
});
export type WorklistPersonDetail = z.infer<typeof worklistPersonDetail>;
