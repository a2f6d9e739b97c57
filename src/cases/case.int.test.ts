import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { type Client, inDays, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';

const base = '/api/places/bury';
interface Issue {
  diagnostics: string;
  expression?: string[];
}
const issues = (body: string) => (JSON.parse(body) as { issue: Issue[] }).issue;

for (const target of dbTargets()) {
  describe(`case management on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let lead: Client;
    let coordinator: Client;
    let socialWorker: Client;
    let police: Client;
    let vcse: Client;
    let west: Client;
    /** East residents no one has a relationship with, handed out one per test. */
    let residents: { id: string; nhs: string }[] = [];
    const nextResident = () => {
      const r = residents.shift();
      assert.ok(r, 'enough East residents for the tests');
      return r;
    };

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2000,
        seed: 6,
      });
      app = await openTestApp(db);
      lead = await staffClient(app, db, {
        role: 'int-lead',
        teamId: 'int-east',
        agencyId: 'bury-community-health',
        practitionerId: 'int-east-int-lead',
      });
      coordinator = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-east',
        agencyId: 'bury-community-health',
        practitionerId: 'int-east-care-coordinator',
      });
      socialWorker = await staffClient(app, db, {
        role: 'social-worker',
        teamId: 'int-east',
        agencyId: 'bury-council-adult-social-care',
        practitionerId: 'int-east-social-worker',
      });
      police = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-east',
        agencyId: 'gmp-bury',
        practitionerId: 'int-east-police-officer',
      });
      vcse = await staffClient(app, db, {
        role: 'vcse-worker',
        teamId: 'int-east',
        agencyId: 'vcse-link-workers',
        practitionerId: 'int-east-vcse-link-worker',
      });
      west = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-west',
        agencyId: 'bury-community-health',
        practitionerId: 'int-west-care-coordinator',
      });
      const rows = await db.kysely
        .selectFrom('person as p')
        .innerJoin('person_risk as r', 'r.person_id', 'p.id')
        .select(['p.id', 'p.nhs_number'])
        .where('r.neighbourhood_code', '=', 'east')
        .where('p.date_of_death', 'is', null)
        .orderBy('p.nhs_number')
        .limit(60)
        .execute();
      residents = rows.map((r) => ({ id: r.id, nhs: r.nhs_number ?? '' }));
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    async function refer(by: Client, nhs: string, extra: Record<string, unknown> = {}) {
      const res = await by.inject({
        method: 'POST',
        url: `${base}/referrals`,
        payload: {
          teamId: 'int-east',
          nhsNumber: nhs,
          source: 'practitioner',
          reason: 'Falls at home, lives alone',
          ...extra,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: string }).id;
    }

    async function openCase(): Promise<{ caseId: string; person: { id: string; nhs: string } }> {
      const person = nextResident();
      const referralId = await refer(socialWorker, person.nhs);
      const res = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: {
          decision: 'accept',
          leadPractitionerId: 'int-east-care-coordinator',
          reviewDueOn: inDays(28),
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const caseId = (res.json() as { caseId: string }).caseId;
      assert.ok(caseId);
      return { caseId, person };
    }

    const getCase = async (by: Client, caseId: string) => by.get(`${base}/cases/${caseId}`);
    const threeActions = [
      {
        description: 'Falls assessment at home',
        ownerAgencyId: 'bury-community-health',
        ownerPractitionerId: 'int-east-district-nurse',
        dueOn: inDays(7),
        goalId: 'g1',
      },
      {
        description: 'Care Act assessment',
        ownerAgencyId: 'bury-council-adult-social-care',
        ownerPractitionerId: 'int-east-social-worker',
        dueOn: inDays(-2),
        goalId: 'g1',
      },
      {
        description: 'Introduce to the Tuesday lunch club',
        ownerAgencyId: 'vcse-link-workers',
        ownerPractitionerId: 'int-east-vcse-link-worker',
        dueOn: inDays(14),
        goalId: 'g2',
      },
    ];
    const plan = (version: number, actions: unknown[] = threeActions) => ({
      version,
      whatMatters: 'Staying in my own home and seeing my grandchildren.',
      strengths: 'Daughter visits on Sundays.',
      risks: 'Two falls this year.\nStairs at home.',
      goals: [
        { id: 'g1', text: 'I want to get up and down my stairs without falling.' },
        { id: 'g2', text: 'I want to get out of the house once a week.' },
      ],
      actions,
    });

    test('a referral is triaged into a case with a plan, and each change is a version', async () => {
      const person = nextResident();
      const referralId = await refer(socialWorker, person.nhs, { urgency: 'urgent' });
      // The team sees it waiting; another team does not.
      const waiting = await lead.get(`${base}/teams/int-east/referrals`);
      assert.equal(waiting.statusCode, 200, waiting.body);
      const list = (waiting.json() as { referrals: { id: string; urgency: string }[] }).referrals;
      assert.ok(list.some((r) => r.id === referralId && r.urgency === 'urgent'));
      assert.equal((await west.get(`${base}/teams/int-east/referrals`)).statusCode, 404);
      assert.equal((await west.get(`${base}/referrals/${referralId}`)).statusCode, 404);
      // A second referral while the first waits joins it: nothing said is lost, and the referrer (here
      // a police officer, whom no consent lets see the team's work) learns nothing about who is known.
      const twice = await police.inject({
        method: 'POST',
        url: `${base}/referrals`,
        payload: {
          teamId: 'int-east',
          nhsNumber: person.nhs,
          source: 'practitioner',
          reason: 'Found wandering at night',
        },
      });
      assert.equal(twice.statusCode, 201, twice.body);
      assert.equal((twice.json() as { id: string }).id, referralId);
      const joined = (await lead.get(`${base}/referrals/${referralId}`)).json() as {
        reason: string;
        urgency: string;
      };
      assert.match(
        joined.reason,
        /^Falls at home, lives alone\n\nAlso referred by Test int-practitioner, Greater Manchester Police \(Bury district\): Found wandering at night$/,
      );
      assert.equal(joined.urgency, 'urgent');
      // The awaiting referral is a relationship for the team's health and social care staff.
      assert.equal((await coordinator.get(`${base}/people/${person.id}`)).statusCode, 200);

      const accepted = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: {
          decision: 'accept',
          leadPractitionerId: 'int-east-care-coordinator',
          reviewDueOn: inDays(28),
        },
      });
      assert.equal(accepted.statusCode, 200, accepted.body);
      const { caseId } = accepted.json() as { caseId: string };

      // Accepting it again, or declining it now, breaks the rule that only a waiting referral is triaged.
      const again = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: { decision: 'decline', reason: 'Changed our mind' },
      });
      assert.equal(again.statusCode, 422, again.body);
      assert.match(issues(again.body)[0]?.diagnostics ?? '', /accepted already/);

      const saved = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1),
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const savedPlan = saved.json() as {
        version: number;
        actions: { ownerAgencyId: string; overdue: boolean }[];
      };
      assert.equal(savedPlan.version, 2);
      assert.deepEqual(savedPlan.actions.map((a) => a.ownerAgencyId).sort(), [
        'bury-community-health',
        'bury-council-adult-social-care',
        'vcse-link-workers',
      ]);
      assert.equal(savedPlan.actions.filter((a) => a.overdue).length, 1);

      const detail = await getCase(lead, caseId);
      assert.equal(detail.statusCode, 200, detail.body);
      const d = detail.json() as {
        case: { openActions: number; overdueActions: number; leadPractitioner: { label: string } };
        plan: { goals: unknown[] };
      };
      assert.equal(d.case.openActions, 3);
      assert.equal(d.case.overdueActions, 1);
      assert.equal(d.case.leadPractitioner.label, 'Care coordinator, East INT');
      assert.equal(d.plan.goals.length, 2);

      const versions = await lead.get(`${base}/cases/${caseId}/versions`);
      const v = (versions.json() as { versions: { kind: string; version: number; changedBy: string }[] })
        .versions;
      assert.deepEqual(v.map((x) => `${x.kind}${x.version}`).sort(), ['case1', 'plan1', 'plan2']);
      assert.ok(v.every((x) => x.changedBy.length > 0));

      // The caseload lists it, the referrals list shows it accepted.
      const caseload = await lead.get(`${base}/teams/int-east/caseload?sort=overdue-actions`);
      assert.equal(caseload.statusCode, 200, caseload.body);
      assert.ok((caseload.json() as { cases: { id: string }[] }).cases.some((c) => c.id === caseId));
      const done = await lead.get(`${base}/teams/int-east/referrals?status=accepted`);
      assert.ok(
        (done.json() as { referrals: { caseId: string }[] }).referrals.some((r) => r.caseId === caseId),
      );
    });

    test('a save from a stale version is refused with 409 naming the current version, and nothing is overwritten', async () => {
      const { caseId } = await openCase();
      const first = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1),
      });
      assert.equal(first.statusCode, 200, first.body);
      const stale = await socialWorker.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: { ...plan(1, []), whatMatters: 'Overwritten?' },
      });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.match(issues(stale.body)[0]?.diagnostics ?? '', /version 2 is the current one/);
      assert.deepEqual(issues(stale.body)[0]?.expression, ['version']);
      const now = (await getCase(lead, caseId)).json() as { plan: { whatMatters: string; version: number } };
      assert.equal(now.plan.version, 2);
      assert.equal(now.plan.whatMatters, plan(1).whatMatters);

      const caseNow = (await getCase(lead, caseId)).json() as { case: { version: number } };
      const staleCase = await lead.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}`,
        payload: {
          version: caseNow.case.version + 5,
          leadPractitionerId: 'int-east-social-worker',
          keyWorkerIds: [],
          reviewDueOn: null,
        },
      });
      assert.equal(staleCase.statusCode, 409, staleCase.body);
    });

    test('invalid moves answer 4xx naming the field or the rule', async () => {
      const { caseId } = await openCase();
      const noOwner = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1, [
          {
            description: 'Someone should ring',
            ownerAgencyId: 'bury-community-health',
            dueOn: inDays(3),
            goalId: null,
          },
        ]),
      });
      assert.equal(noOwner.statusCode, 400, noOwner.body);
      assert.deepEqual(issues(noOwner.body)[0]?.expression, ['actions.0.ownerPractitionerId']);

      const wrongAgency = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1, [
          {
            description: 'Benefits check',
            ownerAgencyId: 'dwp-jobcentre-plus',
            ownerPractitionerId: 'int-east-social-worker',
            dueOn: inDays(3),
            goalId: null,
          },
        ]),
      });
      assert.equal(wrongAgency.statusCode, 400, wrongAgency.body);
      assert.match(
        issues(wrongAgency.body)[0]?.diagnostics ?? '',
        /works for Bury Council adult social care/,
      );

      const yearZero = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1, [{ ...threeActions[0], dueOn: '0000-01-01' }]),
      });
      assert.equal(yearZero.statusCode, 400, yearZero.body);
      assert.deepEqual(issues(yearZero.body)[0]?.expression, ['actions.0.dueOn']);

      const unknownGoal = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1, [{ ...threeActions[0], goalId: 'g9' }]),
      });
      assert.equal(unknownGoal.statusCode, 400, unknownGoal.body);
      assert.deepEqual(issues(unknownGoal.body)[0]?.expression, ['actions.0.goalId']);

      await coordinator.inject({ method: 'PUT', url: `${base}/cases/${caseId}/plan`, payload: plan(1) });
      const current = (await getCase(lead, caseId)).json() as { case: { version: number } };
      const close = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/close`,
        payload: { version: current.case.version, reason: 'goals-met', outcome: 'Managing the stairs again' },
      });
      assert.equal(close.statusCode, 422, close.body);
      assert.deepEqual(issues(close.body)[0]?.expression, ['overrideReason']);
      assert.match(issues(close.body)[0]?.diagnostics ?? '', /3 open actions/);

      const closed = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/close`,
        payload: {
          version: current.case.version,
          reason: 'moved-away',
          outcome: 'Moved to live with her daughter in Leeds',
          overrideReason: 'Moved out of the borough; actions handed to the Leeds team',
        },
      });
      assert.equal(closed.statusCode, 200, closed.body);
      const after = (await getCase(lead, caseId)).json() as {
        case: { status: string; closureReason: string };
      };
      assert.equal(after.case.status, 'closed');
      const reopenPlan = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(3),
      });
      assert.equal(reopenPlan.statusCode, 422, reopenPlan.body);

      const badReview = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${(await openCase()).caseId}/reviews`,
        payload: { heldOn: inDays(0), summary: 'Going well', nextReviewOn: inDays(-1) },
      });
      assert.equal(badReview.statusCode, 400, badReview.body);
      assert.deepEqual(issues(badReview.body)[0]?.expression, ['nextReviewOn']);
    });

    test('a referral without its referrer, or without the worklist it came from, is refused naming the field and writes nothing', async () => {
      const person = nextResident();
      const cases: [Record<string, unknown>, string][] = [
        [{ source: 'self-or-family' }, 'referrer'],
        [{ source: 'worklist' }, 'worklistId'],
      ];
      for (const [extra, field] of cases) {
        const res = await socialWorker.inject({
          method: 'POST',
          url: `${base}/referrals`,
          payload: { teamId: 'int-east', nhsNumber: person.nhs, reason: 'Falls at home', ...extra },
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(issues(res.body)[0]?.expression, [field]);
        assert.match(issues(res.body)[0]?.diagnostics ?? '', new RegExp(`^${field}: `));
      }
      const written = await db.kysely
        .selectFrom('int_referral')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(written.n), 0);
    });

    test('reviews move the review date; contacts are recorded; a decline needs a reason', async () => {
      const { caseId } = await openCase();
      const review = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/reviews`,
        payload: {
          heldOn: inDays(0),
          summary: 'Falls reduced; stairlift fitted.',
          nextReviewOn: inDays(42),
        },
      });
      assert.equal(review.statusCode, 201, review.body);
      const d = (await getCase(lead, caseId)).json() as { case: { reviewDueOn: string }; reviews: unknown[] };
      assert.equal(d.case.reviewDueOn, inDays(42));
      assert.equal(d.reviews.length, 1);
      const contact = await coordinator.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/contacts`,
        payload: { contactAt: new Date().toISOString(), mode: 'phone', note: 'Rang to arrange the visit.' },
      });
      assert.equal(contact.statusCode, 201, contact.body);
      const future = await coordinator.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/contacts`,
        payload: { contactAt: '2099-01-01T10:00:00Z', mode: 'phone', note: 'Not yet.' },
      });
      assert.equal(future.statusCode, 400, future.body);

      const person = nextResident();
      const referralId = await refer(coordinator, person.nhs);
      const noReason = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: { decision: 'decline' },
      });
      assert.equal(noReason.statusCode, 400, noReason.body);
      const declined = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: { decision: 'decline', reason: 'Already supported by the community mental health team' },
      });
      assert.equal(declined.statusCode, 200, declined.body);
      const accept = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referralId}/triage`,
        payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator' },
      });
      assert.equal(accept.statusCode, 422, accept.body);
    });

    test('consent to share decides whether staff of other agencies see the case', async () => {
      const { caseId, person } = await openCase();
      // Health and social care see it on implied consent; the police officer and the VCSE worker do not.
      assert.equal((await getCase(socialWorker, caseId)).statusCode, 200);
      assert.equal((await getCase(police, caseId)).statusCode, 404);
      assert.equal((await getCase(vcse, caseId)).statusCode, 404);
      assert.equal((await west.get(`${base}/cases/${caseId}`)).statusCode, 404);
      const given = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/consent`,
        payload: {
          status: 'given',
          givenBy: 'person',
          agencies: ['vcse-link-workers'],
          purpose: 'To find local groups and support',
        },
      });
      assert.equal(given.statusCode, 201, given.body);
      assert.equal((await getCase(vcse, caseId)).statusCode, 200);
      assert.equal((await vcse.get(`${base}/people/${person.id}`)).statusCode, 200);
      assert.equal((await getCase(police, caseId)).statusCode, 404);
      const withdrawn = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/consent`,
        payload: {
          status: 'withdrawn',
          givenBy: 'person',
          agencies: [],
          purpose: 'No longer wants the group contacted',
        },
      });
      assert.equal(withdrawn.statusCode, 201, withdrawn.body);
      assert.equal((await getCase(vcse, caseId)).statusCode, 404);
      const caseload = (await vcse.get(`${base}/teams/int-east/caseload?pageSize=100`)).json() as {
        cases: { id: string }[];
      };
      assert.ok(!caseload.cases.some((c) => c.id === caseId));
      const unknown = await lead.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/consent`,
        payload: { status: 'given', givenBy: 'person', agencies: ['no-such-agency'], purpose: 'x' },
      });
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.deepEqual(issues(unknown.body)[0]?.expression, ['agencies.0']);
    });

    test('my work lists actions for me and my team, overdue first, and a quick status change is a version', async () => {
      const { caseId } = await openCase();
      const saved = await coordinator.inject({
        method: 'PUT',
        url: `${base}/cases/${caseId}/plan`,
        payload: plan(1),
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const mine = await socialWorker.get(`${base}/my-work`);
      assert.equal(mine.statusCode, 200, mine.body);
      const actions = (
        mine.json() as {
          actions: { id: string; caseId: string; assigned: string; overdue: boolean; dueOn: string }[];
        }
      ).actions;
      const here = actions.filter((a) => a.caseId === caseId);
      assert.equal(here.length, 3, 'all three are the East team’s; one is the social worker’s own');
      assert.equal(here.filter((a) => a.assigned === 'me').length, 1);
      assert.deepEqual(
        actions.map((a) => a.dueOn),
        [...actions.map((a) => a.dueOn)].sort(),
      );
      assert.equal(actions[0]?.overdue, true);
      const own = here.find((a) => a.assigned === 'me');
      assert.ok(own);
      const done = await socialWorker.inject({
        method: 'PATCH',
        url: `${base}/actions/${own.id}`,
        payload: { status: 'done' },
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((done.json() as { version: number }).version, 3);
      const later = (await socialWorker.get(`${base}/my-work`)).json() as { actions: { id: string }[] };
      assert.ok(!later.actions.some((a) => a.id === own.id));
      // Another team's practitioner cannot reach the action.
      const elsewhere = await west.inject({
        method: 'PATCH',
        url: `${base}/actions/${own.id}`,
        payload: { status: 'to-do' },
      });
      assert.equal(elsewhere.statusCode, 404);
    });

    test('a remembered case page is audited on every read, is never another person’s, and is forgotten on a change', async () => {
      const { caseId, person } = await openCase();
      const reads = async () =>
        (
          await db.kysely
            .selectFrom('audit_event')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('route', '=', 'GET /api/places/:placeId/cases/:caseId')
            .where(sql<boolean>`${person.id}::uuid = any(person_ids)`)
            .where('outcome', '=', 'allowed')
            .executeTakeFirstOrThrow()
        ).n;
      const before = await reads();
      const first = await getCase(lead, caseId);
      const second = await getCase(lead, caseId);
      assert.equal(second.body, first.body);
      assert.equal(await reads(), before + 2, 'each read is audited, remembered or not');
      // Written straight to the database (as another process would): still remembered for a moment…
      await db.kysely
        .updateTable('care_plan')
        .set({ what_matters: 'Written elsewhere' })
        .where('case_id', '=', caseId)
        .execute();
      assert.equal(
        ((await getCase(lead, caseId)).json() as { plan: { whatMatters: string } }).plan.whatMatters,
        '',
      );
      // …but never for someone else, who gets their own answer,
      assert.equal(
        ((await getCase(coordinator, caseId)).json() as { plan: { whatMatters: string } }).plan.whatMatters,
        'Written elsewhere',
      );
      // and any change written through the app forgets it at once.
      const contact = await coordinator.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/contacts`,
        payload: { contactAt: new Date().toISOString(), mode: 'phone', note: 'Rang.' },
      });
      assert.equal(contact.statusCode, 201, contact.body);
      assert.equal(
        ((await getCase(lead, caseId)).json() as { plan: { whatMatters: string } }).plan.whatMatters,
        'Written elsewhere',
      );
      // Another team is still refused: no one is answered from someone else's memory.
      const west2 = await west.get(`${base}/cases/${caseId}`);
      assert.equal(west2.statusCode, 404);
    });

    test('GP practice staff see referrals to their INT only for their own registered patients', async () => {
      const [ours, theirs] = await Promise.all(
        [true, false].map((atPractice) =>
          db.kysely
            .selectFrom('person as p')
            .innerJoin('person_risk as r', 'r.person_id', 'p.id')
            .select(['p.id', 'p.nhs_number', 'p.practice_code'])
            .where('r.neighbourhood_code', '=', 'east')
            .where('p.date_of_death', 'is', null)
            .where('p.practice_code', atPractice ? '=' : '<>', 'P83005')
            .orderBy('p.nhs_number', 'desc')
            .executeTakeFirstOrThrow(),
        ),
      );
      const gp = await staffClient(app, db, { role: 'gp-staff', practiceCode: 'P83005' });
      const oursId = await refer(coordinator, ours?.nhs_number ?? '');
      const theirsId = await refer(coordinator, theirs?.nhs_number ?? '');
      const list = (await gp.get(`${base}/teams/int-east/referrals`)).json() as {
        referrals: { id: string }[];
      };
      assert.ok(list.referrals.some((r) => r.id === oursId));
      assert.ok(!list.referrals.some((r) => r.id === theirsId));
      assert.equal((await gp.get(`${base}/referrals/${theirsId}`)).statusCode, 404);
      assert.equal((await gp.get(`${base}/referrals/${oursId}`)).statusCode, 200);
    });

    test('referring by NHS number opens the record to the team, so the IG officer sees it among unusual access', async () => {
      const ig = await staffClient(app, db, { role: 'ig-officer' });
      const person = nextResident();
      await refer(vcse, person.nhs);
      const res = await ig.get('/api/audit/unusual');
      assert.equal(res.statusCode, 200, res.body);
      const findings = (
        res.json() as { findings: { rule: string; username: string | null; count: number }[] }
      ).findings;
      const mine = findings.find((f) => f.rule === 'by-nhs-number' && f.username === vcse.username);
      assert.ok(mine, JSON.stringify(findings));
      assert.equal(mine.count, 1);
    });

    test('20 writers save the same plan at once, 100 rounds: one wins each round and nothing is lost', async () => {
      const { caseId } = await openCase();
      const writers = [coordinator, socialWorker, lead];
      let version = 1;
      let wins = 0;
      for (let round = 0; round < 100; round++) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (writers[i % writers.length] as Client).inject({
              method: 'PUT',
              url: `${base}/cases/${caseId}/plan`,
              payload: { ...plan(version, []), whatMatters: `round ${round} writer ${i}` },
            }),
          ),
        );
        const won = answers.filter((a) => a.statusCode === 200);
        const lost = answers.filter((a) => a.statusCode === 409);
        assert.equal(won.length, 1, `round ${round}: ${answers.map((a) => a.statusCode).join(',')}`);
        assert.equal(lost.length, 19);
        wins++;
        const saved = won[0]?.json() as { version: number; whatMatters: string };
        version = saved.version;
        const winner = saved.whatMatters;
        const stored = await db.kysely
          .selectFrom('care_plan')
          .select(['what_matters', 'version'])
          .where('case_id', '=', caseId)
          .executeTakeFirstOrThrow();
        assert.equal(stored.what_matters, winner);
        assert.equal(stored.version, version);
      }
      const versions = await db.kysely
        .selectFrom('record_version')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('kind', '=', 'plan')
        .where('record_id', '=', caseId)
        .executeTakeFirstOrThrow();
      // The first version is the empty plan made at triage; every win added exactly one.
      assert.equal(versions.n, wins + 1);
      const texts = await db.kysely
        .selectFrom('record_version')
        .select(sql<string>`snapshot->>'whatMatters'`.as('text'))
        .where('kind', '=', 'plan')
        .where('record_id', '=', caseId)
        .where('version', '>', 1)
        .orderBy('version')
        .execute();
      assert.equal(new Set(texts.map((t) => t.text)).size, wins, 'each winning save kept in full');
    });
  });
}
