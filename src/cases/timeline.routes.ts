// HTTP for a person's timeline: one view, newest first, of their hospital activity, social care and the
// work of the cases the viewer may see.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { accessOf, notFoundPerson } from '../access/access.plugin.ts';
import { todayInEngland } from '../core/dates.ts';
import { timeline } from '../core/schemas/case.ts';
import { personIdParam } from '../core/schemas/cohort.ts';
import { operationOutcome } from '../core/schemas/outcome.ts';
import { placeIdParam } from '../core/schemas/place.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../server/app-types.ts';
import { peopleById, personOut } from './case.store.ts';
import { directory, shortTeamName } from './organisation.store.ts';
import { timelineRows } from './timeline.store.ts';
import { timelineEvents } from './timeline.ts';

const errors = { 400: operationOutcome, 404: operationOutcome, 503: operationOutcome };

export function timelineRoutes(app: App, db: Kysely<Database>): void {
  app.get(
    '/api/places/:placeId/people/:personId/timeline',
    {
      schema: {
        tags: ['Cases'],
        summary: "A person's timeline: hospital activity, social care, contacts, plan changes, MDT decisions",
        description:
          'The most recent 300 events, newest first. `at` is a date (YYYY-MM-DD) where the source records only a date (hospital activity, social care, reviews), otherwise a date and time. What a case holds is shown only from cases you may see.',
        params: z.object({ placeId: placeIdParam, personId: personIdParam }),
        response: { 200: timeline, ...errors },
      },
    },
    async (req) => {
      const access = accessOf(req);
      const { placeId, personId } = req.params;
      await access.requirePerson(placeId, personId);
      const [rows, people, dir] = await Promise.all([
        timelineRows(db, access.staff, placeId, personId),
        peopleById(db, placeId, [personId]),
        directory(db, placeId),
      ]);
      const person = people.get(personId);
      if (!person) throw notFoundPerson();
      const teamNames = new Map(dir.teams.map((t) => [t.id, shortTeamName(t.name)]));
      const events = timelineEvents(rows, {
        team: (id) => teamNames.get(id) ?? id,
        agency: (id) => dir.agencyName(id),
        dateInEngland: todayInEngland,
      });
      return { person: personOut(person, todayInEngland()), events };
    },
  );
}
