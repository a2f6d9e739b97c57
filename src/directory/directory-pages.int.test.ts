// The public directory pages over the real app and the Bury pack: no sign-in, plain HTML with no script,
// cacheable for a minute; search by town, neighbourhood, need and age; a service's page (a sample one,
// a retired one); the Live Well rollout and one hub; bad input shown beside its field; every value
// escaped; unknown addresses the directory's own "not found". On PGlite, and PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { openTestApp } from '../server/test-app.ts';
import { directoryId } from './directory.ts';

const serviceId = (packId: string) => directoryId('bury', 'service', packId);

/** The text of the page without its markup, spaces collapsed. */
const textOf = (body: string) =>
  body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

function isPublicPage(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body.slice(0, 500));
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.equal(res.headers['cache-control'], status === 200 ? 'public, max-age=60' : 'no-store');
  assert.match(res.body, /^<!doctype html>\n<html lang="en-GB">/);
  assert.match(res.body, /<a class="nhsuk-skip-link" href="#maincontent">/);
  assert.doesNotMatch(res.body, /<script/i, 'no script: the page works without JavaScript');
  assert.equal(res.body.match(/<h1[\s>]/g)?.length, 1, 'one h1');
}

for (const target of dbTargets()) {
  describe(`the public directory pages on ${target.name}`, () => {
    let db: Db;
    let app: App;
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, path.resolve('place-packs/bury'));
      app = await openTestApp(db);
    });
    after(async () => {
      await app.close();
      await db.close();
    });
    /** Anonymous, as a resident: no cookie. */
    const get = (url: string) => app.inject({ method: 'GET', url });

    test('the search page lists every current service, a page at a time, with browse links', async () => {
      const res = await get('/directory');
      isPublicPage(res);
      const text = textOf(res.body);
      assert.match(text, /All services \(80\)/, 'retired services are left out');
      assert.match(text, /Page 1 of 8/);
      assert.match(res.body, /<form method="get" action="\/directory"/);
      for (const label of ['What are you looking for?', 'Where', 'What help is needed', 'Age of the person'])
        assert.ok(text.includes(label), label);
      assert.match(res.body, /<optgroup label="Towns"><option value="town-bury">Bury<\/option>/);
      assert.match(res.body, /href="\/directory\?where=neighbourhood-west">West neighbourhood<\/a>/);
      assert.match(res.body, /href="\/directory\?need=older-people">Older people<\/a>/);
      assert.match(res.body, /<nav class="nhsuk-pagination nhsuk-pagination--numbered"/);
      assert.match(res.body, /href="\/directory\?page=2" class="nhsuk-pagination__next"/);
      isPublicPage(await get('/directory/'));
    });

    test('a service in Radcliffe for an older person aged 75: the lunch club, and no youth club', async () => {
      const res = await get('/directory?where=town-radcliffe&need=older-people&age=75');
      isPublicPage(res);
      const text = textOf(res.body);
      assert.match(text, /7 services found/);
      assert.match(text, /Services for older people, in Radcliffe, for a person aged 75\./);
      assert.ok(text.includes('Lunch club for older people, Radcliffe'));
      assert.ok(text.includes('Run by Hearth and Table Community Cafés (sample)'));
      assert.ok(text.includes('Radcliffe (West neighbourhood)'));
      assert.ok(text.includes('Wednesday, midday to 2pm'));
      assert.ok(text.includes('Aged 60 and over'));
      assert.ok(!text.includes('Youth club, Radcliffe'), 'a youth club is not for a person aged 75');
      assert.ok(!text.includes('Strength and balance class, Radcliffe'), 'a retired service is left out');
      assert.ok(text.includes('Sample data'));
      assert.match(res.body, new RegExp(`href="/directory/services/${serviceId('radcliffe-lunch-club')}"`));
      // The selected choices stay chosen in the form.
      assert.match(res.body, /<option value="town-radcliffe" selected>Radcliffe<\/option>/);
      assert.match(res.body, /id="age" name="age" type="text" value="75" inputmode="numeric"/);
      // Without a need: more than a page, the lunch club on the second, the choices kept in the links.
      const first = await get('/directory?where=town-radcliffe&age=75');
      assert.match(textOf(first.body), /20 services found .* Page 1 of 2/);
      assert.match(
        first.body,
        /href="\/directory\?where=town-radcliffe&amp;age=75&amp;page=2" class="nhsuk-pagination__next"/,
      );
      const second = await get('/directory?where=town-radcliffe&age=75&page=2');
      assert.ok(textOf(second.body).includes('Lunch club for older people, Radcliffe'));
      assert.ok(!textOf(second.body).includes('Youth club, Radcliffe'));
    });

    test('by neighbourhood, by need and by words', async () => {
      const west = textOf((await get('/directory?where=neighbourhood-west&need=food')).body);
      assert.ok(west.includes('Lunch club for older people, Radcliffe'));
      assert.ok(west.includes('Services for food, in West neighbourhood.'));
      const words = textOf((await get('/directory?search=memory+Ramsbottom')).body);
      assert.match(words, /Memory café/);
      const none = await get('/directory?search=zzzzqqq');
      isPublicPage(none);
      assert.match(textOf(none.body), /0 services found .* No services match\./);
    });

    test('bad choices are shown beside their fields, as a 400, and nothing is searched', async () => {
      const res = await get('/directory?where=town-atlantis&need=flying&age=seventy');
      isPublicPage(res, 400);
      assert.match(res.body, /<title>Error: Find a local service/);
      assert.match(res.body, /<h2 class="nhsuk-error-summary__heading">There is a problem<\/h2>/);
      assert.match(res.body, /<a href="#where">Choose a town or neighbourhood from the list<\/a>/);
      assert.match(res.body, /<a href="#need">Choose a need from the list<\/a>/);
      assert.match(res.body, /<a href="#age">Age must be a number of years, like 75<\/a>/);
      assert.match(res.body, /aria-describedby="age-hint age-error"/);
      assert.doesNotMatch(res.body, /services found/);
    });

    test('every value from the address is escaped', async () => {
      const evil = '"><script>alert(1)</script>';
      const res = await get(`/directory?search=${encodeURIComponent(evil)}`);
      isPublicPage(res);
      assert.ok(res.body.includes('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
      assert.ok(res.body.includes('matching “&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;”'));
    });

    test('a service’s page says everything about it, and that it is sample data', async () => {
      const res = await get(`/directory/services/${serviceId('radcliffe-lunch-club')}`);
      isPublicPage(res);
      assert.match(
        res.body,
        /<title>Lunch club for older people, Radcliffe – Find a local service in Bury<\/title>/,
      );
      const text = textOf(res.body);
      for (const said of [
        'Run by Hearth and Table Community Cafés (sample)',
        'Sample data',
        'A hot two-course lunch and good company every Wednesday.',
        'Aged 60 and over',
        'Community hall, Radcliffe',
        'Radcliffe town centre, Radcliffe, M26',
        'West neighbourhood',
        'Wednesday, midday to 2pm',
        '£4.50 a lunch',
        'Café manager',
        '0161 496 0260',
        'How to get referred',
        'Last checked:',
      ])
        assert.ok(text.includes(said), said);
      assert.match(res.body, /<a href="tel:01614960260">0161 496 0260<\/a>/);
      assert.doesNotMatch(text, /has closed/);
    });

    test('a retired service says it has closed; an unknown one is not found', async () => {
      const res = await get(`/directory/services/${serviceId('tottington-memory-cafe')}`);
      isPublicPage(res);
      assert.match(textOf(res.body), /This service has closed\./);
      for (const url of [
        `/directory/services/${directoryId('bury', 'service', 'no-such-service')}`,
        '/directory/services/not-a-uuid',
        '/directory/live-well/nowhere',
        '/directory/anything/else',
      ]) {
        const missing = await get(url);
        isPublicPage(missing, 404);
        assert.match(missing.body, /<h1>Page not found<\/h1>/, url);
      }
    });

    test('the Live Well rollout by town and year, and one hub with its services', async () => {
      const res = await get('/directory/live-well');
      isPublicPage(res);
      const rows = [
        ...res.body.matchAll(
          /<th scope="row" class="nhsuk-table__header">([^<]+)<\/th>\s*<td class="nhsuk-table__cell">([^<]+)<\/td>/g,
        ),
      ].map((m) => `${m[1]} ${m[2]}`);
      assert.deepEqual(rows, [
        'Bury 2026 to 2030',
        'Whitefield 2026',
        'Radcliffe 2027',
        'Ramsbottom 2028',
        'Prestwich 2029',
      ]);
      const hub = await get('/directory/live-well/live-well-radcliffe');
      isPublicPage(hub);
      const text = textOf(hub.body);
      assert.ok(text.includes('Radcliffe Live Well hub'));
      assert.ok(text.includes('Live Well hub'));
      assert.ok(text.includes('2027'));
      assert.ok(text.includes('Radcliffe town centre, Radcliffe, M26'));
      assert.match(text, /\d+ services at Radcliffe Live Well hub/);
      assert.ok(text.includes('Council tax and benefits help'));
    });

    test('the pages do not need a session and are not the staff app', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/directory',
        headers: { cookie: 'joinedup_session=not-a-real-session' },
      });
      isPublicPage(res);
      assert.doesNotMatch(res.body, /<title>Joined Up<\/title>/);
    });
  });
}
