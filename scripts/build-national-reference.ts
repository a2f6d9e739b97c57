// Builds reference/ (national, not place-specific, reference data) from the public reference data
// collection beside the project. A maintainer's tool; the product reads only reference/.
//   node scripts/build-national-reference.ts [referenceDir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const ref = path.resolve(process.argv[2] ?? '../shared/reference');
const out = path.resolve('reference');
type Row = Record<string, string>;
const readCsv = (rel: string): Row[] =>
  parse(readFileSync(path.join(ref, rel)), { columns: true, skip_empty_lines: true, bom: true });
const writeCsv = (rel: string, rows: Record<string, string | number>[]) => {
  mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
  writeFileSync(path.join(out, rel), stringify(rows, { header: true }));
};

// Death rates by single year of age, sex and national IMD quintile, England, averaged over 2012–2016.
const stapm = readCsv('calibration/mortality/england_death_rates_age_sex_imdq_2012_2016_stapm.csv');
const sums = new Map<string, { sex: string; quintile: number; age: number; total: number; n: number }>();
for (const r of stapm) {
  const quintile = Number((r.imd_quintile as string)[0]);
  // The source numbers quintiles 1 = least deprived; the product uses 1 = most deprived, as IMD does.
  const imdQuintile = 6 - quintile;
  const key = `${r.sex}|${imdQuintile}|${r.age}`;
  const s = sums.get(key) ?? {
    sex: (r.sex as string).toLowerCase(),
    quintile: imdQuintile,
    age: Number(r.age),
    total: 0,
    n: 0,
  };
  s.total += Number(r.mx);
  s.n += 1;
  sums.set(key, s);
}
writeCsv(
  'mortality/england-death-rates-by-imd-quintile-2012-2016.csv',
  [...sums.values()]
    .sort((a, b) => a.sex.localeCompare(b.sex) || a.quintile - b.quintile || a.age - b.age)
    .map((s) => ({ sex: s.sex, imd_quintile: s.quintile, age: s.age, mx: (s.total / s.n).toPrecision(6) })),
);

// Death rates by single year of age and sex, England and Wales, averaged over 2014–2018 (HMD).
const hmd = readCsv('calibration/mortality/england_wales_hmd_mx_1x1_2010_2018.csv').filter(
  (r) => Number(r.year) >= 2014,
);
const ages = [...new Set(hmd.map((r) => r.age as string))];
writeCsv(
  'mortality/england-wales-death-rates-2014-2018.csv',
  ages.map((age) => {
    const rows = hmd.filter((r) => r.age === age);
    const mean = (k: string) => (rows.reduce((t, r) => t + Number(r[k]), 0) / rows.length).toPrecision(6);
    return { age: age.replace('+', ''), mx_female: mean('mx_female'), mx_male: mean('mx_male') };
  }),
);

// Hospital use by single year of age, sex and IMD quintile, England 2011/12 (for deprivation gradients).
writeCsv(
  'activity/hes-2011-12-by-age-sex-imd-quintile.csv',
  readCsv('calibration/activity/hes_2011_12_activity_by_age_sex_imd_quintile_england.csv').map((r) => ({
    activity: r.activity as string,
    age: (r.age as string).replace('+', ''),
    sex: r.sex as string,
    imd_quintile: r.imd2010_quintile_1_most_deprived as string,
    population: r.population_2011 as string,
    count: r.count as string,
  })),
);
console.log(`national reference written to ${out}`);
