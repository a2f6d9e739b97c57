// The tables of the services directory and referrals into its services (database.ts lists every table).
import type { Generated } from 'kysely';
import type { ServiceReferralStatus } from '../core/schemas/service-referral.ts';
import type { Timestamp } from './column-types.ts';

// The services directory (migration 2026-12-04T2200-directory), shaped as Open Referral UK 3.0.
export interface DirectoryOrganisationTable {
  place_id: string;
  id: string;
  pack_id: string;
  name: string;
  description: string;
  kind: 'council' | 'nhs' | 'partnership' | 'vcse';
  email: string | null;
  website: string | null;
  is_sample: boolean;
  /** The place's agency (an id in `agency`, not a foreign key) whose staff receive the organisation's referrals. */
  agency_id: string | null;
}

export interface DirectoryLocationTable {
  place_id: string;
  id: string;
  pack_id: string;
  name: string;
  description: string | null;
  address_1: string | null;
  town: string;
  postcode: string | null;
  /** A neighbourhood code of the place (not a foreign key). */
  neighbourhood_code: string;
  /** A Live Well site id of the place (not a foreign key). */
  live_well_site_id: string | null;
  latitude: number | null;
  longitude: number | null;
  is_sample: boolean;
}

export interface DirectoryTaxonomyTable {
  place_id: string;
  id: string;
  pack_id: string;
  name: string;
  description: string;
  version: string | null;
  sort_order: number;
}

export interface DirectoryTaxonomyTermTable {
  place_id: string;
  id: string;
  code: string;
  taxonomy_id: string;
  parent_id: string | null;
  name: string;
  description: string;
  sort_order: number;
}

export interface DirectoryServiceTable {
  place_id: string;
  id: string;
  /** The service's id in the place pack; null for a service a directory editor added. */
  pack_id: string | null;
  organisation_id: string;
  name: string;
  description: string;
  url: string | null;
  email: string | null;
  status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  fees: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  eligibility_description: string | null;
  is_borough_wide: boolean;
  review_date: string;
  last_checked: string;
  is_sample: boolean;
  /** The full-text document, kept by the store (refreshServiceSearch). */
  search: Generated<string>;
  updated_at: Timestamp;
  /** Bumped by every save by an editor; a save from an older one is refused. */
  version: Generated<number>;
  /** When a directory editor last saved it: from then on a place pack reload leaves it as it is. */
  edited_at: Timestamp | null;
  /** Who last checked the entry was right, as staff name and role (null when the place pack said so). */
  last_checked_by: string | null;
}

/** One save of a service by a directory editor (migration 2026-12-05T0000-directory-editing). */
export interface DirectoryServiceChangeTable {
  place_id: string;
  service_id: string;
  /** The version the save made. */
  version: number;
  kind: 'created' | 'changed' | 'checked';
  /** The fields that changed, as the edit form names them. */
  fields: string[];
  at: Timestamp;
  by_user_id: string | null;
  by_name: string;
}

export interface DirectoryServiceAtLocationTable {
  place_id: string;
  id: string;
  service_id: string;
  location_id: string;
  sort_order: number;
}

export interface DirectoryServiceTermTable {
  place_id: string;
  id: string;
  service_id: string;
  term_id: string;
  sort_order: number;
}

export interface DirectoryScheduleTable {
  place_id: string;
  id: string;
  service_id: string;
  service_at_location_id: string | null;
  freq: 'WEEKLY' | 'MONTHLY';
  repeat_interval: number;
  byday: string[];
  opens_at: string;
  closes_at: string;
  description: string | null;
  sort_order: number;
}

export interface DirectoryCostOptionTable {
  place_id: string;
  id: string;
  service_id: string;
  option: string | null;
  amount: number | null;
  amount_description: string | null;
  sort_order: number;
}

export interface DirectoryContactTable {
  place_id: string;
  id: string;
  service_id: string;
  name: string | null;
  title: string | null;
  phone: string | null;
  email: string | null;
  sort_order: number;
}

// Referrals into directory services (migration 2026-12-04T2300-service-referrals).
export interface ServiceReferralTable {
  id: string;
  place_id: string;
  person_id: string;
  case_id: string;
  service_id: string;
  /** The organisation that received it (the service's when it was sent). */
  organisation_id: string;
  status: ServiceReferralStatus;
  reason: string;
  referred_by_user_id: string | null;
  /** Who referred, as staff name and role. */
  referred_by_name: string;
  referred_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** One row per status a referral has had; seq 1 is 'sent', and each later seq is the version its change made. */
export interface ServiceReferralEventTable {
  referral_id: string;
  seq: number;
  status: ServiceReferralStatus;
  at: Timestamp;
  by_user_id: string | null;
  by_name: string;
  note: string | null;
}
