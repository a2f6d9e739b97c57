// Who saved each cohort, and who last changed it. A cohort's rules decide who is on every worklist made
// from it, so only the staff member who saved it may change them (src/cohorts/cohort.routes.ts); anyone
// else who builds cohorts saves their own. Cohorts saved before this have no one recorded, and stay open
// to change by anyone who builds cohorts, as before.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cohort add column saved_by uuid, add column changed_by text`.execute(db);
}
