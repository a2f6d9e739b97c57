// Changes sent with an Idempotency-Key: which staff member sent which key for which request, and once it
// is answered, the answer, so that the same request sent again (a retry after a timeout or a lost
// connection) is answered the same without being done twice (src/server/idempotency.ts). Rows are kept
// for a day.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table idempotent_request (
      staff_id uuid not null,
      key text not null,
      request text not null,
      body_hash text not null,
      started_at timestamptz not null default now(),
      status smallint,
      headers jsonb,
      response text,
      audit jsonb,
      primary key (staff_id, key)
    )`.execute(db);
  await sql`create index idempotent_request_started on idempotent_request (started_at)`.execute(db);
}
