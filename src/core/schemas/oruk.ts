// The Open Referral UK 3.0 API's contract: its query parameters and the shapes of its answers, as the
// UK profile's schemas define them (openreferraluk.org/specifications/3.0). Optional fields without a
// value are left out, never sent as null, as ORUK asks. Pure: no IO.
import { z } from 'zod';
import { neighbourhoodCodeParam } from './place.ts';

/** HSDS 3.0 service statuses. `defunct` is a retired service: kept, but left out of searches by default. */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

const uuid = z.uuid();
const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A number in a query string; `message` names what it must be. */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));

export const ORUK_MAX_PER_PAGE = 100;
export const ORUK_DEFAULT_PER_PAGE = 50;

export const orukPaging = z.object({
  page: wholeNumber(1, 1_000_000, 'must be a page number of 1 or more')
    .default(1)
    .describe('The page, from 1'),
  per_page: wholeNumber(1, ORUK_MAX_PER_PAGE, `must be a whole number from 1 to ${ORUK_MAX_PER_PAGE}`)
    .default(ORUK_DEFAULT_PER_PAGE)
    .describe(`Items a page, at most ${ORUK_MAX_PER_PAGE} (default ${ORUK_DEFAULT_PER_PAGE})`),
});

const age = wholeNumber(0, 150, 'must be an age in whole years, from 0 to 150');

/** ORUK filters this feed does not offer: asked for, they are refused rather than ignored. */
const unsupported = (what: string) =>
  z
    .undefined({ error: `is not supported by this feed (${what})` })
    .optional()
    .describe(`Not supported: ${what}. Refused with 400.`);

export const orukServiceQuery = orukPaging.extend({
  search: z
    .string()
    .trim()
    .max(200, 'must be 200 characters or fewer')
    .optional()
    .describe('Full-text search'),
  taxonomy_term_id: z
    .string()
    .regex(
      new RegExp(`^${UUID_PATTERN}(,${UUID_PATTERN})*$`, 'i'),
      'must be a taxonomy term id (a UUID), or several separated by commas',
    )
    .transform((v) => v.split(','))
    .optional()
    .describe('Services with this term, or a narrower one (several ids separated by commas: any of them)'),
  taxonomy_id: uuid.optional().describe('Services with any term of this taxonomy'),
  organization_id: uuid.optional().describe('Services of this organisation'),
  minimum_age: age
    .optional()
    .describe('Services whose minimum age is at least this (no minimum counts as 0)'),
  maximum_age: age
    .optional()
    .describe('Services whose maximum age is at most this (services with no maximum are left out)'),
  modified_after: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2026-12-01T00:00:00Z' })
    .optional()
    .describe('Services changed on or after this time'),
  age: age.optional().describe('Product extension: services a person of this age may use'),
  neighbourhood: neighbourhoodCodeParam
    .optional()
    .describe('Product extension: services meeting in this neighbourhood, and those serving the whole place'),
  start_time: unsupported('opening-time filters'),
  end_time: unsupported('opening-time filters'),
  day: unsupported('opening-time filters'),
});
export type OrukServiceQuery = z.infer<typeof orukServiceQuery>;

export const orukServiceAtLocationQuery = orukServiceQuery.extend({
  neighbourhood: neighbourhoodCodeParam
    .optional()
    .describe('Product extension: locations in this neighbourhood'),
  postcode: unsupported('no postcode search'),
  proximity: unsupported('no postcode search'),
});

export const orukTaxonomyTermQuery = orukPaging.extend({
  taxonomy_id: uuid.optional().describe('Terms of this taxonomy'),
});

export const orukIdParam = z.uuid('must be an id (a UUID)');

export const orukApiDetails = z.object({
  version: z.string(),
  profile: z.url(),
  openapi_url: z.url(),
});

const organizationBrief = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  email: z.string().optional(),
  website: z.string().optional(),
});

const serviceBrief = z.object({
  id: uuid,
  organization_id: uuid,
  name: z.string(),
  description: z.string().optional(),
  url: z.string().optional(),
  email: z.string().optional(),
  status: z.enum(SERVICE_STATUSES),
  fees: z.string().optional(),
  minimum_age: z.number().optional(),
  maximum_age: z.number().optional(),
  assured_date: z.string().optional(),
  last_modified: z.string(),
  organization: organizationBrief,
});

export const orukTaxonomyTerm = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  parent_id: uuid.optional(),
  taxonomy: z.string().optional(),
  taxonomy_id: uuid.optional(),
  term: z.string().optional(),
});

export const orukTaxonomy = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  version: z.string().optional(),
  taxonomy_terms: z.array(orukTaxonomyTerm).optional(),
});

const address = z.object({
  id: uuid,
  location_id: uuid,
  address_1: z.string(),
  city: z.string(),
  state_province: z.string(),
  postal_code: z.string(),
  country: z.string(),
  address_type: z.literal('physical'),
});

const locationBrief = z.object({
  id: uuid,
  location_type: z.literal('physical'),
  name: z.string(),
  description: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
const location = locationBrief.extend({ addresses: z.array(address).optional() });

const serviceFull = serviceBrief.extend({
  schedules: z.array(
    z.object({
      id: uuid,
      service_id: uuid,
      service_at_location_id: uuid.optional(),
      freq: z.enum(['WEEKLY', 'MONTHLY']),
      interval: z.number(),
      byday: z.string(),
      opens_at: z.string(),
      closes_at: z.string(),
      description: z.string().optional(),
    }),
  ),
  service_areas: z.array(
    z.object({ id: uuid, service_id: uuid, name: z.string(), service_area: z.string() }),
  ),
  service_at_locations: z
    .array(z.object({ id: uuid, service_id: uuid, location_id: uuid, location }))
    .optional(),
  cost_options: z.array(
    z.object({
      id: uuid,
      service_id: uuid,
      option: z.string().optional(),
      amount: z.number().optional(),
      amount_description: z.string().optional(),
    }),
  ),
  contacts: z.array(
    z.object({ id: uuid, service_id: uuid, name: z.string().optional(), title: z.string().optional() }),
  ),
  attributes: z.array(
    z.object({
      id: uuid,
      link_id: uuid,
      link_type: z.string(),
      taxonomy_term_id: uuid,
      taxonomy_term: orukTaxonomyTerm,
    }),
  ),
});

export const orukServiceListItem = serviceBrief;
export const orukService = serviceFull;

export const orukServiceAtLocationListItem = z.object({
  id: uuid,
  service_id: uuid,
  location_id: uuid,
  location: locationBrief,
  service: serviceBrief,
});
export const orukServiceAtLocation = z.object({
  id: uuid,
  service_id: uuid,
  location_id: uuid,
  location,
  service: serviceFull.omit({ service_at_locations: true }),
});

/** ORUK 3.0's page of results. */
export function orukPage<T extends z.ZodType>(item: T) {
  return z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(item),
  });
}

export type OrukApiDetails = z.infer<typeof orukApiDetails>;
export type OrukService = z.infer<typeof orukService>;
export type OrukServiceListItem = z.infer<typeof orukServiceListItem>;
export type OrukServiceAtLocation = z.infer<typeof orukServiceAtLocation>;
export type OrukServiceAtLocationListItem = z.infer<typeof orukServiceAtLocationListItem>;
export type OrukTaxonomy = z.infer<typeof orukTaxonomy>;
export type OrukTaxonomyTerm = z.infer<typeof orukTaxonomyTerm>;
export interface OrukPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}
