// The services directory's domain: what a service, its organisation, locations, needs (taxonomy terms),
// opening times, contacts and costs are, as the store hands them to the ORUK API and to pages. The model
// follows Open Referral UK 3.0 (the UK profile of HSDS 3.0), with a few product fields beside it
// (neighbourhood, town, review date, last checked, sample). Pure: no IO.
import { uuidV5 } from '../core/name-based-uuid.ts';
import { SERVICE_STATUSES, type ServiceStatus } from '../core/schemas/oruk.ts';

export { SERVICE_STATUSES, type ServiceStatus };
export const isRetired = (status: ServiceStatus): boolean => status === 'defunct';

export const ORGANISATION_KINDS = ['council', 'nhs', 'partnership', 'vcse'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Days in RFC 5545 form, as ORUK schedules write them. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const SCHEDULE_FREQUENCIES = ['WEEKLY', 'MONTHLY'] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];

/** The kinds of directory record that get an id, each in a namespace of its own. */
export type DirectoryRecordKind =
  | 'organisation'
  | 'location'
  | 'service'
  | 'service-at-location'
  | 'taxonomy'
  | 'taxonomy-term'
  | 'service-term'
  | 'schedule'
  | 'cost-option'
  | 'contact'
  | 'address';

const DIRECTORY_NAMESPACE = '6e24ce7f-5d66-4998-bd67-e251211fef11';

/**
 * The UUID of a directory record made from a place pack: a name-based UUID of the place, the kind of
 * record and its key in the pack, so the same pack gives the same ids on every load and two places never
 * share one.
 */
export function directoryId(placeId: string, kind: DirectoryRecordKind, packKey: string): string {
  return uuidV5(DIRECTORY_NAMESPACE, `${placeId}/${kind}/${packKey}`);
}

export interface DirectoryOrganisation {
  id: string;
  packId: string;
  name: string;
  description: string;
  kind: OrganisationKind;
  email: string | null;
  website: string | null;
  isSample: boolean;
}

export interface DirectoryLocation {
  id: string;
  packId: string;
  name: string;
  description: string | null;
  address1: string | null;
  town: string;
  postcode: string | null;
  neighbourhood: { code: string; name: string };
  /** The Live Well centre, hub or network this location is, if it is one. */
  liveWellSiteId: string | null;
  latitude: number | null;
  longitude: number | null;
  isSample: boolean;
}

export interface DirectoryTaxonomy {
  id: string;
  packId: string;
  name: string;
  description: string;
  version: string | null;
}

export interface DirectoryTaxonomyTerm {
  id: string;
  /** The term's code in its vocabulary, e.g. `social-connection`. */
  code: string;
  name: string;
  description: string;
  parentId: string | null;
  taxonomy: { id: string; code: string; name: string };
}

export interface DirectorySchedule {
  id: string;
  /** Set when the times are for one location of the service. */
  serviceAtLocationId: string | null;
  locationId: string | null;
  freq: ScheduleFrequency;
  interval: number;
  /** RFC 5545 BYDAY parts: `MO`, or `1TH` (the first Thursday) for a monthly schedule. */
  byday: string[];
  /** `HH:MM`, local time. */
  opensAt: string;
  closesAt: string;
  description: string | null;
}

export interface DirectoryContact {
  id: string;
  name: string | null;
  title: string | null;
  phone: string | null;
  email: string | null;
}

export interface DirectoryCostOption {
  id: string;
  option: string | null;
  amount: number | null;
  amountDescription: string | null;
}

/** A service with everything a page or an ORUK response shows about it. */
export interface DirectoryService {
  id: string;
  /** Its id in the place pack; null for a service a directory editor added. */
  packId: string | null;
  name: string;
  description: string;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  /** A plain summary of what it costs, e.g. "Free" or "£3.50 a week". */
  fees: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  eligibilityDescription: string | null;
  /** Serves residents anywhere in the place (a phone line, home visits), wherever it meets. */
  isBoroughWide: boolean;
  /** When the entry is next due for review (YYYY-MM-DD). */
  reviewDate: string;
  /** When someone last checked the entry was right (YYYY-MM-DD). */
  lastChecked: string;
  isSample: boolean;
  /** When the record last changed in this database. */
  updatedAt: Date;
  organisation: DirectoryOrganisation;
  locations: (DirectoryLocation & { serviceAtLocationId: string })[];
  /** The service's needs; `linkId` identifies the link itself (ORUK's attribute id). */
  terms: (DirectoryTaxonomyTerm & { linkId: string })[];
  schedules: DirectorySchedule[];
  contacts: DirectoryContact[];
  costOptions: DirectoryCostOption[];
}

/** One service at one location, as ORUK's service_at_location. */
export interface DirectoryServiceAtLocation {
  id: string;
  service: DirectoryService;
  location: DirectoryLocation;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface Paging {
  /** 1 for the first page. */
  page: number;
  perPage: number;
}

/** How many rows come before this page. */
export const offsetOf = (p: Paging) => (p.page - 1) * p.perPage;

/** Whether a person of this age may use a service with these age limits (limits are inclusive). */
export function ageIsEligible(age: number, minimumAge: number | null, maximumAge: number | null): boolean {
  return (minimumAge === null || minimumAge <= age) && (maximumAge === null || age <= maximumAge);
}

/** Whether a service is due for review on a date (YYYY-MM-DD). */
export const isReviewDue = (service: Pick<DirectoryService, 'reviewDate'>, today: string): boolean =>
  service.reviewDate <= today;
