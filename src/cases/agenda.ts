// The rules of an MDT meeting, as pure functions: why a person is suggested for the agenda and in what
// order (one item per person, the first reason leading and the others kept in its detail), how a rise
// in risk is read from the bands the team last saw, how the chair's reordering moves items, and who may
// read the minutes and which items they see. The store finds the facts; these decide what they mean.
import { formatDate } from '../core/dates.ts';
import { AGENDA_REASON_LABELS } from '../core/schemas/mdt.ts';
import type { Role } from '../db/database.ts';

/** The reasons an agenda is built from, in the order they lead when a person has several. */
export const SUGGESTED_REASONS = [
  'new-referral',
  'review-due',
  'risk-rose',
  'unplanned-care',
  'nominated',
] as const;
export type SuggestedReason = (typeof SUGGESTED_REASONS)[number];

/**
 * A build fills the agenda up to this many people, most pressing first (new referrals, then reviews
 * longest overdue, …): more than an MDT can discuss helps no one. The chair can still add people, and
 * the build says how many more suggestions are waiting for the next meeting.
 */
export const AGENDA_LIMIT = 30;

/** With no earlier meeting held, unplanned care counts from this many days back. */
export const UNPLANNED_CARE_DAYS = 28;

export interface Suggestion {
  personId: string;
  reason: SuggestedReason;
  detail: string;
  caseId: string | null;
  referralId: string | null;
}

export interface NewAgendaItem extends Suggestion {
  position: number;
}

/**
 * The items a build adds: one per person not on the agenda already (a person the chair removed stays
 * removed), led by their first reason in SUGGESTED_REASONS order with the others named in the detail;
 * ordered by that reason, then as the store listed them, after the items already there.
 */
export function agendaFrom(
  suggestions: readonly Suggestion[],
  onAgenda: ReadonlySet<string>,
  lastPosition: number,
): NewAgendaItem[] {
  return rankedSuggestions(suggestions, onAgenda).map((item, i) => ({
    ...item,
    position: lastPosition + i + 1,
  }));
}

/**
 * As agendaFrom, but only as many as fit on an agenda of `limit` people holding `current` already (those
 * the chair removed count: they were seen); `waiting` says how many more were suggested.
 */
export function agendaWithin(
  suggestions: readonly Suggestion[],
  onAgenda: ReadonlySet<string>,
  lastPosition: number,
  limit = AGENDA_LIMIT,
): { items: NewAgendaItem[]; waiting: number } {
  const all = agendaFrom(suggestions, onAgenda, lastPosition);
  const room = Math.max(0, limit - onAgenda.size);
  return { items: all.slice(0, room), waiting: Math.max(0, all.length - room) };
}

function rankedSuggestions(suggestions: readonly Suggestion[], onAgenda: ReadonlySet<string>): Suggestion[] {
  const byPerson = new Map<string, { first: number; all: Suggestion[] }>();
  suggestions.forEach((s, i) => {
    if (onAgenda.has(s.personId)) return;
    const held = byPerson.get(s.personId);
    if (held) held.all.push(s);
    else byPerson.set(s.personId, { first: i, all: [s] });
  });
  const rank = (s: Suggestion) => SUGGESTED_REASONS.indexOf(s.reason);
  const items = [...byPerson.values()].map(({ all }) => {
    const ordered = all
      .map((s, i) => ({ s, i }))
      .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
      .map((x) => x.s);
    const [lead, ...others] = ordered as [Suggestion, ...Suggestion[]];
    const also = others.map((o) => `${AGENDA_REASON_LABELS[o.reason].toLowerCase()}: ${o.detail}`);
    return {
      lead,
      order: suggestions.indexOf(lead),
      item: {
        ...lead,
        detail: also.length === 0 ? lead.detail : `${lead.detail}. Also ${also.join('; ')}`,
        caseId: ordered.find((s) => s.caseId !== null)?.caseId ?? null,
        referralId: ordered.find((s) => s.referralId !== null)?.referralId ?? null,
      },
    };
  });
  return items.sort((a, b) => rank(a.lead) - rank(b.lead) || a.order - b.order).map(({ item }) => item);
}

// ---- Why a person is suggested, in words ------------------------------------------------------------

const shorten = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

/** The date in England of a moment, 'YYYY-MM-DD'. */
export const dateInEngland = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);

export function referralDetail(r: {
  urgency: 'routine' | 'urgent';
  referrer: string;
  reason: string;
  createdAt: Date;
}) {
  const kind = r.urgency === 'urgent' ? 'Urgent referral' : 'Referral';
  return `${kind} from ${r.referrer} on ${formatDate(dateInEngland(r.createdAt))}: ${shorten(r.reason, 200)}`;
}

/** A review already overdue today, or due by the meeting. */
export function reviewDetail(reviewDueOn: string, today: string) {
  return reviewDueOn < today
    ? `Review overdue since ${formatDate(reviewDueOn)}`
    : `Review due on ${formatDate(reviewDueOn)}`;
}

/** Frailty (eFI) bands, lowest first. */
export const EFI_BANDS = ['fit', 'mild', 'moderate', 'severe'] as const;
/** Hospital Frailty Risk Score bands, lowest first. */
export const HFRS_BANDS = ['low', 'intermediate', 'high'] as const;

/**
 * How the person's risk rose since the team last saw it, e.g. ['Frailty moderate → severe'], or [] if
 * it did not. A band the team never saw counts as the lowest ("not scored"), so a first score above it
 * is a rise. The store's SQL filter says the same (array_position over these band lists).
 */
export function riskRises(
  seen: { efi?: string | undefined; hfrs?: string | undefined },
  now: { efi: string | null; hfrs: string | null },
): string[] {
  const rises: string[] = [];
  const compare = (
    label: string,
    bands: readonly string[],
    before: string | undefined,
    after: string | null,
  ) => {
    if (after === null || !bands.includes(after)) return;
    const from = before !== undefined && bands.includes(before) ? bands.indexOf(before) : 0;
    if (bands.indexOf(after) > from)
      rises.push(`${label} ${bands.includes(before ?? '') ? before : 'not scored'} → ${after}`);
  };
  compare('Frailty', EFI_BANDS, seen.efi, now.efi);
  compare('Hospital frailty risk', HFRS_BANDS, seen.hfrs, now.hfrs);
  return rises;
}

const ENCOUNTER_WORDS: Record<'ed' | 'emergency-admission', string> = {
  ed: 'ED attendance',
  'emergency-admission': 'emergency admission',
};

/** "Emergency admission on 25 November 2026; ED attendance on 20 November 2026", latest first, at most three. */
export function unplannedCareDetail(
  events: readonly { kind: 'ed' | 'emergency-admission'; startDate: string }[],
) {
  const latest = [...events].sort((a, b) => b.startDate.localeCompare(a.startDate));
  const named = latest.slice(0, 3).map((e) => `${ENCOUNTER_WORDS[e.kind]} on ${formatDate(e.startDate)}`);
  const more = latest.length - named.length;
  const text = `${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function nominationDetail(n: { where: string; reason: string; by: string }) {
  return `Nominated at ${n.where} by ${n.by}: ${shorten(n.reason, 200)}`;
}

// ---- The chair's edits -------------------------------------------------------------------------------

/** The agenda's item ids after moving one to a position (1 = first). */
export function moveItem(ids: readonly string[], itemId: string, position: number): string[] {
  const rest = ids.filter((id) => id !== itemId);
  const at = Math.min(Math.max(position, 1), rest.length + 1) - 1;
  return [...rest.slice(0, at), itemId, ...rest.slice(at)];
}

// ---- Who sees what --------------------------------------------------------------------------------

/** A meeting is seen by its team's members and by anyone recorded at it (attending or sending apologies). */
export function maySeeMeeting(
  viewer: { teamId: string | null; practitionerId: string | null },
  meeting: { teamId: string },
  attendance: readonly { practitionerId: string }[],
): boolean {
  if (viewer.teamId === meeting.teamId) return true;
  const practitioner = viewer.practitionerId;
  return practitioner !== null && attendance.some((a) => a.practitionerId === practitioner);
}

/**
 * Minutes reach those who attended (through the practitioner linked to their account) and the lead of
 * the team whose meeting it was; nobody else, whatever their team.
 */
export function mayReadMinutes(
  viewer: { role: Role; teamId: string | null; practitionerId: string | null },
  meeting: { teamId: string },
  attendance: readonly { practitionerId: string; attended: boolean }[],
): boolean {
  if (viewer.role === 'int-lead' && viewer.teamId === meeting.teamId) return true;
  const practitioner = viewer.practitionerId;
  return practitioner !== null && attendance.some((a) => a.attended && a.practitionerId === practitioner);
}

/** Items about people the viewer has a relationship with; the rest only counted. */
export function itemsVisibleTo<T extends { personId: string }>(
  items: readonly T[],
  visible: ReadonlySet<string>,
) {
  const shown = items.filter((i) => visible.has(i.personId));
  return { shown, hidden: items.length - shown.length };
}
