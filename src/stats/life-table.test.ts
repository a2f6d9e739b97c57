import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calculateLifeExpectancy, type LifeTableBand } from './life-table.ts';
import { field, num, type Row, readCsv } from './testdata/fixtures.ts';

const key = (row: Row): string => `${field(row, 'dataset')}|${field(row, 'area')}`;
const inputs = new Map<string, LifeTableBand[]>();
for (const row of readCsv('life_expectancy_input.csv')) {
  const band = {
    startAge: Number(field(row, 'startage')),
    deaths: Number(field(row, 'deaths')),
    population: Number(field(row, 'pops')),
  };
  inputs.set(key(row), [...(inputs.get(key(row)) ?? []), band]);
}
const expected = new Map<string, Row[]>();
for (const row of readCsv('life_expectancy_expected.csv'))
  expected.set(key(row), [...(expected.get(key(row)) ?? []), row]);

// Upstream precision is 4 dp, which our limits (z = qnorm(0.975) = 1.959963985) meet everywhere. The
// published limits were made with rounded z values (PROVENANCE discrepancy 1): df1 with 1.96, the
// wide-CI example with 1.959964. With those z values e ± z·SE reproduces every printed digit (1e-7),
// which checks the standard error itself.
const FOUR_DP = 5e-5;
const PRINTED = 1e-7;
const PUBLISHED_Z: Record<string, number> = { df1: 1.96, widecis: 1.959964 };

describe('calculateLifeExpectancy — PHEindicatormethods testLifeExpectancy.R', () => {
  for (const [name, rows] of expected) {
    test(name, () => {
      const result = calculateLifeExpectancy(inputs.get(name) ?? []);
      assert.equal(result.rows.length, rows.length);
      rows.forEach((row, i) => {
        const got = result.rows[i];
        assert.ok(got);
        const age = Number(field(row, 'startage'));
        assert.equal(got.startAge, age);
        const value = num(row.value);
        const lower = num(row.lowercl);
        const upper = num(row.uppercl);
        if (value === null) assert.equal(got.value, null, `value at ${age}`);
        else
          assert.ok(
            Math.abs((got.value ?? Number.NaN) - value) <= PRINTED,
            `value at ${age}: ${got.value} vs ${value}`,
          );
        if (lower === null || upper === null) {
          assert.equal(got.lower, null);
          assert.equal(got.upper, null);
          assert.notEqual(result.suppression, null);
          return;
        }
        assert.ok(Math.abs((got.lower ?? Number.NaN) - lower) < FOUR_DP, `lower (4 dp) at ${age}`);
        assert.ok(Math.abs((got.upper ?? Number.NaN) - upper) < FOUR_DP, `upper (4 dp) at ${age}`);
        const se = got.standardError ?? Number.NaN;
        const centre = ((got.lower ?? 0) + (got.upper ?? 0)) / 2;
        const z = PUBLISHED_Z[field(row, 'dataset')] ?? Number.NaN;
        assert.ok(Math.abs(centre - z * se - lower) <= PRINTED, `lower (z = ${z}) at ${age}`);
        assert.ok(Math.abs(centre + z * se - upper) <= PRINTED, `upper (z = ${z}) at ${age}`);
        if (row.pops_used !== '') {
          assert.equal(got.populationUsed, num(row.pops_used));
          assert.equal(got.deathsUsed, num(row.dths_used));
        }
      });
    });
  }

  test('suppression reasons', () => {
    const reasons = Object.fromEntries(
      [...inputs].map(([name, bands]) => [name, calculateLifeExpectancy(bands).suppression]),
    );
    assert.deepEqual(reasons, {
      'df1|df1': null,
      'widecis|Area 1': 'deaths-exceed-population',
      'widecis|Area 2': null,
      'neg_deaths|neg_deaths': 'negative-deaths',
      'zero_pop|zero_pop': 'population-not-positive',
      'deaths_gt_pops|deaths_gt_pops': 'deaths-exceed-population',
      'missing_age|missing_age': 'wrong-age-bands',
      'low_pops|low_pops': 'total-population-too-small',
    });
  });

  test('LE at 0 and 65 for df1 (the headline figures)', () => {
    const rows = calculateLifeExpectancy(inputs.get('df1|df1') ?? []).rows;
    assert.equal(rows.find((r) => r.startAge === 0)?.value?.toFixed(4), '80.1696');
    assert.equal(rows.find((r) => r.startAge === 65)?.value?.toFixed(4), '18.7686');
  });

  test('99.8% limits are e ± qnorm(0.999)·SE of the same table (no published values)', () => {
    const at95 = calculateLifeExpectancy(inputs.get('df1|df1') ?? []).rows;
    const at998 = calculateLifeExpectancy(inputs.get('df1|df1') ?? [], { confidence: 0.998 }).rows;
    at998.forEach((row, i) => {
      const base = at95[i];
      assert.ok(base?.value != null && row.value != null);
      assert.equal(row.value, base.value);
      assert.ok(
        Math.abs((row.upper ?? 0) - (row.value + 3.090232306167813 * (base.standardError ?? 0))) < 1e-9,
      );
    });
  });
});
