// Case management as FHIR R4, for export and for the FHIR API: a case's personalised care and support
// plan (CarePlan), its goals in the person's own words (Goal), the people working with the person
// (CareTeam), the plan's actions (Task), referrals into an Integrated Neighbourhood Team
// (ServiceRequest); the audit trail (AuditEvent) is in fhir-audit.ts. Pure: rows in, resources out. The ids are the
// database's, so the same record is always the same resource. Documented in docs/fhir.md ("Care plans,
// referrals and audit").
import type {
  Annotation,
  CarePlan,
  CarePlanActivity,
  CareTeam,
  CareTeamParticipant,
  CodeableConcept,
  Goal,
  Organization,
  Patient,
  Practitioner,
  Reference,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { CLOSURE_REASON_LABELS } from '../core/schemas/case.ts';
import type { ActionStatus, PlanGoal } from '../db/database.ts';
import { ODS_SYSTEM, SNOMED_SYSTEM } from '../synth/fhir.ts';

// ---- Systems -----------------------------------------------------------------------------------------

/** A practitioner of the place pack (a post in a team, named by its title), e.g. `int-east-social-worker`. */
export const PRACTITIONER_SYSTEM = 'urn:joinedup:fhir:Id:practitioner';
/** An agency of the place pack other than a GP practice (those are named by their ODS code). */
export const AGENCY_SYSTEM = 'urn:joinedup:fhir:Id:agency';
/** A team of the place pack, e.g. `int-east`. */
export const TEAM_SYSTEM = 'urn:joinedup:fhir:Id:team';
/** A Joined Up staff account (its UUID). */
export const STAFF_USER_SYSTEM = 'urn:joinedup:fhir:Id:staff-user';
/** The id of the HTTP request an audit event records, as the error pages quote it. */
export const REQUEST_ID_SYSTEM = 'urn:joinedup:fhir:Id:request';
export const CARE_TEAM_ROLE_SYSTEM = 'urn:joinedup:fhir:CodeSystem:care-team-role';
export const STAFF_ROLE_SYSTEM = 'urn:joinedup:fhir:CodeSystem:staff-role';
export const LOINC_SYSTEM = 'http://loinc.org';
const GOAL_ACHIEVEMENT = 'http://terminology.hl7.org/CodeSystem/goal-achievement';
export const STATUS_REASON_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/request-statusReason';

export type CareResource = CarePlan | CareTeam | Goal | Task | ServiceRequest;

// ---- Input rows (the columns read from the database) -------------------------------------------------

export type When = Date | string;

/** `agency`. */
export interface AgencyRow {
  id: string;
  name: string;
  kind: string;
}

/** `practitioner`, with the label the product shows: "Social worker, East INT". */
export interface PractitionerRow {
  id: string;
  title: string;
  agency_id: string;
  label: string;
}

/** `team`. */
export interface TeamRow {
  id: string;
  name: string;
}

/** The place's agencies, practitioners and teams, by id, to name the people and organisations in a record. */
export interface CareDirectory {
  agencies: ReadonlyMap<string, AgencyRow>;
  practitioners: ReadonlyMap<string, PractitionerRow>;
  teams: ReadonlyMap<string, TeamRow>;
}

/** `care_case`. */
export interface CaseRow {
  id: string;
  person_id: string;
  team_id: string;
  referral_id: string | null;
  status: 'open' | 'closed';
  lead_practitioner_id: string;
  key_worker_ids: readonly string[];
  opened_at: When;
  review_due_on: string | null;
  closed_at: When | null;
  closure_reason: string | null;
  closure_outcome: string | null;
  updated_by: string;
}

/** `care_plan`. */
export interface PlanRow {
  case_id: string;
  what_matters: string;
  strengths: string;
  risks: string;
  goals: readonly PlanGoal[];
  updated_at: When;
  updated_by: string;
}

/** `plan_action`. */
export interface ActionRow {
  id: string;
  case_id: string;
  person_id: string;
  goal_id: string | null;
  description: string;
  owner_agency_id: string;
  owner_practitioner_id: string;
  due_on: string;
  status: ActionStatus;
  created_at: When;
  created_by: string;
  updated_at: When;
  completed_at: When | null;
}

/** `int_referral`. */
export interface ReferralRow {
  id: string;
  person_id: string;
  team_id: string;
  source: 'worklist' | 'practitioner' | 'self-or-family';
  referrer: string;
  referrer_agency_id: string | null;
  referred_by: string | null;
  reason: string;
  urgency: 'routine' | 'urgent';
  status: 'awaiting-triage' | 'accepted' | 'declined';
  triaged_by: string | null;
  triaged_at: When | null;
  decline_reason: string | null;
  case_id: string | null;
  created_at: When;
}

/** A case with its plan and actions: everything its CarePlan, CareTeam, Goals and Tasks are made from. */
export interface CaseRecord {
  case: CaseRow;
  /** Null only if the plan row is missing: the case is then written with an empty plan. */
  plan: PlanRow | null;
  actions: readonly ActionRow[];
}

// ---- Shared pieces ---------------------------------------------------------------------------------

/** A timestamp as an ISO instant (UTC, milliseconds). */
export const instant = (value: When) => new Date(value).toISOString();
export const patient = (personId: string): Reference<Patient> => ({ reference: `Patient/${personId}` });
export const text = (value: string): CodeableConcept => ({ text: value });

/** A practitioner named by the pack's id and the product's label; a practitioner since removed, by id alone. */
export function practitionerReference(dir: CareDirectory, id: string): Reference<Practitioner> {
  const p = dir.practitioners.get(id);
  return {
    type: 'Practitioner',
    identifier: { system: PRACTITIONER_SYSTEM, value: id },
    display: p?.label ?? id,
  };
}

/** An agency: a GP practice by its ODS code, any other by the pack's id. */
export function agencyReference(dir: CareDirectory, id: string): Reference<Organization> {
  const a = dir.agencies.get(id);
  const system = a?.kind === 'gp-practice' ? ODS_SYSTEM : AGENCY_SYSTEM;
  return { type: 'Organization', identifier: { system, value: id }, display: a?.name ?? id };
}

const teamName = (dir: CareDirectory, id: string) => dir.teams.get(id)?.name ?? id;

/** 32-bit FNV-1a, as eight hex digits: a short, stable stand-in for a goal id too long for a FHIR id. */
function shortHash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A goal's resource id: `<case id>-goal-<goal id>`. A plan's goal ids are unique only within it; one
 * that would make the id longer than FHIR's 64 characters is replaced by a hash of itself.
 */
export function goalResourceId(caseId: string, goalId: string): string {
  const id = `${caseId}-goal-${goalId}`;
  return /^[A-Za-z0-9.-]{1,64}$/.test(id) ? id : `${caseId}-goal-${shortHash(goalId)}`;
}

const EMPTY_PLAN = (c: CaseRow): PlanRow => ({
  case_id: c.id,
  what_matters: '',
  strengths: '',
  risks: '',
  goals: [],
  updated_at: c.opened_at,
  updated_by: c.updated_by,
});

// ---- CarePlan ----------------------------------------------------------------------------------------

/** Closure reasons after which the plan had run its course; the others ended it early. */
const COMPLETED_CLOSURES: ReadonlySet<string> = new Set(['goals-met', 'other']);

/** The plan's status from its case: open is active; closed is completed, or revoked when the plan was cut short. */
export function carePlanStatus(
  c: Pick<CaseRow, 'status' | 'closure_reason'>,
): 'active' | 'completed' | 'revoked' {
  if (c.status === 'open') return 'active';
  return c.closure_reason === null || COMPLETED_CLOSURES.has(c.closure_reason) ? 'completed' : 'revoked';
}

const closureLabel = (reason: string) =>
  CLOSURE_REASON_LABELS[reason as keyof typeof CLOSURE_REASON_LABELS] ?? reason;

export function carePlanResource(
  c: CaseRow,
  plan: PlanRow | null,
  actions: readonly ActionRow[],
  dir: CareDirectory,
): CarePlan {
  const p = plan ?? EMPTY_PLAN(c);
  const byPlan = (label: string, value: string): Annotation[] =>
    value.trim() === ''
      ? []
      : [{ authorString: p.updated_by, time: instant(p.updated_at), text: `${label}: ${value.trim()}` }];
  const notes: Annotation[] = [
    ...byPlan('What matters to me', p.what_matters),
    ...byPlan('Strengths', p.strengths),
    ...byPlan('Risks', p.risks),
    ...(c.status === 'closed' && c.closure_reason
      ? [
          {
            authorString: c.updated_by,
            ...(c.closed_at ? { time: instant(c.closed_at) } : {}),
            text: `Case closed (${closureLabel(c.closure_reason)})${c.closure_outcome ? `: ${c.closure_outcome}` : ''}`,
          },
        ]
      : []),
  ];
  const activity: CarePlanActivity[] = actions.map((a) => ({ reference: { reference: `Task/${a.id}` } }));
  if (c.status === 'open' && c.review_due_on)
    activity.push({
      detail: {
        status: 'scheduled',
        description: 'Review of the plan with the person and the team',
        scheduledTiming: { event: [c.review_due_on] },
      },
    });
  return {
    resourceType: 'CarePlan',
    id: c.id,
    status: carePlanStatus(c),
    intent: 'plan',
    category: [
      {
        coding: [{ system: SNOMED_SYSTEM, code: '734163000', display: 'Care plan' }],
        text: 'Personalised care and support plan',
      },
    ],
    title: 'Personalised care and support plan',
    subject: patient(c.person_id),
    period: { start: instant(c.opened_at), ...(c.closed_at ? { end: instant(c.closed_at) } : {}) },
    created: instant(c.opened_at),
    author: practitionerReference(dir, c.lead_practitioner_id),
    careTeam: [{ reference: `CareTeam/${c.id}` }],
    ...(c.referral_id ? { supportingInfo: [{ reference: `ServiceRequest/${c.referral_id}` }] } : {}),
    ...(p.goals.length > 0
      ? { goal: p.goals.map((g) => ({ reference: `Goal/${goalResourceId(c.id, g.id)}` })) }
      : {}),
    ...(activity.length > 0 ? { activity } : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

// ---- Goal --------------------------------------------------------------------------------------------

/** A goal lives as long as its plan: active while the case is open, then completed or cancelled with it. */
export function goalLifecycleStatus(c: Pick<CaseRow, 'status' | 'closure_reason'>): Goal['lifecycleStatus'] {
  const status = carePlanStatus(c);
  return status === 'active' ? 'active' : status === 'completed' ? 'completed' : 'cancelled';
}

export function goalResource(c: CaseRow, goal: PlanGoal): Goal {
  const met = c.status === 'closed' && c.closure_reason === 'goals-met';
  return {
    resourceType: 'Goal',
    id: goalResourceId(c.id, goal.id),
    lifecycleStatus: goalLifecycleStatus(c),
    ...(met
      ? {
          achievementStatus: {
            coding: [{ system: GOAL_ACHIEVEMENT, code: 'achieved', display: 'Achieved' }],
            text: 'Achieved',
          },
        }
      : {}),
    description: { text: goal.text },
    subject: patient(c.person_id),
    // The goal is the person's own, in their own words.
    expressedBy: patient(c.person_id),
  };
}

// ---- CareTeam ----------------------------------------------------------------------------------------

const ROLE_IN_CASE = {
  'lead-professional': 'Lead professional',
  'key-worker': 'Key worker',
  'action-owner': 'Owns an action in the plan',
} as const;
type RoleInCase = keyof typeof ROLE_IN_CASE;

/**
 * The people working with the person on this case: the lead professional, the key workers, and anyone
 * else who owns an action in the plan, each for their agency; the agencies manage the team together.
 */
export function careTeamResource(c: CaseRow, actions: readonly ActionRow[], dir: CareDirectory): CareTeam {
  const members: { id: string; role: RoleInCase; agencyId: string }[] = [];
  const add = (id: string, role: RoleInCase, agencyId = dir.practitioners.get(id)?.agency_id ?? '') => {
    if (!members.some((m) => m.id === id)) members.push({ id, role, agencyId });
  };
  add(c.lead_practitioner_id, 'lead-professional');
  for (const id of c.key_worker_ids) add(id, 'key-worker');
  for (const a of actions) add(a.owner_practitioner_id, 'action-owner', a.owner_agency_id);
  const participant: CareTeamParticipant[] = members.map((m) => {
    const title = dir.practitioners.get(m.id)?.title;
    return {
      role: [
        {
          coding: [{ system: CARE_TEAM_ROLE_SYSTEM, code: m.role, display: ROLE_IN_CASE[m.role] }],
          text: ROLE_IN_CASE[m.role],
        },
        ...(title ? [text(title)] : []),
      ],
      member: practitionerReference(dir, m.id),
      ...(m.agencyId ? { onBehalfOf: agencyReference(dir, m.agencyId) } : {}),
    };
  });
  const agencies = [...new Set(members.map((m) => m.agencyId).filter((id) => id !== ''))];
  return {
    resourceType: 'CareTeam',
    id: c.id,
    status: c.status === 'open' ? 'active' : 'inactive',
    category: [
      {
        coding: [
          {
            system: LOINC_SYSTEM,
            code: 'LA28865-6',
            display: 'Longitudinal care-coordination focused care team',
          },
        ],
      },
    ],
    name: teamName(dir, c.team_id),
    subject: patient(c.person_id),
    period: { start: instant(c.opened_at), ...(c.closed_at ? { end: instant(c.closed_at) } : {}) },
    ...(participant.length > 0 ? { participant } : {}),
    ...(agencies.length > 0 ? { managingOrganization: agencies.map((id) => agencyReference(dir, id)) } : {}),
  };
}

// ---- Task --------------------------------------------------------------------------------------------

export const TASK_STATUS: Record<ActionStatus, Task['status']> = {
  'to-do': 'ready',
  'in-progress': 'in-progress',
  done: 'completed',
  cancelled: 'cancelled',
};

/** One action of a plan. `goals` are the plan's: an action for a goal no longer in it names no goal. */
export function taskResource(a: ActionRow, goals: readonly PlanGoal[], dir: CareDirectory): Task {
  const owner = practitionerReference(dir, a.owner_practitioner_id);
  const agency = dir.agencies.get(a.owner_agency_id)?.name ?? a.owner_agency_id;
  const goal = a.goal_id !== null && goals.some((g) => g.id === a.goal_id) ? a.goal_id : null;
  return {
    resourceType: 'Task',
    id: a.id,
    basedOn: [{ reference: `CarePlan/${a.case_id}` }],
    status: TASK_STATUS[a.status],
    intent: 'plan',
    description: a.description,
    for: patient(a.person_id),
    ...(a.completed_at ? { executionPeriod: { end: instant(a.completed_at) } } : {}),
    authoredOn: instant(a.created_at),
    lastModified: instant(a.updated_at),
    requester: { display: a.created_by },
    owner: { ...owner, display: `${owner.display}, ${agency}` },
    ...(goal ? { reasonReference: { reference: `Goal/${goalResourceId(a.case_id, goal)}` } } : {}),
    restriction: { period: { end: a.due_on } },
  };
}

/** A case's resources in a fixed order: CarePlan, CareTeam, its Goals, then its Tasks. */
export function caseResources(record: CaseRecord, dir: CareDirectory): CareResource[] {
  const c = record.case;
  const goals = record.plan?.goals ?? [];
  return [
    carePlanResource(c, record.plan, record.actions, dir),
    careTeamResource(c, record.actions, dir),
    ...goals.map((g) => goalResource(c, g)),
    ...record.actions.map((a) => taskResource(a, goals, dir)),
  ];
}

// ---- ServiceRequest ----------------------------------------------------------------------------------

export const SERVICE_REQUEST_STATUS: Record<ReferralRow['status'], ServiceRequest['status']> = {
  'awaiting-triage': 'active',
  accepted: 'completed',
  declined: 'revoked',
};

/**
 * A referral into an Integrated Neighbourhood Team. Accepted, it is fulfilled (the case it opened
 * carries on as the CarePlan) and names that case's CareTeam as performer; declined, it is revoked with
 * the team's reason.
 */
export function serviceRequestResource(r: ReferralRow, dir: CareDirectory): ServiceRequest {
  const team = teamName(dir, r.team_id);
  const agency = r.referrer_agency_id ? (dir.agencies.get(r.referrer_agency_id)?.name ?? null) : null;
  const performer: Reference<CareTeam> = {
    ...(r.status === 'accepted' && r.case_id ? { reference: `CareTeam/${r.case_id}` } : {}),
    type: 'CareTeam',
    identifier: { system: TEAM_SYSTEM, value: r.team_id },
    display: team,
  };
  const triage: Annotation[] =
    r.status === 'awaiting-triage'
      ? []
      : [
          {
            ...(r.triaged_by ? { authorString: r.triaged_by } : {}),
            ...(r.triaged_at ? { time: instant(r.triaged_at) } : {}),
            text:
              r.status === 'accepted'
                ? 'Accepted at triage: a case was opened.'
                : `Declined at triage${r.decline_reason ? `: ${r.decline_reason}` : '.'}`,
          },
        ];
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    ...(r.status === 'declined' && r.decline_reason
      ? { extension: [{ url: STATUS_REASON_EXTENSION, valueCodeableConcept: text(r.decline_reason) }] }
      : {}),
    status: SERVICE_REQUEST_STATUS[r.status],
    intent: 'order',
    category: [{ coding: [{ system: SNOMED_SYSTEM, code: '3457005', display: 'Patient referral' }] }],
    priority: r.urgency,
    code: text(`Care and support from the ${team}`),
    subject: patient(r.person_id),
    authoredOn: instant(r.created_at),
    requester: {
      ...(r.source === 'practitioner' ? { type: 'Practitioner' } : {}),
      ...(r.referred_by ? { identifier: { system: STAFF_USER_SYSTEM, value: r.referred_by } } : {}),
      display: agency && !r.referrer.includes(agency) ? `${r.referrer} (${agency})` : r.referrer,
    },
    performer: [performer],
    reasonCode: [text(r.reason)],
    ...(triage.length > 0 ? { note: triage } : {}),
  };
}
