// Profiles, maps and the outcomes framework end to end: refreshed after stratification, counted from the
// population without the people who opted out, suppressed so that no hidden count can be worked out from
// published ones, and served to every signed-in member of staff.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { discloseCount, type LinkedSum } from '../access/disclosure.ts';
import { attack, recovered } from '../access/disclosure-attack.test-helper.ts';
import type { PlacematBody, ProfileIndex } from '../core/schemas/profile.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { monthsOfQuarter } from '../outcomes/series.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { publishedCounts, refreshProfiles, refreshProfilesIfStratified } from './refresh-profiles.ts';

const REFERENCE_DATE = '2025-12-31';

for (const target of dbTargets()) {
  describe(`profiles on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let analyst: Client;
    const base = '/api/places/bury';
    const ok = async <T>(res: Promise<{ statusCode: number; body: string }>): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, 200, r.body);
      return JSON.parse(r.body) as T;
    };

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 3000,
        seed: 31,
      });
      app = await openTestApp(db);
      analyst = await staffClient(app, db, { role: 'analyst' });
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    /** Residents alive on the reference date, by neighbourhood, with or without those who opted out. */
    async function residents(withOptOuts: boolean) {
      let q = db.kysely
        .selectFrom('person as p')
        .innerJoin('lsoa as l', (j) =>
          j.onRef('l.place_id', '=', 'p.place_id').onRef('l.code', '=', 'p.lsoa_code'),
        )
        .select(['l.neighbourhood_code as code', (eb) => eb.fn.countAll<number>().as('n')])
        .where('p.place_id', '=', 'bury')
        .where('p.date_of_birth', '<=', REFERENCE_DATE)
        .where((eb) => eb.or([eb('p.date_of_death', 'is', null), eb('p.date_of_death', '>', REFERENCE_DATE)]))
        .groupBy('l.neighbourhood_code');
      if (!withOptOuts)
        q = q.where('p.national_data_opt_out', '=', false).where('p.type1_objection', '=', false);
      return new Map((await q.execute()).map((r) => [r.code, Number(r.n)]));
    }
    const rounded = (n: number) =>
      n >= 1 && n <= 7 ? '*' : (Math.floor(n / 5 + 0.5) * 5).toLocaleString('en-GB');

    test('stratification refreshes every placemat, map layer and series; the index lists the areas', async () => {
      const index = await ok<ProfileIndex>(analyst.get(`${base}/profiles`));
      assert.equal(index.referenceDate, REFERENCE_DATE);
      assert.deepEqual(
        ['borough', 'neighbourhood', 'ward'].map((k) => index.areas.filter((a) => a.kind === k).length),
        [1, 5, 17],
      );
      assert.ok(
        index.figures.some((f) => f.id === 'emergency-admissions-crude' && f.levels.includes('lsoa')),
      );
      assert.deepEqual(
        index.figures.find((f) => f.id === 'emergency-admissions')?.levels,
        ['ward'],
        'standardised rates by ward and up',
      );
      const run = await db.kysely
        .selectFrom('profile_run')
        .selectAll()
        .where('place_id', '=', 'bury')
        .executeTakeFirstOrThrow();
      assert.equal(run.reference_date, REFERENCE_DATE);
      assert.ok(run.cells_suppressed > 0 && run.cells_suppressed < run.cells);
      const kinds = await db.kysely
        .selectFrom('profile_snapshot')
        .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('place_id', '=', 'bury')
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      assert.deepEqual(
        kinds.map((k) => k.kind),
        ['dashboard', 'map', 'placemat', 'series'],
      );
    });

    test('a neighbourhood placemat counts its residents without those who opted out', async () => {
      const everyone = await residents(true);
      const counted = await residents(false);
      const east = await ok<PlacematBody>(analyst.get(`${base}/profiles/neighbourhood/east`));
      assert.equal(east.population.shown, rounded(counted.get('east') ?? 0));
      assert.ok(
        (counted.get('east') ?? 0) < (everyone.get('east') ?? 0),
        'some East residents have opted out',
      );
      assert.equal(east.parent?.code, 'bury');
      assert.deepEqual(
        east.children.map((c) => c.kind),
        ['ward', 'ward', 'ward'],
      );
      assert.ok(east.figures.length > 30);
      for (const f of east.figures) {
        if (f.count === '*') assert.equal(f.value, null, `${f.id} is hidden with its count`);
        if (f.value !== null && f.lower !== null && f.upper !== null)
          assert.ok(f.lower <= f.value && f.value <= f.upper, `${f.id} lies in its interval`);
      }
    });

    test('opting out takes a person out of every profile at the next refresh', async () => {
      const before_ = await residents(false);
      const person = await db.kysely
        .selectFrom('person as p')
        .innerJoin('lsoa as l', (j) =>
          j.onRef('l.place_id', '=', 'p.place_id').onRef('l.code', '=', 'p.lsoa_code'),
        )
        .select(['p.id'])
        .where('l.neighbourhood_code', '=', 'north')
        .where('p.national_data_opt_out', '=', false)
        .where('p.type1_objection', '=', false)
        .where('p.date_of_death', 'is', null)
        .orderBy('p.id')
        .limit(10)
        .execute();
      await db.kysely
        .updateTable('person')
        .set({ national_data_opt_out: true })
        .where(
          'id',
          'in',
          person.map((p) => p.id),
        )
        .execute();
      try {
        const out = await refreshProfiles(db, 'bury');
        assert.equal(out.peopleCounted, [...before_.values()].reduce((a, b) => a + b, 0) - 10);
        const north = await ok<PlacematBody>(analyst.get(`${base}/profiles/neighbourhood/north`));
        assert.equal(north.population.shown, rounded((before_.get('north') ?? 0) - 10));
      } finally {
        await db.kysely
          .updateTable('person')
          .set({ national_data_opt_out: false })
          .where(
            'id',
            'in',
            person.map((p) => p.id),
          )
          .execute();
        await refreshProfiles(db, 'bury');
      }
    });

    test('maps, the outcomes dashboard and a series are served; unknown ones are 404, bad ones 400 naming the field', async () => {
      const layer = await ok<{ areas: { suppressed: boolean; value: number | null }[] }>(
        analyst.get(`${base}/maps/emergency-admissions-crude/lsoa`),
      );
      assert.equal(layer.areas.length, 120);
      for (const a of layer.areas) if (a.suppressed) assert.equal(a.value, null);
      const dash = await ok<{ rows: { indicator: { id: string }; variation: string }[] }>(
        analyst.get(`${base}/outcomes`),
      );
      assert.equal(dash.rows.length, 7 * 6);
      const series = await ok<{ points: unknown[]; chart: { points: unknown[] } }>(
        analyst.get(`${base}/outcomes/ed-attendances/borough/bury/month`),
      );
      assert.equal(series.points.length, 36);
      assert.equal(series.chart.points.length, 36);

      assert.equal((await analyst.get(`${base}/profiles/ward/E05999999`)).statusCode, 404);
      assert.equal(
        (await analyst.get(`${base}/maps/imd-quintile-1/lsoa`)).statusCode,
        404,
        'deprivation mix is by ward only',
      );
      assert.equal(
        (await analyst.get(`${base}/outcomes/ed-attendances/ward/E05014163/month`)).statusCode,
        400,
      );
      const bad = await analyst.get(`${base}/profiles/parish/x`);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /areaKind/);
      const badPeriod = await analyst.get(`${base}/outcomes/ed-attendances/borough/bury/week`);
      assert.equal(badPeriod.statusCode, 400);
      assert.match(badPeriod.body, /period/);
    });

    test('a placemat downloads as JSON, CSV and PDF', async () => {
      const json = await analyst.get(`${base}/profiles/neighbourhood/east/download/json`);
      assert.equal(json.statusCode, 200);
      assert.match(
        json.headers['content-disposition'] as string,
        /attachment; filename="east-placemat-2025-12-31.json"/,
      );
      assert.equal((JSON.parse(json.body) as PlacematBody).area.name, 'East');
      const csv = await analyst.get(`${base}/profiles/neighbourhood/east/download/csv`);
      assert.match(csv.headers['content-type'] as string, /text\/csv/);
      assert.match(csv.body, /^Area,/);
      const pdf = await analyst.get(`${base}/profiles/neighbourhood/east/download/pdf`);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    });

    test('differencing: no hidden count can be worked out from nested published counts', {
      timeout: 300_000,
    }, async () => {
      const { areas, cells, sums, disclosed } = await publishedCounts(db, 'bury');
      // The nestings an outsider knows from the published pages alone: each area's count against the same
      // count in the areas within it, and each quarter against its months.
      const nested: LinkedSum[] = [];
      for (const area of areas.values()) {
        if (area.childKeys.length === 0) continue;
        for (const id of cells.keys()) {
          if (!id.startsWith(`${area.key}#`)) continue;
          const key = id.slice(area.key.length + 1);
          const parts = area.childKeys.map((c) => `${c}#${key}`);
          if (parts.every((p) => cells.has(p))) nested.push({ total: id, parts });
        }
        for (const id of cells.keys()) {
          const m = /^(.*)#qtr\|(\d{4}-\d{2})\|(.*)$/.exec(id);
          if (m && m[1] === area.key)
            nested.push({
              total: id,
              parts: monthsOfQuarter(m[2] ?? '').map((month) => `${area.key}#m|${month}|${m[3]}`),
            });
        }
      }
      assert.ok(nested.length > 1000, `${nested.length} nestings`);
      const knowledge = [...nested, ...sums];
      const asPublished = (hide: (id: string) => boolean) =>
        new Map([...cells].map(([id, n]) => [id, hide(id) ? null : n] as const));

      const hidden = [...disclosed].filter(([, d]) => d.isSuppressed).map(([id]) => id);
      assert.ok(
        hidden.some((id) => disclosed.get(id)?.secondary),
        'secondary suppression was needed',
      );
      assert.deepEqual(
        recovered(
          attack(
            asPublished((id) => disclosed.get(id)?.isSuppressed ?? true),
            knowledge,
          ),
        ),
        [],
      );

      // Without secondary suppression the same counts give hidden ones away.
      const primaryOnly = asPublished((id) => discloseCount(cells.get(id) ?? 0).isSuppressed);
      assert.ok(
        recovered(attack(primaryOnly, knowledge)).length > 0,
        'primary suppression alone is not enough',
      );
    });

    test('differencing: a neighbourhood with and without one practice never gives the practice’s hidden count', async () => {
      // The cohort tool publishes counts rounded to 5 (1 to 7 as *), without rates: an analyst may count
      // East, and East without one practice, to try to learn the practice's hidden count.
      const practices = await db.kysely
        .selectFrom('person_risk')
        .select('practice_code')
        .distinct()
        .where('place_id', '=', 'bury')
        .where('neighbourhood_code', '=', 'east')
        .execute();
      const preview = async (extra: object[]) => {
        const res = await analyst.inject({
          method: 'POST',
          url: `${base}/cohorts/preview`,
          payload: {
            rules: {
              kind: 'group',
              combinator: 'and',
              rules: [
                { kind: 'rule', field: 'neighbourhood', operator: 'in', value: ['east'] },
                { kind: 'rule', field: 'age', operator: '>=', value: 85 },
                ...extra,
              ],
            },
          },
        });
        assert.equal(res.statusCode, 200, res.body);
        const { breakdown } = JSON.parse(res.body) as {
          breakdown: {
            cells: {
              neighbourhood: string;
              quintile: number;
              people: { shown: string; value: number | null };
            }[];
          };
        };
        return new Map(
          breakdown.cells.filter((c) => c.neighbourhood === 'east').map((c) => [c.quintile, c.people]),
        );
      };
      const all = await preview([]);
      let hiddenChecked = 0;
      for (const { practice_code: p } of practices) {
        const without = await preview([{ kind: 'rule', field: 'practice', operator: 'not-in', value: [p] }]);
        const only = await preview([{ kind: 'rule', field: 'practice', operator: 'in', value: [p] }]);
        for (const [q, cell] of only) {
          if (cell.shown !== '*') continue;
          // What the two published counts allow: each true count within 2 of its rounded value (a shown
          // count is at least 8, a hidden one 1 to 7, a zero exactly 0), the difference 1 to 7.
          const range = (c: { shown: string; value: number | null } | undefined): number[] => {
            if (!c || c.shown === '0') return [0];
            if (c.shown === '*') return [1, 2, 3, 4, 5, 6, 7];
            const v = c.value ?? 0;
            return [v - 2, v - 1, v, v + 1, v + 2].filter((n) => n >= 8);
          };
          const possible = new Set<number>();
          for (const a of range(all.get(q)))
            for (const b of range(without.get(q))) if (a - b >= 1 && a - b <= 7) possible.add(a - b);
          assert.ok(
            possible.size >= 2,
            `practice ${p}, quintile ${q}: the hidden count could only be ${[...possible]}`,
          );
          hiddenChecked++;
        }
      }
      assert.ok(hiddenChecked > 0, 'some practice had a hidden count to attack');
    });

    test('reloading the place pack recomputes a stratified place’s profiles on its areas', async () => {
      const before_ = await db.kysely
        .selectFrom('profile_run')
        .select('computed_at')
        .where('place_id', '=', 'bury')
        .executeTakeFirstOrThrow();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      const out = await refreshProfilesIfStratified(db, 'bury');
      assert.equal(out?.placemats, 23);
      const after_ = await db.kysely
        .selectFrom('profile_run')
        .select('computed_at')
        .where('place_id', '=', 'bury')
        .executeTakeFirstOrThrow();
      assert.ok(new Date(after_.computed_at).getTime() > new Date(before_.computed_at).getTime());
      assert.equal(await refreshProfilesIfStratified(db, 'nowhere'), null);
    });

    test('before any refresh the API says how to make profiles', async () => {
      await db.kysely.deleteFrom('profile_snapshot').where('place_id', '=', 'bury').execute();
      try {
        const res = await analyst.get(`${base}/profiles/neighbourhood/east`);
        assert.equal(res.statusCode, 404);
        assert.match(res.body, /computed after each stratification/);
      } finally {
        await refreshProfiles(db, 'bury');
      }
    });
  });
}
