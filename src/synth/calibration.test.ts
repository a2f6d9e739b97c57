// The calibration test: synthetic Bury at full size (195,500 people, not a sample) reproduces every
// figure the borough publishes, within tolerance: life expectancy ±1.0 year, percentages ±1.0 point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addPerson, calibrationReport, emptyAggregates, formatReport } from './calibration-report.ts';
import { generatePeople, prepareGeneration } from './generate.ts';
import { readSynthInputs } from './inputs.ts';
import { DEFAULT_SYNTH } from './synth-defaults.ts';

test('synthetic Bury reproduces the published figures', { timeout: 180_000 }, () => {
  const inputs = readSynthInputs('place-packs/bury', 'reference');
  const window = { start: DEFAULT_SYNTH.start, end: DEFAULT_SYNTH.end };
  const g = prepareGeneration(inputs, {
    seed: DEFAULT_SYNTH.seed,
    people: inputs.place.residents,
    ...window,
  });
  const agg = emptyAggregates();
  for (const person of generatePeople(g)) addPerson(agg, person, window);
  const report = calibrationReport(inputs, agg, window);
  const misses = report.rows.filter((r) => !r.withinTolerance);
  assert.equal(report.people, 195_500);
  assert.deepEqual(misses, [], formatReport(report));
  assert.ok(report.rows.length >= 19);
});
