import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInLookBack, yearsBefore } from './look-back.ts';

describe('look-back windows on date strings', () => {
  it('goes back whole calendar years', () => {
    assert.equal(yearsBefore('2026-06-30', 1), '2025-06-30');
    assert.equal(yearsBefore('2026-06-30', 2), '2024-06-30');
  });

  it('turns 29 February into 28 February in a common year', () => {
    assert.equal(yearsBefore('2028-02-29', 1), '2027-02-28');
    assert.equal(yearsBefore('2028-02-29', 4), '2024-02-29');
  });

  it('excludes the first day and includes the index date', () => {
    assert.equal(isInLookBack('2024-06-30', '2026-06-30', 2), false);
    assert.equal(isInLookBack('2024-07-01', '2026-06-30', 2), true);
    assert.equal(isInLookBack('2026-06-30', '2026-06-30', 2), true);
    assert.equal(isInLookBack('2026-07-01', '2026-06-30', 2), false);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    assert.throws(() => yearsBefore('2026-6-30', 1), /YYYY-MM-DD/);
  });
});
