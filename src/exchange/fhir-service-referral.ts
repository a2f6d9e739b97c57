// A referral into a directory service (a Live Well, voluntary or council service) as a FHIR R4
// ServiceRequest: based on the case's CarePlan it was made from, for the service (its directory id and
// name) and performed by the organisation that runs it, with every step of its history as a note.
// Pure: rows in, a resource out. The id is the referral's. Documented in docs/fhir.md.
import type { Annotation, Organization, Reference, ServiceRequest } from '@medplum/fhirtypes';
import {
  SERVICE_REFERRAL_STATUS_LABELS,
  type ServiceReferralStatus,
} from '../core/schemas/service-referral.ts';
import { SNOMED_SYSTEM } from '../synth/fhir.ts';
import {
  instant,
  patient,
  STAFF_USER_SYSTEM,
  STATUS_REASON_EXTENSION,
  text,
  type When,
} from './fhir-care.ts';

/** A service of a place's directory (its UUID, as the Open Referral UK feed names it). */
export const DIRECTORY_SERVICE_SYSTEM = 'urn:joinedup:fhir:Id:directory-service';
/** An organisation of a place's directory (its UUID, as the Open Referral UK feed names it). */
export const DIRECTORY_ORGANISATION_SYSTEM = 'urn:joinedup:fhir:Id:directory-organisation';

export interface ServiceReferralRow {
  id: string;
  case_id: string;
  person_id: string;
  status: ServiceReferralStatus;
  reason: string;
  referred_by_user_id: string | null;
  referred_by_name: string;
  referred_at: When;
  service_id: string;
  service_name: string;
  organisation_id: string;
  organisation_name: string;
}

export interface ServiceReferralEventRow {
  referral_id: string;
  status: ServiceReferralStatus;
  at: When;
  by_name: string;
  note: string | null;
}

/** Under way until completed; declined or not completed ends it before it was carried out (revoked). */
export const SERVICE_REFERRAL_REQUEST_STATUS: Record<ServiceReferralStatus, ServiceRequest['status']> = {
  sent: 'active',
  received: 'active',
  accepted: 'active',
  'in-progress': 'active',
  completed: 'completed',
  declined: 'revoked',
  'not-completed': 'revoked',
};

/** The referral, with its history (oldest first) as notes; declined or not completed carries the reason. */
export function serviceReferralRequest(
  r: ServiceReferralRow,
  events: readonly ServiceReferralEventRow[],
): ServiceRequest {
  const ended = events.findLast((e) => e.status === r.status);
  const why = SERVICE_REFERRAL_REQUEST_STATUS[r.status] === 'revoked' ? ended?.note : null;
  const performer: Reference<Organization> = {
    type: 'Organization',
    identifier: { system: DIRECTORY_ORGANISATION_SYSTEM, value: r.organisation_id },
    display: r.organisation_name,
  };
  const notes: Annotation[] = events.map((e) => ({
    authorString: e.by_name,
    time: instant(e.at),
    text: `${SERVICE_REFERRAL_STATUS_LABELS[e.status]}${e.note ? `: ${e.note}` : ''}`,
  }));
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    ...(why ? { extension: [{ url: STATUS_REASON_EXTENSION, valueCodeableConcept: text(why) }] } : {}),
    basedOn: [{ reference: `CarePlan/${r.case_id}` }],
    status: SERVICE_REFERRAL_REQUEST_STATUS[r.status],
    intent: 'order',
    category: [{ coding: [{ system: SNOMED_SYSTEM, code: '3457005', display: 'Patient referral' }] }],
    code: {
      coding: [{ system: DIRECTORY_SERVICE_SYSTEM, code: r.service_id, display: r.service_name }],
      text: r.service_name,
    },
    subject: patient(r.person_id),
    authoredOn: instant(r.referred_at),
    requester: {
      type: 'Practitioner',
      ...(r.referred_by_user_id
        ? { identifier: { system: STAFF_USER_SYSTEM, value: r.referred_by_user_id } }
        : {}),
      display: r.referred_by_name,
    },
    performer: [performer],
    reasonCode: [text(r.reason)],
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}
