// The directory as Open Referral UK 3.0 (the UK profile of HSDS 3.0): pure functions from the
// directory's domain to the JSON the ORUK API answers with. Optional fields without a value are left
// out rather than sent as null or empty, as ORUK asks. Phones, languages, funding and accessibility are
// not sent: the UK profile drops phones, and the directory holds none of the others.
import { uuidV5 } from '../core/name-based-uuid.ts';
import type {
  OrukApiDetails,
  OrukPage,
  OrukService,
  OrukServiceAtLocation,
  OrukServiceAtLocationListItem,
  OrukServiceListItem,
  OrukTaxonomy,
  OrukTaxonomyTerm,
} from '../core/schemas/oruk.ts';
import type {
  DirectoryLocation,
  DirectoryService,
  DirectoryServiceAtLocation,
  DirectoryTaxonomy,
  DirectoryTaxonomyTerm,
  Page,
} from './directory.ts';

/** What the answers need to know about the place the directory belongs to. */
export interface OrukPlace {
  name: string;
  /** The county-level area addresses are in (ORUK's required `state_province`), e.g. Greater Manchester. */
  region: string;
}

/** The answer to `GET /`: which standard this feed follows. */
export const ORUK_API_DETAILS: OrukApiDetails = {
  version: '3.0',
  profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
  openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json',
};

/** Copies an object without its null and undefined fields. */
function present<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

/** ORUK 3.0's page: counts, which page this is, and the items. */
export function orukPage<T, U>(
  page: Page<T>,
  paging: { page: number; perPage: number },
  map: (item: T) => U,
): OrukPage<U> {
  const totalPages = Math.ceil(page.total / paging.perPage);
  const contents = page.items.map(map);
  return {
    total_items: page.total,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

export function orukTaxonomyTerm(t: DirectoryTaxonomyTerm): OrukTaxonomyTerm {
  return present({
    id: t.id,
    name: t.name,
    description: t.description,
    parent_id: t.parentId,
    taxonomy: t.taxonomy.name,
    taxonomy_id: t.taxonomy.id,
    term: t.name,
  });
}

export function orukTaxonomy(t: DirectoryTaxonomy, terms?: DirectoryTaxonomyTerm[]): OrukTaxonomy {
  return present({
    id: t.id,
    name: t.name,
    description: t.description,
    version: t.version,
    taxonomy_terms: terms?.map(orukTaxonomyTerm),
  });
}

/** A service as the `/services` list gives it: its own fields and its organisation. */
export function orukServiceListItem(s: DirectoryService): OrukServiceListItem {
  return present({
    id: s.id,
    organization_id: s.organisation.id,
    name: s.name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    fees: s.fees,
    minimum_age: s.minimumAge,
    maximum_age: s.maximumAge,
    // ORUK's assured_date is the date the entry was last checked.
    assured_date: s.lastChecked,
    last_modified: s.updatedAt.toISOString(),
    organization: present({
      id: s.organisation.id,
      name: s.organisation.name,
      description: s.organisation.description,
      email: s.organisation.email,
      website: s.organisation.website,
    }),
  });
}

function orukLocationBrief(l: DirectoryLocation) {
  return present({
    id: l.id,
    location_type: 'physical' as const,
    name: l.name,
    description: l.description,
    latitude: l.latitude,
    longitude: l.longitude,
  });
}

/** A location with its address, when it has one ORUK can carry (a first line and a postcode). */
function orukLocation(l: DirectoryLocation, place: OrukPlace) {
  const address =
    l.address1 !== null && l.postcode !== null
      ? {
          id: uuidV5(l.id, 'address'),
          location_id: l.id,
          address_1: l.address1,
          city: l.town,
          state_province: place.region,
          postal_code: l.postcode,
          country: 'GB',
          address_type: 'physical' as const,
        }
      : null;
  return { ...orukLocationBrief(l), ...(address ? { addresses: [address] } : {}) };
}

/** A service with everything about it, as `/services/{id}` gives it. */
export function orukService(s: DirectoryService, place: OrukPlace): OrukService {
  return {
    ...orukServiceListItem(s),
    schedules: s.schedules.map((r) =>
      present({
        id: r.id,
        service_id: s.id,
        service_at_location_id: r.serviceAtLocationId,
        freq: r.freq,
        interval: r.interval,
        byday: r.byday.join(','),
        opens_at: `${r.opensAt}:00`,
        closes_at: `${r.closesAt}:00`,
        description: r.description,
      }),
    ),
    service_areas: s.isBoroughWide
      ? [
          {
            id: uuidV5(s.id, 'service-area'),
            service_id: s.id,
            name: place.name,
            service_area: `The whole of ${place.name}, wherever the service meets`,
          },
        ]
      : [],
    service_at_locations: s.locations.map((l) => ({
      id: l.serviceAtLocationId,
      service_id: s.id,
      location_id: l.id,
      location: orukLocation(l, place),
    })),
    cost_options: s.costOptions.map((c) =>
      present({
        id: c.id,
        service_id: s.id,
        option: c.option,
        amount: c.amount,
        amount_description: c.amountDescription,
      }),
    ),
    contacts: s.contacts.map((c) => present({ id: c.id, service_id: s.id, name: c.name, title: c.title })),
    // The service's needs, as ORUK attributes: each a link from the service to a taxonomy term. The link
    // type is the code of the term's vocabulary (`needs`, `live-well-offer`).
    attributes: s.terms.map((t) => ({
      id: t.linkId,
      link_id: s.id,
      link_type: t.taxonomy.code,
      taxonomy_term_id: t.id,
      taxonomy_term: orukTaxonomyTerm(t),
    })),
  };
}

export function orukServiceAtLocationListItem(
  sal: DirectoryServiceAtLocation,
): OrukServiceAtLocationListItem {
  return {
    id: sal.id,
    service_id: sal.service.id,
    location_id: sal.location.id,
    location: orukLocationBrief(sal.location),
    service: orukServiceListItem(sal.service),
  };
}

export function orukServiceAtLocation(
  sal: DirectoryServiceAtLocation,
  place: OrukPlace,
): OrukServiceAtLocation {
  const { service_at_locations: _, ...service } = orukService(sal.service, place);
  return {
    id: sal.id,
    service_id: sal.service.id,
    location_id: sal.location.id,
    location: orukLocation(sal.location, place),
    service,
  };
}
