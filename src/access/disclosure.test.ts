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

  it('a hidden cell cannot be recovered from the published cells and totals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (cells) => {
          const t = discloseTable(cells);
          for (const [i, row] of cells.entries())
            for (const [j, c] of row.entries()) {
              if (c < 1 || c > 7) continue;
              assert.equal(t.rowTotals[i]?.isSuppressed, true, 'the row total over a hidden cell is hidden');
              assert.equal(t.columnTotals[j]?.isSuppressed, true, 'so is the column total');
              assert.equal(t.total.isSuppressed, true, 'and the grand total');
            }
        },
      ),
    );
    // The case the rule was changed for: with its total shown, "*", 10, 10 and 15 leave only 1.
    const t = discloseTable([[1, 8, 8]]);
    assert.deepEqual([t.rowTotals[0]?.shown, t.total.shown], ['*', '*']);
  });

  it('totals are rounded from the true totals, and hidden over a hidden cell', () => {
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
      ['*', '20'],
    );
    assert.deepEqual(
      t.columnTotals.map((c) => c.shown),
      ['10', '20', '*'],
    );
    assert.equal(t.total.shown, '*');
    const whole = discloseTable([
      [8, 12],
      [30, 9],
    ]);
    assert.deepEqual(
      whole.rowTotals.map((c) => c.shown),
      ['20', '40'],
      'rounded from 20 and 39, not summed',
    );
    assert.equal(whole.total.shown, '60');
  });
});
