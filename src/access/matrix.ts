// The authorisation matrix: which roles may call each route. Deny by default: the app refuses to
// start if a route has no entry here, and the security test (access-matrix.int.test.ts) calls every
// route as every role from the router itself. Scoping by team, neighbourhood and practice, and the
// legitimate-relationship rule for identifiable data, are applied beneath the routes, in the stores.
import { ALL_ROLES, DIRECT_CARE_ROLES, type Role } from './roles.ts';

export type RouteRule =
  /** Anyone, signed in or not. */
  | { public: true }
  /**
   * Signed-in staff in these roles. `person` marks routes that return one person's identifiable data:
   * a role that may not see it gets 404, exactly as a person who does not exist, so nothing leaks.
   */
  | { public?: false; roles: readonly Role[]; person?: boolean };

const signedIn = { roles: ALL_ROLES } as const;
const directCare = { roles: DIRECT_CARE_ROLES } as const;
const COHORT_READERS: Role[] = ['int-practitioner', 'int-lead', 'gp-staff', 'analyst', 'programme-lead'];
const COHORT_BUILDERS: Role[] = ['int-lead', 'gp-staff', 'analyst'];
const CASE_FINDERS: Role[] = ['int-practitioner', 'int-lead', 'gp-staff'];
const TRIAGE: Role[] = ['int-practitioner', 'int-lead', 'gp-staff', 'social-worker'];
const IG: Role[] = ['ig-officer'];
/** Takes data in from partners' systems and decides uncertain matches of people. */
const IMPORTERS: Role[] = ['administrator'];
/** Bulk export: direct care staff (their people), and the information governance officer (the audit trail). */
const EXPORTERS: Role[] = [...DIRECT_CARE_ROLES, 'ig-officer'];
/** Keeps the services directory up to date. */
const DIRECTORY_EDITORS: Role[] = ['directory-editor'];
/** Chairs MDTs and leads the team's caseload. */
const CHAIR: Role[] = ['int-lead'];

export const MATRIX: Record<string, RouteRule> = {
  'GET /health': { public: true },
  'GET /api/docs': { public: true },
  'GET /api/docs/json': { public: true },

  // Signing in and out, and one's own sessions
  'GET /api/session': { public: true },
  'POST /api/session': { public: true },
  'DELETE /api/session': signedIn,
  'GET /api/sessions': signedIn,
  'DELETE /api/sessions/:sessionId': signedIn,
  'GET /api/sign-in-options': { public: true },
  'GET /auth/oidc/start': { public: true },
  'GET /auth/oidc/callback': { public: true },

  // Places: published reference data and aggregate figures
  'GET /api/places': signedIn,
  'GET /api/places/:placeId': signedIn,
  'GET /api/places/:placeId/neighbourhoods/:code': signedIn,
  'GET /api/places/:placeId/lsoas': signedIn,
  'GET /api/places/:placeId/boundaries/lsoas': signedIn,
  'GET /api/places/:placeId/boundaries/wards': signedIn,

  // The services directory as an Open Referral UK 3.0 feed: public, as ORUK requires (no sign-in, no key)
  'GET /api/places/:placeId/oruk': { public: true },
  'GET /api/places/:placeId/oruk/': { public: true },
  'GET /api/places/:placeId/oruk/services': { public: true },
  'GET /api/places/:placeId/oruk/services/:id': { public: true },
  'GET /api/places/:placeId/oruk/taxonomies': { public: true },
  'GET /api/places/:placeId/oruk/taxonomies/:id': { public: true },
  'GET /api/places/:placeId/oruk/taxonomy_terms': { public: true },
  'GET /api/places/:placeId/oruk/taxonomy_terms/:id': { public: true },
  'GET /api/places/:placeId/oruk/service_at_locations': { public: true },
  'GET /api/places/:placeId/oruk/service_at_locations/:id': { public: true },

  // Profiles, maps and the outcomes framework: aggregates with small numbers suppressed and opt-outs left out
  'GET /api/places/:placeId/profiles': signedIn,
  'GET /api/places/:placeId/profiles/:areaKind/:code': signedIn,
  'GET /api/places/:placeId/profiles/:areaKind/:code/download/:format': signedIn,
  'GET /api/places/:placeId/maps/:figureId/:level': signedIn,
  'GET /api/places/:placeId/outcomes': signedIn,
  'GET /api/places/:placeId/outcomes/:indicatorId/:areaKind/:code/:period': signedIn,

  // Cohorts: counts for planning (opt-outs left out, small numbers suppressed); members only with a relationship
  'GET /api/places/:placeId/cohort-fields': { roles: COHORT_READERS },
  'POST /api/places/:placeId/cohorts/preview': { roles: COHORT_READERS },
  'GET /api/places/:placeId/cohorts': { roles: COHORT_READERS },
  'POST /api/places/:placeId/cohorts': { roles: COHORT_BUILDERS },
  'GET /api/places/:placeId/cohorts/:cohortId': { roles: COHORT_READERS },
  'PUT /api/places/:placeId/cohorts/:cohortId': { roles: COHORT_BUILDERS },
  'GET /api/places/:placeId/cohorts/:cohortId/members': { roles: CASE_FINDERS },
  'GET /api/places/:placeId/cohorts/:cohortId/members.csv': { roles: CASE_FINDERS },

  // Worklists: direct care, each seen only by its own team or practice
  'GET /api/places/:placeId/worklists': directCare,
  'POST /api/places/:placeId/worklists': { roles: ['int-lead', 'gp-staff'] },
  'GET /api/places/:placeId/worklists/:worklistId': directCare,
  'GET /api/places/:placeId/worklists/:worklistId/people': directCare,
  'POST /api/places/:placeId/worklists/:worklistId/decisions': { roles: TRIAGE },
  'GET /api/places/:placeId/worklists/:worklistId/people/:personId': { ...directCare, person: true },
  'POST /api/places/:placeId/worklists/:worklistId/nominations': directCare,

  // One person's record, finding it by NHS number, and break-glass
  'GET /api/places/:placeId/people/:personId': { ...directCare, person: true },
  'GET /api/places/:placeId/people': { ...directCare, person: true },
  'POST /api/places/:placeId/break-glass': directCare,

  // Case management: referrals, caseloads, cases and plans, MDT meetings, huddles and "my work".
  // Team routes answer 404 for another team; case routes apply the relationship rule (with consent).
  'GET /api/places/:placeId/organisation': directCare,
  'POST /api/places/:placeId/referrals': directCare,
  'GET /api/places/:placeId/teams/:teamId/referrals': { roles: TRIAGE },
  'GET /api/places/:placeId/referrals/:referralId': { roles: TRIAGE, person: true },
  'POST /api/places/:placeId/referrals/:referralId/triage': { roles: TRIAGE, person: true },
  'GET /api/places/:placeId/teams/:teamId/caseload': directCare,
  'GET /api/places/:placeId/cases/:caseId': { ...directCare, person: true },
  'PUT /api/places/:placeId/cases/:caseId': { ...directCare, person: true },
  'GET /api/places/:placeId/cases/:caseId/versions': { ...directCare, person: true },
  'PUT /api/places/:placeId/cases/:caseId/plan': { ...directCare, person: true },
  'PATCH /api/places/:placeId/actions/:actionId': { ...directCare, person: true },
  'POST /api/places/:placeId/cases/:caseId/reviews': { ...directCare, person: true },
  'POST /api/places/:placeId/cases/:caseId/contacts': { ...directCare, person: true },
  'POST /api/places/:placeId/cases/:caseId/consent': { ...directCare, person: true },
  'POST /api/places/:placeId/cases/:caseId/close': { ...directCare, person: true },
  'GET /api/places/:placeId/my-work': directCare,
  'GET /api/places/:placeId/people/:personId/timeline': { ...directCare, person: true },
  'GET /api/places/:placeId/teams/:teamId/mdt-meetings': directCare,
  'POST /api/places/:placeId/teams/:teamId/mdt-meetings': { roles: CHAIR },
  'GET /api/places/:placeId/mdt-meetings/:meetingId': directCare,
  'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda': { roles: CHAIR },
  'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda/items': directCare,
  'PATCH /api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId': { roles: CHAIR },
  'PUT /api/places/:placeId/mdt-meetings/:meetingId/attendance': { roles: CHAIR },
  'POST /api/places/:placeId/mdt-meetings/:meetingId/agenda/items/:itemId/discussion': {
    ...directCare,
    person: true,
  },
  'POST /api/places/:placeId/mdt-meetings/:meetingId/held': { roles: CHAIR },
  'GET /api/places/:placeId/mdt-meetings/:meetingId/minutes': directCare,
  'GET /api/places/:placeId/teams/:teamId/huddle': directCare,
  'POST /api/places/:placeId/teams/:teamId/huddles': directCare,
  'POST /api/places/:placeId/huddles/:huddleId/outcomes': { ...directCare, person: true },

  // Referrals into directory services: made from a case, received in the service's agency's inbox,
  // moved along by that agency; a service's figures are aggregates with small numbers suppressed
  'POST /api/places/:placeId/cases/:caseId/service-referrals': { ...directCare, person: true },
  'GET /api/places/:placeId/cases/:caseId/service-referrals': { ...directCare, person: true },
  'GET /api/places/:placeId/service-referrals/inbox': directCare,
  'GET /api/places/:placeId/service-referrals/:referralId': { ...directCare, person: true },
  'POST /api/places/:placeId/service-referrals/:referralId/status': { ...directCare, person: true },
  'GET /api/places/:placeId/directory/services/:serviceId/figures': signedIn,

  // Keeping the directory up to date: no one's identifiable data, only the place's services
  'GET /api/places/:placeId/directory/services': { roles: DIRECTORY_EDITORS },
  'GET /api/places/:placeId/directory/choices': { roles: DIRECTORY_EDITORS },
  'POST /api/places/:placeId/directory/services': { roles: DIRECTORY_EDITORS },
  'GET /api/places/:placeId/directory/services/:serviceId': { roles: DIRECTORY_EDITORS },
  'PUT /api/places/:placeId/directory/services/:serviceId': { roles: DIRECTORY_EDITORS },
  'POST /api/places/:placeId/directory/services/:serviceId/checked': { roles: DIRECTORY_EDITORS },

  // Information governance
  'GET /api/audit/events': { roles: IG },
  'GET /api/audit/events.csv': { roles: IG },
  'GET /api/audit/unusual': { roles: IG },
  'GET /api/audit/break-glass': { roles: IG },
  'POST /api/audit/break-glass/:breakGlassId/review': { roles: IG },
  'GET /api/audit/verify': { roles: IG },

  // Staff accounts
  'GET /api/staff': { roles: ['administrator'] },

  // Imports: files from partners' systems, their problems, and the review of uncertain matches
  'POST /api/places/:placeId/imports': { roles: IMPORTERS },
  'GET /api/places/:placeId/imports': { roles: IMPORTERS },
  'GET /api/places/:placeId/imports/:jobId': { roles: IMPORTERS },
  'GET /api/places/:placeId/imports/:jobId/problems': { roles: IMPORTERS },
  'GET /api/places/:placeId/imports/:jobId/problems.csv': { roles: IMPORTERS },
  'GET /api/places/:placeId/import-templates/:layout': { roles: IMPORTERS },
  'GET /api/places/:placeId/match-reviews': { roles: IMPORTERS },
  'POST /api/places/:placeId/match-reviews/:reviewId': { roles: IMPORTERS },

  // FHIR R4: read and search with the app's relationship rule; Bundles in; bulk export
  'GET /api/places/:placeId/fhir/metadata': signedIn,
  'GET /api/places/:placeId/fhir/Patient': directCare,
  'GET /api/places/:placeId/fhir/Patient/:id': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/CarePlan': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/CarePlan/:id': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/Task': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/Task/:id': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/ServiceRequest': { ...directCare, person: true },
  'GET /api/places/:placeId/fhir/ServiceRequest/:id': { ...directCare, person: true },
  'POST /api/places/:placeId/fhir': { roles: IMPORTERS },
  'POST /api/places/:placeId/fhir/': { roles: IMPORTERS },
  'GET /api/places/:placeId/fhir/$export': { roles: EXPORTERS },
  'GET /api/places/:placeId/fhir/$export-status/:jobId': { roles: EXPORTERS },
  'DELETE /api/places/:placeId/fhir/$export-status/:jobId': { roles: EXPORTERS },
  'GET /api/places/:placeId/fhir/$export-file/:jobId/:file': { roles: EXPORTERS },
};

export const routeKey = (method: string, url: string) => `${method} ${url}`;

/** The rule for a route, or undefined when the matrix has no entry (which the app refuses). */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  return MATRIX[routeKey(method, url)];
}

export function allows(rule: RouteRule, role: Role | null): boolean {
  if (rule.public) return true;
  return role !== null && rule.roles.includes(role);
}
