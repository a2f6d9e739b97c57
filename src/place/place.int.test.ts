import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { isAppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { addStaff, type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { loadPlacePack } from './load-place-pack.ts';
import { getNeighbourhoodDetail, getPlaceOverview } from './read-place.ts';

const BURY = path.resolve('place-packs/bury');

/** A copy of the Bury pack with some changes, in a temporary folder. */
function packCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-pack-'));
  cpSync(BURY, dir, { recursive: true });
  change(dir);
  return dir;
}
const editFile = (dir: string, file: string, edit: (text: string) => string) =>
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'place',
    'neighbourhood',
    'ward',
    'lsoa',
    'practice',
    'team',
    'team_role',
    'agency',
    'practitioner',
    'live_well_site',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db.kysely);
    out[t] = r.rows[0]?.n ?? -1;
  }
  return out;
}

for (const target of dbTargets()) {
  describe(`the place model on ${target.name}`, () => {
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

    test('the overview has five neighbourhoods, 120 LSOAs and 12 in IMD 2019 decile 1', async () => {
      const overview = await getPlaceOverview(db.kysely, 'bury');
      assert.equal(overview.neighbourhoods.length, 5);
      assert.equal(overview.totals.lsoas, 120);
      assert.equal(overview.totals.lsoasInImd2019Decile1, 12);
      assert.equal(overview.totals.wards, 17);
      assert.equal(overview.totals.populationMid2020, 190708);
      const east = overview.neighbourhoods.find((n) => n.code === 'east');
      assert.equal(east?.lsoasByImd2019Decile[0], 5);
      assert.equal(
        east?.lsoasByImd2019Decile.reduce((a, b) => a + b, 0),
        east?.lsoaCount,
      );
      assert.equal(
        east?.populationByImd2019Decile.reduce((a, b) => a + b, 0),
        east?.population,
      );
    });

    test('a neighbourhood has its wards, LSOAs, practices, INT roles and Live Well sites', async () => {
      const east = await getNeighbourhoodDetail(db.kysely, 'bury', 'east');
      assert.deepEqual(
        east.wards.map((w) => w.name),
        ['Bury East', 'Moorside', 'Redvales'],
      );
      assert.equal(east.lsoas.length, 20);
      assert.ok(east.practices.some((p) => p.odsCode === 'P83020' && !p.isOpen));
      assert.deepEqual(
        east.teams[0]?.roles.map((r) => r.title),
        ['INT lead', 'GP lead', 'Neighbourhood officer'],
      );
      assert.deepEqual(
        east.liveWell.map((s) => s.town),
        ['Bury'],
      );
      const whitefield = await getNeighbourhoodDetail(db.kysely, 'bury', 'whitefield');
      assert.deepEqual(
        whitefield.liveWell.map((s) => s.rolloutYear),
        [2026],
      );
      assert.ok(whitefield.wards.every((w) => w.assignment === 'sourced'));
    });

    test('each INT has its twelve practitioners, and every practice is an agency', async () => {
      const counts = await tableCounts(db);
      assert.equal(counts.practitioner, 5 * 12);
      assert.equal(counts.agency, 10 + 26);
      const gpLead = await db.kysely
        .selectFrom('practitioner as p')
        .innerJoin('agency as a', (j) =>
          j.onRef('a.place_id', '=', 'p.place_id').onRef('a.id', '=', 'p.agency_id'),
        )
        .select(['a.kind', 'a.name'])
        .where('p.place_id', '=', 'bury')
        .where('p.id', '=', 'int-east-gp-lead')
        .executeTakeFirstOrThrow();
      assert.deepEqual(gpLead, { kind: 'gp-practice', name: 'TOWNSIDE SURGERY' });
    });

    test('a bad pack is refused with file, row and field named, and the database is unchanged', async () => {
      const before = await tableCounts(db);
      const bad = packCopy((dir) => {
        editFile(dir, 'pack.json', (t) => t.replace('"name": "Bury"', '"name": "Changed"'));
        editFile(dir, 'practices.csv', (t) => t.replace('BURY PCN,north,', 'BURY PCN,,'));
      });
      temp.push(bad);
      await assert.rejects(loadPlacePack(db.kysely, bad), (e) => {
        assert.ok(isAppError(e));
        assert.equal(e.code, 'invalid');
        assert.deepEqual(e.problems[0]?.expression, ['practices.csv:2:neighbourhood']);
        return true;
      });
      assert.deepEqual(await tableCounts(db), before);
      assert.equal((await getPlaceOverview(db.kysely, 'bury')).place.name, 'Bury');
    });

    test('loading a place replaces that place only; other places are left alone', async () => {
      const other = packCopy((dir) =>
        editFile(dir, 'pack.json', (t) =>
          t.replace('"id": "bury"', '"id": "bury-copy"').replace('"name": "Bury"', '"name": "Bury copy"'),
        ),
      );
      temp.push(other);
      await loadPlacePack(db.kysely, other);
      const renamed = packCopy((dir) => {
        editFile(dir, 'pack.json', (t) => t.replace('"name": "Bury"', '"name": "Bury (reloaded)"'));
        editFile(dir, 'teams.csv', (t) =>
          t
            .split('\n')
            .filter((l) => !l.startsWith('int-north'))
            .join('\n'),
        );
        editFile(dir, 'team-roles.csv', (t) =>
          t
            .split('\n')
            .filter((l) => !l.startsWith('int-north'))
            .join('\n'),
        );
        editFile(dir, 'practitioners.csv', (t) =>
          t
            .split('\n')
            .filter((l) => !l.startsWith('int-north'))
            .join('\n'),
        );
      });
      temp.push(renamed);
      // A staff account linked to a practitioner keeps the link while the practitioner stays in the pack.
      const linked = async (id: string) =>
        (
          await db.kysely
            .selectFrom('practitioner')
            .select('staff_user_id')
            .where('place_id', '=', 'bury')
            .where('id', '=', id)
            .executeTakeFirst()
        )?.staff_user_id;
      const eastLead = await addStaff(db, { role: 'int-lead', teamId: 'int-east' });
      const northLead = await addStaff(db, { role: 'int-lead', teamId: 'int-north' });
      for (const [id, staff] of [
        ['int-east-int-lead', eastLead],
        ['int-north-int-lead', northLead],
      ] as const)
        await db.kysely
          .updateTable('practitioner')
          .set({ staff_user_id: staff.id })
          .where('place_id', '=', 'bury')
          .where('id', '=', id)
          .execute();
      await loadPlacePack(db.kysely, renamed);
      assert.equal(await linked('int-east-int-lead'), eastLead.id);
      assert.equal(await linked('int-north-int-lead'), undefined);
      assert.equal((await getPlaceOverview(db.kysely, 'bury')).place.name, 'Bury (reloaded)');
      assert.equal((await getNeighbourhoodDetail(db.kysely, 'bury', 'north')).teams.length, 0);
      const copy = await getNeighbourhoodDetail(db.kysely, 'bury-copy', 'north');
      assert.equal(copy.teams.length, 1);
      assert.equal((await tableCounts(db)).lsoa, 240);
      assert.equal((await tableCounts(db)).practitioner, 48 + 60);
      await loadPlacePack(db.kysely, BURY);
      assert.equal((await getNeighbourhoodDetail(db.kysely, 'bury', 'north')).teams.length, 1);
      assert.equal(await linked('int-east-int-lead'), eastLead.id);
      assert.equal(await linked('int-north-int-lead'), null);
      await db.kysely.deleteFrom('place').where('id', '=', 'bury-copy').execute();
    });

    describe('over HTTP', () => {
      let app: Awaited<ReturnType<typeof openTestApp>>;
      let staff: Client;
      before(async () => {
        // A built web app beside the API, as in production: errors must still be OperationOutcomes.
        app = await openTestApp(db);
        staff = await staffClient(app, db, { role: 'analyst' });
      });
      after(() => app.close());

      test('GET /api/places/bury gives the overview', async () => {
        const res = await staff.inject({ method: 'GET', url: '/api/places/bury' });
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.equal(body.neighbourhoods.length, 5);
        assert.equal(body.totals.lsoasInImd2019Decile1, 12);
        assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.ok(res.headers['content-security-policy']);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
      });

      test('GET a neighbourhood, its LSOAs and its boundaries', async () => {
        const detail = await staff.inject({
          method: 'GET',
          url: '/api/places/bury/neighbourhoods/prestwich',
        });
        assert.equal(detail.statusCode, 200);
        assert.equal(detail.json().wards.length, 3);
        const lsoas = await staff.inject({ method: 'GET', url: '/api/places/bury/lsoas?neighbourhood=west' });
        assert.equal(lsoas.json().lsoas.length, 36);
        const map = await staff.inject({ method: 'GET', url: '/api/places/bury/boundaries/lsoas' });
        const features = map.json().features;
        assert.equal(features.length, 120);
        assert.ok(['Polygon', 'MultiPolygon'].includes(features[0].geometry.type));
      });

      test('GET the ward boundaries: all of Bury, each in a neighbourhood, or one neighbourhood', async () => {
        const all = await staff.inject({ method: 'GET', url: '/api/places/bury/boundaries/wards' });
        assert.equal(all.statusCode, 200);
        const body = all.json();
        assert.equal(body.type, 'FeatureCollection');
        assert.equal(body.features.length, 17);
        const neighbourhoods = new Set(['east', 'north', 'west', 'prestwich', 'whitefield']);
        for (const f of body.features) {
          assert.equal(f.type, 'Feature');
          assert.deepEqual(Object.keys(f.properties).sort(), ['code', 'name', 'neighbourhood']);
          assert.match(f.properties.code, /^E05\d{6}$/);
          assert.ok(neighbourhoods.has(f.properties.neighbourhood), f.properties.neighbourhood);
          assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
        }
        const east = await staff.inject({
          method: 'GET',
          url: '/api/places/bury/boundaries/wards?neighbourhood=east',
        });
        assert.equal(east.statusCode, 200);
        const eastWards: { properties: { name: string; neighbourhood: string } }[] = east.json().features;
        assert.deepEqual(eastWards.map((f) => f.properties.name).sort(), [
          'Bury East',
          'Moorside',
          'Redvales',
        ]);
        assert.ok(eastWards.every((f) => f.properties.neighbourhood === 'east'));
        const unknown = await staff.inject({
          method: 'GET',
          url: '/api/places/bury/boundaries/wards?neighbourhood=radcliffe',
        });
        assert.equal(unknown.statusCode, 400);
        assert.equal(unknown.json().resourceType, 'OperationOutcome');
        assert.deepEqual(unknown.json().issue[0].expression, ['neighbourhood']);
        const nowhere = await staff.inject({ method: 'GET', url: '/api/places/nowhere/boundaries/wards' });
        assert.equal(nowhere.statusCode, 404);
      });

      test('an unknown place or neighbourhood is a 404 OperationOutcome carrying the request id', async () => {
        for (const url of [
          '/api/places/nowhere',
          '/api/places/bury/neighbourhoods/radcliffe',
          '/api/nothing-here',
        ]) {
          const res = await staff.inject({
            method: 'GET',
            url,
            headers: { 'x-request-id': 'test-request-0001' },
          });
          assert.equal(res.statusCode, 404, url);
          const body = res.json();
          assert.equal(body.resourceType, 'OperationOutcome');
          assert.equal(body.id, 'test-request-0001');
          assert.equal(res.headers['x-request-id'], 'test-request-0001');
          assert.equal(body.issue[0].code, 'not-found');
        }
      });

      test('a bad parameter is a 400 naming the field; SQL in parameters is harmless', async () => {
        const res = await staff.inject({
          method: 'GET',
          url: "/api/places/bury/lsoas?neighbourhood=x'%20or%201=1--",
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(res.json().issue[0].expression, ['neighbourhood']);
        const unknown = await staff.inject({
          method: 'GET',
          url: '/api/places/bury/lsoas?neighbourhood=radcliffe',
        });
        assert.equal(unknown.statusCode, 400);
        assert.deepEqual(unknown.json().issue[0].expression, ['neighbourhood']);
        const place = await staff.inject({ method: 'GET', url: '/api/places/Bury;drop%20table%20lsoa' });
        assert.equal(place.statusCode, 400);
        assert.equal((await tableCounts(db)).lsoa, 120);
      });

      test('pages that are not files get the web app; unknown API paths do not', async () => {
        const page = await staff.inject({ method: 'GET', url: '/neighbourhoods/east' });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<title>Joined Up<\/title>/);
        const api = await staff.inject({ method: 'GET', url: '/api/nothing' });
        assert.equal(api.statusCode, 404);
        assert.equal(api.json().resourceType, 'OperationOutcome');
      });

      test('/health reports the database, and the OpenAPI document lists the place routes', async () => {
        const health = await staff.inject({ method: 'GET', url: '/health' });
        assert.equal(health.statusCode, 200);
        assert.equal(health.json().status, 'ok');
        assert.equal(health.json().database.kind, target.name);
        // A server's pool of connections; the embedded database has one connection and no pool.
        const { connections } = health.json().database;
        if (target.name === 'pglite') assert.equal(connections, null);
        else assert.deepEqual(Object.keys(connections).sort(), ['idle', 'inUse', 'max', 'open', 'waiting']);
        const docs = await staff.inject({ method: 'GET', url: '/api/docs/json' });
        assert.equal(docs.statusCode, 200);
        const paths = Object.keys(docs.json().paths);
        for (const p of ['/api/places/{placeId}', '/api/places/{placeId}/neighbourhoods/{code}', '/health'])
          assert.ok(paths.includes(p), `${p} missing from ${paths.join(', ')}`);
        const wards = docs.json().paths['/api/places/{placeId}/boundaries/wards']?.get;
        assert.deepEqual(wards?.tags, docs.json().paths['/api/places/{placeId}/boundaries/lsoas']?.get?.tags);
        assert.deepEqual(wards?.tags, ['Place']);
      });
    });
  });

  describe(`the Greater Manchester pack on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    test('loads its ten localities beside Bury, leaving Bury as it was', async () => {
      await loadPlacePack(db.kysely, BURY);
      await loadPlacePack(db.kysely, path.resolve('place-packs/greater-manchester'));
      const gm = await getPlaceOverview(db.kysely, 'greater-manchester');
      assert.equal(gm.neighbourhoods.length, 10);
      assert.equal(gm.totals.lsoas, 1702);
      assert.equal(gm.totals.wards, 215);
      const bury = await getPlaceOverview(db.kysely, 'bury');
      assert.equal(bury.totals.lsoas, 120);
      assert.equal(bury.neighbourhoods.length, 5);
    });
  });
}
