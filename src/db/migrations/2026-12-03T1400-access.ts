// Identity, access and audit (decision 0013). Staff accounts with one role and one team or practice;
// server-side sessions (the cookie carries a random token, the table only its SHA-256); break-glass
// access; safeguarding concerns; opt-outs per person; and the audit trail: append-only (a trigger
// refuses UPDATE, DELETE and TRUNCATE for every role) and chained (each row's SHA-256 covers its
// content and the previous row's hash, so `joinedup audit verify` detects a row altered or removed
// by someone able to switch the trigger off).
import { type Kysely, sql } from 'kysely';

const ROLES = [
  'int-practitioner',
  'int-lead',
  'gp-staff',
  'vcse-worker',
  'social-worker',
  'family-help-lead',
  'analyst',
  'programme-lead',
  'ig-officer',
  'administrator',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in (${sql.join(ROLES.map((r) => sql.lit(r)))})`),
    )
    .addColumn('team_id', 'text')
    .addColumn('practice_code', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('oidc_issuer', 'text')
    .addColumn('oidc_subject', 'text')
    .addColumn('is_demo', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('staff_user_oidc_unique', ['oidc_issuer', 'oidc_subject'])
    .addCheckConstraint('staff_user_username_lower', sql`username = lower(username)`)
    .execute();

  await db.schema
    .createTable('staff_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('public_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('password', 'oidc')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_reason', 'text')
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('staff_session_user').on('staff_session').columns(['user_id']).execute();

  await db.schema
    .createTable('break_glass')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('review_outcome', 'text', (c) =>
      c.check(sql`review_outcome in ('appropriate', 'not-appropriate')`),
    )
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'uuid', (c) => c.references('staff_user.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('break_glass_user_person')
    .on('break_glass')
    .columns(['user_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('safeguarding_concern')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('raised_on', 'date', (c) => c.notNull())
    .addColumn('ended_on', 'date')
    .execute();
  await db.schema
    .createIndex('safeguarding_concern_person')
    .on('safeguarding_concern')
    .columns(['person_id'])
    .execute();

  // Opt-outs are recorded on the person; person_risk carries their union for planning outputs.
  await sql`alter table person add column national_data_opt_out boolean not null default false,
            add column type1_objection boolean not null default false`.execute(db);
  await sql`alter table person_risk add column planning_opt_out boolean not null default false`.execute(db);

  await sql`
    create table audit_event (
      seq bigint primary key,
      occurred_at timestamptz not null default now(),
      request_id text not null,
      actor_id uuid,
      actor_name text not null,
      role text,
      team_id text,
      action text not null check (action in ('read', 'search', 'write', 'export', 'sign-in', 'sign-out', 'break-glass', 'review')),
      route text not null,
      person_ids uuid[] not null default '{}',
      purpose text not null,
      relationship text,
      outcome text not null check (outcome in ('allowed', 'denied', 'failed')),
      detail text not null default '',
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index audit_event_person on audit_event using gin (person_ids)`.execute(db);
  await sql`create index audit_event_actor on audit_event (actor_id, occurred_at)`.execute(db);
  await sql`create index audit_event_time on audit_event (occurred_at)`.execute(db);
  await sql`create table audit_head (id int primary key check (id = 1), seq bigint not null, hash text not null)`.execute(
    db,
  );
  await sql`insert into audit_head values (1, 0, repeat('0', 64))`.execute(db);

  // The text a row's hash covers: every column in a fixed order, times in UTC to the microsecond.
  await sql`
    create function audit_event_text(e audit_event) returns text language sql immutable as $$
      select concat_ws(chr(31), e.seq::text,
        to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.request_id, coalesce(e.actor_id::text, ''), e.actor_name, coalesce(e.role, ''),
        coalesce(e.team_id, ''), e.action, e.route, array_to_string(e.person_ids, ','), e.purpose,
        coalesce(e.relationship, ''), e.outcome, e.detail, e.prev_hash)
    $$`.execute(db);
  // Chains each new row under a lock on the head, so concurrent writers take turns and seq has no gaps.
  await sql`
    create function audit_event_chain() returns trigger language plpgsql as $$
    declare head audit_head%rowtype;
    begin
      select * into head from audit_head where id = 1 for update;
      new.seq := head.seq + 1;
      new.prev_hash := head.hash;
      new.hash := encode(sha256(convert_to(audit_event_text(new), 'UTF8')), 'hex');
      update audit_head set seq = new.seq, hash = new.hash where id = 1;
      return new;
    end $$`.execute(db);
  await sql`
    create function audit_event_refuse() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events cannot be changed or removed (%)', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`create trigger audit_event_chain before insert on audit_event for each row execute function audit_event_chain()`.execute(
    db,
  );
  await sql`create trigger audit_event_no_change before update or delete on audit_event for each row execute function audit_event_refuse()`.execute(
    db,
  );
  await sql`create trigger audit_event_no_truncate before truncate on audit_event for each statement execute function audit_event_refuse()`.execute(
    db,
  );
  await sql`create trigger audit_head_no_change before delete on audit_head for each row execute function audit_event_refuse()`.execute(
    db,
  );
}
