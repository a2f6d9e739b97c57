// A placemat as CSV: one row per count and figure it holds, for a spreadsheet. Pure.
import { stringify } from 'csv-stringify/sync';
import { COMPARISON_LABELS } from '../stats/compare.ts';
import { oneDecimal } from './figures.ts';
import { figureSections, KIND_NAMES, residentRows } from './placemat-rows.ts';
import type { Placemat } from './placemats.ts';

/** A disclosed count for a spreadsheet: "1,235" → 1235; "*" and anything else stays as it is. */
function countCell(shown: string | null): number | string {
  if (shown === null) return '';
  return /^\d{1,3}(,\d{3})*$/.test(shown) ? Number(shown.replaceAll(',', '')) : shown;
}

const CSV_COLUMNS = [
  'Area',
  'Area type',
  'Section',
  'Indicator',
  'Count',
  'Value',
  'Lower 95% limit',
  'Upper 95% limit',
  'Unit',
  'Compared with the borough',
  'Note',
  'Reference date',
];
/** Value, lower and upper limit: always written with one decimal place. */
const DECIMAL_COLUMNS = new Set([5, 6, 7]);

/** The placemat as CSV: one row per count and figure; empty where there is no value. */
export function placematCsv(p: Placemat): string {
  return stringify(
    [...residentRows(p), ...figureSections(p).flatMap((s) => s.rows)].map((r) => [
      p.area.name,
      KIND_NAMES[p.area.kind],
      r.section,
      r.indicator,
      countCell(r.count),
      r.value === null ? '' : oneDecimal(r.value),
      r.lower === null ? '' : oneDecimal(r.lower),
      r.upper === null ? '' : oneDecimal(r.upper),
      r.unit,
      r.comparison === null ? '' : COMPARISON_LABELS[r.comparison],
      r.note ?? '',
      p.referenceDate,
    ]),
    {
      header: true,
      columns: CSV_COLUMNS,
      // Numbers stay numbers (so a negative one is not taken for a formula); text beginning =, +, - or @
      // is prefixed with ' so that a spreadsheet shows it rather than runs it.
      escape_formulas: true,
      cast: { number: (v, { index }) => (DECIMAL_COLUMNS.has(index) ? v.toFixed(1) : String(v)) },
    },
  );
}
