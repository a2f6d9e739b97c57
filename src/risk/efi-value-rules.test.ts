import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scoreEfi } from './efi.ts';
import { loadEfiCodeList } from './efi-codes.ts';
import { deficitsFromValues, type EfiObservation, loadEfiValueRules } from './efi-value-rules.ts';
import { readReference } from './reference-files.test-helper.ts';

const rules = loadEfiValueRules(readReference('frailty/efi/efi_value_rules.csv'));
const INDEX = '2025-12-31';
const HB = '423..';
const found = (observations: EfiObservation[], sex: 'female' | 'male' = 'male') =>
  [...deficitsFromValues(observations, sex, INDEX, rules).keys()].sort();
const at = (code: string, value: number, date = '2025-06-01'): EfiObservation => ({ code, value, date });

describe('eFI value rules', () => {
  it('reads every published rule, with one range per unit where two are given', () => {
    assert.equal(rules.length, 20);
    const maleAnaemia = rules.find((r) => r.deficit === 'anaemia' && r.sex === 'male');
    assert.deepEqual(maleAnaemia?.ranges, [
      { above: 0, below: 13 },
      { above: 25, below: 130 },
    ]);
    assert.deepEqual(rules.find((r) => r.deficit === 'atrial-fibrillation')?.ranges, []);
  });

  it('haemoglobin: below 13 g/dL (130 g/L) in men and 11.5 (115) in women, bounds excluded', () => {
    assert.deepEqual(found([at(HB, 12.9)]), ['anaemia']);
    assert.deepEqual(found([at(HB, 13)]), []);
    assert.deepEqual(found([at(HB, 129)]), ['anaemia'], 'g/L');
    assert.deepEqual(found([at(HB, 130)]), []);
    assert.deepEqual(found([at(HB, 12)], 'female'), [], 'the men’s threshold does not apply to women');
    assert.deepEqual(found([at(HB, 11.4)], 'female'), ['anaemia']);
  });

  it('the latest result by the date is the one judged; later results are ignored', () => {
    assert.deepEqual(found([at(HB, 11, '2024-01-01'), at(HB, 14, '2025-01-01')]), []);
    assert.deepEqual(found([at(HB, 14, '2024-01-01'), at(HB, 11, '2025-01-01')]), ['anaemia']);
    assert.deepEqual(found([at(HB, 11, '2024-01-01'), at(HB, 14, '2026-01-01')]), ['anaemia']);
  });

  it('falls count only in the 12 months to the date; any recorded value counts for atrial fibrillation', () => {
    assert.deepEqual(found([at('16D2.', 1, '2025-01-01')]), ['falls']);
    assert.deepEqual(found([at('16D2.', 1, '2024-12-31')]), [], 'exactly a year before is outside');
    assert.deepEqual(found([at('16D2.', 0, '2025-06-01')]), [], 'no falls');
    assert.deepEqual(found([at('38DE.', 0)]), ['atrial-fibrillation']);
  });

  it('other ranges: eGFR under 60, T-score at or below -2.5, TSH outside 0.36 to 5.5', () => {
    assert.deepEqual(found([at('451E.', 59)]), ['ckd']);
    assert.deepEqual(found([at('451E.', 60)]), []);
    assert.deepEqual(found([at('XaITU', -2.5)]), ['osteoporosis']);
    assert.deepEqual(found([at('XaITU', -2.4)]), []);
    assert.deepEqual(found([at('442A.', 0.3)]), ['thyroid-disorders']);
    assert.deepEqual(found([at('442A.', 6)]), ['thyroid-disorders']);
    assert.deepEqual(found([at('442A.', 2)]), []);
  });

  it('in the eFI, a coded deficit keeps its code as evidence; a deficit from a test shows the result', () => {
    const codeList = loadEfiCodeList({
      codesCsv: readReference('frailty/efi/efi_codes_gm_sde.csv'),
      errataCsv: readReference('frailty/efi/efi_codes_errata.csv'),
      deficitsCsv: readReference('frailty/efi/efi_deficits.csv'),
    });
    const result = scoreEfi(
      {
        codes: [{ code: '87522002', date: '2020-01-01' }],
        medicines: [],
        indexDate: INDEX,
        sex: 'female',
        observations: [at(HB, 10), at('451E.', 48, '2025-03-01')],
      },
      codeList,
      rules,
    );
    assert.deepEqual(
      result.contributions.map((c) => [c.deficit, c.evidence]),
      [
        ['anaemia', '87522002'],
        ['ckd', '451E. = 48 (2025-03-01)'],
      ],
    );
    assert.equal(result.deficits, 2);
    assert.equal(
      scoreEfi({ codes: [], medicines: [], indexDate: INDEX, observations: [at(HB, 10)] }, codeList, rules)
        .deficits,
      0,
      'no sex, no value rules',
    );
  });
});
