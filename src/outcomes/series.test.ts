import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Disclosed } from '../access/disclosure.ts';
import { type Area, cellId } from '../profiles/profile-cells.ts';
import { profilePeriods } from '../profiles/profile-counts.store.ts';
import { catalogueSchema, type Indicator, outcomesCatalogue } from './catalogue.ts';
import { buildDashboard, buildSeries, type IndicatorSeries, periodLabel, quartersOf } from './series.ts';

const PERIODS = profilePeriods('2025-12-31');
const EAST: Area = {
  key: 'neighbourhood:east',
  kind: 'neighbourhood',
  code: 'east',
  name: 'East',
  parentKey: 'borough:bury',
  childKeys: [],
  lsoas: [],
};
const indicator = (id: string): Indicator => {
  const found = outcomesCatalogue().indicators.find((i) => i.id === id);
  if (!found) throw new Error(id);
  return found;
};
const shown = (n: number): Disclosed =>
  n >= 1 && n <= 7
    ? { shown: '*', value: null, isSuppressed: true }
    : { shown: String(n), value: n, isSuppressed: false };

describe('periods', () => {
  test('36 months ending with the reference month, and the calendar quarters inside them', () => {
    assert.equal(PERIODS.months.length, 36);
    assert.equal(PERIODS.months[0], '2023-01');
    assert.equal(PERIODS.months.at(-1), '2025-12');
    assert.equal(PERIODS.yearFrom, '2024-12-31');
    assert.equal(PERIODS.midYear, '2025-06-30');
    assert.equal(PERIODS.lifeFrom, '2022-12-31');
    assert.deepEqual(quartersOf(PERIODS.months).slice(0, 2), ['2023-01', '2023-04']);
    assert.equal(quartersOf(PERIODS.months).length, 12);
    assert.deepEqual(quartersOf(['2025-02', '2025-03', '2025-04', '2025-05', '2025-06']), ['2025-04']);
    assert.equal(periodLabel('quarter', '2025-10'), 'Oct–Dec 2025');
    assert.equal(periodLabel('month', '2025-02'), 'Feb 2025');
  });

  test('stratified inside a month: the profile describes the month end before, so a refresh on any day of a month counts the same periods', () => {
    for (const day of ['2025-06-01', '2025-06-15', '2025-06-29'])
      assert.deepEqual(profilePeriods(day), profilePeriods('2025-05-31'), day);
    const p = profilePeriods('2025-06-15');
    assert.equal(p.referenceDate, '2025-05-31');
    assert.equal(p.months.at(-1), '2025-05');
  });

  test('leap years: the year before 29 February 2028 starts after 28 February 2027, and before 28 February 2025 after 29 February 2024', () => {
    assert.equal(profilePeriods('2028-02-29').yearFrom, '2027-02-28');
    assert.equal(profilePeriods('2025-02-28').yearFrom, '2024-02-29');
    assert.equal(profilePeriods('2025-03-01').referenceDate, '2025-02-28');
    assert.deepEqual(profilePeriods('2025-02-28').months.slice(-12, -10), ['2024-03', '2024-04']);
  });
});

describe('series', () => {
  function counts(perMonth: (i: number) => Record<string, number>) {
    const c = new Map<string, number>();
    const disclosed = new Map<string, Disclosed>();
    PERIODS.months.forEach((m, i) => {
      for (const [measure, n] of Object.entries(perMonth(i))) {
        c.set(`m|${m}|${measure}`, n);
        disclosed.set(cellId(EAST.key, `m|${m}|${measure}`), shown(n));
      }
    });
    return { c, disclosed };
  }

  test('a rate per 1,000 residents each month, with its XmR chart; a hidden count leaves a gap', () => {
    const { c, disclosed } = counts((i) => ({ em: i === 5 ? 3 : 40 + (i % 3), pop: 40_000 }));
    const s = buildSeries({
      indicator: indicator('emergency-admissions'),
      area: EAST,
      period: 'month',
      counts: c,
      disclosed,
      periods: PERIODS,
    });
    assert.equal(s.points.length, 36);
    assert.equal(s.points[0]?.value, 1);
    assert.equal(s.points[5]?.value, null);
    assert.equal(s.points[5]?.count, '*');
    assert.equal(s.chart.points[5]?.value, null);
    assert.equal(s.chart.enoughPoints, true);
    assert.ok(s.chart.mean !== null && Math.abs(s.chart.mean - 1.025) < 0.01);
  });

  test('a ratio of two rates: Core20 areas against the rest', () => {
    const { c, disclosed } = counts(() => ({
      'em-core20': 30,
      'em-rest': 20,
      'pop-core20': 10_000,
      'pop-rest': 20_000,
    }));
    const s = buildSeries({
      indicator: indicator('emergency-admissions-core20-gap'),
      area: EAST,
      period: 'quarter',
      counts: c,
      disclosed,
      periods: PERIODS,
    });
    // Quarters are built from months by the refresh; here the months alone give no quarter counts.
    assert.equal(s.points.length, 12);
    const m = buildSeries({
      indicator: indicator('emergency-admissions-core20-gap'),
      area: EAST,
      period: 'month',
      counts: c,
      disclosed,
      periods: PERIODS,
    });
    assert.equal(m.points[0]?.value, 3, '(30 / 10,000) ÷ (20 / 20,000)');
  });

  test('the dashboard puts concern first, then improvement, then common cause, then too few points', () => {
    const row = (id: string, variation: IndicatorSeries['chart']['variation']) =>
      ({
        indicator: { ...indicator('emergency-admissions'), id, name: id },
        area: { kind: 'neighbourhood', code: 'east', name: 'East' },
        period: 'month',
        points: [],
        chart: { variation, assurance: 'none', mean: null },
      }) as unknown as IndicatorSeries;
    const order = buildDashboard([
      row('a', 'common-cause'),
      row('b', 'none'),
      row('c', 'improvement-low'),
      row('d', 'concern-high'),
    ]).map((r) => r.indicator.id);
    assert.deepEqual(order, ['d', 'c', 'a', 'b']);
  });
});

describe('the catalogue', () => {
  test('covers the desired outcomes, each indicator complete', () => {
    const c = outcomesCatalogue();
    const outcomes = c.indicators.map((i) => i.outcome.toLowerCase()).join(' | ');
    for (const words of [
      'emergency department',
      'hospital admissions',
      'readmitted',
      'care homes',
      'inequalities',
      'away from home',
    ])
      assert.ok(outcomes.includes(words), `an indicator for "${words}"`);
  });

  test('a bad entry is refused, naming the field', () => {
    const c = structuredClone(outcomesCatalogue());
    const first = c.indicators[0];
    if (!first) throw new Error('empty');
    const twice = { ...c, indicators: [first, first] };
    const r = catalogueSchema.safeParse(twice);
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues[0]?.path, ['indicators', 1, 'id']);
    const badRatio = catalogueSchema.safeParse({
      ...c,
      indicators: [{ ...first, numerator: { ...first.numerator, per: 'pop' } }],
    });
    assert.deepEqual(badRatio.error?.issues[0]?.path, ['indicators', 0, 'denominator', 'per']);
    const badMeasure = catalogueSchema.safeParse({
      ...c,
      indicators: [{ ...first, numerator: { ...first.numerator, measure: 'beds' } }],
    });
    assert.deepEqual(badMeasure.error?.issues[0]?.path, ['indicators', 0, 'numerator', 'measure']);
  });
});
