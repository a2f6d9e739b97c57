import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { todayInEngland } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withInsertTrigger, withTableAway } from '../db/test-db.ts';
import { runStratify } from '../risk/run-stratify.ts';
import type { App } from '../server/app-types.ts';
import { type Client, inDays, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { cohortBreakdown } from './cohort.store.ts';

for (const target of dbTargets()) {
  describe(`worklists on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let worklist: string;
    let lead: Client;
    let matron: Client;
    let socialWorker: Client;
    let vcse: Client;
    let west: Client;
    const base = '/api/places/bury';

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 3000,
        seed: 9,
      });
      app = await openTestApp(db);
      lead = await staffClient(app, db, { role: 'int-lead', teamId: 'int-east' });
      matron = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-east' });
      socialWorker = await staffClient(app, db, { role: 'social-worker', teamId: 'int-east' });
      vcse = await staffClient(app, db, { role: 'vcse-worker', teamId: 'int-east' });
      west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const cohort = await lead.inject({
        method: 'POST',
        url: `${base}/cohorts`,
        payload: {
          name: 'Aged 75 and over',
          rules: {
            kind: 'group',
            combinator: 'and',
            rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
          },
        },
      });
      assert.equal(cohort.statusCode, 201, cohort.body);
      const made = await lead.inject({
        method: 'POST',
        url: `${base}/worklists`,
        payload: {
          cohortId: cohort.json().cohort.id,
          name: 'East 75+',
          scope: 'neighbourhood',
          scopeCode: 'east',
        },
      });
      assert.equal(made.statusCode, 201, made.body);
      worklist = made.json().worklist.id;
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const people = async (status: 'to-review' | 'decided', pageSize = 100) =>
      (
        await matron.inject({
          url: `${base}/worklists/${worklist}/people?status=${status}&pageSize=${pageSize}`,
        })
      ).json();
    const decide = (payload: Record<string, unknown>, by: Client = matron) =>
      by.inject({ method: 'POST', url: `${base}/worklists/${worklist}/decisions`, payload });

    test('the worklist holds the cohort within the team’s neighbourhood only', async () => {
      const detail = (await matron.inject({ url: `${base}/worklists/${worklist}` })).json();
      const list = await people('to-review');
      assert.equal(list.total, detail.counts.toReview);
      assert.ok(list.total > 5);
      assert.ok(
        list.people.every(
          (p: { neighbourhood: string; age: number }) => p.neighbourhood === 'east' && p.age >= 75,
        ),
      );
      assert.equal(detail.worklist.scopeName, 'East');
    });

    test('decided people leave the list until their review date; every decision is kept with who and when', async () => {
      const before = await people('to-review');
      const [first, second] = before.people;
      const kinds = ['add-to-caseload', 'discuss-at-mdt'];
      for (const [i, person] of [first, second].entries()) {
        const res = await decide({
          personId: person.personId,
          decision: kinds[i],
          reason: 'Seen at the huddle',
          reviewDate: inDays(90),
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      const after = await people('to-review');
      assert.equal(after.total, before.total - 2);
      assert.ok(!after.people.some((p: { personId: string }) => p.personId === first.personId));
      const decided = await people('decided');
      assert.deepEqual(
        decided.people.map((p: { latestDecision: { decision: string } }) => p.latestDecision.decision).sort(),
        [...kinds].sort(),
      );
      // A second decision about the same person is added, not overwritten.
      const again = await decide(
        {
          personId: first.personId,
          decision: 'not-appropriate-now',
          reason: 'In hospital at present',
          reviewDate: inDays(30),
        },
        socialWorker,
      );
      assert.equal(again.statusCode, 201);
      const history = (
        await matron.inject({ url: `${base}/worklists/${worklist}/people/${first.personId}` })
      ).json();
      assert.deepEqual(
        history.decisions.map((d: { decision: string; decidedBy: string }) => [d.decision, d.decidedBy]),
        [
          ['not-appropriate-now', 'Test social-worker, Social worker'],
          ['add-to-caseload', 'Test int-practitioner, INT practitioner'],
        ],
      );
      assert.equal(history.person.latestDecision.decision, 'not-appropriate-now');
    });

    test('"add to caseload" refers the person to the INT, once', async () => {
      const [person] = (await people('to-review')).people;
      const first = await decide({
        personId: person.personId,
        decision: 'add-to-caseload',
        reason: 'Two falls since the summer',
        reviewDate: inDays(60),
      });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().referral.status, 'referred');
      assert.equal(first.json().referral.teamName, 'East Integrated Neighbourhood Team');
      const waiting = await db.kysely
        .selectFrom('int_referral')
        .select(['team_id', 'source', 'worklist_id', 'reason', 'status'])
        .where('person_id', '=', person.personId)
        .execute();
      assert.deepEqual(waiting, [
        {
          team_id: 'int-east',
          source: 'worklist',
          worklist_id: worklist,
          reason: 'Two falls since the summer',
          status: 'awaiting-triage',
        },
      ]);
      const again = await decide({
        personId: person.personId,
        decision: 'add-to-caseload',
        reason: 'Still falling',
        reviewDate: inDays(60),
      });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.json().referral.status, 'already-referred');
      const other = await decide({
        personId: person.personId,
        decision: 'already-known',
        reason: 'Known to the district nurses',
        reviewDate: inDays(60),
      });
      assert.equal(other.json().referral, null);
    });

    test('a worklist whose answer cannot be read is not saved either: made and read back in one transaction', async () => {
      const cohortId = (await lead.inject({ url: `${base}/worklists/${worklist}` })).json().worklist.cohortId;
      // The counts read the decisions: without their table, the read-back fails after the insert.
      await withTableAway(db.kysely, 'worklist_decision', async () => {
        const res = await lead.inject({
          method: 'POST',
          url: `${base}/worklists`,
          payload: { cohortId, name: 'Never answered', scope: 'neighbourhood', scopeCode: 'east' },
        });
        assert.equal(res.statusCode, 500, res.body);
      });
      const saved = await db.kysely
        .selectFrom('worklist')
        .select('id')
        .where('name', '=', 'Never answered')
        .execute();
      assert.deepEqual(saved, []);
    });

    test('"add to caseload" whose referral cannot be saved saves no decision either (one transaction)', async () => {
      const [person] = (await people('to-review')).people;
      // A fault in the referral's insert, after the decision's.
      const fault = `begin raise exception 'the referral could not be written'; end`;
      await withInsertTrigger(db.kysely, 'int_referral', fault, async () => {
        const res = await decide({
          personId: person.personId,
          decision: 'add-to-caseload',
          reason: 'Falls clinic asked us to take her on',
          reviewDate: inDays(60),
        });
        assert.equal(res.statusCode, 500, res.body);
      });
      const saved = await db.kysely
        .selectFrom('worklist_decision')
        .select('id')
        .where('person_id', '=', person.personId)
        .execute();
      assert.deepEqual(saved, [], 'no decision without its referral');
      assert.ok(
        (await people('to-review')).people.some((p: { personId: string }) => p.personId === person.personId),
        'still to review',
      );
    });

    test('a decision needs a reason, a future review date within two years, a known decision and a person on the list', async () => {
      const [person] = (await people('to-review')).people;
      const good = {
        personId: person.personId,
        decision: 'already-known',
        reason: 'District nurses visit',
        reviewDate: inDays(60),
      };
      const cases: [Record<string, unknown>, string, number][] = [
        [{ ...good, reason: '  ' }, 'reason', 400],
        [{ ...good, reviewDate: todayInEngland() }, 'reviewDate', 400],
        [{ ...good, reviewDate: inDays(800) }, 'reviewDate', 400],
        [{ ...good, reviewDate: '2027-02-30' }, 'reviewDate', 400],
        [{ ...good, reviewDate: '01/03/2027' }, 'reviewDate', 400],
        [{ ...good, decision: 'ignore' }, 'decision', 400],
        [{ ...good, personId: '7f0c3a47-93c1-4d3c-9b59-6f0c0d3c9f11' }, 'personId', 404],
      ];
      const before = (await matron.inject({ url: `${base}/worklists/${worklist}` })).json().counts;
      for (const [payload, field, status] of cases) {
        const res = await decide(payload);
        assert.equal(res.statusCode, status, `${field}: ${res.body}`);
        assert.deepEqual(res.json().issue[0].expression, [field]);
      }
      assert.deepEqual(
        (await matron.inject({ url: `${base}/worklists/${worklist}` })).json().counts,
        before,
        'nothing written',
      );
    });

    test('anyone in the team can nominate a resident by NHS number, once, with a reason', async () => {
      const outside = await db.kysely
        .selectFrom('person_risk')
        .innerJoin('person', 'person.id', 'person_risk.person_id')
        .select(['person.id', 'person.nhs_number'])
        .where('person_risk.neighbourhood_code', '=', 'west')
        .where('person_risk.age', '<', 40)
        .executeTakeFirstOrThrow();
      const nominate = (nhsNumber: string) =>
        vcse.inject({
          method: 'POST',
          url: `${base}/worklists/${worklist}/nominations`,
          payload: { nhsNumber, reason: 'Carer breakdown reported by the social prescriber' },
        });
      const spaced = `${outside.nhs_number?.slice(0, 3)} ${outside.nhs_number?.slice(3, 6)} ${outside.nhs_number?.slice(6)}`;
      const res = await nominate(spaced);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().decidedUntil, null, 'no decision stands: they are to review');
      const list = await people('to-review', 100);
      const nominated = list.people.find((p: { personId: string }) => p.personId === outside.id);
      assert.equal(nominated?.nomination?.nominatedBy, 'Test vcse-worker, VCSE worker');
      assert.equal((await nominate(outside.nhs_number ?? '')).statusCode, 409);
      const bad = await nominate('0000000000');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json().issue[0].expression, ['nhsNumber']);
      const nobody = await nominate('9990000018');
      assert.equal(nobody.statusCode, 404);
      assert.match(nobody.json().issue[0].diagnostics, /^Nobody living here has that NHS number\./);
    });

    test('nominating someone a decision still stands for says until when they stay under Decided', async () => {
      const [person] = (await people('to-review')).people;
      const reviewDate = inDays(90);
      const decided = await decide({
        personId: person.personId,
        decision: 'not-appropriate-now',
        reason: 'In hospital this month',
        reviewDate,
      });
      assert.equal(decided.statusCode, 201, decided.body);
      const { nhs_number } = await db.kysely
        .selectFrom('person')
        .select('nhs_number')
        .where('id', '=', person.personId)
        .executeTakeFirstOrThrow();
      const res = await vcse.inject({
        method: 'POST',
        url: `${base}/worklists/${worklist}/nominations`,
        payload: { nhsNumber: nhs_number, reason: 'Daughter worried about her at home' },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().decidedUntil, reviewDate);
    });

    test('a review date gets one problem at a time: blank, not a real date, out of range', async () => {
      const [person] = (await people('to-review')).people;
      const problems = async (reviewDate: string) =>
        (await decide({ personId: person.personId, decision: 'already-known', reason: 'Known', reviewDate }))
          .json()
          .issue.map((i: { diagnostics: string }) => i.diagnostics);
      assert.deepEqual(await problems(''), ['body reviewDate: must be a date written YYYY-MM-DD']);
      assert.deepEqual(await problems('2027-02-30'), ['body reviewDate: must be a real date']);
      assert.deepEqual(await problems('2300-01-01'), [
        'body reviewDate: must be a date between 1900 and 2199',
      ]);
    });

    test('a worklist needs a real cohort and the maker’s own team: an INT lead’s neighbourhood, a practice’s own list', async () => {
      const cohortId = (await lead.inject({ url: `${base}/cohorts` })).json().cohorts[0].id;
      const make = (by: Client, extra: Record<string, unknown>) =>
        by.inject({
          method: 'POST',
          url: `${base}/worklists`,
          payload: { cohortId, name: 'W', scope: 'neighbourhood', scopeCode: 'east', ...extra },
        });
      const otherNeighbourhood = await make(lead, { scopeCode: 'west' });
      assert.equal(otherNeighbourhood.statusCode, 403);
      assert.deepEqual(otherNeighbourhood.json().issue[0].expression, ['scopeCode']);
      const gp = await staffClient(app, db, { role: 'gp-staff', practiceCode: 'P99999' });
      const badPractice = await make(gp, { scope: 'practice', scopeCode: 'P99999' });
      assert.equal(badPractice.statusCode, 400);
      assert.deepEqual(badPractice.json().issue[0].expression, ['scopeCode']);
      const badCohort = await make(lead, { cohortId: '7f0c3a47-93c1-4d3c-9b59-6f0c0d3c9f11' });
      assert.equal(badCohort.statusCode, 400);
      assert.deepEqual(badCohort.json().issue[0].expression, ['cohortId']);
      assert.equal((await make(matron, {})).statusCode, 403, 'an INT practitioner cannot make worklists');
    });

    test('another team does not see the worklist: not in its list, and "not found" when asked for', async () => {
      const listed = (await west.get(`${base}/worklists`)).json().worklists;
      assert.ok(!listed.some((w: { id: string }) => w.id === worklist));
      for (const url of [`${base}/worklists/${worklist}`, `${base}/worklists/${worklist}/people`]) {
        const res = await west.get(url);
        assert.equal(res.statusCode, 404, url);
      }
    });

    test('a person with a national data opt-out stays on their INT’s worklist but leaves the planning count', async () => {
      const person = await db.kysely
        .selectFrom('person_risk')
        .select('person_id')
        .where('neighbourhood_code', '=', 'east')
        .where('age', '>=', 75)
        .where('planning_opt_out', '=', false)
        .orderBy('person_id')
        .executeTakeFirstOrThrow();
      const rules = {
        kind: 'group' as const,
        combinator: 'and' as const,
        rules: [{ kind: 'rule' as const, field: 'age', operator: '>=' as const, value: 75 }],
      };
      const asOf = (
        await db.kysely.selectFrom('stratification_run').select('as_of').executeTakeFirstOrThrow()
      ).as_of;
      const eastCount = async () =>
        (await cohortBreakdown(db.kysely, rules as never, { placeId: 'bury', asOf })).cells
          .filter((c) => c.neighbourhood_code === 'east')
          .reduce((t, c) => t + c.people, 0);
      const onWorklist = async () => {
        const res = await matron.get(`${base}/worklists/${worklist}/people/${person.person_id}`);
        return res.statusCode;
      };
      const planningBefore = await eastCount();
      const worklistBefore = (await matron.get(`${base}/worklists/${worklist}`)).json().counts;
      assert.equal(await onWorklist(), 200);

      await db.kysely
        .updateTable('person')
        .set({ national_data_opt_out: true })
        .where('id', '=', person.person_id)
        .execute();
      await db.kysely
        .updateTable('person_risk')
        .set({ planning_opt_out: true })
        .where('person_id', '=', person.person_id)
        .execute();
      try {
        assert.equal(await eastCount(), planningBefore - 1, 'left out of the planning count');
        assert.deepEqual((await matron.get(`${base}/worklists/${worklist}`)).json().counts, worklistBefore);
        assert.equal(await onWorklist(), 200, 'still on the worklist for direct care');
        const page = (await matron.get(`${base}/people/${person.person_id}`)).json();
        assert.equal(page.optOuts?.nationalDataOptOut, true);
      } finally {
        await db.kysely
          .updateTable('person')
          .set({ national_data_opt_out: false })
          .where('id', '=', person.person_id)
          .execute();
        await db.kysely
          .updateTable('person_risk')
          .set({ planning_opt_out: false })
          .where('person_id', '=', person.person_id)
          .execute();
      }
    });

    test('the counts are the lists’ own lengths, whatever the decisions and nominations, and follow a new stratification at once', async () => {
      type Listed = { personId: string; nomination: unknown };
      const everyone = async (status: 'to-review' | 'decided') => {
        const all: Listed[] = [];
        for (let page = 1; ; page++) {
          const res = await matron.get(
            `${base}/worklists/${worklist}/people?status=${status}&pageSize=100&page=${page}`,
          );
          assert.equal(res.statusCode, 200, res.body);
          const { people, total } = res.json();
          all.push(...people);
          // An empty page ends it too: a count too high must fail, not page for ever.
          if (people.length === 0 || all.length >= total) return all;
        }
      };
      const agree = async () => {
        const counts = (await matron.get(`${base}/worklists/${worklist}`)).json().counts;
        const [toReview, decided] = [await everyone('to-review'), await everyone('decided')];
        assert.deepEqual(counts, {
          toReview: toReview.length,
          decided: decided.length,
          nominated: [...toReview, ...decided].filter((p) => p.nomination !== null).length,
        });
        return { counts, toReview };
      };
      const start = await agree();

      // Decisions: one due for review again (its date has passed), one due today (back on the list), one
      // not yet due, and one about someone who is not on this list at all. Nominations: someone from
      // outside the neighbourhood, and someone already in the cohort.
      const [due, dueToday, notDue, alsoNominated] = start.toReview;
      assert.ok(due && dueToday && notDue && alsoNominated);
      const notOnList = await db.kysely
        .selectFrom('person_risk')
        .select('person_id')
        .where('neighbourhood_code', '=', 'west')
        .where('age', '<', 60)
        .orderBy('person_id')
        .executeTakeFirstOrThrow();
      const decision = (personId: string, reviewDate: string) => ({
        id: randomUUID(),
        worklist_id: worklist,
        person_id: personId,
        decision: 'discuss-at-mdt' as const,
        reason: 'Seen before',
        review_date: reviewDate,
        decided_by: 'Test',
      });
      await db.kysely
        .insertInto('worklist_decision')
        .values([
          decision(due.personId, inDays(-1)),
          decision(dueToday.personId, inDays(0)),
          decision(notDue.personId, inDays(60)),
          decision(notOnList.person_id, inDays(60)),
        ])
        .execute();
      const nhsNumberOf = async (id: string) =>
        (
          await db.kysely
            .selectFrom('person')
            .select('nhs_number')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).nhs_number;
      const outside = await db.kysely
        .selectFrom('person_risk')
        .select('person_id')
        .where('neighbourhood_code', '=', 'north')
        .orderBy('person_id')
        .executeTakeFirstOrThrow();
      for (const id of [outside.person_id, alsoNominated.personId]) {
        const nominated = await vcse.inject({
          method: 'POST',
          url: `${base}/worklists/${worklist}/nominations`,
          payload: { nhsNumber: await nhsNumberOf(id), reason: 'Lives alone since a fall' },
        });
        assert.equal(nominated.statusCode, 201, nominated.body);
      }
      const marked = await agree();
      assert.deepEqual(marked.counts, {
        toReview: start.counts.toReview - 1 + 1,
        decided: start.counts.decided + 1,
        nominated: start.counts.nominated + 2,
      });

      // Someone in East turns 75 in the scores: counted as soon as the new run is in.
      const younger = await db.kysely
        .selectFrom('person_risk')
        .select('person_id')
        .where('neighbourhood_code', '=', 'east')
        .where('age', '>=', 60)
        .where('age', '<', 75)
        .orderBy('person_id')
        .executeTakeFirstOrThrow();
      await db.kysely
        .updateTable('person')
        .set({ date_of_birth: sql<string>`date_of_birth - interval '20 years'` })
        .where('id', '=', younger.person_id)
        .execute();
      await runStratify(db, { place: 'bury', referenceDir: 'reference' });
      const after = await agree();
      assert.equal(after.counts.toReview, marked.counts.toReview + 1);
      assert.ok(after.toReview.some((p) => p.personId === younger.person_id));
    });
  });
}
