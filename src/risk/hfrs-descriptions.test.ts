import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadHfrsDescriptions } from './hfrs-descriptions.ts';
import { loadHfrsWeights } from './hfrs-weights.ts';
import { readHfrsDescriptions } from './read-hfrs-descriptions.ts';
import { readReference } from './reference-files.test-helper.ts';

test('every HFRS code in the weights has a description, read from the product’s own reference folder', () => {
  const descriptions = readHfrsDescriptions();
  const weights = loadHfrsWeights(readReference('frailty/hfrs/hfrs_icd10_weights.csv'));
  assert.equal(descriptions.size, 109);
  assert.deepEqual([...descriptions.keys()].sort(), [...weights.keys()].sort());
  assert.equal(descriptions.get('W19'), 'Unspecified fall');
  assert.equal(descriptions.get('F05'), 'Delirium, not induced by alcohol and other psychoactive substances');
});

test('a row without a code or a description is refused', () => {
  assert.throws(() => loadHfrsDescriptions('icd10_code,description,weight\nW19,,3.2\n'), /bad row 'W19'/);
  assert.throws(() => loadHfrsDescriptions('icd10_code,description,weight\nW1,Fall,3.2\n'), /bad row 'W1'/);
});
