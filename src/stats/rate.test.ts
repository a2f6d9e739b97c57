import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byarsLower, byarsUpper, calculateCrudeRate } from './rate.ts';
import { assertClose, field, num, readCsv } from './testdata/fixtures.ts';

const REL = 1e-9;

describe("Byar's limits — PHEindicatormethods testdata_B_W", () => {
  for (const row of readCsv('wilson_byars_primitives.csv').filter((r) => r.method === 'Byars')) {
    const x = Number(field(row, 'x'));
    const confidence = Number(field(row, 'confidence'));
    test(`x=${x} at ${confidence}%`, () => {
      assertClose(byarsLower(x, confidence), num(row.lowercl), REL, 'lower');
      assertClose(byarsUpper(x, confidence), num(row.uppercl), REL, 'upper');
    });
  }
});

describe('calculateCrudeRate — PHEindicatormethods testdata_Rate (exact below 10, Byar from 10)', () => {
  for (const row of readCsv('crude_rate.csv')) {
    const label = `${row.sheet} row ${row.sheet_row} ${row.area} per ${row.multiplier} at ${row.confidence}%`;
    test(label, () => {
      const result = calculateCrudeRate(num(row.count), num(row.population), {
        confidence: Number(field(row, 'confidence')),
        multiplier: Number(field(row, 'multiplier')),
      });
      assert.equal(result.method, row.method === '' ? null : row.method);
      assertClose(result.value, num(row.value), REL, 'value');
      assertClose(result.lower, num(row.lowercl), REL, 'lower');
      assertClose(result.upper, num(row.uppercl), REL, 'upper');
    });
  }
});

describe('calculateCrudeRate — edges', () => {
  test('a count of 0 has an exact lower limit of 0', () => {
    const zero = calculateCrudeRate(0, 1000);
    assert.equal(zero.method, 'Exact');
    assert.equal(zero.lower, 0);
    // qchisq(0.975, 2) / 2 = −ln(0.025)
    assertClose(zero.upper, (-Math.log(0.025) / 1000) * 100_000, 1e-12, 'upper');
  });

  test('the switch to Byar is at a count of 10', () => {
    assert.equal(calculateCrudeRate(9, 1000).method, 'Exact');
    assert.equal(calculateCrudeRate(10, 1000).method, 'Byars');
  });
});
