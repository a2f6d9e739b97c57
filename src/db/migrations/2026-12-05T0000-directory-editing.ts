// Directory editors (issue 9, decision 0022): staff in a new role keep the place's services directory up
// to date. A service made by an editor has no `pack_id` (the place pack never knew it); a service an
// editor has saved carries `edited_at`, and from then on belongs to the editors: reloading the place pack
// leaves it, its needs, locations, times, costs and contacts as they are. `version` is bumped by every
// save, so a save from an older version is refused (409) and nothing is overwritten; each save is kept in
// `directory_service_change` with who, when and which fields changed. `last_checked_by` names who last
// confirmed the entry was right. And one open referral from a case to a service at a time: a second
// would be the same request twice.
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
  'directory-editor',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table staff_user drop constraint staff_user_role_check`.execute(db);
  await sql`alter table staff_user add constraint staff_user_role_check
    check (role in (${sql.join(ROLES.map((r) => sql.lit(r)))}))`.execute(db);

  await sql`alter table directory_service alter column pack_id drop not null`.execute(db);
  await sql`alter table directory_service
    add column version integer not null default 1 check (version >= 1),
    add column edited_at timestamptz,
    add column last_checked_by text`.execute(db);

  await sql`
    create table directory_service_change (
      place_id text not null,
      service_id uuid not null,
      version integer not null check (version >= 1),
      kind text not null check (kind in ('created', 'changed', 'checked')),
      fields text[] not null,
      at timestamptz not null default now(),
      by_user_id uuid references staff_user(id),
      by_name text not null,
      primary key (place_id, service_id, version),
      foreign key (place_id, service_id) references directory_service (place_id, id) on delete cascade
    )`.execute(db);

  await sql`create unique index service_referral_one_open on service_referral (case_id, service_id)
            where status in ('sent', 'received', 'accepted', 'in-progress')`.execute(db);
}
