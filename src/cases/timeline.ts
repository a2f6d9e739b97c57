// A person's timeline, as pure functions: hospital activity, social care, and the work of their cases
// (referrals, contacts, plan and case changes, reviews, MDT discussions, consent) and each step of their
// referrals to directory services, as events with a plain title and detail, newest first. Dates stay dates where the source has only a date; an event
// with only a date counts as the start of that day when ordered beside timed ones.
import { formatDate } from '../core/dates.ts';
import { CONTACT_MODE_LABELS, type TIMELINE_KINDS, type Timeline } from '../core/schemas/case.ts';
import {
  SERVICE_REFERRAL_STATUS_LABELS,
  type ServiceReferralStatus,
} from '../core/schemas/service-referral.ts';
import type { ContactMode, EncounterTable, SocialCareTable } from '../db/database.ts';

export type TimelineEvent = Timeline['events'][number];
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** The most recent events shown; older ones are on the source systems. */
export const TIMELINE_LIMIT = 300;

export interface TimelineRows {
  encounters: readonly Pick<
    EncounterTable,
    'kind' | 'start_date' | 'end_date' | 'length_of_stay' | 'primary_diagnosis' | 'arrival_by_ambulance'
  >[];
  socialCare: readonly Pick<SocialCareTable, 'service' | 'start_date' | 'end_date'>[];
  contacts: readonly {
    team_id: string;
    contact_at: Date;
    mode: ContactMode;
    note: string;
    recorded_by: string;
  }[];
  referrals: readonly {
    team_id: string;
    created_at: Date;
    referrer: string;
    reason: string;
    urgency: 'routine' | 'urgent';
    status: 'awaiting-triage' | 'accepted' | 'declined';
    triaged_at: Date | null;
    triaged_by: string | null;
    decline_reason: string | null;
  }[];
  versions: readonly {
    team_id: string;
    kind: 'case' | 'plan';
    version: number;
    change: string;
    changed_by: string;
    changed_at: Date;
  }[];
  reviews: readonly {
    team_id: string;
    held_on: string;
    summary: string;
    next_review_on: string | null;
    recorded_by: string;
  }[];
  mdtDiscussions: readonly {
    team_id: string;
    starts_at: Date;
    summary: string;
    decisions: string;
    discussed_at: Date;
    recorded_by: string | null;
  }[];
  consents: readonly {
    team_id: string;
    status: 'given' | 'declined' | 'withdrawn';
    given_by: 'person' | 'representative' | 'best-interests-decision';
    agencies: string[];
    purpose: string;
    recorded_by: string;
    recorded_at: Date;
  }[];
  /** Each status of the person's referrals to directory services, with the referral's service and reason. */
  serviceReferrals: readonly {
    status: ServiceReferralStatus;
    at: Date;
    by_name: string;
    note: string | null;
    reason: string;
    service_name: string;
    organisation_name: string;
  }[];
}

export interface TimelineNames {
  /** A team's short name: "East INT". */
  team(id: string): string;
  agency(id: string): string;
  /** The day a moment falls on in England, YYYY-MM-DD. */
  dateInEngland(at: Date): string;
}

const ENCOUNTERS = {
  ed: { kind: 'ed-attendance', title: 'A&E attendance' },
  'emergency-admission': { kind: 'emergency-admission', title: 'Emergency admission' },
  'elective-admission': { kind: 'elective-admission', title: 'Planned admission (elective)' },
  'day-case': { kind: 'day-case', title: 'Day case' },
  outpatient: { kind: 'outpatient', title: 'Outpatient appointment' },
} as const;

const SOCIAL_CARE = {
  'home-care': 'Home care',
  reablement: 'Reablement',
  'care-home-permanent': 'Permanent care home place',
} as const;

const GIVEN_BY = {
  person: 'the person',
  representative: 'their representative',
  'best-interests-decision': 'a best interests decision',
} as const;

const nights = (n: number) => `${n} ${n === 1 ? 'night' : 'nights'}`;
const sentences = (parts: readonly (string | null | false)[]) => parts.filter(Boolean).join(' ');
const iso = (at: Date) => new Date(at).toISOString();

function encounterEvent(e: TimelineRows['encounters'][number]): TimelineEvent {
  const { kind, title } = ENCOUNTERS[e.kind];
  const isStay = e.kind === 'emergency-admission' || e.kind === 'elective-admission';
  return {
    at: e.start_date,
    kind,
    title,
    detail: sentences([
      e.arrival_by_ambulance === true && 'Arrived by ambulance.',
      isStay &&
        e.end_date > e.start_date &&
        `In hospital until ${formatDate(e.end_date)}${e.length_of_stay !== null ? ` (${nights(e.length_of_stay)})` : ''}.`,
      e.primary_diagnosis !== null && `Main diagnosis ${e.primary_diagnosis} (ICD-10).`,
    ]),
    by: null,
  };
}

/** Every event of the person's record, newest first, at most `limit`. */
export function timelineEvents(
  rows: TimelineRows,
  names: TimelineNames,
  limit = TIMELINE_LIMIT,
): TimelineEvent[] {
  const events: TimelineEvent[] = [
    ...rows.encounters.map(encounterEvent),
    ...rows.socialCare.map(
      (s): TimelineEvent => ({
        at: s.start_date,
        kind: 'social-care',
        title: `${SOCIAL_CARE[s.service]} started`,
        detail: s.end_date ? `Ended on ${formatDate(s.end_date)}.` : 'Still going on.',
        by: null,
      }),
    ),
    ...rows.contacts.map(
      (c): TimelineEvent => ({
        at: iso(c.contact_at),
        kind: 'contact',
        title: `${CONTACT_MODE_LABELS[c.mode]}, ${names.team(c.team_id)}`,
        detail: c.note,
        by: c.recorded_by,
      }),
    ),
    ...rows.referrals.flatMap((r): TimelineEvent[] => {
      const team = names.team(r.team_id);
      const made: TimelineEvent = {
        at: iso(r.created_at),
        kind: 'referral',
        title: `${r.urgency === 'urgent' ? 'Urgent referral' : 'Referral'} to ${team}`,
        detail: r.reason,
        by: r.referrer,
      };
      if (r.status === 'awaiting-triage' || r.triaged_at === null) return [made];
      const accepted = r.status === 'accepted';
      return [
        made,
        {
          at: iso(r.triaged_at),
          kind: 'referral',
          title: `Referral ${accepted ? 'accepted' : 'declined'} by ${team}`,
          detail: accepted ? 'A case was opened.' : `Reason: ${r.decline_reason ?? 'not given'}`,
          by: r.triaged_by,
        },
      ];
    }),
    ...rows.versions.map(
      (v): TimelineEvent => ({
        at: iso(v.changed_at),
        kind: v.kind,
        title: `${v.kind === 'case' ? 'Case' : 'Plan'} ${v.version === 1 ? (v.kind === 'case' ? 'opened' : 'started') : 'updated'}, ${names.team(v.team_id)}`,
        detail: `${v.change} (version ${v.version})`,
        by: v.changed_by,
      }),
    ),
    ...rows.reviews.map(
      (r): TimelineEvent => ({
        at: r.held_on,
        kind: 'review',
        title: `Case reviewed, ${names.team(r.team_id)}`,
        detail: sentences([
          r.summary,
          r.next_review_on ? `Next review on ${formatDate(r.next_review_on)}.` : 'No next review set.',
        ]),
        by: r.recorded_by,
      }),
    ),
    ...rows.mdtDiscussions.map(
      (m): TimelineEvent => ({
        at: iso(m.discussed_at),
        kind: 'mdt',
        title: `Discussed at the ${names.team(m.team_id)} MDT meeting on ${formatDate(names.dateInEngland(m.starts_at))}`,
        detail: `Summary: ${m.summary}\nDecisions: ${m.decisions}`,
        by: m.recorded_by,
      }),
    ),
    ...rows.consents.map((c): TimelineEvent => {
      const agencies = c.agencies.map((a) => names.agency(a)).join(', ');
      return {
        at: iso(c.recorded_at),
        kind: 'consent',
        title: `Consent to share ${c.status}, ${names.team(c.team_id)}`,
        detail: sentences([
          `By ${GIVEN_BY[c.given_by]}${c.status === 'given' && agencies ? `, with ${agencies}` : ''}.`,
          `For: ${c.purpose}`,
        ]),
        by: c.recorded_by,
      };
    }),
    ...rows.serviceReferrals.map(
      (r): TimelineEvent => ({
        at: iso(r.at),
        kind: 'service-referral',
        title:
          r.status === 'sent'
            ? `Referred to ${r.service_name}, ${r.organisation_name}`
            : `Referral to ${r.service_name}: ${SERVICE_REFERRAL_STATUS_LABELS[r.status].toLowerCase()}`,
        detail: r.status === 'sent' ? r.reason : (r.note ?? ''),
        by: r.by_name,
      }),
    ),
  ];
  return newestFirst(events, limit);
}

const LOCAL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

/**
 * An event's place in time as England's clock reads it, 'YYYY-MM-DD HH:MM:SS.mmm', or just the date for
 * date-only events, so that a date sorts as the start of its day.
 */
export function orderKey(at: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const part = Object.fromEntries(LOCAL.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}.${part.fractionalSecond}`;
}

/** Newest first (ties keep their order), at most `limit`. */
export function newestFirst(events: readonly TimelineEvent[], limit = TIMELINE_LIMIT): TimelineEvent[] {
  return events
    .map((event) => ({ event, key: orderKey(event.at) }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
    .slice(0, limit)
    .map(({ event }) => event);
}
