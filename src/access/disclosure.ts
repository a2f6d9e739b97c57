// Small-number suppression: the one rule every aggregate shown to analysts and boards passes through
// (NHS small-number publication practice, as the quality standard S-9 states it). A count of 1 to 7
// is shown as "*"; every other count, totals included, is rounded to the nearest 5 (halves up). Zero
// stays zero. Totals are rounded from the true total, never summed from rounded cells. Rounding alone
// does not protect a hidden cell beside a total: a reader knows every shown cell is at least 8, and a
// row of "*", 10, 10 with a total of 15 leaves only 1 for the hidden cell (the property test found
// this). So a total over any hidden cell is hidden too: the totals of its row and column, and the
// grand total. Pure.

/** Counts from 1 to this are hidden. */
export const SUPPRESS_AT_MOST = 7;
/** Other counts are rounded to a multiple of this. */
export const ROUND_TO = 5;

export type Disclosed = {
  readonly shown: string;
  readonly value: number | null;
  readonly isSuppressed: boolean;
};

/** One count as it may be published. */
export function discloseCount(count: number): Disclosed {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`a count must be a whole number of 0 or more, not ${count}`);
  if (count === 0) return { shown: '0', value: 0, isSuppressed: false };
  if (count <= SUPPRESS_AT_MOST) return { shown: '*', value: null, isSuppressed: true };
  const value = Math.floor(count / ROUND_TO + 0.5) * ROUND_TO;
  return { shown: value.toLocaleString('en-GB'), value, isSuppressed: false };
}

/** A table of counts with its row, column and grand totals, each disclosed by the one rule. */
export function discloseTable(cells: readonly (readonly number[])[]): {
  cells: Disclosed[][];
  rowTotals: Disclosed[];
  columnTotals: Disclosed[];
  total: Disclosed;
} {
  const columns = Math.max(0, ...cells.map((r) => r.length));
  const rowTotals = cells.map((r) => r.reduce((t, c) => t + c, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) => cells.reduce((t, r) => t + (r[j] ?? 0), 0));
  const isHidden = (c: number) => c >= 1 && c <= SUPPRESS_AT_MOST;
  const hiddenTotal: Disclosed = { shown: '*', value: null, isSuppressed: true };
  const anyHidden = cells.some((r) => r.some(isHidden));
  return {
    cells: cells.map((r) => r.map(discloseCount)),
    rowTotals: rowTotals.map((t, i) => ((cells[i] ?? []).some(isHidden) ? hiddenTotal : discloseCount(t))),
    columnTotals: columnTotals.map((t, j) =>
      cells.some((r) => isHidden(r[j] ?? 0)) ? hiddenTotal : discloseCount(t),
    ),
    total: anyHidden ? hiddenTotal : discloseCount(rowTotals.reduce((t, c) => t + c, 0)),
  };
}
