// The acceptance figure: on synthetic Bury at full size, the North and East placemats show life
// expectancy near 82 and 78 years (the seeds' figures), computed by the placemat's own life tables. The
// people come from the generator in memory (as the calibration test does); they are counted as the
// profile's SQL counts them: residents without an opt-out, deaths in the three years to 31 December 2025
// by age at death, and person-years as residents alive at the middle of each of those years.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIFE_TABLE_START_AGES } from '../stats/life-table.ts';
import { generatePeople, prepareGeneration } from '../synth/generate.ts';
import { readSynthInputs } from '../synth/inputs.ts';
import { DEFAULT_SYNTH } from '../synth/synth-defaults.ts';
import { lifeExpectancies } from './placemats.ts';
import { profilePeriods } from './profile-counts.store.ts';

const ageOn = (dob: string, day: string) => {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};
const lifeBand = (age: number) => LIFE_TABLE_START_AGES.filter((a) => a <= age).at(-1) ?? 0;

test('synthetic Bury: life expectancy in North near 82 and in East near 78, with intervals', {
  timeout: 180_000,
}, () => {
  const inputs = readSynthInputs('place-packs/bury', 'reference');
  const g = prepareGeneration(inputs, {
    seed: DEFAULT_SYNTH.seed,
    people: inputs.place.residents,
    start: DEFAULT_SYNTH.start,
    end: DEFAULT_SYNTH.end,
  });
  const periods = profilePeriods(DEFAULT_SYNTH.end);
  const neighbourhoodOf = new Map(inputs.lsoas.map((l) => [l.code, l.neighbourhood]));
  const counts = new Map<string, Map<string, number>>();
  const add = (area: string, key: string) => {
    const m = counts.get(area) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    counts.set(area, m);
  };
  for (const p of generatePeople(g)) {
    if (p.nationalDataOptOut || p.type1Objection) continue;
    const area = neighbourhoodOf.get(p.lsoa) ?? '';
    const died = p.dateOfDeath;
    if (died !== null && died > periods.lifeFrom && died <= periods.referenceDate)
      add(area, `ledeath|${p.sex}|${lifeBand(ageOn(p.dateOfBirth, died))}`);
    for (const day of periods.lifeMidYears)
      if (p.dateOfBirth <= day && (died === null || died > day))
        add(area, `lepop|${p.sex}|${lifeBand(ageOn(p.dateOfBirth, day))}`);
  }
  const atBirth = (area: string) =>
    lifeExpectancies(counts.get(area) ?? new Map()).find((l) => l.sex === 'persons' && l.age === 0);
  const north = atBirth('north');
  const east = atBirth('east');
  for (const [name, le, published] of [
    ['North', north, 82],
    ['East', east, 78],
  ] as const) {
    assert.ok(le?.value !== null && le?.value !== undefined, `${name} has a life expectancy`);
    assert.ok(
      Math.abs(le.value - published) <= 1,
      `${name}: ${le.value} years, published about ${published}`,
    );
    assert.ok(
      le.lower !== null && le.upper !== null && le.lower < le.value && le.value < le.upper,
      `${name} has an interval`,
    );
  }
});
