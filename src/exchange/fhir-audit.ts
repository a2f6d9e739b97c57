// The audit trail as FHIR R4 AuditEvent, for export and for the FHIR API: who did what to whose
// record, when, from which request, for what purpose and with what outcome. Pure: rows in, resources
// out. Documented in docs/fhir.md ("Care plans, referrals and audit").
import type { AuditEvent, AuditEventEntity, CodeableConcept, Coding } from '@medplum/fhirtypes';
import type { Selectable } from 'kysely';
import { ROLES } from '../access/roles.ts';
import type { AuditEventTable } from '../db/database.ts';
import {
  instant,
  patient,
  REQUEST_ID_SYSTEM,
  STAFF_ROLE_SYSTEM,
  STAFF_USER_SYSTEM,
  text,
  type When,
} from './fhir-care.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const AUDIT_ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SECURITY_SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** An `audit_event` row as read for FHIR: its chain's hashes left out; seq and time as either driver gives them. */
export type AuditRow = Omit<
  Selectable<AuditEventTable>,
  'seq' | 'occurred_at' | 'person_ids' | 'prev_hash' | 'hash'
> & {
  seq: number | string;
  occurred_at: When;
  person_ids: readonly string[];
};

const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });
const rest = (code: string, display: string): Coding => ({ system: RESTFUL_INTERACTION, code, display });
const REST_TYPE: Coding = { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' };

type AuditCode = NonNullable<AuditEvent['action']>;

/** A write's interaction and action code from the HTTP method its route starts with. */
function writeKind(route: string): { subtype: Coding; action: AuditCode } {
  const method = route.split(' ', 1)[0]?.toUpperCase();
  if (method === 'POST') return { subtype: rest('create', 'create'), action: 'C' };
  if (method === 'DELETE') return { subtype: rest('delete', 'delete'), action: 'D' };
  if (method === 'PATCH') return { subtype: rest('patch', 'patch'), action: 'U' };
  return { subtype: rest('update', 'update'), action: 'U' };
}

/** The event's type, subtypes and action code from what was done (and whether it was refused). */
export function auditEventKind(e: Pick<AuditRow, 'action' | 'route' | 'outcome'>): {
  type: Coding;
  subtype: Coding[];
  action: AuditCode;
} {
  const kind = ((): { type: Coding; subtype: Coding[]; action: AuditCode } => {
    switch (e.action) {
      case 'read':
        return { type: REST_TYPE, subtype: [rest('read', 'read')], action: 'R' };
      case 'search':
        return { type: REST_TYPE, subtype: [rest('search-type', 'search type')], action: 'E' };
      case 'write': {
        const w = writeKind(e.route);
        return { type: REST_TYPE, subtype: [w.subtype], action: w.action };
      }
      case 'export':
        return { type: dcm('110106', 'Export'), subtype: [], action: 'R' };
      case 'sign-in':
        return { type: dcm('110114', 'User Authentication'), subtype: [dcm('110122', 'Login')], action: 'E' };
      case 'sign-out':
        return {
          type: dcm('110114', 'User Authentication'),
          subtype: [dcm('110123', 'Logout')],
          action: 'E',
        };
      case 'break-glass':
        return {
          type: dcm('110113', 'Security Alert'),
          subtype: [dcm('110127', 'Emergency Override Started')],
          action: 'E',
        };
      case 'review':
        return { type: REST_TYPE, subtype: [rest('update', 'update')], action: 'U' };
    }
  })();
  // A refusal is a security alert: an attempt to use something the person was not allowed to.
  if (e.outcome === 'denied' && e.action !== 'sign-in' && e.action !== 'break-glass')
    return {
      type: dcm('110113', 'Security Alert'),
      subtype: [...kind.subtype, dcm('110132', 'Use of Restricted Function')],
      action: kind.action,
    };
  return kind;
}

export const AUDIT_OUTCOME: Record<AuditRow['outcome'], NonNullable<AuditEvent['outcome']>> = {
  allowed: '0',
  denied: '4',
  failed: '8',
};

const PURPOSES: Record<string, { text: string; coding?: Coding }> = {
  'direct-care': { text: 'Direct care', coding: { system: ACT_REASON, code: 'TREAT', display: 'treatment' } },
  'break-glass': {
    text: 'Emergency access (break glass)',
    coding: { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' },
  },
  'information-governance': { text: 'Information governance' },
  planning: { text: 'Planning' },
  account: { text: 'Managing their own account' },
};

function purposeOf(purpose: string): CodeableConcept {
  const known = PURPOSES[purpose];
  if (!known) return text(purpose);
  return { ...(known.coding ? { coding: [known.coding] } : {}), text: known.text };
}

/** One audit event: who (staff account and role), did what, to whose records, why, and how it ended. */
export function auditEventResource(e: AuditRow): AuditEvent {
  const kind = auditEventKind(e);
  const roleTitle = e.role ? (ROLES[e.role as keyof typeof ROLES]?.title ?? e.role) : null;
  const people: AuditEventEntity[] = [...new Set(e.person_ids)].map((id) => ({
    what: patient(id),
    type: { system: AUDIT_ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
    ...(e.relationship ? { detail: [{ type: 'relationship', valueString: e.relationship }] } : {}),
  }));
  const request: AuditEventEntity = {
    what: { identifier: { system: REQUEST_ID_SYSTEM, value: e.request_id } },
    type: { system: AUDIT_ENTITY_TYPE, code: '2', display: 'System Object' },
    description: e.route,
    ...(e.team_id ? { detail: [{ type: 'actor-team', valueString: e.team_id }] } : {}),
  };
  return {
    resourceType: 'AuditEvent',
    id: String(e.seq),
    type: kind.type,
    ...(kind.subtype.length > 0 ? { subtype: kind.subtype } : {}),
    action: kind.action,
    recorded: instant(e.occurred_at),
    outcome: AUDIT_OUTCOME[e.outcome],
    ...(e.detail ? { outcomeDesc: e.detail } : {}),
    purposeOfEvent: [purposeOf(e.purpose)],
    agent: [
      {
        ...(roleTitle && e.role
          ? {
              role: [
                {
                  coding: [{ system: STAFF_ROLE_SYSTEM, code: e.role, display: roleTitle }],
                  text: roleTitle,
                },
              ],
            }
          : {}),
        who: {
          ...(e.actor_id ? { identifier: { system: STAFF_USER_SYSTEM, value: e.actor_id } } : {}),
          display: e.actor_name,
        },
        requestor: true,
      },
    ],
    source: {
      observer: { display: 'Joined Up' },
      type: [{ system: SECURITY_SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    entity: [...people, request],
  };
}
