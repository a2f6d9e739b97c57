import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { charlsonBand } from './charlson.ts';
import { efiBand } from './efi.ts';
import {
  type ExplainContext,
  explainCharlson,
  explainCore20plus5,
  explainEfi,
  explainHfrs,
  explainLongTermConditions,
  explainScores,
  explainSegment,
  explainUnplannedCare,
  icd10,
  type StoredContribution,
  type StoredScores,
} from './explain-score.ts';
import { hfrsBand } from './hfrs.ts';
import { MODEL_VERSIONS } from './run-stratify.ts';

/** A resident with nothing recorded; each test changes what it needs. Bands as the stratification stores them. */
function scores(change: Partial<StoredScores> = {}): StoredScores {
  const s: StoredScores = {
    age: 80,
    imdDecile: 6,
    isCore20: false,
    isEthnicMinority: false,
    hasLearningDisability: false,
    hasMultimorbidity: false,
    clinicalAreas: [],
    conditions: [],
    ltcCount: 0,
    efiDeficits: 0,
    efiScore: 0,
    efiBand: 'fit',
    hfrsScore: 0,
    hfrsBand: 'low',
    charlsonScore: 0,
    charlsonBand: '0',
    edAttendances12m: 0,
    emergencyAdmissions12m: 0,
    isFrequentAttender: false,
    segment: 'healthy',
    ...change,
  };
  return {
    ...s,
    efiScore: s.efiDeficits / 36,
    efiBand: efiBand(s.efiDeficits),
    hfrsBand: hfrsBand(s.hfrsScore),
    charlsonBand: charlsonBand(s.charlsonScore),
  };
}

const context: ExplainContext = {
  asOf: '2025-12-31',
  modelVersions: MODEL_VERSIONS,
  hfrsDescriptions: new Map([
    [
      'R29',
      'Other symptoms and signs involving the nervous and musculoskeletal systems (R29.6 Tendency to fall)',
    ],
    ['W19', 'Unspecified fall'],
    ['F05', 'Delirium, not induced by alcohol and other psychoactive substances'],
  ]),
  codeTerms: new Map([
    ['161898004', 'Falls'],
    ['59621000', 'Essential hypertension'],
  ]),
};

const contribution = (c: Partial<StoredContribution> & Pick<StoredContribution, 'model' | 'item'>) => ({
  label: c.item,
  points: 1,
  evidence: c.item,
  evidenceDate: null,
  ...c,
});

describe('explainEfi', () => {
  test('names each deficit with its code, term and date, and polypharmacy with its count', () => {
    const e = explainEfi(
      scores({ efiDeficits: 10 }),
      [
        contribution({
          model: 'efi',
          item: 'falls',
          label: 'Falls',
          evidence: '161898004',
          evidenceDate: '2021-03-12',
        }),
        contribution({
          model: 'efi',
          item: 'hypertension',
          label: 'Hypertension',
          evidence: '59621000',
          evidenceDate: '2019-04-16',
        }),
        contribution({
          model: 'efi',
          item: 'polypharmacy',
          label: 'Polypharmacy',
          evidence: 'polypharmacy: 8 medicines',
        }),
      ],
      context,
    );
    assert.equal(e.summary, 'Moderate frailty: 10 of 36 deficits recorded (eFI 0.28).');
    assert.deepEqual(e.band, { id: 'moderate', label: 'Moderate frailty', level: 2 });
    assert.deepEqual(e.reasons, [
      // The term is left out when it says the same as the deficit's name.
      'Falls: recorded 12 March 2021 (code 161898004)',
      'Hypertension: recorded 16 April 2019 as “Essential hypertension” (code 59621000)',
      'Polypharmacy: 8 different medicines taken in the 12 months to 31 December 2025',
    ]);
    assert.equal(e.modelVersion, MODEL_VERSIONS.efi);
    assert.ok(e.notes.some((n) => n.includes('Moderate frailty: 9 to 12')));
  });

  test('band edges: 4 fit, 5 and 8 mild, 9 and 12 moderate, 13 severe', () => {
    const expected: [number, string][] = [
      [0, 'Fit: 0 of 36 deficits recorded (eFI 0.00).'],
      [4, 'Fit: 4 of 36 deficits recorded (eFI 0.11).'],
      [5, 'Mild frailty: 5 of 36 deficits recorded (eFI 0.14).'],
      [8, 'Mild frailty: 8 of 36 deficits recorded (eFI 0.22).'],
      [9, 'Moderate frailty: 9 of 36 deficits recorded (eFI 0.25).'],
      [12, 'Moderate frailty: 12 of 36 deficits recorded (eFI 0.33).'],
      [13, 'Severe frailty: 13 of 36 deficits recorded (eFI 0.36).'],
      [36, 'Severe frailty: 36 of 36 deficits recorded (eFI 1.00).'],
    ];
    for (const [deficits, summary] of expected) {
      assert.equal(explainEfi(scores({ efiDeficits: deficits }), [], context).summary, summary);
    }
  });

  test('warns that the eFI was made for people aged 65 and over', () => {
    const note = /developed for people aged 65 and over/;
    assert.ok(explainEfi(scores({ age: 64 }), [], context).notes.some((n) => note.test(n)));
    assert.ok(!explainEfi(scores({ age: 65 }), [], context).notes.some((n) => note.test(n)));
  });
});

describe('explainHfrs', () => {
  test('names each diagnosis group with its description, points, code and admission', () => {
    const e = explainHfrs(
      scores({ hfrsScore: 10 }),
      [
        contribution({
          model: 'hfrs',
          item: 'W19',
          points: 3.2,
          evidence: 'W19',
          evidenceDate: '2025-02-03',
        }),
        contribution({
          model: 'hfrs',
          item: 'R29',
          points: 3.6,
          evidence: 'R296',
          evidenceDate: '2024-01-01',
        }),
        contribution({
          model: 'hfrs',
          item: 'F05',
          points: 3.2,
          evidence: 'F059',
          evidenceDate: '2024-06-30',
        }),
      ],
      context,
    );
    assert.equal(
      e.summary,
      'HFRS 10.0, intermediate risk: from diagnoses recorded at emergency hospital admissions in the 2 years to 31 December 2025.',
    );
    assert.deepEqual(e.reasons, [
      'R29 Other symptoms and signs involving the nervous and musculoskeletal systems (R29.6 Tendency to fall) (3.6 points, code R29.6, emergency admission on 1 January 2024)',
      'F05 Delirium, not induced by alcohol and other psychoactive substances (3.2 points, code F05.9, emergency admission on 30 June 2024)',
      'W19 Unspecified fall (3.2 points, emergency admission on 3 February 2025)',
    ]);
  });

  test('band edges: 4.9 low, 5.0 and 15.0 intermediate, 15.1 high', () => {
    const expected: [number, string, number][] = [
      [0, 'HFRS 0.0, low risk', 0],
      [4.9, 'HFRS 4.9, low risk', 0],
      [5, 'HFRS 5.0, intermediate risk', 2],
      [15, 'HFRS 15.0, intermediate risk', 2],
      [15.1, 'HFRS 15.1, high risk', 3],
    ];
    for (const [score, start, level] of expected) {
      const e = explainHfrs(scores({ hfrsScore: score }), [], context);
      assert.ok(e.summary.startsWith(`${start}:`), e.summary);
      assert.equal(e.band?.level, level);
    }
  });

  test('with nothing recorded, says so', () => {
    assert.equal(
      explainHfrs(scores(), [], context).summary,
      'HFRS 0.0, low risk: no diagnoses on the HFRS list were recorded at emergency hospital admissions in the 2 years to 31 December 2025.',
    );
  });
});

describe('explainCharlson', () => {
  test('an outranked milder category is listed with 0 points, counted under the more severe one', () => {
    const e = explainCharlson(
      scores({ charlsonScore: 4 }),
      [
        contribution({
          model: 'charlson',
          item: 'diabetes_without_complication',
          label: 'Diabetes without chronic complication',
          points: 0,
          evidence: 'E119',
          evidenceDate: '2024-03-01',
        }),
        contribution({
          model: 'charlson',
          item: 'diabetes_with_complication',
          label: 'Diabetes with chronic complication',
          points: 2,
          evidence: 'E112',
          evidenceDate: '2025-05-05',
        }),
        contribution({
          model: 'charlson',
          item: 'renal_disease',
          label: 'Renal disease',
          points: 2,
          evidence: 'N18',
          evidenceDate: '2024-06-16',
        }),
      ],
      context,
    );
    assert.equal(
      e.summary,
      'Charlson index 4: from diagnoses recorded at hospital stays (emergency, planned or day case) in the 2 years to 31 December 2025.',
    );
    assert.deepEqual(e.band, { id: '3-4', label: 'Score 3 to 4', level: 2 });
    assert.deepEqual(e.reasons, [
      'Diabetes with chronic complication: 2 points (code E11.2, hospital stay on 5 May 2025)',
      'Renal disease: 2 points (code N18, hospital stay on 16 June 2024)',
      'Diabetes without chronic complication: 0 points, counted under the more severe diabetes with chronic complication instead (code E11.9, hospital stay on 1 March 2024)',
    ]);
    assert.ok(e.notes.includes('Points are the Charlson 1987 weights.'));
  });

  test('a category with no points in the weight set, and not outranked, says which weights', () => {
    const e = explainCharlson(
      scores({ charlsonScore: 0 }),
      [
        contribution({
          model: 'charlson',
          item: 'myocardial_infarction',
          label: 'Myocardial infarction',
          points: 0,
          evidence: 'I21',
          evidenceDate: '2025-01-02',
        }),
      ],
      { ...context, modelVersions: { charlson: 'charlson-quan2005/1.0.0 weights=quan2011' } },
    );
    assert.deepEqual(e.reasons, [
      'Myocardial infarction: 0 points in the Quan 2011 weights (code I21, hospital stay on 2 January 2025)',
    ]);
  });

  test('band edges: 0, 1 to 2, 3 to 4, 5 or more', () => {
    const expected: [number, string][] = [
      [0, 'Score 0'],
      [1, 'Score 1 to 2'],
      [2, 'Score 1 to 2'],
      [3, 'Score 3 to 4'],
      [4, 'Score 3 to 4'],
      [5, 'Score 5 or more'],
    ];
    for (const [score, label] of expected) {
      assert.equal(explainCharlson(scores({ charlsonScore: score }), [], context).band?.label, label);
    }
  });
});

describe('explainLongTermConditions', () => {
  test('one condition is not multimorbidity; two is', () => {
    const hypertension = contribution({
      model: 'ltc',
      item: 'hypertension',
      label: 'High blood pressure (hypertension)',
      evidence: '59621000',
      evidenceDate: '2019-04-16',
    });
    const one = explainLongTermConditions(scores({ ltcCount: 1 }), [hypertension], context);
    assert.equal(one.summary, '1 long-term condition from the multimorbidity list is recorded.');
    assert.equal(one.band, null);
    assert.deepEqual(one.reasons, [
      'High blood pressure (hypertension): recorded 16 April 2019 as “Essential hypertension” (code 59621000)',
    ]);
    const two = explainLongTermConditions(scores({ ltcCount: 2 }), [], context);
    assert.equal(
      two.summary,
      '2 long-term conditions from the multimorbidity list are recorded: that is multimorbidity (2 or more).',
    );
    assert.equal(two.band?.label, 'Multimorbidity');
    assert.equal(
      explainLongTermConditions(scores(), [], context).summary,
      'No long-term conditions from the multimorbidity list are recorded.',
    );
  });
});

describe('explainUnplannedCare', () => {
  test('counts both kinds, says which counted, and flags a frequent attender at 5 A&E attendances', () => {
    const four = explainUnplannedCare(scores({ edAttendances12m: 4, emergencyAdmissions12m: 1 }), context);
    assert.equal(
      four.summary,
      '4 A&E attendances and 1 emergency admission in the 12 months to 31 December 2025.',
    );
    assert.equal(four.band, null);
    assert.deepEqual(four.reasons, [
      '4 A&E attendances in the 12 months to 31 December 2025, below the frequent attender threshold of 5.',
      '1 emergency admission in the 12 months to 31 December 2025.',
    ]);
    const five = explainUnplannedCare(
      scores({ edAttendances12m: 5, emergencyAdmissions12m: 2, isFrequentAttender: true }),
      context,
    );
    assert.deepEqual(five.band, { id: 'frequent-attender', label: 'Frequent A&E attender', level: 3 });
    assert.deepEqual(five.reasons, [
      'Frequent A&E attender: 5 attendances in the 12 months to 31 December 2025, at or above the threshold of 5.',
      '2 emergency admissions in the 12 months to 31 December 2025.',
    ]);
    const none = explainUnplannedCare(scores(), context);
    assert.equal(
      none.summary,
      'No A&E attendances or emergency admissions in the 12 months to 31 December 2025.',
    );
    assert.deepEqual(none.reasons, []);
    // Admissions alone still say what counted (the page once said nothing counted).
    assert.deepEqual(explainUnplannedCare(scores({ emergencyAdmissions12m: 2 }), context).reasons, [
      '2 emergency admissions in the 12 months to 31 December 2025.',
    ]);
  });
});

describe('explainCore20plus5', () => {
  test('Core20 by decile, PLUS groups and clinical areas with their labels', () => {
    const e = explainCore20plus5(
      scores({
        imdDecile: 2,
        isCore20: true,
        isEthnicMinority: true,
        hasMultimorbidity: true,
        clinicalAreas: ['adult-hypertension', 'adult-respiratory'],
      }),
      context,
    );
    assert.equal(
      e.summary,
      'In the Core20: lives in a small area in national deprivation decile 2 (IMD 2019), among the most deprived 20% of England.',
    );
    assert.equal(e.band?.label, 'Core20');
    assert.deepEqual(e.reasons, [
      'PLUS group: from an ethnic minority group (an ethnic category outside the White groups).',
      'PLUS group: multimorbidity (2 or more long-term conditions).',
      'Clinical area: Adults: chronic respiratory disease (aged 18 or over with COPD).',
      'Clinical area: Adults: hypertension case-finding and optimal management (aged 18 or over with high blood pressure).',
    ]);
  });

  test('decile 3 is not Core20; with no groups or areas it says so', () => {
    const e = explainCore20plus5(scores({ imdDecile: 3 }), context);
    assert.equal(
      e.summary,
      'Not in the Core20: lives in a small area in national deprivation decile 3 (IMD 2019). The Core20 is deciles 1 and 2, the most deprived 20% of England.',
    );
    assert.equal(e.band, null);
    assert.deepEqual(e.reasons, [
      'Not in any of the PLUS groups the records can show.',
      'None of the 5 clinical areas applies.',
    ]);
  });
});

describe('explainSegment', () => {
  const dementia = contribution({ model: 'ltc', item: 'dementia', label: 'Dementia' });

  test('gives the segment, the rule that placed the person there and the facts that met it', () => {
    const e = explainSegment(
      scores({ segment: 'frailty-dementia', conditions: ['dementia'], ltcCount: 1, efiDeficits: 9 }),
      [dementia],
      context,
    );
    assert.equal(
      e.summary,
      'Long period of decline (frailty or dementia): placed here because the person has dementia, or moderate or severe frailty on the electronic Frailty Index.',
    );
    assert.deepEqual(e.reasons, [
      'Has dementia.',
      'Moderate frailty on the electronic Frailty Index (9 deficits).',
    ]);
    assert.equal(e.band?.level, 3);
    assert.equal(
      e.notes[0],
      'Everyone is in one of 8 segments: the first, in this order, whose rule they meet.',
    );
    assert.equal(
      e.notes[1],
      '1. Short period of decline before dying: has cancer and had an emergency admission in the last 12 months.',
    );
    assert.equal(e.notes[8], '8. Healthy: none of the above.');
  });

  test('organ failure from COPD needs an emergency admission; healthy has no rule to meet', () => {
    const copd = contribution({
      model: 'ltc',
      item: 'copd',
      label: 'Chronic obstructive pulmonary disease (COPD)',
    });
    const e = explainSegment(
      scores({ segment: 'organ-failure', conditions: ['copd'], ltcCount: 1, emergencyAdmissions12m: 1 }),
      [copd],
      context,
    );
    assert.deepEqual(e.reasons, [
      'Has chronic obstructive pulmonary disease (COPD).',
      '1 emergency admission in the 12 months to 31 December 2025.',
    ]);
    const healthy = explainSegment(scores(), [], context);
    assert.equal(healthy.summary, 'Healthy: none of the rules for the other segments apply.');
    assert.deepEqual(healthy.reasons, []);
    assert.equal(healthy.band?.level, 0);
  });
});

describe('explainScores', () => {
  test('explains every model once, in order, each with its version from the run', () => {
    const all = explainScores(scores(), [], context);
    assert.deepEqual(
      all.map((e) => e.model),
      ['efi', 'hfrs', 'charlson', 'ltc', 'unplannedCare', 'core20plus5', 'segment'],
    );
    for (const e of all) {
      assert.equal(e.modelVersion, MODEL_VERSIONS[e.model]);
      assert.ok(e.notes.length > 0, `${e.model} says how it works`);
    }
  });

  test('a version missing from the run is null, not invented', () => {
    const all = explainScores(scores(), [], { ...context, modelVersions: {} });
    assert.ok(all.every((e) => e.modelVersion === null));
  });
});

test('icd10 puts the dot back into a stored code', () => {
  assert.equal(icd10('S009'), 'S00.9');
  assert.equal(icd10('R29'), 'R29');
  assert.equal(icd10('j44.1'), 'J44.1');
});
