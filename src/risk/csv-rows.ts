import { parse } from 'csv-parse/sync';

export type CsvRow = Record<string, string>;

/** Parses CSV text with a header row into records. Pure: the caller reads the file. */
export function csvRows(text: string): CsvRow[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as CsvRow[];
}
