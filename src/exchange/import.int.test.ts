// The import's promises, proved through importFile on real databases: bad input gives a clear
// problem and writes nothing for it (a transaction Bundle nothing at all), values are validated at
// their FHIRPath, and one person per identity however many files or processes send them. That an import
// killed part-way leaves whole batches only and resumes to the same tables as an uninterrupted one is
// proved in import-crash.int.test.ts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import {
  bundle,
  condition,
  encounter,
  errorsOf,
  importFiles,
  ndjson,
  nextNhsNumber,
  nhsOf,
  PACK,
  PROTOTYPE_NAMES,
  patient,
  peopleWithNumber,
  type Resource,
  run,
  tableCounts,
} from './import-fixtures.test-helper.ts';
import type { StoredIssue } from './import-job.store.ts';

const { write } = importFiles();

for (const target of dbTargets())
  describe(`imports (${target.name})`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, PACK);
    });
    after(async () => {
      await db?.close();
    });

    /**
     * Imports an NDJSON file of good Patients with one bad line at `badLine` (1-based); checks the
     * good lines were all imported, the bad one wrote nothing, and gives back the bad line's problem.
     */
    async function oneBadLine(
      name: string,
      bad: string,
      badLine: number,
      goodLines = 2,
    ): Promise<StoredIssue> {
      const lines: string[] = [];
      for (let i = 0; i < goodLines; i++) lines.push(JSON.stringify(patient({ id: `${name}-${i}` })));
      lines.splice(badLine - 1, 0, bad);
      const before = await tableCounts(db);
      const outcome = await run(db, await write(`${name}.ndjson`, `${lines.join('\n')}\n`));
      const after = await tableCounts(db);
      assert.equal(outcome.job.status, 'completed', `${name}: ${outcome.job.message}`);
      assert.equal(outcome.job.counts.rejected, 1, name);
      assert.equal(outcome.job.counts.peopleAdded, goodLines, `${name}: the good lines around the bad one`);
      assert.deepEqual(
        after,
        { ...before, person: before.person + goodLines, import_identity: before.import_identity + goodLines },
        `${name}: only the good lines were written`,
      );
      const errors = await errorsOf(db, outcome.job);
      assert.equal(errors.length, 1, `${name}: ${JSON.stringify(errors)}`);
      const issue = errors[0] as StoredIssue;
      assert.equal(issue.line, badLine, `${name}: the problem names its line`);
      return issue;
    }

    describe('bad input: a clear problem, no crash, nothing written for it', () => {
      test('an NDJSON line that is not JSON', async () => {
        const issue = await oneBadLine('not-json', '{"resourceType": "Patient", "id": ', 2);
        assert.equal(issue.code, 'structure');
        assert.match(issue.diagnostics, /JSON ends too soon/);
      });

      test('a resource with no resourceType', async () => {
        const issue = await oneBadLine('no-type', '{"id":"x","gender":"female"}', 2);
        assert.equal(issue.code, 'required');
        assert.match(issue.diagnostics, /no resourceType/);
        assert.equal(issue.expression, 'resourceType');
      });

      test('a resource of a type not imported', async () => {
        const issue = await oneBadLine('spaceship', '{"resourceType":"Spaceship"}', 2);
        assert.equal(issue.code, 'not-supported');
        assert.match(issue.diagnostics, /Spaceship resource is not one Joined Up imports/);
        assert.equal(issue.expression, 'resourceType');
      });

      test('JSON nested 1,000 deep', async () => {
        const deep = `{"resourceType":"Patient","id":"deep","extension":${'['.repeat(1000)}${']'.repeat(1000)}}`;
        const issue = await oneBadLine('deep', deep, 2);
        assert.equal(issue.code, 'too-long');
        assert.match(issue.diagnostics, /nested more than 64 levels/);
        assert.match(issue.expression ?? '', /^extension\[0\]/);
      });

      test('a 10 MB string value', async () => {
        const big = JSON.stringify({
          ...patient({ id: 'big' }),
          text: { status: 'generated', div: 'x'.repeat(10 * 1024 * 1024) },
        });
        const issue = await oneBadLine('big-string', big, 2);
        assert.equal(issue.code, 'too-long');
        assert.match(issue.diagnostics, /longer than 1,048,576 characters/);
        assert.equal(issue.expression, 'text.div');
      });

      test('a byte-order mark at the start of an NDJSON file refuses its first line only', async () => {
        const issue = await oneBadLine('bom', `\uFEFF${JSON.stringify(patient({ id: 'bom' }))}`, 1);
        assert.equal(issue.code, 'structure');
        assert.match(issue.diagnostics, /byte-order mark/);
      });

      test('duplicate keys', async () => {
        const twice = JSON.stringify(patient({ id: 'dup-a' })).replace(
          '"id":"dup-a"',
          '"id":"dup-a","id":"dup-b"',
        );
        const issue = await oneBadLine('duplicate-key', twice, 2);
        assert.equal(issue.code, 'invalid');
        assert.match(issue.diagnostics, /"id" appears twice/);
        assert.equal(issue.expression, 'id');
      });

      test('a __proto__ key, and constructor.prototype: refused, and Object.prototype unchanged', async () => {
        const proto = JSON.stringify(patient({ id: 'proto' })).replace(
          '"id":"proto"',
          '"id":"proto","__proto__":{"polluted":"yes","toString":"no"}',
        );
        const issue = await oneBadLine('proto', proto, 2);
        assert.equal(issue.code, 'invalid');
        assert.match(issue.diagnostics, /"__proto__" .* is not allowed/);
        assert.equal(issue.expression, '__proto__');
        const ctor = '{"resourceType":"Patient","id":"ctor","constructor":{"prototype":{"polluted":"yes"}}}';
        const second = await oneBadLine('constructor', ctor, 2);
        assert.match(second.diagnostics, /"constructor" .* is not allowed/);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_NAMES);
        assert.equal(typeof Object.prototype.toString, 'function');
      });
    });

    describe('a transaction Bundle with any problem is refused whole: status failed, no row written', () => {
      async function refusedWhole(name: string, text: string): Promise<StoredIssue[]> {
        const before = await tableCounts(db);
        const outcome = await run(db, await write(`${name}.json`, text));
        assert.equal(outcome.job.status, 'failed', name);
        assert.deepEqual(await tableCounts(db), before, `${name}: no row at all`);
        const errors = await errorsOf(db, outcome.job);
        assert.ok(errors.length > 0, name);
        return errors;
      }

      test('two entries with one NHS number', async () => {
        const a = patient({ id: 'txn-nhs-a' });
        const twin = patient({ id: 'txn-nhs-b', nhsNumber: nhsOf(a), given: 'Alicia' });
        const other = patient({ id: 'txn-nhs-c' });
        const errors = await refusedWhole(
          'same-nhs',
          JSON.stringify(
            bundle('transaction', [
              { fullUrl: 'urn:uuid:6a1f0f0e-0000-4000-8000-000000000001', resource: a },
              { resource: other },
              { resource: condition('txn-nhs-cond', 'urn:uuid:6a1f0f0e-0000-4000-8000-000000000001') },
              { resource: twin },
            ]),
          ),
        );
        assert.equal(errors.length, 1, JSON.stringify(errors));
        const issue = errors[0] as StoredIssue;
        assert.equal(issue.code, 'duplicate');
        assert.match(issue.diagnostics, /same NHS number as entry 0/);
        assert.equal(issue.expression, 'Bundle.entry[3].resource.identifier');
        assert.equal(issue.line, 4, 'entry 3, counted from 1');
        assert.equal((await peopleWithNumber(db, nhsOf(a))).length, 0);
      });

      test('two entries with one resourceType/id', async () => {
        const errors = await refusedWhole(
          'same-id',
          JSON.stringify(
            bundle('transaction', [
              { resource: patient({ id: 'txn-same' }) },
              { resource: patient({ id: 'txn-other' }) },
              { resource: patient({ id: 'txn-same', given: 'Bea' }) },
            ]),
          ),
        );
        assert.equal(errors.length, 1, JSON.stringify(errors));
        const issue = errors[0] as StoredIssue;
        assert.equal(issue.code, 'duplicate');
        assert.match(issue.diagnostics, /same identity \(Patient\/txn-same\) as entry 0/);
        assert.equal(issue.expression, 'Bundle.entry[2]');
        assert.equal(issue.line, 3);
      });

      test('a Condition whose subject is a urn:uuid that is no entry’s fullUrl', async () => {
        const errors = await refusedWhole(
          'dangling-urn',
          JSON.stringify(
            bundle('transaction', [
              {
                fullUrl: 'urn:uuid:6a1f0f0e-0000-4000-8000-00000000000a',
                resource: patient({ id: 'txn-urn' }),
              },
              { resource: condition('txn-urn-cond', 'urn:uuid:6a1f0f0e-0000-4000-8000-00000000000b') },
            ]),
          ),
        );
        assert.equal(errors.length, 1, JSON.stringify(errors));
        const issue = errors[0] as StoredIssue;
        assert.equal(issue.code, 'not-found');
        assert.match(
          issue.diagnostics,
          /urn:uuid:6a1f0f0e-0000-4000-8000-00000000000b, which is not the fullUrl of any entry/,
        );
        assert.equal(issue.line, 2);
      });

      test('a Condition for a person not in the place, found only while writing', async () => {
        const errors = await refusedWhole(
          'unknown-person',
          JSON.stringify(
            bundle('transaction', [
              { resource: patient({ id: 'txn-known' }) },
              { resource: condition('txn-unknown-cond', 'Patient/nobody-here') },
            ]),
          ),
        );
        assert.equal(errors[0]?.code, 'not-found');
        assert.match(errors[0]?.diagnostics ?? '', /Patient\/nobody-here is not a person in this place/);
      });

      test('a byte-order mark, a __proto__ key or duplicate keys in a Bundle file', async () => {
        const good = bundle('transaction', [{ resource: patient({ id: 'txn-bom' }) }]);
        const bom = await refusedWhole('bom-bundle', `\uFEFF${JSON.stringify(good)}`);
        assert.match(bom[0]?.diagnostics ?? '', /byte-order mark/);
        const proto = JSON.stringify(good).replace(
          '"resourceType":"Patient"',
          '"__proto__":{"polluted":1},"resourceType":"Patient"',
        );
        const protoErrors = await refusedWhole('proto-bundle', proto);
        assert.equal(protoErrors[0]?.expression, 'entry[0].resource.__proto__');
        const dup = JSON.stringify(good).replace(
          '"type":"transaction"',
          '"type":"transaction","type":"batch"',
        );
        assert.match((await refusedWhole('dup-bundle', dup))[0]?.diagnostics ?? '', /"type" appears twice/);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_NAMES);
      });
    });

    test('a transaction Bundle inside a batch is refused as that entry, and the batch’s other entries stand (QUALITY.md F-9)', async () => {
      const inner = patient({ id: 'nested-inner' });
      const outer = patient({ id: 'nested-outer' });
      const outcome = await run(
        db,
        await write(
          'nested.json',
          JSON.stringify(
            bundle('batch', [
              { resource: bundle('transaction', [{ resource: inner }]) },
              { resource: outer },
            ]),
          ),
        ),
      );
      assert.equal(outcome.job.counts.rejected, 1);
      assert.equal(outcome.job.counts.peopleAdded, 1);
      assert.deepEqual(await peopleWithNumber(db, nhsOf(inner)), [], 'nothing of the inner transaction');
      assert.equal((await peopleWithNumber(db, nhsOf(outer))).length, 1);
      const errors = await errorsOf(db, outcome.job);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0]?.expression, 'Bundle.entry[0].resource.resourceType');
      assert.match(errors[0]?.diagnostics ?? '', /A Bundle resource is not one Joined Up imports/);
    });

    describe('validation', () => {
      test('an NHS number with a wrong check digit, and 0000000000, are refused at Patient.identifier', async () => {
        const before = await tableCounts(db);
        const outcome = await run(
          db,
          await write(
            'nhs-numbers.ndjson',
            ndjson([
              patient({ id: 'wrong-check', nhsNumber: '9434765918' }),
              patient({ id: 'zeros', nhsNumber: '0000000000' }),
            ]),
          ),
        );
        assert.equal(outcome.job.counts.rejected, 2);
        assert.deepEqual(await tableCounts(db), before);
        const [wrong, zeros] = await errorsOf(db, outcome.job);
        assert.equal(wrong?.line, 1);
        assert.match(wrong?.expression ?? '', /^Patient\.identifier/);
        assert.match(wrong?.diagnostics ?? '', /wrong check digit/);
        assert.equal(zeros?.line, 2);
        assert.match(zeros?.expression ?? '', /^Patient\.identifier/);
        assert.match(zeros?.diagnostics ?? '', /placeholder/);
      });

      test('a birthDate of 02/03/1950 is refused, not guessed', async () => {
        const p = patient({ id: 'slash-date', birthDate: '02/03/1950' });
        const before = await tableCounts(db);
        const outcome = await run(db, await write('slash-date.ndjson', ndjson([p])));
        assert.equal(outcome.job.counts.rejected, 1);
        assert.deepEqual(await tableCounts(db), before);
        assert.deepEqual(await peopleWithNumber(db, nhsOf(p)), []);
        const errors = await errorsOf(db, outcome.job);
        assert.equal(errors.length, 1, JSON.stringify(errors));
        assert.equal(errors[0]?.expression, 'Patient.birthDate');
        assert.equal(errors[0]?.line, 1);
      });

      test('a deceasedDateTime late in the evening west of Greenwich is kept as the day written', async () => {
        const p = patient({ id: 'died-late', deceasedDateTime: '2024-03-02T23:30:00-05:00' });
        const outcome = await run(db, await write('died-late.ndjson', ndjson([p])));
        assert.equal(outcome.job.counts.peopleAdded, 1);
        const row = await db.kysely
          .selectFrom('person')
          .select('date_of_death')
          .where('nhs_number', '=', nhsOf(p))
          .executeTakeFirstOrThrow();
        assert.strictEqual(row.date_of_death as unknown, '2024-03-02');
      });

      test('a malformed SNOMED CT code and a malformed ICD-10 code are refused at their FHIRPath', async () => {
        const p = patient({ id: 'coded' });
        await run(db, await write('coded-person.ndjson', ndjson([p])));
        const before = await tableCounts(db);
        const outcome = await run(
          db,
          await write(
            'bad-codes.ndjson',
            ndjson([
              condition('bad-snomed', 'Patient/coded', '44054007'),
              encounter('bad-icd', 'Patient/coded', 0, 'J1X.99'),
            ]),
          ),
        );
        assert.equal(outcome.job.counts.rejected, 2);
        assert.deepEqual(await tableCounts(db), before);
        const [snomed, icd] = await errorsOf(db, outcome.job);
        assert.equal(snomed?.code, 'code-invalid');
        assert.equal(snomed?.expression, 'Condition.code.coding');
        assert.match(snomed?.diagnostics ?? '', /44054007 has a wrong check digit/);
        assert.equal(snomed?.line, 1);
        assert.equal(icd?.code, 'code-invalid');
        assert.equal(icd?.expression, 'Encounter.reasonCode[0].coding');
        assert.match(icd?.diagnostics ?? '', /J1X\.99 is not an ICD-10 code/);
        assert.equal(icd?.line, 2);
      });
    });

    describe('identity', () => {
      test('the same file twice: the second is recognised and adds nothing', async () => {
        const p = patient({ id: 'twice' });
        const file = await write('twice.ndjson', ndjson([p, condition('twice-cond', 'Patient/twice')]));
        const first = await run(db, file);
        assert.equal(first.job.status, 'completed');
        assert.equal(first.job.counts.peopleAdded, 1);
        assert.equal(first.job.counts.recordsAdded, 1);
        const before = await tableCounts(db);
        const second = await run(db, file);
        assert.equal(second.alreadyImported, true);
        assert.equal(second.job.id, first.job.id);
        assert.deepEqual(second.job.counts, first.job.counts);
        assert.deepEqual(await tableCounts(db), before);
        assert.equal((await peopleWithNumber(db, nhsOf(p))).length, 1);
      });

      test('50 imports of one file at once: one person, one completed job', async (t) => {
        const p = patient({ id: 'fifty-same' });
        const file = await write(
          'fifty-same.ndjson',
          ndjson([p, condition('fifty-same-cond', 'Patient/fifty-same')]),
        );
        const outcomes = await Promise.all(Array.from({ length: 50 }, () => run(db, file)));
        const worked = outcomes.filter((o) => !o.alreadyImported && !o.busy);
        assert.equal(worked.length, 1, 'one call did the work; the others were told it was busy or done');
        t.diagnostic(
          `${outcomes.filter((o) => o.busy).length} told busy, ${outcomes.filter((o) => o.alreadyImported).length} told already imported`,
        );
        assert.equal(worked[0]?.job.status, 'completed');
        assert.equal(new Set(outcomes.map((o) => o.job.id)).size, 1);
        const jobs = await db.kysely
          .selectFrom('import_job')
          .select('status')
          .where('file_name', '=', path.basename(file))
          .execute();
        assert.deepEqual(jobs, [{ status: 'completed' }]);
        assert.equal((await peopleWithNumber(db, nhsOf(p))).length, 1);
        const conditions = await db.kysely
          .selectFrom('condition as c')
          .innerJoin('person as p', 'p.id', 'c.person_id')
          .select('c.seq')
          .where('p.nhs_number', '=', nhsOf(p))
          .execute();
        assert.equal(conditions.length, 1);
      });

      test('50 different files with the same person at once: one person', async () => {
        // Bundles, not NDJSON: each NDJSON import at once starts its own reader thread (about 230 MB
        // with the FHIR definitions), so 50 of them would need about 11 GB. The writing is the same.
        const nhs = nextNhsNumber();
        const files = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            write(
              `fifty-files-${i}.json`,
              JSON.stringify(
                bundle('batch', [{ resource: patient({ id: `fifty-files-${i}`, nhsNumber: nhs }) }]),
              ),
            ),
          ),
        );
        const outcomes = await Promise.all(files.map((f) => run(db, f)));
        for (const o of outcomes) {
          assert.equal(o.job.status, 'completed', `${o.job.fileName}: ${o.job.message}`);
          assert.equal(o.job.counts.rejected, 0, o.job.fileName);
        }
        const people = await peopleWithNumber(db, nhs);
        assert.equal(people.length, 1);
        const identities = await db.kysely
          .selectFrom('import_identity')
          .select('person_id')
          .where('resource_key', 'like', 'Patient/fifty-files-%')
          .execute();
        assert.equal(identities.length, 50);
        assert.ok(identities.every((i) => i.person_id === people[0]?.id));
      });

      test('a Patient with no NHS number matching a person exactly is linked; one with a typo waits for review with its records', async () => {
        const known = patient({
          id: 'edith',
          given: 'Edith',
          family: 'Openshaw',
          birthDate: '1941-06-15',
          postcode: 'BL8 1AB',
        });
        await run(db, await write('edith.ndjson', ndjson([known])));
        const [person] = await peopleWithNumber(db, nhsOf(known));
        assert.ok(person);

        const before = await tableCounts(db);
        const { identifier: _, ...unnumbered } = known;
        const same: Resource = { ...unnumbered, id: 'edith-no-number' };
        const linked = await run(db, await write('edith-no-number.ndjson', ndjson([same])));
        assert.equal(linked.job.counts.peopleLinked, 1);
        assert.equal(linked.job.counts.peopleAdded, 0);
        assert.equal((await tableCounts(db)).person, before.person, 'no new person');
        const identity = await db.kysely
          .selectFrom('import_identity')
          .select('person_id')
          .where('resource_key', '=', 'Patient/edith-no-number')
          .executeTakeFirstOrThrow();
        assert.equal(identity.person_id, person.id);

        const typo = {
          ...same,
          id: 'edith-typo',
          name: [{ use: 'official', family: 'Openshaw', given: ['Edtih'] }],
        };
        const reviewed = await run(db, await write('edith-typo.ndjson', ndjson([typo])));
        assert.equal(reviewed.job.counts.peopleForReview, 1);
        const later = await run(
          db,
          await write(
            'edith-typo-condition.ndjson',
            ndjson([condition('edith-typo-cond', 'Patient/edith-typo')]),
          ),
        );
        assert.equal(later.job.counts.recordsHeld, 1);
        assert.equal(later.job.counts.recordsAdded, 0);
        const after = await tableCounts(db);
        assert.equal(after.person, before.person, 'still no new person');
        assert.equal(after.condition, before.condition, 'the Condition is held, not written');
        const review = await db.kysely
          .selectFrom('match_review')
          .select(['status', 'held', 'candidates'])
          .where('resource_key', '=', 'Patient/edith-typo')
          .executeTakeFirstOrThrow();
        assert.equal(review.status, 'open');
        const held = (typeof review.held === 'string' ? JSON.parse(review.held) : review.held) as {
          resourceKey: string;
        }[];
        assert.deepEqual(
          held.map((h) => h.resourceKey),
          ['Condition/edith-typo-cond'],
        );
        assert.match(JSON.stringify(review.candidates), new RegExp(person.id));
      });
    });
  });
