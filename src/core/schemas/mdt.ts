// The MDT meetings' and huddles' API contract: a neighbourhood team's meetings, their agendas, who came,
// what was discussed and the minutes, and the daily huddle's board and outcomes. Shared by the server
// (validation, OpenAPI) and the web app.
import { z } from 'zod';
import {
  actionInput,
  actionOut,
  longText,
  personSummary,
  practitionerId,
  practitionerOut,
  when,
} from './case.ts';
import { personIdParam, text } from './cohort.ts';

// ---- MDT meetings -------------------------------------------------------------------------------------

export const AGENDA_REASONS = [
  'new-referral',
  'review-due',
  'risk-rose',
  'unplanned-care',
  'nominated',
  'added-by-chair',
] as const;
export const AGENDA_REASON_LABELS: Record<(typeof AGENDA_REASONS)[number], string> = {
  'new-referral': 'New referral',
  'review-due': 'Review due',
  'risk-rose': 'Risk rose',
  'unplanned-care': 'Unplanned care',
  nominated: 'Nominated',
  'added-by-chair': 'Added by the chair',
};

export const meetingInput = z.object({
  startsAt: when.describe('When the meeting starts'),
  location: text(200).describe('Where it meets, or the video link'),
});

export const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;

export const meetingSummary = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  startsAt: z.iso.datetime(),
  location: z.string(),
  status: z.enum(MEETING_STATUSES),
  /** People on the agenda (items the chair removed are not counted). */
  people: z.number().int(),
});
export type MeetingSummary = z.infer<typeof meetingSummary>;
export const meetingList = z.object({ meetings: z.array(meetingSummary) });

export const agendaItemOut = z.object({
  id: z.string(),
  position: z.number().int(),
  reason: z.enum(AGENDA_REASONS),
  reasonDetail: z.string(),
  person: personSummary,
  caseId: z.string().nullable(),
  referralId: z.string().nullable(),
  /** Taken off the agenda by the chair (who may restore it). */
  removed: z.boolean(),
  addedBy: z.string(),
  summary: z.string(),
  decisions: z.string(),
  discussed: z.boolean(),
  recordedBy: z.string().nullable(),
  actions: z.array(actionOut),
});
export type AgendaItemOut = z.infer<typeof agendaItemOut>;

export const attendeeOut = z.object({
  practitioner: practitionerOut,
  agencyName: z.string(),
  attended: z.boolean(),
});
export type AttendeeOut = z.infer<typeof attendeeOut>;

export const meetingDetail = z.object({
  meeting: meetingSummary.extend({ agendaBuiltAt: z.iso.datetime().nullable() }),
  items: z.array(agendaItemOut),
  /** Items about people the viewer has no relationship with: counted, never shown. */
  hiddenItems: z.number().int(),
  attendance: z.array(attendeeOut),
  isChair: z.boolean(),
});
export type MeetingDetail = z.infer<typeof meetingDetail>;

export const agendaBuilt = z.object({
  /** Items the build added; people already on the agenda (or removed from it) are not added again. */
  added: z.number().int(),
  /** Suggested people left off because the agenda is full: for the next meeting, or to add by hand. */
  waiting: z.number().int(),
  /** The most people a build fills the agenda to. */
  limit: z.number().int(),
  agendaBuiltAt: z.iso.datetime(),
});

export const agendaItemInput = z
  .object({
    personId: personIdParam.optional(),
    nhsNumber: z.string().trim().min(1, 'must not be empty').max(20).optional(),
    reason: longText(1000).describe('Why the person should be discussed'),
  })
  .refine((r) => (r.personId === undefined) !== (r.nhsNumber === undefined), {
    message: 'give either personId or nhsNumber, not both',
    path: ['nhsNumber'],
  });

export const agendaItemUpdate = z
  .object({
    position: z.number().int().min(1).optional().describe('Where the item goes: 1 is first'),
    removed: z.boolean().optional().describe('Take the item off the agenda, or put it back'),
  })
  .refine((u) => u.position !== undefined || u.removed !== undefined, {
    message: 'give a position, or say whether the item is removed',
    path: ['position'],
  });

/** The agenda's order after a change: ids only, nothing about the people. */
export const agendaOrder = z.object({
  items: z.array(z.object({ id: z.string(), position: z.number().int(), removed: z.boolean() })),
});

export const attendanceInput = z.object({
  attendees: z.array(z.object({ practitionerId, attended: z.boolean() })).max(60),
});
export const attendanceList = z.object({ attendance: z.array(attendeeOut) });

export const discussionInput = z.object({
  summary: longText(4000),
  decisions: longText(4000),
  actions: z
    .array(actionInput.omit({ id: true, status: true }))
    .max(20)
    .default([])
    .describe('Actions agreed: they are added to the person’s plan'),
});

export const meetingMinutes = z.object({
  meeting: meetingSummary,
  /** Until the chair marks the meeting held, the minutes are a draft. */
  draft: z.boolean(),
  present: z.array(attendeeOut),
  apologies: z.array(attendeeOut),
  /** The people discussed or to be discussed, only those the reader has a relationship with. */
  items: z.array(agendaItemOut),
  hiddenItems: z.number().int(),
});
export type MeetingMinutes = z.infer<typeof meetingMinutes>;

// ---- Huddles -----------------------------------------------------------------------------------------

export const HUDDLE_ITEMS = ['unplanned-care', 'overdue-action', 'new-referral'] as const;
export const HUDDLE_OUTCOMES = ['noted', 'contact-today', 'discuss-at-mdt', 'escalated'] as const;
export const HUDDLE_OUTCOME_LABELS: Record<(typeof HUDDLE_OUTCOMES)[number], string> = {
  noted: 'Noted',
  'contact-today': 'Contact today',
  'discuss-at-mdt': 'Discuss at MDT',
  escalated: 'Escalated',
};

export const huddleOut = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  /** The board looks back to here: the previous huddle's start, or a week before the first. */
  since: z.iso.datetime(),
  startedBy: z.string(),
});

export const huddleBoard = z.object({
  teamId: z.string(),
  teamName: z.string(),
  today: z.string(),
  /** Today's huddle, once someone has started it; outcomes are recorded against it. */
  huddle: huddleOut.nullable(),
  since: z.iso.datetime(),
  items: z.array(
    z.object({
      item: z.enum(HUDDLE_ITEMS),
      person: personSummary,
      caseId: z.string().nullable(),
      referralId: z.string().nullable(),
      detail: z.string(),
      outcome: z.enum(HUDDLE_OUTCOMES).nullable(),
    }),
  ),
});
export type HuddleBoard = z.infer<typeof huddleBoard>;

export const huddleOutcomeInput = z.object({
  personId: personIdParam,
  item: z.enum(HUDDLE_ITEMS),
  outcome: z.enum(HUDDLE_OUTCOMES),
});

export const huddleOutcomeOut = z.object({
  huddleId: z.string(),
  personId: z.string(),
  item: z.enum(HUDDLE_ITEMS),
  outcome: z.enum(HUDDLE_OUTCOMES),
  recordedBy: z.string(),
  recordedAt: z.iso.datetime(),
  /** For "discuss at MDT": the team's next scheduled meeting the person was put forward for, or null if none. */
  addedToMeeting: z
    .object({
      meetingId: z.string(),
      startsAt: z.iso.datetime(),
      location: z.string(),
      /** False when the person was already on that meeting's agenda. */
      isNew: z.boolean(),
    })
    .nullable(),
  /** What happened, in a sentence for the page. */
  message: z.string(),
});
export type HuddleOutcomeOut = z.infer<typeof huddleOutcomeOut>;
