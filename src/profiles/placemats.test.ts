import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { discloseLinked, type LinkedSum } from '../access/disclosure.ts';
import { attack, recovered } from '../access/disclosure-attack.test-helper.ts';
import { addQuarterCounts, seriesAreas, seriesCells } from '../outcomes/series.ts';
import {
  ESP_BANDS,
  estimate,
  FIXED_FIGURES,
  figureSpecs,
  NOTE_SUPPRESSED,
  publishFigure,
} from './figures.ts';
import {
  buildPlacemat,
  deriveLsoaCells,
  lifeExpectancies,
  localDeciles,
  placematCells,
  placematKeys,
  quintileOf,
} from './placemats.ts';
import { areaCounts, areaTree, type LsoaCell, type LsoaInfo } from './profile-cells.ts';
import { profilePeriods } from './profile-counts.store.ts';

const PLACE = { id: 'bury', name: 'Bury' };
const NEIGHBOURHOODS = [
  { code: 'east', name: 'East' },
  { code: 'north', name: 'North' },
];
const WARDS = [
  { code: 'W1', name: 'Moorside', neighbourhoodCode: 'east' },
  { code: 'W2', name: 'Redvales', neighbourhoodCode: 'east' },
  { code: 'W3', name: 'Ramsbottom', neighbourhoodCode: 'north' },
];
const LSOAS: LsoaInfo[] = [
  { code: 'L1', name: 'Bury 1', wardCode: 'W1', neighbourhoodCode: 'east', imdDecile: 1, imdRank: 100 },
  { code: 'L2', name: 'Bury 2', wardCode: 'W1', neighbourhoodCode: 'east', imdDecile: 4, imdRank: 9000 },
  { code: 'L3', name: 'Bury 3', wardCode: 'W2', neighbourhoodCode: 'east', imdDecile: 2, imdRank: 3000 },
  { code: 'L4', name: 'Bury 4', wardCode: 'W3', neighbourhoodCode: 'north', imdDecile: 9, imdRank: 30000 },
  { code: 'L5', name: 'Bury 5', wardCode: 'W3', neighbourhoodCode: 'north', imdDecile: 10, imdRank: 32000 },
];
const PERIODS = profilePeriods('2025-12-31');
const CONDITIONS = [{ id: 'diabetes', label: 'Diabetes' }];
const SEGMENTS = [
  { id: 'healthy', label: 'Healthy' },
  { id: 'frailty', label: 'Frailty' },
];

/** Random but coherent LSOA counts: people by sex and band, the segments and conditions of the same people. */
const lsoaCells = fc
  .array(
    fc.record({
      pop: fc.array(fc.nat(40), { minLength: 38, maxLength: 38 }),
      ltc: fc.nat(30),
      frail: fc.nat(10),
      // People with emergency admissions in the profile's year, each in the months they were admitted.
      people: fc.array(
        fc.record({
          band: fc.constantFrom(...ESP_BANDS),
          months: fc.array(fc.integer({ min: 24, max: 35 }), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 6 },
      ),
      deaths: fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }),
      months: fc.array(fc.nat(6), { minLength: 36, maxLength: 36 }),
    }),
    { minLength: LSOAS.length, maxLength: LSOAS.length },
  )
  .map((per) =>
    per.flatMap((c, i): LsoaCell[] => {
      const lsoa = LSOAS[i]?.code ?? '';
      const out: LsoaCell[] = [];
      let pop = 0;
      ['female', 'male'].forEach((sex, s) => {
        ESP_BANDS.forEach((band, b) => {
          const n = c.pop[s * 19 + b] ?? 0;
          pop += n;
          out.push({ lsoa, key: `pop|${sex}|${band}`, n }, { lsoa, key: `mid|${sex}|${band}`, n });
        });
      });
      const frail = Math.min(c.frail, pop);
      out.push({ lsoa, key: 'seg|frailty', n: frail }, { lsoa, key: 'seg|healthy', n: pop - frail });
      out.push({ lsoa, key: 'ltc|diabetes', n: Math.min(c.ltc, pop) });
      const admitted = new Array<number>(36).fill(0);
      for (const p of c.people) {
        out.push({ lsoa, key: `emergency-admission|${p.band}|${p.months.length}`, n: 1 });
        for (const m of p.months) admitted[m] = (admitted[m] ?? 0) + 1;
      }
      ['cardiovascular', 'cancer', 'respiratory', 'other'].forEach((cause, k) => {
        out.push(
          { lsoa, key: `cause|${cause}`, n: c.deaths[k] ?? 0 },
          { lsoa, key: `death|female|85`, n: c.deaths[k] ?? 0 },
        );
      });
      PERIODS.months.forEach((m, k) => {
        // Admissions before the profile's year are random; those in it are the people's.
        const em = k < 24 ? (c.months[k] ?? 0) : (admitted[k] ?? 0);
        out.push({ lsoa, key: `m|${m}|em`, n: em }, { lsoa, key: `m|${m}|pop`, n: pop });
      });
      return out.filter((x) => x.n > 0);
    }),
  );

function published(cells: LsoaCell[]) {
  const areas = areaTree(PLACE, NEIGHBOURHOODS, WARDS, LSOAS);
  const counts = areaCounts(areas, deriveLsoaCells(cells, LSOAS, ['diabetes']));
  for (const a of seriesAreas(areas)) addQuarterCounts(counts.get(a.key) ?? new Map(), PERIODS);
  const keys = placematKeys(
    CONDITIONS.map((c) => c.id),
    SEGMENTS.map((s) => s.id),
  );
  const p = placematCells(areas, counts, keys);
  const s = seriesCells(areas, counts, PERIODS);
  return { areas, counts, cells: new Map([...p.cells, ...s.cells]), sums: [...p.sums, ...s.sums] };
}

describe('the areas and their counts', () => {
  test('each area holds its LSOAs, and its counts are their sums', () => {
    const areas = areaTree(PLACE, NEIGHBOURHOODS, WARDS, LSOAS);
    assert.deepEqual(areas.get('neighbourhood:east')?.lsoas, ['L1', 'L2', 'L3']);
    assert.deepEqual(areas.get('borough:bury')?.childKeys, ['neighbourhood:east', 'neighbourhood:north']);
    assert.deepEqual(areas.get('ward:W3')?.childKeys, ['lsoa:L4', 'lsoa:L5']);
    const counts = areaCounts(areas, [
      { lsoa: 'L1', key: 'x', n: 2 },
      { lsoa: 'L3', key: 'x', n: 5 },
      { lsoa: 'L4', key: 'x', n: 7 },
    ]);
    assert.equal(counts.get('neighbourhood:east')?.get('x'), 7);
    assert.equal(counts.get('borough:bury')?.get('x'), 14);
    assert.equal(counts.get('ward:W2')?.get('x'), 5);
  });

  test('an LSOA whose ward is in another neighbourhood is refused', () => {
    const wrong = LSOAS.map((l) => (l.code === 'L4' ? { ...l, neighbourhoodCode: 'east' } : l));
    assert.throws(
      () => areaTree(PLACE, NEIGHBOURHOODS, WARDS, wrong),
      /L4 is in ward W3, which is not in its neighbourhood east/,
    );
  });

  test('derived counts: totals, age groups, repeat events and the deprivation quintile', () => {
    const derived = deriveLsoaCells(
      [
        { lsoa: 'L1', key: 'pop|female|0', n: 3 },
        { lsoa: 'L1', key: 'pop|male|10', n: 4 },
        { lsoa: 'L1', key: 'pop|female|70', n: 5 },
        { lsoa: 'L1', key: 'pop|male|80', n: 6 },
        { lsoa: 'L1', key: 'ed|70|1', n: 2 },
        { lsoa: 'L1', key: 'ed|70|3', n: 1 },
        { lsoa: 'L1', key: 'm|2025-01|em', n: 4 },
      ],
      LSOAS,
      [],
    ).filter((c) => c.lsoa === 'L1');
    const get = (key: string) => derived.find((c) => c.key === key)?.n;
    assert.equal(get('pop'), 18);
    assert.equal(get('pop:0-14'), 7);
    assert.equal(get('pop:65+'), 11);
    assert.equal(get('pop:75+'), 6);
    assert.equal(get('ed'), 5, 'two people with one attendance and one with three');
    assert.equal(get('q|1'), 18, 'decile 1 is quintile 1');
    assert.equal(get('m|2025-01|em-core20'), 4);
    assert.equal(quintileOf(4), 2);
    assert.equal(quintileOf(10), 5);
  });

  test('no hidden count can be worked out, even knowing which counts are parts of others', () => {
    fc.assert(
      fc.property(lsoaCells, (cells) => {
        const { cells: counts, sums } = published(cells);
        const disclosed = discloseLinked({ counts, sums });
        // An outsider knows readmissions are among admissions, residents aged 75+ among those aged 65+,
        // those with a condition among all residents and a month's older admissions among all: each part
        // with an unpublished remainder (0 or more) makes its whole.
        const remainders = new Set<string>();
        const knowledge: LinkedSum[] = [...sums];
        for (const id of counts.keys()) {
          const [area, key = ''] = id.split('#');
          const whole =
            key === 'readmit'
              ? 'em'
              : key === 'pop:75+'
                ? 'pop:65+'
                : key.startsWith('ltc|')
                  ? 'pop'
                  : /^m\|\d{4}-\d{2}\|em-core20$/.test(key)
                    ? key.replace('em-core20', 'em')
                    : null;
          if (whole === null || !counts.has(`${area}#${whole}`)) continue;
          const rest = `remainder of ${id}`;
          remainders.add(rest);
          knowledge.push({ total: `${area}#${whole}`, parts: [id, rest] });
        }
        const shown = new Map(
          [...counts].map(([id, n]) => [id, disclosed.get(id)?.isSuppressed ? null : n] as const),
        );
        assert.deepEqual(recovered(attack(shown, knowledge, remainders)), []);
      }),
      { numRuns: 30 },
    );
  });

  test('every published sum adds up, and disclosure accepts them all', () => {
    fc.assert(
      fc.property(lsoaCells, (cells) => {
        const { cells: published_, sums } = published(cells);
        for (const s of sums) {
          const parts = s.parts.reduce((t, p) => t + (published_.get(p) ?? Number.NaN), 0);
          assert.equal(published_.get(s.total), parts, `${s.total} = ${s.parts.join(' + ')}`);
        }
        discloseLinked({ counts: published_, sums });
      }),
      { numRuns: 40 },
    );
  });
});

describe('figures', () => {
  const spec = (id: string) => {
    const found = FIXED_FIGURES.find((f) => f.id === id);
    if (!found) throw new Error(id);
    return found;
  };

  test('a share is a Wilson proportion; a hidden count hides the figure and its comparison', () => {
    const counts = new Map([
      ['pop', 1000],
      ['pop:65+', 200],
    ]);
    const e = estimate(spec('share-65-plus'), counts);
    assert.equal(e.value, 20);
    assert.ok((e.lower ?? 0) < 20 && (e.upper ?? 0) > 20);
    const shown = publishFigure(
      spec('share-65-plus'),
      counts,
      [
        { shown: '200', value: 200, isSuppressed: false },
        { shown: '1,000', value: 1000, isSuppressed: false },
      ],
      10,
    );
    assert.equal(shown.comparison, 'higher');
    const hidden = publishFigure(
      spec('share-65-plus'),
      counts,
      [
        { shown: '*', value: null, isSuppressed: true },
        { shown: '1,000', value: 1000, isSuppressed: false },
      ],
      10,
    );
    assert.deepEqual(
      [hidden.value, hidden.lower, hidden.upper, hidden.comparison, hidden.note],
      [null, null, null, 'not-compared', NOTE_SUPPRESSED],
    );
    // A hidden denominator hides the figure too: its value and count would give the denominator back.
    const hiddenBase = publishFigure(
      spec('share-65-plus'),
      counts,
      [
        { shown: '200', value: 200, isSuppressed: false },
        { shown: '*', value: null, isSuppressed: true },
      ],
      10,
    );
    assert.equal(hiddenBase.value, null);
    assert.equal(hiddenBase.note, NOTE_SUPPRESSED);
  });

  test('a standardised rate needs ten events and residents in every band', () => {
    const counts = new Map<string, number>();
    for (const b of ESP_BANDS) counts.set(`mid|female|${b}`, 500);
    counts.set('death', 9);
    counts.set('death|female|85', 9);
    assert.match(estimate(spec('deaths'), counts).note ?? '', /fewer than 10/);
    counts.set('death', 12);
    counts.set('death|female|85', 12);
    const e = estimate(spec('deaths'), counts);
    // 12 deaths in 500 aged 85–89, ESP2013 weight 1,500 of 100,000: 12 / 500 × 1,500 = 36 per 100,000.
    assert.ok(Math.abs((e.value ?? 0) - 36) < 1e-9, `${e.value}`);
    counts.delete('mid|female|40');
    assert.match(estimate(spec('deaths'), counts).note ?? '', /no residents in some age bands/);
  });

  test('every place figure has a unique id and names a published count', () => {
    const specs = figureSpecs(CONDITIONS, SEGMENTS);
    assert.equal(new Set(specs.map((s) => s.id)).size, specs.length);
    const keys = placematKeys(['diabetes'], ['healthy', 'frailty']);
    for (const s of specs)
      assert.ok([...keys.every, ...keys.wardUp].includes(s.count), `${s.id} counts ${s.count}`);
  });
});

describe('life expectancy and inequality', () => {
  /** A population of 10,000 a band with England-like death rates. */
  function lifeCounts(scale: number): Map<string, number> {
    const m = new Map<string, number>();
    const rates = [
      0.004, 0.0002, 0.0001, 0.0001, 0.0003, 0.0005, 0.0006, 0.0008, 0.001, 0.0015, 0.002, 0.003, 0.005,
      0.008, 0.012, 0.02, 0.035, 0.06, 0.1, 0.2,
    ];
    [0, 1, ...Array.from({ length: 18 }, (_, i) => (i + 1) * 5)].forEach((age, i) => {
      for (const sex of ['female', 'male']) {
        m.set(`lepop|${sex}|${age}`, 3000);
        m.set(`ledeath|${sex}|${age}`, Math.round(3000 * (rates[i] ?? 0) * scale));
      }
    });
    return m;
  }

  test('at birth and at 65 for each sex and everyone, with intervals', () => {
    const les = lifeExpectancies(lifeCounts(1));
    assert.equal(les.length, 6);
    for (const le of les) {
      assert.ok(le.value !== null && le.lower !== null && le.upper !== null, `${le.sex} ${le.age}`);
      assert.ok(le.lower < le.value && le.value < le.upper);
    }
    const birth = les.find((l) => l.sex === 'persons' && l.age === 0)?.value ?? 0;
    assert.ok(birth > 70 && birth < 90, `${birth}`);
  });

  test('too few residents: no value, a reason', () => {
    const small = new Map(
      [...lifeCounts(1)].map(([k, n]) => [k, k.startsWith('lepop') ? 100 : Math.min(n, 1)]),
    );
    const le = lifeExpectancies(small)[0];
    assert.equal(le?.value, null);
    assert.match(le?.note ?? '', /fewer than 5,000 person-years/);
  });

  test('local deciles rank LSOAs by deprivation, most deprived first', () => {
    const d = localDeciles(LSOAS);
    assert.equal(d.get('L1'), 1);
    assert.equal(d.get('L5'), 9);
  });

  test('a placemat: comparisons with the borough, its parent and children', () => {
    const areas = areaTree(PLACE, NEIGHBOURHOODS, WARDS, LSOAS);
    const counts = new Map(
      [...areas.keys()].map((k) => [k, lifeCounts(k === 'neighbourhood:east' ? 1.6 : 1)]),
    );
    const east = areas.get('neighbourhood:east');
    if (!east) throw new Error('east');
    const boroughLe = new Map(lifeExpectancies(lifeCounts(1)).map((l) => [`${l.sex}|${l.age}`, l.value]));
    const p = buildPlacemat({
      area: east,
      areas,
      counts,
      disclosed: new Map(),
      specs: [],
      borough: { figures: new Map(), lifeExpectancy: boroughLe },
      inequality: [],
      periods: PERIODS,
    });
    assert.deepEqual(p.parent, { kind: 'borough', code: 'bury', name: 'Bury' });
    assert.deepEqual(
      p.children.map((c) => c.name),
      ['Moorside', 'Redvales'],
    );
    const persons = p.lifeExpectancy.find((l) => l.sex === 'persons' && l.age === 0);
    assert.equal(persons?.comparison, 'worse');
    assert.ok((persons?.gap ?? 0) < -1);
    assert.equal(p.population.shown, '*', 'an undisclosed count is never shown');
  });
});
