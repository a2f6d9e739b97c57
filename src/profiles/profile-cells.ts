// The areas a place publishes about (the borough, its neighbourhoods, their wards and the wards' LSOAs),
// the counts each area holds (the sum of its LSOAs' counts), and the sums that tie published counts to
// one another, which secondary suppression needs so that no hidden count can be worked out by
// subtraction. Pure.

export type AreaKind = 'borough' | 'neighbourhood' | 'ward' | 'lsoa';

/** One LSOA-level count: `n` people or events of the kind `key` names. */
export interface LsoaCell {
  lsoa: string;
  key: string;
  n: number;
}

export interface ProfilePeriods {
  /** The date the profile describes (a month end): residents alive on it; events in the year up to it. */
  referenceDate: string;
  /** Events after this date (and up to the reference date) fall in the profile's year. */
  yearFrom: string;
  /** Mid-point of the year: its population is the person-years at risk for the year's rates. */
  midYear: string;
  /** Deaths after this date count towards life expectancy (three years, pooled as ONS does). */
  lifeFrom: string;
  /** Mid-points of the three years of the life table. */
  lifeMidYears: string[];
  /** The 36 calendar months (YYYY-MM) of the indicator series, oldest first; the last twelve are the year. */
  months: string[];
}

export interface Area {
  key: string;
  kind: AreaKind;
  code: string;
  name: string;
  parentKey: string | null;
  childKeys: string[];
  lsoas: string[];
}

export interface LsoaInfo {
  code: string;
  name: string;
  wardCode: string;
  neighbourhoodCode: string;
  imdDecile: number;
  /** National IMD 2019 rank: 1 is the most deprived LSOA in England. */
  imdRank: number;
}

export const areaKey = (kind: AreaKind, code: string): string => `${kind}:${code}`;

/** The tree of areas: borough → neighbourhoods → wards → LSOAs, each LSOA under its ward. */
export function areaTree(
  place: { id: string; name: string },
  neighbourhoods: readonly { code: string; name: string }[],
  wards: readonly { code: string; name: string; neighbourhoodCode: string }[],
  lsoas: readonly LsoaInfo[],
): Map<string, Area> {
  const areas = new Map<string, Area>();
  const add = (kind: AreaKind, code: string, name: string, parentKey: string | null) => {
    const area: Area = { key: areaKey(kind, code), kind, code, name, parentKey, childKeys: [], lsoas: [] };
    areas.set(area.key, area);
    if (parentKey !== null) areas.get(parentKey)?.childKeys.push(area.key);
    return area;
  };
  const borough = add('borough', place.id, place.name, null);
  for (const n of neighbourhoods) add('neighbourhood', n.code, n.name, borough.key);
  for (const w of wards) add('ward', w.code, w.name, areaKey('neighbourhood', w.neighbourhoodCode));
  const wardOf = new Map(wards.map((w) => [w.code, w]));
  for (const l of lsoas) {
    const ward = wardOf.get(l.wardCode);
    if (ward?.neighbourhoodCode !== l.neighbourhoodCode)
      throw new Error(
        `LSOA ${l.code} is in ward ${l.wardCode}, which is not in its neighbourhood ${l.neighbourhoodCode}`,
      );
    const lsoa = add('lsoa', l.code, l.name, areaKey('ward', l.wardCode));
    for (let a: Area | undefined = lsoa; a; a = a.parentKey === null ? undefined : areas.get(a.parentKey))
      a.lsoas.push(l.code);
  }
  return areas;
}

/** Each LSOA's counts by key (the same LSOA and key given twice are added). */
export function countsByLsoa(cells: readonly LsoaCell[]): Map<string, Map<string, number>> {
  const byLsoa = new Map<string, Map<string, number>>();
  for (const c of cells) {
    const m = byLsoa.get(c.lsoa) ?? new Map<string, number>();
    m.set(c.key, (m.get(c.key) ?? 0) + c.n);
    byLsoa.set(c.lsoa, m);
  }
  return byLsoa;
}

/** Each area's counts: the sum of its LSOAs' counts under each key. */
export function areaCounts(
  areas: ReadonlyMap<string, Area>,
  cells: readonly LsoaCell[],
): Map<string, Map<string, number>> {
  const byLsoa = countsByLsoa(cells);
  const out = new Map<string, Map<string, number>>();
  for (const area of areas.values()) {
    const sum = new Map<string, number>();
    for (const lsoa of area.lsoas)
      for (const [k, n] of byLsoa.get(lsoa) ?? []) sum.set(k, (sum.get(k) ?? 0) + n);
    out.set(area.key, sum);
  }
  return out;
}

/** The number of events each person had, from a per-person key such as `ed|70|3` (3 attendances). */
export const frequencyOf = (key: string): number => Number(key.slice(key.lastIndexOf('|') + 1));

/** Sums a set of keys of one area's counts. */
export const total = (counts: ReadonlyMap<string, number>, keys: Iterable<string>): number => {
  let t = 0;
  for (const k of keys) t += counts.get(k) ?? 0;
  return t;
};

/** Keys of one area's counts that start with a prefix. */
export const keysWith = (counts: ReadonlyMap<string, number>, prefix: string): string[] =>
  [...counts.keys()].filter((k) => k.startsWith(prefix));

/** The id of one published count: the area and what it counts. */
export const cellId = (area: string, key: string): string => `${area}#${key}`;
