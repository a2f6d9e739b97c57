import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calculateDsr, calculateDsrNonIndependent, ESP2013, type NonIndependentDsrBand } from './dsr.ts';
import { assertClose, field, num, type Row, readCsv } from './testdata/fixtures.ts';

function groupBy(rows: Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

describe('ESP2013', () => {
  test('matches esp2013.csv band by band and sums to 100,000', () => {
    const rows = readCsv('esp2013.csv');
    assert.equal(ESP2013.length, 19);
    rows.forEach((row, i) => {
      assert.deepEqual(ESP2013[i], {
        ageBand: field(row, 'ageband'),
        startAge: Number(field(row, 'start_age')),
        endAge: num(row.end_age),
        weight: Number(field(row, 'esp2013')),
      });
    });
    assert.equal(
      ESP2013.reduce((total, band) => total + band.weight, 0),
      100_000,
    );
  });
});

describe('calculateDsr — PHEindicatormethods testdata_DSR_ISR (Dobson)', () => {
  const inputs = groupBy(readCsv('dsr_input.csv'), (row) => field(row, 'area'));
  for (const row of readCsv('dsr_expected.csv')) {
    const area = field(row, 'area');
    const confidence = Number(field(row, 'confidence'));
    const multiplier = Number(field(row, 'multiplier'));
    test(`${area} per ${multiplier} at ${confidence}%`, () => {
      const bands = inputs.get(area) ?? [];
      const isEsp1976 = field(row, 'dataset') === '1976';
      const result = calculateDsr(
        bands.map((band) => ({ count: num(band.count), population: Number(field(band, 'pop')) })),
        {
          confidence,
          multiplier,
          // ESP2013 by default; the 1976 example supplies its own 18-band standard as a column.
          ...(isEsp1976 ? { standard: bands.map((band) => Number(field(band, 'stdpop'))) } : {}),
        },
      );
      assert.equal(result.totalCount, Number(field(row, 'total_count')));
      assert.equal(result.totalPopulation, Number(field(row, 'total_pop')));
      assertClose(result.value, num(row.value), 1e-9, 'value');
      if (row.note !== '') {
        // PROVENANCE discrepancy 2: the sheet's ESP1976 99.8% limits carry an extra factor of 10.
        assertClose(result.lower === null ? null : result.lower * 10, num(row.lowercl), 1e-9, 'lower ×10');
        assertClose(result.upper === null ? null : result.upper * 10, num(row.uppercl), 1e-9, 'upper ×10');
        return;
      }
      assertClose(result.lower, num(row.lowercl), 1e-9, 'lower');
      assertClose(result.upper, num(row.uppercl), 1e-9, 'upper');
    });
  }

  test('rejects a band count that does not match the standard, and a zero population', () => {
    assert.throws(() => calculateDsr([{ count: 1, population: 10 }]), { name: 'AppError' });
    const bands = ESP2013.map(() => ({ count: 5, population: 100 }));
    assert.throws(() => calculateDsr(bands.map((b, i) => (i === 3 ? { ...b, population: 0 } : b))), {
      name: 'AppError',
    });
  });
});

describe('calculateDsrNonIndependent — PHEindicatormethods testdata_nonindependent', () => {
  const inputs = groupBy(readCsv('dsr_nonindependent_input.csv'), (row) => field(row, 'area'));
  for (const row of readCsv('dsr_nonindependent_expected.csv')) {
    const area = field(row, 'area');
    const confidence = Number(field(row, 'confidence'));
    test(`${area} at ${confidence}%`, () => {
      const byBand = groupBy(inputs.get(area) ?? [], (band) => field(band, 'ageband'));
      const bands: NonIndependentDsrBand[] = [...byBand.values()].map((rows) => {
        const first = rows[0];
        assert.ok(first);
        return {
          events: num(first.count_all_events),
          population: Number(field(first, 'pop')),
          personsByFrequency: rows.map((r) => ({
            frequency: Number(field(r, 'freq')),
            persons: num(r.persons),
          })),
        };
      });
      const result = calculateDsrNonIndependent(bands, {
        confidence,
        multiplier: Number(field(row, 'multiplier')),
      });
      assert.equal(result.totalCount, Number(field(row, 'total_count')));
      // The sheet stores 8 decimal places.
      for (const [got, expected, label] of [
        [result.value, num(row.value), 'value'],
        [result.lower, num(row.lowercl), 'lower'],
        [result.upper, num(row.uppercl), 'upper'],
      ] as const) {
        if (expected === null || got === null) assert.equal(got, expected, label);
        else assert.ok(Math.abs(got - expected) <= 1e-8, `${label}: ${got} vs ${expected}`);
      }
    });
  }
});
