// Active case management (decision 0015). Agencies and practitioners; referrals into an Integrated
// Neighbourhood Team and their triage; cases with a lead professional, key workers and consent to
// share; the person-centred plan (goals in the person's words, actions owned by an agency and a
// practitioner); reviews, contacts and closure; every change to a case or plan kept as a version;
// MDT meetings with their agenda, attendance and minutes; huddles and their quick outcomes.
import { type Kysely, sql } from 'kysely';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

const AGENCY_KINDS = [
  'gp-practice',
  'community-health',
  'adult-social-care',
  'mental-health',
  'vcse',
  'housing',
  'dwp',
  'police',
  'fire-and-rescue',
  'family-hub',
  'public-health',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agency (
      place_id text not null references place(id) on delete cascade,
      id text not null,
      name text not null,
      kind text not null check (kind in (${list(AGENCY_KINDS)})),
      primary key (place_id, id)
    )`.execute(db);

  await sql`
    create table practitioner (
      place_id text not null references place(id) on delete cascade,
      id text not null,
      team_id text,
      agency_id text not null,
      title text not null,
      staff_user_id uuid unique references staff_user(id),
      sort_order integer not null,
      primary key (place_id, id)
    )`.execute(db);
  await sql`alter table staff_user add column agency_id text`.execute(db);

  await sql`
    create table int_referral (
      id uuid primary key,
      place_id text not null,
      person_id uuid not null,
      team_id text not null,
      source text not null check (source in ('worklist', 'practitioner', 'self-or-family')),
      worklist_id uuid,
      referrer text not null,
      referrer_agency_id text,
      referred_by uuid references staff_user(id),
      reason text not null,
      urgency text not null check (urgency in ('routine', 'urgent')),
      status text not null check (status in ('awaiting-triage', 'accepted', 'declined')),
      triaged_by text,
      triaged_at timestamptz,
      decline_reason text,
      case_id uuid,
      created_at timestamptz not null default now()
    )`.execute(db);
  // One referral awaiting triage per person and team: a second is refused, not queued twice.
  await sql`create unique index int_referral_one_waiting on int_referral (team_id, person_id) where status = 'awaiting-triage'`.execute(
    db,
  );
  await sql`create index int_referral_person on int_referral (person_id)`.execute(db);

  await sql`
    create table care_case (
      id uuid primary key,
      place_id text not null,
      person_id uuid not null,
      team_id text not null,
      referral_id uuid references int_referral(id),
      status text not null check (status in ('open', 'closed')),
      lead_practitioner_id text not null,
      key_worker_ids text[] not null default '{}',
      opened_at timestamptz not null default now(),
      review_due_on date,
      consent_status text not null default 'not-recorded'
        check (consent_status in ('not-recorded', 'given', 'declined', 'withdrawn')),
      consent_agencies text[] not null default '{}',
      risk_seen jsonb not null default '{}',
      closed_at timestamptz,
      closure_reason text,
      closure_outcome text,
      closure_override_reason text,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`.execute(db);
  await sql`create unique index care_case_one_open on care_case (team_id, person_id) where status = 'open'`.execute(
    db,
  );
  await sql`create index care_case_person on care_case (person_id)`.execute(db);
  await sql`create index care_case_team_open on care_case (team_id, review_due_on) where status = 'open'`.execute(
    db,
  );
  await sql`create index care_case_key_workers on care_case using gin (key_worker_ids)`.execute(db);

  await sql`
    create table care_plan (
      case_id uuid primary key references care_case(id),
      place_id text not null,
      what_matters text not null default '',
      strengths text not null default '',
      risks text not null default '',
      goals jsonb not null default '[]',
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`.execute(db);

  await sql`
    create table plan_action (
      id uuid primary key,
      case_id uuid not null references care_case(id),
      place_id text not null,
      person_id uuid not null,
      goal_id text,
      description text not null,
      owner_agency_id text not null,
      owner_practitioner_id text not null,
      owner_team_id text,
      due_on date not null,
      status text not null check (status in ('to-do', 'in-progress', 'done', 'cancelled')),
      source text not null check (source in ('plan', 'mdt', 'huddle')),
      mdt_item_id uuid,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`create index plan_action_case on plan_action (case_id)`.execute(db);
  await sql`create index plan_action_owner on plan_action (owner_practitioner_id, due_on) where status in ('to-do', 'in-progress')`.execute(
    db,
  );
  await sql`create index plan_action_team on plan_action (owner_team_id, due_on) where status in ('to-do', 'in-progress')`.execute(
    db,
  );

  // Every saved state of a case or a plan: the primary key makes two saves of one version impossible.
  await sql`
    create table record_version (
      kind text not null check (kind in ('case', 'plan')),
      record_id uuid not null,
      version integer not null,
      place_id text not null,
      person_id uuid not null,
      snapshot jsonb not null,
      change text not null,
      changed_by text not null,
      changed_by_id uuid,
      changed_at timestamptz not null default now(),
      primary key (kind, record_id, version)
    )`.execute(db);
  await sql`create index record_version_person on record_version (person_id, changed_at)`.execute(db);

  await sql`
    create table case_review (
      id uuid primary key,
      case_id uuid not null references care_case(id),
      held_on date not null,
      summary text not null,
      next_review_on date,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index case_review_case on case_review (case_id)`.execute(db);

  await sql`
    create table case_contact (
      id uuid primary key,
      case_id uuid not null references care_case(id),
      person_id uuid not null,
      contact_at timestamptz not null,
      mode text not null check (mode in ('home-visit', 'clinic', 'phone', 'video', 'message', 'meeting')),
      note text not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index case_contact_person on case_contact (person_id, contact_at)`.execute(db);

  await sql`
    create table consent_record (
      id uuid primary key,
      case_id uuid not null references care_case(id),
      status text not null check (status in ('given', 'declined', 'withdrawn')),
      given_by text not null check (given_by in ('person', 'representative', 'best-interests-decision')),
      agencies text[] not null,
      purpose text not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index consent_record_case on consent_record (case_id)`.execute(db);

  await sql`
    create table mdt_meeting (
      id uuid primary key,
      place_id text not null,
      team_id text not null,
      starts_at timestamptz not null,
      location text not null,
      status text not null check (status in ('scheduled', 'held', 'cancelled')),
      agenda_built_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index mdt_meeting_team on mdt_meeting (team_id, starts_at)`.execute(db);

  await sql`
    create table mdt_item (
      id uuid primary key,
      meeting_id uuid not null references mdt_meeting(id),
      place_id text not null,
      person_id uuid not null,
      case_id uuid,
      referral_id uuid,
      reason text not null check (reason in ('new-referral', 'review-due', 'risk-rose', 'unplanned-care', 'nominated', 'added-by-chair')),
      reason_detail text not null,
      position integer not null,
      removed boolean not null default false,
      summary text not null default '',
      decisions text not null default '',
      discussed_at timestamptz,
      recorded_by text,
      added_by text not null,
      unique (meeting_id, person_id)
    )`.execute(db);
  await sql`create index mdt_item_person on mdt_item (person_id)`.execute(db);

  await sql`
    create table mdt_attendance (
      meeting_id uuid not null references mdt_meeting(id),
      practitioner_id text not null,
      agency_id text not null,
      attended boolean not null,
      primary key (meeting_id, practitioner_id)
    )`.execute(db);

  await sql`
    create table huddle (
      id uuid primary key,
      place_id text not null,
      team_id text not null,
      started_at timestamptz not null default now(),
      since timestamptz not null,
      started_by text not null
    )`.execute(db);
  await sql`create index huddle_team on huddle (team_id, started_at)`.execute(db);

  await sql`
    create table huddle_outcome (
      huddle_id uuid not null references huddle(id),
      person_id uuid not null,
      item text not null check (item in ('unplanned-care', 'overdue-action', 'new-referral')),
      outcome text not null check (outcome in ('noted', 'contact-today', 'discuss-at-mdt', 'escalated')),
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      primary key (huddle_id, person_id, item)
    )`.execute(db);
}
