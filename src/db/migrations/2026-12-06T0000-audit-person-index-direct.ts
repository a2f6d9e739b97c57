// The audit trail's person index written directly by each event. A GIN index's fast-update list defers
// an insert's entries to a pending list that, once it fills (4 MB), the next insert merges into the
// index while its request waits: every request writes an event, so that was a stall of one request
// every few minutes under load, and every "who accessed this record" search read the whole list. An
// event names one person, or a page of them; written directly, an event costs about what it did
// (timed on PGlite: 410–500 µs with one person either way, 520–650 µs against 490–630 µs with 25). The
// largest event, a 20,000-person export, takes 76–96 ms instead of 60–70 ms plus a later merge of
// about 30 ms: small beside the export itself.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter index audit_event_person set (fastupdate = off)`.execute(db);
  await sql`select gin_clean_pending_list('audit_event_person'::regclass)`.execute(db);
}
