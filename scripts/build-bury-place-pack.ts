// Builds place-packs/bury/ from the public reference data beside the project (../shared/reference).
// A maintainer's tool: the product itself reads only the built pack, never ../shared.
//   node scripts/build-bury-place-pack.ts [referenceDir]
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import {
  AGES,
  ageColumn,
  ethnicityDetailedRows,
  hospitalActivityRows,
  meanLengthOfStayRows,
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
const out = path.resolve('place-packs/bury');
const LAD = 'E08000002';

const { readCsv, writeCsv } = packFiles(ref, out);

// The evidence column quotes the borough's neighbourhood strategy; name it as staff would.
const assignment = readCsv('geography/bury/bury_neighbourhoods_working_assignment.csv').map(
  (r): Row => ({
    ...r,
    // The source's evidence text calls the strategy by another name.
    evidence: (r.evidence as string)
      .replaceAll("the seeds'", "the neighbourhood strategy's")
      .replaceAll('as the seeds say', 'as the neighbourhood strategy says'),
  }),
);
const lookup = readCsv('geography/bury/bury_lsoa_msoa_ward_lookup.csv');
const imd2019 = new Map(
  readCsv('deprivation/imd2019_gm_lsoa11_ranks_deciles.csv').map((r) => [r.lsoa11cd, r]),
);
const imd2025 = new Map(readCsv('deprivation/imd2025_gm_lsoa21.csv').map((r) => [r.lsoa21cd, r]));
const population = new Map(
  readCsv('calibration/population/bury_lsoa_mid2020_persons_single_year_age.csv').map((r) => [
    r.lsoa11_code,
    r,
  ]),
);
const households = new Map<string, number>();
for (const r of readCsv('census2021/census2021_household_deprivation_dimensions_gm_lsoa21.csv')) {
  households.set(r.lsoa21cd as string, (households.get(r.lsoa21cd as string) ?? 0) + Number(r.count));
}
const practicesRef = new Map(readCsv('gp/bury_gp_practices.csv').map((r) => [r.practice_code, r]));

const NEIGHBOURHOODS = [
  { code: 'north', name: 'North', towns: 'Ramsbottom; Tottington' },
  { code: 'east', name: 'East', towns: 'Bury (east of the Irwell)' },
  { code: 'west', name: 'West', towns: 'Radcliffe; Bury (west of the Irwell)' },
  { code: 'whitefield', name: 'Whitefield', towns: 'Whitefield; Unsworth; Besses' },
  { code: 'prestwich', name: 'Prestwich', towns: 'Prestwich' },
];
const codeOf = (name: string) => {
  const n = NEIGHBOURHOODS.find((x) => x.name === name);
  if (!n) throw new Error(`unknown neighbourhood ${name}`);
  return n.code;
};

mkdirSync(path.join(out, 'boundaries'), { recursive: true });

writeCsv(
  'neighbourhoods.csv',
  NEIGHBOURHOODS.map((n) => ({ code: n.code, name: n.name, towns: n.towns })),
);

const wards = assignment.filter((r) => r.kind === 'ward2022');
const wardNeighbourhood = new Map(wards.map((w) => [w.code, codeOf(w.neighbourhood as string)]));
writeCsv(
  'wards.csv',
  wards.map((w) => ({
    code: w.code as string,
    name: w.name as string,
    neighbourhood: codeOf(w.neighbourhood as string),
    assignment: w.status as string,
    evidence: w.evidence as string,
  })),
);

writeCsv(
  'lsoas.csv',
  lookup.map((l) => {
    const code = l.lsoa21cd as string;
    const d19 = imd2019.get(code);
    const d25 = imd2025.get(code);
    const pop = population.get(code);
    const hh = households.get(code);
    if (!d19 || !d25 || !pop || hh === undefined) throw new Error(`missing reference data for ${code}`);
    const neighbourhood = wardNeighbourhood.get(l.ward2025cd as string);
    if (!neighbourhood) throw new Error(`ward ${l.ward2025cd} has no neighbourhood`);
    return {
      code,
      name: l.lsoa21nm as string,
      ward: l.ward2025cd as string,
      neighbourhood,
      msoa_code: l.msoa21cd as string,
      msoa_name: l.msoa_hcl_name as string,
      imd2019_rank: d19.IMD_rank as string,
      imd2019_decile: d19.IMD_decile as string,
      imd2025_score: d25.IMD_score as string,
      imd2025_rank: d25.IMD_rank as string,
      imd2025_decile: d25.IMD_decile as string,
      households_2021: hh,
      population_mid2020: pop.total_population as string,
    };
  }),
);

const practices = assignment
  .filter((r) => r.kind === 'practice')
  .map((p) => {
    const refRow = practicesRef.get(p.code as string);
    if (!refRow) throw new Error(`practice ${p.code} missing from bury_gp_practices.csv`);
    return {
      ods_code: p.code as string,
      name: p.name as string,
      pcn_code: refRow.pcn_code_2021 as string,
      pcn_name: refRow.pcn_name_2021 as string,
      neighbourhood: codeOf(p.neighbourhood as string),
      postcode: refRow.postcode_2014 as string,
      is_open: refRow.in_apr2024_nhsd_extract === 'yes' ? 'yes' : 'no',
      list_size_2021: refRow.registered_patients_2021_orgfile as string,
      assignment: p.status as string,
      evidence: p.evidence as string,
    };
  });
writeCsv('practices.csv', practices);

// One Integrated Neighbourhood Team per neighbourhood, described by role only (never by the names in
// the strategy). The strategy shows each INT with an INT lead, a GP lead and a neighbourhood officer.
writeCsv('teams.csv', teamRows(NEIGHBOURHOODS));
writeCsv('team-roles.csv', teamRoleRows(NEIGHBOURHOODS));

// The public bodies and sectors that work in the INTs, as the strategy lists them. GP practices are
// agencies too, but the loader makes those from practices.csv. The VCSE service is sample data.
const AGENCIES = [
  ['bury-community-health', 'Bury community health services', 'community-health'],
  ['bury-council-adult-social-care', 'Bury Council adult social care', 'adult-social-care'],
  ['pennine-care', 'Pennine Care NHS Foundation Trust', 'mental-health'],
  ['vcse-link-workers', 'Voluntary sector link-worker service (sample)', 'vcse'],
  ['bury-council-housing', 'Bury Council housing services', 'housing'],
  ['dwp-jobcentre-plus', 'DWP Jobcentre Plus (Bury)', 'dwp'],
  ['gmp-bury', 'Greater Manchester Police (Bury district)', 'police'],
  ['gmfrs', 'Greater Manchester Fire and Rescue Service', 'fire-and-rescue'],
  ['bury-family-hubs', 'Bury family hubs', 'family-hub'],
  ['bury-council-public-health', 'Bury Council public health', 'public-health'],
];
writeCsv(
  'agencies.csv',
  AGENCIES.map(([id, name, kind]) => ({ id: id as string, name: name as string, kind: kind as string })),
);
// One practitioner per role in each INT, named by role only. The GP lead works for the
// neighbourhood's first open practice by ODS code.
const AGENCY_OF_KIND: Record<string, string> = {
  'community-health': 'bury-community-health',
  'adult-social-care': 'bury-council-adult-social-care',
  'mental-health': 'pennine-care',
  vcse: 'vcse-link-workers',
  housing: 'bury-council-housing',
  dwp: 'dwp-jobcentre-plus',
  police: 'gmp-bury',
  'fire-and-rescue': 'gmfrs',
  'family-hub': 'bury-family-hubs',
};
writeCsv(
  'practitioners.csv',
  practitionerRows(NEIGHBOURHOODS, practices, (kind) => AGENCY_OF_KIND[kind] as string),
);

// Live Well centres, hubs and programmes as the strategy describes them (rollout by town and year).
writeCsv('live-well.csv', [
  {
    id: 'live-well-whitefield',
    name: 'Whitefield Live Well Centre',
    kind: 'centre',
    town: 'Whitefield',
    neighbourhoods: 'whitefield',
    rollout_year: 2026,
    rollout_year_end: '',
    summary:
      'A Live Well centre opens in April 2026, building on years of community capacity building and filling gaps in public services, particularly in Besses.',
  },
  {
    id: 'live-well-radcliffe',
    name: 'Radcliffe Live Well hub',
    kind: 'hub',
    town: 'Radcliffe',
    neighbourhoods: 'west',
    rollout_year: 2027,
    rollout_year_end: '',
    summary:
      'Builds on exemplar community capacity and the hub, the enterprise centre, the school and improved provision in the GP centre.',
  },
  {
    id: 'live-well-ramsbottom',
    name: 'Ramsbottom Live Well network',
    kind: 'network',
    town: 'Ramsbottom',
    neighbourhoods: 'north',
    rollout_year: 2028,
    rollout_year_end: '',
    summary:
      'Builds on strong voluntary and community sector capacity, likely as a virtual network of centres across the town.',
  },
  {
    id: 'live-well-prestwich',
    name: 'Prestwich Live Well hub',
    kind: 'hub',
    town: 'Prestwich',
    neighbourhoods: 'prestwich',
    rollout_year: 2029,
    rollout_year_end: '',
    summary: 'Builds on the opportunity of the Prestwich hub.',
  },
  {
    id: 'live-well-bury',
    name: 'Live Well in Bury town',
    kind: 'programme',
    town: 'Bury',
    neighbourhoods: 'east;west',
    rollout_year: 2026,
    rollout_year_end: 2030,
    summary: 'A series of investments and projects in Bury town, increasingly joined up and integrated.',
  },
]);

const boundaries = (rel: string) =>
  JSON.parse(readFileSync(path.join(ref, rel), 'utf8')) as FeatureCollection;
writeGeoJson(
  path.join(out, 'boundaries/lsoas.geojson'),
  simplifiedBoundaries(boundaries('geography/bury/bury_lsoa2021.geojson'), 'LSOA21CD', 0.25),
);
writeGeoJson(
  path.join(out, 'boundaries/wards.geojson'),
  simplifiedBoundaries(boundaries('geography/bury/bury_wards2025.geojson'), 'WD25CD', 0.25),
);

console.log(`place pack written to ${out} (LAD ${LAD})`);

// ── Population calibration: the published figures a synthetic Bury is generated from ───────────────
mkdirSync(path.join(out, 'population'), { recursive: true });
const cal = (rel: string) => readCsv(path.join('calibration', rel));

writeCsv(
  'population/lsoa-single-year-ages.csv',
  cal('population/bury_lsoa_mid2020_persons_single_year_age.csv').map((r) => ({
    lsoa: r.lsoa11_code as string,
    ...Object.fromEntries(AGES.map((a) => [ageColumn(a), r[a] as string])),
  })),
);

const BURY = new Set([LAD]);
writeCsv(
  'population/sex-by-age.csv',
  sexByAgeRows(cal('population/gm_ltla_census2021_sex_single_year_age.csv'), BURY),
);

writeCsv(
  'population/ethnicity-by-lsoa.csv',
  cal('ethnicity/bury_lsoa21_ethnicity_census2021_ts021_broad.csv').map((r) => ({
    lsoa: r.lsoa21_code as string,
    broad_group: r.ethnic_group as string,
    residents: r.n as string,
  })),
);
writeCsv(
  'population/ethnicity-detailed.csv',
  ethnicityDetailedRows(cal('ethnicity/gm_ltla_ethnicity_census2021_19groups.csv'), BURY),
);
writeCsv('population/qof-prevalence.csv', qofRows(cal('qof/bury_qof_prevalence_2022-23_by_practice.csv')));
writeCsv(
  'population/hospital-activity-rates.csv',
  hospitalActivityRows(
    cal('activity/su_hmhc_activity_rates_2022_single_age_sex_england_gmicb_bury.csv'),
    LAD,
  ),
);
writeCsv(
  'population/mean-length-of-stay.csv',
  meanLengthOfStayRows(cal('activity/su_hmhc_mean_los_2022_ageband_sex_england_gmicb_bury.csv'), LAD),
);
writeCsv('population/local-indicators.csv', [
  ...cal('outcomes/bury_england_la_health_indicators_fingertips.csv')
    .filter((r) => r.area_code === LAD && r.value !== 'NA')
    .map((r) => ({
      indicator: r.indicator as string,
      measure: r.measure as string,
      period: r.period as string,
      sex: r.sex as string,
      value: r.value as string,
    })),
  ...cal('activity/fingertips_readmissions_falls65_hospital_deaths_england_gm_2018_2023.csv')
    .filter(
      (r) =>
        r.area_code === LAD &&
        r.inequality_breakdown === '' &&
        r.age === 'All ages' &&
        r.indicator_id === '41101',
    )
    .map((r) => ({
      indicator: 'Emergency readmissions within 30 days of discharge from hospital',
      measure: 'Indirectly standardised percentage',
      period: `${r.period_start_year}/${String(Number(r.period_start_year) + 1).slice(2)}`,
      sex: r.sex as string,
      value: r.value as string,
    })),
]);

// The figures the borough publishes about itself: what a synthetic Bury must reproduce.
writeCsv('population/published-figures.csv', [
  {
    id: 'population',
    area: 'borough',
    figure: 'Residents (ONS mid-2023 estimate)',
    value: 195500,
    unit: 'people',
    tolerance: 0,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy, demographic profile (ONS mid-year estimates 2023)',
  },
  {
    id: 'share_under_18',
    area: 'borough',
    figure: 'Residents aged under 18',
    value: 22.5,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy, demographic profile',
  },
  {
    id: 'share_18_64',
    area: 'borough',
    figure: 'Residents aged 18 to 64',
    value: 59,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy, demographic profile',
  },
  {
    id: 'share_65_plus',
    area: 'borough',
    figure: 'Residents aged 65 and over',
    value: 18.5,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy, demographic profile',
  },
  {
    id: 'north_share_75_plus',
    area: 'neighbourhood:north',
    figure: 'North neighbourhood: residents aged 75 and over',
    value: 10,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy: "around 10% of residents over the age of 75"',
  },
  {
    id: 'east_share_under_15',
    area: 'neighbourhood:east',
    figure: 'East neighbourhood: residents aged under 15',
    value: 20,
    unit: 'percent',
    tolerance: 1,
    comparison: 'more-than',
    source: 'Bury neighbourhood working strategy: "more than 20% of residents ... under the age of 15"',
  },
  {
    id: 'prestwich_share_under_15',
    area: 'neighbourhood:prestwich',
    figure: 'Prestwich neighbourhood: residents aged under 15',
    value: 20,
    unit: 'percent',
    tolerance: 1,
    comparison: 'more-than',
    source: 'Bury neighbourhood working strategy: "more than 20% of residents ... under the age of 15"',
  },
  {
    id: 'north_le_birth',
    area: 'neighbourhood:north',
    figure: 'North neighbourhood: life expectancy at birth',
    value: 82,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source:
      'Bury neighbourhood working strategy: "Life expectancy in North neighbourhood is around 82 years"',
  },
  {
    id: 'east_le_birth',
    area: 'neighbourhood:east',
    figure: 'East neighbourhood: life expectancy at birth',
    value: 78,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy: "the 78 years in East neighbourhood"',
  },
  {
    id: 'le_birth_male',
    area: 'borough',
    figure: 'Life expectancy at birth, males (2020–22)',
    value: 77.2,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2020–2022)',
  },
  {
    id: 'le_birth_female',
    area: 'borough',
    figure: 'Life expectancy at birth, females (2020–22)',
    value: 80.9,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2020–2022)',
  },
  {
    id: 'le_65_male',
    area: 'borough',
    figure: 'Life expectancy at 65, males',
    value: 17.4,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2022)',
  },
  {
    id: 'le_65_female',
    area: 'borough',
    figure: 'Life expectancy at 65, females',
    value: 19.7,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2022)',
  },
  {
    id: 'sii_le_65_male',
    area: 'borough',
    figure: 'Inequality in life expectancy at 65, males (slope index of inequality)',
    value: 6,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2022): gap between the most and least deprived',
  },
  {
    id: 'sii_le_65_female',
    area: 'borough',
    figure: 'Inequality in life expectancy at 65, females (slope index of inequality)',
    value: 5.9,
    unit: 'years',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (ONS 2022): gap between the most and least deprived',
  },
  {
    id: 'lsoas_decile_1',
    area: 'borough',
    figure: 'LSOAs in the most deprived 10% in England (IMD 2019)',
    value: 12,
    unit: 'LSOAs',
    tolerance: 0,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy: 12 of 120 LSOAs',
  },
  {
    id: 'elton_vale_share_65_plus',
    area: 'msoa:Elton Vale',
    figure: 'Elton Vale: residents aged 65 and over',
    value: 31.3,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (Census 2021), highest with Summerseat',
  },
  {
    id: 'summerseat_share_65_plus',
    area: 'msoa:Summerseat',
    figure: 'Summerseat: residents aged 65 and over',
    value: 31.1,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (Census 2021)',
  },
  {
    id: 'fernhill_pimhole_share_65_plus',
    area: 'msoa:Fernhill & Pimhole',
    figure: 'Fernhill and Pimhole: residents aged 65 and over',
    value: 9.6,
    unit: 'percent',
    tolerance: 1,
    comparison: 'about',
    source: 'Bury neighbourhood working strategy (Census 2021), the lowest',
  },
]);

console.log(`population calibration written to ${path.join(out, 'population')}`);
