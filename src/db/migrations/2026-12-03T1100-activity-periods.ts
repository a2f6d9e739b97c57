// Hospital activity (A&E attendances, emergency and planned admissions, day cases; not outpatient
// appointments, which are most of the rows and rarely find people at risk) counted for every resident
// over fixed periods (3, 6, 12, 24 and 36 months up to the stratification date), one array per kind,
// so that a cohort rule on activity in a period reads one row instead of scanning the encounters.
// Index i of each array is the i-th period.
import { type Kysely, sql } from 'kysely';

const KINDS = ['ed', 'emergency_admission', 'elective_admission', 'day_case'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const kind of KINDS)
    await sql`alter table person_risk add column ${sql.id(`${kind}_counts`)} integer[] not null default '{}'`.execute(
      db,
    );
}
