// The one typed description of the database. Nullable columns are `T | null`; dates are plain
// `YYYY-MM-DD` strings (never Date objects); timestamps are Date.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

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
}

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
