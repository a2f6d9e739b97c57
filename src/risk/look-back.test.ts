import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInLookBack, monthsBefore, yearsBefore } from './look-back.ts';

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

  it('goes back whole calendar months, clamping to the end of a shorter month', () => {
    assert.equal(monthsBefore('2025-12-31', 12), yearsBefore('2025-12-31', 1));
    assert.equal(monthsBefore('2025-12-31', 1), '2025-11-30');
    assert.equal(monthsBefore('2025-05-31', 3), '2025-02-28');
    assert.equal(monthsBefore('2024-05-31', 3), '2024-02-29');
    assert.equal(monthsBefore('2025-01-15', 1), '2024-12-15');
    assert.equal(monthsBefore('2025-03-10', 36), '2022-03-10');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    assert.throws(() => yearsBefore('2026-6-30', 1), /YYYY-MM-DD/);
  });
});
