// HTTP for huddles: a team's short, frequent board (people on the caseload with unplanned hospital care
// since the last huddle, overdue actions, new referrals), starting today's huddle, and quick outcomes.
// The person timeline's route is registered from here too (timeline.routes.ts).
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Access, accessOf } from '../access/access.plugin.ts';
import { formatDate, todayInEngland } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { huddleIdParam, teamIdParam } from '../core/schemas/case.ts';
import {
  HUDDLE_OUTCOME_LABELS,
  huddleBoard,
  huddleOutcomeInput,
  huddleOutcomeOut,
} from '../core/schemas/mdt.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { byLabel, peopleById, personOut } from './case.store.ts';
import {
  type AddedToMeeting,
  boardOf,
  currentHuddle,
  findHuddle,
  type Huddle,
  outcomeKey,
  outcomesOf,
  recordOutcome,
  startHuddle,
} from './huddle.store.ts';
import { directory, ownTeamOrThrow, type Team, teamOf } from './organisation.store.ts';
import { timelineRoutes } from './timeline.routes.ts';

const errors = { 400: operationOutcome, 404: operationOutcome, 503: operationOutcome };
const tags = ['Huddles'];

const huddleOut = (h: Huddle) => ({
  id: h.id,
  startedAt: new Date(h.started_at).toISOString(),
  since: new Date(h.since).toISOString(),
  startedBy: h.started_by,
});

function meetingMessage(added: AddedToMeeting | null): string {
  if (!added)
    return 'Recorded. The team has no MDT meeting scheduled: add the person to the agenda once one is.';
  const day = formatDate(todayInEngland(added.startsAt));
  if (added.isNew) return `Recorded, and added to the agenda of the MDT meeting on ${day}.`;
  if (added.isRemoved)
    return `Recorded. The chair took this person off the agenda of the MDT meeting on ${day}: ask the chair to add them back.`;
  return `Recorded. This person is already on the agenda of the MDT meeting on ${day}.`;
}

export function huddleRoutes(app: App, db: Kysely<Database>): void {
  const teamParams = z.object({ placeId: placeIdParam, teamId: teamIdParam });

  /** The board as the viewer may see it, audited as a search of the people on it. */
  async function boardOut(access: Access, placeId: string, team: Team, huddle: Huddle | null, since: Date) {
    const today = todayInEngland();
    const dir = await directory(db, placeId);
    const scope = { placeId, teamId: team.id, since, sinceDate: todayInEngland(since), today };
    const [items, outcomes] = await Promise.all([
      boardOf(db, dir, access.staff, scope, todayInEngland),
      huddle ? outcomesOf(db, huddle.id) : new Map(),
    ]);
    const people = await peopleById(
      db,
      placeId,
      items.map((i) => i.personId),
    );
    access.audit({
      action: 'search',
      personIds: [...people.keys()],
      purpose: 'direct-care',
      relationship: items.some((i) => i.caseId) ? 'open case' : items.length > 0 ? 'referral' : null,
      outcome: 'allowed',
    });
    return {
      teamId: team.id,
      teamName: team.name,
      today,
      huddle: huddle ? huddleOut(huddle) : null,
      since: since.toISOString(),
      items: items.flatMap((i) => {
        const person = people.get(i.personId);
        if (!person) return [];
        return [
          {
            item: i.item,
            person: personOut(person, today),
            caseId: i.caseId,
            referralId: i.referralId,
            detail: i.detail,
            outcome: outcomes.get(outcomeKey(i.personId, i.item)) ?? null,
          },
        ];
      }),
    };
  }

  app.get(
    '/api/places/:placeId/teams/:teamId/huddle',
    {
      schema: {
        tags,
        summary:
          "The team's huddle board: unplanned care since the last huddle, overdue actions, new referrals",
        description:
          'People on the team’s open caseload with an A&E attendance or emergency admission since the last huddle (a week, before the first), open actions past their due date, and referrals to the team awaiting triage made since then. `huddle` is today’s huddle once started (null before), with the outcome recorded for each item.',
        params: teamParams,
        response: { 200: huddleBoard, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, teamId } = req.params;
      const team = await ownTeamOrThrow(db, access.staff, teamId);
      const { huddle, since } = await currentHuddle(db, placeId, teamId, new Date(), todayInEngland);
      return boardOut(access, placeId, team, huddle, since);
    },
  );

  app.post(
    '/api/places/:placeId/teams/:teamId/huddles',
    {
      schema: {
        tags,
        summary: "Start today's huddle (or return the one already started today)",
        description:
          'Answers 201 with the board of a new huddle, or 200 with the board of the huddle someone in the team started earlier today.',
        params: teamParams,
        response: { 200: huddleBoard, 201: huddleBoard, ...errors },
      },
    },
    async (req, reply) => {
      const access = accessOf(req);
      const { placeId, teamId } = req.params;
      const team = await ownTeamOrThrow(db, access.staff, teamId);
      const { huddle, isNew } = await startHuddle(db, access.staff, placeId, teamId, todayInEngland);
      reply.code(isNew ? 201 : 200);
      return boardOut(access, placeId, team, huddle, new Date(huddle.since));
    },
  );

  app.post(
    '/api/places/:placeId/huddles/:huddleId/outcomes',
    {
      schema: {
        tags,
        summary: 'Record the quick outcome for one item on the board',
        description:
          'One outcome per person and item at each huddle; recording again changes it. "Discuss at MDT" also puts the person on the agenda of the team’s next scheduled MDT meeting (once); if none is scheduled the outcome is still recorded and `addedToMeeting` is null.',
        params: z.object({ placeId: placeIdParam, huddleId: huddleIdParam }),
        body: huddleOutcomeInput,
        response: { 200: huddleOutcomeOut, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, huddleId } = req.params;
      const { personId, item: kind, outcome } = req.body;
      const denied = (message: string, field?: string) => {
        access.audit({
          action: 'write',
          personIds: [personId],
          purpose: 'direct-care',
          relationship: null,
          outcome: 'denied',
        });
        return new AppError(
          'not-found',
          message,
          field ? [{ diagnostics: `${field}: ${message}`, expression: [field] }] : [],
        );
      };
      const huddle = await findHuddle(db, placeId, huddleId);
      const team = huddle ? await teamOf(db, access.staff) : null;
      if (!huddle || team?.id !== huddle.team_id)
        throw denied('There is no huddle of your team with this id.');
      const dir = await directory(db, placeId);
      const since = new Date(huddle.since);
      const items = await boardOf(
        db,
        dir,
        access.staff,
        {
          placeId,
          teamId: huddle.team_id,
          since,
          sinceDate: todayInEngland(since),
          today: todayInEngland(),
          personId,
        },
        todayInEngland,
      );
      const item = items.find((i) => i.item === kind);
      if (!item) throw denied('This person is not on the huddle board for that item.', 'personId');
      const huddleDay = todayInEngland(new Date(huddle.started_at));
      const saved = await recordOutcome(db, access.staff, huddle, huddleDay, item, outcome);
      access.audit({
        action: 'write',
        personIds: [personId],
        purpose: 'direct-care',
        relationship: item.caseId ? 'open case' : 'referral',
        outcome: 'allowed',
      });
      const added = saved.addedToMeeting;
      return {
        huddleId,
        personId,
        item: kind,
        outcome,
        recordedBy: byLabel(access.staff),
        recordedAt: new Date(saved.recordedAt).toISOString(),
        addedToMeeting: added
          ? {
              meetingId: added.meetingId,
              startsAt: new Date(added.startsAt).toISOString(),
              location: added.location,
              isNew: added.isNew,
            }
          : null,
        message:
          outcome === 'discuss-at-mdt'
            ? meetingMessage(added)
            : `Recorded: ${HUDDLE_OUTCOME_LABELS[outcome]}.`,
      };
    },
  );

  timelineRoutes(app, db);
}
