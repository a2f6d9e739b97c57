import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../core/errors.ts';
import { serviceInput, serviceUpdate } from '../core/schemas/directory-edit.ts';
import { changedFields, checkReviewDate, reviewState, type ServiceFields } from './directory-edit.ts';

const TERM = '4b0c8b5e-5d4a-5b1f-9a43-0e8f3d5c2a11';
const PLACE = '8a2f5c1e-3b4d-5e6f-8a9b-0c1d2e3f4a5b';
const fields: ServiceFields = {
  organisationId: '1f2e3d4c-5b6a-5978-8695-a4b3c2d1e0f9',
  name: 'Lunch club',
  description: 'Hot lunch and company.',
  status: 'active',
  termIds: [TERM],
  minimumAge: 60,
  maximumAge: null,
  eligibilityDescription: null,
  isBoroughWide: false,
  locationIds: [PLACE],
  fees: '£4',
  url: null,
  email: null,
  reviewDate: '2027-06-30',
};

test('a review is overdue from its date, due soon within 30 days, otherwise not due', () => {
  assert.equal(reviewState('2026-12-04', '2026-12-04'), 'overdue');
  assert.equal(reviewState('2026-11-30', '2026-12-04'), 'overdue');
  assert.equal(reviewState('2026-12-05', '2026-12-04'), 'due-soon');
  assert.equal(reviewState('2027-01-03', '2026-12-04'), 'due-soon');
  assert.equal(reviewState('2027-01-04', '2026-12-04'), 'not-due');
});

test('the fields a save changes, in the form’s order; the order of needs and locations counts', () => {
  assert.deepEqual(changedFields(fields, { ...fields }), []);
  assert.deepEqual(changedFields(fields, { ...fields, fees: null, name: 'Lunch club, Radcliffe' }), [
    'name',
    'fees',
  ]);
  const other = '9d8c7b6a-5f4e-5d3c-8b2a-1f0e9d8c7b6a';
  assert.deepEqual(changedFields(fields, { ...fields, termIds: [TERM, other] }), ['termIds']);
  assert.deepEqual(
    changedFields({ ...fields, locationIds: [PLACE, other] }, { ...fields, locationIds: [other, PLACE] }),
    ['locationIds'],
  );
  assert.deepEqual(changedFields(fields, { ...fields, maximumAge: 0 }), ['maximumAge'], '0 is not null');
});

test('a review date is today or later and within two years, unless left as it was', () => {
  const fieldOf = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (e) {
      assert.ok(isAppError(e));
      return e.problems[0]?.expression?.[0];
    }
  };
  assert.equal(
    fieldOf(() => checkReviewDate('2026-12-04', '2026-12-04')),
    null,
  );
  assert.equal(
    fieldOf(() => checkReviewDate('2028-12-04', '2026-12-04')),
    null,
  );
  assert.equal(
    fieldOf(() => checkReviewDate('2028-12-06', '2026-12-04')),
    'reviewDate',
  );
  assert.equal(
    fieldOf(() => checkReviewDate('2026-12-03', '2026-12-04')),
    'reviewDate',
  );
  assert.equal(
    fieldOf(() => checkReviewDate('2026-01-01', '2026-12-04', true)),
    null,
  );
});

test('the form’s rules: ages in order, somewhere to meet, text without control characters, empty is none', () => {
  const problems = (body: unknown) =>
    (serviceInput.safeParse(body).error?.issues ?? []).map((i) => i.path.join('.'));
  assert.deepEqual(problems({ ...fields }), []);
  assert.deepEqual(problems({ ...fields, minimumAge: 65, maximumAge: 18 }), ['maximumAge']);
  assert.deepEqual(problems({ ...fields, locationIds: [] }), ['locationIds']);
  assert.deepEqual(problems({ ...fields, locationIds: [], isBoroughWide: true }), []);
  assert.deepEqual(problems({ ...fields, name: 'Lunch\u0000club' }), ['name']);
  assert.deepEqual(problems({ ...fields, description: 'Line one.\nLine two.' }), [], 'paragraphs are kept');
  assert.deepEqual(problems({ ...fields, termIds: [TERM, TERM] }), ['termIds']);
  assert.deepEqual(problems({ ...fields, url: 'ftp://example.org' }), ['url']);
  assert.deepEqual(problems({ ...fields, reviewDate: '2027-02-30' }), ['reviewDate']);
  const parsed = serviceInput.parse({ ...fields, fees: '   ', eligibilityDescription: '' });
  assert.equal(parsed.fees, null);
  assert.equal(parsed.eligibilityDescription, null);
  assert.equal(parsed.checked, false);
  assert.deepEqual(
    (serviceUpdate.safeParse({ ...fields }).error?.issues ?? []).map((i) => i.path.join('.')),
    ['version'],
  );
});
