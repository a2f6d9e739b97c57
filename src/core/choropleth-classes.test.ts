import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  choroplethColours,
  classOf,
  MAX_CLASSES,
  MIN_CLASSES,
  quantileClasses,
  quantileName,
  roundestBetween,
} from './choropleth-classes.ts';

const labels = (values: number[], k = 5) => quantileClasses(values, k).classes.map((c) => c.label);
const sizes = (values: number[], k = 5) => quantileClasses(values, k).classes.map((c) => c.size);

describe('quantile classes for a choropleth', () => {
  // Seventeen wards (Bury has seventeen): cuts at ranks 3, 7, 10 and 14 (17 × i / 5, rounded), each at
  // the roundest number between the values either side.
  const wards = [
    1380.2, 512.4, 540.1, 598.7, 611.2, 650.3, 655.9, 700, 720.5, 731.2, 760, 802.3, 845.6, 900.1, 950,
    1020.7, 1100.2,
  ];

  test('a worked example: seventeen values in fifths', () => {
    const { classes, breaks, requested } = quantileClasses(wards);
    assert.equal(requested, 5);
    assert.deepEqual(
      breaks.map((b) => b.value),
      [600, 720, 800, 1000],
    );
    assert.deepEqual(
      classes.map((c) => c.size),
      [3, 4, 3, 4, 3],
    );
    assert.deepEqual(
      classes.map((c) => c.label),
      ['under 600', '600 to under 720', '720 to under 800', '800 to under 1,000', '1,000 or more'],
    );
    assert.deepEqual(
      classes.map((c) => [c.lower, c.upper]),
      [
        [null, 600],
        [600, 720],
        [720, 800],
        [800, 1000],
        [1000, null],
      ],
    );
    assert.deepEqual(
      classes.map((c) => c.colour),
      choroplethColours(5),
    );
    assert.equal(classOf(598.7, breaks), 1);
    assert.equal(classOf(600, breaks), 2);
    assert.equal(classOf(1380.2, breaks), 5);
  });

  test('other counts of groups: quartiles of the same values', () => {
    // Cuts at ranks 4, 9 and 13 (17 × 1/4 = 4.25, 8.5 and 12.75, rounded half up).
    assert.deepEqual(sizes(wards, 4), [4, 5, 4, 4]);
    assert.deepEqual(labels(wards, 4), ['under 650', '650 to under 750', '750 to under 950', '950 or more']);
  });

  test('equal values share a group, so many zeros give fewer groups', () => {
    const values = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const { classes } = quantileClasses(values);
    assert.deepEqual(
      classes.map((c) => c.label),
      ['under 1', '1 to under 3', '3 to under 7', '7 or more'],
    );
    assert.deepEqual(
      classes.map((c) => c.size),
      [8, 2, 4, 3],
    );
    assert.deepEqual(
      classes.map((c) => c.colour),
      choroplethColours(4),
    );
  });

  test('a tie across a cut moves the cut to the nearer end of the run; on a tie, past its end', () => {
    // Ten values in fifths: the first cut is at rank 2.
    // The run of 5s at ranks 1 to 3: its start (rank 1) is nearer than its end (rank 4).
    assert.deepEqual(sizes([1, 5, 5, 5, 9, 10, 11, 12, 13, 14]), [1, 3, 2, 2, 2]);
    // The run at ranks 0 to 2 has no start to cut at: its end (rank 3).
    assert.deepEqual(sizes([5, 5, 5, 8, 9, 10, 11, 12, 13, 14]), [3, 1, 2, 2, 2]);
    // The run at ranks 1 to 2: start and end equally near, so past its end.
    assert.deepEqual(sizes([1, 5, 5, 8, 9, 10, 11, 12, 13, 14]), [3, 1, 2, 2, 2]);
  });

  test('one value, or all the same: one group named by the value', () => {
    const { classes, breaks } = quantileClasses([42.5, 42.5, 42.5]);
    assert.deepEqual(breaks, []);
    assert.equal(classes.length, 1);
    assert.equal(classes[0]?.label, '42.5');
    assert.equal(classes[0]?.size, 3);
    assert.deepEqual([classes[0]?.lower, classes[0]?.upper], [null, null]);
    assert.equal(classes[0]?.colour, choroplethColours(1)[0]);
  });

  test('fewer values than groups: as many groups as distinct values', () => {
    assert.deepEqual(labels([1, 2]), ['under 2', '2 or more']);
    assert.deepEqual(sizes([3, 1, 2]), [1, 1, 1]);
  });

  test('no values: no groups', () => {
    assert.deepEqual(quantileClasses([]).classes, []);
  });

  test('decimal cuts are the decimals a reader sees: 0.3 is in "0.3 or more"', () => {
    const { breaks, classes } = quantileClasses([0.1, 0.2, 0.3, 0.4], 2);
    assert.equal(breaks[0]?.value, 0.3);
    assert.deepEqual(
      classes.map((c) => c.label),
      ['under 0.3', '0.3 or more'],
    );
    assert.equal(classOf(0.3, breaks), 2);
    assert.equal(classOf(0.1 + 0.2, breaks), 2);
    assert.equal(classOf(0.29999, breaks), 1);
  });

  test('limits share their decimal places across the legend', () => {
    assert.deepEqual(labels([1.21, 1.24, 1.31, 2.05], 4), [
      'under 1.22',
      '1.22 to under 1.30',
      '1.30 to under 2.00',
      '2.00 or more',
    ]);
  });

  test('negative values and large ones with thousands separators', () => {
    assert.deepEqual(labels([-12, -3, 4, 10], 2), ['under 0', '0 or more']);
    assert.deepEqual(labels([12_000, 14_500, 98_000, 101_000], 2), ['under 50,000', '50,000 or more']);
  });

  test('the roundest number between two values', () => {
    const cases: [number, number, number, number][] = [
      // below, at least, cut, decimals
      [598.7, 611.2, 600, 0],
      [700, 720.5, 720, 0],
      [950, 1020.7, 1000, 0],
      [99, 100, 100, 0],
      [100, 101, 101, 0],
      [612, 699, 650, 0],
      [0.2, 0.3, 0.3, 1],
      [1234.5, 1234.56, 1234.55, 2],
      [-0.07, -0.03, -0.05, 2],
      [-3, 4, 0, 0],
      [0, 0.004, 0.002, 3],
    ];
    for (const [below, atLeast, value, decimals] of cases)
      assert.deepEqual(roundestBetween(below, atLeast), { value, decimals }, `${below} to ${atLeast}`);
    assert.throws(() => roundestBetween(2, 2), RangeError);
  });

  test('refuses a count of groups it has no colours for, and values that are not numbers', () => {
    assert.throws(() => quantileClasses([1, 2, 3], 1), RangeError);
    assert.throws(() => quantileClasses([1, 2, 3], 8), RangeError);
    assert.throws(() => quantileClasses([1, 2, 3], 2.5), RangeError);
    assert.throws(() => quantileClasses([1, Number.NaN, 3]), RangeError);
    assert.throws(() => quantileClasses([1, Number.POSITIVE_INFINITY]), RangeError);
  });

  test('names the groups in plain words', () => {
    assert.equal(quantileName(5), 'fifths (quintiles)');
    assert.equal(quantileName(4), 'quarters (quartiles)');
  });

  test('properties: every value in one group, in order, groups never empty, cuts between the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: MIN_CLASSES, max: MAX_CLASSES }),
        (values, k) => {
          const { classes, breaks } = quantileClasses(values, k);
          const sorted = [...values].sort((a, b) => a - b);
          const distinct = new Set(sorted.map((v) => (v === 0 ? 0 : v))).size;
          assert.ok(classes.length <= Math.min(k, distinct));
          assert.equal(breaks.length, Math.max(0, classes.length - 1));
          assert.equal(
            classes.reduce((t, c) => t + c.size, 0),
            values.length,
          );
          for (const c of classes) assert.ok(c.size > 0);
          for (let i = 1; i < sorted.length; i++)
            assert.ok(classOf(sorted[i - 1] as number, breaks) <= classOf(sorted[i] as number, breaks));
          for (const b of breaks) {
            assert.ok(sorted.some((v) => v < b.value));
            assert.ok(sorted.some((v) => v >= b.value));
          }
        },
      ),
    );
  });

  test('properties: distinct values make groups whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 7, maxLength: 80 }),
        fc.integer({ min: MIN_CLASSES, max: MAX_CLASSES }),
        (ints, k) => {
          const values = ints.map((i) => i / 100);
          const got = sizes(values, k);
          assert.equal(got.length, k);
          for (const s of got)
            assert.ok(s === Math.floor(values.length / k) || s === Math.ceil(values.length / k));
        },
      ),
    );
  });
});

describe('choropleth colours', () => {
  // WCAG 2.2 relative luminance and contrast, and CIELAB lightness (D65).
  const channel = (hex: string, i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (hex: string) =>
    0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
  const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);
  const lightness = (hex: string) => {
    const y = luminance(hex);
    return 116 * (y > 216 / 24389 ? Math.cbrt(y) : ((24389 / 27) * y) / 116 + 16 / 116) - 16;
  };

  for (let count = MIN_CLASSES; count <= MAX_CLASSES; count++) {
    test(`${count} groups: light to dark, neighbours apart, the darker steps 3:1 against white`, () => {
      const colours = choroplethColours(count);
      assert.equal(colours.length, count);
      for (const c of colours) assert.match(c, /^#[0-9a-f]{6}$/);
      const ls = colours.map(lightness);
      for (let i = 1; i < count; i++)
        assert.ok(
          (ls[i - 1] as number) - (ls[i] as number) >= 10,
          `steps ${i} and ${i + 1} differ by ${((ls[i - 1] as number) - (ls[i] as number)).toFixed(1)} L*`,
        );
      // The darkest step always, and the darker half of the steps (rounded down), meet 3:1.
      const darker = colours.slice(count - Math.max(1, Math.floor(count / 2)));
      for (const c of darker)
        assert.ok(contrastWithWhite(c) >= 3, `${c} has ${contrastWithWhite(c).toFixed(2)}:1`);
      // The lightest is still a tint, not the white of the background.
      assert.ok(contrastWithWhite(colours[0] as string) >= 1.2);
    });
  }

  test('one group: a middle blue that meets 3:1', () => {
    const [only] = choroplethColours(1);
    assert.ok(only && contrastWithWhite(only) >= 3);
  });
});
