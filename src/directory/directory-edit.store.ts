// Keeping the directory up to date in the database: the editors' list of services by review date, the
// choices the edit form offers, a service as the form shows it, and saving one (new, changed, or checked
// and its next review set). A save applies only to the version it was made from (`UPDATE … WHERE
// version = $n`); a stale one changes nothing and is refused with 409 naming the current version. Each
// save writes the service, its needs and locations, its search document and a line of its history in
// one transaction, and marks it edited here, so a place pack reload leaves it as the editors left it.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Staff } from '../access/session.store.ts';
import { addDays } from '../core/dates.ts';
import { AppError, fieldError } from '../core/errors.ts';
import {
  type DirectoryChoices,
  DUE_SOON_DAYS,
  type EditableService,
  type EditorServiceList,
  type EditorServiceQuery,
  type EditorServiceRow,
  SERVICE_FIELD_LABELS,
  type ServiceChecked,
  type ServiceInput,
  type ServiceUpdate,
} from '../core/schemas/directory-edit.ts';
import { anyOf } from '../db/any-of.ts';
import type { Database } from '../db/database.ts';
import { offsetOf } from './directory.ts';
import { changedFields, checkReviewDate, reviewState, type ServiceFields } from './directory-edit.ts';
import { refreshServiceSearch } from './load-directory.store.ts';
import { OPEN_STATUSES } from './service-referral-rules.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** Who is saving, as the history names them (staff name and role), and today's date in England. */
export interface Editor {
  staff: Staff;
  name: string;
  today: string;
}

const iso = (at: Date) => new Date(at).toISOString();
/** How the history names a check recorded with a change. */
const CHECKED_WORDS = 'Checked with the service';
const notFound = () => new AppError('not-found', 'There is no service with this id in the directory.');

/** A place's services with their organisation's name, soonest review first (then by name): the editors' rows. */
function serviceRows(db: Db, placeId: string) {
  return db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', (j) =>
      j.onRef('o.place_id', '=', 's.place_id').onRef('o.id', '=', 's.organisation_id'),
    )
    .where('s.place_id', '=', placeId);
}

const ROW_COLUMNS = [
  's.id',
  's.name',
  'o.name as organisation',
  's.status',
  sql<string>`s.review_date::text`.as('review_date'),
  sql<string>`s.last_checked::text`.as('last_checked'),
  's.last_checked_by',
  's.pack_id',
  's.edited_at',
] as const;

const rowsOf = (db: Db, placeId: string) => serviceRows(db, placeId).select(ROW_COLUMNS);
type ServiceRow = Awaited<ReturnType<ReturnType<typeof rowsOf>['executeTakeFirstOrThrow']>>;

const editorRow = (r: ServiceRow, today: string): EditorServiceRow => ({
  id: r.id,
  name: r.name,
  organisation: r.organisation,
  status: r.status,
  reviewDate: r.review_date,
  review: reviewState(r.review_date, today),
  lastChecked: r.last_checked,
  lastCheckedBy: r.last_checked_by,
  fromPlacePack: r.pack_id !== null && r.edited_at === null,
});

/** The services, those due for review first (then by name), with how many are overdue and due soon. */
export async function editorServices(
  db: Db,
  placeId: string,
  query: EditorServiceQuery,
  today: string,
): Promise<EditorServiceList> {
  const soon = addDays(today, DUE_SOON_DAYS);
  let list = serviceRows(db, placeId);
  if (query.search)
    list = list.where(
      sql<boolean>`(s.search @@ websearch_to_tsquery('english', ${query.search}) or s.name ilike ${`%${query.search.replace(/[\\%_]/g, '\\$&')}%`})`,
    );
  if (query.status) list = list.where('s.status', '=', query.status);
  if (query.review === 'overdue') list = list.where('s.review_date', '<=', today);
  if (query.review === 'due-soon')
    list = list.where('s.review_date', '>', today).where('s.review_date', '<=', soon);
  if (query.review === 'not-due') list = list.where('s.review_date', '>', soon);

  const [rows, counted, due] = await Promise.all([
    list
      .select(ROW_COLUMNS)
      .orderBy('s.review_date')
      .orderBy('s.name')
      .orderBy('s.id')
      .limit(query.perPage)
      .offset(offsetOf(query))
      .execute(),
    list.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('directory_service')
      .select([
        sql<string>`count(*) filter (where review_date <= ${today})`.as('overdue'),
        sql<string>`count(*) filter (where review_date > ${today} and review_date <= ${soon})`.as('due_soon'),
      ])
      .where('place_id', '=', placeId)
      .where('status', '!=', 'defunct')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(counted.n),
    page: query.page,
    perPage: query.perPage,
    counts: { overdue: Number(due.overdue), dueSoon: Number(due.due_soon) },
    items: rows.map((r) => editorRow(r, today)),
  };
}

/** Every running service due for review by 30 days from today, soonest first: one query. */
export async function servicesDueForReview(
  db: Db,
  placeId: string,
  today: string,
): Promise<EditorServiceRow[]> {
  const rows = await rowsOf(db, placeId)
    .where('s.status', '!=', 'defunct')
    .where('s.review_date', '<=', addDays(today, DUE_SOON_DAYS))
    .orderBy('s.review_date')
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => editorRow(r, today));
}

/** The organisations, locations and vocabularies of needs a service may be given. */
export async function directoryChoices(db: Db, placeId: string): Promise<DirectoryChoices> {
  const [organisations, locations, taxonomies, terms] = await Promise.all([
    db
      .selectFrom('directory_organisation')
      .select(['id', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('directory_location as l')
      .leftJoin('neighbourhood as n', (j) =>
        j.onRef('n.place_id', '=', 'l.place_id').onRef('n.code', '=', 'l.neighbourhood_code'),
      )
      .select([
        'l.id',
        'l.name',
        'l.town',
        sql<string>`coalesce(n.name, l.neighbourhood_code)`.as('neighbourhood'),
      ])
      .where('l.place_id', '=', placeId)
      .orderBy('l.town')
      .orderBy('l.name')
      .execute(),
    db
      .selectFrom('directory_taxonomy')
      .select(['id', 'name'])
      .where('place_id', '=', placeId)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('directory_taxonomy_term')
      .select(['id', 'name', 'parent_id', 'taxonomy_id'])
      .where('place_id', '=', placeId)
      .orderBy('sort_order')
      .execute(),
  ]);
  return {
    organisations,
    locations,
    taxonomies: taxonomies.map((t) => ({
      id: t.id,
      name: t.name,
      terms: terms
        .filter((term) => term.taxonomy_id === t.id)
        .map((term) => ({ id: term.id, name: term.name, parentId: term.parent_id })),
    })),
  };
}

/** A service's saved fields, as the form edits them. */
async function currentFields(db: Db | Trx, placeId: string, serviceId: string, lock = false) {
  let query = db
    .selectFrom('directory_service')
    .select([
      'id',
      'version',
      'organisation_id',
      'name',
      'description',
      'status',
      'minimum_age',
      'maximum_age',
      'eligibility_description',
      'is_borough_wide',
      'fees',
      'url',
      'email',
      sql<string>`review_date::text`.as('review_date'),
      sql<string>`last_checked::text`.as('last_checked'),
      'last_checked_by',
      'pack_id',
      'edited_at',
      'is_sample',
    ])
    .where('place_id', '=', placeId)
    .where('id', '=', serviceId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const [terms, locations] = await Promise.all([
    db
      .selectFrom('directory_service_term')
      .select('term_id')
      .where('place_id', '=', placeId)
      .where('service_id', '=', serviceId)
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('directory_service_at_location')
      .select('location_id')
      .where('place_id', '=', placeId)
      .where('service_id', '=', serviceId)
      .orderBy('sort_order')
      .execute(),
  ]);
  const fields: ServiceFields = {
    organisationId: row.organisation_id,
    name: row.name,
    description: row.description,
    status: row.status,
    termIds: terms.map((t) => t.term_id),
    minimumAge: row.minimum_age,
    maximumAge: row.maximum_age,
    eligibilityDescription: row.eligibility_description,
    isBoroughWide: row.is_borough_wide,
    locationIds: locations.map((l) => l.location_id),
    fees: row.fees,
    url: row.url,
    email: row.email,
    reviewDate: row.review_date,
  };
  return { row, fields };
}

/** A service as the edit form shows it, with its history (newest first); undefined when there is none. */
export async function editableService(
  db: Db,
  placeId: string,
  serviceId: string,
): Promise<EditableService | undefined> {
  const found = await currentFields(db, placeId, serviceId);
  if (!found) return undefined;
  const [changes, open] = await Promise.all([
    db
      .selectFrom('directory_service_change')
      .select(['version', 'kind', 'fields', 'at', 'by_name'])
      .where('place_id', '=', placeId)
      .where('service_id', '=', serviceId)
      .orderBy('version', 'desc')
      .execute(),
    db
      .selectFrom('service_referral')
      .select('id')
      .where('place_id', '=', placeId)
      .where('service_id', '=', serviceId)
      .where('status', 'in', OPEN_STATUSES)
      .limit(1)
      .executeTakeFirst(),
  ]);
  const { row, fields } = found;
  return {
    id: row.id,
    version: row.version,
    fields,
    lastChecked: row.last_checked,
    lastCheckedBy: row.last_checked_by,
    fromPlacePack: row.pack_id !== null && row.edited_at === null,
    isSample: row.is_sample,
    hasOpenReferrals: open !== undefined,
    changes: changes.map((c) => ({
      version: c.version,
      kind: c.kind,
      fields: c.fields,
      at: iso(c.at),
      by: c.by_name,
    })),
  };
}

/** The service as saved, read in the save's own transaction: a save whose answer fails is not kept. */
async function savedService(trx: Trx, placeId: string, serviceId: string): Promise<EditableService> {
  const service = await editableService(trx, placeId, serviceId);
  if (!service) throw notFound();
  return service;
}

/** The organisation, locations and needs named must be the place's own: otherwise 422 naming the field. */
async function checkReferences(trx: Trx, placeId: string, fields: ServiceFields): Promise<void> {
  const [organisation, locations, terms] = await Promise.all([
    trx
      .selectFrom('directory_organisation')
      .select('id')
      .where('place_id', '=', placeId)
      .where('id', '=', fields.organisationId)
      .executeTakeFirst(),
    fields.locationIds.length === 0
      ? []
      : trx
          .selectFrom('directory_location')
          .select('id')
          .where('place_id', '=', placeId)
          .where('id', '=', anyOf(fields.locationIds))
          .execute(),
    fields.termIds.length === 0
      ? []
      : trx
          .selectFrom('directory_taxonomy_term')
          .select('id')
          .where('place_id', '=', placeId)
          .where('id', '=', anyOf(fields.termIds))
          .execute(),
  ]);
  if (!organisation)
    throw fieldError('business-rule', 'organisationId', 'must be an organisation in this place’s directory');
  const missing = (given: string[], found: { id: string }[]) => {
    const known = new Set(found.map((r) => r.id));
    return given.findIndex((id) => !known.has(id));
  };
  const location = missing(fields.locationIds, locations);
  if (location >= 0)
    throw fieldError(
      'business-rule',
      `locationIds.${location}`,
      'must be a location in this place’s directory',
    );
  const term = missing(fields.termIds, terms);
  if (term >= 0)
    throw fieldError(
      'business-rule',
      `termIds.${term}`,
      'must be a need (taxonomy term) in this place’s directory',
    );
}

/** The service's columns from the form's fields. */
const serviceColumns = (f: ServiceFields) => ({
  organisation_id: f.organisationId,
  name: f.name,
  description: f.description,
  status: f.status,
  minimum_age: f.minimumAge,
  maximum_age: f.maximumAge,
  eligibility_description: f.eligibilityDescription,
  is_borough_wide: f.isBoroughWide,
  fees: f.fees,
  url: f.url,
  email: f.email,
  review_date: f.reviewDate,
});

/**
 * Makes the service's needs and locations the ones given, in order. Links that stay keep their ids (a
 * location's opening times hang on its link); links removed are deleted with what hangs on them.
 */
async function writeLinks(trx: Trx, placeId: string, serviceId: string, f: ServiceFields): Promise<void> {
  /** The service's links to anything but these: the ones to delete. */
  const others = (column: 'term_id' | 'location_id', ids: string[]) =>
    sql<boolean>`service_id = ${serviceId} and place_id = ${placeId} and ${
      ids.length === 0 ? sql`true` : sql`not (${sql.ref(column)} = ${anyOf(ids)})`
    }`;

  await trx.deleteFrom('directory_service_term').where(others('term_id', f.termIds)).execute();
  if (f.termIds.length > 0)
    await trx
      .insertInto('directory_service_term')
      .values(
        f.termIds.map((termId, order) => ({
          place_id: placeId,
          id: randomUUID(),
          service_id: serviceId,
          term_id: termId,
          sort_order: order,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['place_id', 'service_id', 'term_id'])
          .doUpdateSet((eb) => ({ sort_order: eb.ref('excluded.sort_order') })),
      )
      .execute();

  await trx.deleteFrom('directory_service_at_location').where(others('location_id', f.locationIds)).execute();
  if (f.locationIds.length > 0)
    await trx
      .insertInto('directory_service_at_location')
      .values(
        f.locationIds.map((locationId, order) => ({
          place_id: placeId,
          id: randomUUID(),
          service_id: serviceId,
          location_id: locationId,
          sort_order: order,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['place_id', 'service_id', 'location_id'])
          .doUpdateSet((eb) => ({ sort_order: eb.ref('excluded.sort_order') })),
      )
      .execute();
}

/**
 * Waits for a place pack being loaded to finish (and holds one off until this save commits): the load
 * locks the place's row while it decides which services the editors keep.
 */
async function holdPlace(trx: Trx, placeId: string): Promise<void> {
  await sql`select 1 from place where id = ${placeId} for share`.execute(trx);
}

async function keepChange(
  trx: Trx,
  placeId: string,
  serviceId: string,
  change: { version: number; kind: 'created' | 'changed' | 'checked'; fields: string[] },
  by: Editor,
): Promise<void> {
  await trx
    .insertInto('directory_service_change')
    .values({
      place_id: placeId,
      service_id: serviceId,
      version: change.version,
      kind: change.kind,
      fields: sql<string[]>`${sql.val(change.fields)}::text[]`,
      by_user_id: by.staff.id,
      by_name: by.name,
    })
    .execute();
}

/** Adds a service to the directory; it belongs to the editors from the start (no place pack id). */
export async function createService(
  db: Db,
  by: Editor,
  placeId: string,
  input: ServiceInput,
): Promise<EditableService> {
  const { checked: _checked, ...fields } = input;
  checkReviewDate(fields.reviewDate, by.today);
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    await holdPlace(trx, placeId);
    await checkReferences(trx, placeId, fields);
    await trx
      .insertInto('directory_service')
      .values({
        place_id: placeId,
        id,
        pack_id: null,
        ...serviceColumns(fields),
        last_checked: by.today,
        last_checked_by: by.name,
        is_sample: false,
        updated_at: sql<Date>`now()`,
        edited_at: sql<Date>`now()`,
      })
      .execute();
    await writeLinks(trx, placeId, id, fields);
    await refreshServiceSearch(trx, placeId, [id]);
    await keepChange(trx, placeId, id, { version: 1, kind: 'created', fields: [] }, by);
    return savedService(trx, placeId, id);
  });
}

function staleVersion(current: number, given: number): AppError {
  return fieldError(
    'conflict',
    'version',
    `This service has changed since you opened it: you saved from version ${given}, and version ${current} is the current one. Reload it, then make your change again.`,
  );
}

/**
 * Saves an editor's change to a service. Nothing changed and not checked: nothing is written. The
 * review date may stay as it was, even overdue; a new one must be today or later.
 */
export async function updateService(
  db: Db,
  by: Editor,
  placeId: string,
  serviceId: string,
  update: ServiceUpdate,
): Promise<EditableService> {
  const { checked, version, ...fields } = update;
  return db.transaction().execute(async (trx) => {
    await holdPlace(trx, placeId);
    const found = await currentFields(trx, placeId, serviceId, true);
    if (!found) throw notFound();
    if (found.row.version !== version) throw staleVersion(found.row.version, version);
    // A review date left as it was may stay overdue, unless the save records a check.
    checkReviewDate(fields.reviewDate, by.today, !checked && fields.reviewDate === found.fields.reviewDate);
    const changed = changedFields(found.fields, fields);
    if (changed.length === 0 && !checked) return savedService(trx, placeId, serviceId);
    await checkReferences(trx, placeId, fields);
    await trx
      .updateTable('directory_service')
      .set({
        ...serviceColumns(fields),
        version: version + 1,
        edited_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
        ...(checked ? { last_checked: by.today, last_checked_by: by.name } : {}),
      })
      .where('place_id', '=', placeId)
      .where('id', '=', serviceId)
      .execute();
    await writeLinks(trx, placeId, serviceId, fields);
    await refreshServiceSearch(trx, placeId, [serviceId]);
    await keepChange(
      trx,
      placeId,
      serviceId,
      {
        version: version + 1,
        kind: changed.length > 0 ? 'changed' : 'checked',
        fields: [
          ...changed.map((f) => SERVICE_FIELD_LABELS[f]),
          ...(checked && changed.length > 0 ? [CHECKED_WORDS] : []),
        ],
      },
      by,
    );
    return savedService(trx, placeId, serviceId);
  });
}

/** Records that an editor checked the entry today and sets when it is next due for review. */
export async function markChecked(
  db: Db,
  by: Editor,
  placeId: string,
  serviceId: string,
  checked: ServiceChecked,
): Promise<EditableService> {
  checkReviewDate(checked.reviewDate, by.today);
  return db.transaction().execute(async (trx) => {
    await holdPlace(trx, placeId);
    const before = await trx
      .selectFrom('directory_service')
      .select(sql<string>`review_date::text`.as('review_date'))
      .where('place_id', '=', placeId)
      .where('id', '=', serviceId)
      .executeTakeFirst();
    const updated = await trx
      .updateTable('directory_service')
      .set({
        version: checked.version + 1,
        review_date: checked.reviewDate,
        last_checked: by.today,
        last_checked_by: by.name,
        edited_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
      })
      .where('place_id', '=', placeId)
      .where('id', '=', serviceId)
      .where('version', '=', checked.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      const current = await trx
        .selectFrom('directory_service')
        .select('version')
        .where('place_id', '=', placeId)
        .where('id', '=', serviceId)
        .executeTakeFirst();
      throw current ? staleVersion(current.version, checked.version) : notFound();
    }
    await keepChange(
      trx,
      placeId,
      serviceId,
      {
        version: checked.version + 1,
        kind: 'checked',
        fields: before?.review_date === checked.reviewDate ? [] : [SERVICE_FIELD_LABELS.reviewDate],
      },
      by,
    );
    return savedService(trx, placeId, serviceId);
  });
}
