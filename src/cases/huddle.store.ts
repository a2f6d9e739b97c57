// Huddles in the database: a team's latest huddle, starting one (at most one a day), what the board
// shows — only people on the team's open caseload the viewer may see, and referrals to the team awaiting
// triage for its health and social care staff — and the quick outcomes, one per person and item, with
// "discuss at MDT" putting the person on the agenda of the team's next scheduled meeting.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import type { Database, HuddleItem, HuddleOutcome } from '../db/database.ts';
import { byLabel } from './case.store.ts';
import {
  type CaseEb,
  referralsNarrowedTo,
  sharesOnImpliedConsent,
  visibleCase,
} from './case-relationship.ts';
import { type BoardItem, boardItems, boardWindow, mdtReasonDetail, type NewReferralRow } from './huddle.ts';
import type { Directory } from './organisation.store.ts';
import { OPEN_ACTION } from './plan-rules.ts';

type Db = Kysely<Database>;

/** A board never lists more rows than this of each kind; a team with more has bigger problems. */
const BOARD_ROWS = 500;

const huddleColumns = ['id', 'place_id', 'team_id', 'started_at', 'since', 'started_by'] as const;

async function latestHuddle(db: Db, placeId: string, teamId: string) {
  const row = await db
    .selectFrom('huddle')
    .select(huddleColumns)
    .where('place_id', '=', placeId)
    .where('team_id', '=', teamId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
export type Huddle = NonNullable<Awaited<ReturnType<typeof latestHuddle>>>;

/** Today's huddle of the team, if it has started, and where its board's window starts. */
export async function currentHuddle(
  db: Db,
  placeId: string,
  teamId: string,
  now: Date,
  dateInEngland: (at: Date) => string,
) {
  const latest = await latestHuddle(db, placeId, teamId);
  const { current, since } = boardWindow(latest, now, dateInEngland);
  return { huddle: current, since };
}

/**
 * Starts today's huddle, or finds the one already started today. The team's row is locked while
 * deciding, so two people pressing "start" at once make one huddle.
 */
export async function startHuddle(
  db: Db,
  staff: Staff,
  placeId: string,
  teamId: string,
  dateInEngland: (at: Date) => string,
): Promise<{ huddle: Huddle; isNew: boolean }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('team')
      .select('id')
      .where('place_id', '=', placeId)
      .where('id', '=', teamId)
      .forUpdate()
      .execute();
    const now = new Date();
    const latest = await latestHuddle(trx, placeId, teamId);
    const { current, since } = boardWindow(latest, now, dateInEngland);
    if (current) return { huddle: current, isNew: false };
    const huddle = await trx
      .insertInto('huddle')
      .values({
        id: randomUUID(),
        place_id: placeId,
        team_id: teamId,
        started_at: now,
        since,
        started_by: byLabel(staff),
      })
      .returning(huddleColumns)
      .executeTakeFirstOrThrow();
    return { huddle, isNew: true };
  });
}

export async function findHuddle(db: Db, placeId: string, huddleId: string): Promise<Huddle | null> {
  const row = await db
    .selectFrom('huddle')
    .select(huddleColumns)
    .where('place_id', '=', placeId)
    .where('id', '=', huddleId)
    .executeTakeFirst();
  return row ?? null;
}

export interface BoardScope {
  placeId: string;
  teamId: string;
  since: Date;
  /** The date `since` falls on in England: unplanned care on or after it counts. */
  sinceDate: string;
  today: string;
  /** Only this person's items (to check that someone is on the board). */
  personId?: string;
}

/** The board's items for the viewer: only people they may see. */
export async function boardOf(
  db: Db,
  dir: Directory,
  staff: Staff,
  scope: BoardScope,
  dateInEngland: (at: Date) => string,
): Promise<BoardItem[]> {
  const visible = (eb: unknown) => visibleCase(staff)(eb as CaseEb);
  const onePerson = scope.personId;
  const narrowedTo = referralsNarrowedTo(staff);
  const teamCases = db
    .selectFrom('care_case as c')
    .where('c.place_id', '=', scope.placeId)
    .where('c.team_id', '=', scope.teamId)
    .where('c.status', '=', 'open')
    .$if(onePerson !== undefined, (q) => q.where('c.person_id', '=', onePerson ?? ''))
    .where(visible);
  const [unplannedCare, overdue, referrals] = await Promise.all([
    teamCases
      .innerJoin('encounter as e', (j) =>
        j.onRef('e.person_id', '=', 'c.person_id').onRef('e.place_id', '=', 'c.place_id'),
      )
      .select(['c.person_id', 'c.id as case_id', 'e.kind', 'e.start_date'])
      .where('e.kind', 'in', ['ed', 'emergency-admission'])
      .where('e.start_date', '>=', scope.sinceDate)
      .orderBy('e.start_date', 'desc')
      .limit(BOARD_ROWS)
      .execute(),
    teamCases
      .innerJoin('plan_action as a', 'a.case_id', 'c.id')
      .select(['c.person_id', 'c.id as case_id', 'a.description', 'a.owner_practitioner_id', 'a.due_on'])
      .where('a.status', 'in', OPEN_ACTION)
      .where('a.due_on', '<', scope.today)
      .orderBy('a.due_on')
      .limit(BOARD_ROWS)
      .execute(),
    sharesOnImpliedConsent(staff)
      ? db
          .selectFrom('int_referral')
          .select(['id', 'person_id', 'urgency', 'referrer', 'reason', 'created_at'])
          .where('place_id', '=', scope.placeId)
          .where('team_id', '=', scope.teamId)
          .where('status', '=', 'awaiting-triage')
          .where('created_at', '>=', scope.since)
          .$if(onePerson !== undefined, (q) => q.where('person_id', '=', onePerson ?? ''))
          .$if(narrowedTo !== null, (q) =>
            q.where('person_id', 'in', (eb) =>
              eb
                .selectFrom('person')
                .select('id')
                .where('practice_code', '=', narrowedTo ?? ''),
            ),
          )
          .orderBy('created_at')
          .limit(BOARD_ROWS)
          .execute()
      : [],
  ]);
  return boardItems({
    unplannedCare: unplannedCare.map((e) => ({ ...e, kind: e.kind as 'ed' | 'emergency-admission' })),
    overdueActions: overdue.map((a) => ({
      ...a,
      owner: dir.practitioner(a.owner_practitioner_id)?.label ?? a.owner_practitioner_id,
    })),
    newReferrals: referrals.map(
      (r): NewReferralRow => ({ ...r, created_on: dateInEngland(new Date(r.created_at)) }),
    ),
  });
}

/** The outcomes recorded at a huddle, by person and item. */
export async function outcomesOf(db: Db, huddleId: string): Promise<Map<string, HuddleOutcome>> {
  const rows = await db
    .selectFrom('huddle_outcome')
    .select(['person_id', 'item', 'outcome'])
    .where('huddle_id', '=', huddleId)
    .execute();
  return new Map(rows.map((r) => [outcomeKey(r.person_id, r.item), r.outcome]));
}
export const outcomeKey = (personId: string, item: HuddleItem) => `${personId}:${item}`;

export interface AddedToMeeting {
  meetingId: string;
  startsAt: Date;
  location: string;
  /** False when the person was on that meeting's agenda already. */
  isNew: boolean;
  /** The chair had taken them off the agenda (a nomination does not put them back). */
  isRemoved: boolean;
}

/**
 * Records (or changes) the outcome for one item, in one transaction with its consequence: "discuss at
 * MDT" nominates the person for the team's next scheduled meeting, at the end of its agenda, unless
 * they are on it already. Answers which meeting, or null when none is scheduled.
 */
export async function recordOutcome(
  db: Db,
  staff: Staff,
  huddle: Huddle,
  huddleDay: string,
  item: BoardItem,
  outcome: HuddleOutcome,
): Promise<{ recordedAt: Date; addedToMeeting: AddedToMeeting | null }> {
  return db.transaction().execute(async (trx) => {
    const saved = await trx
      .insertInto('huddle_outcome')
      .values({
        huddle_id: huddle.id,
        person_id: item.personId,
        item: item.item,
        outcome,
        recorded_by: byLabel(staff),
        recorded_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['huddle_id', 'person_id', 'item']).doUpdateSet((eb) => ({
          outcome: eb.ref('excluded.outcome'),
          recorded_by: eb.ref('excluded.recorded_by'),
          recorded_at: eb.ref('excluded.recorded_at'),
        })),
      )
      .returning('recorded_at')
      .executeTakeFirstOrThrow();
    if (outcome !== 'discuss-at-mdt') return { recordedAt: saved.recorded_at, addedToMeeting: null };
    const meeting = await trx
      .selectFrom('mdt_meeting')
      .select(['id', 'starts_at', 'location'])
      .where('place_id', '=', huddle.place_id)
      .where('team_id', '=', huddle.team_id)
      .where('status', '=', 'scheduled')
      .where('starts_at', '>', new Date())
      .orderBy('starts_at')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!meeting) return { recordedAt: saved.recorded_at, addedToMeeting: null };
    const added = await trx
      .insertInto('mdt_item')
      .values((eb) => ({
        id: randomUUID(),
        meeting_id: meeting.id,
        place_id: huddle.place_id,
        person_id: item.personId,
        case_id: item.caseId,
        referral_id: item.referralId,
        reason: 'nominated',
        reason_detail: mdtReasonDetail(huddleDay, item.detail),
        position: eb
          .selectFrom('mdt_item')
          .select(sql<number>`coalesce(max(position), 0) + 1`.as('next'))
          .where('meeting_id', '=', meeting.id),
        added_by: byLabel(staff),
      }))
      .onConflict((oc) => oc.columns(['meeting_id', 'person_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const existing = added
      ? null
      : await trx
          .selectFrom('mdt_item')
          .select('removed')
          .where('meeting_id', '=', meeting.id)
          .where('person_id', '=', item.personId)
          .executeTakeFirst();
    return {
      recordedAt: saved.recorded_at,
      addedToMeeting: {
        meetingId: meeting.id,
        startsAt: meeting.starts_at,
        location: meeting.location,
        isNew: added !== undefined,
        isRemoved: existing?.removed ?? false,
      },
    };
  });
}
