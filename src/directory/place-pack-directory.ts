// The services directory in a place pack (its `directory/` files): organisations, locations, services
// with their locations, needs and age limits, the vocabularies of needs, opening times, costs and
// contacts. This module validates those files (given as text) and turns them into a DirectoryPack, or
// problems each naming the file, row and field. Pure: called by the place pack's parser.
import { z } from 'zod';
import {
  decimal,
  duplicates,
  int,
  type PackProblem,
  type ParsedRow,
  readPackCsv,
  slug,
  text,
  yesNo,
} from '../place/pack-csv.ts';
import {
  ORGANISATION_KINDS,
  type OrganisationKind,
  SCHEDULE_FREQUENCIES,
  type ScheduleFrequency,
  SERVICE_STATUSES,
  type ServiceStatus,
  WEEKDAYS,
} from './directory.ts';

/** The directory's files, as the manifest names them under `files.directory`. */
export const DIRECTORY_FILE_KEYS = [
  'organisations',
  'locations',
  'services',
  'taxonomies',
  'taxonomyTerms',
  'schedules',
  'costOptions',
  'contacts',
] as const;
export type DirectoryFileKey = (typeof DIRECTORY_FILE_KEYS)[number];

export const directoryFilesSchema = z.object(
  Object.fromEntries(DIRECTORY_FILE_KEYS.map((k) => [k, z.string().min(1)])) as Record<
    DirectoryFileKey,
    z.ZodString
  >,
);
export type DirectoryFiles = z.infer<typeof directoryFilesSchema>;

export interface PackOrganisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  description: string;
  email: string | null;
  website: string | null;
  /** The place's agency whose staff receive the organisation's referrals (an id in agencies.csv). */
  agency: string | null;
  isSample: boolean;
}
export interface PackLocation {
  id: string;
  name: string;
  description: string | null;
  address1: string | null;
  town: string;
  postcode: string | null;
  neighbourhood: string;
  liveWellSite: string | null;
  latitude: number | null;
  longitude: number | null;
  isSample: boolean;
}
export interface PackService {
  id: string;
  organisation: string;
  name: string;
  description: string;
  status: ServiceStatus;
  minimumAge: number | null;
  maximumAge: number | null;
  eligibilityDescription: string | null;
  fees: string | null;
  isBoroughWide: boolean;
  locations: string[];
  terms: string[];
  url: string | null;
  email: string | null;
  reviewDate: string;
  lastChecked: string;
  isSample: boolean;
}
export interface PackTaxonomy {
  id: string;
  name: string;
  description: string;
  version: string | null;
}
export interface PackTaxonomyTerm {
  id: string;
  taxonomy: string;
  parent: string | null;
  name: string;
  description: string;
}
/** Rows without an id of their own are keyed by their service and their place among its rows (`#1`…). */
export interface PackSchedule {
  key: string;
  service: string;
  location: string | null;
  freq: ScheduleFrequency;
  interval: number;
  byday: string[];
  opensAt: string;
  closesAt: string;
  description: string | null;
}
export interface PackCostOption {
  key: string;
  service: string;
  option: string | null;
  amount: number | null;
  amountDescription: string | null;
}
export interface PackContact {
  key: string;
  service: string;
  name: string | null;
  title: string | null;
  phone: string | null;
  email: string | null;
}

export interface DirectoryPack {
  organisations: PackOrganisation[];
  locations: PackLocation[];
  services: PackService[];
  taxonomies: PackTaxonomy[];
  taxonomyTerms: PackTaxonomyTerm[];
  schedules: PackSchedule[];
  costOptions: PackCostOption[];
  contacts: PackContact[];
}

export const EMPTY_DIRECTORY: DirectoryPack = {
  organisations: [],
  locations: [],
  services: [],
  taxonomies: [],
  taxonomyTerms: [],
  schedules: [],
  costOptions: [],
  contacts: [],
};

/** A column that may be left blank (null); when given, it must pass `schema`, whose message is kept. */
function optional<T extends z.ZodType<unknown, string>>(schema: T) {
  return z.string().transform((value, ctx): z.output<T> | null => {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    const result = schema.safeParse(trimmed);
    if (result.success) return result.data as z.output<T>;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });
}

/** Identifiers separated by `;` (blank for none). */
const slugList = z.string().transform((value, ctx) => {
  const items = value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const item of items)
    if (!slug.safeParse(item).success)
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not an identifier (use lower-case letters, digits and hyphens)`,
      });
  if (new Set(items).size !== items.length)
    ctx.addIssue({ code: 'custom', message: 'lists an identifier twice' });
  return items;
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'is not a real date');
const email = z.email('must be an email address such as hello@example.org');
const webAddress = z.url({ protocol: /^https?$/, error: 'must be a web address starting https://' });
const age = int(0, 120);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM (24-hour clock)');
/** A postcode district (outward code) such as BL9, or a full postcode such as BL9 0SN. */
const postcode = z
  .string()
  .regex(
    /^[A-Z]{1,2}\d[A-Z\d]?( \d[A-Z]{2})?$/,
    'must be a postcode district such as BL9, or a full postcode',
  );
const phone = z.string().regex(/^\+?[0-9][0-9 ]{5,18}[0-9]$/, 'must be a phone number such as 0161 496 0100');
const sample = yesNo;

const rowSchemas = {
  organisations: z.object({
    id: slug,
    name: text,
    kind: z.enum(ORGANISATION_KINDS, `must be one of ${ORGANISATION_KINDS.join(', ')}`),
    description: text,
    email: optional(email),
    website: optional(webAddress),
    agency: optional(slug),
    sample,
  }),
  locations: z.object({
    id: slug,
    name: text,
    description: optional(text),
    address_1: optional(text),
    town: text,
    postcode: optional(postcode),
    neighbourhood: slug,
    live_well_site: optional(slug),
    latitude: optional(decimal.pipe(z.number().min(-90).max(90))),
    longitude: optional(decimal.pipe(z.number().min(-180).max(180))),
    sample,
  }),
  services: z.object({
    id: slug,
    organisation: slug,
    name: text,
    description: text,
    status: z.enum(SERVICE_STATUSES, `must be one of ${SERVICE_STATUSES.join(', ')}`),
    minimum_age: optional(age),
    maximum_age: optional(age),
    eligibility_description: optional(text),
    fees: optional(text),
    borough_wide: yesNo,
    locations: slugList,
    terms: slugList,
    url: optional(webAddress),
    email: optional(email),
    review_date: isoDate,
    last_checked: isoDate,
    sample,
  }),
  taxonomies: z.object({ id: slug, name: text, description: text, version: optional(text) }),
  taxonomyTerms: z.object({
    id: slug,
    taxonomy: slug,
    parent: optional(slug),
    name: text,
    description: text,
  }),
  schedules: z.object({
    service: slug,
    location: optional(slug),
    freq: z.enum(SCHEDULE_FREQUENCIES, `must be ${SCHEDULE_FREQUENCIES.join(' or ')}`),
    interval: int(1, 52),
    byday: z.string(),
    opens_at: clock,
    closes_at: clock,
    description: optional(text),
  }),
  costOptions: z.object({
    service: slug,
    option: optional(text),
    amount: optional(decimal.pipe(z.number().min(0, 'must not be negative'))),
    amount_description: optional(text),
  }),
  contacts: z.object({
    service: slug,
    name: optional(text),
    title: optional(text),
    phone: optional(phone),
    email: optional(email),
  }),
} as const;
type RowKey = keyof typeof rowSchemas;
type Row<K extends RowKey> = ParsedRow<z.output<(typeof rowSchemas)[K]>>;

const WEEKDAY_PATTERN = WEEKDAYS.join('|');
const WEEKLY_DAY = new RegExp(`^(${WEEKDAY_PATTERN})$`);
const MONTHLY_DAY = new RegExp(`^(-1|[1-5])?(${WEEKDAY_PATTERN})$`);

export interface DirectoryContext {
  /** The pack's neighbourhood codes (empty when the neighbourhoods file could not be read). */
  neighbourhoods: Set<string>;
  liveWellSites: Set<string>;
  /** The pack's agency ids (agencies.csv), which receive organisations' referrals. */
  agencies: Set<string>;
}

/** Validates the directory's files; adds every problem found to `problems`. */
export function parseDirectory(
  files: DirectoryFiles,
  texts: Record<string, string>,
  context: DirectoryContext,
  problems: PackProblem[],
): DirectoryPack {
  const csv = <K extends RowKey>(key: K): Row<K>[] => {
    const name = files[key];
    const content = texts[name];
    if (content === undefined) {
      problems.push({ file: name, message: 'is missing from the pack' });
      return [];
    }
    return readPackCsv(name, content, rowSchemas[key], problems) as Row<K>[];
  };
  const at = (key: RowKey, line: number, field: string, message: string) =>
    problems.push({ file: files[key], row: line, field, message });

  const organisations = csv('organisations');
  const locations = csv('locations');
  const services = csv('services');
  const taxonomies = csv('taxonomies');
  const terms = csv('taxonomyTerms');
  const schedules = csv('schedules');
  const costOptions = csv('costOptions');
  const contacts = csv('contacts');

  const once = <K extends RowKey>(key: K, rows: Row<K>[], what: string) => {
    for (const [id, list] of duplicates(rows, (v) => (v as { id: string }).id))
      for (const r of list.slice(1)) at(key, r.line, 'id', `the ${what} "${id}" is listed twice`);
  };
  once('organisations', organisations, 'organisation');
  once('locations', locations, 'location');
  once('services', services, 'service');
  once('taxonomies', taxonomies, 'taxonomy');
  once('taxonomyTerms', terms, 'taxonomy term');

  // An organisation's referrals go to an agency of the place.
  for (const o of organisations)
    if (o.value.agency !== null && !context.agencies.has(o.value.agency))
      at(
        'organisations',
        o.line,
        'agency',
        `the agency "${o.value.agency}" is not in the pack's agencies file (it names who receives the organisation's referrals)`,
      );

  // Locations are in a neighbourhood of the place, and may be one of its Live Well sites.
  for (const l of locations) {
    if (context.neighbourhoods.size > 0 && !context.neighbourhoods.has(l.value.neighbourhood))
      at(
        'locations',
        l.line,
        'neighbourhood',
        `"${l.value.neighbourhood}" is not a neighbourhood of this pack (expected one of ${[...context.neighbourhoods].join(', ')})`,
      );
    if (l.value.live_well_site !== null && !context.liveWellSites.has(l.value.live_well_site))
      at(
        'locations',
        l.line,
        'live_well_site',
        `"${l.value.live_well_site}" is not a Live Well site of this pack`,
      );
  }

  // Vocabularies: every term in a known vocabulary, its parent a term of the same one, no loops.
  const taxonomyIds = new Set(taxonomies.map((t) => t.value.id));
  const termById = new Map(terms.map((t) => [t.value.id, t.value]));
  for (const t of terms) {
    if (!taxonomyIds.has(t.value.taxonomy))
      at(
        'taxonomyTerms',
        t.line,
        'taxonomy',
        `the taxonomy "${t.value.taxonomy}" is not in ${files.taxonomies}`,
      );
    const parentId = t.value.parent;
    if (parentId === null) continue;
    const parent = termById.get(parentId);
    if (!parent)
      at('taxonomyTerms', t.line, 'parent', `the term "${parentId}" is not in ${files.taxonomyTerms}`);
    else if (parent.taxonomy !== t.value.taxonomy)
      at(
        'taxonomyTerms',
        t.line,
        'parent',
        `the term "${parentId}" belongs to the taxonomy "${parent.taxonomy}", not "${t.value.taxonomy}"`,
      );
    else {
      const seen = new Set([t.value.id]);
      for (let up = termById.get(parentId); up; up = up.parent ? termById.get(up.parent) : undefined) {
        if (seen.has(up.id)) {
          at('taxonomyTerms', t.line, 'parent', `the term "${t.value.id}" is its own ancestor`);
          break;
        }
        seen.add(up.id);
      }
    }
  }

  // Services: a known organisation, known locations and terms, somewhere to be, sensible ages.
  const organisationIds = new Set(organisations.map((o) => o.value.id));
  const locationIds = new Set(locations.map((l) => l.value.id));
  for (const s of services) {
    const v = s.value;
    if (!organisationIds.has(v.organisation))
      at(
        'services',
        s.line,
        'organisation',
        `the organisation "${v.organisation}" is not in ${files.organisations}`,
      );
    for (const l of v.locations)
      if (!locationIds.has(l))
        at('services', s.line, 'locations', `the location "${l}" is not in ${files.locations}`);
    for (const t of v.terms)
      if (!termById.has(t))
        at('services', s.line, 'terms', `the term "${t}" is not in ${files.taxonomyTerms}`);
    if (v.locations.length === 0 && !v.borough_wide)
      at(
        'services',
        s.line,
        'locations',
        'a service needs at least one location, or borough_wide "yes" if it serves the whole place wherever it meets',
      );
    if (v.minimum_age !== null && v.maximum_age !== null && v.minimum_age > v.maximum_age)
      at(
        'services',
        s.line,
        'maximum_age',
        `the maximum age (${v.maximum_age}) is below the minimum age (${v.minimum_age})`,
      );
  }

  // Opening times, costs and contacts belong to a service of the file (and a location of that service).
  const serviceById = new Map(services.map((s) => [s.value.id, s.value]));
  const ofService = (key: 'schedules' | 'costOptions' | 'contacts', line: number, id: string) => {
    const service = serviceById.get(id);
    if (!service) at(key, line, 'service', `the service "${id}" is not in ${files.services}`);
    return service;
  };
  const counters = new Map<string, number>();
  const keyOf = (kind: string, service: string) => {
    const n = (counters.get(`${kind}/${service}`) ?? 0) + 1;
    counters.set(`${kind}/${service}`, n);
    return `${service}#${n}`;
  };
  const parsedSchedules: PackSchedule[] = [];
  for (const r of schedules) {
    const v = r.value;
    const service = ofService('schedules', r.line, v.service);
    if (service && v.location !== null && !service.locations.includes(v.location))
      at(
        'schedules',
        r.line,
        'location',
        `"${v.location}" is not one of the locations of the service "${v.service}"`,
      );
    const days = v.byday
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    const pattern = v.freq === 'WEEKLY' ? WEEKLY_DAY : MONTHLY_DAY;
    const badDay = days.find((d) => !pattern.test(d));
    if (days.length === 0) at('schedules', r.line, 'byday', 'name at least one day, such as MO or MO,WE');
    else if (badDay !== undefined)
      at(
        'schedules',
        r.line,
        'byday',
        v.freq === 'WEEKLY'
          ? `"${badDay}" is not a day: use ${WEEKDAYS.join(', ')}`
          : `"${badDay}" is not a day of the month: use a day such as TH, or 1TH for the first Thursday`,
      );
    if (v.closes_at <= v.opens_at)
      at('schedules', r.line, 'closes_at', `closes (${v.closes_at}) before it opens (${v.opens_at})`);
    parsedSchedules.push({
      key: keyOf('schedule', v.service),
      service: v.service,
      location: v.location,
      freq: v.freq,
      interval: v.interval,
      byday: days,
      opensAt: v.opens_at,
      closesAt: v.closes_at,
      description: v.description,
    });
  }
  const parsedCosts: PackCostOption[] = [];
  for (const r of costOptions) {
    const v = r.value;
    ofService('costOptions', r.line, v.service);
    if (v.option === null && v.amount === null && v.amount_description === null)
      at('costOptions', r.line, 'option', 'a cost option needs an option, an amount or a description');
    parsedCosts.push({
      key: keyOf('cost', v.service),
      service: v.service,
      option: v.option,
      amount: v.amount,
      amountDescription: v.amount_description,
    });
  }
  const parsedContacts: PackContact[] = [];
  for (const r of contacts) {
    const v = r.value;
    ofService('contacts', r.line, v.service);
    if (v.name === null && v.title === null)
      at(
        'contacts',
        r.line,
        'title',
        'a contact needs a name or a title (a role title such as "Befriending coordinator")',
      );
    parsedContacts.push({ key: keyOf('contact', v.service), ...v });
  }

  return {
    organisations: organisations.map(({ value: v }) => ({
      id: v.id,
      name: v.name,
      kind: v.kind,
      description: v.description,
      email: v.email,
      website: v.website,
      agency: v.agency,
      isSample: v.sample,
    })),
    locations: locations.map(({ value: v }) => ({
      id: v.id,
      name: v.name,
      description: v.description,
      address1: v.address_1,
      town: v.town,
      postcode: v.postcode,
      neighbourhood: v.neighbourhood,
      liveWellSite: v.live_well_site,
      latitude: v.latitude,
      longitude: v.longitude,
      isSample: v.sample,
    })),
    services: services.map(({ value: v }) => ({
      id: v.id,
      organisation: v.organisation,
      name: v.name,
      description: v.description,
      status: v.status,
      minimumAge: v.minimum_age,
      maximumAge: v.maximum_age,
      eligibilityDescription: v.eligibility_description,
      fees: v.fees,
      isBoroughWide: v.borough_wide,
      locations: v.locations,
      terms: v.terms,
      url: v.url,
      email: v.email,
      reviewDate: v.review_date,
      lastChecked: v.last_checked,
      isSample: v.sample,
    })),
    taxonomies: taxonomies.map((r) => r.value),
    taxonomyTerms: terms.map((r) => r.value),
    schedules: parsedSchedules,
    costOptions: parsedCosts,
    contacts: parsedContacts,
  };
}
