// CSV extracts through the whole import: people (with and without an NHS number), their conditions
// and hospital activity, each row's problems named by row and column, and the same rows sent again in
// another file adding nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { jobIssues } from './import-job.store.ts';
import { importFile } from './import-run.ts';

const IMPORTER = { id: null, name: 'CSV test', role: null, teamId: null };

for (const target of dbTargets())
  describe(`CSV imports (${target.name})`, () => {
    let db: Db;
    const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-csv-'));
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const load = (file: string) => importFile(db, { placeId: 'bury', path: file, importer: IMPORTER });
    const count = async (table: 'person' | 'condition' | 'encounter') =>
      Number(
        (
          await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
    });
    after(async () => {
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('people, then their conditions and activity by NHS number or the sender’s person id', async () => {
      const people = await load(
        write(
          'people.csv',
          [
            'nhs_number,person_id,given_name,family_name,sex,date_of_birth,date_of_death,cause_of_death_group,ethnic_category,lsoa,postcode,practice,national_data_opt_out,type1_objection',
            '9990000018,,Alex,Sample,female,1948-07-05,,,A,E01004941,BL9 0SN,P83006,no,no',
            ',BURY-7,Sam,Nonumber,male,1961-02-03,,,Z,E01004941,BL9 0SP,P83006,yes,no',
            '9990000026,,Bad,Date,male,02/03/1950,,,A,E01004941,,P83006,no,no',
          ].join('\n'),
        ),
      );
      assert.equal(people.job.status, 'completed');
      assert.equal(people.job.counts.peopleAdded, 2);
      assert.equal(people.job.counts.rejected, 1);
      const [problem] = await jobIssues(db.kysely, people.job.id);
      assert.equal(problem?.line, 4, 'the header is row 1');
      assert.equal(problem?.expression, 'date_of_birth');
      assert.match(problem?.diagnostics ?? '', /YYYY-MM-DD/);
      const optedOut = await db.kysely
        .selectFrom('person')
        .select('national_data_opt_out')
        .where('family_name', '=', 'Nonumber')
        .executeTakeFirstOrThrow();
      assert.equal(optedOut.national_data_opt_out, true);

      const conditions = write(
        'conditions.csv',
        [
          'nhs_number,person_id,record_id,snomed_code,term,onset_date',
          '9990000018,,C1,44054006,Diabetes mellitus type 2,2019-04-11',
          ',BURY-7,C2,38341003,Hypertensive disorder,2020-06-01',
          '9990000018,,C3,44054007,Not a concept,2020-06-01',
        ].join('\n'),
      );
      const first = await load(conditions);
      assert.equal(first.job.counts.recordsAdded, 2);
      const refused = (await jobIssues(db.kysely, first.job.id)).find((i) => i.severity === 'error');
      assert.equal(refused?.line, 4);
      assert.equal(refused?.expression, 'snomed_code');

      const activity = await load(
        write(
          'activity.csv',
          [
            'nhs_number,person_id,record_id,kind,start_date,end_date,length_of_stay,primary_diagnosis,secondary_diagnoses,readmission,arrival_by_ambulance',
            '9990000018,,A1,emergency-admission,2024-01-08,2024-01-15,7,J189,I50;E11,no,yes',
          ].join('\n'),
        ),
      );
      assert.equal(activity.job.counts.recordsAdded, 1);
      const spell = await db.kysely.selectFrom('encounter').selectAll().executeTakeFirstOrThrow();
      assert.equal(spell.primary_diagnosis, 'J18.9', 'ICD-10 stored with its dot');
      assert.deepEqual(spell.secondary_diagnoses, ['I50', 'E11']);
      assert.equal(spell.start_date, '2024-01-08');

      // The same rows in a file with other bytes (a comment row's worth of difference: reordered rows).
      const again = await load(
        write(
          'conditions-again.csv',
          [
            'nhs_number,person_id,record_id,snomed_code,term,onset_date',
            ',BURY-7,C2,38341003,Hypertensive disorder,2020-06-01',
            '9990000018,,C1,44054006,Diabetes mellitus type 2,2019-04-11',
          ].join('\n'),
        ),
      );
      assert.equal(again.alreadyImported, false);
      assert.equal(again.job.counts.recordsAdded, 0);
      assert.equal(again.job.counts.recordsUnchanged, 2);
      assert.equal(await count('condition'), 2);
      assert.equal(await count('person'), 2);
    });

    test('a file with an unknown layout is refused at its header, listing the layouts', async () => {
      const outcome = await load(write('mystery.csv', 'nhs_number,favourite_colour\n9990000018,blue\n'));
      assert.equal(outcome.job.status, 'failed');
      const [issue] = await jobIssues(db.kysely, outcome.job.id);
      assert.match(issue?.diagnostics ?? '', /does not match any layout.*template/s);
    });
  });
