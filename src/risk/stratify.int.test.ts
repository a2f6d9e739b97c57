import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { isAppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import type { EncounterTable } from '../db/database.ts';
import { dbTargets } from '../db/test-db.ts';
import { addPerson } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { CHARLSON_LOOK_BACK_YEARS, scoreCharlson } from './charlson.ts';
import { CHARLSON_WEIGHTS } from './code-lists.ts';
import { CLINICAL_AREA_IDS } from './core20plus5.ts';
import { scoreEfi } from './efi.ts';
import { scoreHfrs } from './hfrs.ts';
import { isInLookBack } from './look-back.ts';
import { readRiskCodeLists } from './read-code-lists.ts';
import { personContributions, personRisk, stratificationRun } from './risk.store.ts';
import { runStratify } from './run-stratify.ts';
import { SEGMENT_IDS } from './segments.ts';

const lists = readRiskCodeLists('reference');
const AS_OF = '2025-12-31';

/** Every model computed again in JavaScript by the pure scorers, from the person's own records. */
async function scoreInJs(db: Db, personId: string) {
  const [conditions, medicines, encounters, observations, person] = await Promise.all([
    db.kysely.selectFrom('condition').selectAll().where('person_id', '=', personId).execute(),
    db.kysely.selectFrom('medication').selectAll().where('person_id', '=', personId).execute(),
    db.kysely.selectFrom('encounter').selectAll().where('person_id', '=', personId).execute(),
    db.kysely.selectFrom('observation').selectAll().where('person_id', '=', personId).execute(),
    db.kysely.selectFrom('person').select('sex').where('id', '=', personId).executeTakeFirstOrThrow(),
  ]);
  const efi = scoreEfi(
    {
      codes: conditions.map((c) => ({ code: c.code, date: c.onset_date })),
      medicines: medicines.map((m) => ({ medicine: m.medicine, start: m.start_date, end: m.end_date })),
      indexDate: AS_OF,
      sex: person.sex,
      observations: observations.map((o) => ({ code: o.code, value: o.value, date: o.observed_on })),
    },
    lists.efi,
    lists.efiValueRules,
  );
  const diagnoses = (e: (typeof encounters)[number]) =>
    [e.primary_diagnosis, ...e.secondary_diagnoses].filter((d): d is string => d !== null);
  const hfrs = scoreHfrs(
    {
      spells: encounters.map((e) => ({ kind: e.kind, start: e.start_date, diagnoses: diagnoses(e) })),
      indexDate: AS_OF,
    },
    lists.hfrs,
  );
  const admitted = encounters.filter(
    (e) =>
      ['emergency-admission', 'elective-admission', 'day-case'].includes(e.kind) &&
      isInLookBack(e.start_date, AS_OF, CHARLSON_LOOK_BACK_YEARS),
  );
  const charlson = scoreCharlson({ diagnoses: admitted.flatMap(diagnoses) }, lists.charlson, {
    weights: CHARLSON_WEIGHTS,
  });
  const ltcCodes = new Map(
    lists.longTermConditions.flatMap((c) => c.codes.map((code) => [code, c.condition])),
  );
  const ltc = new Set(
    conditions.filter((c) => c.onset_date <= AS_OF && ltcCodes.has(c.code)).map((c) => ltcCodes.get(c.code)),
  );
  const lastYear = encounters.filter((e) => isInLookBack(e.start_date, AS_OF, 1));
  return {
    efi,
    hfrs,
    charlson,
    conditions: [...ltc].sort(),
    ed: lastYear.filter((e) => e.kind === 'ed').length,
    emergency: lastYear.filter((e) => e.kind === 'emergency-admission').length,
  };
}

for (const target of dbTargets()) {
  describe(`stratification on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2500,
        seed: 11,
      });
    });
    after(() => db.close());

    test('generation stratifies: one row per resident alive on the date, with the run recorded', async () => {
      const run = await stratificationRun(db.kysely, 'bury');
      assert.ok(run);
      assert.equal(run.as_of, AS_OF, 'a synthetic history is stratified as of its last day');
      const alive = await db.kysely
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('place_id', '=', 'bury')
        .where((eb) => eb.or([eb('date_of_death', 'is', null), eb('date_of_death', '>', AS_OF)]))
        .executeTakeFirstOrThrow();
      assert.equal(run.people, alive.n);
      const rows = await db.kysely.selectFrom('person_risk').select('segment').execute();
      assert.equal(rows.length, alive.n);
      assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(run.model_versions))).sort(), [
        'charlson',
        'core20plus5',
        'efi',
        'hfrs',
        'ltc',
        'segment',
        'unplannedCare',
      ]);
    });

    test('the SQL gives every person exactly the scores the pure scorers give', async () => {
      const rows = await db.kysely.selectFrom('person_risk').selectAll().orderBy('person_id').execute();
      let frail = 0;
      let hospital = 0;
      for (const row of rows) {
        const js = await scoreInJs(db, row.person_id);
        const where = `person ${row.person_id}`;
        assert.equal(row.efi_deficits, js.efi.deficits, `${where}: eFI deficits`);
        assert.equal(row.efi_band, js.efi.band, `${where}: eFI band`);
        assert.ok(Math.abs(row.efi_score - js.efi.score) < 1e-9, `${where}: eFI score`);
        assert.equal(row.hfrs_score, js.hfrs.score, `${where}: HFRS`);
        assert.equal(row.hfrs_band, js.hfrs.band, `${where}: HFRS band`);
        assert.equal(row.charlson_score, js.charlson.score, `${where}: Charlson`);
        assert.equal(row.charlson_band, js.charlson.band, `${where}: Charlson band`);
        assert.deepEqual(row.conditions, js.conditions, `${where}: long-term conditions`);
        assert.equal(row.ltc_count, js.conditions.length);
        assert.equal(row.ed_12m, js.ed, `${where}: A&E attendances`);
        assert.equal(row.emergency_12m, js.emergency, `${where}: emergency admissions`);
        if (js.efi.deficits > 0 || js.hfrs.score > 0) {
          const stored = await personContributions(db.kysely, 'bury', row.person_id);
          const efi = stored.filter((c) => c.model === 'efi').map((c) => [c.item, c.evidence]);
          assert.deepEqual(
            efi.sort(),
            js.efi.contributions.map((c) => [c.deficit, c.evidence]).sort(),
            `${where}: eFI contributions`,
          );
          const hfrs = stored.filter((c) => c.model === 'hfrs').map((c) => [c.item, Number(c.points)]);
          assert.deepEqual(
            hfrs.sort(),
            js.hfrs.contributions.map((c) => [c.code, c.points]).sort(),
            `${where}: HFRS contributions`,
          );
        }
        if (row.efi_band !== 'fit') frail++;
        if (row.hfrs_score > 0) hospital++;
      }
      assert.ok(
        frail > 50 && hospital > 20,
        `the sample exercises the models (${frail} frail, ${hospital} HFRS)`,
      );
    });

    test('every resident is in exactly one known segment, and flags follow their definitions', async () => {
      const rows = await db.kysely.selectFrom('person_risk').selectAll().execute();
      for (const r of rows) {
        assert.ok(SEGMENT_IDS.includes(r.segment as never), r.segment);
        assert.equal(r.core20, r.imd_decile <= 2);
        assert.equal(r.imd_quintile, Math.ceil(r.imd_decile / 2));
        assert.equal(r.plus_multimorbidity, r.ltc_count >= 2);
        assert.equal(r.frequent_attender, r.ed_12m >= 5);
        for (const area of r.clinical_areas) assert.ok(CLINICAL_AREA_IDS.includes(area), area);
        if (r.clinical_areas.some((a) => a.startsWith('adult-'))) assert.ok(r.age >= 18);
        if (r.clinical_areas.some((a) => a.startsWith('cyp-'))) assert.ok(r.age < 25);
        if (r.conditions.includes('heart-failure'))
          assert.ok(['short-decline', 'organ-failure'].includes(r.segment));
        if (r.segment === 'healthy') assert.equal(r.ltc_count + r.ed_12m + r.emergency_12m, 0);
      }
      const segments = new Set(rows.map((r) => r.segment));
      for (const s of ['healthy', 'chronic-conditions', 'frailty-dementia']) assert.ok(segments.has(s), s);
    });

    test('highest risk first: risk_order ranks residents by eFI deficits, then HFRS score, then emergency admissions', async () => {
      const rows = await db.kysely
        .selectFrom('person_risk')
        .select(['person_id', 'efi_deficits', 'hfrs_score', 'emergency_12m'])
        .orderBy('risk_order', 'desc')
        .orderBy('person_id')
        .execute();
      const expected = [...rows].sort(
        (a, b) =>
          b.efi_deficits - a.efi_deficits ||
          b.hfrs_score - a.hfrs_score ||
          b.emergency_12m - a.emergency_12m ||
          (a.person_id < b.person_id ? -1 : 1),
      );
      assert.deepEqual(
        rows.map((r) => r.person_id),
        expected.map((r) => r.person_id),
      );
      // The order is tested on residents who differ in each part of it.
      assert.ok(new Set(rows.map((r) => r.efi_deficits)).size > 5);
      assert.ok(
        rows.filter((r) => r.efi_deficits === 0 && r.hfrs_score > 0 && r.emergency_12m > 0).length > 3,
      );
    });

    test('hand-built people: band edges, the look-back windows and the as-of date', async () => {
      const lsoa = await db.kysely
        .selectFrom('lsoa')
        .select(['code'])
        .where('place_id', '=', 'bury')
        .executeTakeFirstOrThrow();
      const efiCodes = [...lists.efi.deficitsByCode].filter(([, d]) => d.length === 1);
      const distinct = new Map<string, string>();
      for (const [code, [deficit]] of efiCodes)
        if (deficit && !distinct.has(deficit)) distinct.set(deficit, code);
      const codes = [...distinct.values()];
      const person = async (
        deficits: number,
        extra: {
          lateCode?: boolean;
          spells?: Partial<EncounterTable>[];
          codes?: string[];
          born?: string;
          ethnic?: string;
        } = {},
      ) => {
        const id = await addPerson(db, {
          date_of_birth: extra.born ?? '1940-06-01',
          ethnic_category: extra.ethnic ?? 'A',
          lsoa_code: lsoa.code,
        });
        const rows = codes.slice(0, deficits).map((code, seq) => ({
          person_id: id,
          seq,
          place_id: 'bury',
          code_system: 'http://snomed.info/sct',
          code,
          term: 'test',
          condition: 'test',
          onset_date: '2020-01-01',
        }));
        if (extra.lateCode)
          rows.push({
            ...(rows[0] as (typeof rows)[number]),
            seq: 99,
            code: codes[30] ?? '',
            onset_date: '2026-01-01',
          });
        for (const [i, code] of (extra.codes ?? []).entries())
          rows.push({
            ...(rows[0] ?? {
              person_id: id,
              place_id: 'bury',
              code_system: 'http://snomed.info/sct',
              term: 't',
              condition: 't',
              onset_date: '2020-01-01',
            }),
            seq: 50 + i,
            code,
            onset_date: '2020-01-01',
          } as (typeof rows)[number]);
        if (rows.length > 0) await db.kysely.insertInto('condition').values(rows).execute();
        for (const [seq, spell] of (extra.spells ?? []).entries())
          await db.kysely
            .insertInto('encounter')
            .values({
              person_id: id,
              seq,
              place_id: 'bury',
              kind: 'emergency-admission',
              start_date: '2025-06-01',
              end_date: '2025-06-05',
              length_of_stay: 4,
              primary_diagnosis: null,
              secondary_diagnoses: [],
              is_readmission: false,
              arrival_by_ambulance: null,
              ...spell,
            })
            .execute();
        return id;
      };
      const fit = await person(4);
      const mild = await person(5);
      const moderate = await person(12);
      const severe = await person(13);
      const late = await person(4, { lateCode: true });
      const spells = await person(0, {
        spells: [
          { start_date: '2023-12-31', end_date: '2024-01-02', primary_diagnosis: 'F00.1' }, // exactly 2 years: out
          {
            start_date: '2024-01-01',
            end_date: '2024-01-02',
            primary_diagnosis: 'W19',
            secondary_diagnoses: ['R29.6'],
          },
          { start_date: '2025-12-31', end_date: '2025-12-31', primary_diagnosis: 'F05.9' },
          { start_date: '2026-01-01', end_date: '2026-01-02', primary_diagnosis: 'G81.9' }, // after the date: out
          {
            kind: 'elective-admission',
            start_date: '2025-03-01',
            end_date: '2025-03-02',
            primary_diagnosis: 'N18.4',
          },
        ],
      });
      await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      const band = async (id: string) => (await personRisk(db.kysely, 'bury', id))?.efi_band;
      assert.equal(await band(fit), 'fit');
      assert.equal(await band(mild), 'mild');
      assert.equal(await band(moderate), 'moderate');
      assert.equal(await band(severe), 'severe');
      assert.equal(
        (await personRisk(db.kysely, 'bury', late))?.efi_deficits,
        4,
        'a code after the date does not count',
      );
      const s = await personRisk(db.kysely, 'bury', spells);
      // W19 3.2 + R29 3.6 + F05 3.2 = 10.0; F00 (outside) and G81 (after the date) do not count.
      assert.equal(s?.hfrs_score, 10);
      assert.equal(s?.hfrs_band, 'intermediate');
      assert.equal(s?.emergency_12m, 1, 'only the spell on the date itself is in the last 12 months');
      // Charlson 1987: renal disease (N18.4, elective spell) 2 + hemiplegia G81 after the date does not count.
      assert.equal(s?.charlson_score, 2);
      const why = await personContributions(db.kysely, 'bury', spells);
      assert.deepEqual(
        why.filter((c) => c.model === 'hfrs').map((c) => [c.item, Number(c.points), c.evidence_date]),
        [
          ['R29', 3.6, '2024-01-01'],
          ['F05', 3.2, '2025-12-31'],
          ['W19', 3.2, '2024-01-01'],
        ],
      );

      // eFI deficits from test results, in SQL exactly as the pure scorer gives them.
      const tested = await person(1);
      await db.kysely
        .insertInto('observation')
        .values(
          [
            ['423..', 11.4, '2025-11-01'], // haemoglobin below 11.5 g/dL in a woman: anaemia
            ['451E.', 48, '2025-03-01'], // eGFR below 60: kidney disease
            ['451E.', 75, '2024-01-01'], // an older, normal eGFR does not count
            ['16D2.', 2, '2024-12-31'], // falls exactly a year before: outside the 12 months
            ['38DE.', 0, '2026-02-01'], // after the date: not counted
          ].map(([code, value, date], seq) => ({
            person_id: tested,
            seq,
            place_id: 'bury',
            code_system: 'http://read.info/ctv3',
            code: code as string,
            value: value as number,
            unit: null,
            observed_on: date as string,
          })),
        )
        .execute();
      await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      const js = await scoreInJs(db, tested);
      const sqlEfi = (await personContributions(db.kysely, 'bury', tested)).filter((c) => c.model === 'efi');
      assert.deepEqual(
        sqlEfi.map((c) => [c.item, c.evidence]).sort(),
        js.efi.contributions.map((c) => [c.deficit, c.evidence]).sort(),
      );
      assert.deepEqual(
        js.efi.contributions.filter((c) => c.evidence.includes(' = ')).map((c) => [c.deficit, c.evidence]),
        [
          ['anaemia', '423.. = 11.4 (2025-11-01)'],
          ['ckd', '451E. = 48 (2025-03-01)'],
        ],
      );
      assert.equal((await personRisk(db.kysely, 'bury', tested))?.efi_deficits, 3);

      // Core20PLUS5 flags, clinical areas, the frequent-attender edge and segment precedence.
      const ASTHMA = '195967001';
      const COPD = '13645005';
      const DEPRESSION = '35489007';
      const LEARNING_DISABILITY = '110359009';
      const HEART_FAILURE = '84114007';
      const CANCER = '363346000';
      const ed = (n: number) =>
        Array.from({ length: n }, (_, k) => ({
          kind: 'ed' as const,
          start_date: `2025-0${k + 1}-10`,
          end_date: `2025-0${k + 1}-10`,
        }));
      const young = await person(0, { born: '2005-06-01', ethnic: 'J', codes: [ASTHMA, COPD] });
      const teen = await person(0, { born: '2008-06-01', ethnic: 'C', codes: [DEPRESSION] });
      const adult = await person(0, { born: '2007-06-01', codes: [DEPRESSION] });
      const disabled = await person(0, { born: '1985-06-01', codes: [LEARNING_DISABILITY] });
      const heart = await person(0, { codes: [HEART_FAILURE] });
      const dying = await person(0, { codes: [HEART_FAILURE, CANCER], spells: [{}] });
      const four = await person(0, { born: '1990-06-01', spells: ed(4) });
      const five = await person(0, { born: '1990-06-01', spells: ed(5) });
      const comorbid = await person(0, {
        spells: [
          {
            kind: 'elective-admission',
            start_date: '2025-02-01',
            end_date: '2025-02-02',
            primary_diagnosis: 'C34.1',
            secondary_diagnoses: ['E11.9', 'E11.2', 'C78.0'],
          },
        ],
      });
      await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      const risk = async (id: string) => {
        const r = await personRisk(db.kysely, 'bury', id);
        assert.ok(r, id);
        return r;
      };
      const y = await risk(young);
      assert.equal(y.plus_ethnic_minority, true);
      assert.equal(y.plus_multimorbidity, true);
      assert.deepEqual([...y.clinical_areas].sort(), ['adult-respiratory', 'cyp-asthma']);
      assert.equal(y.segment, 'chronic-conditions');
      const t = await risk(teen);
      assert.equal(t.plus_ethnic_minority, false, 'White groups (C) are not an ethnic minority here');
      assert.deepEqual(t.clinical_areas, ['cyp-mental-health']);
      assert.deepEqual(
        (await risk(adult)).clinical_areas,
        [],
        'at 18, depression alone is in no clinical area',
      );
      const d = await risk(disabled);
      assert.equal(d.plus_learning_disability, true);
      assert.equal(d.segment, 'stable-disability');
      assert.equal((await risk(heart)).segment, 'organ-failure');
      assert.equal(
        (await risk(dying)).segment,
        'short-decline',
        'cancer with an admission outranks heart failure',
      );
      const f4 = await risk(four);
      assert.equal(f4.ed_12m, 4);
      assert.equal(f4.frequent_attender, false);
      assert.equal(f4.segment, 'acutely-ill');
      assert.equal((await risk(five)).frequent_attender, true);
      // Charlson 1987: diabetes with complications 2 (without: outranked, 0) + metastatic tumour 6 (any malignancy: 0).
      assert.equal((await risk(comorbid)).charlson_score, 8);
      const charlson = (await personContributions(db.kysely, 'bury', comorbid)).filter(
        (c) => c.model === 'charlson',
      );
      assert.deepEqual(charlson.map((c) => [c.item, Number(c.points)]).sort(), [
        ['any_malignancy', 0],
        ['diabetes_with_complication', 2],
        ['diabetes_without_complication', 0],
        ['metastatic_solid_tumour', 6],
      ]);
    });

    test('two runs of a place at once take turns: the scores are one whole run, and nothing is left behind', async () => {
      const [first, second] = await Promise.all([
        runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: '2025-06-30' }),
        runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF }),
      ]);
      const run = await stratificationRun(db.kysely, 'bury');
      assert.ok(run);
      const last = [first, second].find((r) => r.asOf === run.as_of);
      assert.ok(last, `the run record is one of the two runs (${run.as_of})`);
      const { rows } = await sql<{ scored: number; wrong_age: number; left: number }>`
        select (select count(*)::int from person_risk where place_id = 'bury') as scored,
               (select count(*)::int from person_risk r join person p on p.id = r.person_id
                where r.place_id = 'bury'
                  and r.age <> extract(year from age(${run.as_of}::date, p.date_of_birth))::int) as wrong_age,
               (select count(*)::int from pg_tables where tablename like '%\_\_new%') as left`.execute(
        db.kysely,
      );
      assert.deepEqual(rows[0], { scored: last.people, wrong_age: 0, left: 0 });
      // As the other tests expect it.
      await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
    });

    test("a resident whose LSOA is not one of the place's is left out and counted as such", async () => {
      const id = await addPerson(db, { family_name: 'Elsewhere', lsoa_code: 'E01999999' });
      try {
        const outcome = await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
        assert.equal(outcome.skippedOutsidePlace, 1);
        const scored = await db.kysely
          .selectFrom('person_risk')
          .select('person_id')
          .where('person_id', '=', id);
        assert.equal((await scored.execute()).length, 0);
      } finally {
        await db.kysely.deleteFrom('person').where('id', '=', id).execute();
        await runStratify(db, { place: 'bury', referenceDir: 'reference', asOf: AS_OF });
      }
    });

    test('a bad date or an unknown place is refused, naming the option, and nothing changes', async () => {
      const before = await stratificationRun(db.kysely, 'bury');
      for (const [request, field] of [
        [{ place: 'bury', asOf: '31/12/2025' }, 'asOf'],
        [{ place: 'bury', asOf: '2025-02-30' }, 'asOf'],
        [{ place: 'nowhere' }, 'place'],
      ] as const) {
        await assert.rejects(
          runStratify(db, { referenceDir: 'reference', ...request }),
          (e) => isAppError(e) && e.problems[0]?.expression?.[0] === field,
        );
      }
      assert.deepEqual(await stratificationRun(db.kysely, 'bury'), before);
    });
  });
}
