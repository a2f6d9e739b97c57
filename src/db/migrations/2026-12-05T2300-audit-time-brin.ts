// The audit trail's time index as a block-range (BRIN) index. Events are only ever appended, in time
// order, so each block of the table covers a short span of time: a BRIN index finds a period's events
// (the unusual-access review reads the last weeks) from a summary per range of blocks, and costs an
// insert almost nothing, where the B-tree it replaces was updated by every event of every request.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index audit_event_time`.execute(db);
  await sql`create index audit_event_time on audit_event using brin (occurred_at)`.execute(db);
}
