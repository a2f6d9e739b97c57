// Who lives where: exact counts of residents by LSOA, single year of age and sex, from the LSOA
// population estimates, raked to the few small-area figures the borough publishes, scaled to the
// requested population and split by sex as the Census does. Counts are allocated, not sampled, so
// the age structure of every area is reproduced whatever the seed. Pure.

import { MAX_AGE, type SynthInputs } from './inputs.ts';

export interface PopulationCell {
  lsoa: number;
  age: number;
  female: number;
  male: number;
}

/**
 * The MSOAs whose share aged 65+ the borough publishes: within each, ages 65+ and under 65 are scaled
 * (keeping the MSOA's total) so that the share matches. The shape within each group is kept.
 */
function rakeToPublishedShares(inputs: SynthInputs): number[][] {
  const ages = inputs.lsoas.map((l) => [...l.ages]);
  for (const f of inputs.published) {
    if (!f.id.endsWith('_share_65_plus') || !f.area.startsWith('msoa:')) continue;
    const msoa = f.area.slice('msoa:'.length);
    const members = inputs.lsoas.flatMap((l, i) => (l.msoaName === msoa ? [i] : []));
    if (members.length === 0) continue;
    let old = 0;
    let all = 0;
    for (const i of members)
      (ages[i] as number[]).forEach((n, a) => {
        all += n;
        if (a >= 65) old += n;
      });
    if (old === 0 || old === all) continue;
    const target = f.value / 100;
    const up = (target * all) / old;
    const down = ((1 - target) * all) / (all - old);
    for (const i of members) ages[i] = (ages[i] as number[]).map((n, a) => n * (a >= 65 ? up : down));
  }
  return ages;
}

/**
 * Residents by LSOA, age and sex summing exactly to `people`. Counts are allocated systematically along
 * the cumulative expected numbers (cells in LSOA, then age order), so every cell gets its expected
 * number to within one person and a small population is an unbiased scale model of a large one. Sex
 * is allocated the same way along the running expected number of women.
 */
export function planPopulation(inputs: SynthInputs, people: number): PopulationCell[] {
  const weights = rakeToPublishedShares(inputs).flat();
  const total = weights.reduce((a, b) => a + b, 0);
  const cells: PopulationCell[] = [];
  let expected = 0;
  let allocated = 0;
  let expectedWomen = 0;
  let women = 0;
  weights.forEach((w, k) => {
    expected += (w * people) / total;
    const n = Math.floor(expected + 0.5) - allocated;
    allocated += n;
    if (n === 0) return;
    const age = k % (MAX_AGE + 1);
    const f = inputs.sexByAge.female[age] ?? 1;
    const m = inputs.sexByAge.male[age] ?? 1;
    expectedWomen += (n * f) / (f + m);
    const female = Math.min(n, Math.max(0, Math.floor(expectedWomen + 0.5) - women));
    women += female;
    cells.push({ lsoa: Math.floor(k / (MAX_AGE + 1)), age, female, male: n - female });
  });
  return cells;
}
