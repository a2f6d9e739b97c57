import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { sql } from 'kysely';
import { discloseTable } from '../access/disclosure.ts';
import {
  ACTIVITY_KINDS,
  ACTIVITY_MONTHS,
  type ActivityKind,
  type CohortFacts,
  FIELDS,
  type Group,
  meetsRules,
  OPERATORS,
  type Rule,
  type Vocabulary,
} from '../core/cohort-rules.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withTableAway } from '../db/test-db.ts';
import { monthsBefore } from '../risk/look-back.ts';
import { runStratify } from '../risk/run-stratify.ts';
import type { App } from '../server/app-types.ts';
import { type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { cohortBreakdown, cohortMembers, cohortVocabulary } from './cohort.store.ts';

const AS_OF = '2025-12-31';

type Resident = Omit<CohortFacts, 'activity'> & {
  id: string;
  optedOut: boolean;
  events: { kind: string; date: string }[];
};

/** Every resident's facts, read plainly from the tables, for counting cohorts without the SQL under test. */
async function residents(db: Db): Promise<Resident[]> {
  const rows = await db.kysely
    .selectFrom('person_risk')
    .innerJoin('person', 'person.id', 'person_risk.person_id')
    .selectAll('person_risk')
    .select(['person.national_data_opt_out', 'person.type1_objection'])
    .where('person_risk.place_id', '=', 'bury')
    .execute();
  const events = await db.kysely
    .selectFrom('encounter')
    .select(['person_id', 'kind', 'start_date'])
    .execute();
  const byPerson = new Map<string, { kind: string; date: string }[]>();
  for (const e of events) {
    const list = byPerson.get(e.person_id) ?? [];
    list.push({ kind: e.kind, date: e.start_date });
    byPerson.set(e.person_id, list);
  }
  return rows.map((r) => ({
    optedOut: r.national_data_opt_out || r.type1_objection,
    id: r.person_id,
    age: r.age,
    sex: r.sex,
    neighbourhood: r.neighbourhood_code,
    ward: r.ward_code,
    lsoa: r.lsoa_code,
    practice: r.practice_code,
    imdDecile: r.imd_decile,
    imdQuintile: r.imd_quintile,
    core20: r.core20,
    plusEthnicMinority: r.plus_ethnic_minority,
    plusLearningDisability: r.plus_learning_disability,
    plusMultimorbidity: r.plus_multimorbidity,
    clinicalArea: r.clinical_areas,
    condition: r.conditions,
    ltcCount: r.ltc_count,
    segment: r.segment,
    efiBand: r.efi_band,
    efiDeficits: r.efi_deficits,
    hfrsBand: r.hfrs_band,
    hfrsScore: r.hfrs_score,
    charlsonBand: r.charlson_band,
    charlsonScore: r.charlson_score,
    frequentAttender: r.frequent_attender,
    events: byPerson.get(r.person_id) ?? [],
  }));
}

const factsOf = (r: Resident): CohortFacts => ({
  ...r,
  activity: (kind: ActivityKind, months: number) => {
    const from = monthsBefore(AS_OF, months);
    return r.events.filter((e) => e.kind === kind && e.date > from && e.date <= AS_OF).length;
  },
});

/** Random rule trees over every field, with values drawn from the place's own vocabulary. */
function ruleTrees(vocabulary: Vocabulary): fc.Arbitrary<Group> {
  const numberValue = (min: number, max: number, decimals?: boolean) =>
    decimals
      ? fc.double({ min, max, noNaN: true }).map((v) => Math.round(v * 10) / 10)
      : fc.integer({ min, max });
  const leaf: fc.Arbitrary<Rule> = fc.constantFrom(...FIELDS).chain((def): fc.Arbitrary<Rule> => {
    const operator = fc.constantFrom(...OPERATORS[def.type]);
    const options = (vocabulary[def.field] ?? []).map((o) => o.value);
    // Small ranges for counts, so that rules select some people rather than none or all.
    const max = def.type === 'activity' ? 4 : def.field === 'age' ? 100 : (def.max ?? 10);
    const number = numberValue(def.min ?? 0, Math.min(max, def.max ?? max), def.decimals);
    const numberRule = (op: string) =>
      op === 'between' ? fc.tuple(number, number).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]) : number;
    switch (def.type) {
      case 'number':
        return operator.chain((op) =>
          numberRule(op).map((value) => ({ kind: 'rule', field: def.field, operator: op, value }) as Rule),
        );
      case 'activity':
        return fc
          .tuple(operator, fc.constantFrom(...ACTIVITY_KINDS), fc.constantFrom(...ACTIVITY_MONTHS))
          .chain(([op, activity, months]) =>
            numberRule(op).map(
              (value) => ({ kind: 'rule', field: 'activity', activity, months, operator: op, value }) as Rule,
            ),
          );
      case 'boolean':
        return fc
          .boolean()
          .map((value) => ({ kind: 'rule', field: def.field, operator: 'is', value }) as Rule);
      case 'list':
        return fc
          .tuple(operator, fc.constantFrom(...options))
          .map(([op, value]) => ({ kind: 'rule', field: def.field, operator: op, value }) as Rule);
      case 'choice':
        return fc
          .tuple(operator, fc.uniqueArray(fc.constantFrom(...options), { minLength: 1, maxLength: 3 }))
          .map(([op, value]) => ({ kind: 'rule', field: def.field, operator: op, value }) as Rule);
    }
  });
  const { tree } = fc.letrec<{ tree: Group; node: Rule | Group }>((tie) => ({
    tree: fc.record({
      kind: fc.constant('group' as const),
      combinator: fc.constantFrom('and' as const, 'or' as const),
      rules: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('tree')),
  }));
  return tree;
}

for (const target of dbTargets()) {
  describe(`cohorts on ${target.name}`, () => {
    let db: Db;
    let vocabulary: Vocabulary;
    let everyone: Resident[];
    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2000,
        seed: 5,
      });
      vocabulary = await cohortVocabulary(db.kysely, 'bury');
      everyone = await residents(db);
    });
    after(() => db.close());

    test('for random rule sets, the cohort count equals a direct count of the residents who meet them', async () => {
      const ctx = { placeId: 'bury', asOf: AS_OF };
      let nonTrivial = 0;
      await fc.assert(
        fc.asyncProperty(ruleTrees(vocabulary), async (rules) => {
          // Planning counts leave out people who opted out.
          const expected = everyone.filter((r) => !r.optedOut && meetsRules(rules, factsOf(r))).length;
          const { total } = await cohortBreakdown(db.kysely, rules, ctx);
          if (expected > 0 && expected < everyone.length) nonTrivial++;
          assert.equal(total, expected, JSON.stringify(rules));
        }),
        { numRuns: 150, seed: 20260101 },
      );
      assert.ok(nonTrivial > 30, `most rule sets select some but not all residents (${nonTrivial})`);
    });

    test('members come highest risk first, paged without overlaps or gaps', async () => {
      const rules: Group = {
        kind: 'group',
        combinator: 'and',
        rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 65 }],
      };
      const ctx = { placeId: 'bury', asOf: AS_OF };
      // Members are for direct care: everyone, opt-outs included.
      const total = everyone.filter((r) => r.age >= 65).length;
      const seen: string[] = [];
      let previous: [number, number, number] | null = null;
      for (let page = 1; seen.length < total; page++) {
        const rows = await cohortMembers(db.kysely, rules, ctx, () => sql<boolean>`true`, {
          page,
          pageSize: 37,
          sort: 'risk',
          direction: 'desc',
        });
        assert.ok(rows.length > 0);
        for (const r of rows) {
          const key: [number, number, number] = [r.efi_deficits, r.hfrs_score, r.emergency_12m];
          if (previous) assert.ok(previous[0] > key[0] || (previous[0] === key[0] && previous[1] >= key[1]));
          previous = key;
          seen.push(r.person_id);
        }
      }
      assert.equal(new Set(seen).size, total);
    });

    describe('over HTTP', () => {
      let app: App;
      let lead: Client;
      before(async () => {
        app = await openTestApp(db);
        lead = await staffClient(app, db, { role: 'int-lead', teamId: 'int-east' });
      });
      after(() => app.close());

      const east65 = {
        kind: 'group',
        combinator: 'and',
        rules: [
          { kind: 'rule', field: 'neighbourhood', operator: 'in', value: ['east'] },
          { kind: 'rule', field: 'age', operator: '>=', value: 65 },
        ],
      };

      /** Residents aged at least `age`. */
      const ageRules = (age: number) => ({
        kind: 'group',
        combinator: 'and',
        rules: [{ kind: 'rule', field: 'age', operator: '>=', value: age }],
      });

      test('save a cohort, read its planning breakdown, make a worklist, then page and export its members', async () => {
        const saved = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts',
          payload: { name: 'East 65+', rules: east65 },
        });
        assert.equal(saved.statusCode, 201, saved.body);
        const { cohort, breakdown } = saved.json();
        assert.equal(cohort.owner, 'Test int-lead, INT lead');
        // Planning: opt-outs left out, then the small-number rule over the neighbourhood × quintile table.
        const inCohort = everyone.filter((r) => r.neighbourhood === 'east' && r.age >= 65);
        const neighbourhoods = (vocabulary.neighbourhood ?? []).map((n) => n.value);
        const expected = discloseTable(
          neighbourhoods.map((n) =>
            [1, 2, 3, 4, 5].map(
              (q) =>
                inCohort.filter((r) => !r.optedOut && r.neighbourhood === n && r.imdQuintile === q).length,
            ),
          ),
        );
        assert.equal(breakdown.purpose, 'planning');
        assert.deepEqual(breakdown.total, expected.total);
        assert.deepEqual(
          breakdown.cells.map((c: { people: unknown }) => c.people),
          expected.cells.flat(),
        );
        assert.ok(
          inCohort.some((r) => r.optedOut),
          'the test population has someone who opted out',
        );

        const list = (await lead.inject({ url: '/api/places/bury/cohorts' })).json();
        assert.ok(list.cohorts.some((c: { id: string }) => c.id === cohort.id));
        // Before the team has a worklist for them, the lead has no relationship with the members.
        const none = (await lead.get(`/api/places/bury/cohorts/${cohort.id}/members`)).json();
        assert.equal(none.total, 0);
        const made = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/worklists',
          payload: { cohortId: cohort.id, name: 'East 65+', scope: 'neighbourhood', scopeCode: 'east' },
        });
        assert.equal(made.statusCode, 201, made.body);

        const page = await lead.inject({
          url: `/api/places/bury/cohorts/${cohort.id}/members?page=2&pageSize=10&sort=age&direction=asc`,
        });
        assert.equal(page.statusCode, 200, page.body);
        assert.equal(page.json().total, inCohort.length, 'direct care: everyone, opt-outs included');
        assert.equal(page.json().members.length, 10);
        assert.ok(page.json().members.every((m: { age: number }) => m.age >= 65));
        // Each member's practice as staff know it: its name and ODS code.
        const practices = new Map(
          (await db.kysely.selectFrom('practice').select(['ods_code', 'name']).execute()).map((p) => [
            p.ods_code,
            `${p.name} (${p.ods_code})`,
          ]),
        );
        for (const m of page.json().members as { practice: string; practiceName: string }[])
          assert.equal(m.practiceName, practices.get(m.practice) ?? m.practice);
        // A small cohort is paged by id from one sorted list: the pages are the store's one ordered query.
        const paged: string[] = [];
        for (let p = 1; paged.length < inCohort.length; p++) {
          const res = await lead.inject({
            url: `/api/places/bury/cohorts/${cohort.id}/members?page=${p}&pageSize=10&sort=risk&direction=desc`,
          });
          paged.push(...res.json().members.map((m: { personId: string }) => m.personId));
        }
        const direct = await cohortMembers(
          db.kysely,
          east65 as Group,
          { placeId: 'bury', asOf: AS_OF },
          () => sql<boolean>`true`,
          {
            page: 1,
            pageSize: 1000,
            sort: 'risk',
            direction: 'desc',
          },
        );
        assert.deepEqual(
          paged,
          direct.map((m) => m.person_id),
        );
        const csv = await lead.inject({ url: `/api/places/bury/cohorts/${cohort.id}/members.csv` });
        assert.equal(csv.statusCode, 200);
        assert.match(csv.headers['content-type'] as string, /text\/csv/);
        assert.equal(csv.body.trim().split('\n').length, inCohort.length + 1);
        // The neighbourhood in words, and the practice as the pages name it, beside its ODS code.
        const [first] = parse(csv.body, { columns: true }) as Record<string, string>[];
        assert.equal(first?.Neighbourhood, 'East');
        assert.equal(first?.['GP practice'], practices.get(first?.['GP practice ODS code'] ?? ''));
      });

      test('a cohort whose count cannot be made is neither saved nor changed: counted before it is written', async () => {
        const saved = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts',
          payload: { name: 'Aged 90 and over', rules: ageRules(90) },
        });
        assert.equal(saved.statusCode, 201, saved.body);
        const id = saved.json().cohort.id;
        await withTableAway(db.kysely, 'person_risk', async () => {
          const made = await lead.inject({
            method: 'POST',
            url: '/api/places/bury/cohorts',
            payload: { name: 'Never counted', rules: ageRules(91) },
          });
          assert.equal(made.statusCode, 500, made.body);
          const changed = await lead.inject({
            method: 'PUT',
            url: `/api/places/bury/cohorts/${id}`,
            payload: { name: 'Aged 92 and over', rules: ageRules(92) },
          });
          assert.equal(changed.statusCode, 500, changed.body);
        });
        const names = await db.kysely.selectFrom('cohort').select('name').execute();
        assert.ok(!names.some((c) => c.name === 'Never counted'), 'not saved');
        assert.ok(
          names.some((c) => c.name === 'Aged 90 and over'),
          'not changed',
        );
      });

      test('only whoever saved a cohort may change it; the change records who made it', async () => {
        const saved = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts',
          payload: { name: 'Aged 85 and over', rules: ageRules(85) },
        });
        assert.equal(saved.statusCode, 201, saved.body);
        const { id, cannotChange, changedBy } = saved.json().cohort;
        assert.deepEqual([cannotChange, changedBy], [null, null]);
        const change = (by: Client, age: number) =>
          by.inject({
            method: 'PUT',
            url: `/api/places/bury/cohorts/${id}`,
            payload: { name: `Aged ${age} and over`, rules: ageRules(age) },
          });
        for (const other of [
          await staffClient(app, db, { role: 'analyst' }),
          await staffClient(app, db, { role: 'int-lead', teamId: 'int-east' }),
        ]) {
          const why =
            'Only Test int-lead, INT lead, who saved this cohort can change its rules. Build a new cohort to use different rules.';
          assert.equal((await other.get(`/api/places/bury/cohorts/${id}`)).json().cohort.cannotChange, why);
          const refused = await change(other, 66);
          assert.equal(refused.statusCode, 403, refused.body);
          assert.equal(refused.json().issue[0].diagnostics, why);
        }
        const kept = await db.kysely
          .selectFrom('cohort')
          .select('name')
          .where('id', '=', id)
          .executeTakeFirst();
        assert.equal(kept?.name, 'Aged 85 and over', 'unchanged');
        const changed = await change(lead, 86);
        assert.equal(changed.statusCode, 200, changed.body);
        assert.equal(changed.json().cohort.changedBy, 'Test int-lead, INT lead');
        const practitioner = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-east' });
        assert.equal(
          (await practitioner.get(`/api/places/bury/cohorts/${id}`)).json().cohort.cannotChange,
          'Your role does not change cohorts.',
        );
        // Once a worklist is made from it, its rules stay as they are, for whoever saved it too.
        const made = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/worklists',
          payload: { cohortId: id, name: 'East 86+', scope: 'neighbourhood', scopeCode: 'east' },
        });
        assert.equal(made.statusCode, 201, made.body);
        const frozen = await change(lead, 87);
        assert.equal(frozen.statusCode, 403, frozen.body);
        assert.match(
          frozen.json().issue[0].diagnostics,
          /^Worklists are made from this cohort, so its rules stay/,
        );
        assert.match(
          (await lead.get(`/api/places/bury/cohorts/${id}`)).json().cohort.cannotChange,
          /^Worklists/,
        );
      });

      test('an analyst sees the planning count but no members', async () => {
        const analyst = await staffClient(app, db, { role: 'analyst' });
        const saved = await analyst.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts/preview',
          payload: { rules: east65 },
        });
        assert.equal(saved.statusCode, 200);
        const cohortId = (await analyst.get('/api/places/bury/cohorts')).json().cohorts[0].id;
        assert.equal((await analyst.get(`/api/places/bury/cohorts/${cohortId}/members`)).statusCode, 403);
        assert.equal((await analyst.get(`/api/places/bury/cohorts/${cohortId}/members.csv`)).statusCode, 403);
      });

      test('a new stratification run is never answered from the last one', async () => {
        const rules = {
          kind: 'group',
          combinator: 'and',
          rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 65 }],
        };
        const count = async () =>
          (
            await lead.inject({ method: 'POST', url: '/api/places/bury/cohorts/preview', payload: { rules } })
          ).json();
        const now = await count();
        assert.equal(now.asOf, AS_OF);
        await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: '2023-12-31' });
        const then = await count();
        assert.equal(then.asOf, '2023-12-31');
        assert.notDeepEqual(
          then.breakdown.cells,
          now.breakdown.cells,
          'two years younger, fewer are 65 or over',
        );
        await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
        assert.deepEqual((await count()).breakdown.cells, now.breakdown.cells);
      });

      test('an invalid rule gets a 400 naming its path; nothing is saved', async () => {
        const before = (await lead.inject({ url: '/api/places/bury/cohorts' })).json().cohorts.length;
        const res = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts',
          payload: {
            name: 'Bad',
            rules: {
              kind: 'group',
              combinator: 'and',
              rules: [{ kind: 'rule', field: 'age', operator: 'has', value: 'x' }],
            },
          },
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(res.json().issue[0].expression, ['rules.rules.0.operator']);
        assert.equal((await lead.inject({ url: '/api/places/bury/cohorts' })).json().cohorts.length, before);
      });

      test('no rule value, name or sort key can inject SQL', async () => {
        const attacks = ["east'; drop table person; --", "' or 1=1 --", 'east) or (1=1'];
        for (const attack of attacks) {
          const res = await lead.inject({
            method: 'POST',
            url: '/api/places/bury/cohorts/preview',
            payload: {
              rules: {
                kind: 'group',
                combinator: 'and',
                rules: [{ kind: 'rule', field: 'neighbourhood', operator: 'in', value: [attack] }],
              },
            },
          });
          assert.equal(res.statusCode, 400, attack);
          assert.deepEqual(res.json().issue[0].expression, ['rules.rules.0.value.0']);
        }
        const named = await lead.inject({
          method: 'POST',
          url: '/api/places/bury/cohorts',
          payload: { name: "Robert'); drop table cohort; --", owner: "x' or '1'='1", rules: east65 },
        });
        assert.equal(named.statusCode, 201);
        assert.equal(named.json().cohort.name, "Robert'); drop table cohort; --");
        const id = named.json().cohort.id;
        for (const sort of ['age; drop table person', 'person_id', 'efi_deficits desc']) {
          const res = await lead.inject({
            url: `/api/places/bury/cohorts/${id}/members?sort=${encodeURIComponent(sort)}`,
          });
          assert.equal(res.statusCode, 400, sort);
        }
        const res = await lead.inject({
          url: `/api/places/bury/cohorts/${id}/members?direction=${encodeURIComponent('desc; drop table person')}`,
        });
        assert.equal(res.statusCode, 400);
        const people = await sql<{ n: number }>`select count(*)::int as n from person`.execute(db.kysely);
        assert.equal(people.rows[0]?.n, 2000);
      });

      test('unknown cohorts are 404; a malformed id is a 400 naming the field', async () => {
        const missing = await lead.inject({
          url: '/api/places/bury/cohorts/7f0c3a47-93c1-4d3c-9b59-6f0c0d3c9f11',
        });
        assert.equal(missing.statusCode, 404);
        const bad = await lead.inject({ url: '/api/places/bury/cohorts/not-a-uuid' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /cohortId/);
      });

      test('an unknown place is 404; a place without scores yet is 503, saying how to make them', async () => {
        const nowhere = await lead.inject({ url: '/api/places/nowhere/cohort-fields' });
        assert.equal(nowhere.statusCode, 404);
        assert.match(nowhere.json().issue[0].diagnostics, /There is no place "nowhere"/);
        const run = await db.kysely.selectFrom('stratification_run').selectAll().executeTakeFirstOrThrow();
        await db.kysely.deleteFrom('stratification_run').execute();
        try {
          const unscored = await lead.inject({ url: '/api/places/bury/cohort-fields' });
          assert.equal(unscored.statusCode, 503);
          assert.match(
            unscored.json().issue[0].diagnostics,
            /no risk scores yet\. Run "npx joinedup stratify/,
          );
        } finally {
          await db.kysely
            .insertInto('stratification_run')
            .values({ ...run, model_versions: JSON.stringify(run.model_versions) })
            .execute();
        }
        assert.equal((await lead.inject({ url: '/api/places/bury/cohort-fields' })).statusCode, 200);
      });
    });
  });
}
