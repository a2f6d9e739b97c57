import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { isAppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { addPerson, calibrationReport, emptyAggregates } from './calibration-report.ts';
import { generatePeople } from './generate.ts';
import { readSynthInputs } from './inputs.ts';
import { runSynth, type SynthRequest } from './run-synth.ts';
import { populationAggregates, syntheticRun } from './synth.store.ts';

const request = (extra: Partial<SynthRequest> = {}): SynthRequest => ({
  place: 'bury',
  placePacksDir: 'place-packs',
  referenceDir: 'reference',
  people: 3000,
  seed: 42,
  ...extra,
});

/** A digest of every synthetic row, in a fixed order: equal digests mean identical contents. */
async function contentsDigest(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const table of ['person', 'condition', 'medication', 'encounter', 'social_care']) {
    const order = table === 'person' ? sql`id` : sql`person_id, seq`;
    const rows = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(table)} t order by ${order}`.execute(db.kysely);
    for (const r of rows.rows) hash.update(`${r.row}\n`);
  }
  return hash.digest('hex');
}

const count = async (db: Db, table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db.kysely)).rows[0]
    ?.n ?? -1;

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
/** A path under a plain file, where no folder can ever be made. */
const notAFolder = () => {
  const file = path.join(tempDir(), 'a-file');
  writeFileSync(file, '');
  return file;
};
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-synth-'));
  temps.push(dir);
  return dir;
};

for (const target of dbTargets()) {
  describe(`synthetic population on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('the same seed gives identical database contents and identical NDJSON bytes', async () => {
      const first = tempDir();
      await runSynth(db, request({ fhirOut: first }));
      const digest = await contentsDigest(db);
      assert.equal(await count(db, 'person'), 3000);
      const second = tempDir();
      await runSynth(db, request({ fhirOut: second }));
      assert.equal(await contentsDigest(db), digest);
      assert.equal(await count(db, 'person'), 3000, 'a second run replaces the first');
      const files = readdirSync(first).sort();
      assert.deepEqual(files, [
        'Condition.ndjson',
        'Encounter.ndjson',
        'EpisodeOfCare.ndjson',
        'MedicationStatement.ndjson',
        'Organization.ndjson',
        'Patient.ndjson',
      ]);
      for (const file of files)
        assert.ok(readFileSync(path.join(first, file)).equals(readFileSync(path.join(second, file))), file);

      await runSynth(db, request({ seed: 43 }));
      assert.notEqual(await contentsDigest(db), digest, 'another seed gives other people');
    });

    test('every person has a valid, unique test-range NHS number and a practice of the place', async () => {
      const people = await db.kysely
        .selectFrom('person')
        .select(['nhs_number', 'practice_code', 'lsoa_code'])
        .execute();
      const numbers = people.map((p) => p.nhs_number);
      assert.ok(numbers.every((n) => n !== null && /^999\d{7}$/.test(n)));
      assert.equal(new Set(numbers).size, numbers.length);
      const practices = new Set(
        (await db.kysely.selectFrom('practice').select('ods_code').execute()).map((p) => p.ods_code),
      );
      assert.ok(people.every((p) => practices.has(p.practice_code)));
      for (const table of ['condition', 'medication', 'encounter', 'social_care']) {
        const orphans = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table)} r
          where not exists (select 1 from person p where p.id = r.person_id)`.execute(db.kysely);
        assert.equal(orphans.rows[0]?.n, 0, `${table} has records without a person`);
      }
    });

    test('the database measures the same figures as the generator', async () => {
      await runSynth(db, request({ people: 6000, seed: 7 }));
      const inputs = readSynthInputs('place-packs/bury', 'reference');
      const run = await syntheticRun(db.kysely, 'bury');
      assert.ok(run);
      const window = { start: run.window_start, end: run.window_end };
      const fromDb = calibrationReport(inputs, await populationAggregates(db.kysely, 'bury', window), window);
      const agg = emptyAggregates();
      const { prepareGeneration } = await import('./generate.ts');
      const g = prepareGeneration(inputs, { seed: 7, people: 6000, start: window.start, end: window.end });
      for (const p of generatePeople(g)) addPerson(agg, p, window);
      const inMemory = calibrationReport(inputs, agg, window);
      for (const [i, row] of fromDb.rows.entries()) {
        const other = inMemory.rows[i];
        if (row.measured === null || other?.measured === null || other === undefined) continue;
        // Birthdays on 29 February fall a day apart in SQL and in JavaScript: a whisker of person-years.
        assert.ok(
          Math.abs(row.measured - other.measured) < 0.02,
          `${row.id}: ${row.measured} vs ${other.measured}`,
        );
      }
    });

    test('bad options give a clear error and write nothing', async () => {
      const before = await contentsDigest(db);
      const cases: [Partial<SynthRequest>, string][] = [
        [{ place: 'nowhere' }, 'place'],
        [{ people: 0 }, 'people'],
        [{ people: -5 }, 'people'],
        [{ start: '2025-01-01', end: '2023-12-31' }, 'window'],
        [{ start: '2023-02-30' }, 'window'],
        [{ start: '1850-01-01', end: '1851-01-01' }, 'window'],
        [{ fhirOut: path.join(notAFolder(), 'fhir') }, 'fhirOut'],
      ];
      for (const [change, field] of cases) {
        await assert.rejects(runSynth(db, request(change)), (e) => {
          assert.ok(isAppError(e), String(e));
          assert.deepEqual(e.problems[0]?.expression, [field], JSON.stringify(change));
          return true;
        });
      }
      assert.equal(await contentsDigest(db), before);
    });
  });
}
