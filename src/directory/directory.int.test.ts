// The services directory in the database, on PGlite and on PostgreSQL: loaded with its place, searched
// by text, neighbourhood, need and age, retired services left out unless asked for, ids the same on
// every load, and one place's directory never touching another's.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { isAppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import {
  getService,
  getServiceAtLocation,
  listServiceAtLocations,
  searchServices,
} from './directory.store.ts';
import { ageIsEligible, directoryId } from './directory.ts';
import { getTaxonomy, getTaxonomyTerm, listTaxonomies, listTaxonomyTerms } from './taxonomy.store.ts';

const BURY = path.resolve('place-packs/bury');
const ALL = { page: 1, perPage: 100 };
const serviceId = (packId: string, place = 'bury') => directoryId(place, 'service', packId);
const termId = (code: string) => directoryId('bury', 'taxonomy-term', code);

/** A copy of the Bury pack with some changes, in a temporary folder. */
function packCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-directory-'));
  cpSync(BURY, dir, { recursive: true });
  change(dir);
  return dir;
}
const editFile = (dir: string, file: string, edit: (text: string) => string) =>
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
const withoutLinesStarting = (prefix: string) => (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith(prefix))
    .join('\n');

for (const target of dbTargets()) {
  describe(`the services directory on ${target.name}`, () => {
    let db: Db;
    const temp: string[] = [];
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, BURY);
    });
    after(async () => {
      await db.close();
      for (const dir of temp) rmSync(dir, { recursive: true, force: true });
    });

    const names = async (search: Parameters<typeof searchServices>[2]) =>
      (await searchServices(db.kysely, 'bury', search)).items.map((s) => s.packId);

    test('loads every service whole: organisation, locations with town and neighbourhood, needs, times, contacts, costs', async () => {
      const page = await searchServices(db.kysely, 'bury', ALL);
      assert.equal(page.total, 80, 'the 82 services less the 2 retired ones');
      const lunch = page.items.find((s) => s.packId === 'radcliffe-lunch-club');
      assert.ok(lunch);
      assert.equal(lunch.id, serviceId('radcliffe-lunch-club'));
      assert.equal(lunch.organisation.name, 'Hearth and Table Community Cafés (sample)');
      assert.deepEqual(
        lunch.locations.map((l) => [l.name, l.town, l.neighbourhood.code, l.neighbourhood.name, l.postcode]),
        [['Community hall, Radcliffe', 'Radcliffe', 'west', 'West', 'M26']],
      );
      assert.deepEqual(lunch.terms.map((t) => [t.code, t.taxonomy.code]).sort(), [
        ['food', 'needs'],
        ['older-people', 'needs'],
        ['social-connection', 'needs'],
      ]);
      assert.deepEqual(
        lunch.schedules.map((s) => [s.freq, s.interval, s.byday, s.opensAt, s.closesAt, s.locationId]),
        [['WEEKLY', 1, ['WE'], '12:00', '14:00', lunch.locations[0]?.id]],
      );
      assert.deepEqual(
        lunch.costOptions.map((c) => [c.option, c.amount]),
        [['Lunch', 4.5]],
      );
      assert.equal(lunch.contacts[0]?.title, 'Café manager');
      assert.equal(lunch.contacts[0]?.phone?.startsWith('0161 496 0'), true);
      assert.deepEqual(
        [lunch.minimumAge, lunch.maximumAge, lunch.isSample, lunch.isBoroughWide],
        [60, null, true, false],
      );
      assert.match(lunch.reviewDate, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(lunch.lastChecked, /^\d{4}-\d{2}-\d{2}$/);
      const advice = page.items.find((s) => s.packId === 'adult-social-care-advice');
      assert.equal(advice?.locations.length, 5, 'at every Live Well centre and hub');
      assert.deepEqual(
        advice?.locations.map((l) => l.liveWellSiteId),
        [
          'live-well-whitefield',
          'live-well-bury',
          'live-well-radcliffe',
          'live-well-ramsbottom',
          'live-well-prestwich',
        ],
      );
    });

    test('finds services by free text, best match first, with stemming and web-search syntax', async () => {
      const befriending = await names({ text: 'befriending', ...ALL });
      assert.ok(befriending.length >= 5, befriending.join());
      assert.ok(befriending.slice(0, 3).includes('kingfisher-home-befriending'), befriending.join());
      assert.ok(befriending.includes('radcliffe-friendship-group'), 'found by its organisation’s name');
      const walks = await names({ text: 'walks', ...ALL });
      for (const id of ['bury-town-health-walk', 'radcliffe-riverside-walk', 'tottington-village-walk'])
        assert.ok(walks.includes(id), `${id} in ${walks.join()}`);
      const sheds = await names({ text: '"men\'s shed" -prestwich', ...ALL });
      assert.deepEqual(sheds.sort(), ['radcliffe-mens-shed', 'ramsbottom-mens-shed', 'unsworth-mens-shed']);
      const byPlace = await names({ text: 'memory Ramsbottom', ...ALL });
      assert.deepEqual(
        byPlace,
        ['summerseat-memory-cafe'],
        'a town in the text matches where a service meets',
      );
      assert.deepEqual(await names({ text: 'xylophone', ...ALL }), []);
      const stopWordsOnly = await searchServices(db.kysely, 'bury', { text: 'the', ...ALL });
      assert.equal(stopWordsOnly.total, 80, 'nothing to search by narrows nothing');
    });

    test('finds services by neighbourhood: meeting there, or serving the whole place', async () => {
      const west = await searchServices(db.kysely, 'bury', { neighbourhood: 'west', ...ALL });
      assert.ok(west.total > 10);
      for (const s of west.items)
        assert.ok(s.isBoroughWide || s.locations.some((l) => l.neighbourhood.code === 'west'), s.name);
      const ids = west.items.map((s) => s.packId);
      assert.ok(ids.includes('radcliffe-lunch-club'));
      assert.ok(ids.includes('money-advice-line'), 'a phone line serves every neighbourhood');
      assert.ok(!ids.includes('prestwich-food-club'));
    });

    test('finds services by need, including narrower needs under the one asked for', async () => {
      const conditions = await names({ taxonomyTermIds: [termId('health-conditions')], ...ALL });
      assert.ok(conditions.includes('nhs-health-check'));
      assert.ok(conditions.includes('bury-memory-cafe'), 'tagged only "dementia", a narrower term');
      const either = await names({ taxonomyTermIds: [termId('carers'), termId('housing')], ...ALL });
      assert.ok(either.includes('housing-advice') && either.includes('radcliffe-carers-group'));
      const offer = await names({ taxonomyId: directoryId('bury', 'taxonomy', 'live-well-offer'), ...ALL });
      assert.ok(offer.includes('library-and-digital-help') && !offer.includes('moorside-food-club'));
      assert.deepEqual(
        await names({ taxonomyTermIds: [directoryId('bury', 'taxonomy-term', 'unknown')], ...ALL }),
        [],
      );
    });

    test('finds services by age: a person’s age within the limits, and ORUK’s minimum and maximum', async () => {
      const eight = await searchServices(db.kysely, 'bury', { age: 8, ...ALL });
      const everyone = await searchServices(db.kysely, 'bury', ALL);
      assert.deepEqual(
        eight.items.map((s) => s.id),
        everyone.items.filter((s) => ageIsEligible(8, s.minimumAge, s.maximumAge)).map((s) => s.id),
        'the SQL agrees with the pure rule',
      );
      const ids = eight.items.map((s) => s.packId);
      assert.ok(ids.includes('library-and-digital-help') && ids.includes('family-help'));
      assert.ok(!ids.includes('moorside-youth-club') && !ids.includes('elton-toddler-group'));
      // An older adult in Radcliffe: what the public search page will be asked.
      const older = await names({ age: 78, neighbourhood: 'west', ...ALL });
      assert.ok(older.includes('radcliffe-lunch-club') && older.includes('radcliffe-friendship-group'));
      assert.ok(!older.includes('radcliffe-youth-club') && !older.includes('nhs-health-check'));
      const upToFour = await searchServices(db.kysely, 'bury', { maximumAge: 4, ...ALL });
      assert.ok(upToFour.total >= 6);
      assert.ok(upToFour.items.every((s) => s.maximumAge !== null && s.maximumAge <= 4));
      const fromSixty = await searchServices(db.kysely, 'bury', { minimumAge: 60, ...ALL });
      assert.ok(fromSixty.items.every((s) => (s.minimumAge ?? 0) >= 60));
      assert.ok(fromSixty.items.some((s) => s.packId === 'kingfisher-home-befriending'));
    });

    test('leaves retired services out unless asked, and still finds one by its id', async () => {
      const retired = serviceId('radcliffe-strength-and-balance');
      const plain = await names({ text: 'strength balance', ...ALL });
      assert.ok(!plain.includes('radcliffe-strength-and-balance'));
      const all = await names({ text: 'strength balance', includeRetired: true, ...ALL });
      assert.ok(all.includes('radcliffe-strength-and-balance'));
      assert.equal((await searchServices(db.kysely, 'bury', { includeRetired: true, ...ALL })).total, 82);
      assert.equal((await getService(db.kysely, 'bury', retired))?.status, 'defunct');
      assert.equal(await getService(db.kysely, 'bury', directoryId('bury', 'service', 'nothing')), undefined);
      assert.equal(await getService(db.kysely, 'bury', 'not-a-uuid'), undefined);
    });

    test('pages: the total stays, a page past the end is empty, and a page costs a fixed number of queries', async () => {
      const first = await searchServices(db.kysely, 'bury', { page: 1, perPage: 10 });
      const second = await searchServices(db.kysely, 'bury', { page: 2, perPage: 10 });
      assert.equal(first.items.length, 10);
      assert.equal(second.total, first.total);
      assert.equal(new Set([...first.items, ...second.items].map((s) => s.id)).size, 20);
      const past = await searchServices(db.kysely, 'bury', { page: 99, perPage: 10 });
      assert.deepEqual([past.total, past.items.length], [first.total, 0]);
      let queries = 0;
      const counted = db.kysely.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      await searchServices(counted, 'bury', { page: 1, perPage: 5 });
      const few = queries;
      queries = 0;
      await searchServices(counted, 'bury', { page: 1, perPage: 80, text: 'group' });
      assert.equal(queries, few, 'the same queries for 5 services as for 80');
      assert.ok(few <= 7, `${few} queries a page`);
    });

    test('services at locations: one row per location, the neighbourhood being the location’s own', async () => {
      const west = await listServiceAtLocations(db.kysely, 'bury', { neighbourhood: 'west', ...ALL });
      assert.ok(west.total > 10);
      assert.ok(west.items.every((x) => x.location.neighbourhood.code === 'west'));
      const advice = west.items.filter((x) => x.service.packId === 'adult-social-care-advice');
      assert.deepEqual(
        advice.map((x) => x.location.name),
        ['Radcliffe Live Well hub'],
      );
      const one = await getServiceAtLocation(db.kysely, 'bury', advice[0]?.id as string);
      assert.equal(one?.service.packId, 'adult-social-care-advice');
      assert.equal(one?.location.town, 'Radcliffe');
      assert.equal(await getServiceAtLocation(db.kysely, 'bury', serviceId('x')), undefined);
    });

    test('vocabularies and their terms, in the pack’s order, with parents', async () => {
      const taxonomies = await listTaxonomies(db.kysely, 'bury', ALL);
      assert.deepEqual(
        taxonomies.items.map((t) => t.name),
        ['Needs', 'Live Well offer'],
      );
      const needs = await getTaxonomy(db.kysely, 'bury', taxonomies.items[0]?.id as string);
      assert.equal(needs?.terms[0]?.code, 'social-connection');
      const terms = await listTaxonomyTerms(db.kysely, 'bury', { page: 1, perPage: 5 });
      assert.deepEqual([terms.total, terms.items.length], [28, 5]);
      const offer = await listTaxonomyTerms(db.kysely, 'bury', {
        ...ALL,
        taxonomyId: directoryId('bury', 'taxonomy', 'live-well-offer'),
      });
      assert.equal(offer.total, 9);
      const debt = await getTaxonomyTerm(db.kysely, 'bury', termId('debt-advice'));
      assert.equal(debt?.parentId, termId('money-and-debt'));
      assert.equal(debt?.taxonomy.name, 'Needs');
    });

    test('a bad directory row refuses the whole pack, and nothing changes', async () => {
      const before = await searchServices(db.kysely, 'bury', ALL);
      const bad = packCopy((dir) =>
        editFile(dir, 'directory/services.csv', (t) =>
          t
            .replace(',Moorside food club,', ',Moorside food club (changed),')
            .replace(',active,,,Households', ',open,,,Households'),
        ),
      );
      temp.push(bad);
      await assert.rejects(loadPlacePack(db.kysely, bad), (e) => {
        assert.ok(isAppError(e));
        assert.ok(
          e.problems.some((p) => /^directory\/services\.csv:\d+:status$/.test(p.expression?.[0] ?? '')),
        );
        return true;
      });
      const after = await searchServices(db.kysely, 'bury', ALL);
      assert.deepEqual(
        after.items.map((s) => [s.id, s.name]),
        before.items.map((s) => [s.id, s.name]),
      );
    });

    test('ids are the same on every load; another place’s directory is left alone', async () => {
      const snapshot = async (placeId: string) =>
        (
          await sql<{ id: string; updated_at: Date }>`
            select id, updated_at from directory_service where place_id = ${placeId}
            union all select id, null from directory_service_at_location where place_id = ${placeId}
            union all select id, null from directory_taxonomy_term where place_id = ${placeId}
            union all select id, null from directory_schedule where place_id = ${placeId}
            order by id`.execute(db.kysely)
        ).rows.map((r) => `${r.id}|${r.updated_at ? new Date(r.updated_at).toISOString() : ''}`);
      const first = await snapshot('bury');
      await loadPlacePack(db.kysely, BURY);
      assert.deepEqual(
        await snapshot('bury'),
        first,
        'same ids, and an unchanged service keeps its last_modified',
      );

      const copy = packCopy((dir) =>
        editFile(dir, 'pack.json', (t) =>
          t.replace('"id": "bury"', '"id": "bury-copy"').replace('"name": "Bury"', '"name": "Bury copy"'),
        ),
      );
      temp.push(copy);
      await loadPlacePack(db.kysely, copy);
      const copied = await snapshot('bury-copy');
      assert.equal(copied.length, first.length);
      assert.equal(
        (await getService(db.kysely, 'bury-copy', serviceId('moorside-food-club', 'bury-copy')))?.name,
        'Moorside food club',
      );
      assert.equal(
        await getService(db.kysely, 'bury-copy', serviceId('moorside-food-club')),
        undefined,
        'ids differ by place',
      );

      // Bury loses a service and changes another; the copy keeps both as they were.
      const changed = packCopy((dir) => {
        for (const f of ['services.csv', 'schedules.csv', 'cost-options.csv', 'contacts.csv'])
          editFile(dir, `directory/${f}`, withoutLinesStarting('moorside-food-club,'));
        editFile(dir, 'directory/services.csv', (t) =>
          t.replace(',Besses food club,', ',Besses community food club,'),
        );
      });
      temp.push(changed);
      await loadPlacePack(db.kysely, changed);
      assert.equal(await getService(db.kysely, 'bury', serviceId('moorside-food-club')), undefined);
      const besses = await getService(db.kysely, 'bury', serviceId('besses-food-club'));
      assert.equal(besses?.name, 'Besses community food club');
      const before = first.find((r) => r.startsWith(`${serviceId('besses-food-club')}|`));
      assert.notEqual(
        `${besses?.id}|${besses?.updatedAt.toISOString()}`,
        before,
        'a changed service has a new last_modified',
      );
      assert.deepEqual(await snapshot('bury-copy'), copied);
      assert.equal(
        (await searchServices(db.kysely, 'bury-copy', { text: 'Moorside food', ...ALL })).items[0]?.packId,
        'moorside-food-club',
      );
      await loadPlacePack(db.kysely, BURY);
      assert.equal(
        (await getService(db.kysely, 'bury', serviceId('moorside-food-club')))?.name,
        'Moorside food club',
      );
    });
  });
}
