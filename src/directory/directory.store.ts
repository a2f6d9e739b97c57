// Reading the services directory: search and pages of services, one service, and services at
// locations, each service whole (organisation, locations with town and neighbourhood, needs, age limits,
// opening times, contacts, costs), ready for the ORUK API and for pages. Set-based: a page costs one
// query for the matching ids (with the total) and one per kind of related record. Vocabularies and
// their terms are read in taxonomy.store.ts.
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { isUuid } from '../core/uuid.ts';
import type { Database, DirectoryLocationTable } from '../db/database.ts';
import {
  type DirectoryContact,
  type DirectoryCostOption,
  type DirectoryLocation,
  type DirectorySchedule,
  type DirectoryService,
  type DirectoryServiceAtLocation,
  offsetOf,
  type Page,
  type Paging,
} from './directory.ts';
import { termsQuery, toTerm } from './taxonomy.store.ts';

type Db = Kysely<Database>;

const uuids = (ids: readonly string[]) => sql`${sql.val(ids)}::uuid[]`;

export interface ServiceSearch extends Paging {
  /** Free text, in web-search syntax: words, "a phrase", -not, or. */
  text?: string;
  /** Services meeting in this neighbourhood (by a location's code), and those serving the whole place. */
  neighbourhood?: string;
  /** Services meeting in this town (any case), and those serving the whole place. */
  town?: string;
  /** Services meeting at this Live Well centre, hub or network (by the site's id in the pack). */
  liveWellSiteId?: string;
  /** Services with any of these terms, or a narrower term under one of them. */
  taxonomyTermIds?: string[];
  /** Services with any term of this vocabulary. */
  taxonomyId?: string;
  /** A person's age: services whose age limits include it (a missing limit is no limit). */
  age?: number;
  /** As ORUK's `minimum_age`: services whose minimum age is at least this (no minimum counts as 0). */
  minimumAge?: number;
  /** As ORUK's `maximum_age`: services whose maximum age is at most this (no maximum never is). */
  maximumAge?: number;
  /** Services of this organisation. */
  organisationId?: string;
  /** Services changed at or after this time. */
  modifiedAfter?: Date;
  /** Include retired (`defunct`) services. Off by default. */
  includeRetired?: boolean;
}

/** The conditions of a search, on `directory_service as s`. */
function serviceConditions(placeId: string, f: Omit<ServiceSearch, keyof Paging>): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [sql<SqlBool>`s.place_id = ${placeId}`];
  if (!f.includeRetired) where.push(sql<SqlBool>`s.status <> 'defunct'`);
  const text = f.text?.trim();
  // A text of stop words alone ("the") has nothing to search by, and does not narrow the search.
  if (text)
    where.push(
      sql<SqlBool>`(numnode(websearch_to_tsquery('english', ${text})) = 0 or s.search @@ websearch_to_tsquery('english', ${text}))`,
    );
  if (f.neighbourhood !== undefined)
    where.push(sql<SqlBool>`(s.is_borough_wide or exists (
      select 1 from directory_service_at_location sal
      join directory_location l on l.place_id = sal.place_id and l.id = sal.location_id
      where sal.place_id = s.place_id and sal.service_id = s.id and l.neighbourhood_code = ${f.neighbourhood}))`);
  if (f.town !== undefined)
    where.push(sql<SqlBool>`(s.is_borough_wide or exists (
      select 1 from directory_service_at_location sal
      join directory_location l on l.place_id = sal.place_id and l.id = sal.location_id
      where sal.place_id = s.place_id and sal.service_id = s.id and lower(l.town) = lower(${f.town})))`);
  if (f.liveWellSiteId !== undefined)
    where.push(sql<SqlBool>`exists (
      select 1 from directory_service_at_location sal
      join directory_location l on l.place_id = sal.place_id and l.id = sal.location_id
      where sal.place_id = s.place_id and sal.service_id = s.id and l.live_well_site_id = ${f.liveWellSiteId})`);
  if (f.taxonomyTermIds !== undefined)
    where.push(sql<SqlBool>`exists (
      select 1 from directory_service_term st
      where st.place_id = s.place_id and st.service_id = s.id and st.term_id in (
        with recursive tree(id) as (
          select t.id from directory_taxonomy_term t
          where t.place_id = ${placeId} and t.id = any(${uuids(f.taxonomyTermIds.filter(isUuid))})
          union
          select c.id from directory_taxonomy_term c join tree on c.parent_id = tree.id
          where c.place_id = ${placeId})
        select id from tree))`);
  if (f.taxonomyId !== undefined)
    where.push(
      isUuid(f.taxonomyId)
        ? sql<SqlBool>`exists (
          select 1 from directory_service_term st
          join directory_taxonomy_term t on t.place_id = st.place_id and t.id = st.term_id
          where st.place_id = s.place_id and st.service_id = s.id and t.taxonomy_id = ${f.taxonomyId})`
        : sql<SqlBool>`false`,
    );
  if (f.age !== undefined)
    where.push(
      sql<SqlBool>`(s.minimum_age is null or s.minimum_age <= ${f.age}) and (s.maximum_age is null or s.maximum_age >= ${f.age})`,
    );
  if (f.organisationId !== undefined)
    where.push(
      isUuid(f.organisationId) ? sql<SqlBool>`s.organisation_id = ${f.organisationId}` : sql<SqlBool>`false`,
    );
  if (f.modifiedAfter !== undefined) where.push(sql<SqlBool>`s.updated_at >= ${f.modifiedAfter}`);
  if (f.minimumAge !== undefined) where.push(sql<SqlBool>`coalesce(s.minimum_age, 0) >= ${f.minimumAge}`);
  if (f.maximumAge !== undefined) where.push(sql<SqlBool>`s.maximum_age <= ${f.maximumAge}`);
  return where;
}

/** Best match first when there is text, then by name. */
function serviceOrder(text: string | undefined) {
  const t = text?.trim();
  return t
    ? sql`ts_rank_cd(s.search, websearch_to_tsquery('english', ${t})) desc, s.name, s.id`
    : sql`s.name, s.id`;
}

/** Searches a place's services; a page of whole services, and how many match in all. */
export async function searchServices(
  db: Db,
  placeId: string,
  search: ServiceSearch,
): Promise<Page<DirectoryService>> {
  const where = serviceConditions(placeId, search);
  const rows = await db
    .selectFrom('directory_service as s')
    .select(['s.id', sql<number>`count(*) over ()`.as('total')])
    .where((eb) => eb.and(where))
    .orderBy(serviceOrder(search.text))
    .limit(search.perPage)
    .offset(offsetOf(search))
    .execute();
  const total = rows[0]?.total ?? (await countServices(db, where));
  return {
    total,
    items: await servicesById(
      db,
      placeId,
      rows.map((r) => r.id),
    ),
  };
}

async function countServices(db: Db, where: Expression<SqlBool>[]): Promise<number> {
  const row = await db
    .selectFrom('directory_service as s')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) => eb.and(where))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** One service, retired or not; undefined if the place has no such service. */
export async function getService(
  db: Db,
  placeId: string,
  serviceId: string,
): Promise<DirectoryService | undefined> {
  if (!isUuid(serviceId)) return undefined;
  return (await servicesById(db, placeId, [serviceId]))[0];
}

/** Whole services by id, in the order given (ids not found are left out). */
export async function servicesById(db: Db, placeId: string, ids: string[]): Promise<DirectoryService[]> {
  if (ids.length === 0) return [];
  const any = sql<SqlBool>`= any(${uuids(ids)})`;
  const services = await db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', (j) =>
      j.onRef('o.place_id', '=', 's.place_id').onRef('o.id', '=', 's.organisation_id'),
    )
    .select([
      's.id',
      's.pack_id',
      's.name',
      's.description',
      's.url',
      's.email',
      's.status',
      's.fees',
      's.minimum_age',
      's.maximum_age',
      's.eligibility_description',
      's.is_borough_wide',
      's.review_date',
      's.last_checked',
      's.is_sample',
      's.updated_at',
      'o.id as o_id',
      'o.pack_id as o_pack_id',
      'o.name as o_name',
      'o.description as o_description',
      'o.kind as o_kind',
      'o.email as o_email',
      'o.website as o_website',
      'o.is_sample as o_is_sample',
    ])
    .where('s.place_id', '=', placeId)
    .where(sql<SqlBool>`s.id ${any}`)
    .execute();
  const locations = await db
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_location as l', (j) =>
      j.onRef('l.place_id', '=', 'sal.place_id').onRef('l.id', '=', 'sal.location_id'),
    )
    .leftJoin('neighbourhood as n', (j) =>
      j.onRef('n.place_id', '=', 'l.place_id').onRef('n.code', '=', 'l.neighbourhood_code'),
    )
    .select(['sal.id as sal_id', 'sal.service_id', ...locationColumns])
    .where('sal.place_id', '=', placeId)
    .where(sql<SqlBool>`sal.service_id ${any}`)
    .orderBy('sal.service_id')
    .orderBy('sal.sort_order')
    .execute();
  const terms = await termsQuery(db, placeId)
    .innerJoin('directory_service_term as st', (j) =>
      j.onRef('st.place_id', '=', 't.place_id').onRef('st.term_id', '=', 't.id'),
    )
    .select(['st.service_id', 'st.id as link_id'])
    .where(sql<SqlBool>`st.service_id ${any}`)
    .orderBy('st.service_id')
    .orderBy('st.sort_order')
    .execute();
  const schedules = await db
    .selectFrom('directory_schedule as sc')
    .leftJoin('directory_service_at_location as sal', (j) =>
      j.onRef('sal.place_id', '=', 'sc.place_id').onRef('sal.id', '=', 'sc.service_at_location_id'),
    )
    .select([
      'sc.id',
      'sc.service_id',
      'sc.service_at_location_id',
      'sal.location_id',
      'sc.freq',
      'sc.repeat_interval',
      'sc.byday',
      'sc.opens_at',
      'sc.closes_at',
      'sc.description',
    ])
    .where('sc.place_id', '=', placeId)
    .where(sql<SqlBool>`sc.service_id ${any}`)
    .orderBy('sc.sort_order')
    .execute();
  const contacts = await db
    .selectFrom('directory_contact')
    .select(['id', 'service_id', 'name', 'title', 'phone', 'email'])
    .where('place_id', '=', placeId)
    .where(sql<SqlBool>`service_id ${any}`)
    .orderBy('sort_order')
    .execute();
  const costs = await db
    .selectFrom('directory_cost_option')
    .select(['id', 'service_id', 'option', 'amount', 'amount_description'])
    .where('place_id', '=', placeId)
    .where(sql<SqlBool>`service_id ${any}`)
    .orderBy('sort_order')
    .execute();

  const group = <T extends { service_id: string }>(rows: T[]) => {
    const by = new Map<string, T[]>();
    for (const r of rows) by.set(r.service_id, [...(by.get(r.service_id) ?? []), r]);
    return (id: string) => by.get(id) ?? [];
  };
  const locationsOf = group(locations);
  const termsOf = group(terms);
  const schedulesOf = group(schedules);
  const contactsOf = group(contacts);
  const costsOf = group(costs);
  const byId = new Map(
    services.map((s): [string, DirectoryService] => [
      s.id,
      {
        id: s.id,
        packId: s.pack_id,
        name: s.name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        fees: s.fees,
        minimumAge: s.minimum_age,
        maximumAge: s.maximum_age,
        eligibilityDescription: s.eligibility_description,
        isBoroughWide: s.is_borough_wide,
        reviewDate: s.review_date,
        lastChecked: s.last_checked,
        isSample: s.is_sample,
        updatedAt: s.updated_at,
        organisation: {
          id: s.o_id,
          packId: s.o_pack_id,
          name: s.o_name,
          description: s.o_description,
          kind: s.o_kind,
          email: s.o_email,
          website: s.o_website,
          isSample: s.o_is_sample,
        },
        locations: locationsOf(s.id).map((l) => ({ ...toLocation(l), serviceAtLocationId: l.sal_id })),
        terms: termsOf(s.id).map((t) => ({ ...toTerm(t), linkId: t.link_id })),
        schedules: schedulesOf(s.id).map(
          (r): DirectorySchedule => ({
            id: r.id,
            serviceAtLocationId: r.service_at_location_id,
            locationId: r.location_id,
            freq: r.freq,
            interval: r.repeat_interval,
            byday: r.byday,
            opensAt: r.opens_at,
            closesAt: r.closes_at,
            description: r.description,
          }),
        ),
        contacts: contactsOf(s.id).map(
          (c): DirectoryContact => ({
            id: c.id,
            name: c.name,
            title: c.title,
            phone: c.phone,
            email: c.email,
          }),
        ),
        costOptions: costsOf(s.id).map(
          (c): DirectoryCostOption => ({
            id: c.id,
            option: c.option,
            amount: c.amount,
            amountDescription: c.amount_description,
          }),
        ),
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const locationColumns = [
  'l.id',
  'l.pack_id',
  'l.name',
  'l.description',
  'l.address_1',
  'l.town',
  'l.postcode',
  'l.neighbourhood_code',
  'n.name as neighbourhood_name',
  'l.live_well_site_id',
  'l.latitude',
  'l.longitude',
  'l.is_sample',
] as const;

function toLocation(
  l: Omit<DirectoryLocationTable, 'place_id'> & { neighbourhood_name: string | null },
): DirectoryLocation {
  return {
    id: l.id,
    packId: l.pack_id,
    name: l.name,
    description: l.description,
    address1: l.address_1,
    town: l.town,
    postcode: l.postcode,
    neighbourhood: { code: l.neighbourhood_code, name: l.neighbourhood_name ?? l.neighbourhood_code },
    liveWellSiteId: l.live_well_site_id,
    latitude: l.latitude,
    longitude: l.longitude,
    isSample: l.is_sample,
  };
}

/**
 * Services at locations: one row for each location of each matching service. The service filters are
 * those of searchServices; `neighbourhood` here is the location's own neighbourhood.
 */
export async function listServiceAtLocations(
  db: Db,
  placeId: string,
  search: ServiceSearch,
): Promise<Page<DirectoryServiceAtLocation>> {
  const { neighbourhood, ...serviceFilters } = search;
  const where = [
    ...serviceConditions(placeId, serviceFilters),
    ...(neighbourhood === undefined ? [] : [sql<SqlBool>`l.neighbourhood_code = ${neighbourhood}`]),
  ];
  const text = search.text?.trim();
  const rows = await db
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_service as s', (j) =>
      j.onRef('s.place_id', '=', 'sal.place_id').onRef('s.id', '=', 'sal.service_id'),
    )
    .innerJoin('directory_location as l', (j) =>
      j.onRef('l.place_id', '=', 'sal.place_id').onRef('l.id', '=', 'sal.location_id'),
    )
    .select(['sal.id', 'sal.service_id', 'sal.location_id', sql<number>`count(*) over ()`.as('total')])
    .where('sal.place_id', '=', placeId)
    .where((eb) => eb.and(where))
    .orderBy(
      text
        ? sql`ts_rank_cd(s.search, websearch_to_tsquery('english', ${text})) desc, s.name, l.name, sal.id`
        : sql`s.name, l.name, sal.id`,
    )
    .limit(search.perPage)
    .offset(offsetOf(search))
    .execute();
  let total = rows[0]?.total;
  if (total === undefined)
    total = (
      await db
        .selectFrom('directory_service_at_location as sal')
        .innerJoin('directory_service as s', (j) =>
          j.onRef('s.place_id', '=', 'sal.place_id').onRef('s.id', '=', 'sal.service_id'),
        )
        .innerJoin('directory_location as l', (j) =>
          j.onRef('l.place_id', '=', 'sal.place_id').onRef('l.id', '=', 'sal.location_id'),
        )
        .select(sql<number>`count(*)`.as('n'))
        .where('sal.place_id', '=', placeId)
        .where((eb) => eb.and(where))
        .executeTakeFirstOrThrow()
    ).n;
  const services = new Map(
    (await servicesById(db, placeId, [...new Set(rows.map((r) => r.service_id))])).map((s) => [s.id, s]),
  );
  return { total, items: rows.flatMap((r) => atLocation(r.id, services.get(r.service_id))) };
}

/** One service at one location, retired or not; undefined if the place has none with this id. */
export async function getServiceAtLocation(
  db: Db,
  placeId: string,
  id: string,
): Promise<DirectoryServiceAtLocation | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom('directory_service_at_location')
    .select('service_id')
    .where('place_id', '=', placeId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return atLocation(id, (await servicesById(db, placeId, [row.service_id]))[0])[0];
}

function atLocation(id: string, service: DirectoryService | undefined): DirectoryServiceAtLocation[] {
  const location = service?.locations.find((l) => l.serviceAtLocationId === id);
  if (!service || !location) return [];
  const { serviceAtLocationId: _, ...plain } = location;
  return [{ id, service, location: plain }];
}

/** The towns the place's services meet in, in alphabetical order. */
export async function directoryTowns(db: Db, placeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_location')
    .select('town')
    .distinct()
    .where('place_id', '=', placeId)
    .orderBy('town')
    .execute();
  return rows.map((r) => r.town);
}

/** The directory's locations that are a Live Well centre, hub or network (by the site's id), by name. */
export async function liveWellSiteLocations(
  db: Db,
  placeId: string,
  siteId: string,
): Promise<DirectoryLocation[]> {
  const rows = await db
    .selectFrom('directory_location as l')
    .leftJoin('neighbourhood as n', (j) =>
      j.onRef('n.place_id', '=', 'l.place_id').onRef('n.code', '=', 'l.neighbourhood_code'),
    )
    .select(locationColumns)
    .where('l.place_id', '=', placeId)
    .where('l.live_well_site_id', '=', siteId)
    .orderBy('l.name')
    .execute();
  return rows.map(toLocation);
}

/** What the directory's answers need to know of a place; undefined if there is no such place. */
export async function directoryPlace(
  db: Db,
  placeId: string,
): Promise<{ name: string; region: string; neighbourhoods: string[] } | undefined> {
  const row = await db
    .selectFrom('place as p')
    .select([
      'p.name',
      'p.region',
      sql<
        string[]
      >`coalesce((select array_agg(n.code order by n.sort_order) from neighbourhood n where n.place_id = p.id), '{}')`.as(
        'neighbourhoods',
      ),
    ])
    .where('p.id', '=', placeId)
    .executeTakeFirst();
  return row;
}
