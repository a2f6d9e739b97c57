// The roles staff sign in with, named as Bury's partnership names them. Pure: shared by the matrix,
// the relationship rule, the demo users and the web app's navigation (through the session API).
import type { Role } from '../db/database.ts';

export type { Role };

export interface RoleInfo {
  title: string;
  /** What the role is for, shown on the account page and in the README's list of demo users. */
  summary: string;
  /** Works with named people (direct care): may see identifiable data where a relationship exists. */
  directCare: boolean;
  /** Belongs to an Integrated Neighbourhood Team or another team, rather than a GP practice. */
  scope: 'team' | 'practice' | 'place';
}

export const ROLES: Record<Role, RoleInfo> = {
  'int-practitioner': {
    title: 'INT practitioner',
    summary: 'Works with people on their Integrated Neighbourhood Team’s worklists and caseload.',
    directCare: true,
    scope: 'team',
  },
  'int-lead': {
    title: 'INT lead',
    summary: 'Leads an Integrated Neighbourhood Team: builds cohorts and worklists for its neighbourhood.',
    directCare: true,
    scope: 'team',
  },
  'gp-staff': {
    title: 'GP / practice staff',
    summary: 'Works in a GP practice: sees the practice’s registered patients.',
    directCare: true,
    scope: 'practice',
  },
  'vcse-worker': {
    title: 'VCSE worker',
    summary: 'Voluntary, community or social enterprise worker in an Integrated Neighbourhood Team.',
    directCare: true,
    scope: 'team',
  },
  'social-worker': {
    title: 'Social worker',
    summary: 'Adult social care in an Integrated Neighbourhood Team; sees safeguarding detail.',
    directCare: true,
    scope: 'team',
  },
  'family-help-lead': {
    title: 'Family Help lead practitioner',
    summary: 'Leads help for a family with children; sees safeguarding detail.',
    directCare: true,
    scope: 'team',
  },
  analyst: {
    title: 'Analyst',
    summary: 'Builds cohorts and reads counts; sees no identifiable data.',
    directCare: false,
    scope: 'place',
  },
  'programme-lead': {
    title: 'Programme lead',
    summary: 'Oversees neighbourhood working across the place; sees counts, not people.',
    directCare: false,
    scope: 'place',
  },
  'ig-officer': {
    title: 'Information governance officer',
    summary: 'Reviews who accessed records, unusual access and break-glass use.',
    directCare: false,
    scope: 'place',
  },
  administrator: {
    title: 'Administrator',
    summary: 'Looks after staff accounts; sees no records of people.',
    directCare: false,
    scope: 'place',
  },
  'directory-editor': {
    title: 'Directory editor',
    summary: 'Keeps the Live Well directory of services up to date; sees no records of people.',
    directCare: false,
    scope: 'place',
  },
};

export const ALL_ROLES = Object.keys(ROLES) as Role[];
export const DIRECT_CARE_ROLES = ALL_ROLES.filter((r) => ROLES[r].directCare);
/** Roles that may read the detail of a safeguarding concern; everyone with a relationship sees that one exists. */
export const SAFEGUARDING_DETAIL_ROLES: readonly Role[] = [
  'social-worker',
  'family-help-lead',
  'int-lead',
  'gp-staff',
];
