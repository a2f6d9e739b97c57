// The Open Referral UK 3.0 feed, tested against the published specification: every answer validated with
// Ajv against the UK profile's schemas and the ORUK OpenAPI's page schema (copied, with their provenance,
// into testdata/oruk/), taxonomies and terms also against the profile's field definitions, and the
// official examples run through the same harness to show the harness itself is sound. On PGlite, and on
// PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import type { OrukService } from '../core/schemas/oruk.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { openTestApp } from '../server/test-app.ts';
import { directoryId } from './directory.ts';

const DATA = path.resolve('src/directory/testdata/oruk');
const read = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(DATA, file), 'utf8'));
/** Where the ORUK OpenAPI says the UK profile's schemas live; the copies are registered under it. */
const PROFILE = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/';
const OPENAPI_ID = 'https://openreferraluk.org/specifications/3.0/openapi.json';

type Json = Record<string, unknown>;
interface OpenApi {
  paths: Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { schema: Json }> }> } }
  >;
  components: { schemas: Record<string, Json>; parameters: Record<string, Json> };
}

/** The validators, built only from the published files. */
function harness() {
  // The schemas carry documentation keywords JSON Schema does not know (name, path, constraints, core,
  // example…): strict mode would refuse them, so it is off; formats (uuid, uri, email, date-time) are on.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const name of ['service', 'service_list', 'service_at_location', 'service_at_location_list'])
    ajv.addSchema({ ...read(`schema/compiled/${name}.json`), $id: `${PROFILE}compiled/${name}.json` });
  ajv.addSchema({ ...read('schema/taxonomy_term.json'), $id: `${PROFILE}taxonomy_term.json` });
  ajv.addSchema({ ...read('schema/taxonomy.json'), $id: `${PROFILE}taxonomy.json` });
  const openapi = read('openapi.json') as unknown as OpenApi;
  // The OpenAPI's own schemas (Page), so that its responses' local references resolve.
  ajv.addSchema({ $id: OPENAPI_ID, components: { schemas: openapi.components.schemas } });
  const absolute = (schema: unknown): unknown =>
    Array.isArray(schema)
      ? schema.map(absolute)
      : schema !== null && typeof schema === 'object'
        ? Object.fromEntries(
            Object.entries(schema).map(([k, v]) => [
              k,
              k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${OPENAPI_ID}${v}` : absolute(v),
            ]),
          )
        : schema;
  /** The schema of an endpoint's 200 answer, as the ORUK OpenAPI gives it. */
  const endpoint = (p: string) =>
    ajv.compile(
      absolute(openapi.paths[p]?.get.responses['200']?.content['application/json']?.schema) as Json,
    );
  return {
    openapi,
    apiDetails: ajv.compile(read('schema/api_details.json')),
    service: ajv.getSchema(`${PROFILE}compiled/service.json`) as ValidateFunction,
    serviceAtLocation: ajv.getSchema(`${PROFILE}compiled/service_at_location.json`) as ValidateFunction,
    taxonomy: ajv.getSchema(`${PROFILE}taxonomy.json`) as ValidateFunction,
    taxonomyTerm: ajv.getSchema(`${PROFILE}taxonomy_term.json`) as ValidateFunction,
    services: endpoint('/services'),
    serviceById: endpoint('/services/{id}'),
    taxonomies: endpoint('/taxonomies'),
    taxonomyById: endpoint('/taxonomies/{id}'),
    taxonomyTerms: endpoint('/taxonomy_terms'),
    taxonomyTermById: endpoint('/taxonomy_terms/{id}'),
    serviceAtLocations: endpoint('/service_at_locations'),
    pageFields: Object.keys((openapi.components.schemas.Page as { properties: Json }).properties),
  };
}
const spec = harness();

function valid(validate: ValidateFunction, body: unknown, what: string) {
  const ok = validate(body);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
}

/** Paths of every null or empty value: ORUK asks for optional fields without a value to be left out. */
function nullsIn(value: unknown, at = ''): string[] {
  if (value === null || value === '') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullsIn(v, `${at}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nullsIn(v, `${at}.${k}`));
  return [];
}

interface Page {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Json[];
}

/** A page validated against the endpoint's schema, with every Page field present and the counts consistent. */
function checkPage(
  validate: ValidateFunction,
  res: LightMyRequestResponse,
  perPage: number,
  what: string,
): Page {
  assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
  const page = res.json() as Page;
  valid(validate, page, what);
  assert.deepEqual(
    Object.keys(page).sort(),
    [...spec.pageFields, 'contents'].sort(),
    `${what}: the page fields`,
  );
  assert.equal(page.total_pages, Math.ceil(page.total_items / perPage), `${what}: total_pages`);
  assert.equal(page.size, page.contents.length);
  assert.equal(page.empty, page.contents.length === 0);
  assert.equal(page.first_page, page.page_number === 1);
  assert.equal(page.last_page, page.page_number >= page.total_pages);
  assert.deepEqual(nullsIn(page), [], `${what}: no null or empty values`);
  return page;
}

describe('the test harness, on the official ORUK 3.0 examples', () => {
  const example = (name: string) => read(`examples/${name}.json`);

  test('every official example validates against the schema its endpoint names', () => {
    valid(spec.service, example('service_full'), 'service_full against compiled/service.json');
    valid(spec.serviceById, example('service_full'), 'service_full against /services/{id}');
    valid(spec.services, example('service_list'), 'service_list against /services');
    valid(spec.serviceAtLocation, example('service_at_location_full'), 'service_at_location_full');
    valid(spec.serviceAtLocations, example('service_at_location_list'), 'service_at_location_list');
    valid(spec.taxonomy, example('taxonomy'), 'taxonomy');
    valid(spec.taxonomyById, example('taxonomy'), 'taxonomy against /taxonomies/{id}');
    valid(spec.taxonomies, example('taxonomy_list'), 'taxonomy_list');
    valid(spec.taxonomyTerm, example('taxonomy_term'), 'taxonomy_term');
    valid(spec.taxonomyTermById, example('taxonomy_term'), 'taxonomy_term against /taxonomy_terms/{id}');
    valid(spec.taxonomyTerms, example('taxonomy_term_list'), 'taxonomy_term_list');
  });

  test('and refuses what the specification forbids, so a pass means something', () => {
    const service = example('service_full');
    const refused = (validate: ValidateFunction, body: unknown, what: string) =>
      assert.equal(validate(body), false, `${what} should be refused`);
    refused(spec.service, { ...service, name: undefined }, 'a service without a name');
    refused(spec.service, { ...service, status: 'open' }, 'a status outside the enum');
    refused(spec.service, { ...service, id: 'service-1' }, 'an id that is not a UUID');
    refused(spec.service, { ...service, url: null }, 'an optional field sent as null');
    refused(spec.service, { ...service, email: 'not an email' }, 'a malformed email');
    refused(spec.service, { ...service, minimum_age: '12' }, 'an age as text');
    refused(spec.services, { ...example('service_list'), contents: [{ id: 'x' }] }, 'a page of bad services');
    refused(
      spec.taxonomyTerm,
      { id: directoryId('x', 'taxonomy-term', 'y'), name: 'Food' },
      'a term without a description',
    );
  });
});

for (const target of dbTargets()) {
  describe(`the Open Referral UK 3.0 feed on ${target.name}`, () => {
    let db: Db;
    let app: App;
    const ORUK = '/api/places/bury/oruk';
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, path.resolve('place-packs/bury'));
      app = await openTestApp(db);
    });
    after(async () => {
      await app.close();
      await db.close();
    });
    /** Anonymous: no cookie, as any member of the public or another directory would call it. */
    const get = (url: string) => app.inject({ method: 'GET', url: `${ORUK}${url}` });
    const publicHeaders = (res: LightMyRequestResponse) => {
      assert.equal(res.headers['cache-control'], 'public, max-age=60');
      assert.equal(res.headers['access-control-allow-origin'], '*');
    };

    test('GET / says which standard the feed follows, without signing in', async () => {
      for (const url of ['/', '']) {
        const res = await get(url);
        assert.equal(res.statusCode, 200, res.body);
        valid(spec.apiDetails, res.json(), 'api details');
        assert.deepEqual(res.json(), {
          version: '3.0',
          profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
          openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json',
        });
        publicHeaders(res);
      }
    });

    test('every page of /services, and every service in full, validates against the schemas', async () => {
      const ids: string[] = [];
      let pageNumber = 1;
      let page: Page;
      do {
        const res = await get(`/services?page=${pageNumber}&per_page=25`);
        page = checkPage(spec.services, res, 25, `/services page ${pageNumber}`);
        publicHeaders(res);
        ids.push(...page.contents.map((s) => s.id as string));
        pageNumber++;
      } while (!page.last_page);
      assert.equal(page.total_items, 80, 'retired services are left out of the list');
      assert.equal(new Set(ids).size, 80);
      ids.push(directoryId('bury', 'service', 'tottington-memory-cafe')); // retired, still found by id
      for (const id of ids) {
        const res = await get(`/services/${id}`);
        assert.equal(res.statusCode, 200, res.body);
        valid(spec.serviceById, res.json(), `/services/${id}`);
        assert.deepEqual(nullsIn(res.json()), [], `/services/${id}: no null or empty values`);
        publicHeaders(res);
      }
    });

    test('a service in full carries its organisation, locations and address, times, costs, contacts and needs', async () => {
      const res = await get(`/services/${directoryId('bury', 'service', 'radcliffe-lunch-club')}`);
      const s = res.json() as OrukService;
      assert.equal(s.status, 'active');
      assert.equal(s.minimum_age, 60);
      assert.equal('maximum_age' in s, false, 'no maximum: left out, not null');
      assert.match(s.assured_date ?? '', /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(s.organization.name, 'Hearth and Table Community Cafés (sample)');
      const location = s.service_at_locations?.[0]?.location;
      assert.equal(location?.name, 'Community hall, Radcliffe');
      assert.deepEqual(location?.addresses?.[0], {
        id: location?.addresses?.[0]?.id,
        location_id: location?.id,
        address_1: 'Radcliffe town centre',
        city: 'Radcliffe',
        state_province: 'Greater Manchester',
        postal_code: 'M26',
        country: 'GB',
        address_type: 'physical',
      });
      assert.deepEqual(
        s.schedules.map((x) => [x.freq, x.interval, x.byday, x.opens_at, x.closes_at]),
        [['WEEKLY', 1, 'WE', '12:00:00', '14:00:00']],
      );
      assert.deepEqual(
        s.cost_options.map((c) => [c.option, c.amount]),
        [['Lunch', 4.5]],
      );
      assert.deepEqual(
        s.contacts.map((c) => c.title),
        ['Café manager'],
      );
      const terms = s.attributes.map((a) => [a.link_type, a.taxonomy_term.name, a.link_id]);
      assert.deepEqual(terms.sort(), [
        ['needs', 'Food', s.id],
        ['needs', 'Older people', s.id],
        ['needs', 'Social connection', s.id],
      ]);
      const phoneLine = (
        await get(`/services/${directoryId('bury', 'service', 'money-advice-line')}`)
      ).json() as OrukService;
      assert.equal(phoneLine.service_areas[0]?.name, 'Bury');
      assert.deepEqual(phoneLine.service_at_locations, []);
    });

    test('the filters: search, taxonomy term and taxonomy, ages, organisation, and the neighbourhood extension', async () => {
      const names = async (query: string) => {
        const page = checkPage(spec.services, await get(`/services?per_page=100&${query}`), 100, query);
        return page.contents.map((s) => s.name as string);
      };
      assert.ok((await names('search=befriending')).includes('Home befriending'));
      const sheds = await names(`search=${encodeURIComponent('"men\'s shed" -prestwich')}`);
      assert.equal(sheds.length, 3);
      const dementia = await names(
        `taxonomy_term_id=${directoryId('bury', 'taxonomy-term', 'health-conditions')}`,
      );
      assert.ok(dementia.includes('Memory café, Bury'), 'a narrower term counts');
      const two = await names(
        `taxonomy_term_id=${directoryId('bury', 'taxonomy-term', 'housing')},${directoryId('bury', 'taxonomy-term', 'carers')}`,
      );
      assert.ok(two.includes('Tenancy support, Prestwich') && two.includes("Carers' café, Bury"));
      const offer = await names(`taxonomy_id=${directoryId('bury', 'taxonomy', 'live-well-offer')}`);
      assert.ok(offer.includes('Library and digital help') && !offer.includes('Moorside food club'));
      const young = checkPage(spec.services, await get('/services?per_page=100&maximum_age=4'), 100, 'max 4');
      assert.ok(young.contents.every((s) => typeof s.maximum_age === 'number' && s.maximum_age <= 4));
      const old = checkPage(spec.services, await get('/services?per_page=100&minimum_age=60'), 100, 'min 60');
      assert.ok(old.total_items > 0 && old.contents.every((s) => (s.minimum_age as number) >= 60));
      const radcliffeOlder = await names('neighbourhood=west&age=78');
      assert.ok(radcliffeOlder.includes('Lunch club for older people, Radcliffe'));
      assert.ok(!radcliffeOlder.includes('Youth club, Radcliffe'));
      const org = await names(`organization_id=${directoryId('bury', 'organisation', 'shed-collective')}`);
      assert.equal(org.length, 4);
      assert.deepEqual(await names('search=xylophone'), []);
      const empty = checkPage(spec.services, await get('/services?page=9&per_page=50'), 50, 'past the end');
      assert.deepEqual([empty.empty, empty.total_items, empty.last_page], [true, 80, true]);
    });

    test('taxonomies and terms: the profile’s schemas and its field definitions', async () => {
      const taxonomies = checkPage(spec.taxonomies, await get('/taxonomies'), 50, '/taxonomies');
      assert.deepEqual(
        taxonomies.contents.map((t) => t.name),
        ['Needs', 'Live Well offer'],
      );
      const termIds = new Set<string>();
      for (const t of taxonomies.contents) {
        const res = await get(`/taxonomies/${t.id}`);
        assert.equal(res.statusCode, 200);
        valid(spec.taxonomyById, res.json(), `/taxonomies/${t.id}`);
        const full = res.json() as Json & { taxonomy_terms: Json[] };
        for (const term of full.taxonomy_terms) {
          assert.equal(term.taxonomy_id, t.id);
          termIds.add(term.id as string);
        }
      }
      const terms = checkPage(
        spec.taxonomyTerms,
        await get('/taxonomy_terms?per_page=100'),
        100,
        '/taxonomy_terms',
      );
      assert.equal(terms.total_items, 28);
      assert.deepEqual(new Set(terms.contents.map((t) => t.id)), termIds);
      // The UK profile's taxonomy_term field definitions (schema/taxonomy_term.json and
      // profile/taxonomy_term.json): id (uuid), name and description are required; parent_id and
      // taxonomy_id are uuids; `term` is the term itself; HSDS's code, language and taxonomy_detail
      // are removed by the profile.
      const byId = new Map(terms.contents.map((t) => [t.id, t]));
      for (const t of terms.contents) {
        for (const field of ['id', 'name', 'description'])
          assert.equal(typeof t[field], 'string', `${t.id} ${field}`);
        for (const removed of ['code', 'language', 'taxonomy_detail'])
          assert.equal(removed in t, false, removed);
        assert.equal(t.term, t.name);
        assert.ok(termIds.has(t.id as string));
        if (t.parent_id !== undefined)
          assert.equal(byId.get(t.parent_id)?.taxonomy_id, t.taxonomy_id, 'a parent in the same taxonomy');
        const one = await get(`/taxonomy_terms/${t.id}`);
        valid(spec.taxonomyTermById, one.json(), `/taxonomy_terms/${t.id}`);
        assert.deepEqual(one.json(), t);
      }
      const live = checkPage(
        spec.taxonomyTerms,
        await get(`/taxonomy_terms?taxonomy_id=${directoryId('bury', 'taxonomy', 'live-well-offer')}`),
        50,
        'terms of one taxonomy',
      );
      assert.equal(live.total_items, 9);
    });

    test('services at locations: every page and every one in full validate', async () => {
      let pageNumber = 1;
      let page: Page;
      const ids: string[] = [];
      do {
        page = checkPage(
          spec.serviceAtLocations,
          await get(`/service_at_locations?page=${pageNumber}&per_page=40`),
          40,
          `/service_at_locations page ${pageNumber}`,
        );
        ids.push(...page.contents.map((x) => x.id as string));
        pageNumber++;
      } while (!page.last_page);
      assert.equal(new Set(ids).size, page.total_items);
      // The OpenAPI names compiled/service.json for /service_at_locations/{id}, which cannot be meant (a
      // service at a location has no name or status of its own): the answer is checked against the
      // profile's compiled/service_at_location.json, as the official example is.
      for (const id of ids) {
        const res = await get(`/service_at_locations/${id}`);
        assert.equal(res.statusCode, 200, res.body);
        valid(spec.serviceAtLocation, res.json(), `/service_at_locations/${id}`);
        assert.deepEqual(nullsIn(res.json()), []);
        publicHeaders(res);
      }
      const west = checkPage(
        spec.serviceAtLocations,
        await get('/service_at_locations?neighbourhood=west&search=lunch'),
        50,
        'west lunch',
      );
      assert.deepEqual(
        west.contents.map((x) => (x.location as Json).name),
        ['Community hall, Radcliffe'],
      );
    });

    test('bad input is a 400 OperationOutcome naming the field, never cached', async () => {
      const term = directoryId('bury', 'taxonomy-term', 'food');
      const cases: [string, string][] = [
        ['/services?per_page=100000', 'per_page'],
        ['/services?per_page=0', 'per_page'],
        ['/services?page=0', 'page'],
        ['/services?page=-1', 'page'],
        ['/services?page=two', 'page'],
        ['/services?taxonomy_term_id=food', 'taxonomy_term_id'],
        [`/services?taxonomy_term_id=${term},food`, 'taxonomy_term_id'],
        ['/services?taxonomy_id=needs', 'taxonomy_id'],
        ['/services?minimum_age=-1', 'minimum_age'],
        ['/services?maximum_age=-5', 'maximum_age'],
        ['/services?age=-1', 'age'],
        ['/services?modified_after=yesterday', 'modified_after'],
        ['/services?neighbourhood=radcliffe', 'neighbourhood'],
        ['/services?day=MO', 'day'],
        ['/service_at_locations?postcode=BL9', 'postcode'],
        ['/service_at_locations?per_page=100000', 'per_page'],
        ['/taxonomy_terms?per_page=100000', 'per_page'],
        ['/taxonomies?page=0', 'page'],
        ['/services/not-a-uuid', 'id'],
        ['/taxonomy_terms/food', 'id'],
      ];
      for (const [url, field] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        const outcome = res.json() as { resourceType: string; issue: { expression?: string[] }[] };
        assert.equal(outcome.resourceType, 'OperationOutcome');
        assert.ok(
          outcome.issue.some((i) => i.expression?.includes(field)),
          `${url} names ${field}: ${res.body}`,
        );
        assert.equal(res.headers['cache-control'], 'no-store', url);
        assert.equal(res.headers['access-control-allow-origin'], '*', url);
      }
    });

    test('an unknown id or place is a 404 OperationOutcome', async () => {
      const unknown = directoryId('bury', 'service', 'no-such-service');
      for (const url of [
        `/services/${unknown}`,
        `/taxonomies/${unknown}`,
        `/taxonomy_terms/${unknown}`,
        `/service_at_locations/${unknown}`,
      ]) {
        const res = await get(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal((res.json() as { resourceType: string }).resourceType, 'OperationOutcome');
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      const nowhere = await app.inject({ method: 'GET', url: '/api/places/atlantis/oruk/services' });
      assert.equal(nowhere.statusCode, 404);
    });
  });
}
