// Referrals into the services of the directory (issue 9): a practitioner refers a person from their case
// to a service; the organisation that runs it receives, accepts or declines, works with the person and
// records how it ended. `service_referral` is the referral as it stands (a `version` that every change
// bumps, so a change made from an older version is refused); `service_referral_event` is one row for each
// status it has had, with who and when (seq 1 is 'sent'; seq equals the version the change made). Like
// the other case records, it carries the person's id without a foreign key to `person` (decision 0009).
// It refers to the organisation that received it as well as the service, so a referral stays in that
// organisation's inbox. `directory_organisation.agency_id` names the place's agency (in `agency`) whose
// staff receive an organisation's referrals: a code of the place, not a foreign key, since agencies are
// replaced with the place pack.
import { type Kysely, sql } from 'kysely';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

const STATUSES = ['sent', 'received', 'accepted', 'declined', 'in-progress', 'completed', 'not-completed'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table directory_organisation add column agency_id text`.execute(db);

  await sql`
    create table service_referral (
      id uuid primary key,
      place_id text not null,
      person_id uuid not null,
      case_id uuid not null references care_case(id),
      service_id uuid not null,
      organisation_id uuid not null,
      status text not null check (status in (${list(STATUSES)})),
      reason text not null,
      referred_by_user_id uuid references staff_user(id),
      referred_by_name text not null,
      referred_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1 check (version >= 1),
      foreign key (place_id, service_id) references directory_service (place_id, id),
      foreign key (place_id, organisation_id) references directory_organisation (place_id, id)
    )`.execute(db);
  // The inbox: an organisation's referrals by status, the most recently changed first.
  await sql`create index service_referral_inbox on service_referral (place_id, organisation_id, status, updated_at)`.execute(
    db,
  );
  await sql`create index service_referral_case on service_referral (case_id, referred_at)`.execute(db);
  // A service's figures, and a person's referrals (the timeline and the relationship rule).
  await sql`create index service_referral_service on service_referral (place_id, service_id)`.execute(db);
  await sql`create index service_referral_person on service_referral (person_id)`.execute(db);

  await sql`
    create table service_referral_event (
      referral_id uuid not null references service_referral(id),
      seq integer not null check (seq >= 1),
      status text not null check (status in (${list(STATUSES)})),
      at timestamptz not null default now(),
      by_user_id uuid references staff_user(id),
      by_name text not null,
      note text,
      primary key (referral_id, seq)
    )`.execute(db);
}
