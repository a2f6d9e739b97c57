// The one typed description of the database: every table is listed in `Database` below; access and
// audit's, case management's and the directory's are described in access-tables.ts, case-tables.ts and
// directory-tables.ts and exported from here with the rest. Nullable columns are `T | null`; dates are plain `YYYY-MM-DD` strings (never
// Date objects); timestamps are Date.
import type { ColumnType, Generated } from 'kysely';
import type { CharlsonBand } from '../risk/charlson.ts';
import type { EfiBand } from '../risk/efi.ts';
import type { HfrsBand } from '../risk/hfrs.ts';
import type {
  AttemptWindowTable,
  AuditEventTable,
  AuditHeadTable,
  BreakGlassTable,
  IdempotentRequestTable,
  SafeguardingConcernTable,
  StaffSessionTable,
  StaffUserTable,
} from './access-tables.ts';
import type {
  AgencyTable,
  CareCaseTable,
  CarePlanTable,
  CaseContactTable,
  CaseReviewTable,
  ConsentRecordTable,
  HuddleOutcomeTable,
  HuddleTable,
  IntReferralTable,
  MdtAttendanceTable,
  MdtItemTable,
  MdtMeetingTable,
  PlanActionTable,
  PractitionerTable,
  RecordVersionTable,
} from './case-tables.ts';
import type { Json, Timestamp } from './column-types.ts';
import type {
  DirectoryContactTable,
  DirectoryCostOptionTable,
  DirectoryLocationTable,
  DirectoryOrganisationTable,
  DirectoryScheduleTable,
  DirectoryServiceAtLocationTable,
  DirectoryServiceChangeTable,
  DirectoryServiceTable,
  DirectoryServiceTermTable,
  DirectoryTaxonomyTable,
  DirectoryTaxonomyTermTable,
  ServiceReferralEventTable,
  ServiceReferralTable,
} from './directory-tables.ts';

export interface PlaceTable {
  id: string;
  name: string;
  kind: string;
  lad_code: string;
  region: string;
  population_residents: number;
  population_year: number;
  population_source: string;
  assignment_status: string;
  pack_hash: string;
  loaded_at: Timestamp;
}

export interface NeighbourhoodTable {
  place_id: string;
  code: string;
  name: string;
  towns: string;
  sort_order: number;
}

export interface WardTable {
  place_id: string;
  code: string;
  name: string;
  neighbourhood_code: string;
  assignment: string;
  evidence: string;
  boundary: Json<GeoJsonGeometry>;
}

export interface LsoaTable {
  place_id: string;
  code: string;
  name: string;
  ward_code: string;
  neighbourhood_code: string;
  msoa_code: string;
  msoa_name: string;
  imd2019_rank: number;
  imd2019_decile: number;
  imd2025_score: number;
  imd2025_rank: number;
  imd2025_decile: number;
  households_2021: number;
  population_mid2020: number;
  boundary: Json<GeoJsonGeometry>;
}

export interface PracticeTable {
  place_id: string;
  ods_code: string;
  name: string;
  pcn_code: string;
  pcn_name: string;
  neighbourhood_code: string;
  postcode: string;
  is_open: boolean;
  list_size_2021: number;
  assignment: string;
  evidence: string;
}

export interface TeamTable {
  place_id: string;
  id: string;
  name: string;
  kind: string;
  neighbourhood_code: string | null;
}

export interface TeamRoleTable {
  place_id: string;
  team_id: string;
  role: string;
  title: string;
  responsibility: string;
  sort_order: number;
}

export interface LiveWellSiteTable {
  place_id: string;
  id: string;
  name: string;
  kind: string;
  town: string;
  neighbourhood_codes: string[];
  rollout_year: number;
  rollout_year_end: number | null;
  summary: string;
}

export interface GeoJsonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export interface Database {
  place: PlaceTable;
  neighbourhood: NeighbourhoodTable;
  ward: WardTable;
  lsoa: LsoaTable;
  practice: PracticeTable;
  team: TeamTable;
  team_role: TeamRoleTable;
  live_well_site: LiveWellSiteTable;
  person: PersonTable;
  condition: ConditionTable;
  medication: MedicationTable;
  encounter: EncounterTable;
  social_care: SocialCareTable;
  synthetic_run: SyntheticRunTable;
  risk_code: RiskCodeTable;
  risk_value_rule: RiskValueRuleTable;
  observation: ObservationTable;
  person_risk: PersonRiskTable;
  score_contribution: ScoreContributionTable;
  stratification_run: StratificationRunTable;
  cohort: CohortTable;
  worklist: WorklistTable;
  worklist_decision: WorklistDecisionTable;
  worklist_nomination: WorklistNominationTable;
  staff_user: StaffUserTable;
  staff_session: StaffSessionTable;
  idempotent_request: IdempotentRequestTable;
  attempt_window: AttemptWindowTable;
  break_glass: BreakGlassTable;
  safeguarding_concern: SafeguardingConcernTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  agency: AgencyTable;
  practitioner: PractitionerTable;
  int_referral: IntReferralTable;
  care_case: CareCaseTable;
  care_plan: CarePlanTable;
  plan_action: PlanActionTable;
  record_version: RecordVersionTable;
  case_review: CaseReviewTable;
  case_contact: CaseContactTable;
  consent_record: ConsentRecordTable;
  mdt_meeting: MdtMeetingTable;
  mdt_item: MdtItemTable;
  mdt_attendance: MdtAttendanceTable;
  huddle: HuddleTable;
  huddle_outcome: HuddleOutcomeTable;
  profile_run: ProfileRunTable;
  profile_snapshot: ProfileSnapshotTable;
  import_job: ImportJobTable;
  import_issue: ImportIssueTable;
  import_identity: ImportIdentityTable;
  match_review: MatchReviewTable;
  directory_organisation: DirectoryOrganisationTable;
  directory_location: DirectoryLocationTable;
  directory_taxonomy: DirectoryTaxonomyTable;
  directory_taxonomy_term: DirectoryTaxonomyTermTable;
  directory_service: DirectoryServiceTable;
  directory_service_change: DirectoryServiceChangeTable;
  directory_service_at_location: DirectoryServiceAtLocationTable;
  directory_service_term: DirectoryServiceTermTable;
  directory_schedule: DirectoryScheduleTable;
  directory_cost_option: DirectoryCostOptionTable;
  directory_contact: DirectoryContactTable;
  service_referral: ServiceReferralTable;
  service_referral_event: ServiceReferralEventTable;
}

export type * from './access-tables.ts';
export type * from './case-tables.ts';
export type * from './directory-tables.ts';
export type { Generated };

export interface PersonTable {
  id: string;
  place_id: string;
  nhs_number: string | null;
  given_name: string;
  family_name: string;
  sex: 'female' | 'male';
  date_of_birth: string;
  ethnic_category: string;
  lsoa_code: string;
  practice_code: string;
  date_of_death: string | null;
  cause_of_death: 'cardiovascular' | 'cancer' | 'respiratory' | 'other' | null;
  source: string;
  synthetic_index: number | null;
  /** The national data opt-out: left out of planning and research, kept in direct care. */
  national_data_opt_out: Generated<boolean>;
  /** A type 1 objection at the GP practice: likewise left out of planning outputs. */
  type1_objection: Generated<boolean>;
  /** Home postcode, when an import gave one; used to match people who arrive without an NHS number. */
  postcode: Generated<string | null>;
}

interface RecordColumns {
  person_id: string;
  seq: number;
  place_id: string;
}

export interface ConditionTable extends RecordColumns {
  code_system: string;
  code: string;
  term: string;
  condition: string;
  onset_date: string;
}

export interface MedicationTable extends RecordColumns {
  medicine: string;
  name: string;
  bnf_section: string;
  start_date: string;
  end_date: string | null;
}

export interface EncounterTable extends RecordColumns {
  kind: 'ed' | 'emergency-admission' | 'elective-admission' | 'day-case' | 'outpatient';
  start_date: string;
  end_date: string;
  length_of_stay: number | null;
  primary_diagnosis: string | null;
  secondary_diagnoses: string[];
  is_readmission: boolean;
  arrival_by_ambulance: boolean | null;
}

export interface SocialCareTable extends RecordColumns {
  service: 'home-care' | 'reablement' | 'care-home-permanent';
  start_date: string;
  end_date: string | null;
}

export interface SyntheticRunTable {
  place_id: string;
  seed: number;
  people: number;
  window_start: string;
  window_end: string;
  generator_version: string;
  parameters: Json<unknown>;
  generated_at: Timestamp;
}

export interface RiskCodeTable {
  model: string;
  code: string;
  item: string;
  label: string;
  points: number;
}

/** One row per resident alive on the stratification date; rebuilt by `joinedup stratify`. */
export interface PersonRiskTable {
  person_id: string;
  place_id: string;
  age: number;
  sex: 'female' | 'male';
  neighbourhood_code: string;
  ward_code: string;
  lsoa_code: string;
  practice_code: string;
  /** IMD 2019 national decile of the person's LSOA (1 = most deprived 10% of England). */
  imd_decile: number;
  imd_quintile: number;
  core20: boolean;
  plus_ethnic_minority: boolean;
  plus_learning_disability: boolean;
  plus_multimorbidity: boolean;
  /** Core20PLUS5 clinical areas that apply, e.g. 'adult-hypertension', 'cyp-asthma'. */
  clinical_areas: string[];
  /** Long-term conditions from the multimorbidity list, by condition id. */
  conditions: string[];
  ltc_count: number;
  efi_deficits: number;
  efi_score: number;
  efi_band: EfiBand;
  hfrs_score: number;
  hfrs_band: HfrsBand;
  charlson_score: number;
  charlson_band: CharlsonBand;
  ed_12m: number;
  emergency_12m: number;
  frequent_attender: boolean;
  segment: string;
  /** Activity of each kind in the 3, 6, 12, 24 and 36 months to the date (ACTIVITY_MONTHS), in that order. */
  ed_counts: number[];
  emergency_admission_counts: number[];
  elective_admission_counts: number[];
  day_case_counts: number[];
  /** National data opt-out or type 1 objection: left out of every planning output. */
  planning_opt_out: Generated<boolean>;
  /**
   * Highest risk first as one number (stratify-models.store.ts, RISK_ORDER): in the order of eFI deficits,
   * then HFRS score, then emergency admissions in 12 months.
   */
  risk_order: number;
}

export interface ScoreContributionTable {
  person_id: string;
  model: string;
  item: string;
  place_id: string;
  label: string;
  points: number;
  evidence: string;
  evidence_date: string | null;
}

export interface StratificationRunTable {
  place_id: string;
  as_of: string;
  model_versions: Json<Record<string, string>>;
  people: number;
  duration_ms: number;
  computed_at: Timestamp;
}

export interface CohortTable {
  id: string;
  place_id: string;
  name: string;
  owner: string;
  rules: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The staff member who saved it: only they may change it (null: saved before this was recorded). */
  saved_by: string | null;
  /** Who last changed it, as the product names staff ("Sam Demo, INT lead"); null if never changed. */
  changed_by: string | null;
}

export interface WorklistTable {
  id: string;
  place_id: string;
  cohort_id: string;
  name: string;
  scope: 'neighbourhood' | 'practice';
  scope_code: string;
  created_by: string;
  created_at: Timestamp;
}

export type WorklistDecisionKind =
  | 'add-to-caseload'
  | 'discuss-at-mdt'
  | 'already-known'
  | 'not-appropriate-now';

export interface WorklistDecisionTable {
  id: string;
  worklist_id: string;
  person_id: string;
  decision: WorklistDecisionKind;
  reason: string;
  review_date: string;
  decided_by: string;
  decided_at: Timestamp;
}

export interface WorklistNominationTable {
  id: string;
  worklist_id: string;
  person_id: string;
  reason: string;
  nominated_by: string;
  nominated_at: Timestamp;
}

export interface ObservationTable extends RecordColumns {
  code_system: string;
  code: string;
  value: number;
  unit: string | null;
  observed_on: string;
}

/** One range of one eFI value rule for one code; range_number 0 with no bounds means any value. */
export interface RiskValueRuleTable {
  rule_number: number;
  deficit: string;
  code: string;
  sex: 'female' | 'male' | null;
  range_number: number;
  above: number | null;
  below: number | null;
  look_back_years: number | null;
}

export interface ProfileRunTable {
  place_id: string;
  reference_date: string;
  computed_at: Generated<Date>;
  milliseconds: number;
  people_counted: number;
  people_opted_out: number;
  cells: number;
  cells_suppressed: number;
}

export interface ProfileSnapshotTable {
  place_id: string;
  kind: 'placemat' | 'map' | 'series' | 'dashboard';
  key: string;
  body: Json<unknown>;
}

export type ImportFormat = 'fhir-ndjson' | 'fhir-bundle' | 'csv';
export type ImportStatus = 'running' | 'interrupted' | 'completed' | 'failed';

export interface ImportJobTable {
  id: string;
  place_id: string;
  file_name: string;
  sha256: string;
  bytes: ColumnType<number, number, number>;
  format: ImportFormat;
  status: ImportStatus;
  /** The checkpoint: lines, rows or entries read and written, committed with each batch. */
  lines_done: Generated<number>;
  bytes_done: ColumnType<number, number | undefined, number>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  started_by: string;
  message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface ImportIssueTable {
  job_id: string;
  n: number;
  line: number | null;
  resource_key: string | null;
  severity: 'error' | 'warning';
  code: string;
  expression: string | null;
  diagnostics: string;
}

export interface ImportIdentityTable {
  place_id: string;
  resource_key: string;
  person_id: string;
  record_table: string;
  seq: number;
}

export interface MatchReviewTable {
  id: string;
  place_id: string;
  job_id: string;
  resource_key: string;
  incoming: ColumnType<unknown, string, string>;
  candidates: ColumnType<unknown, string, string>;
  held: ColumnType<unknown[], string | undefined, string>;
  status: 'open' | 'same-person' | 'new-person';
  person_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}
