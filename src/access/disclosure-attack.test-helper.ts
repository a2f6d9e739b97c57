// An attacker for the tests of secondary suppression, independent of it: from what is published (each
// shown count exactly, as the rate beside it gives it away; "*" for a hidden count, which is then at
// least 1 because zeros are shown) and the sums, the smallest and largest value each hidden count can
// take. Two integer programs per hidden count, solved by YALPS with every unknown a whole number: the
// linear relaxation alone is not exact for tables of three or more dimensions. A hidden count is
// recovered when its smallest and largest values are equal.
import { type Constraint, type Model, solve } from 'yalps';
import type { LinkedSum } from './disclosure.ts';

export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * The range of each hidden count (`null` in `published`) consistent with the shown counts (exact),
 * the sums, and every hidden count being a whole number of at least 1.
 */
export function attack(
  published: ReadonlyMap<string, number | null>,
  sums: readonly LinkedSum[],
  /** Counts never published that the sums may name: whole numbers of at least 0 (a remainder, say). */
  unpublished: ReadonlySet<string> = new Set(),
): Map<string, Range> {
  const isHidden = (id: string) => published.get(id) === null;
  // Each sum as: the hidden counts' coefficients = what the shown counts leave.
  const equations = sums
    .map((s) => {
      const terms: [string, number][] = [];
      let rest = 0;
      for (const [id, coef] of [[s.total, -1] as const, ...s.parts.map((p) => [p, 1] as const)]) {
        const known = unpublished.has(id) ? null : published.get(id);
        if (known === undefined)
          throw new Error(`the sum for ${s.total} names ${id}, which is not published`);
        if (known === null) terms.push([id, coef]);
        else rest -= coef * known;
      }
      return { terms, rest };
    })
    .filter((e) => {
      if (e.terms.length === 0 && e.rest !== 0) throw new Error('the shown counts do not add up');
      return e.terms.length > 0;
    });

  // Only the hidden counts joined to a count by sums can say anything about it.
  const group = new Map<string, string>();
  const root = (id: string): string => {
    const up = group.get(id) ?? id;
    if (up === id) return id;
    const r = root(up);
    group.set(id, r);
    return r;
  };
  for (const e of equations) {
    const [first] = e.terms;
    for (const [id] of e.terms) if (first) group.set(root(id), root(first[0]));
  }
  const equationsOf = new Map<string, typeof equations>();
  for (const e of equations) {
    const r = root(e.terms[0]?.[0] ?? '');
    equationsOf.set(r, [...(equationsOf.get(r) ?? []), e]);
  }

  const ranges = new Map<string, Range>();
  for (const id of [...published.keys()].filter(isHidden)) {
    const mine = equationsOf.get(root(id)) ?? [];
    const unknowns = new Set([id, ...mine.flatMap((e) => e.terms.map(([t]) => t))]);
    const constraints = new Map<string, Constraint>();
    const coefficients = new Map<string, Map<string, number>>();
    for (const u of unknowns) {
      constraints.set(`at least 1: ${u}`, { min: unpublished.has(u) ? 0 : 1 });
      coefficients.set(u, new Map([[`at least 1: ${u}`, 1]]));
    }
    for (const [k, e] of mine.entries()) {
      constraints.set(`sum ${k}`, { equal: e.rest });
      for (const [t, coef] of e.terms) coefficients.get(t)?.set(`sum ${k}`, coef);
    }
    coefficients.get(id)?.set('objective', 1);
    const extreme = (direction: 'minimize' | 'maximize') => {
      const model: Model = {
        direction,
        objective: 'objective',
        constraints,
        variables: coefficients,
        integers: true,
      };
      const s = solve(model);
      if (s.status === 'unbounded') return Number.POSITIVE_INFINITY;
      if (s.status !== 'optimal') throw new Error(`the solver answered ${s.status} for ${id}`);
      return Math.round(s.result);
    };
    ranges.set(id, { min: extreme('minimize'), max: extreme('maximize') });
  }
  return ranges;
}

/** The hidden counts an attacker pins to one value. */
export function recovered(ranges: ReadonlyMap<string, Range>): string[] {
  return [...ranges].filter(([, r]) => r.min === r.max).map(([id]) => id);
}
