// What a synthetic population is generated from: the place pack (areas, practices and the published
// population figures in its population/ folder) and the national reference data (death rates, the
// deprivation gradient of hospital use). `readSynthInputs` is the IO edge; everything after is pure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../core/errors.ts';
import { readValidPlacePack } from '../place/load-place-pack.ts';
import type { PlacePack } from '../place/place-pack.ts';

export const MAX_AGE = 90; // single years 0..89 and a last group "90 and over"
export type Sex = 'female' | 'male';
export const SEXES: readonly Sex[] = ['female', 'male'];

export interface SynthLsoa {
  code: string;
  name: string;
  neighbourhood: string;
  ward: string;
  msoaName: string;
  imd2019Decile: number;
  imd2019Rank: number;
  /** Residents by single year of age 0..89 and 90+ (index 90). */
  ages: number[];
}

export interface PublishedFigure {
  id: string;
  /** "borough", "neighbourhood:<code>" or "msoa:<name>". */
  area: string;
  figure: string;
  value: number;
  unit: string;
  tolerance: number;
  comparison: 'about' | 'more-than';
  source: string;
}

export interface SynthInputs {
  place: { id: string; name: string; ladCode: string; residents: number; year: number };
  lsoas: SynthLsoa[];
  practices: { odsCode: string; neighbourhood: string; listSize: number }[];
  /** Census 2021 residents by sex and single year of age (index 90 = 90+). */
  sexByAge: Record<Sex, number[]>;
  ethnicityByLsoa: Map<string, { broadGroup: string; residents: number }[]>;
  ethnicityDetailed: { broadGroup: string; group: string; residents: number }[];
  qof: { practice: string; register: string; registerSize: number; listType: string; listSize: number }[];
  hospitalRates: { setting: string; activity: string; sex: Sex; age: number; rate: number }[];
  meanLengthOfStay: { admission: string; sex: Sex; ageBand: string; days: number }[];
  localIndicators: { indicator: string; measure: string; period: string; sex: string; value: number }[];
  published: PublishedFigure[];
  /** England death rates by sex, national IMD quintile (1 = most deprived) and age 11..89. */
  deathRatesByQuintile: Map<string, number>;
  /** England and Wales death rates by sex and single year of age 0..110. */
  deathRates: Record<Sex, number[]>;
  /** England hospital use 2011/12 by activity, sex, age (0..85) and IMD quintile: [population, count]. */
  hospitalUseByDeprivation: {
    activity: string;
    age: number;
    sex: Sex;
    quintile: number;
    population: number;
    count: number;
  }[];
}

type Row = Record<string, string>;

function readCsvFile(file: string): Row[] {
  try {
    return parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true });
  } catch (e) {
    throw new AppError('invalid', `Cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Rows for women or for men (not the persons totals some files also hold). */
const isOneSex = (r: Row) => ['F', 'M', 'female', 'male', 'Female', 'Male'].includes(r.sex ?? '');
const sexOf = (s: string): Sex => (s === 'F' || s.toLowerCase() === 'female' ? 'female' : 'male');
export const deathRateKey = (sex: Sex, quintile: number, age: number) => `${sex}|${quintile}|${age}`;

/** Reads everything generation needs for the place pack in `packDir`, with national data from `referenceDir`. */
export function readSynthInputs(packDir: string, referenceDir: string): SynthInputs {
  const { pack } = readValidPlacePack(packDir);
  const pop = (name: string) => readCsvFile(path.join(packDir, 'population', name));
  const ref = (name: string) => readCsvFile(path.join(referenceDir, name));
  return buildSynthInputs(pack, {
    ages: pop('lsoa-single-year-ages.csv'),
    sexByAge: pop('sex-by-age.csv'),
    ethnicityByLsoa: pop('ethnicity-by-lsoa.csv'),
    ethnicityDetailed: pop('ethnicity-detailed.csv'),
    qof: pop('qof-prevalence.csv'),
    hospitalRates: pop('hospital-activity-rates.csv'),
    meanLengthOfStay: pop('mean-length-of-stay.csv'),
    localIndicators: pop('local-indicators.csv'),
    published: pop('published-figures.csv'),
    deathRatesByQuintile: ref('mortality/england-death-rates-by-imd-quintile-2012-2016.csv'),
    deathRates: ref('mortality/england-wales-death-rates-2014-2018.csv'),
    hospitalUseByDeprivation: ref('activity/hes-2011-12-by-age-sex-imd-quintile.csv'),
  });
}

export interface SynthFiles {
  ages: Row[];
  sexByAge: Row[];
  ethnicityByLsoa: Row[];
  ethnicityDetailed: Row[];
  qof: Row[];
  hospitalRates: Row[];
  meanLengthOfStay: Row[];
  localIndicators: Row[];
  published: Row[];
  deathRatesByQuintile: Row[];
  deathRates: Row[];
  hospitalUseByDeprivation: Row[];
}

const num = (v: string | undefined, what: string): number => {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(n))
    throw new AppError('invalid', `${what} is not a number: "${v}"`);
  return n;
};

/** Pure: turns the rows of the calibration files into SynthInputs, checking they fit together. */
export function buildSynthInputs(pack: PlacePack, f: SynthFiles): SynthInputs {
  const agesByLsoa = new Map(
    f.ages.map((r) => [
      r.lsoa as string,
      Array.from({ length: MAX_AGE + 1 }, (_, a) =>
        num(
          r[a === MAX_AGE ? 'age_90_plus' : `age_${a}`],
          `population/lsoa-single-year-ages.csv: ${r.lsoa} age ${a}`,
        ),
      ),
    ]),
  );
  const lsoas = pack.lsoas.map((l): SynthLsoa => {
    const ages = agesByLsoa.get(l.code);
    if (!ages)
      throw new AppError('invalid', `population/lsoa-single-year-ages.csv has no row for the LSOA ${l.code}`);
    return {
      code: l.code,
      name: l.name,
      neighbourhood: l.neighbourhood,
      ward: l.ward,
      msoaName: l.msoaName,
      imd2019Decile: l.imd2019Decile,
      imd2019Rank: l.imd2019Rank,
      ages,
    };
  });
  const sexByAge: Record<Sex, number[]> = { female: [], male: [] };
  for (const r of f.sexByAge) {
    const age = num(r.age, 'population/sex-by-age.csv age');
    sexByAge.female[age] = num(r.female, `population/sex-by-age.csv female at ${age}`);
    sexByAge.male[age] = num(r.male, `population/sex-by-age.csv male at ${age}`);
  }
  const ethnicityByLsoa = new Map<string, { broadGroup: string; residents: number }[]>();
  for (const r of f.ethnicityByLsoa) {
    const list = ethnicityByLsoa.get(r.lsoa as string) ?? [];
    list.push({ broadGroup: r.broad_group as string, residents: num(r.residents, 'ethnicity residents') });
    ethnicityByLsoa.set(r.lsoa as string, list);
  }
  const deathRatesByQuintile = new Map<string, number>();
  for (const r of f.deathRatesByQuintile)
    deathRatesByQuintile.set(
      deathRateKey(sexOf(r.sex as string), num(r.imd_quintile, 'imd_quintile'), num(r.age, 'age')),
      num(r.mx, 'mx'),
    );
  const deathRates: Record<Sex, number[]> = { female: [], male: [] };
  for (const r of f.deathRates) {
    const age = num(r.age, 'age');
    deathRates.female[age] = num(r.mx_female, 'mx_female');
    deathRates.male[age] = num(r.mx_male, 'mx_male');
  }
  return {
    place: {
      id: pack.id,
      name: pack.name,
      ladCode: pack.ladCode,
      residents: pack.population.residents,
      year: pack.population.year,
    },
    lsoas,
    practices: pack.practices
      .filter((p) => p.isOpen)
      .map((p) => ({ odsCode: p.odsCode, neighbourhood: p.neighbourhood, listSize: p.listSize2021 })),
    sexByAge,
    ethnicityByLsoa,
    ethnicityDetailed: f.ethnicityDetailed.map((r) => ({
      broadGroup: r.broad_group as string,
      group: r.group as string,
      residents: num(r.residents, 'ethnicity residents'),
    })),
    qof: f.qof.map((r) => ({
      practice: r.practice as string,
      register: r.register as string,
      registerSize: num(r.register_size, 'register_size'),
      listType: r.list_type as string,
      listSize: num(r.list_size, 'list_size'),
    })),
    hospitalRates: f.hospitalRates.filter(isOneSex).map((r) => ({
      setting: r.setting as string,
      activity: r.activity as string,
      sex: sexOf(r.sex as string),
      age: num(r.age, 'age'),
      rate: num(r.rate_per_person_year, 'rate'),
    })),
    meanLengthOfStay: f.meanLengthOfStay.filter(isOneSex).map((r) => ({
      admission: r.admission as string,
      sex: sexOf(r.sex as string),
      ageBand: r.age_band as string,
      days: num(r.mean_los_days, 'mean_los_days'),
    })),
    localIndicators: f.localIndicators.map((r) => ({
      indicator: r.indicator as string,
      measure: r.measure as string,
      period: r.period as string,
      sex: r.sex as string,
      value: num(r.value, 'value'),
    })),
    published: f.published.map((r) => ({
      id: r.id as string,
      area: r.area as string,
      figure: r.figure as string,
      value: num(r.value, 'value'),
      unit: r.unit as string,
      tolerance: num(r.tolerance, 'tolerance'),
      comparison: r.comparison === 'more-than' ? 'more-than' : 'about',
      source: r.source as string,
    })),
    deathRatesByQuintile,
    deathRates,
    hospitalUseByDeprivation: f.hospitalUseByDeprivation.map((r) => ({
      activity: r.activity as string,
      age: num(r.age, 'age'),
      sex: sexOf(r.sex as string),
      quintile: num(r.imd_quintile, 'imd_quintile'),
      population: num(r.population, 'population'),
      count: num(r.count, 'count'),
    })),
  };
}
