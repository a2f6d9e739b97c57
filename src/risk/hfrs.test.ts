import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvRows } from './csv-rows.ts';
import { type HfrsSpell, hfrsBand, icd10Category, scoreHfrs } from './hfrs.ts';
import { loadHfrsWeights } from './hfrs-weights.ts';
import { readReference } from './reference-files.test-helper.ts';

const weights = loadHfrsWeights(readReference('frailty/hfrs/hfrs_icd10_weights.csv'));
const INDEX = '2026-06-30';

function emergency(start: string, diagnoses: string[]): HfrsSpell {
  return { kind: 'emergency-admission', start, diagnoses };
}

function score(spells: HfrsSpell[]) {
  return scoreHfrs({ spells, indexDate: INDEX }, weights);
}

describe('HFRS weights', () => {
  it('has the 109 codes of Gilbert 2018 and agrees with the OHDSI copy', () => {
    assert.equal(weights.size, 109);
    assert.equal(weights.get('F00'), 71);
    assert.equal(weights.get('R50'), 1);
    const ohdsi = csvRows(readReference('frailty/hfrs/hfrs_omopindices.csv'));
    assert.equal(ohdsi.length, 109);
    for (const row of ohdsi as Record<string, string>[]) {
      assert.equal(weights.get(row.icd10_code ?? ''), Math.round(Number(row.points) * 10), row.icd10_code);
    }
  });
});

describe('scoreHfrs', () => {
  it('worked example: a fall with delirium and COPD, then pneumonia', () => {
    const result = score([
      emergency('2025-03-10', ['W19', 'F05.9', 'J44.1']),
      emergency('2026-01-20', ['J18.9', 'F05.0', 'W19']),
    ]);
    // W19 3.2 + F05 3.2 + J18 1.1 (J44 carries no HFRS points); W19 and F05 once each.
    assert.equal(result.score, 7.5);
    assert.equal(result.band, 'intermediate');
    assert.equal(result.modelVersion, 'hfrs-gilbert2018/1.0.0');
    assert.deepEqual(result.contributions, [
      { code: 'F05', points: 3.2 },
      { code: 'W19', points: 3.2 },
      { code: 'J18', points: 1.1 },
    ]);
  });

  it('4.9 is low, 5 is intermediate', () => {
    const low = score([emergency('2026-01-01', ['R29', 'R33'])]);
    assert.equal(low.score, 4.9);
    assert.equal(low.band, 'low');
    const intermediate = score([emergency('2026-01-01', ['G30', 'J69'])]);
    assert.equal(intermediate.score, 5);
    assert.equal(intermediate.band, 'intermediate');
  });

  it('15 is intermediate, 15.1 is high', () => {
    const fifteen = ['F00', 'G81', 'S00', 'R11'];
    const at15 = score([emergency('2026-01-01', fifteen)]);
    assert.equal(at15.score, 15);
    assert.equal(at15.band, 'intermediate');
    const at151 = score([emergency('2026-01-01', [...fifteen, 'R50'])]);
    assert.equal(at151.score, 15.1);
    assert.equal(at151.band, 'high');
  });

  it('bands by the thresholds file', () => {
    assert.equal(hfrsBand(0), 'low');
    assert.equal(hfrsBand(4.9), 'low');
    assert.equal(hfrsBand(5), 'intermediate');
    assert.equal(hfrsBand(15), 'intermediate');
    assert.equal(hfrsBand(15.1), 'high');
  });

  it('look-back: a spell starting exactly two years before the index date is out, a day later is in', () => {
    assert.equal(score([emergency('2024-06-30', ['W19'])]).score, 0);
    assert.equal(score([emergency('2024-07-01', ['W19'])]).score, 3.2);
  });

  it('counts a spell starting on the index date, not one starting after it', () => {
    assert.equal(score([emergency(INDEX, ['W19'])]).score, 3.2);
    assert.equal(score([emergency('2026-07-01', ['W19'])]).score, 0);
  });

  it('ignores spells that are not emergency admissions', () => {
    const result = score([{ kind: 'elective', start: '2026-01-01', diagnoses: ['F00'] }]);
    assert.equal(result.score, 0);
    assert.equal(result.band, 'low');
  });

  it('scores each 3-character code once across spells and sub-codes', () => {
    const result = score([emergency('2025-01-01', ['S72.0', 'S72.1']), emergency('2026-01-01', ['s720'])]);
    assert.deepEqual(result.contributions, [{ code: 'S72', points: 1.4 }]);
  });

  it('ignores codes without HFRS points', () => {
    assert.equal(score([emergency('2026-01-01', ['J44.1', 'I10'])]).score, 0);
  });

  it('takes the first 3 characters of a code', () => {
    assert.equal(icd10Category('F05.9'), 'F05');
    assert.equal(icd10Category(' j44.1'), 'J44');
    assert.equal(icd10Category('W19'), 'W19');
  });
});
