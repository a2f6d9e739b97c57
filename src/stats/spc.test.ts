import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ASSURANCE_LABELS,
  assuranceFor,
  describeRule,
  POINT_TYPE_LABELS,
  partOfPattern,
  partOfTwoInThree,
  pointTypeFor,
  rulesByPoint,
  type SpcAssurance,
  type SpcChart,
  type SpcOptions,
  type SpcPointType,
  type SpcPolarity,
  type SpcRule,
  type SpcVariation,
  shiftEnds,
  trendEnds,
  trendMembership,
  twoInThreeWindows,
  VARIATION_LABELS,
  xmrChart,
} from './spc.ts';
import { readJson } from './testdata/fixtures.ts';

// ---- The fixtures' vocabulary (the package's words) and ours ----------------------------------------

type Direction = 'increase' | 'decrease' | 'neutral';
interface FixtureOptions {
  screenOutliers?: boolean;
  target?: number;
  improvementDirection?: Direction;
  fixAfterNPoints?: number;
}
/** A number as printed upstream: to `sig` significant digits or `dp` decimal places. */
interface Printed {
  value: number;
  sig?: number;
  dp?: number;
}
interface XmrCase {
  id: string;
  values: number[];
  options: FixtureOptions;
  expected: {
    mean?: Printed;
    lpl?: Printed;
    upl?: Printed;
    relative_to_mean_prefix?: number[];
    outside_limits_prefix?: boolean[];
    close_to_limits_prefix?: boolean[];
    n?: number;
    common_cause?: number;
    special_cause_improvement?: number;
    point_types?: string[];
    tail_point_types?: string[];
  };
}
interface IconCase {
  id: string;
  values: number[];
  options: FixtureOptions;
  expected: { variation: string; assurance: 'pass' | 'fail' | 'inconsistent' | null };
}
interface VariantCase {
  id: string;
  values: number[];
  options: FixtureOptions;
  expected_last_point?: Record<string, string>;
  expected_last_label?: Record<string, string>;
  expected_point_13?: Record<string, string>;
}

const xmr = readJson('spc/xmr_cases.json') as { cases: XmrCase[]; icons: IconCase[] };
const unit = readJson('spc/rules_unit.json') as {
  run_flags: { relative_to_mean: number[]; expected: number[] }[];
  spread_back: { flags: number[]; expected: number[] }[];
  trend_flags: { values: number[]; expected: number[] }[];
  two_in_three_windows: { close: number[]; relative_to_mean: number[]; expected: number[] }[];
  part_of_two_in_three: { close: number[]; relative_to_mean: number[]; expected: number[] }[];
  label_precedence: {
    values: number[];
    relative_to_mean: number[];
    outside_limits: number[];
    part_trend: number[];
    part_two_in_three: number[];
    part_run: number[];
    expected: string[];
  }[];
  assurance: {
    improvement_direction: Direction;
    lpl: number;
    upl: number;
    target: number;
    expected: string | null;
  }[];
  assurance_uses_last_group: {
    rows: [number, number][];
    target: number;
    improvement_direction: Direction;
    expected: string;
  }[];
};
const variants = readJson('spc/mdc_variants.json') as { cases: VariantCase[] };

const POLARITY: Record<Direction, SpcPolarity> = {
  increase: 'higher-is-better',
  decrease: 'lower-is-better',
  neutral: 'neither',
};

/** The package: screening on, only 2σ–3σ points count towards two-in-three, precedence decides. */
const PACKAGE_RULES = { twoInThreeCountsOutsideLimits: false, conflictResolution: 'precedence' } as const;

function toOptions(fixture: FixtureOptions, extra: Partial<SpcOptions> = {}): SpcOptions {
  return {
    polarity: POLARITY[fixture.improvementDirection ?? 'increase'],
    ...(fixture.screenOutliers === undefined ? {} : { screenOutliers: fixture.screenOutliers }),
    ...(fixture.target === undefined ? {} : { target: fixture.target }),
    ...(fixture.fixAfterNPoints === undefined ? {} : { baselinePoints: fixture.fixAfterNPoints }),
    ...extra,
  };
}

const POINT_TYPE: Record<string, SpcPointType> = {
  common_cause: 'common-cause',
  special_cause_improvement: 'special-cause-improvement',
  special_cause_concern: 'special-cause-concern',
};

const VARIATION: Record<string, SpcVariation> = {
  common_cause: 'common-cause',
  improvement_high: 'improvement-high',
  improvement_low: 'improvement-low',
  concern_high: 'concern-high',
  concern_low: 'concern-low',
  neutral_high: 'neither-high',
  neutral_low: 'neither-low',
};

const ASSURANCE: Record<string, SpcAssurance> = {
  pass: 'consistently-passes',
  consistent_pass: 'consistently-passes',
  fail: 'consistently-fails',
  consistent_fail: 'consistently-fails',
  inconsistent: 'inconsistent',
};
const assuranceOf = (name: string | null): SpcAssurance =>
  name === null ? 'none' : (ASSURANCE[name] ?? 'none');

/** The package's label for the rule that decides a point (`ptd_special_cause_type`). */
function packageLabel(rule: SpcRule | null): string {
  if (rule === null) return 'Common Cause';
  const high = rule.direction === 'high';
  switch (rule.name) {
    case 'outside-limits':
      return high ? 'Above UCL' : 'Below LCL';
    case 'trend':
      return `7 Point Trend (${high ? 'Increasing' : 'Decreasing'})`;
    case 'two-in-three':
      return `2 in 3 ${high ? 'Above' : 'Below'} CL`;
    case 'shift':
      return `7 Points ${high ? 'Above' : 'Below'} CL`;
  }
}

function assertPrinted(actual: number | null, expected: Printed | undefined, label: string): void {
  if (expected === undefined) return;
  assert.ok(actual !== null, `${label}: got null`);
  const shown =
    expected.sig !== undefined
      ? Number(actual.toPrecision(expected.sig))
      : Number(actual.toFixed(expected.dp));
  assert.equal(shown, expected.value, `${label}: ${actual} prints as ${shown}, published ${expected.value}`);
}

const typesOf = (chart: SpcChart) => chart.points.map((p) => p.pointType);

// ---- End-to-end: limits and point types -------------------------------------------------------------

describe('xmrChart — NHSRplotthedots snapshots, summaries and vignette', () => {
  for (const c of xmr.cases) {
    // The package draws trial limits from any number of points; our default (13) would give none for
    // the 10-point facets, so those ask for the package's behaviour.
    const trial = c.values.length < 13 ? { minimumPoints: 2 } : {};
    for (const rules of ['package', 'default'] as const) {
      test(`${c.id} (${rules} rules)`, () => {
        const extra = rules === 'package' ? { ...PACKAGE_RULES, ...trial } : trial;
        const chart = xmrChart(c.values, toOptions(c.options, extra));
        const e = c.expected;
        assert.equal(chart.enoughPoints, true);
        assertPrinted(chart.mean, e.mean, 'mean');
        assertPrinted(chart.lowerProcessLimit, e.lpl, 'lower process limit');
        assertPrinted(chart.upperProcessLimit, e.upl, 'upper process limit');
        if (e.relative_to_mean_prefix) {
          const got = chart.points.slice(0, e.relative_to_mean_prefix.length).map((p) => p.relativeToMean);
          assert.deepEqual(got, e.relative_to_mean_prefix);
        }
        if (e.outside_limits_prefix) {
          const got = chart.points.slice(0, e.outside_limits_prefix.length).map((p) => p.isOutsideLimits);
          assert.deepEqual(got, e.outside_limits_prefix);
        }
        if (e.close_to_limits_prefix) {
          const got = chart.points.slice(0, e.close_to_limits_prefix.length).map((p) => p.isCloseToLimits);
          assert.deepEqual(got, e.close_to_limits_prefix);
        }
        if (e.n !== undefined) assert.equal(chart.observedPoints, e.n);
        const count = (type: SpcPointType) => typesOf(chart).filter((t) => t === type).length;
        if (e.common_cause !== undefined) assert.equal(count('common-cause'), e.common_cause);
        if (e.special_cause_improvement !== undefined) {
          assert.equal(count('special-cause-improvement'), e.special_cause_improvement);
        }
        if (e.point_types)
          assert.deepEqual(
            typesOf(chart),
            e.point_types.map((t) => POINT_TYPE[t]),
          );
        if (e.tail_point_types) {
          const tail = typesOf(chart).slice(-e.tail_point_types.length);
          assert.deepEqual(
            tail,
            e.tail_point_types.map((t) => POINT_TYPE[t]),
          );
        }
      });
    }
  }

  test('screening changes only the moving range: r2 and r3 share the mean, r2 has narrower limits', () => {
    const [, r2, r3] = xmr.cases;
    assert.ok(r2 && r3);
    const screened = xmrChart(r2.values, { polarity: 'higher-is-better' });
    const unscreened = xmrChart(r3.values, { polarity: 'higher-is-better', screenOutliers: false });
    assert.equal(screened.mean, unscreened.mean);
    assert.ok((screened.averageMovingRange ?? 0) < (unscreened.averageMovingRange ?? 0));
    assert.equal(screened.sigma, ((screened.averageMovingRange ?? 0) * 2.66) / 3);
  });
});

describe('xmrChart — variation and assurance icons (test-geom_ptd_icon.R)', () => {
  for (const c of xmr.icons) {
    test(c.id, () => {
      const trial = c.values.length < 13 ? { minimumPoints: 2 } : {};
      for (const extra of [{ ...PACKAGE_RULES, ...trial }, trial]) {
        const chart = xmrChart(c.values, toOptions(c.options, extra));
        assert.equal(chart.variation, VARIATION[c.expected.variation]);
        assert.equal(chart.assurance, assuranceOf(c.expected.assurance));
      }
    });
  }
});

// ---- The rules' building blocks (test-ptd_calculate_point_type.R) -----------------------------------

describe('rules — the package unit tests', () => {
  test('seven points on one side of the mean', () => {
    for (const c of unit.run_flags) assert.deepEqual(shiftEnds(c.relative_to_mean), c.expected);
  });

  test('a flagged seventh point marks the six before it too', () => {
    for (const c of unit.spread_back) assert.deepEqual(partOfPattern(c.flags), c.expected);
  });

  test('seven points rising or falling; a tie breaks the trend', () => {
    for (const c of unit.trend_flags) assert.deepEqual(trendEnds(c.values), c.expected);
  });

  test('two in three: windows on one side of the mean (issue #143)', () => {
    for (const c of unit.two_in_three_windows) {
      assert.deepEqual(twoInThreeWindows(c.close, c.relative_to_mean), c.expected, JSON.stringify(c));
    }
  });

  test('two in three: only the close points of a window are flagged', () => {
    for (const c of unit.part_of_two_in_three) {
      const windows = twoInThreeWindows(c.close, c.relative_to_mean);
      assert.deepEqual(partOfTwoInThree(windows, c.close), c.expected, JSON.stringify(c));
    }
  });

  test('a peak shared by a rising and a falling trend belongs to the later one, as in the package', () => {
    const peak = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1];
    assert.deepEqual(trendMembership(peak), [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1]);
  });

  test('a tie between two trends: each point keeps its own trend (the package would call the 7 falling)', () => {
    const plateau = [1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1];
    assert.deepEqual(trendMembership(plateau), [1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1]);
  });

  test('label precedence: outside limits > trend > two in three > shift', () => {
    for (const c of unit.label_precedence) {
      // The package reads a trend's direction from the neighbouring difference (towards the next point
      // when that is in a trend too); the fixture's trend flags are mocked, so read them the same way.
      const trend = c.part_trend.map((flag, i) => {
        if (flag === 0) return 0;
        const next = (c.part_trend[i + 1] ?? 0) !== 0;
        const step = next
          ? (c.values[i + 1] ?? 0) - (c.values[i] ?? 0)
          : (c.values[i] ?? 0) - (c.values[i - 1] ?? 0);
        return Math.sign(step);
      });
      const rules = rulesByPoint({
        relativeToMean: c.relative_to_mean,
        outsideLimits: c.outside_limits,
        trend,
        twoInThree: c.part_two_in_three,
        shift: c.part_run,
      });
      const labels = rules.map((r) => packageLabel(pointTypeFor(r, 'higher-is-better').specialCause));
      assert.deepEqual(labels, c.expected);
    }
  });
});

describe('assurance (test-ptd_calculate_assurance_type.R)', () => {
  for (const c of unit.assurance) {
    test(`${c.improvement_direction}: limits ${c.lpl}–${c.upl}, target ${c.target}`, () => {
      const got = assuranceFor({ lower: c.lpl, upper: c.upl }, c.target, POLARITY[c.improvement_direction]);
      assert.equal(got, assuranceOf(c.expected));
    });
  }

  test('the last group of limits decides', () => {
    for (const c of unit.assurance_uses_last_group) {
      const [lower = null, upper = null] = c.rows.at(-1) ?? [];
      assert.equal(
        assuranceFor({ lower, upper }, c.target, POLARITY[c.improvement_direction]),
        ASSURANCE[c.expected],
      );
    }
  });

  test('a target on a limit is hit and miss; no target or no direction gives none', () => {
    assert.equal(assuranceFor({ lower: 1, upper: 3 }, 3, 'higher-is-better'), 'inconsistent');
    assert.equal(assuranceFor({ lower: 1, upper: 3 }, 1, 'lower-is-better'), 'inconsistent');
    assert.equal(assuranceFor({ lower: 1, upper: 3 }, null, 'higher-is-better'), 'none');
    assert.equal(assuranceFor({ lower: null, upper: null }, 2, 'higher-is-better'), 'none');
  });
});

// ---- MDC variants (constructed; issues #153, #194, #202) --------------------------------------------

describe('rule variants — mdc_variants.json', () => {
  const byId = (id: string): VariantCase => {
    const c = variants.cases.find((v) => v.id === id);
    assert.ok(c, id);
    return c;
  };
  const last = (chart: SpcChart) => chart.points.at(-1);

  for (const id of ['issue153_outside_outside_close', 'issue153_outside_close_close']) {
    test(`${id}: package rule and the MDC rule since November 2023`, () => {
      const c = byId(id);
      const settings = { package: false, mdc2023: true } as const;
      for (const [name, countsOutside] of Object.entries(settings)) {
        const chart = xmrChart(
          c.values,
          toOptions(c.options, { twoInThreeCountsOutsideLimits: countsOutside }),
        );
        assert.equal(last(chart)?.pointType, POINT_TYPE[c.expected_last_point?.[name] ?? ''], name);
        assert.equal(packageLabel(last(chart)?.specialCause ?? null), c.expected_last_label?.[name], name);
      }
      // The default is the MDC rule.
      assert.deepEqual(
        xmrChart(c.values, toOptions(c.options)).points.at(-1)?.pointType,
        POINT_TYPE[c.expected_last_point?.mdc2023 ?? ''],
      );
    });
  }

  for (const [id, key] of [
    ['run_of_6', 'run'],
    ['run_of_7', 'run'],
    ['trend_of_6', 'trend'],
  ] as const) {
    test(`${id}: 7 (default) and 6 points`, () => {
      const c = byId(id);
      for (const runLength of [7, 6] as const) {
        const chart = xmrChart(c.values, toOptions(c.options, { runLength }));
        assert.equal(last(chart)?.pointType, POINT_TYPE[c.expected_last_point?.[`${key}${runLength}`] ?? '']);
      }
      const byDefault = xmrChart(c.values, toOptions(c.options));
      assert.equal(last(byDefault)?.pointType, POINT_TYPE[c.expected_last_point?.[`${key}7`] ?? '']);
    });
  }

  test('conflict: below the lower limit at the start of a rising trend', () => {
    const c = byId('conflict_below_lcl_starting_up_trend');
    for (const conflictResolution of ['precedence', 'improvement'] as const) {
      const chart = xmrChart(c.values, toOptions(c.options, { conflictResolution }));
      const point = chart.points[12];
      assert.equal(point?.pointType, POINT_TYPE[c.expected_point_13?.[conflictResolution] ?? '']);
      // It is also two in three and part of a shift below the mean; precedence puts the limit first.
      assert.deepEqual(point?.rules.slice(0, 2), [
        { name: 'outside-limits', direction: 'low' },
        { name: 'trend', direction: 'high' },
      ]);
    }
  });
});

// ---- Our own choices: minimum points, missing values, baseline, polarity, validation ---------------

describe('xmrChart — minimum points, missing values and options', () => {
  const series = [5, 7, 6, 8, 5, 6, 7, 6, 5, 8, 7, 6, 9, 6, 7];

  test('13 points by default (the MDC single-chart tool): 12 give a mean but no limits or icons', () => {
    const twelve = xmrChart(series.slice(0, 12), { polarity: 'higher-is-better', target: 6 });
    assert.equal(twelve.enoughPoints, false);
    assert.equal(twelve.mean, 76 / 12);
    assert.equal(twelve.lowerProcessLimit, null);
    assert.equal(twelve.upperProcessLimit, null);
    assert.equal(twelve.variation, 'none');
    assert.equal(twelve.assurance, 'none');
    assert.ok(twelve.points.every((p) => p.pointType === null && p.rules.length === 0));
    const thirteen = xmrChart(series.slice(0, 13), { polarity: 'higher-is-better', target: 6 });
    assert.equal(thirteen.enoughPoints, true);
    assert.equal(thirteen.variation, 'common-cause');
    assert.equal(thirteen.assurance, 'inconsistent');
  });

  test('missing values keep their place and are skipped: the same chart as without them', () => {
    const withGaps = [null, ...series.slice(0, 4), null, null, ...series.slice(4), null];
    const gapped = xmrChart(withGaps, { polarity: 'lower-is-better', target: 1 });
    const plain = xmrChart(series, { polarity: 'lower-is-better', target: 1 });
    assert.equal(gapped.points.length, withGaps.length);
    assert.equal(gapped.observedPoints, series.length);
    assert.equal(gapped.mean, plain.mean);
    assert.equal(gapped.upperProcessLimit, plain.upperProcessLimit);
    assert.equal(gapped.variation, plain.variation);
    assert.equal(gapped.assurance, 'consistently-fails');
    assert.deepEqual(
      gapped.points.filter((p) => p.value !== null),
      plain.points,
    );
    const gaps = gapped.points.filter((p) => p.value === null);
    assert.equal(gaps.length, 4);
    assert.ok(gaps.every((p) => p.pointType === null && p.movingRange === null));
    // The moving range after a gap is taken from the last value before it.
    assert.equal(gapped.points[7]?.movingRange, Math.abs(5 - 8));
  });

  test('a missing latest value: the icon comes from the latest value there is', () => {
    const rising = [...series, 10, 11, 12, 13, 14, 15, 16];
    const chart = xmrChart([...rising, null], { polarity: 'higher-is-better' });
    assert.equal(chart.variation, 'improvement-high');
    assert.equal(chart.points.at(-1)?.pointType, null);
  });

  test('a baseline fixes the mean and limits from its first values', () => {
    const chart = xmrChart([...series, 20, 21, 22], { polarity: 'higher-is-better', baselinePoints: 12 });
    assert.equal(chart.baselinePointsUsed, 12);
    assert.equal(chart.mean, 76 / 12);
    assert.equal(chart.points.at(-1)?.pointType, 'special-cause-improvement');
    assert.deepEqual(chart.points.at(-1)?.specialCause, { name: 'outside-limits', direction: 'high' });
  });

  test('polarity "neither": special cause without improvement or concern, and no assurance', () => {
    const chart = xmrChart([...series, 20], { polarity: 'neither', target: 6 });
    assert.equal(chart.points.at(-1)?.pointType, 'special-cause-neither');
    assert.equal(chart.variation, 'neither-high');
    assert.equal(chart.assurance, 'none');
  });

  test('a flat series has limits on the mean and no special cause', () => {
    const chart = xmrChart(new Array(15).fill(3), { polarity: 'higher-is-better' });
    assert.equal(chart.upperProcessLimit, 3);
    assert.equal(chart.lowerProcessLimit, 3);
    assert.equal(chart.variation, 'common-cause');
  });

  test('refuses bad options and values, naming the field', () => {
    const bad: [readonly (number | null)[], SpcOptions, string][] = [
      [series, { polarity: 'up' as SpcPolarity }, 'polarity'],
      [series, { polarity: 'neither', runLength: 5 as 6 }, 'runLength'],
      [series, { polarity: 'neither', minimumPoints: 1 }, 'minimumPoints'],
      [series, { polarity: 'neither', baselinePoints: 11 }, 'baselinePoints'],
      [series, { polarity: 'neither', target: Number.NaN }, 'target'],
      [[1, 2, Number.POSITIVE_INFINITY], { polarity: 'neither' }, 'values.2'],
    ];
    for (const [values, options, field] of bad) {
      assert.throws(
        () => xmrChart(values, options),
        (e: unknown) =>
          e instanceof Error && e.name === 'AppError' && JSON.stringify(e).includes(`"${field}"`),
        field,
      );
    }
  });

  test('every icon and point type has its plain-English label', () => {
    assert.equal(VARIATION_LABELS['improvement-high'], 'Special cause variation – improvement (higher)');
    assert.equal(VARIATION_LABELS['common-cause'], 'Common cause variation');
    assert.equal(ASSURANCE_LABELS['consistently-passes'], 'Consistently hit target');
    assert.equal(ASSURANCE_LABELS.inconsistent, 'Hit and miss target subject to random variation');
    assert.equal(ASSURANCE_LABELS['consistently-fails'], 'Consistently fail target');
    assert.equal(POINT_TYPE_LABELS['special-cause-concern'], 'Special cause variation – concern');
    assert.equal(
      describeRule({ name: 'shift', direction: 'low' }, 6),
      'part of 6 or more points in a row below the mean',
    );
  });
});
