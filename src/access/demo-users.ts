// Demo staff accounts, one per role (two INT practitioners, in different neighbourhoods), so the
// embedded default can be explored as each role. Never in a deployment: config refuses demo users
// with DATABASE_URL. Named by role only. Also a few synthetic safeguarding concerns to show the flag.
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
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'int-lead', role: 'int-lead', neighbourhood: 'east' },
  { username: 'int-practitioner', role: 'int-practitioner', neighbourhood: 'east' },
  { username: 'int-practitioner-west', role: 'int-practitioner', neighbourhood: 'west' },
  { username: 'gp-staff', role: 'gp-staff', practiceIn: 'east' },
  { username: 'vcse-worker', role: 'vcse-worker', neighbourhood: 'east' },
  { username: 'social-worker', role: 'social-worker', neighbourhood: 'east' },
  { username: 'family-help-lead', role: 'family-help-lead', neighbourhood: 'east' },
  { username: 'analyst', role: 'analyst' },
  { username: 'programme-lead', role: 'programme-lead' },
  { username: 'ig-officer', role: 'ig-officer' },
  { username: 'administrator', role: 'administrator' },
];

/** Adds the demo accounts the place lacks (existing ones are left as they are). Returns how many were added. */
export async function ensureDemoUsers(db: Kysely<Database>, placeId: string): Promise<number> {
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
