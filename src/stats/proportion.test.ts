import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calculateProportion, wilsonInterval } from './proportion.ts';
import { assertClose, field, num, readCsv } from './testdata/fixtures.ts';

// The xlsx doubles are stored at full precision; the reference reproduces them to ≤ 2e-14.
const REL = 1e-9;

describe('wilsonInterval — PHEindicatormethods testdata_B_W and testWilson.R', () => {
  for (const row of readCsv('wilson_byars_primitives.csv').filter((r) => r.method === 'Wilson')) {
    const x = Number(field(row, 'x'));
    const n = Number(field(row, 'n'));
    const confidence = Number(field(row, 'confidence'));
    test(`x=${x} n=${n} at ${confidence}%`, () => {
      const { lower, upper } = wilsonInterval(x, n, confidence);
      assertClose(lower, num(row.lowercl), REL, 'lower');
      assertClose(upper, num(row.uppercl), REL, 'upper');
    });
  }
});

describe('calculateProportion — PHEindicatormethods testdata_Proportion', () => {
  for (const row of readCsv('proportion_wilson.csv')) {
    const label = `${row.sheet} row ${row.sheet_row} ${row.area} ×${row.multiplier} at ${row.confidence}%`;
    test(label, () => {
      const result = calculateProportion(num(row.numerator), num(row.denominator), {
        confidence: Number(field(row, 'confidence')),
        multiplier: Number(field(row, 'multiplier')),
      });
      assertClose(result.value, num(row.value), REL, 'value');
      assertClose(result.lower, num(row.lowercl), REL, 'lower');
      assertClose(result.upper, num(row.uppercl), REL, 'upper');
    });
  }
});

describe('calculateProportion — edges', () => {
  test('0 of n has lower limit 0 and n of n has upper limit 1', () => {
    const none = calculateProportion(0, 50);
    assert.equal(none.value, 0);
    assert.equal(none.lower, 0);
    assert.ok((none.upper ?? 0) > 0);
    const all = calculateProportion(50, 50);
    assert.equal(all.value, 1);
    assertClose(all.upper, 1, 1e-15, 'upper');
    assert.ok((all.lower ?? 1) < 1);
  });

  test('rejects a numerator above the denominator, a negative numerator and a zero denominator', () => {
    assert.throws(() => calculateProportion(6, 5), { name: 'AppError' });
    assert.throws(() => calculateProportion(-1, 5), { name: 'AppError' });
    assert.throws(() => calculateProportion(0, 0), { name: 'AppError' });
  });

  test('rejects confidence outside 0.9–1 / 90–100', () => {
    assert.throws(() => calculateProportion(1, 5, { confidence: 0.8 }), { name: 'AppError' });
  });
});
