// A place pack is the reference data one place ships: its neighbourhoods, wards, LSOAs, practices,
// teams, the agencies and practitioners who work in them, and Live Well sites, with boundaries, and its
// services directory (whose files src/directory/place-pack-directory.ts checks). This module validates
// a pack's files (given as text) and turns them into a PlacePack, or a list of problems each naming the
// file, row and field. Pure.
import { z } from 'zod';
import { AGENCY_KINDS } from '../core/schemas/case.ts';
import {
  type DirectoryPack,
  directoryFilesSchema,
  EMPTY_DIRECTORY,
  parseDirectory,
} from '../directory/place-pack-directory.ts';
import {
  decimal,
  duplicates,
  int,
  type PackProblem,
  type ParsedRow,
  readPackCsv,
  slug,
  text,
  yesNo,
} from './pack-csv.ts';

export type { PackProblem } from './pack-csv.ts';

export interface Neighbourhood {
  code: string;
  name: string;
  towns: string;
}
export interface Ward {
  code: string;
  name: string;
  neighbourhood: string;
  assignment: 'sourced' | 'derived';
  evidence: string;
}
export interface Lsoa {
  code: string;
  name: string;
  ward: string;
  neighbourhood: string;
  msoaCode: string;
  msoaName: string;
  imd2019Rank: number;
  imd2019Decile: number;
  imd2025Score: number;
  imd2025Rank: number;
  imd2025Decile: number;
  households2021: number;
  populationMid2020: number;
}
export interface Practice {
  odsCode: string;
  name: string;
  pcnCode: string;
  pcnName: string;
  neighbourhood: string;
  postcode: string;
  isOpen: boolean;
  listSize2021: number;
  assignment: 'sourced' | 'derived';
  evidence: string;
}
export interface Team {
  id: string;
  name: string;
  kind: string;
  neighbourhood: string | null;
}
export interface TeamRole {
  team: string;
  role: string;
  title: string;
  responsibility: string;
}
/** The kinds of agency a pack lists. GP practices are agencies too, but come from the practices file. */
export const PACK_AGENCY_KINDS = AGENCY_KINDS.filter(
  (k): k is Exclude<(typeof AGENCY_KINDS)[number], 'gp-practice'> => k !== 'gp-practice',
);
export type PackAgencyKind = (typeof PACK_AGENCY_KINDS)[number];
export interface Agency {
  id: string;
  name: string;
  kind: PackAgencyKind;
}
/** A member of a team, named by role only. */
export interface Practitioner {
  id: string;
  team: string | null;
  /** An agency's id, or a GP practice's ODS code. */
  agency: string;
  title: string;
}
export interface LiveWellSite {
  id: string;
  name: string;
  kind: 'centre' | 'hub' | 'network' | 'programme';
  town: string;
  neighbourhoods: string[];
  rolloutYear: number;
  rolloutYearEnd: number | null;
  summary: string;
}
export type Geometry = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };

export interface PlacePack {
  id: string;
  name: string;
  kind: string;
  ladCode: string;
  region: string;
  population: { residents: number; year: number; source: string };
  assignmentStatus: string;
  neighbourhoods: Neighbourhood[];
  wards: Ward[];
  lsoas: Lsoa[];
  practices: Practice[];
  teams: Team[];
  teamRoles: TeamRole[];
  agencies: Agency[];
  practitioners: Practitioner[];
  liveWell: LiveWellSite[];
  lsoaBoundaries: Map<string, Geometry>;
  wardBoundaries: Map<string, Geometry>;
  /** The services directory (empty when the manifest names no `directory` files). */
  directory: DirectoryPack;
}

const FILE_KEYS = [
  'neighbourhoods',
  'wards',
  'lsoas',
  'practices',
  'teams',
  'teamRoles',
  'agencies',
  'practitioners',
  'liveWell',
  'lsoaBoundaries',
  'wardBoundaries',
] as const;
type FileKey = (typeof FILE_KEYS)[number];

export const MANIFEST_FILE = 'pack.json';

const manifestSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'use lower-case letters, digits and hyphens'),
  name: z.string().min(1),
  kind: z.string().min(1),
  // A district (E06–E09), or a combined authority (E47) for a pack that covers a city region.
  ladCode: z
    .string()
    .regex(
      /^E(0[6-9]|47)\d{6}$/,
      'must be a local authority district code such as E08000002, or a combined authority code such as E47000001',
    ),
  region: z.string().min(1),
  population: z.object({
    residents: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
    source: z.string().min(1),
  }),
  assignmentStatus: z.string().min(1),
  files: z.object({
    ...(Object.fromEntries(FILE_KEYS.map((k) => [k, z.string().min(1)])) as Record<FileKey, z.ZodString>),
    /** The services directory's files (optional: a pack may have no directory). */
    directory: directoryFilesSchema.optional(),
  }),
});
export type PackManifest = z.infer<typeof manifestSchema>;

const assignment = z.enum(['sourced', 'derived'], 'must be sourced or derived');
const lsoaCode = z.string().regex(/^E01\d{6}$/, 'must be an LSOA code such as E01004941');
const wardCode = z.string().regex(/^E05\d{6}$/, 'must be a ward code such as E05014152');
const odsCode = z.string().regex(/^[A-Z]\d{5}$/, 'must be a GP practice ODS code such as P83001');

const rowSchemas = {
  neighbourhoods: z.object({ code: slug, name: text, towns: text }),
  wards: z.object({ code: wardCode, name: text, neighbourhood: slug, assignment, evidence: text }),
  lsoas: z.object({
    code: lsoaCode,
    name: text,
    ward: wardCode,
    neighbourhood: slug,
    msoa_code: z.string().regex(/^E02\d{6}$/, 'must be an MSOA code such as E02001039'),
    msoa_name: text,
    imd2019_rank: int(1, 32844),
    imd2019_decile: int(1, 10),
    imd2025_score: decimal,
    imd2025_rank: int(1, 33755),
    imd2025_decile: int(1, 10),
    households_2021: int(0),
    population_mid2020: int(0),
  }),
  practices: z.object({
    ods_code: odsCode,
    name: text,
    pcn_code: z.string().regex(/^U\d{5}$/, 'must be a PCN code such as U49226'),
    pcn_name: text,
    neighbourhood: z.string().trim().min(1, 'every practice needs a neighbourhood').pipe(slug),
    // Blank when the pack's sources give no postcode.
    postcode: z
      .string()
      .regex(/^([A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})?$/, 'must be a UK postcode such as BL9 0SN, or blank'),
    is_open: yesNo,
    list_size_2021: int(0),
    assignment,
    evidence: text,
  }),
  teams: z.object({ id: slug, name: text, kind: slug, neighbourhood: z.union([z.literal(''), slug]) }),
  teamRoles: z.object({ team: slug, role: slug, title: text, responsibility: text }),
  agencies: z.object({
    id: slug,
    name: text,
    kind: z.enum(
      PACK_AGENCY_KINDS,
      `must be one of ${PACK_AGENCY_KINDS.join(', ')} (GP practices come from the practices file)`,
    ),
  }),
  practitioners: z.object({
    id: slug,
    team: z.union([z.literal(''), slug]),
    agency: z.union([slug, odsCode], 'must be an agency id or a GP practice ODS code'),
    title: text,
  }),
  liveWell: z.object({
    id: slug,
    name: text,
    kind: z.enum(['centre', 'hub', 'network', 'programme'], 'must be centre, hub, network or programme'),
    town: text,
    neighbourhoods: z
      .string()
      .min(1, 'name at least one neighbourhood')
      .transform((v) => v.split(';').map((s) => s.trim())),
    rollout_year: int(2000, 2100),
    rollout_year_end: z.union([z.literal('').transform(() => null), int(2000, 2100)]),
    summary: text,
  }),
} as const;
type CsvKey = keyof typeof rowSchemas;

/** Reads one of the place model's CSV files against its row schema. */
function readCsv<K extends CsvKey>(
  file: string,
  content: string,
  key: K,
  problems: PackProblem[],
): ParsedRow<z.output<(typeof rowSchemas)[K]>>[] {
  return readPackCsv(file, content, rowSchemas[key], problems) as ParsedRow<
    z.output<(typeof rowSchemas)[K]>
  >[];
}

/** Reads a boundaries file: a GeoJSON FeatureCollection of polygons with a `code` property. */
function readBoundaries(file: string, content: string, problems: PackProblem[]): Map<string, Geometry> {
  const out = new Map<string, Geometry>();
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    problems.push({ file, message: `is not valid JSON: ${(e as Error).message}` });
    return out;
  }
  const collection = json as { type?: string; features?: unknown[] };
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    problems.push({ file, message: 'must be a GeoJSON FeatureCollection' });
    return out;
  }
  collection.features.forEach((f, i) => {
    const feature = f as {
      properties?: { code?: unknown };
      geometry?: { type?: string; coordinates?: unknown };
    };
    const code = feature.properties?.code;
    const where = { file, row: i + 1, field: `features[${i}]` };
    if (typeof code !== 'string') problems.push({ ...where, message: 'the feature has no "code" property' });
    else if (!feature.geometry || !['Polygon', 'MultiPolygon'].includes(feature.geometry.type ?? ''))
      problems.push({ ...where, message: `the boundary of ${code} must be a Polygon or MultiPolygon` });
    else if (out.has(code)) problems.push({ ...where, message: `${code} has more than one boundary` });
    else out.set(code, feature.geometry as Geometry);
  });
  return out;
}

export type ParseResult = { ok: true; pack: PlacePack } | { ok: false; problems: PackProblem[] };

/**
 * Validates a place pack. `files` maps each path named in the manifest (relative to the pack folder)
 * to its text; a file that could not be read is simply absent.
 */
export function parsePlacePack(manifestText: string | undefined, files: Record<string, string>): ParseResult {
  const problems: PackProblem[] = [];
  if (manifestText === undefined)
    return { ok: false, problems: [{ file: MANIFEST_FILE, message: 'is missing' }] };
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestText);
  } catch (e) {
    return {
      ok: false,
      problems: [{ file: MANIFEST_FILE, message: `is not valid JSON: ${(e as Error).message}` }],
    };
  }
  const manifest = manifestSchema.safeParse(manifestJson);
  if (!manifest.success) {
    return {
      ok: false,
      problems: manifest.error.issues.map((i) => ({
        file: MANIFEST_FILE,
        field: i.path.join('.'),
        message: i.message,
      })),
    };
  }
  const m = manifest.data;
  const content = (key: FileKey): string | undefined => {
    const name = m.files[key];
    const text = files[name];
    if (text === undefined) problems.push({ file: name, message: 'is missing from the pack' });
    return text;
  };
  const csv = <K extends CsvKey>(key: K) => {
    const text = content(key);
    return text === undefined ? [] : readCsv(m.files[key], text, key, problems);
  };

  const neighbourhoods = csv('neighbourhoods');
  const wards = csv('wards');
  const lsoas = csv('lsoas');
  const practices = csv('practices');
  const teams = csv('teams');
  const teamRoles = csv('teamRoles');
  const agencies = csv('agencies');
  const practitioners = csv('practitioners');
  const liveWell = csv('liveWell');
  const lsoaBoundaryText = content('lsoaBoundaries');
  const wardBoundaryText = content('wardBoundaries');
  const lsoaBoundaries =
    lsoaBoundaryText === undefined
      ? new Map()
      : readBoundaries(m.files.lsoaBoundaries, lsoaBoundaryText, problems);
  const wardBoundaries =
    wardBoundaryText === undefined
      ? new Map()
      : readBoundaries(m.files.wardBoundaries, wardBoundaryText, problems);

  const directory = m.files.directory
    ? parseDirectory(
        m.files.directory,
        files,
        {
          neighbourhoods: new Set(neighbourhoods.map((n) => n.value.code)),
          liveWellSites: new Set(liveWell.map((s) => s.value.id)),
          agencies: new Set(agencies.map((a) => a.value.id)),
        },
        problems,
      )
    : EMPTY_DIRECTORY;

  const at = (key: FileKey, line: number, field: string, message: string) =>
    problems.push({ file: m.files[key], row: line, field, message });

  // Each identifier once.
  for (const [code, rows] of duplicates(neighbourhoods, (v) => v.code))
    for (const r of rows.slice(1))
      at('neighbourhoods', r.line, 'code', `the neighbourhood "${code}" is listed twice`);
  for (const [code, rows] of duplicates(wards, (v) => v.code))
    for (const r of rows.slice(1)) at('wards', r.line, 'code', `the ward ${code} is listed twice`);
  for (const [code, rows] of duplicates(lsoas, (v) => v.code)) {
    const places = new Set(rows.map((r) => r.value.neighbourhood));
    const lines = rows.map((r) => r.line).join(' and ');
    for (const r of rows.slice(1))
      at(
        'lsoas',
        r.line,
        'code',
        places.size > 1
          ? `the LSOA ${code} is in two neighbourhoods (${[...places].join(' and ')}), on lines ${lines}; an LSOA belongs to exactly one`
          : `the LSOA ${code} is listed twice, on lines ${lines}`,
      );
  }
  for (const [code, rows] of duplicates(practices, (v) => v.ods_code))
    for (const r of rows.slice(1))
      at('practices', r.line, 'ods_code', `the practice ${code} is listed twice`);
  for (const [id, rows] of duplicates(teams, (v) => v.id))
    for (const r of rows.slice(1)) at('teams', r.line, 'id', `the team "${id}" is listed twice`);
  for (const [id, rows] of duplicates(agencies, (v) => v.id))
    for (const r of rows.slice(1)) at('agencies', r.line, 'id', `the agency "${id}" is listed twice`);
  for (const [id, rows] of duplicates(practitioners, (v) => v.id))
    for (const r of rows.slice(1))
      at('practitioners', r.line, 'id', `the practitioner "${id}" is listed twice`);
  for (const [id, rows] of duplicates(liveWell, (v) => v.id))
    for (const r of rows.slice(1)) at('liveWell', r.line, 'id', `the Live Well site "${id}" is listed twice`);

  // References between files.
  const neighbourhoodCodes = new Set(neighbourhoods.map((n) => n.value.code));
  const known = neighbourhoods.length > 0;
  const unknownNeighbourhood = (code: string) =>
    `"${code}" is not a neighbourhood of this pack (expected one of ${[...neighbourhoodCodes].join(', ')})`;
  const wardByCode = new Map(wards.map((w) => [w.value.code, w.value]));
  if (known) {
    for (const w of wards)
      if (!neighbourhoodCodes.has(w.value.neighbourhood))
        at('wards', w.line, 'neighbourhood', unknownNeighbourhood(w.value.neighbourhood));
    for (const p of practices)
      if (!neighbourhoodCodes.has(p.value.neighbourhood))
        at('practices', p.line, 'neighbourhood', unknownNeighbourhood(p.value.neighbourhood));
    for (const t of teams)
      if (t.value.neighbourhood !== '' && !neighbourhoodCodes.has(t.value.neighbourhood))
        at('teams', t.line, 'neighbourhood', unknownNeighbourhood(t.value.neighbourhood));
    for (const s of liveWell)
      for (const code of s.value.neighbourhoods)
        if (!neighbourhoodCodes.has(code))
          at('liveWell', s.line, 'neighbourhoods', unknownNeighbourhood(code));
  }
  for (const l of lsoas) {
    const ward = wardByCode.get(l.value.ward);
    if (!ward) at('lsoas', l.line, 'ward', `the ward ${l.value.ward} is not in ${m.files.wards}`);
    else if (ward.neighbourhood !== l.value.neighbourhood)
      at(
        'lsoas',
        l.line,
        'neighbourhood',
        `the LSOA ${l.value.code} is listed under "${l.value.neighbourhood}" but its ward ${ward.name} is in "${ward.neighbourhood}"; an LSOA belongs to exactly one neighbourhood`,
      );
  }
  const teamIds = new Set(teams.map((t) => t.value.id));
  for (const r of teamRoles)
    if (!teamIds.has(r.value.team))
      at('teamRoles', r.line, 'team', `the team "${r.value.team}" is not in ${m.files.teams}`);
  for (const [key, rows] of duplicates(teamRoles, (v) => `${v.team}/${v.role}`))
    for (const r of rows.slice(1)) at('teamRoles', r.line, 'role', `the role ${key} is listed twice`);
  // A practitioner works for an agency of the pack, or for one of its GP practices.
  const agencyIds = new Set([...agencies.map((a) => a.value.id), ...practices.map((p) => p.value.ods_code)]);
  for (const p of practitioners) {
    if (p.value.team !== '' && !teamIds.has(p.value.team))
      at('practitioners', p.line, 'team', `the team "${p.value.team}" is not in ${m.files.teams}`);
    if (!agencyIds.has(p.value.agency))
      at(
        'practitioners',
        p.line,
        'agency',
        `the agency "${p.value.agency}" is neither in ${m.files.agencies} nor a practice in ${m.files.practices}`,
      );
  }

  // Every neighbourhood has somewhere in it; every area has its boundary and no boundary is unknown.
  for (const n of neighbourhoods)
    if (!lsoas.some((l) => l.value.neighbourhood === n.value.code))
      at('neighbourhoods', n.line, 'code', `the neighbourhood "${n.value.code}" has no LSOAs`);
  const lsoaCodes = new Set(lsoas.map((l) => l.value.code));
  if (lsoaBoundaryText !== undefined) {
    for (const l of lsoas)
      if (!lsoaBoundaries.has(l.value.code))
        at('lsoas', l.line, 'code', `the LSOA ${l.value.code} has no boundary in ${m.files.lsoaBoundaries}`);
    for (const code of lsoaBoundaries.keys())
      if (!lsoaCodes.has(code))
        problems.push({
          file: m.files.lsoaBoundaries,
          field: 'code',
          message: `unknown LSOA code ${code}: it is not in ${m.files.lsoas}`,
        });
  }
  if (wardBoundaryText !== undefined) {
    for (const w of wards)
      if (!wardBoundaries.has(w.value.code))
        at('wards', w.line, 'code', `the ward ${w.value.code} has no boundary in ${m.files.wardBoundaries}`);
    for (const code of wardBoundaries.keys())
      if (!wardByCode.has(code))
        problems.push({
          file: m.files.wardBoundaries,
          field: 'code',
          message: `unknown ward code ${code}: it is not in ${m.files.wards}`,
        });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    pack: {
      id: m.id,
      name: m.name,
      kind: m.kind,
      ladCode: m.ladCode,
      region: m.region,
      population: m.population,
      assignmentStatus: m.assignmentStatus,
      neighbourhoods: neighbourhoods.map((r) => r.value),
      wards: wards.map((r) => r.value),
      lsoas: lsoas.map(({ value: v }) => ({
        code: v.code,
        name: v.name,
        ward: v.ward,
        neighbourhood: v.neighbourhood,
        msoaCode: v.msoa_code,
        msoaName: v.msoa_name,
        imd2019Rank: v.imd2019_rank,
        imd2019Decile: v.imd2019_decile,
        imd2025Score: v.imd2025_score,
        imd2025Rank: v.imd2025_rank,
        imd2025Decile: v.imd2025_decile,
        households2021: v.households_2021,
        populationMid2020: v.population_mid2020,
      })),
      practices: practices.map(({ value: v }) => ({
        odsCode: v.ods_code,
        name: v.name,
        pcnCode: v.pcn_code,
        pcnName: v.pcn_name,
        neighbourhood: v.neighbourhood,
        postcode: v.postcode,
        isOpen: v.is_open,
        listSize2021: v.list_size_2021,
        assignment: v.assignment,
        evidence: v.evidence,
      })),
      teams: teams.map(({ value: v }) => ({
        ...v,
        neighbourhood: v.neighbourhood === '' ? null : v.neighbourhood,
      })),
      teamRoles: teamRoles.map((r) => r.value),
      agencies: agencies.map((r) => r.value),
      practitioners: practitioners.map(({ value: v }) => ({ ...v, team: v.team === '' ? null : v.team })),
      liveWell: liveWell.map(({ value: v }) => ({
        id: v.id,
        name: v.name,
        kind: v.kind,
        town: v.town,
        neighbourhoods: v.neighbourhoods,
        rolloutYear: v.rollout_year,
        rolloutYearEnd: v.rollout_year_end,
        summary: v.summary,
      })),
      lsoaBoundaries,
      wardBoundaries,
      directory,
    },
  };
}

/** The files a manifest names, so an IO edge can read exactly those. */
export function manifestFiles(manifestText: string): string[] {
  try {
    const files = (JSON.parse(manifestText) as { files?: Record<string, unknown> }).files ?? {};
    // One level of nesting: the directory's files sit under `files.directory`.
    return Object.values(files).flatMap((v) =>
      typeof v === 'string'
        ? [v]
        : v !== null && typeof v === 'object'
          ? Object.values(v).filter((x): x is string => typeof x === 'string')
          : [],
    );
  } catch {
    return [];
  }
}

export function describeProblem(p: PackProblem): string {
  const where = [p.file, p.row !== undefined ? `line ${p.row}` : null, p.field ? `field "${p.field}"` : null]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${p.message}`;
}
