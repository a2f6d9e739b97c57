// Attempts counted in the database instead of in each server process's memory: sign-ins per address and
// username, uploads per staff member, and passwords given to break glass per account
// (src/access/attempts.store.ts). Counted in memory, a deployment running several processes behind one
// address allowed each limit once per process. A row is one key's window: how many attempts, and when the
// window ends. Keys are stored as their SHA-256, so the table names no username or address.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attempt_window (
      key_hash text primary key,
      attempts integer not null,
      ends_at timestamptz not null
    )`.execute(db);
  await sql`create index attempt_window_ends on attempt_window (ends_at)`.execute(db);
}
