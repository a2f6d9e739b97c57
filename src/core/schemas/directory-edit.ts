// Keeping the services directory up to date: what a directory editor may change about a service, the
// list of services by when they are due for review, and a service's history of saves. The API's
// contract, shared by the server and the web app. Pure: no IO.
import { z } from 'zod';
import { isoDate, text } from './cohort.ts';
import { SERVICE_STATUSES, type ServiceStatus } from './oruk.ts';

/** Each status as editors read it; `defunct` is what staff call a retired service. */
export const SERVICE_STATUS_LABELS: Record<ServiceStatus, string> = {
  active: 'Running',
  'temporarily closed': 'Temporarily closed',
  inactive: 'Not running now',
  defunct: 'Retired',
};

/** The fields of the edit form, in its order, with the words the form and the history use. */
export const SERVICE_FIELD_LABELS = {
  organisationId: 'Organisation',
  name: 'Name',
  description: 'What it does',
  status: 'Status',
  termIds: 'Needs it helps with',
  minimumAge: 'Youngest age',
  maximumAge: 'Oldest age',
  eligibilityDescription: 'Who it is for',
  isBoroughWide: 'Serves the whole borough',
  locationIds: 'Where it meets',
  fees: 'Cost',
  url: 'Website',
  email: 'Email',
  reviewDate: 'Next review',
} as const;
export type ServiceField = keyof typeof SERVICE_FIELD_LABELS;

/** Control characters other than line breaks and tabs, which paragraphs keep. */
const hasControlCharacters = (v: string) => [...v].some((c) => c.charCodeAt(0) < 32 && !'\n\r\t'.includes(c));

/** Free text that may run to paragraphs. */
const paragraphs = (max: number, empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters');

/** Optional text, which may run to paragraphs as the place pack's may: empty is none. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters')
    .nullable()
    .transform((v) => (v ? v : null));

/** A record's id, as the database writes it (lower case), so comparisons with stored ids hold. */
const id = (message: string) => z.uuid(message).transform((v) => v.toLowerCase());

const age = z
  .number({ error: 'must be an age in whole years' })
  .int('must be an age in whole years')
  .min(0, 'must be 0 or more')
  .max(120, 'must be 120 or less')
  .nullable();

const ids = (what: string, max: number) =>
  z
    .array(id(`must be the id of ${what}`))
    .max(max, `must be at most ${max}`)
    .refine((v) => new Set(v).size === v.length, `must not name the same ${what.replace(/^an? /, '')} twice`);

const serviceFields = z.object({
  organisationId: id('must be the id of an organisation in the directory'),
  name: text(200),
  description: paragraphs(4000, 'say what the service does'),
  status: z.enum(SERVICE_STATUSES, {
    error: `must be one of ${SERVICE_STATUSES.map((s) => `"${s}"`).join(', ')}`,
  }),
  termIds: ids('a need (a taxonomy term)', 40),
  minimumAge: age,
  maximumAge: age,
  eligibilityDescription: optionalText(1000),
  isBoroughWide: z.boolean(),
  locationIds: ids('a location', 40),
  fees: optionalText(500),
  url: z
    .url({ protocol: /^https?$/, error: 'must be a web address starting https://' })
    .max(500)
    .nullable(),
  email: z.email('must be an email address such as hello@example.org').max(254).nullable(),
  reviewDate: isoDate.describe('When the entry is next due for review'),
  checked: z
    .boolean()
    .default(false)
    .describe('The editor checked the details with the service today: stamps "last checked"'),
});

/** Rules across fields: ages in order, and somewhere to meet. */
function serviceRules(s: z.infer<typeof serviceFields>, ctx: z.RefinementCtx): void {
  if (s.minimumAge !== null && s.maximumAge !== null && s.minimumAge > s.maximumAge)
    ctx.addIssue({
      code: 'custom',
      path: ['maximumAge'],
      message: `must be at least the youngest age (${s.minimumAge})`,
    });
  if (s.locationIds.length === 0 && !s.isBoroughWide)
    ctx.addIssue({
      code: 'custom',
      path: ['locationIds'],
      message: 'choose where the service meets, or say it serves the whole borough',
    });
}

/** A service as an editor adds it. */
export const serviceInput = serviceFields.superRefine(serviceRules);
export type ServiceInput = z.infer<typeof serviceInput>;

const version = z
  .number()
  .int()
  .min(1)
  .describe('The version the change was made from; a stale one is refused with 409');

/** A service as an editor saves a change to it, from the version they read. */
export const serviceUpdate = serviceFields.extend({ version }).superRefine(serviceRules);
export type ServiceUpdate = z.infer<typeof serviceUpdate>;

export const serviceChecked = z.object({
  version,
  reviewDate: isoDate.describe('When the entry is next due for review'),
});
export type ServiceChecked = z.infer<typeof serviceChecked>;

export const serviceChange = z.object({
  version: z.number(),
  kind: z.enum(['created', 'changed', 'checked']),
  fields: z.array(z.string()).describe('What changed, in the form’s words'),
  at: z.string(),
  by: z.string().describe('Who, as staff name and role'),
});
export type ServiceChange = z.infer<typeof serviceChange>;

/** A service as the edit form shows it: its fields, its version, where it came from and its history. */
export const editableService = z.object({
  id: z.string(),
  version: z.number(),
  fields: z.object({
    organisationId: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(SERVICE_STATUSES),
    termIds: z.array(z.string()),
    minimumAge: z.number().nullable(),
    maximumAge: z.number().nullable(),
    eligibilityDescription: z.string().nullable(),
    isBoroughWide: z.boolean(),
    locationIds: z.array(z.string()),
    fees: z.string().nullable(),
    url: z.string().nullable(),
    email: z.string().nullable(),
    reviewDate: z.string(),
  }),
  lastChecked: z.string(),
  lastCheckedBy: z.string().nullable(),
  /** From the place pack and not yet saved here: a pack reload still updates it. */
  fromPlacePack: z.boolean(),
  isSample: z.boolean(),
  hasOpenReferrals: z.boolean(),
  changes: z.array(serviceChange),
});
export type EditableService = z.infer<typeof editableService>;

export const REVIEW_STATES = ['overdue', 'due-soon', 'not-due'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
/** A review is due soon within this many days. */
export const DUE_SOON_DAYS = 30;

export const editorServiceQuery = z.object({
  search: z.string().trim().max(200, 'must be 200 characters or fewer').optional(),
  review: z.enum(REVIEW_STATES, { error: 'must be overdue, due-soon or not-due' }).optional(),
  status: z.enum(SERVICE_STATUSES, { error: `must be one of ${SERVICE_STATUSES.join(', ')}` }).optional(),
  page: z.coerce
    .number({ error: 'must be a page number of 1 or more' })
    .int('must be a page number of 1 or more')
    .min(1, 'must be a page number of 1 or more')
    .max(1_000_000, 'must be a page number of 1,000,000 or less')
    .default(1),
  perPage: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(25),
});
export type EditorServiceQuery = z.infer<typeof editorServiceQuery>;

export const editorServiceRow = z.object({
  id: z.string(),
  name: z.string(),
  organisation: z.string(),
  status: z.enum(SERVICE_STATUSES),
  reviewDate: z.string(),
  review: z.enum(REVIEW_STATES),
  lastChecked: z.string(),
  lastCheckedBy: z.string().nullable(),
  fromPlacePack: z.boolean(),
});
export type EditorServiceRow = z.infer<typeof editorServiceRow>;

export const editorServiceList = z.object({
  total: z.number(),
  page: z.number(),
  perPage: z.number(),
  /** Across the whole directory, whatever the filter: what the page's summary says. */
  counts: z.object({ overdue: z.number(), dueSoon: z.number() }),
  items: z.array(editorServiceRow),
});
export type EditorServiceList = z.infer<typeof editorServiceList>;

/** What the edit form offers: the place's organisations, locations and vocabularies of needs. */
export const directoryChoices = z.object({
  organisations: z.array(z.object({ id: z.string(), name: z.string() })),
  locations: z.array(
    z.object({ id: z.string(), name: z.string(), town: z.string(), neighbourhood: z.string() }),
  ),
  taxonomies: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      terms: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })),
    }),
  ),
});
export type DirectoryChoices = z.infer<typeof directoryChoices>;
