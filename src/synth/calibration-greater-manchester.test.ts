// Synthetic Greater Manchester at a small scale (30,000 people, about 1 in 96) reproduces the figures
// its place pack publishes: each locality's share of the residents within half a point, and the
// shares under 18, 18 to 64 and 65 and over of the whole and of each locality within a point. The pack
// publishes no life expectancy, so the death rates are England and Wales's, uncalibrated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addPerson, calibrationReport, emptyAggregates, formatReport } from './calibration-report.ts';
import { generatePeople, prepareGeneration } from './generate.ts';
import { readSynthInputs } from './inputs.ts';
import { DEFAULT_SYNTH } from './synth-defaults.ts';

test('synthetic Greater Manchester reproduces the published figures', { timeout: 60_000 }, () => {
  const inputs = readSynthInputs('place-packs/greater-manchester', 'reference');
  const people = 30_000;
  const window = { start: DEFAULT_SYNTH.start, end: DEFAULT_SYNTH.end };
  const g = prepareGeneration(inputs, { seed: DEFAULT_SYNTH.seed, people, ...window });
  const agg = emptyAggregates();
  for (const person of generatePeople(g)) addPerson(agg, person, window);
  const report = calibrationReport(inputs, agg, window, people);
  assert.equal(report.people, people);
  assert.deepEqual(
    report.rows.filter((r) => !r.withinTolerance),
    [],
    formatReport(report),
  );
  // Residents, the three age shares of the whole, and four figures for each of the ten localities.
  assert.equal(report.rows.length, 44);
  assert.ok(report.rows.every((r) => r.unit !== 'years'));
});
