// Demo staff accounts, one per role (two INT practitioners, in different neighbourhoods), so the
// embedded default can be explored as each role. Never in a deployment: config refuses demo users
// with DATABASE_URL. Named by role only. Each one in a team is linked to its practitioner record in the
// place pack, and works for that practitioner's agency. Also a few synthetic safeguarding concerns to
// show the flag.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/database.ts';
import { hashPassword } from './password.ts';
import { ROLES } from './roles.ts';

/** The one password of every demo account (listed in the README). */
export const DEMO_PASSWORD = 'neighbourhood-demo';

export interface DemoUser {
  username: string;
  role: Role;
  /** The INT the account belongs to, by neighbourhood. */
  neighbourhood?: string;
  /** For GP / practice staff: the first practice of this neighbourhood. */
  practiceIn?: string;
  /** Their practitioner in the pack, by role: `${team}-${practitioner}` (for GP staff, the team of `practiceIn`). */
  practitioner?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'int-lead', role: 'int-lead', neighbourhood: 'east', practitioner: 'int-lead' },
  {
    username: 'int-practitioner',
    role: 'int-practitioner',
    neighbourhood: 'east',
    practitioner: 'care-coordinator',
  },
  {
    username: 'int-practitioner-west',
    role: 'int-practitioner',
    neighbourhood: 'west',
    practitioner: 'care-coordinator',
  },
  { username: 'gp-staff', role: 'gp-staff', practiceIn: 'east', practitioner: 'gp-lead' },
  { username: 'vcse-worker', role: 'vcse-worker', neighbourhood: 'east', practitioner: 'vcse-link-worker' },
  { username: 'social-worker', role: 'social-worker', neighbourhood: 'east', practitioner: 'social-worker' },
  {
    username: 'family-help-lead',
    role: 'family-help-lead',
    neighbourhood: 'east',
    practitioner: 'family-help-lead',
  },
  { username: 'analyst', role: 'analyst' },
  { username: 'programme-lead', role: 'programme-lead' },
  { username: 'ig-officer', role: 'ig-officer' },
  { username: 'administrator', role: 'administrator' },
  { username: 'directory-editor', role: 'directory-editor' },
];

/**
 * Adds the demo accounts the place lacks (existing ones are left as they are), then links every demo
 * account to its practitioner and agency. Returns how many accounts were added.
 */
export async function ensureDemoUsers(db: Kysely<Database>, placeId: string): Promise<number> {
  const added = await addMissingDemoUsers(db, placeId);
  await linkDemoUsers(db, placeId);
  return added;
}

async function addMissingDemoUsers(db: Kysely<Database>, placeId: string): Promise<number> {
  const existing = new Set(
    (await db.selectFrom('staff_user').select('username').execute()).map((r) => r.username),
  );
  const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
  if (missing.length === 0) return 0;
  const teams = await db
    .selectFrom('team')
    .select(['id', 'name', 'neighbourhood_code'])
    .where('place_id', '=', placeId)
    .execute();
  const practices = await db
    .selectFrom('practice')
    .select(['ods_code', 'name', 'neighbourhood_code'])
    .where('place_id', '=', placeId)
    .where('is_open', '=', true)
    .orderBy('ods_code')
    .execute();
  const hash = await hashPassword(DEMO_PASSWORD);
  const rows = missing.map((u) => {
    const team = u.neighbourhood ? teams.find((t) => t.neighbourhood_code === u.neighbourhood) : undefined;
    const practice = u.practiceIn ? practices.find((p) => p.neighbourhood_code === u.practiceIn) : undefined;
    const where = team
      ? ` (${team.name.replace(' Integrated Neighbourhood Team', ' INT')})`
      : practice
        ? ` (${practice.name})`
        : '';
    return {
      id: randomUUID(),
      place_id: placeId,
      username: u.username,
      display_name: `Demo ${ROLES[u.role].title}${where}`,
      role: u.role,
      team_id: team?.id ?? null,
      practice_code: practice?.ods_code ?? null,
      password_hash: hash,
      is_demo: true,
    };
  });
  await db
    .insertInto('staff_user')
    .values(rows)
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
  return rows.length;
}

/**
 * Links each demo account to its practitioner, when that practitioner is linked to no one yet, and
 * gives the account its agency when it has none. Safe to run on every start. GP staff are linked to
 * their neighbourhood's GP lead only when the GP lead works for their practice.
 */
async function linkDemoUsers(db: Kysely<Database>, placeId: string): Promise<void> {
  const users = await db
    .selectFrom('staff_user as u')
    .leftJoin('practice as pr', (j) =>
      j.onRef('pr.place_id', '=', 'u.place_id').onRef('pr.ods_code', '=', 'u.practice_code'),
    )
    .select(['u.id', 'u.username', 'u.team_id', 'u.practice_code', 'u.agency_id', 'pr.neighbourhood_code'])
    .where('u.place_id', '=', placeId)
    .where('u.is_demo', '=', true)
    .where(
      'u.username',
      'in',
      DEMO_USERS.map((u) => u.username),
    )
    .execute();
  const teams = await db
    .selectFrom('team')
    .select(['id', 'neighbourhood_code'])
    .where('place_id', '=', placeId)
    .execute();
  const practitioners = await db
    .selectFrom('practitioner')
    .select(['id', 'agency_id', 'staff_user_id'])
    .where('place_id', '=', placeId)
    .execute();
  for (const user of users) {
    const demo = DEMO_USERS.find((u) => u.username === user.username);
    const teamId = user.team_id ?? teams.find((t) => t.neighbourhood_code === user.neighbourhood_code)?.id;
    const practitioner =
      demo?.practitioner && teamId
        ? practitioners.find((p) => p.id === `${teamId}-${demo.practitioner}`)
        : undefined;
    const isLinkable =
      practitioner !== undefined &&
      (user.practice_code === null || practitioner.agency_id === user.practice_code);
    if (
      isLinkable &&
      practitioner.staff_user_id === null &&
      !practitioners.some((p) => p.staff_user_id === user.id)
    )
      await db
        .updateTable('practitioner')
        .set({ staff_user_id: user.id })
        .where('place_id', '=', placeId)
        .where('id', '=', practitioner.id)
        .where('staff_user_id', 'is', null)
        .execute();
    const agencyId = user.practice_code ?? practitioner?.agency_id ?? null;
    if (user.agency_id === null && agencyId !== null)
      await db.updateTable('staff_user').set({ agency_id: agencyId }).where('id', '=', user.id).execute();
  }
}

/** Synthetic safeguarding concerns for a few of the demo practice's patients, once. */
export async function ensureDemoSafeguarding(db: Kysely<Database>, placeId: string): Promise<number> {
  const any = await db
    .selectFrom('safeguarding_concern')
    .select('id')
    .where('place_id', '=', placeId)
    .limit(1)
    .executeTakeFirst();
  if (any) return 0;
  const gp = await db
    .selectFrom('staff_user')
    .select('practice_code')
    .where('username', '=', 'gp-staff')
    .executeTakeFirst();
  if (!gp?.practice_code) return 0;
  const people = await db
    .selectFrom('person_risk')
    .select(['person_id', 'age'])
    .where('place_id', '=', placeId)
    .where('practice_code', '=', gp.practice_code)
    .where('efi_band', 'in', ['moderate', 'severe'])
    .orderBy('person_id')
    .limit(12)
    .execute();
  if (people.length === 0) return 0;
  await db
    .insertInto('safeguarding_concern')
    .values(
      people.map((p, i) => ({
        id: randomUUID(),
        place_id: placeId,
        person_id: p.person_id,
        category: i % 2 === 0 ? 'Adult safeguarding: self-neglect' : 'Adult safeguarding: financial abuse',
        detail:
          i % 2 === 0
            ? 'Section 42 enquiry open. Home found cold and without food on two visits; lives alone and declines help with meals.'
            : 'Section 42 enquiry open. A relative is suspected of taking money from the person’s account; do not discuss finances in front of visitors.',
        contact: 'Adult social care safeguarding team',
        raised_on: new Date(Date.now() - (30 + i * 7) * 86_400_000).toISOString().slice(0, 10),
      })),
    )
    .execute();
  return people.length;
}
