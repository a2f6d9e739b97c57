// The calibration report: every figure the place publishes about itself, beside the same figure
// measured on the synthetic population. Life expectancy is computed from the synthetic deaths and
// person-years by the Chiang II abridged life table, pooled over the window; the inequality in life
// expectancy at 65 is the slope index of inequality across the place's local deprivation deciles.
// The measures come from aggregates that either the database (SQL) or the generator (in memory)
// produce, so the same rules judge both. Pure.
import { calculateLifeExpectancy, LIFE_TABLE_START_AGES } from '../stats/life-table.ts';
import { calculateSii } from '../stats/sii.ts';
import { ageOn, birthdayDay, dayOf } from './dates.ts';
import type { Sex, SynthInputs } from './inputs.ts';
import { localDeciles } from './mortality.ts';

/** People counted on one day, by area and single year of age; and deaths and person-years over the window. */
export interface PopulationAggregates {
  /** Key `lsoa|age` → people alive on the measurement day. */
  alive: Map<string, number>;
  /** Key `sex|lsoa|band` → [person-years, deaths] over the window, band = life-table start age. */
  life: Map<string, [number, number]>;
}

export const emptyAggregates = (): PopulationAggregates => ({ alive: new Map(), life: new Map() });

const bandOf = (age: number): number => {
  let band = 0;
  for (const start of LIFE_TABLE_START_AGES) if (age >= start) band = start;
  return band;
};
const add = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/** The day on which residents and their ages are counted: the first day of the window. */
export const measurementDay = (windowStart: string): number => dayOf(windowStart);

/** Adds one person to the aggregates (the in-memory twin of the SQL in synth.store.ts). */
export function addPerson(
  agg: PopulationAggregates,
  person: { sex: Sex; lsoa: string; dateOfBirth: string; dateOfDeath: string | null },
  window: { start: string; end: string },
): void {
  const dob = dayOf(person.dateOfBirth);
  const start = dayOf(window.start);
  const end = dayOf(window.end);
  const death = person.dateOfDeath === null ? null : dayOf(person.dateOfDeath);
  const measured = measurementDay(window.start);
  if (dob <= measured && (death === null || death >= measured))
    add(agg.alive, `${person.lsoa}|${Math.min(90, ageOn(dob, measured))}`, 1);
  const entry = Math.max(start, dob);
  const exit = (death === null ? end : Math.min(death, end)) + 1; // exclusive
  if (exit <= entry) return;
  for (let age = ageOn(dob, entry); ; age++) {
    const from = Math.max(entry, birthdayDay(dob, age));
    const to = Math.min(exit, birthdayDay(dob, age + 1));
    if (from >= exit) break;
    const key = `${person.sex}|${person.lsoa}|${bandOf(age)}`;
    const cell = agg.life.get(key) ?? [0, 0];
    cell[0] += (to - from) / 365.25;
    agg.life.set(key, cell);
  }
  if (death !== null && death >= start && death <= end) {
    const key = `${person.sex}|${person.lsoa}|${bandOf(ageOn(dob, death))}`;
    const cell = agg.life.get(key) ?? [0, 0];
    cell[1] += 1;
    agg.life.set(key, cell);
  }
}

export interface ReportRow {
  id: string;
  figure: string;
  area: string;
  target: number;
  unit: string;
  comparison: 'about' | 'more-than';
  tolerance: number;
  measured: number | null;
  lower: number | null;
  upper: number | null;
  withinTolerance: boolean;
  source: string;
}

export interface CalibrationReport {
  place: string;
  people: number;
  window: { start: string; end: string };
  rows: ReportRow[];
  allWithinTolerance: boolean;
}

interface LifeSelection {
  sexes: readonly Sex[];
  lsoas: ReadonlySet<string>;
}

function lifeTable(agg: PopulationAggregates, select: LifeSelection) {
  const bands = LIFE_TABLE_START_AGES.map((startAge) => ({ startAge, population: 0, deaths: 0 }));
  for (const [key, [py, deaths]] of agg.life) {
    const [sex, lsoa, band] = key.split('|');
    if (!select.sexes.includes(sex as Sex) || !select.lsoas.has(lsoa as string)) continue;
    const b = bands.find((x) => x.startAge === Number(band));
    if (b) {
      b.population += py;
      b.deaths += deaths;
    }
  }
  return calculateLifeExpectancy(bands);
}

const atAge = (result: ReturnType<typeof calculateLifeExpectancy>, age: number) =>
  result.rows.find((r) => r.startAge === age);

/** Measures every published figure on the aggregates and judges it against its tolerance. */
export function calibrationReport(
  inputs: SynthInputs,
  agg: PopulationAggregates,
  window: { start: string; end: string },
  requestedPeople?: number,
): CalibrationReport {
  const allLsoas = new Set(inputs.lsoas.map((l) => l.code));
  const inArea = (area: string): Set<string> => {
    if (area === 'borough') return allLsoas;
    const [kind, value] = area.split(':');
    return new Set(
      inputs.lsoas
        .filter((l) => (kind === 'neighbourhood' ? l.neighbourhood === value : l.msoaName === value))
        .map((l) => l.code),
    );
  };
  /** Residents alive in the area, of ages from..to. */
  const residents = (area: string, from = 0, to = Number.POSITIVE_INFINITY) => {
    const lsoas = inArea(area);
    let n = 0;
    for (const [key, count] of agg.alive) {
      const [lsoa, age] = key.split('|');
      if (lsoas.has(lsoa as string) && Number(age) >= from && Number(age) <= to) n += count;
    }
    return n;
  };
  const percent = (part: number, all: number) => (all === 0 ? null : (100 * part) / all);
  const share = (area: string, from: number, to: number) =>
    percent(residents(area, from, to), residents(area));
  const people = [...agg.alive.values()].reduce((a, b) => a + b, 0);
  const shareOfPlace = (area: string) => percent(residents(area), people);
  const deciles = localDeciles(inputs);

  const measure = (
    id: string,
    area: string,
  ): { value: number | null; lower?: number | null; upper?: number | null } => {
    const sexOf = (s: string): readonly Sex[] =>
      s === 'male' ? ['male'] : s === 'female' ? ['female'] : ['female', 'male'];
    switch (true) {
      case id === 'population':
        return { value: people };
      case id === 'lsoas_decile_1':
        return { value: inputs.lsoas.filter((l) => l.imd2019Decile === 1).length };
      case id.endsWith('share_under_18'):
        return { value: share(area, 0, 17) };
      case id.endsWith('share_18_64'):
        return { value: share(area, 18, 64) };
      case id.endsWith('share_65_plus'):
        return { value: share(area, 65, 200) };
      case id.endsWith('share_75_plus'):
        return { value: share(area, 75, 200) };
      case id.endsWith('share_under_15'):
        return { value: share(area, 0, 14) };
      case id.endsWith('share_of_residents'):
        return { value: shareOfPlace(area) };
      case id.startsWith('sii_le_65_') || id.startsWith('sii_le_birth_'): {
        const startAge = id.startsWith('sii_le_65_') ? 65 : 0;
        const sexes = sexOf(id.split('_').at(-1) ?? 'persons');
        const rows = Array.from({ length: 10 }, (_, d) => {
          const lsoas = new Set(inputs.lsoas.filter((_, i) => deciles[i] === d + 1).map((l) => l.code));
          const le = atAge(lifeTable(agg, { sexes, lsoas }), startAge);
          return {
            quantile: d + 1,
            value: le?.value ?? Number.NaN,
            population: le?.populationUsed ?? 0,
            lower: le?.lower ?? undefined,
            upper: le?.upper ?? undefined,
          };
        });
        if (rows.some((r) => !Number.isFinite(r.value) || r.lower === undefined)) return { value: null };
        const sii = calculateSii(rows, { repetitions: 10_000 });
        return { value: sii.sii, lower: sii.intervals[0]?.siiLower, upper: sii.intervals[0]?.siiUpper };
      }
      case id.startsWith('le_birth_') || id.startsWith('le_65_') || id.endsWith('_le_birth'): {
        const age = id.startsWith('le_65_') ? 65 : 0;
        const sex = id.startsWith('le_') ? id.split('_').at(-1) : 'persons';
        const row = atAge(lifeTable(agg, { sexes: sexOf(sex ?? 'persons'), lsoas: inArea(area) }), age);
        return { value: row?.value ?? null, lower: row?.lower, upper: row?.upper };
      }
      default:
        return { value: null };
    }
  };

  // A population made at another size is judged against the size asked for.
  const published = inputs.published.map((f) =>
    f.id === 'population' && requestedPeople !== undefined && requestedPeople !== f.value
      ? {
          ...f,
          value: requestedPeople,
          figure: `Residents (as generated; the place publishes ${f.value.toLocaleString('en-GB')})`,
        }
      : f,
  );
  const rows = published.map((f): ReportRow => {
    const m = measure(f.id, f.area);
    const value = m.value;
    const within =
      value !== null &&
      (f.comparison === 'more-than'
        ? value > f.value - f.tolerance
        : Math.abs(value - f.value) <= f.tolerance + 1e-9);
    return {
      id: f.id,
      figure: f.figure,
      area: f.area,
      target: f.value,
      unit: f.unit,
      comparison: f.comparison,
      tolerance: f.tolerance,
      measured: value,
      lower: m.lower ?? null,
      upper: m.upper ?? null,
      withinTolerance: within,
      source: f.source,
    };
  });
  return {
    place: inputs.place.id,
    people,
    window,
    rows,
    allWithinTolerance: rows.every((r) => r.withinTolerance),
  };
}

/** The report as a table for a terminal. */
export function formatReport(report: CalibrationReport): string {
  const num = (v: number | null, unit: string) =>
    v === null
      ? '—'
      : unit === 'people' || unit === 'LSOAs'
        ? Math.round(v).toLocaleString('en-GB')
        : v.toFixed(1);
  const lines = report.rows.map((r) => {
    const target = `${r.comparison === 'more-than' ? '> ' : ''}${num(r.target, r.unit)}`;
    const ci =
      r.lower !== null && r.upper !== null ? ` (${r.lower.toFixed(1)} to ${r.upper.toFixed(1)})` : '';
    return `${r.withinTolerance ? 'ok  ' : 'MISS'}  ${r.figure.padEnd(72)} ${target.padStart(9)} ${`${num(r.measured, r.unit)}${ci}`.padStart(22)}  ±${r.tolerance}`;
  });
  return [
    `Calibration of synthetic ${report.place}: ${report.people.toLocaleString('en-GB')} residents, ${report.window.start} to ${report.window.end}`,
    '',
    `      ${'Published figure'.padEnd(72)} ${'target'.padStart(9)} ${'measured (95% CI)'.padStart(22)}  tolerance`,
    ...lines,
    '',
    report.allWithinTolerance
      ? 'Every figure is within its tolerance.'
      : 'Some figures are outside their tolerance.',
  ].join('\n');
}
