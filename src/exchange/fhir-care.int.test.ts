import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { writeAuditEvents } from '../access/audit.store.ts';
import { seedDemoCases } from '../cases/demo-cases.ts';
import { todayInEngland } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { addTestService, insertServiceReferral } from '../directory/service-referral.test-helper.ts';
import { addStaff } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { careResourcesOf, streamAuditEvents, streamCareResources } from './fhir-care.store.ts';
import { validateStructure } from './fhir-validate.ts';

const PLACE = 'bury';

const keyOf = (r: Resource) => `${r.resourceType}/${r.id}`;

/** Every literal reference in the resources, as `Type/id`. */
function referencesIn(resources: readonly Resource[]): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (k === 'reference' && typeof v === 'string') out.push(v);
        else walk(v);
      }
  };
  walk(resources);
  return out;
}

function assertAllValid(resources: readonly Resource[]) {
  for (const r of resources)
    assert.deepEqual(validateStructure(r as unknown as Record<string, unknown>), [], `${keyOf(r)} conforms`);
}

function assertReferencesResolve(resources: readonly Resource[]) {
  const keys = new Set(resources.map(keyOf));
  for (const ref of referencesIn(resources))
    assert.ok(keys.has(ref) || ref.startsWith('Patient/'), `${ref} resolves within the set or is a Patient`);
}

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<{ pages: number; all: T[] }> {
  const all: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    all.push(...page);
  }
  return { pages: count, all };
}

for (const target of dbTargets()) {
  describe(`care records as FHIR on ${target.name}`, () => {
    let db: Db;
    /** A person with a demo case, which is closed with its goals met, and a declined referral since. */
    let person: string;
    let closedCase: string;
    let declinedReferral: string;
    let sentServiceReferral: string;
    let declinedServiceReferral: string;

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: PLACE,
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 1000,
        seed: 6,
      });
      await seedDemoCases(db.kysely, PLACE, { perTeam: 4, seed: 11, today: todayInEngland() });
      const one = await db.kysely
        .selectFrom('care_case')
        .select(['id', 'person_id', 'team_id'])
        .orderBy('id')
        .executeTakeFirstOrThrow();
      person = one.person_id;
      closedCase = one.id;
      await db.kysely
        .updateTable('care_case')
        .set({
          status: 'closed',
          closed_at: new Date(),
          closure_reason: 'goals-met',
          closure_outcome: 'Managing the stairs again.',
          version: 2,
        })
        .where('id', '=', closedCase)
        .execute();
      declinedReferral = randomUUID();
      await db.kysely
        .insertInto('int_referral')
        .values({
          id: declinedReferral,
          place_id: PLACE,
          person_id: person,
          team_id: one.team_id,
          source: 'self-or-family',
          worklist_id: null,
          referrer: 'Daughter',
          referrer_agency_id: null,
          referred_by: null,
          reason: 'Worried about falls again',
          urgency: 'routine',
          status: 'declined',
          triaged_by: 'Test INT lead',
          triaged_at: new Date(),
          decline_reason: 'Already known: the district nurse visits weekly.',
          case_id: null,
        })
        .execute();
      // Two referrals into directory services from the case: one just sent, one declined with a reason.
      const service = () => addTestService(db, { agencyId: 'vcse-link-workers', hasLocation: true });
      sentServiceReferral = await insertServiceReferral(db, closedCase, await service());
      declinedServiceReferral = await insertServiceReferral(db, closedCase, await service());
      await db.kysely
        .updateTable('service_referral')
        .set({ status: 'declined', version: 3 })
        .where('id', '=', declinedServiceReferral)
        .execute();
      await db.kysely
        .insertInto('service_referral_event')
        .values([
          {
            referral_id: declinedServiceReferral,
            seq: 2,
            status: 'received',
            by_name: 'A link worker',
            note: null,
          },
          {
            referral_id: declinedServiceReferral,
            seq: 3,
            status: 'declined',
            by_name: 'A link worker',
            note: 'Full until the spring',
          },
        ])
        .execute();
    });
    after(async () => {
      await db?.close();
    });

    test("a person's case, plan, goals, actions and referrals: all there, all conforming, all linked", async () => {
      const resources = await careResourcesOf(db.kysely, PLACE, [person]);
      const count = (type: string) => resources.filter((r) => r.resourceType === type).length;
      const [goals, actions, referrals, serviceReferrals] = await Promise.all([
        db.kysely
          .selectFrom('care_plan')
          .select('goals')
          .where('case_id', '=', closedCase)
          .executeTakeFirstOrThrow(),
        db.kysely.selectFrom('plan_action').select('id').where('case_id', '=', closedCase).execute(),
        db.kysely.selectFrom('int_referral').select('id').where('person_id', '=', person).execute(),
        db.kysely.selectFrom('service_referral').select('id').where('person_id', '=', person).execute(),
      ]);
      assert.equal(count('CarePlan'), 1);
      assert.equal(count('CareTeam'), 1);
      assert.equal(count('Goal'), goals.goals.length);
      assert.equal(count('Task'), actions.length);
      assert.equal(count('ServiceRequest'), referrals.length + serviceReferrals.length);
      assert.equal(referrals.length, 2);
      assert.equal(serviceReferrals.length, 2);
      assertAllValid(resources);
      assertReferencesResolve(resources);

      const plan = resources.find((r) => r.resourceType === 'CarePlan');
      assert.ok(plan?.resourceType === 'CarePlan');
      assert.equal(plan.id, closedCase);
      assert.equal(plan.status, 'completed');
      assert.equal(plan.subject.reference, `Patient/${person}`);
      assert.equal(plan.goal?.length, goals.goals.length);
      assert.equal(plan.activity?.filter((a) => a.reference).length, actions.length);
      for (const r of resources) {
        if (r.resourceType === 'Goal') {
          assert.equal(r.lifecycleStatus, 'completed');
          assert.equal(r.achievementStatus?.coding?.[0]?.code, 'achieved');
        }
        if (r.resourceType === 'Task') assert.match(r.restriction?.period?.end ?? '', /^\d{4}-\d{2}-\d{2}$/);
      }
      const declined = resources.find((r) => r.id === declinedReferral);
      assert.ok(declined?.resourceType === 'ServiceRequest');
      assert.equal(declined.status, 'revoked');
      const accepted = resources.find(
        (r) => r.resourceType === 'ServiceRequest' && r.id !== declinedReferral,
      );
      assert.ok(accepted?.resourceType === 'ServiceRequest');
      assert.equal(accepted.status, 'completed');
      assert.equal(accepted.performer?.[0]?.reference, `CareTeam/${closedCase}`);

      // Referrals into directory services: based on the case's plan, for the service, performed by its
      // organisation, with their steps as notes.
      const sent = resources.find((r) => r.id === sentServiceReferral);
      assert.ok(sent?.resourceType === 'ServiceRequest');
      assert.equal(sent.status, 'active');
      assert.deepEqual(sent.basedOn, [{ reference: `CarePlan/${closedCase}` }]);
      assert.equal(sent.code?.coding?.[0]?.system, 'urn:joinedup:fhir:Id:directory-service');
      assert.match(sent.code?.text ?? '', /^Test service /);
      assert.match(sent.performer?.[0]?.display ?? '', /^Test organisation /);
      assert.deepEqual(
        sent.note?.map((n) => n.text),
        ['Sent'],
      );
      const refused = resources.find((r) => r.id === declinedServiceReferral);
      assert.ok(refused?.resourceType === 'ServiceRequest');
      assert.equal(refused.status, 'revoked');
      assert.equal(refused.extension?.[0]?.valueCodeableConcept?.text, 'Full until the spring');
      assert.deepEqual(
        refused.note?.map((n) => n.text),
        ['Sent', 'Received', 'Declined: Full until the spring'],
      );
    });

    test('no people, no resources; another place, nothing of this one', async () => {
      assert.deepEqual(await careResourcesOf(db.kysely, PLACE, []), []);
      assert.deepEqual(await careResourcesOf(db.kysely, 'elsewhere', [person]), []);
    });

    test("the bulk export streams every one of the place's care resources once, in pages", async () => {
      const [cases, goalRows, actions, referrals, serviceReferrals] = await Promise.all([
        db.kysely.selectFrom('care_case').select('person_id').where('place_id', '=', PLACE).execute(),
        db.kysely.selectFrom('care_plan').select('goals').where('place_id', '=', PLACE).execute(),
        db.kysely.selectFrom('plan_action').select('id').where('place_id', '=', PLACE).execute(),
        db.kysely.selectFrom('int_referral').select('id').where('place_id', '=', PLACE).execute(),
        db.kysely.selectFrom('service_referral').select('id').where('place_id', '=', PLACE).execute(),
      ]);
      const goals = goalRows.reduce((n, p) => n + p.goals.length, 0);
      const expected = 2 * cases.length + goals + actions.length + referrals.length + serviceReferrals.length;

      const { pages, all } = await collect(streamCareResources(db.kysely, PLACE, { pageSize: 7 }));
      assert.equal(all.length, expected);
      assert.equal(new Set(all.map(keyOf)).size, expected, 'each resource once');
      assert.equal(
        pages,
        Math.ceil(cases.length / 7) +
          Math.ceil(referrals.length / 7) +
          Math.ceil(serviceReferrals.length / 7),
      );
      assertAllValid(all);
      assertReferencesResolve(all);

      // The same resources as asking for everyone at once.
      const people = [...new Set(cases.map((c) => c.person_id))];
      const byPerson = await careResourcesOf(db.kysely, PLACE, people);
      assert.deepEqual(new Set(byPerson.map(keyOf)), new Set(all.map(keyOf)));
      const byKey = new Map(byPerson.map((r) => [keyOf(r), r]));
      for (const r of all) assert.deepEqual(r, byKey.get(keyOf(r)), keyOf(r));

      const whole = await collect(streamCareResources(db.kysely, PLACE));
      assert.equal(whole.pages, 3, 'one page of cases, one of referrals into teams and one into services');
      assert.equal(whole.all.length, expected);
    });

    test("the audit trail streams in order, a place's staff only when a place is named", async () => {
      const staff = await addStaff(db, { role: 'int-practitioner', teamId: 'int-east' });
      const base = {
        requestId: 'req-fhir-care',
        actorName: 'Test int-practitioner',
        role: 'int-practitioner',
        teamId: 'int-east',
        route: 'GET /api/places/:placeId/cases/:caseId',
        relationship: 'key worker',
        detail: '',
      };
      await writeAuditEvents(db.kysely, [
        {
          ...base,
          actorId: staff.id,
          action: 'read',
          personIds: [person],
          purpose: 'direct-care',
          outcome: 'allowed',
        },
        {
          ...base,
          actorId: staff.id,
          action: 'write',
          route: 'POST /api/places/:placeId/referrals',
          personIds: [person],
          purpose: 'direct-care',
          outcome: 'denied',
        },
        {
          ...base,
          actorId: null,
          actorName: 'not signed in',
          role: null,
          teamId: null,
          action: 'sign-in',
          route: 'POST /api/session',
          personIds: [],
          purpose: 'account',
          relationship: null,
          outcome: 'denied',
        },
      ]);
      const everything = await collect(streamAuditEvents(db.kysely, undefined, { pageSize: 2 }));
      const total = await db.kysely
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(everything.all.length, Number(total.n));
      assert.equal(everything.pages, Math.ceil(Number(total.n) / 2));
      const seqs = everything.all.map((e) => Number(e.id));
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'in the order written',
      );
      assertAllValid(everything.all);

      const ours = (await collect(streamAuditEvents(db.kysely, PLACE))).all.filter((e) =>
        e.entity?.some((x) => x.what?.identifier?.value === 'req-fhir-care'),
      );
      assert.deepEqual(
        ours.map((e) => [e.action, e.outcome, e.agent[0]?.who?.identifier?.value]),
        [
          ['R', '0', staff.id],
          ['C', '4', staff.id],
        ],
      );
      assert.deepEqual(
        ours.map((e) => e.entity?.[0]?.what?.reference),
        [`Patient/${person}`, `Patient/${person}`],
      );
      assert.deepEqual((await collect(streamAuditEvents(db.kysely, 'elsewhere'))).all, []);
    });
  });
}
