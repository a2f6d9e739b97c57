// Placemats and map layers from the areas' counts: which counts are published for which areas, the sums
// that tie them together (for secondary suppression), and, once the counts are disclosed, every figure
// with its interval and comparison with the borough. Pure.
import type { Disclosed, LinkedSum } from '../access/disclosure.ts';
import type { Comparison } from '../stats/compare.ts';
import { compareWithComparator } from '../stats/compare.ts';
import { calculateLifeExpectancy, LIFE_TABLE_START_AGES } from '../stats/life-table.ts';
import { calculateSii } from '../stats/sii.ts';
import {
  CAUSES,
  ESP_BANDS,
  type Figure,
  type FigureSpec,
  figureInputs,
  oneDecimal,
  publishFigure,
  SEXES,
} from './figures.ts';
import {
  type Area,
  type AreaKind,
  cellId,
  countsByLsoa,
  frequencyOf,
  type LsoaCell,
  type LsoaInfo,
  type ProfilePeriods,
  total,
} from './profile-cells.ts';

/**
 * Counts every area publishes, down to LSOAs (for maps), including the remainders a reader can work out
 * from them (residents aged 15–64 and 65–74; admissions that were not readmissions): a remainder is
 * disclosed like any other count, so that a part of a count can never give a small remainder away.
 */
const EVERY_AREA_KEYS = [
  'pop',
  'pop:0-14',
  'pop:15-64',
  'pop:65+',
  'pop:65-74',
  'pop:75+',
  'mid65',
  'ed',
  'em',
  'readmit',
  'em-first',
  'carehome65',
  'death',
];

const bandsFrom = (from: number, to = 90) => ESP_BANDS.filter((b) => b >= from && b <= to);
const popKeys = (bands: readonly number[], prefix = 'pop') =>
  SEXES.flatMap((s) => bands.map((b) => `${prefix}|${s}|${b}`));

/** National IMD quintile of a decile. */
export const quintileOf = (decile: number): number => Math.ceil(decile / 2);

/**
 * Adds the counts derived from others to each LSOA's cells: totals, age groups, event totals, and the
 * LSOA's population under its deprivation quintile. Derived here, at the bottom, so that every area's
 * derived count is the sum of its LSOAs'.
 */
export function deriveLsoaCells(
  cells: readonly LsoaCell[],
  lsoas: readonly LsoaInfo[],
  conditions: readonly string[],
): LsoaCell[] {
  const by = countsByLsoa(cells);
  const out = [...cells];
  for (const l of lsoas) {
    const m = by.get(l.code) ?? new Map<string, number>();
    const sum = (keys: Iterable<string>) => total(m, keys);
    const events = (prefix: string) => {
      let t = 0;
      for (const [k, n] of m) if (k.startsWith(prefix)) t += n * frequencyOf(k);
      return t;
    };
    const pop = sum(popKeys(ESP_BANDS));
    const under15 = sum(popKeys(bandsFrom(0, 10)));
    const over65 = sum(popKeys(bandsFrom(65)));
    const over75 = sum(popKeys(bandsFrom(75)));
    const em = events('emergency-admission|');
    const add = (key: string, n: number) => out.push({ lsoa: l.code, key, n });
    add('pop', pop);
    add('pop:0-14', under15);
    add('pop:15-64', pop - under15 - over65);
    add('pop:65+', over65);
    add('pop:65-74', over65 - over75);
    add('pop:75+', over75);
    add('mid65', sum(popKeys(bandsFrom(65), 'mid')));
    add('ed', events('ed|'));
    add('em', em);
    add('em-first', em - (m.get('readmit') ?? 0));
    add('death', sum(popKeys(ESP_BANDS, 'death')));
    add(`q|${quintileOf(l.imdDecile)}`, pop);
    for (const c of conditions) add(`ltc-not|${c}`, pop - (m.get(`ltc|${c}`) ?? 0));
    // The series split by deprivation (Core20 LSOAs, national deciles 1 and 2, and the rest), by age
    // and by readmission: each month's admissions are the sum of each split's two parts.
    const side = l.imdDecile <= 2 ? 'core20' : 'rest';
    for (const [k, n] of m) {
      if (!k.startsWith('m|')) continue;
      if (k.endsWith('|pop')) add(`${k}-${side}`, n);
      if (!k.endsWith('|em')) continue;
      const month = k.slice(0, -'|em'.length);
      add(`${k}-${side}`, n);
      add(`${month}|em-under65`, n - (m.get(`${month}|em65`) ?? 0));
      add(`${month}|em-first`, n - (m.get(`${month}|readmit`) ?? 0));
    }
  }
  return out;
}

/** The counts each kind of area publishes in its placemat (beyond those every area publishes). */
export function placematKeys(conditions: readonly string[], segments: readonly string[]) {
  const every = [...EVERY_AREA_KEYS, ...conditions.flatMap((c) => [`ltc|${c}`, `ltc-not|${c}`])];
  const wardUp = [
    ...popKeys(ESP_BANDS),
    ...[1, 2, 3, 4, 5].map((q) => `q|${q}`),
    ...segments.map((s) => `seg|${s}`),
    ...CAUSES.map((c) => `cause|${c}`),
  ];
  return { every, wardUp };
}

export const publishesWardUp = (kind: AreaKind) => kind !== 'lsoa';

/** Placemat counts and the sums among them, for every area. */
export function placematCells(
  areas: ReadonlyMap<string, Area>,
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>,
  keys: { every: readonly string[]; wardUp: readonly string[] },
): { cells: Map<string, number>; sums: LinkedSum[] } {
  const cells = new Map<string, number>();
  const sums: LinkedSum[] = [];
  const keysOf = (kind: AreaKind) => (publishesWardUp(kind) ? [...keys.every, ...keys.wardUp] : keys.every);
  for (const area of areas.values()) {
    const c = counts.get(area.key) ?? new Map<string, number>();
    for (const k of keysOf(area.kind)) cells.set(cellId(area.key, k), c.get(k) ?? 0);
  }
  for (const area of areas.values()) {
    const id = (k: string) => cellId(area.key, k);
    // Each count is the sum of the same count in the areas within.
    const childKinds = area.childKeys.map((k) => areas.get(k)?.kind ?? 'lsoa');
    if (area.childKeys.length > 0) {
      const shared = keysOf(childKinds[0] ?? 'lsoa');
      for (const k of shared)
        sums.push({ total: id(k), parts: area.childKeys.map((child) => cellId(child, k)) });
    }
    // Within every area: the age groups, each condition's residents with and without it, and
    // admissions that were and were not readmissions.
    sums.push({ total: id('pop'), parts: ['pop:0-14', 'pop:15-64', 'pop:65-74', 'pop:75+'].map(id) });
    sums.push({ total: id('pop:65+'), parts: ['pop:65-74', 'pop:75+'].map(id) });
    sums.push({ total: id('em'), parts: ['readmit', 'em-first'].map(id) });
    for (const k of keys.every)
      if (k.startsWith('ltc|')) sums.push({ total: id('pop'), parts: [id(k), id(`ltc-not|${k.slice(4)}`)] });
    if (!publishesWardUp(area.kind)) continue;
    // Within a ward or larger: the population by sex and age, by quintile and by segment; deaths by cause.
    const c = counts.get(area.key) ?? new Map<string, number>();
    const within = (totalKey: string, parts: string[]) => {
      const sum = parts.reduce((t, k) => t + (c.get(k) ?? 0), 0);
      if (sum !== (c.get(totalKey) ?? 0))
        throw new Error(`${area.key}: ${totalKey} is not the sum of ${parts.join(', ')}`);
      sums.push({ total: id(totalKey), parts: parts.map(id) });
    };
    within('pop', popKeys(ESP_BANDS));
    within('pop:0-14', popKeys(bandsFrom(0, 10)));
    within('pop:65+', popKeys(bandsFrom(65)));
    within('pop:75+', popKeys(bandsFrom(75)));
    within(
      'pop',
      [1, 2, 3, 4, 5].map((q) => `q|${q}`),
    );
    within(
      'pop',
      keys.wardUp.filter((k) => k.startsWith('seg|')),
    );
    within(
      'death',
      CAUSES.map((cause) => `cause|${cause}`),
    );
    // The LSOAs of a ward each fall in one quintile, so a ward's quintile count is a sum of LSOA totals.
    if (area.kind === 'ward') {
      for (const q of [1, 2, 3, 4, 5]) {
        const parts = area.childKeys.filter((lsoa) => (counts.get(lsoa)?.get(`q|${q}`) ?? 0) > 0);
        if (parts.length > 0)
          sums.push({ total: id(`q|${q}`), parts: parts.map((lsoa) => cellId(lsoa, 'pop')) });
      }
    }
  }
  return { cells, sums };
}

export type Shown = Pick<Disclosed, 'shown' | 'value'>;

export interface LifeExpectancyFigure {
  sex: 'female' | 'male' | 'persons';
  age: 0 | 65;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Difference from the borough's value (years). */
  gap: number | null;
  comparison: Comparison;
  note: string | null;
}

export interface InequalityFigure {
  sex: 'female' | 'male';
  age: 0 | 65;
  sii: number | null;
  lower: number | null;
  upper: number | null;
}

export interface AreaRef {
  kind: AreaKind;
  code: string;
  name: string;
}

export interface Placemat {
  area: AreaRef;
  parent: AreaRef | null;
  children: AreaRef[];
  referenceDate: string;
  yearFrom: string;
  lifeFrom: string;
  population: Shown;
  pyramid: { bands: string[]; female: Shown[]; male: Shown[] };
  figures: Figure[];
  lifeExpectancy: LifeExpectancyFigure[];
  /** The borough's slope index of inequality in life expectancy across its local deprivation deciles. */
  inequality: InequalityFigure[];
}

const NOT_DISCLOSED: Disclosed = { shown: '*', value: null, isSuppressed: true };

/** How each count a figure rests on was disclosed for an area (a count never disclosed counts as hidden). */
const disclosuresOf = (
  disclosed: ReadonlyMap<string, Disclosed>,
  area: string,
  spec: FigureSpec,
): Disclosed[] => figureInputs(spec).map((k) => disclosed.get(cellId(area, k)) ?? NOT_DISCLOSED);

const ref = (a: Area): AreaRef => ({ kind: a.kind, code: a.code, name: a.name });
const bandLabel = (b: number) => (b === 90 ? '90+' : `${b}–${b + 4}`);
/** A published count; one that was not disclosed is never shown. */
const shownOf = (d: Disclosed | undefined): Shown =>
  d ? { shown: d.shown, value: d.value } : { shown: '*', value: null };

export const LIFE_NOTE: Record<string, string> = {
  'total-population-too-small':
    'Not calculated: fewer than 5,000 person-years (about 1,700 residents over three years).',
  wide: 'Not shown: the interval is wider than 20 years.',
  'no-oldest-deaths': 'Not calculated: no deaths at 90 and over to close the life table.',
};

/** Life expectancy at birth and at 65, by sex and for all persons, from an area's counts. */
export function lifeExpectancies(
  counts: ReadonlyMap<string, number>,
): Omit<LifeExpectancyFigure, 'gap' | 'comparison'>[] {
  const out: Omit<LifeExpectancyFigure, 'gap' | 'comparison'>[] = [];
  for (const sex of ['female', 'male', 'persons'] as const) {
    const sexes: readonly string[] = sex === 'persons' ? SEXES : [sex];
    const result = calculateLifeExpectancy(
      LIFE_TABLE_START_AGES.map((startAge) => ({
        startAge,
        deaths: sexes.reduce((t, s) => t + (counts.get(`ledeath|${s}|${startAge}`) ?? 0), 0),
        population: sexes.reduce((t, s) => t + (counts.get(`lepop|${s}|${startAge}`) ?? 0), 0),
      })),
    );
    for (const age of [0, 65] as const) {
      const row = result.rows.find((r) => r.startAge === age);
      const allFinite = [row?.value, row?.lower, row?.upper].every((v) => v === null || Number.isFinite(v));
      const note =
        result.suppression !== null
          ? (LIFE_NOTE[result.suppression] ?? 'Not calculated from these data.')
          : !allFinite
            ? (LIFE_NOTE['no-oldest-deaths'] ?? null)
            : row?.value === null
              ? (LIFE_NOTE.wide ?? null)
              : null;
      out.push({
        sex,
        age,
        value: note === null ? oneDecimal(row?.value) : null,
        lower: note === null ? oneDecimal(row?.lower) : null,
        upper: note === null ? oneDecimal(row?.upper) : null,
        note,
      });
    }
  }
  return out;
}

/** Local deprivation deciles: the place's LSOAs ranked by IMD 2019, most deprived first, in ten groups. */
export function localDeciles(lsoas: readonly LsoaInfo[]): Map<string, number> {
  const order = [...lsoas].sort((a, b) => a.imdRank - b.imdRank);
  return new Map(order.map((l, i) => [l.code, Math.floor((i * 10) / order.length) + 1]));
}

/** The slope index of inequality in life expectancy across local deciles (seeded, so repeatable). */
export function inequalityInLifeExpectancy(
  lsoaCounts: ReadonlyMap<string, ReadonlyMap<string, number>>,
  lsoas: readonly LsoaInfo[],
): InequalityFigure[] {
  const deciles = localDeciles(lsoas);
  const byDecile = Array.from({ length: 10 }, () => new Map<string, number>());
  for (const [lsoa, d] of deciles) {
    const into = byDecile[d - 1];
    for (const [k, n] of lsoaCounts.get(lsoa) ?? []) into?.set(k, (into.get(k) ?? 0) + n);
  }
  const out: InequalityFigure[] = [];
  for (const sex of SEXES)
    for (const age of [0, 65] as const) {
      const rows = byDecile.map((counts, i) => {
        const le = lifeExpectancies(counts).find((f) => f.sex === sex && f.age === age);
        return {
          quantile: i + 1,
          value: le?.value ?? Number.NaN,
          lower: le?.lower ?? undefined,
          upper: le?.upper ?? undefined,
          population: LIFE_TABLE_START_AGES.filter((a) => a >= age).reduce(
            (t, a) => t + (counts.get(`lepop|${sex}|${a}`) ?? 0),
            0,
          ),
        };
      });
      if (rows.some((r) => !Number.isFinite(r.value) || r.lower === undefined || r.population <= 0)) {
        out.push({ sex, age, sii: null, lower: null, upper: null });
        continue;
      }
      const sii = calculateSii(rows, { repetitions: 10_000, seed: 1 });
      out.push({
        sex,
        age,
        sii: oneDecimal(sii.sii),
        lower: oneDecimal(sii.intervals[0]?.siiLower),
        upper: oneDecimal(sii.intervals[0]?.siiUpper),
      });
    }
  return out;
}

/** The placemat of one area (not an LSOA), from its counts and the disclosed published counts. */
export function buildPlacemat(input: {
  area: Area;
  areas: ReadonlyMap<string, Area>;
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  disclosed: ReadonlyMap<string, Disclosed>;
  specs: readonly FigureSpec[];
  borough: {
    figures: ReadonlyMap<string, number | null>;
    lifeExpectancy: ReadonlyMap<string, number | null>;
  };
  inequality: InequalityFigure[];
  periods: ProfilePeriods;
}): Placemat {
  const { area, areas, counts, disclosed, periods } = input;
  const c = counts.get(area.key) ?? new Map<string, number>();
  const d = (k: string) => disclosed.get(cellId(area.key, k));
  const figures = input.specs
    .filter((spec) => spec.inPlacemat !== false)
    .map((spec) =>
      publishFigure(
        spec,
        c,
        disclosuresOf(disclosed, area.key, spec),
        area.kind === 'borough' ? null : (input.borough.figures.get(spec.id) ?? null),
      ),
    );
  const lifeExpectancy = lifeExpectancies(c).map((le): LifeExpectancyFigure => {
    const borough =
      area.kind === 'borough' ? null : (input.borough.lifeExpectancy.get(`${le.sex}|${le.age}`) ?? null);
    return {
      ...le,
      gap: borough === null || le.value === null ? null : oneDecimal(le.value - borough),
      comparison: borough === null ? 'not-compared' : compareWithComparator(le, borough, 'higher-is-better'),
    };
  });
  const parent = area.parentKey === null ? undefined : areas.get(area.parentKey);
  return {
    area: ref(area),
    parent: parent ? ref(parent) : null,
    children: area.childKeys
      .map((k) => areas.get(k))
      .filter((a): a is Area => a !== undefined && a.kind !== 'lsoa')
      .map(ref),
    referenceDate: periods.referenceDate,
    yearFrom: periods.yearFrom,
    lifeFrom: periods.lifeFrom,
    population: shownOf(d('pop')),
    pyramid: {
      bands: ESP_BANDS.map(bandLabel),
      female: ESP_BANDS.map((b) => shownOf(d(`pop|female|${b}`))),
      male: ESP_BANDS.map((b) => shownOf(d(`pop|male|${b}`))),
    },
    figures,
    lifeExpectancy,
    inequality: input.inequality,
  };
}

export interface MapArea {
  code: string;
  name: string;
  parentName: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  count: string;
  suppressed: boolean;
  comparison: Comparison;
  note: string | null;
}

export interface MapLayer {
  figure: { id: string; label: string; unit: string; polarity: string };
  level: 'ward' | 'lsoa';
  referenceDate: string;
  areas: MapArea[];
}

/** A map layer: one figure for every ward or every LSOA. */
export function buildMapLayer(input: {
  spec: FigureSpec;
  level: 'ward' | 'lsoa';
  areas: ReadonlyMap<string, Area>;
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  disclosed: ReadonlyMap<string, Disclosed>;
  boroughValue: number | null;
  referenceDate: string;
}): MapLayer {
  const { spec, level, areas } = input;
  const out: MapArea[] = [];
  for (const area of areas.values()) {
    if (area.kind !== level) continue;
    const parent = area.parentKey === null ? undefined : areas.get(area.parentKey);
    const f = publishFigure(
      spec,
      input.counts.get(area.key) ?? new Map(),
      disclosuresOf(input.disclosed, area.key, spec),
      input.boroughValue,
    );
    out.push({
      code: area.code,
      name: area.name,
      parentName: parent?.name ?? '',
      value: f.value,
      lower: f.lower,
      upper: f.upper,
      count: f.count,
      suppressed: f.count === '*',
      comparison: f.comparison,
      note: f.note,
    });
  }
  return {
    figure: { id: spec.id, label: spec.label, unit: spec.unit, polarity: spec.polarity },
    level,
    referenceDate: input.referenceDate,
    areas: out.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
