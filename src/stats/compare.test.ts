import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPARISON_LABELS, compareWithComparator } from './compare.ts';
import { calculateCrudeRate } from './rate.ts';

describe('compareWithComparator (Fingertips: area CI against the comparator value)', () => {
  const interval = { lower: 10, upper: 20 };

  test('comparator inside the interval, limits included, is similar whatever the polarity', () => {
    for (const polarity of ['higher-is-better', 'lower-is-better', 'not-applicable'] as const) {
      assert.equal(compareWithComparator(interval, 15, polarity), 'similar');
      assert.equal(compareWithComparator(interval, 10, polarity), 'similar');
      assert.equal(compareWithComparator(interval, 20, polarity), 'similar');
    }
  });

  test('interval wholly above the comparator', () => {
    assert.equal(compareWithComparator(interval, 9.99, 'higher-is-better'), 'better');
    assert.equal(compareWithComparator(interval, 9.99, 'lower-is-better'), 'worse');
    assert.equal(compareWithComparator(interval, 9.99, 'not-applicable'), 'higher');
  });

  test('interval wholly below the comparator', () => {
    assert.equal(compareWithComparator(interval, 20.01, 'higher-is-better'), 'worse');
    assert.equal(compareWithComparator(interval, 20.01, 'lower-is-better'), 'better');
    assert.equal(compareWithComparator(interval, 20.01, 'not-applicable'), 'lower');
  });

  test('missing limits or comparator are not compared', () => {
    assert.equal(compareWithComparator({ lower: null, upper: 5 }, 3, 'lower-is-better'), 'not-compared');
    assert.equal(compareWithComparator(interval, null, 'lower-is-better'), 'not-compared');
  });

  test('a worked example: 222 deaths in 3,215 against a borough rate of 5,000 per 100,000', () => {
    // testdata_Rate Area7: 6,905 (95% 6,027 to 7,876) per 100,000.
    const area = calculateCrudeRate(222, 3215);
    assert.equal(compareWithComparator(area, 5000, 'lower-is-better'), 'worse');
    assert.equal(COMPARISON_LABELS[compareWithComparator(area, 6500, 'lower-is-better')], 'Similar');
  });
});
