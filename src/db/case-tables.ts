// The tables of case management (database.ts lists every table): agencies and practitioners, INT
// referrals, cases with their plans, reviews, contacts and consent, MDT meetings and daily huddles.
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './column-types.ts';

export type AgencyKind =
  | 'gp-practice'
  | 'community-health'
  | 'adult-social-care'
  | 'mental-health'
  | 'vcse'
  | 'housing'
  | 'dwp'
  | 'police'
  | 'fire-and-rescue'
  | 'family-hub'
  | 'public-health';

export interface AgencyTable {
  place_id: string;
  id: string;
  name: string;
  kind: AgencyKind;
}

/** A member of a team, named by role; linked to a staff account when they sign in to Joined Up. */
export interface PractitionerTable {
  place_id: string;
  id: string;
  team_id: string | null;
  agency_id: string;
  title: string;
  staff_user_id: string | null;
  sort_order: number;
}

export type ReferralSource = 'worklist' | 'practitioner' | 'self-or-family';
export type ReferralStatus = 'awaiting-triage' | 'accepted' | 'declined';

export interface IntReferralTable {
  id: string;
  place_id: string;
  person_id: string;
  team_id: string;
  source: ReferralSource;
  worklist_id: string | null;
  referrer: string;
  referrer_agency_id: string | null;
  referred_by: string | null;
  reason: string;
  urgency: 'routine' | 'urgent';
  status: ReferralStatus;
  triaged_by: string | null;
  triaged_at: Timestamp | null;
  decline_reason: string | null;
  case_id: string | null;
  created_at: Timestamp;
}

export type ConsentStatus = 'not-recorded' | 'given' | 'declined' | 'withdrawn';

export interface CareCaseTable {
  id: string;
  place_id: string;
  person_id: string;
  team_id: string;
  referral_id: string | null;
  status: 'open' | 'closed';
  lead_practitioner_id: string;
  key_worker_ids: Generated<string[]>;
  opened_at: Timestamp;
  review_due_on: string | null;
  consent_status: Generated<ConsentStatus>;
  consent_agencies: Generated<string[]>;
  /** The risk bands the team last saw (at opening or at an MDT): a rise since puts the person on the agenda. */
  risk_seen: ColumnType<{ efi?: string; hfrs?: string }, string | undefined, string>;
  closed_at: Timestamp | null;
  closure_reason: string | null;
  closure_outcome: string | null;
  closure_override_reason: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
  updated_by: string;
}

export interface PlanGoal {
  id: string;
  /** In the person's own words. */
  text: string;
}

export interface CarePlanTable {
  case_id: string;
  place_id: string;
  what_matters: Generated<string>;
  strengths: Generated<string>;
  risks: Generated<string>;
  goals: ColumnType<PlanGoal[], string | undefined, string>;
  version: Generated<number>;
  updated_at: Timestamp;
  updated_by: string;
}

export type ActionStatus = 'to-do' | 'in-progress' | 'done' | 'cancelled';

export interface PlanActionTable {
  id: string;
  case_id: string;
  place_id: string;
  person_id: string;
  goal_id: string | null;
  description: string;
  owner_agency_id: string;
  owner_practitioner_id: string;
  owner_team_id: string | null;
  due_on: string;
  status: ActionStatus;
  source: 'plan' | 'mdt' | 'huddle';
  mdt_item_id: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface RecordVersionTable {
  kind: 'case' | 'plan';
  record_id: string;
  version: number;
  place_id: string;
  person_id: string;
  snapshot: Json<unknown>;
  change: string;
  changed_by: string;
  changed_by_id: string | null;
  changed_at: Timestamp;
}

export interface CaseReviewTable {
  id: string;
  case_id: string;
  held_on: string;
  summary: string;
  next_review_on: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

export type ContactMode = 'home-visit' | 'clinic' | 'phone' | 'video' | 'message' | 'meeting';

export interface CaseContactTable {
  id: string;
  case_id: string;
  person_id: string;
  contact_at: Timestamp;
  mode: ContactMode;
  note: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface ConsentRecordTable {
  id: string;
  case_id: string;
  status: 'given' | 'declined' | 'withdrawn';
  given_by: 'person' | 'representative' | 'best-interests-decision';
  agencies: string[];
  purpose: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface MdtMeetingTable {
  id: string;
  place_id: string;
  team_id: string;
  starts_at: Timestamp;
  location: string;
  status: 'scheduled' | 'held' | 'cancelled';
  agenda_built_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
}

export type AgendaReason =
  | 'new-referral'
  | 'review-due'
  | 'risk-rose'
  | 'unplanned-care'
  | 'nominated'
  | 'added-by-chair';

export interface MdtItemTable {
  id: string;
  meeting_id: string;
  place_id: string;
  person_id: string;
  case_id: string | null;
  referral_id: string | null;
  reason: AgendaReason;
  reason_detail: string;
  position: number;
  removed: Generated<boolean>;
  summary: Generated<string>;
  decisions: Generated<string>;
  discussed_at: Timestamp | null;
  recorded_by: string | null;
  added_by: string;
}

export interface MdtAttendanceTable {
  meeting_id: string;
  practitioner_id: string;
  agency_id: string;
  attended: boolean;
}

export interface HuddleTable {
  id: string;
  place_id: string;
  team_id: string;
  started_at: Timestamp;
  since: Timestamp;
  started_by: string;
}

export type HuddleItem = 'unplanned-care' | 'overdue-action' | 'new-referral';
export type HuddleOutcome = 'noted' | 'contact-today' | 'discuss-at-mdt' | 'escalated';

export interface HuddleOutcomeTable {
  huddle_id: string;
  person_id: string;
  item: HuddleItem;
  outcome: HuddleOutcome;
  recorded_by: string;
  recorded_at: Timestamp;
}
