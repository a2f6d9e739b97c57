import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { todayInEngland } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { type DemoCaseCounts, seedDemoCases } from './demo-cases.ts';

const PER_TEAM = 20;
const INTS = ['int-east', 'int-north', 'int-prestwich', 'int-west', 'int-whitefield'];

for (const target of dbTargets()) {
  describe(`demo caseload on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let first: DemoCaseCounts;
    const today = todayInEngland();

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2000,
        seed: 6,
      });
      first = await seedDemoCases(db.kysely, 'bury', { perTeam: PER_TEAM, seed: 11, today });
      app = await openTestApp(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('each INT gets its open cases, from its own neighbourhood, led by one of its practitioners', async () => {
      assert.deepEqual(
        first.teams.map((t) => [t.teamId, t.opened, t.alreadyOpen]),
        INTS.map((id) => [id, PER_TEAM, 0]),
      );
      assert.equal(first.cases, PER_TEAM * INTS.length);
      assert.equal(first.skipped, 0);
      const rows = await db.kysely
        .selectFrom('care_case as c')
        .innerJoin('team as t', 't.id', 'c.team_id')
        .innerJoin('person_risk as r', 'r.person_id', 'c.person_id')
        .innerJoin('person as p', 'p.id', 'c.person_id')
        .innerJoin('practitioner as lead', 'lead.id', 'c.lead_practitioner_id')
        .innerJoin('int_referral as ref', 'ref.id', 'c.referral_id')
        .select([
          'c.team_id',
          'c.status',
          'c.review_due_on',
          'c.key_worker_ids',
          'c.consent_status',
          'c.version',
          't.neighbourhood_code as team_neighbourhood',
          'r.neighbourhood_code',
          'r.efi_band',
          'p.date_of_death',
          'lead.team_id as lead_team',
          'ref.status as referral_status',
          'ref.case_id as referral_case',
          'c.id',
        ])
        .execute();
      assert.equal(rows.length, PER_TEAM * INTS.length);
      const lo = new Date(`${today}T00:00:00Z`).getTime() - 14 * 86_400_000;
      const hi = new Date(`${today}T00:00:00Z`).getTime() + 56 * 86_400_000;
      for (const c of rows) {
        assert.equal(c.status, 'open');
        assert.equal(c.version, 1);
        assert.equal(c.neighbourhood_code, c.team_neighbourhood);
        assert.equal(c.date_of_death, null);
        assert.equal(c.lead_team, c.team_id);
        assert.equal(c.referral_status, 'accepted');
        assert.equal(c.referral_case, c.id);
        assert.ok(c.key_worker_ids.length >= 1 && c.key_worker_ids.length <= 2, 'one or two key workers');
        const due = new Date(`${c.review_due_on}T00:00:00Z`).getTime();
        assert.ok(due >= lo && due <= hi, `review due ${c.review_due_on} within −14..+56 days of ${today}`);
      }
      // The frail are preferred: moderately or severely frail people are far commoner among those chosen
      // than among residents (about 1 in 40 of these 2,000).
      const isFrail = sql<boolean>`efi_band in ('moderate', 'severe')`;
      const residents = await db.kysely
        .selectFrom('person_risk')
        .select([
          sql<number>`count(*)::int`.as('all'),
          sql<number>`(count(*) filter (where ${isFrail}))::int`.as('frail'),
        ])
        .executeTakeFirstOrThrow();
      const frail = rows.filter((c) => c.efi_band === 'severe' || c.efi_band === 'moderate').length;
      assert.ok(
        frail / rows.length > (5 * residents.frail) / residents.all,
        `${frail} of ${rows.length} chosen are moderately or severely frail, against ${residents.frail} of ${residents.all} residents`,
      );
      assert.ok(
        rows.some((c) => c.consent_status === 'given'),
        'some consent to share is given',
      );
    });

    test("every action is owned by a practitioner of its owning agency, in the case's team", async () => {
      const actions = await db.kysely
        .selectFrom('plan_action as a')
        .innerJoin('care_case as c', 'c.id', 'a.case_id')
        .leftJoin('practitioner as p', 'p.id', 'a.owner_practitioner_id')
        .select([
          'a.case_id',
          'a.owner_agency_id',
          'p.agency_id',
          'p.team_id',
          'c.team_id as case_team',
          'a.status',
          'a.completed_at',
        ])
        .execute();
      assert.equal(actions.length, first.actions);
      const perCase = new Map<string, string[]>();
      for (const a of actions) {
        assert.equal(a.agency_id, a.owner_agency_id);
        assert.equal(a.team_id, a.case_team);
        assert.equal(a.status === 'done', a.completed_at !== null);
        perCase.set(a.case_id, [...(perCase.get(a.case_id) ?? []), a.owner_agency_id]);
      }
      assert.equal(perCase.size, first.cases);
      for (const agencies of perCase.values()) {
        assert.ok(agencies.length >= 2 && agencies.length <= 4, `${agencies.length} actions`);
        assert.equal(new Set(agencies).size, agencies.length, 'each action a different agency');
      }
    });

    test('version 1 of every case and plan is kept, so the history is whole', async () => {
      const versions = await db.kysely
        .selectFrom('record_version')
        .select(['kind', sql<number>`count(*)::int`.as('n'), sql<number>`max(version)::int`.as('top')])
        .where('change', '=', 'Opened from demo data')
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      assert.deepEqual(versions, [
        { kind: 'case', n: first.cases, top: 1 },
        { kind: 'plan', n: first.cases, top: 1 },
      ]);
      const plans = await db.kysely
        .selectFrom('care_plan')
        .select([sql<number>`count(*)::int`.as('n'), sql<number>`max(version)::int`.as('top')])
        .executeTakeFirstOrThrow();
      assert.deepEqual(plans, { n: first.cases, top: 1 });
    });

    test('a second run with the same seed adds nothing', async () => {
      const again = await seedDemoCases(db.kysely, 'bury', { perTeam: PER_TEAM, seed: 11, today });
      assert.equal(again.cases, 0);
      assert.deepEqual(
        again.teams.map((t) => [t.teamId, t.opened, t.alreadyOpen]),
        INTS.map((id) => [id, 0, PER_TEAM]),
      );
      const open = await db.kysely
        .selectFrom('care_case')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      assert.equal(open.n, first.cases);
    });

    test("the East INT lead's caseload shows every East case, and each case page its plan", async () => {
      const lead = await staffClient(app, db, {
        role: 'int-lead',
        teamId: 'int-east',
        agencyId: 'bury-community-health',
        practitionerId: 'int-east-int-lead',
      });
      const res = await lead.get('/api/places/bury/teams/int-east/caseload?pageSize=100');
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { total: number; cases: { id: string; openActions: number }[] };
      const east = first.teams.find((t) => t.teamId === 'int-east')?.opened;
      assert.equal(page.total, east);
      assert.equal(page.cases.length, east);
      const one = page.cases[0];
      assert.ok(one);
      const detail = await lead.get(`/api/places/bury/cases/${one.id}`);
      assert.equal(detail.statusCode, 200, detail.body);
      const body = detail.json() as {
        plan: { version: number; goals: unknown[]; actions: unknown[]; whatMatters: string };
      };
      assert.equal(body.plan.version, 1);
      assert.ok(body.plan.whatMatters.length > 0);
      assert.ok(body.plan.goals.length >= 1 && body.plan.goals.length <= 2);
      assert.ok(body.plan.actions.length >= 2);
      const versions = await lead.get(`/api/places/bury/cases/${one.id}/versions`);
      assert.equal(versions.statusCode, 200, versions.body);
    });

    test('a new synthetic population takes the cases of the people it replaces with them', async () => {
      const count = async (table: 'care_case' | 'int_referral' | 'record_version' | 'plan_action') =>
        Number(
          (
            await db.kysely
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.ok((await count('care_case')) > 0);
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 1000,
        seed: 7,
      });
      for (const table of ['care_case', 'int_referral', 'record_version', 'plan_action'] as const)
        assert.equal(await count(table), 0, table);
    });
  });
}
