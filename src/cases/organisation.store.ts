// Agencies, teams and practitioners as case management uses them: who may own an action, lead a case
// or attend an MDT. They change rarely (with the place pack, or when staff are linked), so they are
// held in memory for a minute.
import type { Kysely } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { perDatabase, ShortLived } from '../access/short-lived.ts';
import { AppError } from '../core/errors.ts';
import type { Organisation, PractitionerOut } from '../core/schemas/case.ts';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export interface Team {
  id: string;
  name: string;
  neighbourhoodCode: string | null;
}

export interface Directory extends Organisation {
  teams: Team[];
  practitioner(id: string): PractitionerOut | undefined;
  agencyName(id: string): string;
}

const cache = perDatabase(() => new ShortLived<Directory>(60_000, 100));

/** "East Integrated Neighbourhood Team" → "East INT". */
export const shortTeamName = (name: string) => name.replace(' Integrated Neighbourhood Team', ' INT');

async function readDirectory(db: Db, placeId: string): Promise<Directory> {
  const [agencies, practitioners, teams] = await Promise.all([
    db
      .selectFrom('agency')
      .select(['id', 'name', 'kind'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('practitioner as p')
      .innerJoin('agency as a', (j) =>
        j.onRef('a.place_id', '=', 'p.place_id').onRef('a.id', '=', 'p.agency_id'),
      )
      .leftJoin('team as t', (j) => j.onRef('t.place_id', '=', 'p.place_id').onRef('t.id', '=', 'p.team_id'))
      .select(['p.id', 'p.title', 'p.team_id', 'p.agency_id', 'a.name as agency_name', 't.name as team_name'])
      .where('p.place_id', '=', placeId)
      .orderBy('p.team_id')
      .orderBy('p.sort_order')
      .execute(),
    db
      .selectFrom('team')
      .select(['id', 'name', 'neighbourhood_code as neighbourhoodCode'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
  ]);
  const people: PractitionerOut[] = practitioners.map((p) => ({
    id: p.id,
    title: p.title,
    teamId: p.team_id,
    agencyId: p.agency_id,
    agencyName: p.agency_name,
    label: p.team_name ? `${p.title}, ${shortTeamName(p.team_name)}` : `${p.title}, ${p.agency_name}`,
  }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
  return {
    agencies,
    practitioners: people,
    teams,
    practitioner: (id) => byId.get(id),
    agencyName: (id) => agencyNames.get(id) ?? id,
  };
}

export function directory(db: Db, placeId: string): Promise<Directory> {
  return cache(db).get(placeId, () => readDirectory(db, placeId));
}

/** Forget the held directory (after linking staff or loading a place). */
export const forgetDirectory = (db: Db) => cache(db).clear();

/** A practitioner the directory knows, or a 400 naming the field. */
export function practitionerOrThrow(dir: Directory, id: string, field: string): PractitionerOut {
  const found = dir.practitioner(id);
  if (!found)
    throw new AppError('invalid', `There is no practitioner "${id}" in this place.`, [
      {
        diagnostics: `${field}: there is no practitioner "${id}" in this place; choose one from the team's list.`,
        expression: [field],
      },
    ]);
  return found;
}

/** The team a staff member works in for case management (see Staff.careTeamId). */
export async function teamOf(db: Db, staff: Staff): Promise<Team | null> {
  const dir = await directory(db, staff.placeId);
  return dir.teams.find((t) => t.id === staff.careTeamId) ?? null;
}

/** The team, if it is the staff member's own; any other answers "not found", as if it did not exist. */
export async function ownTeamOrThrow(db: Db, staff: Staff, teamId: string): Promise<Team> {
  const team = await teamOf(db, staff);
  if (!team || team.id !== teamId) throw new AppError('not-found', 'There is no such team of yours.');
  return team;
}
