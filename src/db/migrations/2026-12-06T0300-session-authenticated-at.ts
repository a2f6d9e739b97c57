// When the person behind a session last proved who they are: for a password sign-in, when it was made;
// for a sign-in through the organisation's provider, when the provider last authenticated them (the ID
// token's auth_time), which may be long before if the provider signed them in from a session of its own.
// Break-glass asks for a recent one. Sessions made before this column existed keep what is known: a
// password session's start; an OpenID Connect session's is unknown (null), never recent.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff_session add column authenticated_at timestamptz`.execute(db);
  await sql`update staff_session set authenticated_at = created_at where method = 'password'`.execute(db);
}
