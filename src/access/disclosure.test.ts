import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { poisson, randomStream } from '../synth/random.ts';
import {
  type Disclosed,
  discloseCount,
  discloseLinked,
  discloseTable,
  SUPPRESS_AT_MOST,
} from './disclosure.ts';
import { attack, recovered } from './disclosure-attack.test-helper.ts';

describe('small-number suppression', () => {
  it('hides 1 to 7, shows 0, and rounds the rest to the nearest 5 (halves up)', () => {
    assert.equal(discloseCount(0).shown, '0');
    for (const n of [1, 2, 7])
      assert.deepEqual(discloseCount(n), { shown: '*', value: null, isSuppressed: true });
    assert.equal(discloseCount(8).value, 10);
    assert.equal(discloseCount(12).value, 10);
    assert.equal(discloseCount(12.5 * 2).value, 25);
    assert.equal(discloseCount(13).value, 15);
    assert.equal(discloseCount(17).value, 15);
    assert.equal(discloseCount(18).value, 20);
    assert.equal(discloseCount(1234).shown, '1,235');
    assert.throws(() => discloseCount(-1));
    assert.throws(() => discloseCount(2.5));
  });

  it('every shown count is a multiple of 5 within 2 of the truth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 10_000_000 }), (n) => {
        const d = discloseCount(n);
        assert.ok(d.value !== null && d.value % 5 === 0 && Math.abs(d.value - n) <= 2);
      }),
    );
  });

  it('a hidden cell cannot be recovered from the published cells and totals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (cells) => {
          const t = discloseTable(cells);
          for (const [i, row] of cells.entries())
            for (const [j, c] of row.entries()) {
              if (c < 1 || c > 7) continue;
              assert.equal(t.rowTotals[i]?.isSuppressed, true, 'the row total over a hidden cell is hidden');
              assert.equal(t.columnTotals[j]?.isSuppressed, true, 'so is the column total');
              assert.equal(t.total.isSuppressed, true, 'and the grand total');
            }
        },
      ),
    );
    // The case the rule was changed for: with its total shown, "*", 10, 10 and 15 leave only 1.
    const t = discloseTable([[1, 8, 8]]);
    assert.deepEqual([t.rowTotals[0]?.shown, t.total.shown], ['*', '*']);
  });

  it('totals are rounded from the true totals, and hidden over a hidden cell', () => {
    const t = discloseTable([
      [8, 8, 3],
      [0, 12, 9],
    ]);
    assert.deepEqual(
      t.cells[0]?.map((c) => c.shown),
      ['10', '10', '*'],
    );
    assert.deepEqual(
      t.rowTotals.map((c) => c.shown),
      ['*', '20'],
    );
    assert.deepEqual(
      t.columnTotals.map((c) => c.shown),
      ['10', '20', '*'],
    );
    assert.equal(t.total.shown, '*');
    const whole = discloseTable([
      [8, 12],
      [30, 9],
    ]);
    assert.deepEqual(
      whole.rowTotals.map((c) => c.shown),
      ['20', '40'],
      'rounded from 20 and 39, not summed',
    );
    assert.equal(whole.total.shown, '60');
  });
});

// ─── Secondary suppression ──────────────────────────────────────────────────────────────────────────

type Sum = { total: string; parts: string[] };

/** What a reader knows: every shown count exactly (the rate beside it gives it away), "*" as null. */
function published(counts: ReadonlyMap<string, number>, shown: ReadonlyMap<string, Disclosed>) {
  return new Map([...counts].map(([id, n]) => [id, shown.get(id)?.isSuppressed ? null : n]));
}

/** The small-number rule alone, with nothing hidden to protect another count. */
const primaryOnly = (counts: ReadonlyMap<string, number>) =>
  new Map([...counts].map(([id, n]) => [id, discloseCount(n)]));

/** The hidden counts a reader can work out exactly from what is published. */
const workedOut = (
  counts: ReadonlyMap<string, number>,
  sums: readonly Sum[],
  shown: ReadonlyMap<string, Disclosed>,
) => recovered(attack(published(counts, shown), sums));

/** The properties every linked disclosure must have, whatever the counts. */
function assertSafe(counts: ReadonlyMap<string, number>, sums: readonly Sum[]) {
  const out = discloseLinked({ counts, sums });
  assert.equal(out.size, counts.size);
  for (const [id, n] of counts) {
    const d = out.get(id);
    assert.ok(d, `${id} is disclosed`);
    if (n === 0) assert.equal(d.shown, '0', `the zero ${id} is shown`);
    else if (n <= SUPPRESS_AT_MOST)
      assert.deepEqual(d, { ...discloseCount(n), secondary: false }, `${id} (${n})`);
    else if (d.isSuppressed)
      assert.equal(d.secondary, true, `${id} (${n}) is hidden only to protect another`);
    else assert.deepEqual(d, { ...discloseCount(n), secondary: false }, `${id} (${n}) is shown by the rule`);
  }
  assert.deepEqual(workedOut(counts, sums, out), [], 'no hidden count can be worked out');
  return out;
}

/** Areas (a tree) × classifications (each a list of categories and their total, "T"), every count tied. */
type Area = { id: string; children: Area[] };
function linkedTable(
  root: Area,
  categories: readonly number[],
  leaf: (area: string, at: number[]) => number,
  name = '',
) {
  const counts = new Map<string, number>();
  const sums: Sum[] = [];
  const T = -1;
  const tuples = (dims: readonly number[]): number[][] =>
    dims.length === 0
      ? [[]]
      : tuples(dims.slice(1)).flatMap((rest) =>
          [T, ...Array.from({ length: dims[0] ?? 0 }, (_, i) => i)].map((v) => [v, ...rest]),
        );
  const totalsIn = (at: number[]) => at.filter((v) => v === T).length;
  const every = tuples(categories).sort((a, b) => totalsIn(a) - totalsIn(b));
  const id = (area: string, at: number[]) =>
    [area, ...(name ? [name] : []), ...at.map((v) => (v === T ? 'T' : String(v)))].join('|');
  const along = (area: string, at: number[], dim: number) =>
    Array.from({ length: categories[dim] ?? 0 }, (_, c) =>
      id(
        area,
        at.map((v, j) => (j === dim ? c : v)),
      ),
    );
  const visit = (area: Area) => {
    for (const child of area.children) visit(child);
    for (const at of every) {
      const dim = at.indexOf(T);
      const parts =
        area.children.length > 0
          ? area.children.map((c) => id(c.id, at))
          : dim >= 0
            ? along(area.id, at, dim)
            : [];
      const n = parts.length > 0 ? parts.reduce((t, p) => t + (counts.get(p) ?? 0), 0) : leaf(area.id, at);
      counts.set(id(area.id, at), n);
      for (const [d, v] of at.entries())
        if (v === T) sums.push({ total: id(area.id, at), parts: along(area.id, at, d) });
      if (area.children.length > 0)
        sums.push({ total: id(area.id, at), parts: area.children.map((c) => id(c.id, at)) });
    }
  };
  visit(root);
  return { counts, sums };
}

describe('secondary suppression: no hidden count can be worked out from the sums', () => {
  it('a lone hidden ward is its neighbourhood less the shown wards, so the smallest other ward is hidden too', () => {
    const counts = new Map([
      ['neighbourhood', 98],
      ['ward 1', 3],
      ['ward 2', 40],
      ['ward 3', 55],
    ]);
    const sums = [{ total: 'neighbourhood', parts: ['ward 1', 'ward 2', 'ward 3'] }];
    // The test can fail: with the small-number rule alone the hidden ward is 98 − 40 − 55 = 3.
    assert.deepEqual(attack(published(counts, primaryOnly(counts)), sums).get('ward 1'), { min: 3, max: 3 });
    const out = assertSafe(counts, sums);
    assert.deepEqual(
      [...out.values()].map((d) => [d.shown, d.secondary]),
      [
        ['100', false],
        ['*', false],
        ['*', true],
        ['55', false],
      ],
    );
    assert.deepEqual(attack(published(counts, out), sums).get('ward 1'), { min: 1, max: 42 });
  });

  it('two hidden parts that add up to 2 are both 1, so a third is hidden', () => {
    const counts = new Map([
      ['total', 82],
      ['a', 1],
      ['b', 1],
      ['c', 30],
      ['d', 50],
    ]);
    const sums = [{ total: 'total', parts: ['a', 'b', 'c', 'd'] }];
    assert.deepEqual(workedOut(counts, sums, primaryOnly(counts)).sort(), ['a', 'b']);
    const out = assertSafe(counts, sums);
    assert.deepEqual(
      [...out].filter(([, d]) => d.secondary).map(([id]) => id),
      ['c'],
    );
  });

  it('a hidden total over shown parts is their sum; a total is hidden only when no part is left to hide', () => {
    // The attacker's own check: a total hidden over shown parts is worked out.
    assert.deepEqual(
      recovered(
        attack(
          new Map([
            ['t', null],
            ['p', 12],
            ['q', 20],
          ]),
          [{ total: 't', parts: ['p', 'q'] }],
        ),
      ),
      ['t'],
    );
    // Eight parts of 1 under a total of 8: none can go down, so only hiding the total protects them, and
    // the total then needs a partner of its own in the sum above it.
    const ones = Array.from({ length: 8 }, (_, i) => `one ${i + 1}`);
    const counts = new Map<string, number>([
      ['all', 48],
      ['eight', 8],
      ['forty', 40],
      ...ones.map((id) => [id, 1] as const),
    ]);
    const sums = [
      { total: 'eight', parts: ones },
      { total: 'all', parts: ['eight', 'forty'] },
    ];
    assert.deepEqual(workedOut(counts, sums, primaryOnly(counts)).sort(), ones);
    const out = assertSafe(counts, sums);
    assert.deepEqual(
      [...out].filter(([, d]) => d.secondary).map(([id]) => id),
      ['eight', 'forty'],
    );
  });

  it('an area by sex and age band, with area totals and the parent area the sum of its areas', () => {
    const bands = ['0-17', '18-64', '65-84', '85+'];
    const people: Record<string, number[][]> = {
      // [female, male] by age band
      A: [
        [40, 120, 30, 3],
        [42, 115, 25, 1],
      ],
      B: [
        [35, 100, 22, 6],
        [33, 98, 18, 0],
      ],
      C: [
        [50, 140, 27, 2],
        [51, 139, 20, 9],
      ],
    };
    const parent: Area = { id: 'P', children: ['A', 'B', 'C'].map((id) => ({ id, children: [] })) };
    const { counts, sums } = linkedTable(parent, [2, bands.length], (area, [sex, band]) => {
      return people[area]?.[sex ?? 0]?.[band ?? 0] ?? 0;
    });
    assert.equal(counts.get('P|T|T'), 1126);
    assert.ok(
      workedOut(counts, sums, primaryOnly(counts)).includes('A|0|3'),
      "A's women over 85 are worked out",
    );
    const out = assertSafe(counts, sums);
    assert.equal(out.get('P|T|T')?.shown, '1,125', 'the grand total is still shown');
    assert.equal(out.get('B|1|3')?.shown, '0', 'zeros stay shown');
  });

  it('months that sum to a quarter and neighbourhoods that sum to the borough, at once', () => {
    const months = ['jan', 'feb', 'mar'];
    const byMonth: Record<string, number[]> = { N1: [2, 20, 25], N2: [30, 0, 31], N3: [12, 15, 5] };
    const counts = new Map<string, number>();
    for (const [n, row] of Object.entries(byMonth)) {
      for (const [i, m] of months.entries()) counts.set(`${n}|${m}`, row[i] ?? 0);
      counts.set(
        `${n}|q1`,
        row.reduce((t, c) => t + c, 0),
      );
    }
    for (const m of [...months, 'q1'])
      counts.set(
        `B|${m}`,
        Object.keys(byMonth).reduce((t, n) => t + (counts.get(`${n}|${m}`) ?? 0), 0),
      );
    const sums = [
      ...['N1', 'N2', 'N3', 'B'].map((n) => ({ total: `${n}|q1`, parts: months.map((m) => `${n}|${m}`) })),
      ...[...months, 'q1'].map((m) => ({
        total: `B|${m}`,
        parts: ['N1', 'N2', 'N3'].map((n) => `${n}|${m}`),
      })),
    ];
    assert.deepEqual(workedOut(counts, sums, primaryOnly(counts)).sort(), ['N1|jan', 'N3|mar']);
    const out = assertSafe(counts, sums);
    assert.equal(out.get('B|q1')?.shown, '140', "the borough's quarter is still shown");
  });

  it('when the search finds no witness within its limits, every non-zero count joined by sums is hidden', () => {
    // A count of 3 under 200 totals of 3 (the other parts are zeros), then a shown 50 at the top: a change
    // to the 3 must climb all 200 totals, further than the search goes.
    const counts = new Map<string, number>([['count', 3]]);
    const sums: Sum[] = [];
    for (let i = 1; i <= 200; i++) {
      counts.set(`zero ${i}`, 0);
      counts.set(`total ${i}`, 3);
      sums.push({ total: `total ${i}`, parts: [i === 1 ? 'count' : `total ${i - 1}`, `zero ${i}`] });
    }
    counts.set('fifty', 50);
    counts.set('top', 53);
    sums.push({ total: 'top', parts: ['total 200', 'fifty'] });
    const out = assertSafe(counts, sums);
    assert.deepEqual(
      [...out].filter(([, d]) => d.secondary).map(([id]) => id),
      ['fifty', 'top'],
    );
  });

  it('throws, naming the sum, when a sum does not add up or names a count it does not have', () => {
    const counts = new Map([
      ['n', 20],
      ['w1', 8],
      ['w2', 11],
    ]);
    assert.throws(
      () => discloseLinked({ counts, sums: [{ total: 'n', parts: ['w1', 'w2'] }] }),
      /sum 1 \("n" = "w1" \+ "w2"\) does not add up: the total is 20 but the parts add up to 19/,
    );
    assert.throws(
      () => discloseLinked({ counts, sums: [{ total: 'n', parts: ['w1', 'w3'] }] }),
      /sum 1 \("n" = "w1" \+ "w3"\): its part "w3" is not one of the counts/,
    );
    assert.throws(() => discloseLinked({ counts: new Map([['x', -1]]), sums: [] }), /whole number/);
  });

  // Counts as small areas have them: zeros, many of 1 to 7, some larger.
  const smallCount = fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 7 }) },
    { weight: 2, arbitrary: fc.integer({ min: 8, max: 40 }) },
  );

  it('random hierarchies of areas: every 1 to 7 hidden, no zero hidden, nothing worked out', () => {
    type Tree = number | Tree[];
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        smallCount,
        fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.array(tree, { minLength: 2, maxLength: 5 }), (top) => {
        const counts = new Map<string, number>();
        const sums: Sum[] = [];
        const visit = (node: Tree, id: string): number => {
          if (typeof node === 'number') {
            counts.set(id, node);
            return node;
          }
          const parts = node.map((_, i) => `${id}.${i}`);
          const n = node.reduce((t: number, child, i) => t + visit(child, `${id}.${i}`), 0);
          counts.set(id, n);
          sums.push({ total: id, parts });
          return n;
        };
        visit(top, 'B');
        assertSafe(counts, sums);
      }),
      { numRuns: 150 },
    );
  });

  it('random tables of areas by one or two classifications: nothing worked out', () => {
    const areas = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 3 }).map(
      (children): Area => ({
        id: 'P',
        children: children.map((n, i) => ({
          id: `A${i}`,
          children: Array.from({ length: n === 1 ? 2 : n }, (_, j) => ({ id: `A${i}.${j}`, children: [] })),
        })),
      }),
    );
    fc.assert(
      fc.property(
        areas,
        fc.array(fc.integer({ min: 2, max: 3 }), { minLength: 1, maxLength: 2 }),
        fc.array(smallCount, { minLength: 61, maxLength: 61 }),
        (root, categories, values) => {
          let next = 0;
          const { counts, sums } = linkedTable(root, categories, () => values[next++ % values.length] ?? 0);
          assertSafe(counts, sums);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random areas with sums that overlap (all ages, and the older ages within them): nothing worked out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 3, max: 5 }),
        fc.array(smallCount, { minLength: 61, maxLength: 61 }),
        (wards, bands, values) => {
          let next = 0;
          const root: Area = {
            id: 'B',
            children: wards.map((n, i) => ({
              id: `W${i}`,
              children: Array.from({ length: n }, (_, j) => ({ id: `W${i}.${j}`, children: [] })),
            })),
          };
          const { counts, sums } = linkedTable(root, [bands], () => values[next++ % values.length] ?? 0);
          // Each area also publishes its older people: the last two bands, a second sum over the same counts.
          const older = (area: Area): number => {
            const parts = [bands - 2, bands - 1].map((b) => `${area.id}|${b}`);
            const n = parts.reduce((t, p) => t + (counts.get(p) ?? 0), 0);
            counts.set(`${area.id}|older`, n);
            sums.push({ total: `${area.id}|older`, parts });
            if (area.children.length > 0)
              sums.push({ total: `${area.id}|older`, parts: area.children.map((c) => `${c.id}|older`) });
            for (const c of area.children) older(c);
            return n;
          };
          older(root);
          assertSafe(counts, sums);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the cohort table's rule (totals over a hidden cell hidden) leaves nothing to work out on its own, even from exact counts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(smallCount, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (rows, columns) => {
          const cells = rows.map((r) => r.slice(0, columns));
          const t = discloseTable(cells);
          const counts = new Map<string, number>();
          const shown = new Map<string, Disclosed>();
          const put = (id: string, n: number, d: Disclosed | undefined) => {
            counts.set(id, n);
            if (d) shown.set(id, d);
          };
          const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
          const columnTotals = Array.from({ length: columns }, (_, j) =>
            cells.reduce((a, r) => a + (r[j] ?? 0), 0),
          );
          for (const [i, r] of cells.entries())
            for (const [j, n] of r.entries()) put(`${i},${j}`, n, t.cells[i]?.[j]);
          for (const [i, n] of rowTotals.entries()) put(`row ${i}`, n, t.rowTotals[i]);
          for (const [j, n] of columnTotals.entries()) put(`column ${j}`, n, t.columnTotals[j]);
          put(
            'all',
            rowTotals.reduce((a, b) => a + b, 0),
            t.total,
          );
          const sums = [
            ...rowTotals.map((_, i) => ({
              total: `row ${i}`,
              parts: columnTotals.map((_, j) => `${i},${j}`),
            })),
            ...columnTotals.map((_, j) => ({
              total: `column ${j}`,
              parts: rowTotals.map((_, i) => `${i},${j}`),
            })),
            { total: 'all', parts: rowTotals.map((_, i) => `row ${i}`) },
            { total: 'all', parts: columnTotals.map((_, j) => `column ${j}`) },
          ];
          assert.deepEqual(workedOut(counts, sums, shown), []);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is fast enough for a borough profile: about 30,000 counts in well under a second', (t) => {
    const profile = boroughProfile(20261204);
    const started = performance.now();
    const out = discloseLinked(profile);
    const took = performance.now() - started;
    let primary = 0;
    let secondary = 0;
    for (const [id, n] of profile.counts) {
      const d = out.get(id);
      if (n >= 1 && n <= SUPPRESS_AT_MOST) primary += d?.isSuppressed && !d.secondary ? 1 : Number.NaN;
      if (d?.secondary) secondary += n > SUPPRESS_AT_MOST ? 1 : Number.NaN;
    }
    assert.ok(Number.isInteger(primary) && Number.isInteger(secondary));
    t.diagnostic(
      `${profile.counts.size} counts, ${profile.sums.length} sums: ${primary} hidden as 1 to 7, ` +
        `${secondary} more hidden to protect them, in ${took.toFixed(0)} ms`,
    );
    assert.ok(took < 3_000, `took ${took.toFixed(0)} ms`);
  });
});

/**
 * A borough like Bury (5 neighbourhoods, 17 wards, about 120 LSOAs) publishing, for every area, people
 * by sex and age band, by risk segment, deaths by sex and cause, and three monthly series over three
 * years, every count tied to its totals and to the areas above it. Seeded.
 */
function boroughProfile(seed: number) {
  const r = randomStream(seed, 0);
  const draw = (mean: number) => poisson(r, mean);
  let lsoas = 0;
  const size = new Map<string, number>();
  const borough: Area = {
    id: 'B',
    children: [4, 3, 4, 3, 3].map((wards, n) => ({
      id: `N${n}`,
      children: Array.from({ length: wards }, (_, w) => ({
        id: `N${n}W${w}`,
        children: Array.from({ length: 6 + Math.floor(r.next() * 3) }, () => {
          const id = `L${++lsoas}`;
          size.set(id, 1_000 + r.next() * 1_400);
          return { id, children: [] };
        }),
      })),
    })),
  };
  const ageShare = [5.5, 6, 6, 5.5, 6, 7, 7, 6.5, 6, 6.5, 7, 7, 6.5, 5.5, 5, 4, 2.8, 1.5, 0.7];
  const segmentShare = [60, 20, 10, 6, 3, 1];
  const tables: [string, number[], (people: number, at: number[]) => number][] = [
    ['people', [2, 19], (people, [, band]) => draw(((people / 2) * (ageShare[band ?? 0] ?? 0)) / 100)],
    ['segment', [6], (people, [segment]) => draw((people * (segmentShare[segment ?? 0] ?? 0)) / 100)],
    ['deaths', [2, 8], (people) => draw((people * 0.01) / 16)],
    ['emergency admissions', [36], (people) => draw((people * 0.09) / 12)],
    ['A&E attendances', [36], (people) => draw((people * 0.3) / 12)],
    ['GP appointments', [36], (people) => draw((people * 5) / 12)],
  ];
  const counts = new Map<string, number>();
  const sums: Sum[] = [];
  for (const [name, categories, leaf] of tables) {
    const table = linkedTable(borough, categories, (area, at) => leaf(size.get(area) ?? 0, at), name);
    for (const [id, n] of table.counts) counts.set(id, n);
    sums.push(...table.sums);
  }
  return { counts, sums };
}
