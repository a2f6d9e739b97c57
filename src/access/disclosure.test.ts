import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { discloseCount, discloseTable } from './disclosure.ts';

describe('small-number suppression', () => {
  it('hides 1 to 7, shows 0, and rounds the rest to the nearest 5 (halves up)', () => {
    assert.equal(discloseCount(0).shown, '0');
    for (const n of [1, 2, 7])
      assert.deepEqual(discloseCount(n), { shown: '*', value: null, isSuppressed: true });
    assert.equal(discloseCount(8).value, 10);
    assert.equal(discloseCount(12).value, 10);
    assert.equal(discloseCount(12.5 * 2).value, 25);
    assert.equal(discloseCount(13).value, 15);
    assert.equal(discloseCount(17).value, 15);
    assert.equal(discloseCount(18).value, 20);
    assert.equal(discloseCount(1234).shown, '1,235');
    assert.throws(() => discloseCount(-1));
    assert.throws(() => discloseCount(2.5));
  });

  it('every shown count is a multiple of 5 within 2 of the truth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 10_000_000 }), (n) => {
        const d = discloseCount(n);
        assert.ok(d.value !== null && d.value % 5 === 0 && Math.abs(d.value - n) <= 2);
      }),
    );
  });

  it('a hidden cell cannot be recovered from its row total and the other cells as published', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 8, max: 5000 }), { minLength: 1, maxLength: 6 }),
        (hidden, others) => {
          const table = discloseTable([[hidden, ...others]]);
          const total = table.rowTotals[0]?.value ?? 0;
          // What a reader knows: each shown count v is the truth within 2 (and at least 8); the total too.
          const shown = (table.cells[0] ?? []).slice(1).map((c) => c.value ?? 0);
          const least = shown.reduce((t, v) => t + Math.max(8, v - 2), 0);
          const most = shown.reduce((t, v) => t + v + 2, 0);
          const consistent = [1, 2, 3, 4, 5, 6, 7].filter(
            (h) => h >= total - 2 - most && h <= total + 2 - least,
          );
          assert.ok(consistent.includes(hidden));
          assert.ok(consistent.length >= 2, `only ${consistent} fit`);
        },
      ),
    );
  });

  it('totals are rounded from the true totals, not summed from rounded cells', () => {
    const t = discloseTable([
      [8, 8, 3],
      [0, 12, 9],
    ]);
    assert.deepEqual(
      t.cells[0]?.map((c) => c.shown),
      ['10', '10', '*'],
    );
    assert.deepEqual(
      t.rowTotals.map((c) => c.shown),
      ['20', '20'],
    );
    assert.deepEqual(
      t.columnTotals.map((c) => c.shown),
      ['10', '20', '10'],
    );
    assert.equal(t.total.shown, '40');
  });
});
