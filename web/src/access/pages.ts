// What each role may use, in one place: the header's navigation, the pages the router lets a role open,
// and the actions pages offer (build a cohort, see its members, make a worklist, record a decision,
// refer a person to an Integrated Neighbourhood Team or to a service, triage a referral, chair the team's
// MDT meetings).
// Each entry names the API route it depends on; the server's authorisation matrix
// (src/access/matrix.ts) is the rule, and e2e/access.spec.ts checks every role's navigation against it.

export const ROLE_IDS = [
  'int-practitioner',
  'int-lead',
  'gp-staff',
  'vcse-worker',
  'social-worker',
  'family-help-lead',
  'analyst',
  'programme-lead',
  'ig-officer',
  'administrator',
  'directory-editor',
] as const;
export type Role = (typeof ROLE_IDS)[number];

const ALL: readonly Role[] = ROLE_IDS;
/** Roles that work with named people (direct care). */
export const DIRECT_CARE: readonly Role[] = [
  'int-practitioner',
  'int-lead',
  'gp-staff',
  'vcse-worker',
  'social-worker',
  'family-help-lead',
];
const COHORT_READERS: readonly Role[] = [
  'int-practitioner',
  'int-lead',
  'gp-staff',
  'analyst',
  'programme-lead',
];
const IG: readonly Role[] = ['ig-officer'];
/** Roles that import files from partners' systems and decide uncertain matches of people. */
const IMPORTERS: readonly Role[] = ['administrator'];
/** Roles that see their team's referrals and triage them, and record worklist decisions. */
const TRIAGE: readonly Role[] = ['int-practitioner', 'int-lead', 'gp-staff', 'social-worker'];

export interface AppPage {
  href: string;
  /** The link's words in the header. */
  text: string;
  roles: readonly Role[];
  /** The API route the page is built on, as the authorisation matrix names it. */
  route: string;
  /** True when the current address is this page or one below it. */
  isCurrent: (path: string) => boolean;
}

const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The pages in the header, in the order they appear. */
export const PAGES = {
  overview: {
    href: '/',
    text: 'Overview',
    roles: ALL,
    route: 'GET /api/places/:placeId',
    isCurrent: (path) => path === '/',
  },
  neighbourhoods: {
    href: '/neighbourhoods',
    text: 'Neighbourhoods',
    roles: ALL,
    route: 'GET /api/places/:placeId/neighbourhoods/:code',
    isCurrent: under('/neighbourhoods'),
  },
  cohorts: {
    href: '/cohorts',
    text: 'Cohorts',
    roles: COHORT_READERS,
    route: 'GET /api/places/:placeId/cohorts',
    isCurrent: under('/cohorts'),
  },
  worklists: {
    href: '/worklists',
    text: 'Worklists',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/worklists',
    isCurrent: under('/worklists'),
  },
  // Case management: the team's referrals, caseload, huddle and MDT meetings, and each practitioner's own
  // actions.
  referrals: {
    href: '/referrals',
    text: 'Referrals',
    roles: TRIAGE,
    route: 'GET /api/places/:placeId/teams/:teamId/referrals',
    isCurrent: (path) => under('/referrals')(path) || path === '/refer',
  },
  caseload: {
    href: '/caseload',
    text: 'Caseload',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/teams/:teamId/caseload',
    isCurrent: (path) => under('/caseload')(path) || under('/cases')(path),
  },
  huddle: {
    href: '/huddle',
    text: 'Huddle',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/teams/:teamId/huddle',
    isCurrent: under('/huddle'),
  },
  mdt: {
    href: '/mdt',
    text: 'MDT meetings',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/teams/:teamId/mdt-meetings',
    isCurrent: under('/mdt'),
  },
  myWork: {
    href: '/my-work',
    text: 'My work',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/my-work',
    isCurrent: under('/my-work'),
  },
  // Referrals into the services of the directory that the staff member's agency receives.
  serviceReferrals: {
    href: '/service-referrals',
    text: 'Service referrals',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/service-referrals/inbox',
    isCurrent: under('/service-referrals'),
  },
  findPerson: {
    href: '/people',
    text: 'Find a person',
    roles: DIRECT_CARE,
    route: 'GET /api/places/:placeId/people',
    isCurrent: under('/people'),
  },
  profiles: {
    href: '/profiles',
    text: 'Profiles',
    roles: ALL,
    route: 'GET /api/places/:placeId/profiles',
    isCurrent: (path) => under('/profiles')(path) || under('/maps')(path),
  },
  outcomes: {
    href: '/outcomes',
    text: 'Outcomes',
    roles: ALL,
    route: 'GET /api/places/:placeId/outcomes',
    isCurrent: under('/outcomes'),
  },
  recordAccess: {
    href: '/governance/record-access',
    text: 'Who accessed a record',
    roles: IG,
    route: 'GET /api/audit/events',
    isCurrent: under('/governance/record-access'),
  },
  unusualAccess: {
    href: '/governance/unusual-access',
    text: 'Unusual access',
    roles: IG,
    route: 'GET /api/audit/unusual',
    isCurrent: under('/governance/unusual-access'),
  },
  breakGlassReview: {
    href: '/governance/break-glass',
    text: 'Break-glass review',
    roles: IG,
    route: 'GET /api/audit/break-glass',
    isCurrent: under('/governance/break-glass'),
  },
  auditTrail: {
    href: '/governance/audit-trail',
    text: 'Audit trail',
    roles: IG,
    route: 'GET /api/audit/verify',
    isCurrent: under('/governance/audit-trail'),
  },
  staff: {
    href: '/staff',
    text: 'Staff',
    roles: ['administrator'],
    route: 'GET /api/staff',
    isCurrent: under('/staff'),
  },
  // The services directory: its editors keep the entries right and reviewed.
  directory: {
    href: '/services',
    text: 'Directory',
    roles: ['directory-editor'],
    route: 'GET /api/places/:placeId/directory/services',
    isCurrent: under('/services'),
  },
  // Data from partners' systems: files imported (with the CSV templates), and the people who arrived
  // without an NHS number and matched someone known only uncertainly.
  imports: {
    href: '/imports',
    text: 'Imports',
    roles: IMPORTERS,
    route: 'GET /api/places/:placeId/imports',
    isCurrent: under('/imports'),
  },
  matchReview: {
    href: '/match-review',
    text: 'Match review',
    roles: IMPORTERS,
    route: 'GET /api/places/:placeId/match-reviews',
    isCurrent: under('/match-review'),
  },
} satisfies Record<string, AppPage>;
export type PageName = keyof typeof PAGES;

/** What a page may offer beyond reading it, with the API route each needs. */
export const ACTIONS = {
  buildCohorts: { roles: ['int-lead', 'gp-staff', 'analyst'], route: 'POST /api/places/:placeId/cohorts' },
  seeCohortMembers: {
    roles: ['int-practitioner', 'int-lead', 'gp-staff'],
    route: 'GET /api/places/:placeId/cohorts/:cohortId/members',
  },
  makeWorklists: { roles: ['int-lead', 'gp-staff'], route: 'POST /api/places/:placeId/worklists' },
  recordDecisions: {
    roles: TRIAGE,
    route: 'POST /api/places/:placeId/worklists/:worklistId/decisions',
  },
  referPeople: { roles: DIRECT_CARE, route: 'POST /api/places/:placeId/referrals' },
  /** Refer the person of a case to a service in the directory (Live Well, voluntary and council services). */
  referToServices: { roles: DIRECT_CARE, route: 'POST /api/places/:placeId/cases/:caseId/service-referrals' },
  triageReferrals: { roles: TRIAGE, route: 'POST /api/places/:placeId/referrals/:referralId/triage' },
  /** Schedule the team's MDT meetings and chair them (build and order the agenda, attendance, held). */
  chairMeetings: { roles: ['int-lead'], route: 'POST /api/places/:placeId/teams/:teamId/mdt-meetings' },
} satisfies Record<string, { roles: readonly Role[]; route: string }>;
export type ActionName = keyof typeof ACTIONS;

const isRole = (role: string): role is Role => (ROLE_IDS as readonly string[]).includes(role);

export function mayOpen(role: string, page: PageName): boolean {
  return isRole(role) && (PAGES[page].roles as readonly Role[]).includes(role);
}

export function mayDo(role: string, action: ActionName): boolean {
  return isRole(role) && (ACTIONS[action].roles as readonly Role[]).includes(role);
}

/** The header's pages for a role, in order. */
export function navigationFor(role: string): AppPage[] {
  return (Object.keys(PAGES) as PageName[]).filter((p) => mayOpen(role, p)).map((p) => PAGES[p]);
}
