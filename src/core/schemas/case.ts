// The case management API's contract: referrals into an Integrated Neighbourhood Team, cases, plans,
// reviews, contacts, consent, the timeline and "my work" (MDT meetings and huddles: mdt.ts). Shared by the
// server (validation, OpenAPI) and the web app.
import { z } from 'zod';
import { isoDate, personIdParam, text } from './cohort.ts';

/** Free text that may run over several lines (tabs and line breaks allowed, other control characters not). */
export const longText = (max: number, { optional = false } = {}) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => optional || v.length > 0, 'must not be empty')
    .refine(
      (v) => ![...v].some((c) => c.charCodeAt(0) < 32 && !'\n\r\t'.includes(c)),
      'must not contain control characters',
    );

const slugId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, `must be ${what}`);

export const teamIdParam = slugId('a team id');
export const caseIdParam = z.uuid({ message: 'must be a case id' });
export const referralIdParam = z.uuid({ message: 'must be a referral id' });
export const actionIdParam = z.uuid({ message: 'must be an action id' });
export const meetingIdParam = z.uuid({ message: 'must be a meeting id' });
export const itemIdParam = z.uuid({ message: 'must be an agenda item id' });
export const huddleIdParam = z.uuid({ message: 'must be a huddle id' });
export const practitionerId = slugId('a practitioner id');
export const agencyId = slugId('an agency id');
const version = z.number({ message: 'must be the version you started from' }).int().min(1);
/** A date and time with its offset, between 1900 and 2199. */
export const when = z.iso
  .datetime({ offset: true, message: 'must be a date and time, e.g. 2026-12-03T10:00:00Z' })
  .refine((v) => v >= '1900' && v < '2200', 'must be a date and time between 1900 and 2199');

// ---- Organisations ---------------------------------------------------------------------------------

export const AGENCY_KINDS = [
  'gp-practice',
  'community-health',
  'adult-social-care',
  'mental-health',
  'vcse',
  'housing',
  'dwp',
  'police',
  'fire-and-rescue',
  'family-hub',
  'public-health',
] as const;
export const AGENCY_KIND_LABELS: Record<(typeof AGENCY_KINDS)[number], string> = {
  'gp-practice': 'GP practice',
  'community-health': 'Community health',
  'adult-social-care': 'Adult social care',
  'mental-health': 'Mental health',
  vcse: 'Voluntary, community and social enterprise',
  housing: 'Housing',
  dwp: 'Department for Work and Pensions',
  police: 'Police',
  'fire-and-rescue': 'Fire and rescue',
  'family-hub': 'Family hubs',
  'public-health': 'Public health',
};

export const agencyOut = z.object({ id: z.string(), name: z.string(), kind: z.enum(AGENCY_KINDS) });
export const practitionerOut = z.object({
  id: z.string(),
  title: z.string(),
  teamId: z.string().nullable(),
  agencyId: z.string(),
  agencyName: z.string(),
  /** "Care coordinator, East INT": practitioners are named by role. */
  label: z.string(),
});
export type PractitionerOut = z.infer<typeof practitionerOut>;
export const organisation = z.object({
  teams: z.array(z.object({ id: z.string(), name: z.string(), neighbourhoodCode: z.string().nullable() })),
  agencies: z.array(agencyOut),
  practitioners: z.array(practitionerOut),
});
export type Organisation = z.infer<typeof organisation>;

// ---- People as case management shows them ---------------------------------------------------------

export const personSummary = z.object({
  id: z.string(),
  nhsNumber: z.string().nullable(),
  name: z.string(),
  dateOfBirth: z.string(),
  age: z.number().int(),
  neighbourhoodCode: z.string().nullable(),
  efiBand: z.string().nullable(),
  hfrsBand: z.string().nullable(),
});
export type PersonSummary = z.infer<typeof personSummary>;

// ---- Referrals ---------------------------------------------------------------------------------------

export const REFERRAL_SOURCES = ['worklist', 'practitioner', 'self-or-family'] as const;
export const REFERRAL_SOURCE_LABELS: Record<(typeof REFERRAL_SOURCES)[number], string> = {
  worklist: 'Case-finding worklist',
  practitioner: 'Practitioner',
  'self-or-family': 'The person or their family',
};
export const REFERRAL_STATUSES = ['awaiting-triage', 'accepted', 'declined'] as const;

export const referralInput = z
  .object({
    teamId: teamIdParam.describe('The Integrated Neighbourhood Team referred to'),
    personId: personIdParam.optional(),
    nhsNumber: z.string().trim().min(1, 'must not be empty').max(20).optional(),
    source: z.enum(REFERRAL_SOURCES, { message: 'say where the referral comes from' }),
    worklistId: z.uuid({ message: 'must be a worklist id' }).optional(),
    referrer: text(200)
      .optional()
      .describe(
        'Who is referring, when it is the person or their family; otherwise the signed-in member of staff',
      ),
    reason: longText(2000).describe('Why the team should get involved'),
    urgency: z.enum(['routine', 'urgent']).default('routine'),
  })
  .refine((r) => (r.personId === undefined) !== (r.nhsNumber === undefined), {
    message: 'give either personId or nhsNumber, not both',
    path: ['nhsNumber'],
  });

export const triageInput = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('accept'),
    leadPractitionerId: practitionerId.describe('The lead professional for the case'),
    reviewDueOn: isoDate.optional(),
  }),
  z.object({ decision: z.literal('decline'), reason: longText(1000) }),
]);

export const referralOut = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  person: personSummary,
  source: z.enum(REFERRAL_SOURCES),
  referrer: z.string(),
  reason: z.string(),
  urgency: z.enum(['routine', 'urgent']),
  status: z.enum(REFERRAL_STATUSES),
  createdAt: z.iso.datetime(),
  triagedBy: z.string().nullable(),
  triagedAt: z.iso.datetime().nullable(),
  declineReason: z.string().nullable(),
  caseId: z.string().nullable(),
});
export type ReferralOut = z.infer<typeof referralOut>;
export const referralList = z.object({ referrals: z.array(referralOut) });
export const referralsQuery = z.object({ status: z.enum(REFERRAL_STATUSES).default('awaiting-triage') });

// ---- Cases --------------------------------------------------------------------------------------------

export const CONSENT_STATUSES = ['not-recorded', 'given', 'declined', 'withdrawn'] as const;
export const ACTION_STATUSES = ['to-do', 'in-progress', 'done', 'cancelled'] as const;
export const ACTION_STATUS_LABELS: Record<(typeof ACTION_STATUSES)[number], string> = {
  'to-do': 'To do',
  'in-progress': 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const caseSummary = z.object({
  id: z.string(),
  person: personSummary,
  teamId: z.string(),
  status: z.enum(['open', 'closed']),
  leadPractitioner: practitionerOut,
  openedAt: z.iso.datetime(),
  reviewDueOn: z.string().nullable(),
  openActions: z.number().int(),
  overdueActions: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummary>;

export const CASELOAD_SORTS = ['review-due', 'overdue-actions', 'name', 'opened'] as const;
export const caseloadQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(CASELOAD_SORTS).default('review-due'),
});
export const caseloadPage = z.object({
  teamId: z.string(),
  teamName: z.string(),
  today: z.string(),
  total: z.number().int(),
  reviewsOverdue: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  sort: z.enum(CASELOAD_SORTS),
  cases: z.array(caseSummary),
});
export type CaseloadPage = z.infer<typeof caseloadPage>;

export const caseUpdate = z.object({
  version,
  leadPractitionerId: practitionerId,
  keyWorkerIds: z.array(practitionerId).max(20),
  reviewDueOn: isoDate.nullable(),
});

export const consentInput = z.object({
  status: z.enum(['given', 'declined', 'withdrawn']),
  givenBy: z.enum(['person', 'representative', 'best-interests-decision']),
  agencies: z.array(agencyId).max(50).describe('The agencies the person agrees may see their case'),
  purpose: longText(1000),
});

export const closeInput = z.object({
  version,
  reason: z.enum(['goals-met', 'moved-away', 'declined-further-support', 'transferred', 'died', 'other'], {
    message: 'choose why the case is closing',
  }),
  outcome: longText(2000),
  overrideReason: longText(1000, { optional: true })
    .optional()
    .describe('Needed only when actions are still open: why the case closes with them'),
});
export const CLOSURE_REASON_LABELS = {
  'goals-met': 'Goals met',
  'moved-away': 'Moved away',
  'declined-further-support': 'Declined further support',
  transferred: 'Transferred to another service',
  died: 'Died',
  other: 'Other',
} as const;

export const reviewInput = z.object({
  heldOn: isoDate,
  summary: longText(4000),
  nextReviewOn: isoDate.nullable(),
});

export const CONTACT_MODES = ['home-visit', 'clinic', 'phone', 'video', 'message', 'meeting'] as const;
export const CONTACT_MODE_LABELS: Record<(typeof CONTACT_MODES)[number], string> = {
  'home-visit': 'Home visit',
  clinic: 'Clinic',
  phone: 'Phone call',
  video: 'Video call',
  message: 'Message',
  meeting: 'Meeting',
};
export const contactInput = z.object({
  contactAt: when,
  mode: z.enum(CONTACT_MODES),
  note: longText(4000),
});

export const actionOut = z.object({
  id: z.string(),
  caseId: z.string(),
  goalId: z.string().nullable(),
  description: z.string(),
  ownerAgencyId: z.string(),
  ownerAgencyName: z.string(),
  ownerPractitionerId: z.string(),
  ownerLabel: z.string(),
  dueOn: z.string(),
  status: z.enum(ACTION_STATUSES),
  source: z.enum(['plan', 'mdt', 'huddle']),
  overdue: z.boolean(),
});
export type ActionOut = z.infer<typeof actionOut>;

export const goal = z.object({ id: slugId('a goal id'), text: longText(1000) });

/** An action as a plan save sends it: existing ones by id, new ones without. */
export const actionInput = z.object({
  id: actionIdParam.optional(),
  goalId: slugId('a goal id').nullable().default(null),
  description: longText(1000),
  ownerAgencyId: agencyId.describe('The agency that owns the action'),
  ownerPractitionerId: practitionerId.describe('The practitioner who will do it'),
  dueOn: isoDate,
  status: z.enum(ACTION_STATUSES).default('to-do'),
});
export type ActionInput = z.infer<typeof actionInput>;

export const planInput = z.object({
  version,
  whatMatters: longText(4000, { optional: true }).describe('"What matters to me", in the person’s own words'),
  strengths: longText(4000, { optional: true }),
  risks: longText(4000, { optional: true }),
  goals: z.array(goal).max(30),
  actions: z.array(actionInput).max(100),
});
export type PlanInput = z.infer<typeof planInput>;

export const planOut = z.object({
  caseId: z.string(),
  version: z.number().int(),
  whatMatters: z.string(),
  strengths: z.string(),
  risks: z.string(),
  goals: z.array(z.object({ id: z.string(), text: z.string() })),
  actions: z.array(actionOut),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
});
export type PlanOut = z.infer<typeof planOut>;

export const actionUpdate = z.object({ status: z.enum(ACTION_STATUSES) });

export const caseDetail = z.object({
  case: caseSummary.extend({
    version: z.number().int(),
    teamName: z.string(),
    keyWorkers: z.array(practitionerOut),
    consent: z.object({ status: z.enum(CONSENT_STATUSES), agencies: z.array(agencyOut) }),
    referral: z.object({ id: z.string(), reason: z.string(), referrer: z.string() }).nullable(),
    closedAt: z.iso.datetime().nullable(),
    closureReason: z.string().nullable(),
    closureOutcome: z.string().nullable(),
    updatedAt: z.iso.datetime(),
    updatedBy: z.string(),
  }),
  plan: planOut,
  reviews: z.array(
    z.object({
      id: z.string(),
      heldOn: z.string(),
      summary: z.string(),
      nextReviewOn: z.string().nullable(),
      recordedBy: z.string(),
    }),
  ),
  consentHistory: z.array(
    z.object({
      status: z.enum(['given', 'declined', 'withdrawn']),
      givenBy: z.string(),
      agencies: z.array(z.string()),
      purpose: z.string(),
      recordedBy: z.string(),
      recordedAt: z.iso.datetime(),
    }),
  ),
  today: z.string(),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const versionList = z.object({
  versions: z.array(
    z.object({
      kind: z.enum(['case', 'plan']),
      version: z.number().int(),
      change: z.string(),
      changedBy: z.string(),
      changedAt: z.iso.datetime(),
      snapshot: z.unknown(),
    }),
  ),
});

// ---- My work -------------------------------------------------------------------------------------------

export const myWork = z.object({
  today: z.string(),
  actions: z.array(
    actionOut.extend({ person: personSummary, assigned: z.enum(['me', 'my-team']), teamName: z.string() }),
  ),
});
export type MyWork = z.infer<typeof myWork>;

// ---- Timeline -------------------------------------------------------------------------------------------

export const TIMELINE_KINDS = [
  'ed-attendance',
  'emergency-admission',
  'elective-admission',
  'day-case',
  'outpatient',
  'social-care',
  'contact',
  'referral',
  'case',
  'plan',
  'review',
  'mdt',
  'consent',
  'service-referral',
] as const;
export const timeline = z.object({
  person: personSummary,
  events: z.array(
    z.object({
      at: z.string().describe('A date (YYYY-MM-DD) or a date and time'),
      kind: z.enum(TIMELINE_KINDS),
      title: z.string(),
      detail: z.string(),
      by: z.string().nullable(),
    }),
  ),
});
export type Timeline = z.infer<typeof timeline>;
