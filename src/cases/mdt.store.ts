// MDT meetings in the database: a team's meetings, the facts its agenda is built from, the agenda's
// items, attendance, and the discussion of each person, whose agreed actions go into their plan in the
// same transaction. Changes to one meeting's agenda take a lock on the meeting, so two builds (or a
// build and a nomination) never add the same person twice or hand out one position twice.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Relationship, relatedPeople } from '../access/relationship.ts';
import type { Staff } from '../access/session.store.ts';
import { formatDate } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import type { ActionInput, AgendaItemOut, AttendeeOut, MeetingSummary } from '../core/schemas/case.ts';
import type { Database, MdtMeetingTable } from '../db/database.ts';
import {
  agendaWithin,
  dateInEngland,
  EFI_BANDS,
  HFRS_BANDS,
  moveItem,
  nominationDetail,
  referralDetail,
  reviewDetail,
  riskRises,
  type Suggestion,
  unplannedCareDetail,
} from './agenda.ts';
import { anyOf, type FoundCase, peopleById, personOut } from './case.store.ts';
import type { Directory, Team } from './organisation.store.ts';
import { actionOut, addActions } from './plan.store.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type MeetingStatus = MdtMeetingTable['status'];

// ---- Meetings ------------------------------------------------------------------------------------------

function meetingQuery(db: Db | Trx, placeId: string) {
  return db
    .selectFrom('mdt_meeting as m')
    .selectAll('m')
    .select(
      sql<number>`(select count(*)::int from mdt_item i where i.meeting_id = m.id and not i.removed)`.as(
        'people',
      ),
    )
    .where('m.place_id', '=', placeId);
}
export type MeetingRow = Awaited<ReturnType<ReturnType<typeof meetingQuery>['executeTakeFirstOrThrow']>>;

export async function findMeeting(db: Db, placeId: string, meetingId: string): Promise<MeetingRow | null> {
  return (await meetingQuery(db, placeId).where('m.id', '=', meetingId).executeTakeFirst()) ?? null;
}

/** A team's meetings: those still to come (or under way since `upcomingFrom`) soonest first, then past ones latest first. */
export function meetingsOfTeam(db: Db, placeId: string, teamId: string, upcomingFrom: Date) {
  return meetingQuery(db, placeId)
    .where('m.team_id', '=', teamId)
    .orderBy(sql`m.starts_at < ${upcomingFrom}`)
    .orderBy(sql`case when m.starts_at >= ${upcomingFrom} then m.starts_at end`)
    .orderBy('m.starts_at', 'desc')
    .limit(100)
    .execute();
}

export async function createMeeting(
  db: Db,
  m: { placeId: string; teamId: string; startsAt: Date; location: string; createdBy: string },
): Promise<MeetingRow> {
  const id = randomUUID();
  await db
    .insertInto('mdt_meeting')
    .values({
      id,
      place_id: m.placeId,
      team_id: m.teamId,
      starts_at: m.startsAt,
      location: m.location,
      status: 'scheduled',
      agenda_built_at: null,
      created_by: m.createdBy,
    })
    .execute();
  return meetingQuery(db, m.placeId).where('m.id', '=', id).executeTakeFirstOrThrow();
}

export function meetingSummaryOut(row: MeetingRow, dir: Directory): MeetingSummary {
  return {
    id: row.id,
    teamId: row.team_id,
    teamName: dir.teams.find((t) => t.id === row.team_id)?.name ?? row.team_id,
    startsAt: new Date(row.starts_at).toISOString(),
    location: row.location,
    status: row.status,
    people: row.people,
  };
}

const STATUS_WORDS: Record<MeetingStatus, string> = {
  scheduled: 'is still to be held',
  held: 'has been held',
  cancelled: 'was cancelled',
};

/** A 422 unless the meeting is in one of these states. */
export function requireStatus(
  meeting: { status: MeetingStatus },
  allowed: readonly MeetingStatus[],
  doing: string,
) {
  if (allowed.includes(meeting.status)) return;
  const message = `This meeting ${STATUS_WORDS[meeting.status]}, so you cannot ${doing}.`;
  throw fieldError('business-rule', 'meetingId', message);
}

/** Locks the meeting for the rest of the transaction and checks it is still in a state that allows the change. */
async function lockMeeting(trx: Trx, meetingId: string, allowed: readonly MeetingStatus[], doing: string) {
  const row = await trx
    .selectFrom('mdt_meeting')
    .select(['id', 'status'])
    .where('id', '=', meetingId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  requireStatus(row, allowed, doing);
}

export async function markHeld(db: Db, meetingId: string) {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meetingId, ['scheduled'], 'mark it held');
    await trx.updateTable('mdt_meeting').set({ status: 'held' }).where('id', '=', meetingId).execute();
  });
}

// ---- Attendance ------------------------------------------------------------------------------------------

export function attendanceOf(db: Db, meetingId: string) {
  return db
    .selectFrom('mdt_attendance')
    .select(['practitioner_id', 'agency_id', 'attended'])
    .where('meeting_id', '=', meetingId)
    .execute();
}
export type AttendanceRow = Awaited<ReturnType<typeof attendanceOf>>[number];

/** Attendees in the directory's order (by team, then role), with their agency as recorded. */
export function attendeesOut(rows: readonly AttendanceRow[], dir: Directory): AttendeeOut[] {
  const order = new Map(dir.practitioners.map((p, i) => [p.id, i]));
  return [...rows]
    .sort((a, b) => (order.get(a.practitioner_id) ?? 1e9) - (order.get(b.practitioner_id) ?? 1e9))
    .map((r) => ({
      practitioner: dir.practitioner(r.practitioner_id) ?? {
        id: r.practitioner_id,
        title: r.practitioner_id,
        teamId: null,
        agencyId: r.agency_id,
        agencyName: dir.agencyName(r.agency_id),
        label: r.practitioner_id,
      },
      agencyName: dir.agencyName(r.agency_id),
      attended: r.attended,
    }));
}

/** Replaces the meeting's attendance with this list. */
export async function setAttendance(
  db: Db,
  meetingId: string,
  attendees: readonly { practitionerId: string; agencyId: string; attended: boolean }[],
) {
  await db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meetingId, ['scheduled', 'held'], 'record its attendance');
    await trx.deleteFrom('mdt_attendance').where('meeting_id', '=', meetingId).execute();
    if (attendees.length > 0)
      await trx
        .insertInto('mdt_attendance')
        .values(
          attendees.map((a) => ({
            meeting_id: meetingId,
            practitioner_id: a.practitionerId,
            agency_id: a.agencyId,
            attended: a.attended,
          })),
        )
        .execute();
  });
}

// ---- Agenda items ------------------------------------------------------------------------------------------

export function itemsOf(db: Db, meetingId: string) {
  return db
    .selectFrom('mdt_item')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
export type ItemRow = Awaited<ReturnType<typeof itemsOf>>[number];

export async function findItem(db: Db, meetingId: string, itemId: string): Promise<ItemRow | null> {
  const row = await db
    .selectFrom('mdt_item')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('id', '=', itemId)
    .executeTakeFirst();
  return row ?? null;
}

/** Items as the meeting page and the minutes show them: the person, and the actions agreed for them. */
export async function itemsOut(
  db: Db,
  dir: Directory,
  placeId: string,
  rows: readonly ItemRow[],
  today: string,
): Promise<AgendaItemOut[]> {
  if (rows.length === 0) return [];
  const [people, actions] = await Promise.all([
    peopleById(
      db,
      placeId,
      rows.map((r) => r.person_id),
    ),
    db
      .selectFrom('plan_action')
      .selectAll()
      .where('mdt_item_id', '=', anyOf(rows.map((r) => r.id)))
      .orderBy('due_on')
      .orderBy('created_at')
      .execute(),
  ]);
  return rows.flatMap((r) => {
    const person = people.get(r.person_id);
    if (!person) return [];
    return [
      {
        id: r.id,
        position: r.position,
        reason: r.reason,
        reasonDetail: r.reason_detail,
        person: personOut(person, today),
        caseId: r.case_id,
        referralId: r.referral_id,
        removed: r.removed,
        addedBy: r.added_by,
        summary: r.summary,
        decisions: r.decisions,
        discussed: r.discussed_at !== null,
        recordedBy: r.recorded_by,
        actions: actions.filter((a) => a.mdt_item_id === r.id).map((a) => actionOut(a, dir, today)),
      },
    ];
  });
}

/** Of these people, those the viewer has a relationship with (break-glass opens one record, never a list). */
export async function peopleVisibleTo(
  db: Db,
  relationships: readonly Relationship[],
  placeId: string,
  personIds: readonly string[],
): Promise<Set<string>> {
  const listable = relationships.filter((r) => r.name !== 'break-glass');
  if (personIds.length === 0 || listable.length === 0) return new Set();
  const rows = await relatedPeople(db, listable, placeId).where('person.id', '=', anyOf(personIds)).execute();
  return new Set(rows.map((r) => r.id));
}

/** The person's open case with the team and their referral to it awaiting triage, if any. */
async function caseAndReferral(db: Db | Trx, teamId: string, personId: string) {
  const [open, waiting] = await Promise.all([
    db
      .selectFrom('care_case')
      .select('id')
      .where('team_id', '=', teamId)
      .where('person_id', '=', personId)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('int_referral')
      .select('id')
      .where('team_id', '=', teamId)
      .where('person_id', '=', personId)
      .where('status', '=', 'awaiting-triage')
      .executeTakeFirst(),
  ]);
  return { caseId: open?.id ?? null, referralId: waiting?.id ?? null };
}

/** The id of the person's open case with the team, if they have one. */
export async function openCaseIdOf(db: Db, teamId: string, personId: string): Promise<string | null> {
  return (await caseAndReferral(db, teamId, personId)).caseId;
}

async function nextPosition(trx: Trx, meetingId: string) {
  const row = await trx
    .selectFrom('mdt_item')
    .select(sql<number>`coalesce(max(position), 0)::int`.as('last'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirstOrThrow();
  return row.last;
}

/** Adds one person to the agenda, last; a person already on it (or removed from it) is a 409. */
export async function addItem(
  db: Db,
  meeting: MeetingRow,
  item: {
    personId: string;
    reason: 'nominated' | 'added-by-chair';
    detail: string;
    addedBy: string;
    field: string;
  },
): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meeting.id, ['scheduled'], 'add to its agenda');
    const there = await trx
      .selectFrom('mdt_item')
      .select('removed')
      .where('meeting_id', '=', meeting.id)
      .where('person_id', '=', item.personId)
      .executeTakeFirst();
    if (there) {
      const message = there.removed
        ? 'This person was on the agenda and the chair removed them; ask the chair to put them back.'
        : 'This person is on the agenda already.';
      throw new AppError('conflict', message, [
        { diagnostics: `${item.field}: ${message}`, expression: [item.field] },
      ]);
    }
    const { caseId, referralId } = await caseAndReferral(trx, meeting.team_id, item.personId);
    await trx
      .insertInto('mdt_item')
      .values({
        id,
        meeting_id: meeting.id,
        place_id: meeting.place_id,
        person_id: item.personId,
        case_id: caseId,
        referral_id: referralId,
        reason: item.reason,
        reason_detail: item.detail,
        position: (await nextPosition(trx, meeting.id)) + 1,
        discussed_at: null,
        recorded_by: null,
        added_by: item.addedBy,
      })
      .execute();
  });
  return id;
}

/** Moves an item, or takes it off the agenda or puts it back; answers the agenda's new order. */
export async function changeItem(
  db: Db,
  meetingId: string,
  itemId: string,
  change: { position?: number | undefined; removed?: boolean | undefined },
) {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meetingId, ['scheduled'], 'change its agenda');
    const items = await trx
      .selectFrom('mdt_item')
      .select(['id', 'position', 'removed'])
      .where('meeting_id', '=', meetingId)
      .orderBy('position')
      .orderBy('id')
      .execute();
    if (!items.some((i) => i.id === itemId))
      throw new AppError('not-found', 'There is no such item on this agenda.');
    if (change.position !== undefined && change.position > items.length) {
      const message = `position: the agenda has ${items.length} items; choose a position from 1 to ${items.length}.`;
      throw fieldError('invalid', 'position', message);
    }
    if (change.removed !== undefined)
      await trx.updateTable('mdt_item').set({ removed: change.removed }).where('id', '=', itemId).execute();
    const ids = items.map((i) => i.id);
    const order = change.position === undefined ? ids : moveItem(ids, itemId, change.position);
    await sql`
      update mdt_item as i set position = v.position::int
      from unnest(${order}::uuid[]) with ordinality as v(id, position)
      where i.id = v.id and i.meeting_id = ${meetingId} and i.position <> v.position`.execute(trx);
    return trx
      .selectFrom('mdt_item')
      .select(['id', 'position', 'removed'])
      .where('meeting_id', '=', meetingId)
      .orderBy('position')
      .execute();
  });
}

// ---- Building the agenda ------------------------------------------------------------------------------

/** When the team last met (its latest held meeting before this one), or null. */
export async function previousMeetingAt(db: Db, meeting: MeetingRow): Promise<Date | null> {
  const row = await db
    .selectFrom('mdt_meeting')
    .select(sql<Date | null>`max(starts_at)`.as('at'))
    .where('team_id', '=', meeting.team_id)
    .where('place_id', '=', meeting.place_id)
    .where('status', '=', 'held')
    .where('starts_at', '<', meeting.starts_at)
    .where('id', '<>', meeting.id)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

export interface AgendaWindow {
  /** The meeting's date in England: reviews due on or before it are suggested. */
  meetingDate: string;
  /** Since the team last met: unplanned care and nominations after this are suggested. */
  since: Date;
  /** Today in England: a review due before it is overdue. */
  today: string;
}

/**
 * Everyone the agenda suggests for the team, by reason, each reason's people in the order they should
 * be discussed. Set-based: one query per reason over the team's open caseload and referrals.
 */
export async function suggestionsFor(db: Db, meeting: MeetingRow, team: Team, window: AgendaWindow) {
  const placeId = meeting.place_id;
  const teamId = meeting.team_id;
  // An encounter carries a date only: one on the day of the last meeting may have come after it.
  const sinceDate = dateInEngland(window.since);
  const openCases = () =>
    db
      .selectFrom('care_case as c')
      .where('c.place_id', '=', placeId)
      .where('c.team_id', '=', teamId)
      .where('c.status', '=', 'open');
  const efi = sql.val([...EFI_BANDS]);
  const hfrs = sql.val([...HFRS_BANDS]);
  const neighbourhood = team.neighbourhoodCode;
  const [referrals, reviews, risks, unplanned, worklists, huddles] = await Promise.all([
    db
      .selectFrom('int_referral')
      .select(['id', 'person_id', 'urgency', 'referrer', 'reason', 'created_at'])
      .where('place_id', '=', placeId)
      .where('team_id', '=', teamId)
      .where('status', '=', 'awaiting-triage')
      .orderBy('urgency', 'desc')
      .orderBy('created_at')
      .execute(),
    openCases()
      .select(['c.id', 'c.person_id', 'c.review_due_on'])
      .where('c.review_due_on', '<=', window.meetingDate)
      .orderBy('c.review_due_on')
      .execute(),
    openCases()
      .innerJoin('person_risk as r', (j) =>
        j.onRef('r.person_id', '=', 'c.person_id').onRef('r.place_id', '=', 'c.place_id'),
      )
      .select(['c.id', 'c.person_id', 'c.risk_seen', 'r.efi_band', 'r.hfrs_band'])
      .where(
        sql<boolean>`(coalesce(array_position(${efi}::text[], c.risk_seen->>'efi'), 1) < array_position(${efi}::text[], r.efi_band)
          or coalesce(array_position(${hfrs}::text[], c.risk_seen->>'hfrs'), 1) < array_position(${hfrs}::text[], r.hfrs_band))`,
      )
      .orderBy('r.efi_score', 'desc')
      .execute(),
    openCases()
      .innerJoin('encounter as e', (j) =>
        j.onRef('e.person_id', '=', 'c.person_id').onRef('e.place_id', '=', 'c.place_id'),
      )
      .select(['c.id', 'c.person_id', 'e.kind', 'e.start_date'])
      .where('e.kind', 'in', ['ed', 'emergency-admission'])
      .where('e.start_date', '>=', sinceDate)
      .orderBy('e.start_date', 'desc')
      .execute(),
    neighbourhood === null
      ? Promise.resolve([])
      : db
          .selectFrom('worklist_decision as d')
          .innerJoin('worklist as w', 'w.id', 'd.worklist_id')
          .select(['d.person_id', 'd.reason', 'd.decided_by', 'd.decided_at', 'w.name'])
          .where('w.place_id', '=', placeId)
          .where((eb) =>
            eb.or([
              eb.and([eb('w.scope', '=', 'neighbourhood'), eb('w.scope_code', '=', neighbourhood)]),
              eb.and([
                eb('w.scope', '=', 'practice'),
                eb(
                  'w.scope_code',
                  'in',
                  eb
                    .selectFrom('practice')
                    .select('ods_code')
                    .where('place_id', '=', placeId)
                    .where('neighbourhood_code', '=', neighbourhood),
                ),
              ]),
            ]),
          )
          .where('d.decision', '=', 'discuss-at-mdt')
          .where('d.decided_at', '>', window.since)
          // Only where that is still the latest decision about the person on that worklist.
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('worklist_decision as later')
                  .select(sql`1`.as('one'))
                  .whereRef('later.worklist_id', '=', 'd.worklist_id')
                  .whereRef('later.person_id', '=', 'd.person_id')
                  .whereRef('later.decided_at', '>', 'd.decided_at'),
              ),
            ),
          )
          .orderBy('d.decided_at')
          .execute(),
    db
      .selectFrom('huddle_outcome as o')
      .innerJoin('huddle as h', 'h.id', 'o.huddle_id')
      .select(['o.person_id', 'o.item', 'o.recorded_by', 'h.started_at'])
      .where('h.place_id', '=', placeId)
      .where('h.team_id', '=', teamId)
      .where('o.outcome', '=', 'discuss-at-mdt')
      .where('o.recorded_at', '>', window.since)
      .orderBy('o.recorded_at')
      .execute(),
  ]);

  const suggestions: Suggestion[] = [];
  for (const r of referrals)
    suggestions.push({
      personId: r.person_id,
      reason: 'new-referral',
      detail: referralDetail({ ...r, createdAt: new Date(r.created_at) }),
      caseId: null,
      referralId: r.id,
    });
  for (const c of reviews)
    suggestions.push({
      personId: c.person_id,
      reason: 'review-due',
      detail: reviewDetail(c.review_due_on ?? window.meetingDate, window.today),
      caseId: c.id,
      referralId: null,
    });
  for (const c of risks) {
    const rises = riskRises(c.risk_seen, { efi: c.efi_band, hfrs: c.hfrs_band });
    if (rises.length > 0)
      suggestions.push({
        personId: c.person_id,
        reason: 'risk-rose',
        detail: rises.join('; '),
        caseId: c.id,
        referralId: null,
      });
  }
  const byPerson = new Map<
    string,
    { caseId: string; events: { kind: 'ed' | 'emergency-admission'; startDate: string }[] }
  >();
  for (const e of unplanned) {
    const held = byPerson.get(e.person_id) ?? { caseId: e.id, events: [] };
    held.events.push({ kind: e.kind as 'ed' | 'emergency-admission', startDate: e.start_date });
    byPerson.set(e.person_id, held);
  }
  for (const [personId, { caseId, events }] of byPerson)
    suggestions.push({
      personId,
      reason: 'unplanned-care',
      detail: unplannedCareDetail(events),
      caseId,
      referralId: null,
    });
  for (const d of worklists)
    suggestions.push({
      personId: d.person_id,
      reason: 'nominated',
      detail: nominationDetail({ where: `the worklist "${d.name}"`, reason: d.reason, by: d.decided_by }),
      caseId: null,
      referralId: null,
    });
  for (const h of huddles)
    suggestions.push({
      personId: h.person_id,
      reason: 'nominated',
      detail: nominationDetail({
        where: `the huddle on ${formatDate(dateInEngland(new Date(h.started_at)))}`,
        reason: HUDDLE_ITEM_WORDS[h.item],
        by: h.recorded_by,
      }),
      caseId: null,
      referralId: null,
    });
  return suggestions;
}

const HUDDLE_ITEM_WORDS = {
  'unplanned-care': 'unplanned care since the last huddle',
  'overdue-action': 'an overdue action',
  'new-referral': 'a new referral',
} as const;

/**
 * Adds the suggested people not yet on the agenda, after the items already there. Nominations found
 * only from a worklist or a huddle get the person's open case or waiting referral, when they have one.
 */
export async function buildAgenda(
  db: Db,
  meeting: MeetingRow,
  suggestions: readonly Suggestion[],
  addedBy: string,
) {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meeting.id, ['scheduled'], 'build its agenda');
    const onAgenda = await trx
      .selectFrom('mdt_item')
      .select('person_id')
      .where('meeting_id', '=', meeting.id)
      .execute();
    const { items, waiting } = agendaWithin(
      suggestions,
      new Set(onAgenda.map((i) => i.person_id)),
      await nextPosition(trx, meeting.id),
    );
    const builtAt = new Date();
    if (items.length > 0) {
      await trx
        .insertInto('mdt_item')
        .values(
          items.map((i) => ({
            id: randomUUID(),
            meeting_id: meeting.id,
            place_id: meeting.place_id,
            person_id: i.personId,
            case_id: i.caseId,
            referral_id: i.referralId,
            reason: i.reason,
            reason_detail: i.detail,
            position: i.position,
            discussed_at: null,
            recorded_by: null,
            added_by: addedBy,
          })),
        )
        .execute();
      // Worklist and huddle nominations name no case or referral: fill them in from the team's records.
      await sql`
        update mdt_item as i set
          case_id = coalesce(i.case_id, (select c.id from care_case c
            where c.person_id = i.person_id and c.team_id = ${meeting.team_id} and c.status = 'open')),
          referral_id = coalesce(i.referral_id, (select r.id from int_referral r
            where r.person_id = i.person_id and r.team_id = ${meeting.team_id} and r.status = 'awaiting-triage'))
        where i.meeting_id = ${meeting.id} and i.reason = 'nominated' and i.case_id is null`.execute(trx);
    }
    await trx
      .updateTable('mdt_meeting')
      .set({ agenda_built_at: builtAt })
      .where('id', '=', meeting.id)
      .execute();
    return { added: items.map((i) => i.personId), waiting, builtAt };
  });
}

// ---- Discussion ------------------------------------------------------------------------------------------

/**
 * Records what the meeting said about one person. Actions agreed go into their plan as a new plan
 * version, in the same transaction; the risk bands the team has now seen are kept on the case, so a
 * later rise puts them back on the agenda.
 */
export async function recordDiscussion(
  db: Db,
  dir: Directory,
  staff: Staff,
  meeting: MeetingRow,
  item: ItemRow,
  found: FoundCase | null,
  input: { summary: string; decisions: string; actions: Omit<ActionInput, 'id' | 'status'>[] },
  today: string,
) {
  await db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meeting.id, ['scheduled', 'held'], 'record a discussion');
    await trx
      .updateTable('mdt_item')
      .set({
        summary: input.summary,
        decisions: input.decisions,
        discussed_at: new Date(),
        recorded_by: staff.name,
        case_id: item.case_id ?? found?.id ?? null,
      })
      .where('id', '=', item.id)
      .execute();
    if (!found) return;
    const seen = { efi: found.efi_band ?? undefined, hfrs: found.hfrs_band ?? undefined };
    await trx
      .updateTable('care_case')
      .set({ risk_seen: JSON.stringify(seen) })
      .where('id', '=', found.id)
      .execute();
    if (input.actions.length > 0) {
      const n = input.actions.length;
      const change = `MDT on ${formatDate(dateInEngland(new Date(meeting.starts_at)))}: ${n} action${n === 1 ? '' : 's'} agreed`;
      await addActions(trx, dir, staff, found, input.actions, 'mdt', item.id, change, today);
    }
  });
}
