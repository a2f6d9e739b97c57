// Words and numbers for profile figures: values with their units, intervals, and the comparison with
// the borough as a coloured tag with words (colour is never the only signal).
import { COMPARISON_LABELS, type Comparison } from '../../../src/stats/compare.ts';

/** A value to one decimal place (whole numbers for large rates), with its unit. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  const digits = unit.startsWith('per 100,000') && Math.abs(value) >= 100 ? 0 : 1;
  const n = value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** A 95% interval, "12.1 to 13.4", in the value's own units without repeating them. */
export function formatInterval(lower: number | null, upper: number | null, unit: string): string {
  if (lower === null || upper === null) return '–';
  const bare = (v: number) => formatValue(v, unit === '%' ? '%' : '').trim();
  return `${bare(lower)} to ${bare(upper)}`;
}

const TAG_CLASS: Record<Comparison, string> = {
  better: 'nhsuk-tag--green',
  similar: 'nhsuk-tag--yellow',
  worse: 'nhsuk-tag--red',
  higher: 'nhsuk-tag--blue',
  lower: 'nhsuk-tag--blue',
  'not-compared': 'nhsuk-tag--grey',
};

export function comparisonTag(comparison: Comparison): { className: string; words: string } {
  return { className: `nhsuk-tag ${TAG_CLASS[comparison]}`, words: COMPARISON_LABELS[comparison] };
}

export const AREA_KIND_WORDS = {
  borough: 'borough',
  neighbourhood: 'neighbourhood',
  ward: 'ward',
  lsoa: 'LSOA',
} as const;

/** "East neighbourhood", "Ramsbottom ward", "Bury". */
export function areaTitle(area: { kind: keyof typeof AREA_KIND_WORDS; name: string }): string {
  return area.kind === 'borough' ? area.name : `${area.name} ${AREA_KIND_WORDS[area.kind]}`;
}

/** A date written as people read it: 31 December 2025. */
export function longDate(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
