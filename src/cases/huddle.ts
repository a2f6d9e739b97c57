// The huddle board's rules, as pure functions: which huddle is today's, how far back the board looks,
// and the board's items — people on the caseload with unplanned hospital care since the last huddle,
// overdue actions, new referrals — each with a line saying why, in that order.
import { formatDate } from '../core/dates.ts';
import type { HuddleItem } from '../db/database.ts';

/** With no earlier huddle, the board looks back this far. */
export const FIRST_HUDDLE_LOOK_BACK_DAYS = 7;

export interface HuddleRow {
  id: string;
  started_at: Date;
  since: Date;
}

/**
 * Today's huddle (the latest, if it started today in England) and where the board's window starts:
 * today's huddle's own start of window; otherwise the latest huddle's start, or a week ago.
 */
export function boardWindow<H extends HuddleRow>(
  latest: H | null,
  now: Date,
  dateInEngland: (at: Date) => string,
): { current: H | null; since: Date } {
  if (latest && dateInEngland(latest.started_at) === dateInEngland(now))
    return { current: latest, since: latest.since };
  const weekAgo = new Date(now.getTime() - FIRST_HUDDLE_LOOK_BACK_DAYS * 86_400_000);
  return { current: null, since: latest?.started_at ?? weekAgo };
}

export interface UnplannedCareRow {
  person_id: string;
  case_id: string;
  kind: 'ed' | 'emergency-admission';
  start_date: string;
}

export interface OverdueActionRow {
  person_id: string;
  case_id: string;
  description: string;
  /** Who owns it, as the directory names them: "Care coordinator, East INT". */
  owner: string;
  due_on: string;
}

export interface NewReferralRow {
  id: string;
  person_id: string;
  urgency: 'routine' | 'urgent';
  referrer: string;
  reason: string;
  /** The day it was made, in England. */
  created_on: string;
}

export interface BoardItem {
  item: HuddleItem;
  personId: string;
  caseId: string | null;
  referralId: string | null;
  detail: string;
}

const UNPLANNED_LABELS = { ed: 'A&E attendance', 'emergency-admission': 'emergency admission' } as const;
/** A referral's reason is cut to this length on the board; the referral itself has it all. */
const REASON_LENGTH = 200;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const clip = (s: string, length: number) => (s.length > length ? `${s.slice(0, length - 1).trimEnd()}…` : s);

/** Rows grouped by person, in the order each person first appears. */
function byPerson<T extends { person_id: string }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.person_id);
    if (group) group.push(row);
    else groups.set(row.person_id, [row]);
  }
  return [...groups.values()];
}

/**
 * The board's items, one per person and kind: unplanned care (most recent first; on the same day, an
 * admission before an A&E attendance), then overdue actions
 * (longest overdue first), then new referrals (urgent first, then oldest first). Each list's rows may
 * come in any order.
 */
export function boardItems(rows: {
  unplannedCare: readonly UnplannedCareRow[];
  overdueActions: readonly OverdueActionRow[];
  newReferrals: readonly NewReferralRow[];
}): BoardItem[] {
  const unplanned = byPerson(
    [...rows.unplannedCare].sort(
      (a, b) => b.start_date.localeCompare(a.start_date) || b.kind.localeCompare(a.kind),
    ),
  ).map((group) => ({
    item: 'unplanned-care' as const,
    personId: group[0]?.person_id ?? '',
    caseId: group[0]?.case_id ?? null,
    referralId: null,
    detail: capitalise(
      group.map((e) => `${UNPLANNED_LABELS[e.kind]} on ${formatDate(e.start_date)}`).join('; '),
    ),
  }));
  const overdue = byPerson(
    [...rows.overdueActions].sort(
      (a, b) => a.due_on.localeCompare(b.due_on) || a.description.localeCompare(b.description),
    ),
  ).map((group) => ({
    item: 'overdue-action' as const,
    personId: group[0]?.person_id ?? '',
    caseId: group[0]?.case_id ?? null,
    referralId: null,
    detail: group.map((a) => `"${a.description}" (${a.owner}) was due on ${formatDate(a.due_on)}`).join('; '),
  }));
  const referrals = [...rows.newReferrals]
    .sort(
      (a, b) =>
        Number(b.urgency === 'urgent') - Number(a.urgency === 'urgent') ||
        a.created_on.localeCompare(b.created_on),
    )
    .map((r) => ({
      item: 'new-referral' as const,
      personId: r.person_id,
      caseId: null,
      referralId: r.id,
      detail: `${r.urgency === 'urgent' ? 'Urgent referral' : 'Referral'} from ${r.referrer} on ${formatDate(r.created_on)}: ${clip(r.reason, REASON_LENGTH)}`,
    }));
  return [...unplanned, ...overdue, ...referrals];
}

/** What the agenda says of someone the huddle sent to the MDT. */
export const mdtReasonDetail = (huddleDay: string, detail: string) =>
  clip(`From the huddle on ${formatDate(huddleDay)}: ${detail}`, 1000);
