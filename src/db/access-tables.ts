// The tables of identity, access and audit (database.ts lists every table): staff accounts and their
// sessions, changes sent with an Idempotency-Key, break-glass, safeguarding concerns, and the
// append-only, hash-chained audit trail.
import type { Generated } from 'kysely';
import type { Json, Timestamp } from './column-types.ts';

export type Role =
  | 'int-practitioner'
  | 'int-lead'
  | 'gp-staff'
  | 'vcse-worker'
  | 'social-worker'
  | 'family-help-lead'
  | 'analyst'
  | 'programme-lead'
  | 'ig-officer'
  | 'administrator'
  | 'directory-editor';

export interface StaffUserTable {
  id: string;
  place_id: string;
  username: string;
  display_name: string;
  role: Role;
  team_id: string | null;
  practice_code: string | null;
  password_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  is_demo: Generated<boolean>;
  disabled_at: Timestamp | null;
  created_at: Timestamp;
  /** The agency the staff member works for: decides what consent to share lets them see. */
  agency_id: string | null;
}

/** A signed-in session; the cookie holds a random token and this table only its SHA-256. */
export interface StaffSessionTable {
  id_hash: string;
  public_id: string;
  user_id: string;
  csrf_token: string;
  method: 'password' | 'oidc';
  created_at: Timestamp;
  /** When the person last proved who they are: the password sign-in, or the provider's auth_time. */
  authenticated_at: Timestamp | null;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
  ended_reason: string | null;
  user_agent: Generated<string>;
  ip: Generated<string>;
}

export interface IdempotentAudit {
  action: AuditAction;
  personIds: string[];
  purpose: string;
  relationship: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
}

/** A change sent with an Idempotency-Key, and its answer once given (null while it is being answered). */
export interface IdempotentRequestTable {
  staff_id: string;
  key: string;
  /** The method and the path with its query, e.g. "POST /api/places/bury/cohorts". */
  request: string;
  /** SHA-256 of the request's body as validated. */
  body_hash: string;
  started_at: Timestamp;
  status: number | null;
  headers: Json<Record<string, string>> | null;
  response: string | null;
  /** What the request's audit event said of people, recorded again when its answer is sent again. */
  audit: Json<IdempotentAudit> | null;
}

/** Attempts of one kind by one key (a sign-in's address and username, say) in the window ending at ends_at. */
export interface AttemptWindowTable {
  /** SHA-256 of the key, so that no username or address is stored. */
  key_hash: string;
  attempts: number;
  ends_at: Timestamp;
}

export interface BreakGlassTable {
  id: string;
  place_id: string;
  user_id: string;
  person_id: string;
  reason: string;
  started_at: Timestamp;
  expires_at: Timestamp;
  review_outcome: 'appropriate' | 'not-appropriate' | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
}

export interface SafeguardingConcernTable {
  id: string;
  place_id: string;
  person_id: string;
  category: string;
  detail: string;
  contact: string;
  raised_on: string;
  ended_on: string | null;
}

export type AuditAction =
  | 'read'
  | 'search'
  | 'write'
  | 'export'
  | 'sign-in'
  | 'sign-out'
  | 'break-glass'
  | 'review';

/** Append-only and hash-chained: seq, prev_hash and hash are set by the database's trigger. */
export interface AuditEventTable {
  seq: Generated<number>;
  occurred_at: Timestamp;
  request_id: string;
  actor_id: string | null;
  actor_name: string;
  role: string | null;
  team_id: string | null;
  action: AuditAction;
  route: string;
  person_ids: string[];
  purpose: string;
  relationship: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  detail: Generated<string>;
  prev_hash: Generated<string>;
  hash: Generated<string>;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
