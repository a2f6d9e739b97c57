// The imports API over real HTTP (the upload is a stream, as a browser sends it): a file becomes a job
// that is followed to its end, its problems read as an OperationOutcome and as CSV, the same file sent
// again is recognised, a match review is decided once, and one person's uploads are limited per hour.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { addStaff, openTestApp, signIn } from '../server/test-app.ts';
import { LSOA_EXTENSION, LSOA_SYSTEM, NHS_NUMBER_SYSTEM } from '../synth/fhir.ts';

const patient = (id: string, nhs: string | null, given: string, birthDate = '1944-05-06') => ({
  resourceType: 'Patient',
  id,
  ...(nhs ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhs }] } : {}),
  name: [{ use: 'official', family: 'Upload', given: [given] }],
  gender: 'female',
  birthDate,
  address: [
    {
      use: 'home',
      postalCode: 'BL9 0SN',
      extension: [{ url: LSOA_EXTENSION, valueCoding: { system: LSOA_SYSTEM, code: 'E01004941' } }],
    },
  ],
  generalPractitioner: [{ reference: 'Organization/P83006' }],
});
const ndjson = (...lines: unknown[]) =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

for (const target of dbTargets())
  describe(`imports over HTTP (${target.name})`, () => {
    let db: Db;
    let app: App;
    let base: string;
    let headers: Record<string, string>;

    const upload = (fileName: string, body: string) =>
      fetch(`${base}/api/places/bury/imports?fileName=${encodeURIComponent(fileName)}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: new Blob([body]).stream(),
        duplex: 'half',
      } as RequestInit);
    const finished = async (jobId: string) => {
      for (let i = 0; i < 200; i++) {
        const job = (await (await fetch(`${base}/api/places/bury/imports/${jobId}`, { headers })).json()) as {
          status: string;
          counts: Record<string, number>;
        };
        if (job.status !== 'running') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the import did not finish');
    };

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      app = await openTestApp(db);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const admin = await addStaff(db, { role: 'administrator' });
      headers = await signIn(app, admin.username);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('an upload becomes a job; its problems come as an OperationOutcome and as CSV; the same file is recognised', async () => {
      const body = ndjson(
        patient('p1', '9990000018', 'Ada'),
        '{"resourceType":"Patient","resourceType":"Patient"}',
      );
      const first = await upload('people.ndjson', body);
      assert.equal(first.status, 202, await first.clone().text());
      const started = (await first.json()) as { job: { id: string }; alreadyImported: boolean };
      const job = await finished(started.job.id);
      assert.equal(job.status, 'completed');
      assert.equal(job.counts.peopleAdded, 1);
      assert.equal(job.counts.rejected, 1);

      const problems = (await (
        await fetch(`${base}/api/places/bury/imports/${started.job.id}/problems`, { headers })
      ).json()) as {
        problems: { line: number; diagnostics: string }[];
        outcome: { resourceType: string; issue: { diagnostics: string }[] };
      };
      assert.equal(problems.problems[0]?.line, 2);
      assert.match(problems.problems[0]?.diagnostics ?? '', /resourceType/);
      assert.equal(problems.outcome.resourceType, 'OperationOutcome');
      assert.match(problems.outcome.issue[0]?.diagnostics ?? '', /^Line 2: /);
      const csv = await fetch(`${base}/api/places/bury/imports/${started.job.id}/problems.csv`, { headers });
      assert.match(csv.headers.get('content-disposition') ?? '', /people-problems\.csv/);
      assert.match(await csv.text(), /^line,fhirpath,severity,code,problem,identity\n2,/);

      const again = await upload('people-again.ndjson', body);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { alreadyImported: boolean }).alreadyImported, true);

      const wrongName = await upload('people.txt', body);
      assert.equal(wrongName.status, 400);
      const empty = await upload('empty.ndjson', '');
      assert.equal(empty.status, 400);
    });

    test('past the uploads one person may make in an hour, the next is refused with 429 before its file is read; others may still upload', async () => {
      const limited = await openTestApp(db, { uploadsPerHour: 2 });
      try {
        await limited.listen({ port: 0, host: '127.0.0.1' });
        const address = limited.server.address();
        const at = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        const jobs = async () =>
          Number(
            (
              await db.kysely
                .selectFrom('import_job')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const send = (as: Record<string, string>, fileName: string, body: ReadableStream) =>
          fetch(`${at}/api/places/bury/imports?fileName=${fileName}`, {
            method: 'POST',
            headers: { ...as, 'content-type': 'application/octet-stream' },
            body,
            duplex: 'half',
          } as RequestInit);
        // Files of one line each that is not imported: the other tests' people stay as they are.
        const file = (id: string) => new Blob([ndjson({ resourceType: 'Basic', id })]).stream();
        const one = await addStaff(db, { role: 'administrator' });
        const oneHeaders = await signIn(limited, one.username);
        for (const i of [1, 2]) {
          const res = await send(oneHeaders, `quota-${i}.ndjson`, file(`quota-${i}`));
          assert.ok([200, 202].includes(res.status), `upload ${i}: ${res.status} ${await res.text()}`);
        }
        const before = await jobs();
        // A file that never ends: answered at once all the same, so nothing of it was waited for.
        const endless = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"resourceType":"Patient"'));
          },
        });
        const refused = await send(oneHeaders, 'quota-3.ndjson', endless);
        assert.equal(refused.status, 429);
        assert.match(
          await refused.text(),
          /You have uploaded 2 files in the last hour, the most one person may\. Try again in (60|59) minutes/,
        );
        assert.equal(await jobs(), before, 'no job for the refused upload');
        // The count is each person's own.
        const other = await addStaff(db, { role: 'administrator' });
        const otherHeaders = await signIn(limited, other.username);
        const theirs = await send(otherHeaders, 'quota-other.ndjson', file('quota-other'));
        assert.ok([200, 202].includes(theirs.status), `${theirs.status}`);
      } finally {
        await limited.close();
      }
    });

    test('a person matched uncertainly waits for review; deciding writes the held records; a second decision is refused', async () => {
      const first = (await (
        await upload(
          'typo.ndjson',
          ndjson(patient('p2', null, 'Ada', '1944-05-07'), {
            resourceType: 'Condition',
            id: 'c2',
            subject: { reference: 'Patient/p2' },
            code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
            onsetDateTime: '2020-01-01',
          }),
        )
      ).json()) as { job: { id: string } };
      const job = await finished(first.job.id);
      assert.equal(job.counts.peopleForReview, 1);
      assert.equal(job.counts.recordsHeld, 1);
      const list = (await (await fetch(`${base}/api/places/bury/match-reviews`, { headers })).json()) as {
        reviews: { id: string; candidates: { personId: string; explanation: string }[] }[];
      };
      const review = list.reviews[0];
      assert.ok(review && review.candidates.length > 0);
      assert.match(review.candidates[0]?.explanation ?? '', /date of birth/i);
      const decide = (decision: object) =>
        fetch(`${base}/api/places/bury/match-reviews/${review.id}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(decision),
        });
      const decided = await decide({ decision: 'same-person', personId: review.candidates[0]?.personId });
      assert.equal(decided.status, 200, await decided.clone().text());
      assert.deepEqual(await decided.json(), { personId: review.candidates[0]?.personId, recordsWritten: 1 });
      const twice = await decide({ decision: 'new-person' });
      assert.equal(twice.status, 409);
      const people = await db.kysely
        .selectFrom('person')
        .select('id')
        .where('family_name', '=', 'Upload')
        .execute();
      assert.equal(people.length, 1, 'linked, not added');
    });
  });
