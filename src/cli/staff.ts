// `joinedup staff add`: a staff account for a deployment. The password comes from the environment
// (JOINEDUP_STAFF_PASSWORD), never the command line, so it stays out of shell history and `ps`.
import { addStaffAccount } from '../access/add-staff.ts';
import { ROLES } from '../access/roles.ts';
import type { Config } from '../core/config.ts';
import type { Role } from '../db/database.ts';
import { onShutdown, openDatabase } from './open-db.ts';

export interface StaffAddOptions {
  role: string;
  name: string;
  team?: string;
  practice?: string;
  agency?: string;
  practitioner?: string;
  place?: string;
  oidcIssuer?: string;
  oidcSubject?: string;
}

export async function staffAddCommand(config: Config, username: string, o: StaffAddOptions): Promise<void> {
  const db = await openDatabase(config);
  onShutdown(() => db.close());
  try {
    await addStaffAccount(db.kysely, {
      placeId: o.place ?? config.place,
      username,
      name: o.name,
      role: o.role,
      teamId: o.team,
      practiceCode: o.practice,
      agencyId: o.agency,
      practitionerId: o.practitioner,
      password: process.env.JOINEDUP_STAFF_PASSWORD || undefined,
      oidcIssuer: o.oidcIssuer,
      oidcSubject: o.oidcSubject,
    });
    const as = o.practitioner ? ` as the practitioner ${o.practitioner}` : '';
    console.log(`Added ${username}, ${ROLES[o.role as Role].title}${as}.`);
  } finally {
    await db.close();
  }
}
