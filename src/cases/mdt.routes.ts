// HTTP for MDT meetings: an Integrated Neighbourhood Team's meetings, the agenda built for the chair
// (which the chair may reorder, trim and add to, and any member nominate to), attendance by agency,
// the discussion of each person with actions that land in their plan, and minutes that reach only
// those who attended, showing each of them only the people they have a relationship with.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf } from '../access/access.plugin.ts';
import { sendRemembered } from '../access/remembered.ts';
import { todayInEngland } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import { itemIdParam, meetingIdParam, teamIdParam } from '../core/schemas/case.ts';
import {
  agendaBuilt,
  agendaItemInput,
  agendaItemOut,
  agendaItemUpdate,
  agendaOrder,
  attendanceInput,
  attendanceList,
  discussionInput,
  meetingDetail,
  meetingInput,
  meetingList,
  meetingMinutes,
  meetingSummary,
} from '../core/schemas/mdt.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import {
  AGENDA_LIMIT,
  itemsVisibleTo,
  mayReadMinutes,
  maySeeMeeting,
  UNPLANNED_CARE_DAYS,
} from './agenda.ts';
import { findCase } from './case.store.ts';
import {
  addItem,
  attendanceOf,
  attendeesOut,
  changeItem,
  createMeeting,
  findItem,
  findMeeting,
  itemsOf,
  itemsOut,
  type MeetingRow,
  markHeld,
  meetingSummaryOut,
  meetingsOfTeam,
  openCaseIdOf,
  peopleVisibleTo,
  recordDiscussion,
  requireStatus,
  setAttendance,
} from './mdt.store.ts';
import { buildAgenda, previousMeetingAt, suggestionsFor } from './mdt-agenda.store.ts';
import { namedPerson } from './named-person.ts';
import { directory, ownTeamOrThrow, practitionerOrThrow, teamOf } from './organisation.store.ts';

const errors = {
  400: operationOutcome,
  404: operationOutcome,
  409: operationOutcome,
  422: operationOutcome,
  503: operationOutcome,
};
const tags = ['MDT meetings'];
const created = z.object({ id: z.string() });
const DAY_MS = 86_400_000;
/** A meeting under way for this long after its start still counts as upcoming. */
const UNDER_WAY_MS = 4 * 3_600_000;

export function mdtRoutes(app: App, db: Kysely<Database>): void {
  const teamParams = z.object({ placeId: placeIdParam, teamId: teamIdParam });
  const meetingParams = z.object({ placeId: placeIdParam, meetingId: meetingIdParam });
  const itemParams = z.object({ placeId: placeIdParam, meetingId: meetingIdParam, itemId: itemIdParam });

  const notFound = () => new AppError('not-found', 'There is no MDT meeting you can see with this id.');

  /** The meeting, for its team's members and those recorded at it; anyone else: "not found", audited as refused. */
  async function load(access: Access, placeId: string, meetingId: string, action: 'read' | 'write') {
    const [meeting, team] = await Promise.all([
      findMeeting(db, placeId, meetingId),
      teamOf(db, access.staff),
    ]);
    const attendance = meeting ? await attendanceOf(db, meeting.id) : [];
    const viewer = { teamId: team?.id ?? null, practitionerId: access.staff.practitionerId };
    const attendees = attendance.map((a) => ({ practitionerId: a.practitioner_id, attended: a.attended }));
    if (!meeting || !maySeeMeeting(viewer, { teamId: meeting.team_id }, attendees)) {
      access.audit({ action, personIds: [], purpose: 'direct-care', relationship: null, outcome: 'denied' });
      throw notFound();
    }
    return {
      meeting,
      attendance,
      isChair: access.staff.role === 'int-lead' && viewer.teamId === meeting.team_id,
    };
  }

  /** The meeting, for the lead of its own team (the matrix lets only INT leads call these routes). */
  async function loadAsChair(access: Access, placeId: string, meetingId: string) {
    const loaded = await load(access, placeId, meetingId, 'write');
    if (!loaded.isChair) {
      access.audit({
        action: 'write',
        personIds: [],
        purpose: 'direct-care',
        relationship: null,
        outcome: 'denied',
      });
      throw notFound();
    }
    return loaded.meeting;
  }

  /** The agenda's items the viewer may see, as shown, and how many others there are. */
  async function visibleItems(access: Access, meeting: MeetingRow, withRemoved: boolean) {
    const rows = (await itemsOf(db, meeting.id)).filter((r) => withRemoved || !r.removed);
    const visible = await peopleVisibleTo(
      db,
      await access.relationships(),
      meeting.place_id,
      rows.map((r) => r.person_id),
    );
    const { shown, hidden } = itemsVisibleTo(
      rows.map((r) => ({ ...r, personId: r.person_id })),
      visible,
    );
    const dir = await directory(db, meeting.place_id);
    const items = await itemsOut(db, dir, meeting.place_id, shown, todayInEngland());
    access.audit({
      action: 'read',
      personIds: items.map((i) => i.person.id),
      purpose: 'direct-care',
      relationship: 'mdt meeting',
      outcome: 'allowed',
    });
    return { items, hidden, dir };
  }

  app.get(
    '/api/places/:placeId/teams/:teamId/mdt-meetings',
    {
      schema: {
        tags,
        summary: "A team's MDT meetings: those to come, soonest first, then past ones",
        params: teamParams,
        response: { 200: meetingList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, teamId } = req.params;
      await ownTeamOrThrow(db, access.staff, teamId);
      const [dir, rows] = await Promise.all([
        directory(db, placeId),
        meetingsOfTeam(db, placeId, teamId, new Date(Date.now() - UNDER_WAY_MS)),
      ]);
      return { meetings: rows.map((r) => meetingSummaryOut(r, dir)) };
    },
  );

  app.post(
    '/api/places/:placeId/teams/:teamId/mdt-meetings',
    {
      schema: {
        tags,
        summary: 'Schedule an MDT meeting for your team (its INT lead chairs it)',
        params: teamParams,
        body: meetingInput,
        response: { 201: meetingSummary, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId, teamId } = req.params;
      await ownTeamOrThrow(db, access.staff, teamId);
      const startsAt = new Date(req.body.startsAt);
      if (Math.abs(startsAt.getTime() - Date.now()) > 366 * DAY_MS) {
        const message = 'startsAt: a meeting must be within a year of today.';
        throw fieldError('invalid', 'startsAt', message);
      }
      const dir = await directory(db, placeId);
      const row = await createMeeting(db, {
        placeId,
        teamId,
        startsAt,
        location: req.body.location,
        createdBy: access.staff.name,
      });
      reply.code(201);
      return meetingSummaryOut(row, dir);
    },
  );

  app.get(
    '/api/places/:placeId/mdt-meetings/:meetingId',
    {
      schema: {
        tags,
        summary: 'One MDT meeting: its agenda, attendance and what was decided',
        description:
          'For the members of the meeting’s team and those recorded at it. The agenda shows only people the viewer has a relationship with; the others are counted in hiddenItems. Items the chair removed are listed with removed: true. What was said and agreed (summary, decisions, actions) is shown only to those who may read the minutes: attendees and the team’s lead.',
        params: meetingParams,
        response: { 200: meetingDetail, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId, meetingId } = req.params;
      return sendRemembered(db, req, reply, access, meetingDetail, async () => {
        const { meeting, attendance, isChair } = await load(access, placeId, meetingId, 'read');
        const { items, hidden, dir } = await visibleItems(access, meeting, true);
        // What was said and agreed is the minutes': only for those who may read them.
        const readsMinutes = mayReadMinutes(
          {
            role: access.staff.role,
            teamId: access.staff.careTeamId,
            practitionerId: access.staff.practitionerId,
          },
          { teamId: meeting.team_id },
          attendance.map((a) => ({ practitionerId: a.practitioner_id, attended: a.attended })),
        );
        return {
          meeting: {
            ...meetingSummaryOut(meeting, dir),
            agendaBuiltAt: meeting.agenda_built_at ? new Date(meeting.agenda_built_at).toISOString() : null,
          },
          items: readsMinutes ? items : items.map((i) => ({ ...i, summary: '', decisions: '', actions: [] })),
          hiddenItems: hidden,
          attendance: attendeesOut(attendance, dir),
          isChair,
        };
      });
    },
  );

  app.post(
    '/api/places/:placeId/mdt-meetings/:meetingId/agenda',
    {
      schema: {
        tags,
        summary: 'Build the agenda: add everyone suggested who is not on it yet',
        description: `New referrals awaiting triage; open cases whose review is due by the meeting; people on the caseload whose frailty or hospital frailty risk band rose since the team last saw it; people on the caseload with an ED attendance or emergency admission since the team last met (or in the last ${UNPLANNED_CARE_DAYS} days); people nominated for the MDT at one of the neighbourhood's worklists or at a huddle since then. One item per person, led by the first of those reasons. People the chair removed are not added back. The agenda is filled up to ${AGENDA_LIMIT} people, most pressing first; \`waiting\` says how many more were suggested.`,
        params: meetingParams,
        response: { 200: agendaBuilt, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId } = req.params;
      const meeting = await loadAsChair(access, placeId, req.params.meetingId);
      requireStatus(meeting, ['scheduled'], 'build its agenda');
      const [dir, previous] = await Promise.all([directory(db, placeId), previousMeetingAt(db, meeting)]);
      const team = dir.teams.find((t) => t.id === meeting.team_id);
      if (!team) throw notFound();
      const suggestions = await suggestionsFor(db, meeting, team, {
        meetingDate: todayInEngland(new Date(meeting.starts_at)),
        since: previous ?? new Date(Date.now() - UNPLANNED_CARE_DAYS * DAY_MS),
        today: todayInEngland(),
      });
      const built = await buildAgenda(db, meeting, suggestions, access.staff.name);
      access.audit({
        action: 'write',
        personIds: built.added,
        purpose: 'direct-care',
        relationship: 'mdt chair',
        outcome: 'allowed',
        detail: 'agenda built',
      });
      return {
        added: built.added.length,
        waiting: built.waiting,
        limit: AGENDA_LIMIT,
        agendaBuiltAt: built.builtAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/places/:placeId/mdt-meetings/:meetingId/agenda/items',
    {
      schema: {
        tags,
        summary: 'Nominate a person for the agenda, with the reason',
        description:
          'Any member of the team may nominate someone they have a relationship with (by personId), or any resident of the place by NHS number. When the chair adds someone, the item says so.',
        params: meetingParams,
        body: agendaItemInput,
        response: { 201: created, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId } = req.params;
      const { meeting, isChair } = await load(access, placeId, req.params.meetingId, 'write');
      requireStatus(meeting, ['scheduled'], 'add to its agenda');
      const body = req.body;
      const personId = await namedPerson(db, access, placeId, body, {
        relationship: 'mdt nomination',
        detail: 'MDT nomination by NHS number',
      });
      const id = await addItem(db, meeting, {
        personId,
        reason: isChair ? 'added-by-chair' : 'nominated',
        detail: body.reason,
        addedBy: access.staff.name,
        field: body.personId ? 'personId' : 'nhsNumber',
      });
      access.audit({
        action: 'write',
        personIds: [personId],
        purpose: 'direct-care',
        relationship: 'mdt nomination',
        outcome: 'allowed',
      });
      reply.code(201);
      return { id };
    },
  );

  app.patch(
    '/api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId',
    {
      schema: {
        tags,
        summary: 'Move an agenda item, or take it off the agenda or put it back (the chair)',
        params: itemParams,
        body: agendaItemUpdate,
        response: { 200: agendaOrder, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, meetingId, itemId } = req.params;
      const meeting = await loadAsChair(access, placeId, meetingId);
      const item = await findItem(db, meeting.id, itemId);
      if (!item) throw new AppError('not-found', 'There is no such item on this agenda.');
      const items = await changeItem(db, meeting.id, itemId, req.body);
      access.audit({
        action: 'write',
        personIds: [item.person_id],
        purpose: 'direct-care',
        relationship: 'mdt chair',
        outcome: 'allowed',
        detail:
          req.body.removed === undefined
            ? 'agenda item moved'
            : `agenda item ${req.body.removed ? 'removed' : 'restored'}`,
      });
      return { items };
    },
  );

  app.put(
    '/api/places/:placeId/mdt-meetings/:meetingId/attendance',
    {
      schema: {
        tags,
        summary: 'Record who attended, by practitioner, and who sent apologies (the chair)',
        description:
          'Replaces the attendance recorded so far. Each attendee’s agency is the practitioner’s own.',
        params: meetingParams,
        body: attendanceInput,
        response: { 200: attendanceList, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId } = req.params;
      const meeting = await loadAsChair(access, placeId, req.params.meetingId);
      requireStatus(meeting, ['scheduled', 'held'], 'record its attendance');
      const dir = await directory(db, placeId);
      const seen = new Set<string>();
      const attendees = req.body.attendees.map((a, i) => {
        const field = `attendees.${i}.practitionerId`;
        const practitioner = practitionerOrThrow(dir, a.practitionerId, field);
        if (seen.has(practitioner.id)) {
          const message = `${field}: ${practitioner.label} is listed twice.`;
          throw fieldError('invalid', field, message);
        }
        seen.add(practitioner.id);
        return { practitionerId: practitioner.id, agencyId: practitioner.agencyId, attended: a.attended };
      });
      return { attendance: attendeesOut(await setAttendance(db, meeting.id, attendees), dir) };
    },
  );

  app.post(
    '/api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId/discussion',
    {
      schema: {
        tags,
        summary: 'Record the discussion of one person: a summary, the decisions and the actions agreed',
        description:
          'The actions are added to the person’s plan (a new plan version) in the same transaction, marked as coming from the MDT. Actions need an open case with the team: for a person only referred, accept the referral first. Recording the discussion also records the risk bands the team has now seen.',
        params: itemParams,
        body: discussionInput,
        response: { 200: agendaItemOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, itemId } = req.params;
      const { meeting } = await load(access, placeId, req.params.meetingId, 'write');
      requireStatus(meeting, ['scheduled', 'held'], 'record a discussion');
      const item = await findItem(db, meeting.id, itemId);
      if (!item) throw new AppError('not-found', 'There is no such item on this agenda.');
      await access.requirePerson(placeId, item.person_id);
      if (item.removed) {
        const message =
          'The chair took this person off the agenda; put them back before recording a discussion.';
        throw fieldError('business-rule', 'itemId', message);
      }
      const body = req.body;
      const caseId = await openCaseIdOf(db, meeting.team_id, item.person_id);
      const found = caseId ? await findCase(db, access.staff, placeId, caseId) : null;
      if (body.actions.length > 0 && !found) {
        const message = caseId
          ? 'actions: you cannot see this person’s case, so you cannot add actions to their plan.'
          : 'actions: this person has no open case with the team, so there is no plan to add actions to. Accept the referral first, or record the discussion without actions.';
        throw fieldError('business-rule', 'actions', message);
      }
      const dir = await directory(db, placeId);
      const today = todayInEngland();
      const out = await recordDiscussion(db, dir, access.staff, meeting, item, found, body, today);
      access.audit({
        action: 'write',
        personIds: [item.person_id],
        purpose: 'direct-care',
        relationship: found ? 'open case' : 'mdt meeting',
        outcome: 'allowed',
        detail: `MDT discussion; ${body.actions.length} actions agreed`,
      });
      return out;
    },
  );

  app.post(
    '/api/places/:placeId/mdt-meetings/:meetingId/held',
    {
      schema: {
        tags,
        summary: 'Mark the meeting held (the chair): its agenda closes and its minutes are final',
        params: meetingParams,
        response: { 200: meetingSummary, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, meetingId } = req.params;
      const meeting = await loadAsChair(access, placeId, meetingId);
      const dir = await directory(db, placeId);
      return meetingSummaryOut(await markHeld(db, placeId, meeting.id), dir);
    },
  );

  app.get(
    '/api/places/:placeId/mdt-meetings/:meetingId/minutes',
    {
      schema: {
        tags,
        summary: 'The minutes of a meeting, for those who attended and the chair’s team lead',
        description:
          'Only practitioners recorded as attending (through the practitioner linked to their account) and the lead of the meeting’s team may read them; for anyone else the meeting does not exist. Each reader sees only the people they have a relationship with; the others are counted in hiddenItems.',
        params: meetingParams,
        response: { 200: meetingMinutes, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, meetingId } = req.params;
      const [meeting, team] = await Promise.all([
        findMeeting(db, placeId, meetingId),
        teamOf(db, access.staff),
      ]);
      const attendance = meeting ? await attendanceOf(db, meeting.id) : [];
      const viewer = {
        role: access.staff.role,
        teamId: team?.id ?? null,
        practitionerId: access.staff.practitionerId,
      };
      const attendees = attendance.map((a) => ({ practitionerId: a.practitioner_id, attended: a.attended }));
      if (!meeting || !mayReadMinutes(viewer, { teamId: meeting.team_id }, attendees)) {
        access.audit({
          action: 'read',
          personIds: [],
          purpose: 'direct-care',
          relationship: null,
          outcome: 'denied',
        });
        throw notFound();
      }
      const { items, hidden, dir } = await visibleItems(access, meeting, false);
      const present = attendeesOut(
        attendance.filter((a) => a.attended),
        dir,
      );
      const apologies = attendeesOut(
        attendance.filter((a) => !a.attended),
        dir,
      );
      return {
        meeting: meetingSummaryOut(meeting, dir),
        draft: meeting.status !== 'held',
        present,
        apologies,
        items,
        hiddenItems: hidden,
      };
    },
  );
}
