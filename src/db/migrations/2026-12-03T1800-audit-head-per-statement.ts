// The audit chain's head written once per statement instead of once per row. Each new event is still
// numbered and hashed from the one before it under a lock on audit_head (taken by the statement's first
// row and held to the end of the transaction), but the running number and hash are carried from row to
// row in a transaction-local setting, and a statement-level trigger writes them to audit_head once. A
// request's events are written in groups (AuditWriter), so this saves one row update per event.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_event_chain() returns trigger language plpgsql as $$
    declare
      held text := current_setting('joinedup.audit_head', true);
      last_seq bigint;
      last_hash text;
    begin
      if held is null or held = '' then
        select seq, hash into last_seq, last_hash from audit_head where id = 1 for update;
      else
        last_seq := split_part(held, ':', 1)::bigint;
        last_hash := split_part(held, ':', 2);
      end if;
      new.seq := last_seq + 1;
      new.prev_hash := last_hash;
      new.hash := encode(sha256(convert_to(audit_event_text(new), 'UTF8')), 'hex');
      perform set_config('joinedup.audit_head', new.seq::text || ':' || new.hash, true);
      return new;
    end $$`.execute(db);
  await sql`
    create function audit_head_save() returns trigger language plpgsql as $$
    declare held text := current_setting('joinedup.audit_head', true);
    begin
      if held is not null and held <> '' then
        update audit_head set seq = split_part(held, ':', 1)::bigint, hash = split_part(held, ':', 2) where id = 1;
        perform set_config('joinedup.audit_head', '', true);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger audit_event_head after insert on audit_event for each statement execute function audit_head_save()`.execute(
    db,
  );
}
