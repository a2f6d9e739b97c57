// Builds place-packs/greater-manchester/ from the public reference data beside the project
// (../shared/reference). A maintainer's tool: the product itself reads only the built pack.
//   node scripts/build-greater-manchester-place-pack.ts [referenceDir]
// The pack's neighbourhoods are Greater Manchester's ten localities (its districts). What is sourced
// and what is derived or approximate is in place-packs/greater-manchester/README.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import rewind from '@turf/rewind';
import { geoCentroid, geoContains, geoDistance } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature, merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import {
  AGES,
  ageColumn,
  ethnicityDetailedRows,
  hospitalActivityRows,
  meanLengthOfStayRows,
  type PackNeighbourhood,
  packFiles,
  practitionerRows,
  qofRows,
  type Row,
  sexByAgeRows,
  simplifiedBoundaries,
  teamRoleRows,
  teamRows,
  writeGeoJson,
} from './place-pack-build.ts';

const ref = path.resolve(process.argv[2] ?? '../shared/reference');
const out = path.resolve('place-packs/greater-manchester');
const { readCsv, writeCsv } = packFiles(ref, out);
const cal = (rel: string) => readCsv(path.join('calibration', rel));
const NHS_GREATER_MANCHESTER = 'E54000057'; // NHS Greater Manchester Integrated Care Board
const BURY = 'E08000002';

interface District extends PackNeighbourhood {
  lad: string;
  /** The clinical commissioning group of 2021 whose practices are the district's. */
  ccg: string;
  ccgName: string;
  council: string;
}
const DISTRICTS: District[] = [
  {
    lad: 'E08000001',
    code: 'bolton',
    name: 'Bolton',
    towns: 'Bolton; Farnworth; Horwich; Westhoughton; Blackrod; Kearsley; Little Lever',
    ccg: '00T',
    ccgName: 'NHS Bolton CCG',
    council: 'Bolton Council',
  },
  {
    lad: 'E08000002',
    code: 'bury',
    name: 'Bury',
    towns: 'Bury; Ramsbottom; Tottington; Radcliffe; Whitefield; Prestwich',
    ccg: '00V',
    ccgName: 'NHS Bury CCG',
    council: 'Bury Council',
  },
  {
    lad: 'E08000003',
    code: 'manchester',
    name: 'Manchester',
    towns: 'Manchester; Wythenshawe',
    ccg: '14L',
    ccgName: 'NHS Manchester CCG',
    council: 'Manchester City Council',
  },
  {
    lad: 'E08000004',
    code: 'oldham',
    name: 'Oldham',
    towns: 'Oldham; Chadderton; Failsworth; Royton; Shaw; Saddleworth',
    ccg: '00Y',
    ccgName: 'NHS Oldham CCG',
    council: 'Oldham Council',
  },
  {
    lad: 'E08000005',
    code: 'rochdale',
    name: 'Rochdale',
    towns: 'Rochdale; Heywood; Middleton; Littleborough; Milnrow',
    ccg: '01D',
    ccgName: 'NHS Heywood, Middleton and Rochdale CCG',
    council: 'Rochdale Borough Council',
  },
  {
    lad: 'E08000006',
    code: 'salford',
    name: 'Salford',
    towns: 'Salford; Eccles; Swinton; Walkden; Irlam; Cadishead',
    ccg: '01G',
    ccgName: 'NHS Salford CCG',
    council: 'Salford City Council',
  },
  {
    lad: 'E08000007',
    code: 'stockport',
    name: 'Stockport',
    towns: 'Stockport; Bramhall; Cheadle; Marple; Hazel Grove',
    ccg: '01W',
    ccgName: 'NHS Stockport CCG',
    council: 'Stockport Council',
  },
  {
    lad: 'E08000008',
    code: 'tameside',
    name: 'Tameside',
    towns: 'Ashton-under-Lyne; Hyde; Stalybridge; Denton; Droylsden; Dukinfield; Mossley',
    ccg: '01Y',
    ccgName: 'NHS Tameside and Glossop CCG',
    council: 'Tameside Council',
  },
  {
    lad: 'E08000009',
    code: 'trafford',
    name: 'Trafford',
    towns: 'Stretford; Sale; Altrincham; Urmston; Partington',
    ccg: '02A',
    ccgName: 'NHS Trafford CCG',
    council: 'Trafford Council',
  },
  {
    lad: 'E08000010',
    code: 'wigan',
    name: 'Wigan',
    towns: 'Wigan; Leigh; Atherton; Tyldesley; Hindley; Ashton-in-Makerfield; Standish',
    ccg: '02H',
    ccgName: 'NHS Wigan Borough CCG',
    council: 'Wigan Council',
  },
];
const districtOf = (lad: string) => {
  const d = DISTRICTS.find((x) => x.lad === lad);
  if (!d) throw new Error(`${lad} is not a Greater Manchester district`);
  return d;
};
const ALL_DISTRICTS = new Set(DISTRICTS.map((d) => d.lad));

mkdirSync(path.join(out, 'boundaries'), { recursive: true });
mkdirSync(path.join(out, 'population'), { recursive: true });
writeCsv(
  'neighbourhoods.csv',
  DISTRICTS.map((d) => ({ code: d.code, name: d.name, towns: d.towns })),
);

// ── Geometry: 2011 LSOAs and 2013 wards, one TopoJSON file per district ─────────────────────────────
type Area = Feature<Polygon | MultiPolygon, Row>;
/** GeoJSON with clockwise outer rings, the order d3-geo expects (and the Bury pack's files have). */
const clockwise = (f: Area): Area => rewind(f, { reverse: true }) as Area;
const topo = (file: string) => JSON.parse(readFileSync(path.join(ref, file), 'utf8')) as Topology;
const lsoa11Topo = new Map<string, Topology>();
const lsoa11 = new Map<string, Area & { lad: string }>();
const wardsByLad = new Map<string, Area[]>();
for (const d of DISTRICTS) {
  const t = topo(`geography/gm_topojson/gm_lsoa2011_${d.lad}.topojson`);
  lsoa11Topo.set(d.lad, t);
  const fc = feature(t, t.objects[d.lad] as GeometryCollection) as unknown as FeatureCollection<
    Polygon | MultiPolygon,
    Row
  >;
  for (const f of fc.features) lsoa11.set(f.properties.LSOA11CD as string, { ...clockwise(f), lad: d.lad });
  const w = topo(`geography/gm_topojson/gm_wards2013_${d.lad}.topojson`);
  const wfc = feature(w, w.objects[d.lad] as GeometryCollection) as unknown as FeatureCollection<
    Polygon | MultiPolygon,
    Row
  >;
  wardsByLad.set(d.lad, wfc.features.map(clockwise));
}

// ── LSOAs: the 2021 set, which IMD 2025 and the Census 2021 households use ───────────────────────────
const imd2019 = new Map(
  readCsv('deprivation/imd2019_gm_lsoa11_ranks_deciles.csv').map((r) => [r.lsoa11cd as string, r]),
);
const imd2025 = readCsv('deprivation/imd2025_gm_lsoa21.csv');
const households = new Map<string, number>();
for (const r of readCsv('census2021/census2021_household_deprivation_dimensions_gm_lsoa21.csv'))
  households.set(r.lsoa21cd as string, (households.get(r.lsoa21cd as string) ?? 0) + Number(r.count));
const msoas = new Map(
  readCsv('geography/gm_msoa_names_hcl.csv')
    .filter((r) => r.msoa21cd !== '')
    .map((r) => [r.msoa_nm as string, r]),
);
const codes2021 = new Set(imd2025.map((r) => r.lsoa21cd as string));
const msoaNameOf = (lsoaName: string) => lsoaName.slice(0, -1);
/** 2011 LSOAs that are not in the 2021 set, by the MSOA name of their 2011 name ("Salford 022"). */
const goneByMsoa = new Map<string, string[]>();
for (const [code, f] of lsoa11)
  if (!codes2021.has(code)) {
    const m = msoaNameOf(f.properties.LSOA11NM as string);
    goneByMsoa.set(m, [...(goneByMsoa.get(m) ?? []), code]);
  }
const newCodesByMsoa = new Map<string, string[]>();
for (const r of imd2025)
  if (!lsoa11.has(r.lsoa21cd as string)) {
    const m = msoaNameOf(r.lsoa21nm as string);
    newCodesByMsoa.set(m, [...(newCodesByMsoa.get(m) ?? []), r.lsoa21cd as string]);
  }
/** Per district: the 2011 LSOAs that disappeared from MSOAs with no new 2021 LSOA (their MSOA was split). */
const unplacedGone = new Map<string, string[]>();
for (const [m, gone] of goneByMsoa)
  if (!newCodesByMsoa.has(m))
    for (const code of gone) {
      const lad = lsoa11.get(code)?.lad as string;
      unplacedGone.set(lad, [...(unplacedGone.get(lad) ?? []), code]);
    }

const IMD2019_LSOAS = 32_844;
const IMD2025_LSOAS = 33_755;
const decileOfRank2019 = (rank: number) => Math.min(10, Math.floor(((rank - 1) * 10) / IMD2019_LSOAS) + 1);

interface BuiltLsoa {
  code: string;
  name: string;
  lad: string;
  msoaCode: string;
  msoaName: string;
  imd2019Rank: number;
  imd2019Decile: number;
  /** How IMD 2019 was found: the LSOA's own, its 2011 parent's, or estimated from its IMD 2025 rank. */
  imd2019Method: 'own' | 'parent' | 'estimated';
  imd2025: Row;
  households: number;
  /** The 2011 LSOAs whose area is drawn for it: itself, or the 2011 LSOAs it was made from. */
  drawnFrom: string[];
}

const lsoas: BuiltLsoa[] = imd2025.map((r) => {
  const code = r.lsoa21cd as string;
  const name = r.lsoa21nm as string;
  const lad = r.lad_cd as string;
  const msoa = msoas.get(msoaNameOf(name));
  const hh = households.get(code);
  if (!msoa || hh === undefined) throw new Error(`missing reference data for ${code}`);
  const own = imd2019.get(code);
  const gone = goneByMsoa.get(msoaNameOf(name)) ?? [];
  const parent = gone.length === 1 ? imd2019.get(gone[0] as string) : undefined;
  const base = { code, name, lad, msoaCode: msoa.msoa21cd as string, msoaName: msoa.msoa_hcl_name as string };
  const rest = { imd2025: r, households: hh };
  if (own && lsoa11.has(code))
    return {
      ...base,
      ...rest,
      imd2019Rank: Number(own.IMD_rank),
      imd2019Decile: Number(own.IMD_decile),
      imd2019Method: 'own',
      drawnFrom: [code],
    };
  const drawnFrom = gone.length > 0 ? gone : (unplacedGone.get(lad) ?? []);
  if (drawnFrom.length === 0) throw new Error(`no 2011 area to draw ${code} from`);
  if (parent)
    return {
      ...base,
      ...rest,
      imd2019Rank: Number(parent.IMD_rank),
      imd2019Decile: Number(parent.IMD_decile),
      imd2019Method: 'parent',
      drawnFrom,
    };
  const rank = Math.max(1, Math.round((Number(r.IMD_rank) * IMD2019_LSOAS) / IMD2025_LSOAS));
  return {
    ...base,
    ...rest,
    imd2019Rank: rank,
    imd2019Decile: decileOfRank2019(rank),
    imd2019Method: 'estimated',
    drawnFrom,
  };
});

// The area drawn for each LSOA: its own 2011 boundary, or the union of the 2011 LSOAs it came from.
const drawn = new Map<string, Area>();
for (const l of lsoas) {
  if (l.drawnFrom.length === 1 && l.drawnFrom[0] === l.code) {
    drawn.set(l.code, lsoa11.get(l.code) as Area);
    continue;
  }
  const t = lsoa11Topo.get(l.lad) as Topology;
  const parts = (t.objects[l.lad] as GeometryCollection).geometries.filter((g) =>
    l.drawnFrom.includes((g.properties as Row).LSOA11CD as string),
  );
  drawn.set(
    l.code,
    clockwise({ type: 'Feature', properties: { LSOA21CD: l.code }, geometry: merge(t, parts as never) }),
  );
}

// ── Wards: each LSOA in the 2013 ward of its district that contains its centroid ─────────────────────
const wardMethod = new Map<string, string>();
function wardOf(l: BuiltLsoa): string {
  const wards = wardsByLad.get(l.lad) as Area[];
  const point = geoCentroid(drawn.get(l.code) as Area);
  const inside = wards.find((w) => geoContains(w, point));
  if (inside) {
    wardMethod.set(l.code, 'centroid');
    return inside.properties.WD13CD as string;
  }
  wardMethod.set(l.code, 'nearest');
  const nearest = [...wards].sort(
    (a, b) => geoDistance(geoCentroid(a), point) - geoDistance(geoCentroid(b), point),
  )[0] as Area;
  return nearest.properties.WD13CD as string;
}
const lsoaWard = new Map<string, string>();
// First the LSOAs drawn on their own boundary (or a union of their own parents within their MSOA).
for (const l of lsoas)
  if (goneByMsoa.has(msoaNameOf(l.name)) || l.drawnFrom[0] === l.code) lsoaWard.set(l.code, wardOf(l));
// Then those of a new MSOA, drawn on the union of the district's vanished LSOAs: the ward of most of
// the LSOAs of the same MSOA that kept their code, else the union's centroid.
for (const l of lsoas) {
  if (lsoaWard.has(l.code)) continue;
  const siblings = lsoas.filter((s) => s.msoaCode === l.msoaCode && s.drawnFrom[0] === s.code);
  const votes = new Map<string, number>();
  for (const s of siblings) {
    const w = lsoaWard.get(s.code) as string;
    votes.set(w, (votes.get(w) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (best) {
    lsoaWard.set(l.code, best[0]);
    wardMethod.set(l.code, 'siblings');
  } else lsoaWard.set(l.code, wardOf(l));
}

const wardRows = DISTRICTS.flatMap((d) =>
  (wardsByLad.get(d.lad) as Area[])
    .map((w) => ({
      code: w.properties.WD13CD as string,
      name: w.properties.WD13NM as string,
      neighbourhood: d.code,
      assignment: 'sourced',
      evidence: `sourced: an ONS 2013 electoral ward of ${d.name} (${d.lad}), the locality`,
    }))
    .sort((a, b) => a.code.localeCompare(b.code)),
);
writeCsv('wards.csv', wardRows);

// ── Ages of each LSOA's residents (approximate outside Bury) ────────────────────────────────────────
const census = cal('population/gm_ltla_census2021_sex_single_year_age.csv');
const districtAges = (lad: string) =>
  AGES.map((a) =>
    Number(census.find((r) => r.ltla21_code === lad && r.age === a && r.sex === 'Persons')?.usual_residents),
  );
const buryAges = new Map(
  cal('population/bury_lsoa_mid2020_persons_single_year_age.csv').map((r) => [
    r.lsoa11_code as string,
    AGES.map((a) => Number(r[a])),
  ]),
);
const quintile = (l: BuiltLsoa) => Math.ceil(l.imd2019Decile / 2);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const band = (age: number) => Math.min(18, Math.floor(age / 5)); // 0–4 … 85–89, 90+

// How Bury's real LSOA ages vary with deprivation, by national IMD 2019 quintile: the share of residents
// in each five-year band against Bury's share, and residents per household against Bury's.
const buryLsoas = lsoas.filter((l) => l.lad === BURY);
/** Residents of the LSOAs given in each five-year age band. */
const inBands = (members: readonly BuiltLsoa[]) => {
  const bands = new Array<number>(19).fill(0);
  for (const l of members)
    for (const [a, n] of (buryAges.get(l.code) as number[]).entries())
      bands[band(a)] = (bands[band(a)] ?? 0) + n;
  return bands;
};
const buryBands = inBands(buryLsoas);
const buryTotal = sum(buryBands);
const tilt = [1, 2, 3, 4, 5].map((q) => {
  const members = buryLsoas.filter((l) => quintile(l) === q);
  const bands = inBands(members);
  const total = sum(bands);
  const hh = sum(members.map((l) => l.households));
  return {
    bands: bands.map((n, b) => (total === 0 ? 1 : n / total / ((buryBands[b] as number) / buryTotal))),
    perHousehold:
      total === 0 || hh === 0 ? 1 : total / hh / (buryTotal / sum(buryLsoas.map((l) => l.households))),
  };
});

/** Scales rows and columns in turn until both sum to their targets (iterative proportional fitting). */
function fit(seed: number[][], rowTargets: readonly number[], columnTargets: readonly number[]): number[][] {
  const m = seed.map((r) => [...r]);
  for (let i = 0; i < 50; i++) {
    m.forEach((r, k) => {
      const s = sum(r);
      if (s > 0) for (let a = 0; a < r.length; a++) r[a] = ((r[a] as number) * (rowTargets[k] as number)) / s;
    });
    for (let a = 0; a < columnTargets.length; a++) {
      const s = sum(m.map((r) => r[a] as number));
      if (s > 0) for (const r of m) r[a] = ((r[a] as number) * (columnTargets[a] as number)) / s;
    }
  }
  return m;
}

const lsoaAges = new Map<string, number[]>();
for (const d of DISTRICTS) {
  const members = lsoas.filter((l) => l.lad === d.lad);
  const ages = districtAges(d.lad);
  const total = sum(ages);
  let seed: number[][];
  let weights: number[];
  if (d.lad === BURY) {
    // Bury's real LSOA ages (ONS mid-2020), fitted to its Census 2021 ages.
    seed = members.map((l) => buryAges.get(l.code) as number[]);
    weights = seed.map(sum);
  } else {
    seed = members.map((l) =>
      ages.map((n, a) => n * ((tilt[quintile(l) - 1]?.bands[band(a)] as number) ?? 1)),
    );
    weights = members.map((l) => l.households * (tilt[quintile(l) - 1]?.perHousehold ?? 1));
  }
  const all = sum(weights);
  const fitted = fit(
    seed,
    weights.map((w) => (w * total) / all),
    ages,
  );
  for (const [k, l] of members.entries())
    lsoaAges.set(
      l.code,
      (fitted[k] as number[]).map((n) => Math.round(n)),
    );
}

writeCsv(
  'lsoas.csv',
  lsoas.map((l) => ({
    code: l.code,
    name: l.name,
    ward: lsoaWard.get(l.code) as string,
    neighbourhood: districtOf(l.lad).code,
    msoa_code: l.msoaCode,
    msoa_name: l.msoaName,
    imd2019_rank: l.imd2019Rank,
    imd2019_decile: l.imd2019Decile,
    imd2025_score: l.imd2025.IMD_score as string,
    imd2025_rank: l.imd2025.IMD_rank as string,
    imd2025_decile: l.imd2025.IMD_decile as string,
    households_2021: l.households,
    population_mid2020: sum(lsoaAges.get(l.code) as number[]),
  })),
);

// ── Practices: Greater Manchester's in 2021, each in the locality of its 2021 CCG ────────────────────
const qofMapping = new Set(
  cal('qof/gm_qof_2022-23_practice_mapping.csv').map((r) => r.practice_code as string),
);
const practiceSource = readCsv('gp/gm_gp_practice_pcn_2021.csv');
const practices = practiceSource
  // Glossop's practices were in Tameside and Glossop CCG but are in Derbyshire, not Greater Manchester;
  // practices with no PCN had no registered patients in 2021.
  .filter((p) => p.pcn_name !== 'GLOSSOP PCN' && /^U\d{5}$/.test(p.pcn_code as string))
  .map((p) => {
    const d = DISTRICTS.find((x) => x.ccg === p.ccg_code);
    if (!d) throw new Error(`practice ${p.practice_code} has the unknown CCG ${p.ccg_code}`);
    return {
      ods_code: p.practice_code as string,
      name: p.practice_name as string,
      pcn_code: p.pcn_code as string,
      pcn_name: p.pcn_name as string,
      neighbourhood: d.code,
      postcode: '',
      is_open: qofMapping.has(p.practice_code as string) ? 'yes' : 'no',
      list_size_2021: p.registered_patients as string,
      assignment: 'derived',
      evidence: `derived: the practice's 2021 CCG, ${d.ccgName} (${d.ccg}), covers ${d.name}`,
    };
  })
  .sort((a, b) => a.ods_code.localeCompare(b.ods_code));
writeCsv('practices.csv', practices);

// ── Teams, agencies and practitioners: one INT per locality, described by role only ─────────────────
writeCsv('teams.csv', teamRows(DISTRICTS));
writeCsv('team-roles.csv', teamRoleRows(DISTRICTS));
const LOCAL_AGENCIES = [
  ['community-health', 'community-health', (d: District) => `${d.name} community health services`],
  ['adult-social-care', 'adult-social-care', (d: District) => `${d.council} adult social care`],
  ['housing', 'housing', (d: District) => `${d.council} housing services`],
  ['family-hubs', 'family-hub', (d: District) => `${d.name} family hubs`],
  ['public-health', 'public-health', (d: District) => `${d.council} public health`],
] as const;
const SHARED_AGENCIES = [
  ['gm-mental-health', 'NHS mental health services in Greater Manchester', 'mental-health'],
  ['vcse-link-workers', 'Voluntary sector link-worker service (sample)', 'vcse'],
  ['dwp-jobcentre-plus', 'DWP Jobcentre Plus (Greater Manchester)', 'dwp'],
  ['gmp', 'Greater Manchester Police', 'police'],
  ['gmfrs', 'Greater Manchester Fire and Rescue Service', 'fire-and-rescue'],
] as const;
writeCsv('agencies.csv', [
  ...DISTRICTS.flatMap((d) =>
    LOCAL_AGENCIES.map(([slug, kind, name]) => ({ id: `${d.code}-${slug}`, name: name(d), kind })),
  ),
  ...SHARED_AGENCIES.map(([id, name, kind]) => ({ id, name, kind })),
]);
writeCsv(
  'practitioners.csv',
  practitionerRows(DISTRICTS, practices, (kind, neighbourhood) => {
    const local = LOCAL_AGENCIES.find(([, k]) => k === kind);
    if (local) return `${neighbourhood}-${local[0]}`;
    return SHARED_AGENCIES.find(([, , k]) => k === kind)?.[0] as string;
  }),
);
// Live Well is Bury's programme: the pack has none, only the header.
writeFileSync(
  path.join(out, 'live-well.csv'),
  'id,name,kind,town,neighbourhoods,rollout_year,rollout_year_end,summary\n',
);

// ── Boundaries ────────────────────────────────────────────────────────────────────────────────────
writeGeoJson(
  path.join(out, 'boundaries/lsoas.geojson'),
  simplifiedBoundaries(
    {
      type: 'FeatureCollection',
      features: lsoas.map((l) => ({ ...(drawn.get(l.code) as Area), properties: { LSOA21CD: l.code } })),
    },
    'LSOA21CD',
    0.5,
  ),
);
writeGeoJson(
  path.join(out, 'boundaries/wards.geojson'),
  simplifiedBoundaries(
    { type: 'FeatureCollection', features: DISTRICTS.flatMap((d) => wardsByLad.get(d.lad) as Area[]) },
    'WD13CD',
    0.5,
  ),
);

// ── Population: what a synthetic Greater Manchester is generated from ───────────────────────────────
writeCsv(
  'population/lsoa-single-year-ages.csv',
  lsoas.map((l) => ({
    lsoa: l.code,
    ...Object.fromEntries(
      AGES.map((a, i) => [ageColumn(a), (lsoaAges.get(l.code) as number[])[i] as number]),
    ),
  })),
);
writeCsv('population/sex-by-age.csv', sexByAgeRows(census, ALL_DISTRICTS));

// Ethnicity: Bury's LSOAs have their own Census 2021 figures; elsewhere each LSOA takes its district's
// shares of the five broad groups.
const ethnicity19 = cal('ethnicity/gm_ltla_ethnicity_census2021_19groups.csv');
const buryEthnicity = cal('ethnicity/bury_lsoa21_ethnicity_census2021_ts021_broad.csv');
const broadShares = (lad: string) => {
  const totals = new Map<string, number>();
  for (const r of ethnicity19)
    if (r.ltla21_code === lad) {
      const broad = (r.ethnic_group as string).split(': ')[0] as string;
      totals.set(broad, (totals.get(broad) ?? 0) + Number(r.number));
    }
  const all = sum([...totals.values()]);
  return [...totals].map(([group, n]) => [group, n / all] as const);
};
writeCsv(
  'population/ethnicity-by-lsoa.csv',
  lsoas.flatMap((l) => {
    if (l.lad === BURY)
      return buryEthnicity
        .filter((r) => r.lsoa21_code === l.code)
        .map((r) => ({ lsoa: l.code, broad_group: r.ethnic_group as string, residents: r.n as string }));
    const residents = sum(lsoaAges.get(l.code) as number[]);
    return broadShares(l.lad).map(([group, share]) => ({
      lsoa: l.code,
      broad_group: group,
      residents: String(Math.round(share * residents)),
    }));
  }),
);
writeCsv('population/ethnicity-detailed.csv', ethnicityDetailedRows(ethnicity19, ALL_DISTRICTS));
writeCsv('population/qof-prevalence.csv', qofRows(cal('qof/gm_qof_prevalence_2022-23_by_practice.csv')));
writeCsv(
  'population/hospital-activity-rates.csv',
  hospitalActivityRows(
    cal('activity/su_hmhc_activity_rates_2022_single_age_sex_england_gmicb_bury.csv'),
    NHS_GREATER_MANCHESTER,
  ),
);
writeCsv(
  'population/mean-length-of-stay.csv',
  meanLengthOfStayRows(
    cal('activity/su_hmhc_mean_los_2022_ageband_sex_england_gmicb_bury.csv'),
    NHS_GREATER_MANCHESTER,
  ),
);

// Permanent care-home admissions at 65+ (ASCOF 2A(2)): the reference data have Greater Manchester's
// districts, not the whole, and only nine of them (no Bury) until 2018/19. Greater Manchester's rate is
// made from those nine, weighted by their Census 2021 residents aged 65 and over, for the last two years
// in which all nine have a figure.
const over65 = (lad: string) => sum(districtAges(lad).slice(65));
const ascof = cal('activity/ascof_2a2_permanent_care_home_admissions_65plus_gm_districts.csv').filter(
  (r) => r.rate_per_100000_aged_65plus !== 'NA' && r.rate_per_100000_aged_65plus !== '',
);
const ascofPeriods = [...new Set(ascof.map((r) => r.period as string))]
  .filter((p) => ascof.filter((r) => r.period === p).length >= 9)
  .sort()
  .slice(-2);
writeCsv(
  'population/local-indicators.csv',
  ascofPeriods.map((period) => {
    const rows = ascof.filter((r) => r.period === period);
    const weight = sum(rows.map((r) => over65(r.area_code as string)));
    const rate = sum(rows.map((r) => Number(r.rate_per_100000_aged_65plus) * over65(r.area_code as string)));
    return {
      indicator: 'Permanent admissions to residential and nursing care homes aged 65+',
      measure: `Rate per 100,000 aged 65+ (${rows.length} districts, weighted by residents aged 65+)`,
      period,
      sex: 'Persons',
      value: (rate / weight).toFixed(1),
    };
  }),
);

// The published figures a synthetic Greater Manchester must reproduce: Census 2021 residents, each
// locality's share of them, and the shares under 18, 18 to 64 and 65 and over, for the whole and for
// each locality.
const CENSUS_SOURCE = 'ONS Census 2021, usual residents by single year of age (districts; cells rounded)';
const share = (ages: readonly number[], from: number, to: number) =>
  Math.round((1000 * sum(ages.slice(from, to + 1))) / sum(ages)) / 10;
const gmAges = AGES.map((_, i) => sum(DISTRICTS.map((d) => districtAges(d.lad)[i] as number)));
const gmResidents = sum(gmAges);
/** The shares under 18, 18 to 64 and 65 and over of an area, as published figures (±1 point). */
const ageFigures = (prefix: string, area: string, label: string, ages: readonly number[], source: string) =>
  (
    [
      ['share_under_18', 'aged under 18', 0, 17],
      ['share_18_64', 'aged 18 to 64', 18, 64],
      ['share_65_plus', 'aged 65 and over', 65, 90],
    ] as const
  ).map(([id, words, from, to]) => ({
    id: `${prefix}${id}`,
    area,
    figure: `${label} ${words}`,
    value: share(ages, from, to),
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source,
  }));
writeCsv('population/published-figures.csv', [
  {
    id: 'population',
    area: 'borough',
    figure: 'Residents (Census 2021, the ten districts)',
    value: gmResidents,
    unit: 'people',
    tolerance: 0,
    comparison: 'about',
    source: `${CENSUS_SOURCE}: the sum of the ten districts`,
  },
  ...ageFigures('', 'borough', 'Residents', gmAges, `${CENSUS_SOURCE}: the sum of the ten districts`),
  ...DISTRICTS.flatMap((d) => {
    const ages = districtAges(d.lad);
    return [
      {
        id: `${d.code}_share_of_residents`,
        area: `neighbourhood:${d.code}`,
        figure: `${d.name}: share of Greater Manchester's residents`,
        value: Math.round((1000 * sum(ages)) / gmResidents) / 10,
        unit: 'percent',
        tolerance: 0.5,
        comparison: 'about',
        source: `${CENSUS_SOURCE}: ${d.name} ${sum(ages).toLocaleString('en-GB')} of ${gmResidents.toLocaleString('en-GB')}`,
      },
      ...ageFigures(
        `${d.code}_`,
        `neighbourhood:${d.code}`,
        `${d.name}: residents`,
        ages,
        `${CENSUS_SOURCE}: ${d.name}`,
      ),
    ];
  }),
]);

const count = <T>(xs: readonly T[], f: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(f(x), (m.get(f(x)) ?? 0) + 1);
  return Object.fromEntries(m);
};
console.log(`place pack written to ${out}`);
console.log(
  JSON.stringify({
    lsoas: lsoas.length,
    imd2019: count(lsoas, (l) => l.imd2019Method),
    drawnFromOthers: lsoas.filter((l) => l.drawnFrom[0] !== l.code).length,
    wards: wardRows.length,
    wardMethod: count([...wardMethod.values()], (m) => m),
    practices: practices.length,
    openPractices: practices.filter((p) => p.is_open === 'yes').length,
    residents: gmResidents,
    lsoaAgeSum: sum([...lsoaAges.values()].map(sum)),
    ascofPeriods,
  }),
);
