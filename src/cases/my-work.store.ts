// "My work": the open actions a practitioner owns, or their team owns, across every agency and case
// they may see; the oldest due date first, so overdue ones lead.
import { type Kysely, sql } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import type { MyWork } from '../core/schemas/case.ts';
import type { Database } from '../db/database.ts';
import { PERSON_COLUMNS, personOut } from './case.store.ts';
import { type CaseEb, visibleCase } from './case-relationship.ts';
import { type Directory, shortTeamName } from './organisation.store.ts';
import { actionOut } from './plan.store.ts';
import { OPEN_ACTION } from './plan-rules.ts';

/** At most this many actions are listed; a practitioner with more has a conversation to have. */
const MY_WORK_LIMIT = 500;

export async function myWorkOf(
  db: Kysely<Database>,
  dir: Directory,
  staff: Staff,
  placeId: string,
  today: string,
): Promise<MyWork['actions']> {
  const mine = staff.practitionerId;
  const team = staff.teamId;
  if (!mine && !team) return [];
  const rows = await db
    .selectFrom('plan_action as a')
    .innerJoin('care_case as c', 'c.id', 'a.case_id')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .leftJoin('person_risk as r', (j) =>
      j.onRef('r.person_id', '=', 'p.id').onRef('r.place_id', '=', 'p.place_id'),
    )
    .selectAll('a')
    .select(['c.team_id', ...PERSON_COLUMNS])
    .where('a.place_id', '=', placeId)
    .where('a.status', 'in', OPEN_ACTION)
    .where((eb) =>
      eb.or([
        ...(mine ? [eb('a.owner_practitioner_id', '=', mine)] : []),
        ...(team ? [eb('a.owner_team_id', '=', team)] : []),
      ]),
    )
    .where((eb) => visibleCase(staff)(eb as unknown as CaseEb))
    .orderBy('a.due_on')
    .orderBy(sql`a.owner_practitioner_id = ${mine ?? ''}`, 'desc')
    .limit(MY_WORK_LIMIT)
    .execute();
  const teamName = (id: string) => shortTeamName(dir.teams.find((t) => t.id === id)?.name ?? id);
  return rows.map((row) => ({
    ...actionOut(row, dir, today),
    person: personOut(row, today),
    assigned: row.owner_practitioner_id === mine ? ('me' as const) : ('my-team' as const),
    teamName: teamName(row.team_id),
  }));
}
