// Reading a place pack's CSV files against zod row schemas, shared by every part of the pack (the
// place model here, the services directory in src/directory/). Every problem names the file, the line
// (the header is line 1) and the column. Pure: the text comes in, rows or problems go out.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

export interface PackProblem {
  file: string;
  /** Line in the file (the header is line 1), when the problem is in one row. */
  row?: number;
  field?: string;
  message: string;
}

export interface ParsedRow<T> {
  line: number;
  value: T;
}

/** Reads one CSV file against its row schema; problems name the file, line and column. */
// biome-ignore lint/suspicious/noExplicitAny: any object schema of string columns
export function readPackCsv<S extends z.ZodObject<any>>(
  file: string,
  content: string,
  schema: S,
  problems: PackProblem[],
): ParsedRow<z.output<S>>[] {
  const expected = Object.keys(schema.shape);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(content, { columns: true, skip_empty_lines: true, bom: true, info: true, trim: false });
  } catch (e) {
    problems.push({ file, message: `cannot be read as CSV: ${(e as Error).message}` });
    return [];
  }
  const header = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const columns = parse(header, { to_line: 1 })[0] as string[] | undefined;
  const missing = expected.filter((c) => !columns?.includes(c));
  for (const column of missing) {
    problems.push({
      file,
      row: 1,
      field: column,
      message: `the column "${column}" is missing from the header`,
    });
  }
  if (missing.length > 0) return [];
  const rows: ParsedRow<z.output<S>>[] = [];
  for (const { record, info } of records) {
    const result = schema.safeParse(record);
    if (result.success) rows.push({ line: info.lines, value: result.data as z.output<S> });
    else
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? '');
        const value = record[field];
        problems.push({
          file,
          row: info.lines,
          field,
          message: `${issue.message}${value !== undefined ? ` (found "${value}")` : ''}`,
        });
      }
  }
  return rows;
}

/** Rows that share a key, by key (only keys with more than one row). */
export function duplicates<T>(rows: ParsedRow<T>[], key: (v: T) => string): Map<string, ParsedRow<T>[]> {
  const byKey = new Map<string, ParsedRow<T>[]>();
  for (const row of rows) byKey.set(key(row.value), [...(byKey.get(key(row.value)) ?? []), row]);
  return new Map([...byKey].filter(([, list]) => list.length > 1));
}

// Column types shared by the pack's files.
export const slug = z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and hyphens');
export const text = z.string().trim().min(1, 'must not be empty');
export const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
export const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
  .transform(Number);
export const yesNo = z.enum(['yes', 'no'], 'must be yes or no').transform((v) => v === 'yes');
