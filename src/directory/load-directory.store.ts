// Writing a place's services directory from its place pack, inside the transaction that replaces the
// place (place.store.ts), so the directory and the rest of the place change together or not at all and
// other places are never touched. Records keep their ids from one load to the next (name-based UUIDs of
// the pack's ids): organisations, locations, vocabularies, terms, services and services at locations
// are updated in place and only those gone from the pack are deleted, so anything that refers to a
// service keeps referring to it; a service or organisation people have been referred to may not leave
// the pack. Opening times, costs, contacts and a service's terms are rewritten.
//
// Services the directory's editors keep (added by an editor, or saved by one: decision 0022) keep their
// fields, needs and locations as the editors left them; their times, costs and contacts (which editors do
// not change here) follow the pack while it has them. The pack may not drop an organisation, location or
// need they use.
import { type Kysely, sql } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { type DirectoryRecordKind, directoryId } from './directory.ts';
import type { DirectoryPack } from './place-pack-directory.ts';

type Db = Kysely<Database>;

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters even for the widest table. */
const CHUNK = 1000;

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

const uuids = (ids: string[]) => sql`${sql.val(ids)}::uuid[]`;

/** An upsert's SET of these columns from the row that was refused (`excluded`): the pack's values win. */
// biome-ignore lint/suspicious/noExplicitAny: the columns are checked by each table's insert
const fromExcluded = (columns: readonly string[]) => (eb: any) =>
  Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)]));

/**
 * Inserts the rows, or where one is there already (by place and id) sets every other column to the
 * pack's value.
 */
async function upsert(
  tx: Db,
  table: 'directory_organisation' | 'directory_location' | 'directory_taxonomy' | 'directory_taxonomy_term',
  rows: Record<string, unknown>[],
): Promise<void> {
  const columns = Object.keys(rows[0] ?? {}).filter((c) => c !== 'place_id' && c !== 'id');
  await insertChunks(rows, (chunk) =>
    tx
      .insertInto(table)
      .values(chunk as never)
      .onConflict((oc) => oc.columns(['place_id', 'id']).doUpdateSet(fromExcluded(columns)))
      .execute(),
  );
}

/** Replaces a place's directory with the pack's, except the services its editors keep. Call it inside the place's transaction. */
export async function replaceDirectory(tx: Db, placeId: string, fullPack: DirectoryPack): Promise<void> {
  const id = (kind: DirectoryRecordKind, key: string) => directoryId(placeId, kind, key);
  const salKey = (service: string, location: string) => `${service}@${location}`;
  const keptIds = (
    await tx
      .selectFrom('directory_service')
      .select('id')
      .where('place_id', '=', placeId)
      .where((eb) => eb.or([eb('pack_id', 'is', null), eb('edited_at', 'is not', null)]))
      .execute()
  ).map((r) => r.id);
  const kept = new Set(keptIds);
  const keptLinks = await tx
    .selectFrom('directory_service_at_location')
    .select('id')
    .where('place_id', '=', placeId)
    .where(sql<boolean>`service_id = any(${uuids(keptIds)})`)
    .execute();
  const keptLinkIds = new Set(keptLinks.map((l) => l.id));
  const pack = withoutKept(
    fullPack,
    (service) => kept.has(id('service', service)),
    (service, location) => keptLinkIds.has(id('service-at-location', salKey(service, location))),
  );
  const inPack = new Set(fullPack.services.map((s) => id('service', s.id)));
  const keptOutsidePack = keptIds.filter((k) => !inPack.has(k));

  const organisations = pack.organisations.map((o) => ({
    place_id: placeId,
    id: id('organisation', o.id),
    pack_id: o.id,
    name: o.name,
    description: o.description,
    kind: o.kind,
    email: o.email,
    website: o.website,
    agency_id: o.agency,
    is_sample: o.isSample,
  }));
  const locations = pack.locations.map((l) => ({
    place_id: placeId,
    id: id('location', l.id),
    pack_id: l.id,
    name: l.name,
    description: l.description,
    address_1: l.address1,
    town: l.town,
    postcode: l.postcode,
    neighbourhood_code: l.neighbourhood,
    live_well_site_id: l.liveWellSite,
    latitude: l.latitude,
    longitude: l.longitude,
    is_sample: l.isSample,
  }));
  const taxonomies = pack.taxonomies.map((t, i) => ({
    place_id: placeId,
    id: id('taxonomy', t.id),
    pack_id: t.id,
    name: t.name,
    description: t.description,
    version: t.version,
    sort_order: i,
  }));
  const terms = pack.taxonomyTerms.map((t, i) => ({
    place_id: placeId,
    id: id('taxonomy-term', t.id),
    code: t.id,
    taxonomy_id: id('taxonomy', t.taxonomy),
    parent_id: t.parent === null ? null : id('taxonomy-term', t.parent),
    name: t.name,
    description: t.description,
    sort_order: i,
  }));
  const services = pack.services.map((s) => ({
    place_id: placeId,
    id: id('service', s.id),
    pack_id: s.id,
    organisation_id: id('organisation', s.organisation),
    name: s.name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    fees: s.fees,
    minimum_age: s.minimumAge,
    maximum_age: s.maximumAge,
    eligibility_description: s.eligibilityDescription,
    is_borough_wide: s.isBoroughWide,
    review_date: s.reviewDate,
    last_checked: s.lastChecked,
    is_sample: s.isSample,
  }));
  const servicesAtLocations = pack.services.flatMap((s) =>
    s.locations.map((l, i) => ({
      place_id: placeId,
      id: id('service-at-location', salKey(s.id, l)),
      service_id: id('service', s.id),
      location_id: id('location', l),
      sort_order: i,
    })),
  );
  const serviceTerms = pack.services.flatMap((s) =>
    s.terms.map((t, i) => ({
      place_id: placeId,
      id: id('service-term', `${s.id}/${t}`),
      service_id: id('service', s.id),
      term_id: id('taxonomy-term', t),
      sort_order: i,
    })),
  );
  const schedules = pack.schedules.map((r, i) => ({
    place_id: placeId,
    id: id('schedule', r.key),
    service_id: id('service', r.service),
    service_at_location_id:
      r.location === null ? null : id('service-at-location', salKey(r.service, r.location)),
    freq: r.freq,
    repeat_interval: r.interval,
    byday: sql<string[]>`${sql.val(r.byday)}::text[]`,
    opens_at: r.opensAt,
    closes_at: r.closesAt,
    description: r.description,
    sort_order: i,
  }));
  const costOptions = pack.costOptions.map((c, i) => ({
    place_id: placeId,
    id: id('cost-option', c.key),
    service_id: id('service', c.service),
    option: c.option,
    amount: c.amount,
    amount_description: c.amountDescription,
    sort_order: i,
  }));
  const contacts = pack.contacts.map((c, i) => ({
    place_id: placeId,
    id: id('contact', c.key),
    service_id: id('service', c.service),
    name: c.name,
    title: c.title,
    phone: c.phone,
    email: c.email,
    sort_order: i,
  }));

  const servicesAndKept = [...services, ...keptIds.map((k) => ({ id: k }))];
  await refuseRemovingReferred(tx, placeId, servicesAndKept, organisations);
  await refuseRemovingKeptsParts(tx, placeId, keptIds, { organisations, locations, terms });
  // What hangs off a pack service is rewritten; records gone from the pack are deleted (children first).
  // The editors' services keep their needs; their times, costs and contacts, which editors do not change
  // here, follow the pack while it has the service.
  const notOf = (ids: string[]) => sql<boolean>`not (service_id = any(${uuids(ids)}))`;
  await tx
    .deleteFrom('directory_service_term')
    .where('place_id', '=', placeId)
    .where(notOf(keptIds))
    .execute();
  for (const table of ['directory_schedule', 'directory_cost_option', 'directory_contact'] as const)
    await tx.deleteFrom(table).where('place_id', '=', placeId).where(notOf(keptOutsidePack)).execute();
  const gone = async (
    table:
      | 'directory_service_at_location'
      | 'directory_service'
      | 'directory_location'
      | 'directory_organisation'
      | 'directory_taxonomy_term'
      | 'directory_taxonomy',
    keep: { id: string }[],
  ) =>
    tx
      .deleteFrom(table)
      .where('place_id', '=', placeId)
      .where(sql<boolean>`not (id = any(${uuids(keep.map((r) => r.id))}))`)
      .execute();
  await gone('directory_service_at_location', [...servicesAtLocations, ...keptLinks]);
  await gone('directory_service', servicesAndKept);
  await gone('directory_location', locations);
  await gone('directory_organisation', organisations);
  // Vocabularies and terms go only after the pack's terms are written: a term moved to a renamed
  // vocabulary must not be deleted with the old one (nor the editors' services' links to it).

  await upsert(tx, 'directory_organisation', organisations);
  await upsert(tx, 'directory_location', locations);
  await upsert(tx, 'directory_taxonomy', taxonomies);
  await upsert(tx, 'directory_taxonomy_term', terms);
  await gone('directory_taxonomy_term', terms);
  await gone('directory_taxonomy', taxonomies);
  // A service's last_modified moves only when something about the service itself changed.
  const serviceColumns = [
    'pack_id',
    'organisation_id',
    'name',
    'description',
    'url',
    'email',
    'status',
    'fees',
    'minimum_age',
    'maximum_age',
    'eligibility_description',
    'is_borough_wide',
    'review_date',
    'last_checked',
    'is_sample',
  ] as const;
  const changed = sql`(${sql.join(serviceColumns.map((c) => sql.ref(`directory_service.${c}`)))}) is distinct from (${sql.join(serviceColumns.map((c) => sql.ref(`excluded.${c}`)))})`;
  await insertChunks(services, (rows) =>
    tx
      .insertInto('directory_service')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['place_id', 'id']).doUpdateSet((eb) => ({
          ...Object.fromEntries(serviceColumns.map((c) => [c, eb.ref(`excluded.${c}`)])),
          updated_at: sql<Date>`case when ${changed} then now() else directory_service.updated_at end`,
        })),
      )
      .execute(),
  );
  await insertChunks(servicesAtLocations, (rows) =>
    tx
      .insertInto('directory_service_at_location')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['place_id', 'id']).doUpdateSet((eb) => ({ sort_order: eb.ref('excluded.sort_order') })),
      )
      .execute(),
  );
  await insertChunks(serviceTerms, (rows) => tx.insertInto('directory_service_term').values(rows).execute());
  await insertChunks(schedules, (rows) => tx.insertInto('directory_schedule').values(rows).execute());
  await insertChunks(costOptions, (rows) => tx.insertInto('directory_cost_option').values(rows).execute());
  await insertChunks(contacts, (rows) => tx.insertInto('directory_contact').values(rows).execute());
  await refreshServiceSearch(tx, placeId);
}

/**
 * The pack without the services the editors keep: their own fields, needs and locations are theirs. Their
 * times, costs and contacts still come from the pack, except times at a location the service no longer has.
 */
function withoutKept(
  pack: DirectoryPack,
  isKept: (service: string) => boolean,
  keptHasLocation: (service: string, location: string) => boolean,
): DirectoryPack {
  return {
    ...pack,
    services: pack.services.filter((s) => !isKept(s.id)),
    schedules: pack.schedules.filter(
      (r) => !isKept(r.service) || r.location === null || keptHasLocation(r.service, r.location),
    ),
  };
}

/**
 * Services the editors keep would lose their organisation, a location or a need if the pack dropped it
 * (the database would delete them or their links with it), so the pack may not.
 */
async function refuseRemovingKeptsParts(
  tx: Db,
  placeId: string,
  keptIds: string[],
  pack: { organisations: { id: string }[]; locations: { id: string }[]; terms: { id: string }[] },
): Promise<void> {
  if (keptIds.length === 0) return;
  const dropped = (ids: { id: string }[]) => sql<boolean>`not (x.id = any(${uuids(ids.map((r) => r.id))}))`;
  const kept = sql<boolean>`s.id = any(${uuids(keptIds)})`;
  const used = await sql<{ kind: string; name: string; service: string }>`
    select 'organisation' as kind, x.name, s.name as service
    from directory_service s
    join directory_organisation x on x.place_id = s.place_id and x.id = s.organisation_id
    where s.place_id = ${placeId} and ${kept} and ${dropped(pack.organisations)}
    union all
    select 'location', x.name, s.name
    from directory_service s
    join directory_service_at_location sal on sal.place_id = s.place_id and sal.service_id = s.id
    join directory_location x on x.place_id = sal.place_id and x.id = sal.location_id
    where s.place_id = ${placeId} and ${kept} and ${dropped(pack.locations)}
    union all
    select 'need', x.name, s.name
    from directory_service s
    join directory_service_term st on st.place_id = s.place_id and st.service_id = s.id
    join directory_taxonomy_term x on x.place_id = st.place_id and x.id = st.term_id
    where s.place_id = ${placeId} and ${kept} and ${dropped(pack.terms)}
    order by 1, 2, 3`.execute(tx);
  if (used.rows.length === 0) return;
  const named = used.rows.map((r) => `the ${r.kind} "${r.name}" (used by "${r.service}")`).join(', ');
  throw new AppError(
    'business-rule',
    `The directory cannot drop ${named}: the directory's editors keep those services. Keep it in the pack, or change the services in the directory first.`,
  );
}

/**
 * People's referrals keep pointing at the service and organisation they were sent to, so a service or
 * organisation with referrals cannot leave the pack: mark the service `defunct` (retired) instead.
 */
async function refuseRemovingReferred(
  tx: Db,
  placeId: string,
  services: { id: string }[],
  organisations: { id: string }[],
): Promise<void> {
  const referred = await tx
    .selectFrom('service_referral as r')
    .innerJoin('directory_service as s', (j) =>
      j.onRef('s.place_id', '=', 'r.place_id').onRef('s.id', '=', 'r.service_id'),
    )
    .innerJoin('directory_organisation as o', (j) =>
      j.onRef('o.place_id', '=', 'r.place_id').onRef('o.id', '=', 'r.organisation_id'),
    )
    .select([sql<string>`coalesce(s.pack_id, s.name)`.as('service'), 'o.pack_id as organisation'])
    .distinct()
    .where('r.place_id', '=', placeId)
    .where((eb) =>
      eb.or([
        sql<boolean>`not (r.service_id = any(${uuids(services.map((r) => r.id))}))`,
        sql<boolean>`not (r.organisation_id = any(${uuids(organisations.map((r) => r.id))}))`,
      ]),
    )
    .orderBy('service')
    .execute();
  if (referred.length === 0) return;
  const named = referred.map((r) => `"${r.service}" (${r.organisation})`).join(', ');
  throw new AppError(
    'business-rule',
    `The directory cannot drop a service or organisation that people have been referred to: ${named}. Keep it in the pack and set the service's status to defunct to retire it.`,
  );
}

/**
 * Rebuilds the full-text document of a place's services (all of them, or those named): the name
 * weighs most, then the description and needs, then the organisation and who it is for, then the towns,
 * places and postcode districts it meets in. One statement. Call it after changing a service, its
 * organisation, its terms or its locations.
 */
export async function refreshServiceSearch(db: Db, placeId: string, serviceIds?: string[]): Promise<void> {
  let update = db
    .updateTable('directory_service as s')
    .from('directory_organisation as o')
    .set({
      search: sql<string>`
        setweight(to_tsvector('english', s.name), 'A') ||
        setweight(to_tsvector('english', s.description), 'B') ||
        setweight(to_tsvector('english', coalesce((
          select string_agg(t.name, ' ')
          from directory_service_term st
          join directory_taxonomy_term t on t.place_id = st.place_id and t.id = st.term_id
          where st.place_id = s.place_id and st.service_id = s.id), '')), 'B') ||
        setweight(to_tsvector('english', o.name || ' ' || coalesce(s.eligibility_description, '')), 'C') ||
        setweight(to_tsvector('english', coalesce((
          select string_agg(concat_ws(' ', l.town, l.name, l.address_1, l.postcode), ' ')
          from directory_service_at_location sal
          join directory_location l on l.place_id = sal.place_id and l.id = sal.location_id
          where sal.place_id = s.place_id and sal.service_id = s.id), '')), 'D')`,
    })
    .whereRef('o.place_id', '=', 's.place_id')
    .whereRef('o.id', '=', 's.organisation_id')
    .where('s.place_id', '=', placeId);
  if (serviceIds) update = update.where(sql<boolean>`s.id = any(${uuids(serviceIds)})`);
  await update.execute();
}
