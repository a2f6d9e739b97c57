// Referrals into the services of the directory (Live Well, voluntary and council services), the loop
// the seeds ask to close: a practitioner refers a person from their case; the service receives,
// accepts or declines, works with them and records how it ended; the referrer sees it in the plan.
// The API's contract, shared by the server and the web app. Pure: no IO.
import { z } from 'zod';

export const SERVICE_REFERRAL_STATUSES = [
  'sent',
  'received',
  'accepted',
  'declined',
  'in-progress',
  'completed',
  'not-completed',
] as const;
export type ServiceReferralStatus = (typeof SERVICE_REFERRAL_STATUSES)[number];

/** Each status in words, as the pages show it. */
export const SERVICE_REFERRAL_STATUS_LABELS: Record<ServiceReferralStatus, string> = {
  sent: 'Sent',
  received: 'Received',
  accepted: 'Accepted',
  declined: 'Declined',
  'in-progress': 'In progress',
  completed: 'Completed',
  'not-completed': 'Not completed',
};

/** Where a referral may go next: sent → received → accepted or declined → in progress → completed or not completed. */
export const SERVICE_REFERRAL_NEXT: Record<ServiceReferralStatus, readonly ServiceReferralStatus[]> = {
  sent: ['received'],
  received: ['accepted', 'declined'],
  accepted: ['in-progress'],
  declined: [],
  'in-progress': ['completed', 'not-completed'],
  completed: [],
  'not-completed': [],
};

/** Moves that must say why (a declined referral, one not completed). */
export const SERVICE_REFERRAL_NEEDS_NOTE: readonly ServiceReferralStatus[] = ['declined', 'not-completed'];

export const serviceReferralIdParam = z.uuid('must be a referral id');

export const newServiceReferral = z.object({
  serviceId: z.uuid('must be the id of a service in the directory'),
  reason: z
    .string()
    .trim()
    .min(1, 'say why the person is being referred')
    .max(2000)
    .describe('Why the person is referred, in words the service will read'),
});

export const serviceReferralMove = z.object({
  status: z.enum(SERVICE_REFERRAL_STATUSES),
  note: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('Why (required when declined or not completed), or how it went'),
  version: z
    .number()
    .int()
    .min(1)
    .describe('The version the change was made from; a stale one is refused with 409'),
});

export const serviceReferralEvent = z.object({
  status: z.enum(SERVICE_REFERRAL_STATUSES),
  at: z.string(),
  by: z.string().describe('Who, as staff name and role'),
  note: z.string().nullable(),
});

export const serviceReferral = z.object({
  id: z.string(),
  caseId: z.string(),
  person: z.object({ id: z.string(), name: z.string(), nhsNumber: z.string().nullable() }),
  service: z.object({ id: z.string(), name: z.string(), organisation: z.string() }),
  status: z.enum(SERVICE_REFERRAL_STATUSES),
  reason: z.string(),
  referredBy: z.string(),
  referredAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  history: z.array(serviceReferralEvent),
});
export type ServiceReferralView = z.infer<typeof serviceReferral>;

/** A case's referrals (newest first), or a receiving organisation's inbox (open ones first, then the latest changed). */
export const serviceReferralList = z.object({ referrals: z.array(serviceReferral) });

/** A service's closed loop: how its referrals went. Counts of 1 to 7 are shown as null (suppressed). */
export const serviceFigures = z.object({
  serviceId: z.string(),
  referrals: z.number().int().nullable(),
  accepted: z.number().int().nullable(),
  declined: z.number().int().nullable(),
  /** Accepted as a share of those decided (accepted or declined), 0–1; null when suppressed or none. */
  acceptanceRate: z.number().nullable(),
  /** Median days from sent to accepted (first contact), null when too few. */
  medianDaysToFirstContact: z.number().nullable(),
  completed: z.number().int().nullable(),
  notCompleted: z.number().int().nullable(),
});
export type ServiceFigures = z.infer<typeof serviceFigures>;
