// Small-number suppression: the one rule every aggregate shown to analysts and boards passes through
// (NHS small-number publication practice, as the quality standard S-9 states it). A count of 1 to 7
// is shown as "*"; every other count, totals included, is rounded to the nearest 5 (halves up). Zero
// stays zero. Totals are rounded from the true total, never summed from rounded cells. Rounding alone
// does not protect a hidden cell beside a total: a reader knows every shown cell is at least 8, and a
// row of "*", 10, 10 with a total of 15 leaves only 1 for the hidden cell (the property test found
// this). So a total over any hidden cell is hidden too: the totals of its row and column, and the
// grand total. Counts tied by other sums (areas within areas, months within quarters) go through
// `discloseLinked` below. Pure.

/** Counts from 1 to this are hidden. */
export const SUPPRESS_AT_MOST = 7;
/** Other counts are rounded to a multiple of this. */
export const ROUND_TO = 5;

export type Disclosed = {
  readonly shown: string;
  readonly value: number | null;
  readonly isSuppressed: boolean;
};

const GROUPED = new Intl.NumberFormat('en-GB');

/** One count as it may be published. */
export function discloseCount(count: number): Disclosed {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`a count must be a whole number of 0 or more, not ${count}`);
  if (count === 0) return { shown: '0', value: 0, isSuppressed: false };
  if (count <= SUPPRESS_AT_MOST) return { shown: '*', value: null, isSuppressed: true };
  const value = Math.floor(count / ROUND_TO + 0.5) * ROUND_TO;
  return { shown: GROUPED.format(value), value, isSuppressed: false };
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

// ─── Linked counts: secondary suppression (decision 0016) ─────────────────────────────────────────────
// A profile publishes counts tied together by sums: a neighbourhood is the sum of its wards, an area's
// people the sum of its sex and age bands, a quarter the sum of its months, the borough's month the sum
// of its neighbourhoods'. Beside each count the page shows a rate worked out from the exact count, so a
// reader must be taken to know every shown count exactly, not to the nearest 5. Zeros are shown, so a
// hidden count is known to be at least 1. With the rule above alone, a neighbourhood less its shown
// wards gives a lone hidden ward exactly. `discloseLinked` hides more counts ("secondary suppression")
// until no hidden count can be narrowed to a single value by any combination of the published sums.
//
// Why the result is safe. For a hidden count h, a *witness* is a set of whole-number changes to the
// counts such that (i) no shown count changes; (ii) every sum still holds, its total changing by the sum
// of its parts' changes; (iii) every changed count stays at least 1; (iv) h changes. The true counts
// plus the changes are then a second table that agrees with everything published and gives h another
// value, so no reasoning from what is published, however clever, can pin h down. A witness protects
// every count it changes, and stays a witness when more counts are hidden (hiding only takes facts
// away). So: hide 1 to 7; then, for each hidden count that no witness yet changes, find a witness,
// letting shown counts into it at a cost, and hide the shown counts it uses. Every witness is checked
// against (i)–(iv) before it is used. A witness has to get round: a lone hidden part beside a shown
// total (another hidden part must change against it); hidden parts that are all 1 (none can go down);
// a hidden total over shown parts; and chains of sums (a ward is a part of its neighbourhood and the
// total of its LSOAs; a table's cell is in its row, its column, and the same cell of the area above).
//
// Finding one. The quick case first: two hidden parts of one sum that are in no other sum, one of them
// at least 2, change by +1 and −1. Otherwise a depth-first search over changes of +1 and −1: change h by
// one; then, while some sum is out of balance, take the one with the fewest ways to restore it and
// change one more of its counts: hidden counts first (free), then shown parts, and a shown total only
// after every part; within each, first those that also restore other sums, then the smallest. A count
// of 1 may not go down. A witness costs the sum of the shown counts it would hide. Small witnesses are
// looked for first (at most 2 counts changed, then 4, 8, …), each search within a number of steps, and
// the cheapest found is kept. If there is none, the search is repeated with increases only (a change
// that climbs each sum to its total, so no count of 1 can block it, but which hides totals). If that
// fails too, every non-zero count joined to h through sums is hidden: doubling all of them is a
// witness, because every sum is a total less its parts equalling zero. So every hidden count ends with
// a witness, after at most one search each; once a run has spent its steps (30 per count), searches
// are cut short, which can hide more but never less. Zeros are never hidden: a zero tells nothing
// about anyone, and showing every zero is what lets "*" mean "at least 1", the floor witnesses keep to.

/** Counts tied by sums: each sum says the count `total` is the sum of the counts `parts`. */
export interface LinkedSum {
  readonly total: string;
  readonly parts: readonly string[];
}

export interface LinkedCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly sums: readonly LinkedSum[];
}

/**
 * A count as published, and whether it is hidden only to protect another (secondary suppression). Never
 * publish `secondary`: a reader who knew which hidden counts are at least 8 could narrow them all.
 */
export type DisclosedLinked = Disclosed & { readonly secondary: boolean };

/**
 * The searches for a witness, in order: the most counts it may change, and the steps allowed. Smaller
 * witnesses first; the last, larger search is for the few counts the others miss.
 */
const SEARCHES: readonly (readonly [size: number, steps: number])[] = [
  [2, 2_000],
  [4, 2_000],
  [8, 2_000],
  [16, 2_000],
  [32, 2_000],
  [48, 20_000],
];
/** Size and steps for the search with increases only. */
const UP_ONLY_SEARCH = [128, 2_000] as const;
/** Steps spent looking for a cheaper witness once one is found. */
const IMPROVE_STEPS = 200;
/** Steps for the whole run (per count, and at least), after which each search is cut short. */
const RUN_STEPS_PER_COUNT = 30;
const RUN_STEPS_AT_LEAST = 300_000;
const SHORT_SEARCH_STEPS = 50;
/** Most ways to restore one sum that the search tries, best first. */
const WAYS_TRIED = 32;
/** Added to the cost of hiding a shown total, so that any choice of parts is preferred. */
const TOTAL_COST = 1e9;

const HIDDEN_TO_PROTECT: DisclosedLinked = Object.freeze({
  shown: '*',
  value: null,
  isSuppressed: true,
  secondary: true,
});

/**
 * Discloses counts tied by sums: each count by `discloseCount`, then further counts hidden ("secondary")
 * until no hidden count can be worked out from the shown counts and the sums. Throws if a sum names a
 * count it does not have or does not add up.
 */
export function discloseLinked(input: LinkedCounts): Map<string, DisclosedLinked> {
  const system = linkCounts(input);
  const primary = system.ids.map((id) => discloseCount(input.counts.get(id) ?? 0));
  const hidden = Uint8Array.from(primary, (p) => (p.isSuppressed ? 1 : 0));
  const secondary = protectHidden(system, hidden);
  const out = new Map<string, DisclosedLinked>();
  for (const [i, id] of system.ids.entries()) {
    const p = primary[i] as Disclosed;
    out.set(id, secondary[i] === 1 ? HIDDEN_TO_PROTECT : { ...p, secondary: false });
  }
  return out;
}

/** The counts and sums as arrays: sum e holds cells eqCell[eqStart[e]..eqStart[e+1]) with +1 for a part, −1 for its total. */
interface LinkedSystem {
  ids: string[];
  value: Float64Array;
  eqStart: Int32Array;
  eqCell: Int32Array;
  eqCoef: Int8Array;
  cellStart: Int32Array;
  cellEq: Int32Array;
  cellCoef: Int8Array;
}

function describeSum(sum: LinkedSum, k: number): string {
  const parts = sum.parts.slice(0, 4).map((p) => `"${p}"`);
  if (sum.parts.length > 4) parts.push(`and ${sum.parts.length - 4} more`);
  return `sum ${k + 1} ("${sum.total}" = ${parts.join(' + ') || 'nothing'})`;
}

function linkCounts(input: LinkedCounts): LinkedSystem {
  const ids = [...input.counts.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const value = Float64Array.from(ids, (id) => {
    const count = input.counts.get(id) ?? 0;
    if (!Number.isInteger(count) || count < 0) discloseCount(count); // throws, saying why
    return count;
  });
  const eqStart = [0];
  const eqCell: number[] = [];
  const eqCoef: number[] = [];
  const cellOf = (id: string, role: string, sum: LinkedSum, k: number) => {
    const i = index.get(id);
    if (i === undefined)
      throw new Error(`${describeSum(sum, k)}: its ${role} "${id}" is not one of the counts`);
    return i;
  };
  const seenIn = new Int32Array(ids.length).fill(-1);
  for (const [k, sum] of input.sums.entries()) {
    const total = cellOf(sum.total, 'total', sum, k);
    seenIn[total] = k;
    eqCell.push(total);
    eqCoef.push(-1);
    let partsAddTo = 0;
    for (const id of sum.parts) {
      const part = cellOf(id, 'part', sum, k);
      if (seenIn[part] === k) throw new Error(`${describeSum(sum, k)} names "${id}" twice`);
      seenIn[part] = k;
      eqCell.push(part);
      eqCoef.push(1);
      partsAddTo += value[part] ?? 0;
    }
    if (partsAddTo !== value[total])
      throw new Error(
        `${describeSum(sum, k)} does not add up: the total is ${value[total]} but the parts add up to ${partsAddTo}`,
      );
    eqStart.push(eqCell.length);
  }
  // The same, by cell: the sums each count is in.
  const cellStart = new Int32Array(ids.length + 1);
  for (const c of eqCell) cellStart[c + 1] = (cellStart[c + 1] ?? 0) + 1;
  for (let c = 0; c < ids.length; c++) cellStart[c + 1] = (cellStart[c + 1] ?? 0) + (cellStart[c] ?? 0);
  const fill = cellStart.slice(0, ids.length);
  const cellEq = new Int32Array(eqCell.length);
  const cellCoef = new Int8Array(eqCell.length);
  for (let e = 0; e + 1 < eqStart.length; e++)
    for (let k = eqStart[e] ?? 0; k < (eqStart[e + 1] ?? 0); k++) {
      const c = eqCell[k] ?? 0;
      const at = fill[c] ?? 0;
      fill[c] = at + 1;
      cellEq[at] = e;
      cellCoef[at] = eqCoef[k] ?? 0;
    }
  return {
    ids,
    value,
    eqStart: Int32Array.from(eqStart),
    eqCell: Int32Array.from(eqCell),
    eqCoef: Int8Array.from(eqCoef),
    cellStart,
    cellEq,
    cellCoef,
  };
}

/** A witness: the counts it changes and by how much. */
interface Witness {
  cells: number[];
  changes: number[];
}

/**
 * Hides further counts until every hidden count has a witness. `hidden` (1 for hidden) is updated in
 * place; returns 1 for each count hidden here.
 */
function protectHidden(system: LinkedSystem, hidden: Uint8Array): Uint8Array {
  const { value, eqStart, eqCell, eqCoef, cellStart, cellEq, cellCoef } = system;
  const cells = value.length;
  const sums = eqStart.length - 1;
  const secondary = new Uint8Array(cells);
  const covered = new Uint8Array(cells);

  // The search's state: the change to each count, each sum's imbalance, the sums out of balance, the
  // changed counts in order.
  const change = new Int8Array(cells);
  const imbalance = new Int32Array(sums);
  const outList = new Int32Array(sums);
  const outAt = new Int32Array(sums).fill(-1);
  let outCount = 0;
  const changed: number[] = [];
  const unbalance = (e: number) => {
    outAt[e] = outCount;
    outList[outCount++] = e;
  };
  const rebalance = (e: number) => {
    const at = outAt[e] ?? 0;
    const last = outList[--outCount] ?? 0;
    outList[at] = last;
    outAt[last] = at;
    outAt[e] = -1;
  };
  const apply = (c: number, v: number) => {
    change[c] = v;
    changed.push(c);
    for (let k = cellStart[c] ?? 0; k < (cellStart[c + 1] ?? 0); k++) {
      const e = cellEq[k] ?? 0;
      const before = imbalance[e] ?? 0;
      const after = before + (cellCoef[k] ?? 0) * v;
      imbalance[e] = after;
      if (before === 0) unbalance(e);
      else if (after === 0) rebalance(e);
    }
  };
  const undo = () => {
    const c = changed.pop() ?? 0;
    const v = change[c] ?? 0;
    change[c] = 0;
    for (let k = cellStart[c] ?? 0; k < (cellStart[c + 1] ?? 0); k++) {
      const e = cellEq[k] ?? 0;
      const before = imbalance[e] ?? 0;
      const after = before - (cellCoef[k] ?? 0) * v;
      imbalance[e] = after;
      if (before === 0) unbalance(e);
      else if (after === 0) rebalance(e);
    }
  };

  // The ways to restore sum e: its k-th count changed by `wayChange`, at `wayCost` (−1: no way).
  let wayChange = 0;
  let onlyUp = false;
  const wayCost = (e: number, k: number): number => {
    const c = eqCell[k] ?? 0;
    const x = value[c] ?? 0;
    if (change[c] !== 0 || x === 0) return -1;
    const coef = eqCoef[k] ?? 0;
    wayChange = (imbalance[e] ?? 0) > 0 ? -coef : coef;
    if (wayChange === -1 && (onlyUp || x < 2)) return -1;
    if (hidden[c] === 1) return 0;
    return coef === -1 ? TOTAL_COST + x : x;
  };
  /** How many other sums changing `c` by `v` brings into balance, less how many it puts out. */
  const helps = (c: number, v: number, e: number) => {
    let score = 0;
    for (let k = cellStart[c] ?? 0; k < (cellStart[c + 1] ?? 0); k++) {
      const f = cellEq[k] ?? 0;
      if (f === e) continue;
      const now = imbalance[f] ?? 0;
      score += now !== 0 && Math.sign(now) === -Math.sign((cellCoef[k] ?? 0) * v) ? 1 : -1;
    }
    return score;
  };

  // The ways tried at each depth of the search, one above another.
  const wayCell: number[] = [];
  const wayChanges: number[] = [];
  const wayCosts: number[] = [];
  const wayKey: number[] = [];
  let wayTop = 0;
  /** Puts the ways from `start` to `end` in order of their keys (insertion sort: there are usually few). */
  const sortWays = (start: number, end: number) => {
    if (end - start > 64) {
      const order = Array.from({ length: end - start }, (_, i) => start + i);
      order.sort((a, b) => (wayKey[a] ?? 0) - (wayKey[b] ?? 0));
      const moved = [wayCell, wayChanges, wayCosts, wayKey].map((a) => order.map((i) => a[i] ?? 0));
      for (const [j, a] of [wayCell, wayChanges, wayCosts, wayKey].entries())
        for (const [i, v] of (moved[j] ?? []).entries()) a[start + i] = v;
      return;
    }
    for (let i = start + 1; i < end; i++) {
      const [c, v, w, key] = [wayCell[i] ?? 0, wayChanges[i] ?? 0, wayCosts[i] ?? 0, wayKey[i] ?? 0];
      let at = i;
      for (; at > start && (wayKey[at - 1] ?? 0) > key; at--) {
        wayCell[at] = wayCell[at - 1] ?? 0;
        wayChanges[at] = wayChanges[at - 1] ?? 0;
        wayCosts[at] = wayCosts[at - 1] ?? 0;
        wayKey[at] = wayKey[at - 1] ?? 0;
      }
      wayCell[at] = c;
      wayChanges[at] = v;
      wayCosts[at] = w;
      wayKey[at] = key;
    }
  };

  let widest = 1;
  for (let c = 0; c < cells; c++) widest = Math.max(widest, (cellStart[c + 1] ?? 0) - (cellStart[c] ?? 0));
  let best: Witness | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  let steps = 0;
  let stepLimit = 0;
  let maxCells = 0;
  let spent = 0;
  const runSteps = Math.max(RUN_STEPS_AT_LEAST, RUN_STEPS_PER_COUNT * cells);

  const search = (cost: number): void => {
    if (++steps > stepLimit) return;
    if (outCount === 0) {
      best = { cells: [...changed], changes: changed.map((c) => change[c] ?? 0) };
      bestCost = cost;
      stepLimit = Math.min(stepLimit, steps + IMPROVE_STEPS);
      return;
    }
    const depth = changed.length;
    if (depth + Math.ceil(outCount / widest) > maxCells) return;
    // Branch on the sum out of balance with the fewest ways to restore it; each needs at least its cheapest.
    let branchOn = -1;
    let fewest = Number.POSITIVE_INFINITY;
    let atLeast = 0;
    for (let i = 0; i < outCount; i++) {
      const e = outList[i] ?? 0;
      let ways = 0;
      let cheapest = Number.POSITIVE_INFINITY;
      for (let k = eqStart[e] ?? 0; k < (eqStart[e + 1] ?? 0); k++) {
        const w = wayCost(e, k);
        if (w < 0) continue;
        ways++;
        if (w < cheapest) cheapest = w;
        if (ways >= fewest && cheapest <= atLeast) break;
      }
      if (ways === 0) return;
      if (cheapest > atLeast) atLeast = cheapest;
      if (ways < fewest) {
        fewest = ways;
        branchOn = e;
      }
    }
    if (cost + atLeast >= bestCost) return;
    const start = wayTop;
    for (let k = eqStart[branchOn] ?? 0; k < (eqStart[branchOn + 1] ?? 0); k++) {
      const w = wayCost(branchOn, k);
      if (w < 0) continue;
      const c = eqCell[k] ?? 0;
      // Hidden counts first, then shown parts, then a shown total; within each, those that restore more.
      const tier = w === 0 ? 0 : w < TOTAL_COST ? 1 : 2;
      wayCell[wayTop] = c;
      wayChanges[wayTop] = wayChange;
      wayCosts[wayTop] = w;
      wayKey[wayTop++] = tier * 2e15 + (50 - helps(c, wayChange, branchOn)) * 1e13 + w;
    }
    sortWays(start, wayTop);
    for (let i = start, end = Math.min(wayTop, start + WAYS_TRIED); i < end; i++) {
      const w = wayCosts[i] ?? 0;
      if (cost + w >= bestCost) continue;
      apply(wayCell[i] ?? 0, wayChanges[i] ?? 0);
      search(cost + w);
      undo();
      if (steps > stepLimit) break;
    }
    wayTop = start;
  };

  /** Searches for a witness for `target`: changes of ±1 first, then (failing that) increases only. */
  const findWitness = (target: number): Witness | null => {
    best = null;
    bestCost = Number.POSITIVE_INFINITY;
    onlyUp = false;
    const run = (v: number, [size, most]: readonly [number, number]) => {
      maxCells = size;
      steps = 0;
      stepLimit = spent < runSteps ? most : SHORT_SEARCH_STEPS;
      apply(target, v);
      search(0);
      undo();
      spent += steps;
    };
    for (const v of (value[target] ?? 0) >= 2 ? [1, -1] : [1]) {
      for (const limits of SEARCHES) {
        run(v, limits);
        if (best !== null) break;
      }
      if (bestCost === 0) break;
    }
    if (best === null) {
      onlyUp = true;
      run(1, UP_ONLY_SEARCH);
    }
    return best;
  };

  /** (i)–(iv) above, given that every count it changes will be hidden. */
  const isWitness = (w: Witness, target: number) => {
    const net = new Map<number, number>();
    let changesTarget = false;
    for (const [i, c] of w.cells.entries()) {
      const v = w.changes[i] ?? 0;
      const x = value[c] ?? 0;
      if (v === 0 || x === 0 || x + v < 1 || net.has(-1 - c)) return false;
      net.set(-1 - c, v); // each count changes once
      if (c === target) changesTarget = true;
      for (let k = cellStart[c] ?? 0; k < (cellStart[c + 1] ?? 0); k++) {
        const e = cellEq[k] ?? 0;
        net.set(e, (net.get(e) ?? 0) + (cellCoef[k] ?? 0) * v);
      }
    }
    for (const [e, n] of net) if (e >= 0 && n !== 0) return false;
    return changesTarget;
  };

  // Groups of non-zero counts joined by sums, for the last resort.
  let groups: Int32Array | null = null;
  const groupOf = (): Int32Array => {
    if (groups) return groups;
    const parent = Int32Array.from({ length: cells }, (_, i) => i);
    const root = (c: number): number => {
      let r = c;
      while (parent[r] !== r) r = parent[r] ?? r;
      for (let i = c; parent[i] !== r; ) {
        const next = parent[i] ?? r;
        parent[i] = r;
        i = next;
      }
      return r;
    };
    for (let e = 0; e < sums; e++) {
      let first = -1;
      for (let k = eqStart[e] ?? 0; k < (eqStart[e + 1] ?? 0); k++) {
        const c = eqCell[k] ?? 0;
        if (value[c] === 0) continue;
        if (first < 0) first = root(c);
        else parent[root(c)] = first;
      }
    }
    groups = Int32Array.from({ length: cells }, (_, i) => root(i));
    return groups;
  };
  // The quick case: two hidden parts that are in no other sum, one of them at least 2, change against
  // each other. Each sum keeps one such part of at least 2 (`donor`) and another (`spare`).
  const donor = new Int32Array(sums).fill(-1);
  const spare = new Int32Array(sums).fill(-1);
  const isLoosePart = (c: number) =>
    (cellStart[c + 1] ?? 0) - (cellStart[c] ?? 0) === 1 && cellCoef[cellStart[c] ?? 0] === 1;
  const noteHidden = (c: number) => {
    if (!isLoosePart(c)) return;
    const e = cellEq[cellStart[c] ?? 0] ?? 0;
    if ((value[c] ?? 0) >= 2 && donor[e] === -1) donor[e] = c;
    else if (spare[e] === -1 && donor[e] !== c) spare[e] = c;
  };
  for (let c = 0; c < cells; c++) if (hidden[c] === 1) noteHidden(c);
  const quickWitness = (target: number): Witness | null => {
    if (!isLoosePart(target)) return null;
    const e = cellEq[cellStart[target] ?? 0] ?? 0;
    const d = donor[e] ?? -1;
    if (d >= 0 && d !== target) return { cells: [target, d], changes: [1, -1] };
    const other = d === target ? (spare[e] ?? -1) : -1;
    return other >= 0 ? { cells: [target, other], changes: [-1, 1] } : null;
  };

  const hide = (c: number) => {
    if (hidden[c] === 0) {
      hidden[c] = 1;
      secondary[c] = 1;
      noteHidden(c);
    }
    covered[c] = 1;
  };

  for (let target = 0; target < cells; target++) {
    if (hidden[target] !== 1 || covered[target] === 1) continue;
    const quick = quickWitness(target);
    const found = quick && isWitness(quick, target) ? quick : findWitness(target);
    if (found && isWitness(found, target)) {
      for (const c of found.cells) hide(c);
      continue;
    }
    // Last resort: hide every non-zero count joined to this one; doubling them all is a witness.
    const g = groupOf();
    for (let c = 0; c < cells; c++) if (g[c] === g[target] && value[c] !== 0) hide(c);
  }
  return secondary;
}
