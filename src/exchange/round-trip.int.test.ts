// The round trip the exchange promises: a synthetic Bury, its own FHIR files and the product's FHIR
// export each imported into an empty database, stratified as of the same day, give every person the
// same scores; and importing the same data again adds nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedDemoCases } from '../cases/demo-cases.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { runStratify } from '../risk/run-stratify.ts';
import { runSynth } from '../synth/run-synth.ts';
import { exportToFolder, POPULATION_TYPES } from './fhir-export.ts';
import { validateStructure } from './fhir-validate.ts';
import { importFile } from './import-run.ts';

const AS_OF = '2025-12-31';
const IMPORTER = { id: null, name: 'round-trip test', role: null, teamId: null };

/** Every score and flag of every person, keyed by NHS number, in a stable order. */
async function scores(db: Db): Promise<Map<string, string>> {
  const rows = await db.kysely
    .selectFrom('person_risk as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .selectAll('r')
    .select('p.nhs_number')
    .execute();
  return new Map(
    rows.map(({ person_id: _, nhs_number, ...rest }) => [
      nhs_number ?? '',
      JSON.stringify(rest, Object.keys(rest).sort()),
    ]),
  );
}

async function importFolder(db: Db, dir: string) {
  const order = (f: string) => (f.startsWith('Organization') ? 0 : f.startsWith('Patient') ? 1 : 2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const outcomes = [];
  for (const f of files)
    outcomes.push(
      await importFile(db, {
        placeId: 'bury',
        path: path.join(dir, f),
        importer: IMPORTER,
        batchSize: 3_000,
      }),
    );
  return outcomes;
}

for (const target of dbTargets())
  describe(`FHIR round trip (${target.name})`, () => {
    let source: Db;
    let copy: Db;
    const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-round-trip-'));
    const synthFiles = path.join(dir, 'synth');
    const exported = path.join(dir, 'export');

    before(async () => {
      source = await target.open();
      await runSynth(source, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 1_500,
        seed: 23,
        fhirOut: synthFiles,
      });
      copy = await target.open();
      await loadPlacePack(copy.kysely, 'place-packs/bury');
    });
    after(async () => {
      await source?.close();
      await copy?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the synthetic population’s own FHIR files load unchanged and stratify to the same scores', async () => {
      const outcomes = await importFolder(copy, synthFiles);
      for (const o of outcomes) {
        assert.equal(o.job.status, 'completed', `${o.job.fileName}: ${o.job.message}`);
        assert.equal(o.job.counts.rejected, 0, o.job.fileName);
      }
      await runStratify(source, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      await runStratify(copy, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      const [before, afterImport] = [await scores(source), await scores(copy)];
      assert.equal(afterImport.size, before.size);
      for (const [nhs, s] of before) assert.equal(afterImport.get(nhs), s, `scores of ${nhs}`);
    });

    test('the same files again are recognised and add nothing', async () => {
      const outcomes = await importFolder(copy, synthFiles);
      assert.ok(outcomes.every((o) => o.alreadyImported));
    });

    test('every resource the export writes, care and audit included, validates against the R4 definitions', async () => {
      await seedDemoCases(source.kysely, 'bury', { perTeam: 2, seed: 3, today: AS_OF });
      const files = await exportToFolder(source.kysely, { placeId: 'bury' }, path.join(dir, 'everything'));
      for (const type of ['Patient', 'Condition', 'CarePlan', 'Goal', 'CareTeam', 'Task', 'ServiceRequest'])
        assert.ok((files.find((f) => f.type === type)?.count ?? 0) > 0, `${type} written`);
      for (const f of files)
        for (const line of readFileSync(f.file, 'utf8').split('\n').filter(Boolean)) {
          const resource = JSON.parse(line) as Record<string, unknown>;
          assert.equal(resource.resourceType, f.type);
          assert.deepEqual(
            validateStructure(resource).filter((i) => i.severity === 'error'),
            [],
            `${f.type}/${String(resource.id)}`,
          );
        }
    });

    test('the product’s export, imported over the same people, adds nothing and changes nothing', async () => {
      const files = await exportToFolder(
        source.kysely,
        { placeId: 'bury', types: POPULATION_TYPES },
        exported,
      );
      const count = (t: string) => files.find((f) => f.type === t)?.count ?? 0;
      assert.equal(count('Patient'), 1_500);
      assert.ok(count('Condition') > 1_000);
      const outcomes = await importFolder(copy, exported);
      for (const o of outcomes) {
        assert.equal(o.alreadyImported, false, 'the export is new bytes');
        assert.equal(o.job.counts.rejected, 0, `${o.job.fileName}: ${o.job.message}`);
        assert.equal(o.job.counts.peopleAdded + o.job.counts.recordsAdded, 0, o.job.fileName);
        assert.equal(o.job.counts.peopleUpdated + o.job.counts.recordsUpdated, 0, o.job.fileName);
      }
      const people = await copy.kysely
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(people.n), 1_500);
    });
  });
