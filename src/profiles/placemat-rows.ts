// A placemat's rows as its exports show them: the residents by age and sex, each figure by section, life
// expectancy and the inequality gap. Both exports carry exactly what the placemat holds (its counts were
// disclosed when it was made: 1 to 7 shown as "*", others rounded to 5) and never anything more. Pure.
import type { Comparison } from '../stats/compare.ts';
import type { FigureGroup } from './figures.ts';
import type { Placemat } from './placemats.ts';
import type { AreaKind } from './profile-cells.ts';

/** One row of a placemat as both exports show it. */
export interface ExportRow {
  section: string;
  indicator: string;
  /** A shorter label for the PDF, where the section's introduction says the rest. */
  shortIndicator?: string;
  /** The count as disclosed ("*" when hidden); null when the row is not a count. */
  count: string | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  unit: string;
  /** null when the row is not compared with the borough at all (counts of residents, inequality). */
  comparison: Comparison | null;
  note: string | null;
}

export const KIND_NAMES: Record<AreaKind, string> = {
  borough: 'Borough',
  neighbourhood: 'Neighbourhood',
  ward: 'Ward',
  lsoa: 'Small area (LSOA)',
};

export const SECTIONS: Record<FigureGroup, string> = {
  population: 'Population',
  deprivation: 'Deprivation',
  conditions: 'Long-term conditions (recorded prevalence)',
  segments: 'Risk segments',
  activity: 'Hospital and care activity',
  deaths: 'Deaths',
};
const GROUP_ORDER: readonly FigureGroup[] = [
  'population',
  'deprivation',
  'conditions',
  'segments',
  'activity',
  'deaths',
];
export const PYRAMID_SECTION = 'Residents by age and sex';
const LIFE_SECTION = 'Life expectancy';
export const INEQUALITY_SECTION = 'Inequality';

export const SUPPRESSION_NOTE =
  'Counts of 1 to 7 are shown as *; others are rounded to the nearest 5. People who have opted out of sharing their data for planning are not counted.';

const SEX_WORDS = { female: 'females', male: 'males', persons: 'everyone' } as const;
const atAge = (age: 0 | 65) => (age === 0 ? 'at birth' : 'at 65');
/** '90+' → '90 and over'; '0–4' stays. */
export const ageBand = (band: string) => (band.endsWith('+') ? `${band.slice(0, -1)} and over` : band);

/** The counts of residents: in all, and by sex and age band. */
export function residentRows(p: Placemat): ExportRow[] {
  const none = { value: null, lower: null, upper: null, comparison: null, note: null, unit: 'people' };
  const residents: ExportRow = {
    ...none,
    section: SECTIONS.population,
    indicator: 'Residents',
    count: p.population.shown,
  };
  const pyramid = (['female', 'male'] as const).flatMap((sex) =>
    p.pyramid.bands.map(
      (band, i): ExportRow => ({
        ...none,
        section: PYRAMID_SECTION,
        indicator: `${sex === 'female' ? 'Females' : 'Males'} aged ${ageBand(band)}`,
        count: p.pyramid[sex][i]?.shown ?? '',
      }),
    ),
  );
  return [residents, ...pyramid];
}

/** The figures, section by section in the order the PDF shows them; sections without a figure left out. */
export function figureSections(p: Placemat): { title: string; rows: ExportRow[] }[] {
  const figures = GROUP_ORDER.map((group) => ({
    title: SECTIONS[group],
    rows: p.figures
      .filter((f) => f.group === group)
      .map(
        (f): ExportRow => ({
          section: SECTIONS[group],
          indicator: f.label,
          // The section's heading says it is recorded prevalence.
          shortIndicator: group === 'conditions' ? f.label.replace(/: recorded prevalence$/, '') : undefined,
          count: f.count,
          value: f.value,
          lower: f.lower,
          upper: f.upper,
          unit: f.unit,
          comparison: f.comparison,
          note: f.note,
        }),
      ),
  }));
  const life = p.lifeExpectancy.map(
    (le): ExportRow => ({
      section: LIFE_SECTION,
      indicator: `Life expectancy ${atAge(le.age)}, ${SEX_WORDS[le.sex]}`,
      count: null,
      value: le.value,
      lower: le.lower,
      upper: le.upper,
      unit: 'years',
      comparison: le.comparison,
      note: le.note,
    }),
  );
  const inequality = p.inequality.map(
    (i): ExportRow => ({
      section: INEQUALITY_SECTION,
      indicator: `Difference in life expectancy ${atAge(i.age)} between the most and least deprived parts of the borough, ${SEX_WORDS[i.sex]} (slope index of inequality)`,
      shortIndicator: `${i.age === 0 ? 'At birth' : 'At 65'}, ${SEX_WORDS[i.sex]}`,
      count: null,
      value: i.sii,
      lower: i.lower,
      upper: i.upper,
      unit: 'years',
      comparison: null,
      note:
        i.sii === null
          ? 'Not calculated: life expectancy could not be worked out for every tenth of the borough.'
          : null,
    }),
  );
  return [
    ...figures,
    { title: LIFE_SECTION, rows: life },
    { title: INEQUALITY_SECTION, rows: inequality },
  ].filter((s) => s.rows.length > 0);
}
