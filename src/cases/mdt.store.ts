// MDT meetings in the database: a team's meetings, the agenda's items, attendance, and the discussion
// of each person, whose agreed actions go into their plan in the same transaction (building the agenda
// from the facts is in mdt-agenda.store.ts). Changes to one meeting's agenda take a lock on the
// meeting, so two builds (or a build and a nomination) never add the same person twice or hand out one
// position twice.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Relationship, relatedPeople } from '../access/relationship.ts';
import type { Staff } from '../access/session.store.ts';
import { formatDate } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import type { ActionInput } from '../core/schemas/case.ts';
import type { AgendaItemOut, AttendeeOut, MeetingSummary } from '../core/schemas/mdt.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database, MdtMeetingTable } from '../db/database.ts';
import { dateInEngland, moveItem } from './agenda.ts';
import { type FoundCase, peopleById, personOut } from './case.store.ts';
import type { Directory } from './organisation.store.ts';
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
  // Read back in the same transaction: a meeting that cannot be answered is not saved either.
  return db.transaction().execute(async (trx) => {
    await trx
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
    return meetingQuery(trx, m.placeId).where('m.id', '=', id).executeTakeFirstOrThrow();
  });
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
export async function lockMeeting(
  trx: Trx,
  meetingId: string,
  allowed: readonly MeetingStatus[],
  doing: string,
) {
  const row = await trx
    .selectFrom('mdt_meeting')
    .select(['id', 'status'])
    .where('id', '=', meetingId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  requireStatus(row, allowed, doing);
}

/** Marks the meeting held; answers it as now saved, read in the same transaction. */
export async function markHeld(db: Db, placeId: string, meetingId: string): Promise<MeetingRow> {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meetingId, ['scheduled'], 'mark it held');
    await trx.updateTable('mdt_meeting').set({ status: 'held' }).where('id', '=', meetingId).execute();
    return meetingQuery(trx, placeId).where('m.id', '=', meetingId).executeTakeFirstOrThrow();
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

/** Replaces the meeting's attendance with this list; answers it as saved, read in the same transaction. */
export async function setAttendance(
  db: Db,
  meetingId: string,
  attendees: readonly { practitionerId: string; agencyId: string; attended: boolean }[],
): Promise<AttendanceRow[]> {
  return db.transaction().execute(async (trx) => {
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
    return attendanceOf(trx, meetingId);
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

export async function nextPosition(trx: Trx, meetingId: string) {
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

// ---- Discussion ------------------------------------------------------------------------------------------

/**
 * Records what the meeting said about one person. Actions agreed go into their plan as a new plan
 * version, in the same transaction; the risk bands the team has now seen are kept on the case, so a
 * later rise puts them back on the agenda. Answers the item as the meeting page shows it, read in the
 * same transaction.
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
): Promise<AgendaItemOut> {
  return db.transaction().execute(async (trx) => {
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
    if (found) {
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
    }
    const saved = await findItem(trx, meeting.id, item.id);
    const [out] = await itemsOut(trx, dir, meeting.place_id, saved ? [saved] : [], today);
    if (!out) throw new AppError('not-found', 'There is no such item on this agenda.');
    return out;
  });
}
