// What an import reads, whatever it came in as: each FHIR resource or CSV row becomes one of these
// records before anything is written. FHIR (fhir-in.ts) and the CSV layouts (csv-in.ts) both produce
// them, so identity, matching and writing (import.store.ts) are one path. Dates are date-only strings
// (YYYY-MM-DD), never Date objects, so that no time zone can move them. Pure types.

/** Where a record came from, for messages and for re-import identity. */
export interface SourceRef {
  /**
   * FHIR: `Patient/abc`. CSV (csv-in.ts): a person is `nhs:<NHS number>`, or `csv:person:<person_id>`
   * without one; another row is `csv:<layout>:id:<record_id>`, or without a record_id
   * `csv:<layout>:<SHA-256 of its values>`, so the same row sent twice is the same record.
   * Unique within the place's imports.
   */
  readonly resourceKey: string;
}

export interface PersonRecord extends SourceRef {
  readonly kind: 'person';
  /** Ten digits, valid Modulus 11; null when the sender has none (the person is then matched). */
  readonly nhsNumber: string | null;
  readonly givenName: string;
  readonly familyName: string;
  readonly sex: 'female' | 'male';
  readonly dateOfBirth: string;
  readonly dateOfDeath: string | null;
  readonly causeOfDeath: 'cardiovascular' | 'cancer' | 'respiratory' | 'other' | null;
  /** NHS Data Dictionary ethnic category, A–Z; Z (not stated) when the sender gives none. */
  readonly ethnicCategory: string;
  /** ONS 2021 LSOA of the home address. */
  readonly lsoa: string;
  /** Postcode of the home address, normalised ("BL9 0SN"), when given; used for matching. */
  readonly postcode: string | null;
  /** ODS code of the registered GP practice. */
  readonly practice: string;
  /**
   * The national data opt-out and a type 1 objection, when the sender records them. An import can
   * record an opt-out but never clears one: only the absence of a flag is not evidence it was lifted.
   */
  readonly nationalDataOptOut: boolean;
  readonly type1Objection: boolean;
}

/** A person's record of one of the clinical kinds, pointing at its person by the person's resource key. */
interface PersonOwned extends SourceRef {
  /** The `resourceKey` of the person it belongs to, for example `Patient/abc`. */
  readonly personKey: string;
}

export interface ConditionRecord extends PersonOwned {
  readonly kind: 'condition';
  readonly codeSystem: 'http://snomed.info/sct';
  readonly code: string;
  readonly term: string;
  readonly onsetDate: string;
}

export interface MedicationRecord extends PersonOwned {
  readonly kind: 'medication';
  /** The medicine's code; different medicines are counted for polypharmacy. */
  readonly medicine: string;
  readonly name: string;
  /** BNF section, or '' when the sender gives none. */
  readonly bnfSection: string;
  readonly startDate: string;
  readonly endDate: string | null;
}

export const ENCOUNTER_KINDS = [
  'ed',
  'emergency-admission',
  'elective-admission',
  'day-case',
  'outpatient',
] as const;
export type EncounterKind = (typeof ENCOUNTER_KINDS)[number];

export interface EncounterRecord extends PersonOwned {
  readonly kind: 'encounter';
  readonly encounterKind: EncounterKind;
  readonly startDate: string;
  readonly endDate: string;
  readonly lengthOfStay: number | null;
  /** ICD-10 codes as written (`I50`, `J18.9`). */
  readonly primaryDiagnosis: string | null;
  readonly secondaryDiagnoses: readonly string[];
  readonly isReadmission: boolean;
  readonly arrivalByAmbulance: boolean | null;
}

export const SOCIAL_CARE_SERVICES = ['home-care', 'reablement', 'care-home-permanent'] as const;
export type SocialCareService = (typeof SOCIAL_CARE_SERVICES)[number];

export interface SocialCareRecord extends PersonOwned {
  readonly kind: 'social-care';
  readonly service: SocialCareService;
  readonly startDate: string;
  readonly endDate: string | null;
}

export interface ObservationRecord extends PersonOwned {
  readonly kind: 'observation';
  readonly codeSystem: 'http://snomed.info/sct';
  readonly code: string;
  readonly value: number;
  readonly unit: string | null;
  readonly observedOn: string;
}

/** A GP practice named by an import; checked against the place's practices, not written. */
export interface OrganisationRecord extends SourceRef {
  readonly kind: 'organisation';
  readonly odsCode: string;
  readonly name: string | null;
}

export type PersonOwnedRecord =
  | ConditionRecord
  | MedicationRecord
  | EncounterRecord
  | SocialCareRecord
  | ObservationRecord;
export type ImportRecord = PersonRecord | PersonOwnedRecord | OrganisationRecord;

/** One problem found in the input, in the shape of an OperationOutcome issue plus where it was. */
export interface ImportIssue {
  readonly severity: 'error' | 'warning';
  /** FHIR IssueType: structure, required, value, invalid, duplicate, not-found, too-long, … */
  readonly code: string;
  readonly diagnostics: string;
  /** FHIRPath of the element (`Patient.birthDate`), or the CSV column name. */
  readonly expression?: string;
  /** NDJSON line or CSV row (1-based, the header is row 1), when the input has them. */
  readonly line?: number;
  /** Bundle entry (0-based) for Bundles. */
  readonly entry?: number;
  readonly resourceKey?: string;
}

export type Parsed<T> =
  | { ok: true; value: T; warnings?: readonly ImportIssue[] }
  | { ok: false; issues: readonly ImportIssue[] };
