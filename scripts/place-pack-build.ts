// What the place-pack build scripts share: reading the reference data, writing the pack's CSV files,
// simplifying boundaries, the Integrated Neighbourhood Team roles, and the population files that are
// copied the same way for any place. A maintainer's tool, like the scripts that use it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';

export type Row = Record<string, string>;

/** Reads CSV files of the reference collection in `ref` and writes CSV files into the pack in `out`. */
export function packFiles(ref: string, out: string) {
  return {
    readCsv: (rel: string): Row[] =>
      parse(readFileSync(path.join(ref, rel)), { columns: true, skip_empty_lines: true, bom: true }),
    writeCsv: (rel: string, rows: Record<string, string | number>[]) =>
      writeFileSync(path.join(out, rel), stringify(rows, { header: true })),
  };
}

/** Single years of age as the sources label them: 0 … 89 and "90+". */
export const AGES = [...Array.from({ length: 90 }, (_, a) => String(a)), '90+'];
/** The column of `population/lsoa-single-year-ages.csv` for a source age label. */
export const ageColumn = (age: string) => (age === '90+' ? 'age_90_plus' : `age_${age}`);

// Boundaries: simplified with topology preserved (shared edges stay shared), coordinates to 5 decimal
// places (about 1 metre), only the code kept as a property.
export function simplifiedBoundaries(
  source: FeatureCollection,
  codeKey: string,
  keep: number,
): FeatureCollection {
  const slim: FeatureCollection = {
    type: 'FeatureCollection',
    features: source.features.map((f) => ({
      type: 'Feature',
      properties: { code: (f.properties as Row)[codeKey] },
      geometry: f.geometry,
    })),
  };
  const topo = presimplify(topology({ areas: slim }) as never);
  const simple = simplify(topo, quantile(topo, keep));
  const back = feature(simple, simple.objects.areas as never) as unknown as FeatureCollection<
    Polygon | MultiPolygon
  >;
  const round = (c: number) => Math.round(c * 1e5) / 1e5;
  const roundRing = (ring: number[][]) => ring.map(([x, y]) => [round(x as number), round(y as number)]);
  return {
    type: 'FeatureCollection',
    features: back.features.map(
      (f): Feature => ({
        type: 'Feature',
        properties: f.properties,
        geometry:
          f.geometry.type === 'Polygon'
            ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(roundRing) }
            : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((p) => p.map(roundRing)) },
      }),
    ),
  };
}

export const writeGeoJson = (file: string, collection: FeatureCollection) =>
  writeFileSync(file, `${JSON.stringify(collection)}\n`);

export interface PackNeighbourhood {
  code: string;
  name: string;
  towns: string;
}

/** One Integrated Neighbourhood Team per neighbourhood. */
export const teamRows = (neighbourhoods: readonly PackNeighbourhood[]) =>
  neighbourhoods.map((n) => ({
    id: `int-${n.code}`,
    name: `${n.name} Integrated Neighbourhood Team`,
    kind: 'int',
    neighbourhood: n.code,
  }));

// Each INT is described by role only (never by the names of the people in the roles): an INT lead, a
// GP lead and a neighbourhood officer, as the Bury neighbourhood working strategy shows them.
const INT_ROLES = [
  ['int-lead', 'INT lead', 'Leads the team day to day, runs the caseload and chairs MDTs and huddles'],
  ['gp-lead', 'GP lead', 'Clinical lead from the neighbourhood’s GP practices'],
  ['neighbourhood-officer', 'Neighbourhood officer', 'Connects the team with council and community services'],
];
export const teamRoleRows = (neighbourhoods: readonly PackNeighbourhood[]) =>
  neighbourhoods.flatMap((n) =>
    INT_ROLES.map(([role, title, duty]) => ({
      team: `int-${n.code}`,
      role: role as string,
      title: title as string,
      responsibility: duty as string,
    })),
  );

/** The twelve practitioner roles of an INT: slug, title, and the kind of agency the person works for. */
export const PRACTITIONER_ROLES = [
  ['int-lead', 'INT lead', 'community-health'],
  ['gp-lead', 'GP lead', 'gp-practice'],
  ['care-coordinator', 'Care coordinator', 'community-health'],
  ['district-nurse', 'District nurse', 'community-health'],
  ['social-worker', 'Social worker', 'adult-social-care'],
  ['mental-health-practitioner', 'Mental health practitioner', 'mental-health'],
  ['vcse-link-worker', 'VCSE link worker', 'vcse'],
  ['housing-officer', 'Housing officer', 'housing'],
  ['dwp-work-coach', 'DWP work coach', 'dwp'],
  ['police-officer', 'Neighbourhood police officer', 'police'],
  ['fire-safety-officer', 'Safe and well officer', 'fire-and-rescue'],
  ['family-help-lead', 'Family Help lead practitioner', 'family-hub'],
] as const;
export type PractitionerAgencyKind = (typeof PRACTITIONER_ROLES)[number][2];

/**
 * One practitioner per role in each INT, named by role only. `agencyOf` gives the agency id of each
 * kind in a neighbourhood; the GP lead works for the neighbourhood's first open practice by ODS code.
 */
export function practitionerRows(
  neighbourhoods: readonly PackNeighbourhood[],
  practices: readonly { ods_code: string; neighbourhood: string; is_open: string }[],
  agencyOf: (kind: Exclude<PractitionerAgencyKind, 'gp-practice'>, neighbourhood: string) => string,
) {
  return neighbourhoods.flatMap((n) => {
    const gp = practices
      .filter((p) => p.neighbourhood === n.code && p.is_open === 'yes')
      .map((p) => p.ods_code)
      .sort()[0];
    if (!gp) throw new Error(`the ${n.name} neighbourhood has no open practice`);
    return PRACTITIONER_ROLES.map(([slug, title, kind]) => ({
      id: `int-${n.code}-${slug}`,
      team: `int-${n.code}`,
      agency: kind === 'gp-practice' ? gp : agencyOf(kind, n.code),
      title: title as string,
    }));
  });
}

/** Census 2021 residents by sex at each age (90 = 90 and over), summed over the districts given. */
export function sexByAgeRows(census: readonly Row[], ladCodes: ReadonlySet<string>) {
  const count = (age: string, sex: string) =>
    census
      .filter((r) => ladCodes.has(r.ltla21_code as string) && r.age === age && r.sex === sex)
      .reduce((t, r) => t + Number(r.usual_residents), 0);
  return AGES.map((a) => ({
    age: a === '90+' ? 90 : Number(a),
    female: String(count(a, 'Female')),
    male: String(count(a, 'Male')),
  }));
}

/** Residents in each of the 19 detailed ethnic groups, summed over the districts given. */
export function ethnicityDetailedRows(rows: readonly Row[], ladCodes: ReadonlySet<string>) {
  const totals = new Map<string, number>();
  for (const r of rows)
    if (ladCodes.has(r.ltla21_code as string))
      totals.set(r.ethnic_group as string, (totals.get(r.ethnic_group as string) ?? 0) + Number(r.number));
  return [...totals].map(([name, residents]) => ({
    broad_group: name.split(': ')[0] as string,
    group: name.split(': ')[1] as string,
    residents: String(residents),
  }));
}

export const qofRows = (rows: readonly Row[]) =>
  rows.map((r) => ({
    practice: r.practice_code as string,
    register: r.group_code as string,
    register_size: r.register as string,
    list_type: r.patient_list_type as string,
    list_size: r.practice_list_size as string,
  }));

/** The Strategy Unit's 2022 adult hospital activity rates of one area, smoothed by age. */
export const hospitalActivityRows = (rows: readonly Row[], areaCode: string) =>
  rows
    .filter((r) => r.area_code === areaCode)
    .map((r) => ({
      setting: r.setting as string,
      activity: r.activity_group as string,
      sex: r.sex as string,
      age: r.age === '90+' ? 90 : Number(r.age),
      rate_per_person_year: r.rate_per_person_gam_smoothed as string,
    }));

export const meanLengthOfStayRows = (rows: readonly Row[], areaCode: string) =>
  rows
    .filter((r) => r.area_code === areaCode)
    .map((r) => ({
      admission: r.admission_type as string,
      sex: r.sex as string,
      age_band: r.age_band as string,
      mean_los_days: r.mean_los_days as string,
    }));
