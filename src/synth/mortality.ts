// Death rates for the synthetic population. A person's yearly death rate is the England and Wales rate
// for their age and sex (Human Mortality Database, 2014–2018), times the relative risk of their
// national deprivation quintile at that age (England, 2012–2016, by IMD quintile) raised to a power γ,
// times a level k, with one γ and k for under-65s and another for 65+. The four parameters per sex are
// solved so that the expected life expectancy at birth and at 65, the slope index of inequality in life
// expectancy at 65, and the gap between the neighbourhoods whose life expectancy is published match
// the place's published figures. Pure.
import { calculateLifeExpectancy, LIFE_TABLE_START_AGES } from '../stats/life-table.ts';
import { siiPoint } from '../stats/sii.ts';
import type { PopulationCell } from './demography.ts';
import { deathRateKey, MAX_AGE, SEXES, type Sex, type SynthInputs } from './inputs.ts';

export interface MortalityParameters {
  kUnder65: number;
  k65Plus: number;
  /** Power on the deprivation relative risk under 65 and from 65. */
  gradientUnder65: number;
  gradient65Plus: number;
}

export interface MortalityModel {
  parameters: Record<Sex, MortalityParameters>;
  /** Death rate per person-year at an exact age (whole years; 90+ uses the rates up to 110). */
  rate(sex: Sex, age: number, imdDecile: number): number;
}

/** The six borough figures the death rates are calibrated to, when a place publishes them. */
export const LIFE_EXPECTANCY_FIGURES = [
  'le_birth_female',
  'le_birth_male',
  'le_65_female',
  'le_65_male',
  'sii_le_65_female',
  'sii_le_65_male',
] as const;

/** England and Wales's rates with England's deprivation gradient, unscaled: for a place with no published figures. */
export const NATIONAL_MORTALITY: MortalityParameters = {
  kUnder65: 1,
  k65Plus: 1,
  gradientUnder65: 1,
  gradient65Plus: 1,
};

export const quintileOfDecile = (decile: number): number => Math.ceil(decile / 2);

/** Relative risk of death by sex, quintile (1 = most deprived) and age 0..110, normalised to mean 1. */
function relativeRisks(inputs: SynthInputs): Record<Sex, number[][]> {
  const out: Record<Sex, number[][]> = { female: [], male: [] };
  for (const sex of SEXES) {
    const byAge = (age: number) => {
      const rates = [1, 2, 3, 4, 5].map(
        (q) => inputs.deathRatesByQuintile.get(deathRateKey(sex, q, age)) ?? Number.NaN,
      );
      const mean = rates.reduce((a, b) => a + b, 0) / 5;
      return rates.map((r) => r / mean);
    };
    const averageOver = (ages: number[]) => {
      const all = ages.map(byAge);
      return [0, 1, 2, 3, 4].map((q) => all.reduce((t, rr) => t + (rr[q] ?? 1), 0) / all.length);
    };
    // Childhood rates are few and noisy in the source: ages under 11 take the gradient of ages 11–20;
    // ages 90 and over take that of 85–89.
    const young = averageOver(Array.from({ length: 10 }, (_, i) => 11 + i));
    const old = averageOver([85, 86, 87, 88, 89]);
    const smooth = (age: number) =>
      averageOver([age - 2, age - 1, age, age + 1, age + 2].filter((a) => a >= 11 && a <= 89));
    out[sex] = [0, 1, 2, 3, 4].map((q) =>
      Array.from({ length: 111 }, (_, age) => (age < 11 ? young : age > 89 ? old : smooth(age))[q] ?? 1),
    );
  }
  return out;
}

export function mortalityModel(
  inputs: SynthInputs,
  parameters: Record<Sex, MortalityParameters>,
): MortalityModel {
  const rr = relativeRisks(inputs);
  return {
    parameters,
    rate(sex, age, imdDecile) {
      const a = Math.min(110, Math.max(0, Math.floor(age)));
      const p = parameters[sex];
      const base = inputs.deathRates[sex][a] ?? inputs.deathRates[sex][110] ?? 1;
      const risk = rr[sex][quintileOfDecile(imdDecile) - 1]?.[a] ?? 1;
      return a < 65
        ? base * risk ** p.gradientUnder65 * p.kUnder65
        : base * risk ** p.gradient65Plus * p.k65Plus;
    },
  };
}

/** Local deprivation deciles: the place's LSOAs ranked by IMD 2019 (most deprived first) in ten groups. */
export function localDeciles(inputs: SynthInputs): number[] {
  const order = inputs.lsoas.map((l, i) => [l.imd2019Rank, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(inputs.lsoas.length);
  order.forEach(([, i], position) => {
    out[i] = Math.floor((position * 10) / order.length) + 1;
  });
  return out;
}

const bandOf = (age: number): number => {
  let band = 0;
  for (let i = 0; i < LIFE_TABLE_START_AGES.length; i++) if (age >= (LIFE_TABLE_START_AGES[i] ?? 0)) band = i;
  return band;
};

interface ExpectedTable {
  /** [decile 0..9][band] person-years and expected deaths. */
  exposure: number[][];
  deaths: number[][];
}

/** Expected deaths and person-years over `years` years, by local decile and life-table band, for one sex. */
function expectedTables(
  cells: readonly PopulationCell[],
  inputs: SynthInputs,
  groupOf: readonly number[],
  model: MortalityModel,
  sex: Sex,
  years: number,
): ExpectedTable {
  const bands = LIFE_TABLE_START_AGES.length;
  const groups = Math.max(...groupOf);
  const exposure = Array.from({ length: groups }, () => new Array<number>(bands).fill(0));
  const deaths = Array.from({ length: groups }, () => new Array<number>(bands).fill(0));
  for (const cell of cells) {
    const n = cell[sex];
    if (n === 0) continue;
    const lsoa = inputs.lsoas[cell.lsoa];
    const d = (groupOf[cell.lsoa] ?? 1) - 1;
    if (!lsoa) continue;
    // A cohort aged a at the start spends a year at each of a, a+1, a+2 over a three-year window; the
    // 90+ group is spread over 90–99 in proportion to survival.
    const startAges = cell.age < MAX_AGE ? [cell.age] : [90, 91, 92, 93, 94, 95, 96, 97, 98, 99];
    const weights = cell.age < MAX_AGE ? [1] : [0.22, 0.18, 0.15, 0.12, 0.1, 0.08, 0.06, 0.04, 0.03, 0.02];
    startAges.forEach((start, w) => {
      for (let y = 0; y < years; y++) {
        const age = start + y;
        const b = bandOf(age);
        const e = n * (weights[w] ?? 0);
        (exposure[d] as number[])[b] = ((exposure[d] as number[])[b] ?? 0) + e;
        (deaths[d] as number[])[b] =
          ((deaths[d] as number[])[b] ?? 0) + e * model.rate(sex, age, lsoa.imd2019Decile);
      }
    });
  }
  return { exposure, deaths };
}

function lifeExpectancyAt(exposure: number[], deaths: number[], startAge: number): number {
  const result = calculateLifeExpectancy(
    LIFE_TABLE_START_AGES.map((a, i) => ({
      startAge: a,
      population: exposure[i] ?? 0,
      deaths: deaths[i] ?? 0,
    })),
  );
  const row = result.rows.find((r) => r.startAge === startAge);
  return row?.value ?? Number.NaN;
}

const sumRows = (rows: number[][]) => rows[0]?.map((_, b) => rows.reduce((t, r) => t + (r[b] ?? 0), 0)) ?? [];

export interface ExpectedLifeExpectancy {
  atBirth: number;
  at65: number;
  sii65: number;
}

const FIRST_65_BAND = LIFE_TABLE_START_AGES.indexOf(65);

/** Expected figures from tables made with k = 1, scaled by the levels (bands below 65 and from 65). */
function expectedFromTables(t: ExpectedTable, kUnder65: number, k65Plus: number): ExpectedLifeExpectancy {
  return {
    atBirth: expectedAt(t, kUnder65, k65Plus, 0),
    at65: expectedAt(t, kUnder65, k65Plus, 65),
    sii65: expectedSii65(t, kUnder65, k65Plus),
  };
}

const scaled = (row: number[], kUnder65: number, k65Plus: number) =>
  row.map((d, b) => d * (b < FIRST_65_BAND ? kUnder65 : k65Plus));

function expectedAt(t: ExpectedTable, kUnder65: number, k65Plus: number, age: number): number {
  return lifeExpectancyAt(sumRows(t.exposure), scaled(sumRows(t.deaths), kUnder65, k65Plus), age);
}

function expectedSii(t: ExpectedTable, kUnder65: number, k65Plus: number, age: 0 | 65): number {
  return siiPoint(
    t.exposure.map((e, d) => ({
      value: lifeExpectancyAt(e, scaled(t.deaths[d] as number[], kUnder65, k65Plus), age),
      population: e.slice(age === 65 ? FIRST_65_BAND : 0).reduce((a, b) => a + b, 0),
    })),
  );
}
const expectedSii65 = (t: ExpectedTable, kUnder65: number, k65Plus: number) =>
  expectedSii(t, kUnder65, k65Plus, 65);

/** Expected (not simulated) life expectancy and the SII at 65 across local deciles, for one sex. */
export function expectedLifeExpectancy(
  cells: readonly PopulationCell[],
  inputs: SynthInputs,
  model: MortalityModel,
  sex: Sex,
  years: number,
): ExpectedLifeExpectancy {
  const p = model.parameters[sex];
  const unit = mortalityModel(inputs, { ...model.parameters, [sex]: { ...p, kUnder65: 1, k65Plus: 1 } });
  return expectedFromTables(
    expectedTables(cells, inputs, localDeciles(inputs), unit, sex, years),
    p.kUnder65,
    p.k65Plus,
  );
}

function bisect(
  f: (x: number) => number,
  target: number,
  lo: number,
  hi: number,
  increasing: boolean,
): number {
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    const above = f(mid) > target;
    if (above === increasing) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

export interface MortalityTargets {
  atBirth: Record<Sex, number>;
  at65: Record<Sex, number>;
  sii65: Record<Sex, number>;
  /** Life expectancy at birth (persons) published for some neighbourhoods. */
  neighbourhoodsAtBirth: { neighbourhood: string; years: number }[];
}

/** Persons' life expectancy at birth of one group, from both sexes' tables and levels. */
function personsAtBirth(
  tables: Record<Sex, ExpectedTable>,
  parameters: Record<Sex, MortalityParameters>,
  group: number,
): number {
  const exposure = new Array<number>(LIFE_TABLE_START_AGES.length).fill(0);
  const deaths = new Array<number>(LIFE_TABLE_START_AGES.length).fill(0);
  for (const sex of SEXES) {
    const scaledDeaths = scaled(
      tables[sex].deaths[group] as number[],
      parameters[sex].kUnder65,
      parameters[sex].k65Plus,
    );
    (tables[sex].exposure[group] as number[]).forEach((e, b) => {
      exposure[b] = (exposure[b] ?? 0) + e;
      deaths[b] = (deaths[b] ?? 0) + (scaledDeaths[b] ?? 0);
    });
  }
  return lifeExpectancyAt(exposure, deaths, 0);
}

/**
 * Solves the levels and gradients. Life expectancy at 65 and its inequality depend only on the rates
 * from 65, so γ(65+) and k(65+) are solved first, per sex (k for the level, γ for the SII at 65). Then
 * one γ(under 65) for both sexes sets the gap between the neighbourhoods whose life expectancy is
 * published (the most and the least deprived), while k(under 65) keeps each sex's life expectancy at
 * birth on its target. Each neighbourhood's own figure then follows from its deprivation and ages.
 */
export function calibrateMortality(
  cells: readonly PopulationCell[],
  inputs: SynthInputs,
  targets: MortalityTargets,
  years: number,
): MortalityModel {
  const deciles = localDeciles(inputs);
  const parameters: Record<Sex, MortalityParameters> = {
    female: { kUnder65: 1, k65Plus: 1, gradientUnder65: 1, gradient65Plus: 1 },
    male: { kUnder65: 1, k65Plus: 1, gradientUnder65: 1, gradient65Plus: 1 },
  };
  const tablesFor = (sex: Sex, groupOf: readonly number[]) =>
    expectedTables(
      cells,
      inputs,
      groupOf,
      mortalityModel(inputs, { ...parameters, [sex]: { ...parameters[sex], kUnder65: 1, k65Plus: 1 } }),
      sex,
      years,
    );
  for (const sex of SEXES) {
    const p = parameters[sex];
    p.gradient65Plus = bisect(
      (g) => {
        p.gradient65Plus = g;
        const tables = tablesFor(sex, deciles);
        p.k65Plus = bisect((k) => expectedAt(tables, 1, k, 65), targets.at65[sex], 0.2, 4, false);
        return expectedSii65(tables, 1, p.k65Plus);
      },
      targets.sii65[sex],
      0,
      5,
      true,
    );
    const tables = tablesFor(sex, deciles);
    p.k65Plus = bisect((k) => expectedAt(tables, 1, k, 65), targets.at65[sex], 0.2, 4, false);
  }

  const codes = [...new Set(inputs.lsoas.map((l) => l.neighbourhood))];
  const hoodOf = inputs.lsoas.map((l) => codes.indexOf(l.neighbourhood) + 1);
  const published = [...targets.neighbourhoodsAtBirth].sort((a, b) => b.years - a.years);
  const high = published[0];
  const low = published.at(-1);
  const solveUnder65 = (gradient: number, shift = 0) => {
    const tables = {} as Record<Sex, ExpectedTable>;
    for (const sex of SEXES) {
      const p = parameters[sex];
      p.gradientUnder65 = gradient;
      const byDecile = tablesFor(sex, deciles);
      p.kUnder65 = bisect(
        (k) => expectedAt(byDecile, k, p.k65Plus, 0),
        targets.atBirth[sex] + shift,
        0.1,
        8,
        false,
      );
      tables[sex] = tablesFor(sex, hoodOf);
    }
    return tables;
  };
  if (high && low && high !== low) {
    const at = (tables: Record<Sex, ExpectedTable>, n: { neighbourhood: string }) =>
      personsAtBirth(tables, parameters, codes.indexOf(n.neighbourhood));
    const gradient = bisect(
      (g) => {
        const tables = solveUnder65(g);
        return at(tables, high) - at(tables, low);
      },
      high.years - low.years,
      0,
      5,
      true,
    );
    // The borough's and the neighbourhoods' published figures come from different periods and cannot all
    // be met exactly, so the borough's level is raised by part of the neighbourhoods' shortfall (40%,
    // which balanced the three deviations in the generated populations of eight seeds; see
    // docs/clinical/synthetic-population.md), staying well within its tolerance of a year.
    const tables = solveUnder65(gradient);
    const shortfall = Math.max(high.years - at(tables, high), low.years - at(tables, low));
    solveUnder65(gradient, Math.max(-0.8, Math.min(0.8, shortfall * 0.4)));
  } else solveUnder65(1);
  return mortalityModel(inputs, parameters);
}
