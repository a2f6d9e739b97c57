import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { addPerson, type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { MODEL_VERSIONS } from './run-stratify.ts';

const AS_OF = '2025-12-31';

for (const target of dbTargets()) {
  describe(`the person page API on ${target.name}`, () => {
    let db: Db;
    let app: App;
    /** The resident with the most frailty recorded (eFI deficits, then HFRS), so every model has something to say. */
    let gp: Client;
    let frail: { person_id: string; efi_deficits: number; ed_12m: number; emergency_12m: number };
    const elsewhereId = randomUUID();

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 1500,
      });
      frail = await db.kysely
        .selectFrom('person_risk')
        .select(['person_id', 'efi_deficits', 'ed_12m', 'emergency_12m'])
        .where('place_id', '=', 'bury')
        .orderBy('efi_deficits', 'desc')
        .orderBy('hfrs_score', 'desc')
        .orderBy('person_id')
        .limit(1)
        .executeTakeFirstOrThrow();
      // A person in another place, who must not be reachable through Bury.
      await db.kysely
        .insertInto('place')
        .values({
          id: 'elsewhere',
          name: 'Elsewhere',
          kind: 'borough',
          lad_code: 'E00000000',
          region: 'Nowhere',
          population_residents: 1,
          population_year: 2023,
          population_source: 'test',
          assignment_status: 'working',
          pack_hash: 'test',
        })
        .execute();
      await addPerson(db, {
        id: elsewhereId,
        place_id: 'elsewhere',
        given_name: 'Ada',
        family_name: 'Elsewhere',
        date_of_birth: '1940-01-01',
        lsoa_code: 'E01000000',
        practice_code: 'X00000',
      });
      app = await openTestApp(db);
      const practice = await db.kysely
        .selectFrom('person')
        .select('practice_code')
        .where('id', '=', frail.person_id)
        .executeTakeFirstOrThrow();
      gp = await staffClient(app, db, { role: 'gp-staff', practiceCode: practice.practice_code });
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    const get = (url: string) => gp.get(url);

    test('200: details, scores, every explanation, versions and the last 12 months of unplanned care', async () => {
      const res = await get(`/api/places/bury/people/${frail.person_id}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      const stored = await db.kysely
        .selectFrom('person')
        .selectAll()
        .where('id', '=', frail.person_id)
        .executeTakeFirstOrThrow();

      assert.deepEqual(body.place, { id: 'bury', name: 'Bury' });
      assert.equal(body.person.givenName, stored.given_name);
      assert.equal(body.person.familyName, stored.family_name);
      assert.match(body.person.nhsNumber, /^999 \d{3} \d{4}$/);
      assert.equal(body.person.nhsNumber.replaceAll(' ', ''), stored.nhs_number);
      assert.equal(body.person.dateOfBirth, stored.date_of_birth);
      assert.equal(body.person.ageOn, AS_OF);
      assert.ok(body.person.ethnicCategory.name.length > 1);
      for (const area of ['neighbourhood', 'ward', 'lsoa', 'practice'])
        assert.ok(body.person[area].name, `the ${area} has a name`);
      assert.equal(body.person.lsoa.code, stored.lsoa_code);

      assert.equal(body.risk.asOf, AS_OF);
      assert.ok(!Number.isNaN(Date.parse(body.risk.computedAt)));
      assert.deepEqual(body.risk.modelVersions, MODEL_VERSIONS);
      assert.equal(body.risk.scores.efi.deficits, frail.efi_deficits);
      assert.equal(body.noRiskReason, null);
      const models = body.risk.explanations.map((e: { model: string }) => e.model);
      assert.deepEqual(models, ['efi', 'hfrs', 'charlson', 'ltc', 'unplannedCare', 'core20plus5', 'segment']);
      const efi = body.risk.explanations[0];
      assert.match(efi.summary, new RegExp(`^\\w[\\w ]+: ${frail.efi_deficits} of 36 deficits recorded`));
      assert.equal(
        efi.reasons.length,
        frail.efi_deficits,
        'one reason for each deficit, polypharmacy included',
      );
      const hfrs = body.risk.explanations[1];
      if (body.risk.scores.hfrs.score > 0) {
        // Labelled with the published description, not just the code.
        assert.match(
          hfrs.reasons[0],
          /^[A-Z]\d{2} [A-Z][a-z].* \(\d+\.\d points, .*emergency admission on \d+ \w+ 20\d\d\)$/,
        );
      }

      const events = body.unplannedCare.events;
      assert.equal(body.unplannedCare.to, AS_OF);
      assert.equal(events.length, frail.ed_12m + frail.emergency_12m, 'the events are the ones counted');
      assert.ok(events.every((e: { date: string }) => e.date > '2024-12-31' && e.date <= AS_OF));
      const dates = events.map((e: { date: string }) => e.date);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
      assert.ok(
        events.every((e: { kind: string; kindLabel: string }) =>
          e.kind === 'ed' ? e.kindLabel === 'A&E attendance' : e.kindLabel === 'Emergency admission',
        ),
      );
    });

    test('200 with no scores for someone who died before the date of the scores', async () => {
      const dead = await db.kysely
        .selectFrom('person')
        .select(['id', 'practice_code'])
        .where('place_id', '=', 'bury')
        .where('date_of_death', '<=', AS_OF)
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const theirGp = await staffClient(app, db, { role: 'gp-staff', practiceCode: dead.practice_code });
      const res = await theirGp.get(`/api/places/bury/people/${dead.id}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.risk, null);
      assert.match(
        body.noRiskReason,
        /only worked out for people alive on 31 December 2025, the date of the scores/,
      );
      assert.equal(body.person.ageOn, body.person.dateOfDeath);
    });

    test('404 OperationOutcome for an unknown id, and the same for a person of another place', async () => {
      const unknownId = randomUUID();
      const unknown = await get(`/api/places/bury/people/${unknownId}`);
      const other = await get(`/api/places/bury/people/${elsewhereId}`);
      for (const res of [unknown, other]) {
        assert.equal(res.statusCode, 404);
        assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
        assert.equal(res.json().resourceType, 'OperationOutcome');
        assert.equal(res.json().issue[0].code, 'not-found');
      }
      const withoutIds = (res: typeof unknown, id: string) => {
        const { id: _requestId, ...rest } = res.json();
        return JSON.stringify(rest).replaceAll(id, '<id>');
      };
      assert.equal(withoutIds(unknown, unknownId), withoutIds(other, elsewhereId));
      // And a Bury resident is not reachable through the other place.
      assert.equal((await get(`/api/places/elsewhere/people/${frail.person_id}`)).statusCode, 404);
      assert.equal((await get(`/api/places/nowhere/people/${frail.person_id}`)).statusCode, 404);
    });

    test('staff of another practice get the same "not found" as for someone who does not exist', async () => {
      const other = await staffClient(app, db, { role: 'gp-staff', practiceCode: 'P00000' });
      const unknownId = randomUUID();
      const hidden = await other.get(`/api/places/bury/people/${frail.person_id}`);
      const unknown = await other.get(`/api/places/bury/people/${unknownId}`);
      assert.equal(hidden.statusCode, 404);
      const shape = (res: typeof hidden, id: string) => {
        const { id: _requestId, ...rest } = res.json();
        const { 'x-request-id': _r, date: _d, ...headers } = res.headers;
        return JSON.stringify({ rest, headers }).replaceAll(id, '<id>');
      };
      assert.equal(shape(hidden, frail.person_id), shape(unknown, unknownId));
      const analyst = await staffClient(app, db, { role: 'analyst' });
      assert.equal((await analyst.get(`/api/places/bury/people/${frail.person_id}`)).statusCode, 404);
    });

    test('a safeguarding concern shows to all who may see the record; its detail only to the roles allowed', async () => {
      await db.kysely
        .insertInto('safeguarding_concern')
        .values({
          id: randomUUID(),
          place_id: 'bury',
          person_id: frail.person_id,
          category: 'Adult safeguarding: self-neglect',
          detail: '<script>alert(1)</script> Section 42 enquiry open',
          contact: 'Adult social care safeguarding team',
          raised_on: '2025-11-01',
        })
        .execute();
      const seen = (await get(`/api/places/bury/people/${frail.person_id}`)).json();
      assert.equal(seen.safeguarding.length, 1);
      assert.equal(
        seen.safeguarding[0].detail,
        '<script>alert(1)</script> Section 42 enquiry open',
        'stored as text',
      );
      assert.equal(seen.access.relationship, 'registered practice');
      const practice = await db.kysely
        .selectFrom('person')
        .select('practice_code')
        .where('id', '=', frail.person_id)
        .executeTakeFirstOrThrow();
      const vcse = await staffClient(app, db, {
        role: 'vcse-worker',
        teamId: 'int-east',
        practiceCode: practice.practice_code,
      });
      const limited = (await vcse.get(`/api/places/bury/people/${frail.person_id}`)).json();
      assert.equal(limited.safeguarding[0].category, 'Adult safeguarding: self-neglect');
      assert.equal(limited.safeguarding[0].detail, null);
    });

    test('person data is never cached', async () => {
      const res = await get(`/api/places/bury/people/${frail.person_id}`);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('400 naming the field when the id is not a UUID', async () => {
      for (const bad of ['not-a-uuid', '12345', `${frail.person_id}x`]) {
        const res = await get(`/api/places/bury/people/${bad}`);
        assert.equal(res.statusCode, 400, bad);
        const issue = res.json().issue[0];
        assert.equal(res.json().resourceType, 'OperationOutcome');
        assert.deepEqual(issue.expression, ['personId']);
        assert.match(issue.diagnostics, /personId: must be a person id/);
      }
    });
  });
}
