import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consentAllows } from './case-relationship.ts';

test('health and social care share on implied consent; other agencies need consent naming them', () => {
  const none = { status: 'not-recorded' as const, agencies: [] };
  const vcse = { status: 'given' as const, agencies: ['vcse-link-workers'] };
  assert.equal(consentAllows({ id: 'bury-community-health', kind: 'community-health' }, none), true);
  assert.equal(consentAllows({ id: 'P83005', kind: 'gp-practice' }, none), true);
  assert.equal(
    consentAllows({ id: 'bury-council-adult-social-care', kind: 'adult-social-care' }, none),
    true,
  );
  assert.equal(consentAllows({ id: 'pennine-care', kind: 'mental-health' }, none), true);
  assert.equal(consentAllows({ id: 'vcse-link-workers', kind: 'vcse' }, none), false);
  assert.equal(consentAllows({ id: 'vcse-link-workers', kind: 'vcse' }, vcse), true);
  assert.equal(consentAllows({ id: 'gmp-bury', kind: 'police' }, vcse), false);
  assert.equal(
    consentAllows(
      { id: 'vcse-link-workers', kind: 'vcse' },
      { status: 'withdrawn', agencies: ['vcse-link-workers'] },
    ),
    false,
  );
  // Staff whose agency is not known see nothing that needs consent.
  assert.equal(consentAllows({ id: null, kind: null }, vcse), false);
});
