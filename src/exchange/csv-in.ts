// CSV extracts in the six documented layouts (docs/import-csv.md), read into the import records of
// records.ts with every problem of a row reported against its row and column. The layout is told by
// the header row. Values are trimmed and otherwise kept as written: a cell starting with = + - or @ is
// plain text here (nothing is evaluated); only what we write is escaped against spreadsheet formulas.
//
// The bytes are decoded in csv-decode.ts (UTF-8 or windows-1252, told at the first byte that is not
// ASCII); a UTF-16 file (Excel's "Unicode text") is refused at the header. Each row is read by its
// layout's reader (csv-records.ts), whose cells are checked in csv-cells.ts.

import { ReadableStream, type TransformStream } from 'node:stream/web';
import { CsvError, parse } from 'csv-parse/stream';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, CSV_LAYOUTS, type CsvLayout } from '../core/csv-layouts.ts';
import { list } from './csv-cells.ts';
import { blocks, decodeText, firstBlock, utf8 } from './csv-decode.ts';
import { COLUMN_NAMES, rowToRecord } from './csv-records.ts';
import type { ImportIssue, ImportRecord, Parsed } from './records.ts';

/** The longest row accepted, in bytes; longer usually means a quote mark that never closes. */
const MAX_ROW_BYTES = 64 * 1024;

const IDENTITY_COLUMNS: ReadonlySet<string> = new Set(['nhs_number', 'person_id', 'record_id']);

/** A header cell as compared: trimmed, lower case, without a byte-order mark. */
const headerName = (cell: string): string =>
  cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** Which layout a header row is, or the issue saying why none fits (missing/unknown columns named). */
export function layoutOfHeader(
  header: readonly string[],
): { ok: true; layout: CsvLayout } | { ok: false; issue: ImportIssue } {
  const fail = (code: string, diagnostics: string, expression?: string) => ({
    ok: false as const,
    issue: { severity: 'error' as const, code, diagnostics, line: 1, ...(expression ? { expression } : {}) },
  });
  const names = header.map(headerName).filter((name) => name !== '');
  if (names.length === 0)
    return fail(
      'structure',
      'The first row must be the column names, such as nhs_number, snomed_code, term, onset_date.',
    );
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate)
    return fail(
      'structure',
      `The column ${duplicate} appears twice in the header. Keep one of them.`,
      duplicate,
    );

  const fits = CSV_LAYOUTS.map((layout) => {
    const known = COLUMN_NAMES[layout];
    const unknown = names.filter((name) => !known.has(name));
    const missing = CSV_COLUMNS[layout]
      .filter((c) => c.required && !names.includes(c.name))
      .map((c) => c.name);
    const hasPerson = names.includes('nhs_number') || names.includes('person_id');
    const matched = names.filter((name) => known.has(name) && !IDENTITY_COLUMNS.has(name)).length;
    return { layout, unknown, missing, hasPerson, matched };
  });
  const exact = fits.find((f) => f.unknown.length === 0 && f.missing.length === 0);
  if (exact && !exact.hasPerson)
    return fail(
      'required',
      `The ${exact.layout} layout needs an nhs_number column, a person_id column, or both, to say who each row is about.`,
      'nhs_number',
    );
  if (exact) return { ok: true, layout: exact.layout };

  const best = [...fits].sort(
    (a, b) =>
      b.matched - a.matched || a.unknown.length + a.missing.length - b.unknown.length - b.missing.length,
  )[0];
  if (!best || best.matched === 0)
    return fail(
      'structure',
      `The header does not match any layout. The layouts are ${CSV_LAYOUTS.map((l) => `${l} (${list(CSV_COLUMNS[l].map((c) => c.name))})`).join('; ')}. Start from a template.`,
    );
  const problems = [
    best.missing.length > 0
      ? `it has no ${list(best.missing)} column${best.missing.length > 1 ? 's' : ''}`
      : '',
    best.unknown.length > 0
      ? `${list(best.unknown)} ${best.unknown.length > 1 ? 'are not columns' : 'is not a column'} of this layout (remove ${best.unknown.length > 1 ? 'them' : 'it'}, or check the spelling)`
      : '',
  ].filter(Boolean);
  return fail(
    best.missing.length > 0 ? 'required' : 'structure',
    `This looks like the ${best.layout} layout, but ${problems.join(', and ')}. Its columns are ${list(CSV_COLUMNS[best.layout].map((c) => c.name))}.`,
    best.missing[0] ?? best.unknown[0],
  );
}

const headerIssue = (fileLabel: string, issue: ImportIssue) => ({
  line: 1 as const,
  headerIssue: { ...issue, diagnostics: `${fileLabel} row 1 (the header): ${issue.diagnostics}` },
});

/** A row that cannot be read as a whole (its width, or the file's structure from there on). */
const rowFailure = (line: number, fileLabel: string, diagnostics: string) => ({
  line,
  parsed: {
    ok: false as const,
    issues: [
      {
        severity: 'error' as const,
        code: 'structure',
        diagnostics: `${fileLabel} row ${line}: ${diagnostics}`,
        line,
      },
    ],
  },
});

/** Why csv-parse stopped, in words for the person who made the file. */
function structureProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote mark (") opens a value here and is never closed, so the rest of the file cannot be read. Close the quote, or remove it.';
    case 'CSV_MAX_RECORD_SIZE':
      return `this row is longer than ${MAX_ROW_BYTES / 1024} KB, so the rest of the file cannot be read. This usually means a quote mark (") that is never closed.`;
    default:
      return `the file cannot be read from here: ${error.message}`;
  }
}

/** Streams a CSV file: decodes, detects the layout from the header, yields each row's parsed record; flat memory. */
export async function* readCsv(
  bytes: AsyncIterable<Uint8Array>,
  fileLabel: string,
): AsyncGenerator<{ line: number; parsed: Parsed<ImportRecord> } | { line: 1; headerIssue: ImportIssue }> {
  const start = await firstBlock(bytes);
  if (!start) {
    yield headerIssue(fileLabel, {
      severity: 'error',
      code: 'structure',
      diagnostics: 'The file is empty. The first row must be the column names.',
      line: 1,
    });
    return;
  }
  const [b0, b1] = start.first;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    await start.rest.return?.();
    yield headerIssue(fileLabel, {
      severity: 'error',
      code: 'structure',
      diagnostics:
        'The file is saved as UTF-16 ("Unicode text"). Save it as "CSV UTF-8 (comma delimited)" and try again.',
      line: 1,
    });
    return;
  }

  // csv-parse takes bytes, so the decoded text goes in again as UTF-8. Its types give an untyped
  // TransformStream; rows come out as arrays of strings, since `columns` is not set.
  const parser = parse({
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_ROW_BYTES,
  }) as unknown as TransformStream<Uint8Array, string[]>;
  const records = ReadableStream.from(utf8(decodeText(blocks(start.first, start.rest)))).pipeThrough(parser);

  let line = 0;
  let layout: CsvLayout | undefined;
  let columns: string[] = [];
  try {
    for await (const cells of records) {
      line += 1;
      if (layout === undefined) {
        const found = layoutOfHeader(cells);
        if (!found.ok) {
          yield headerIssue(fileLabel, found.issue);
          return;
        }
        layout = found.layout;
        columns = cells.map(headerName);
        continue;
      }
      if (cells.every((cell) => cell.trim() === '')) continue;
      if (cells.length !== columns.length) {
        yield rowFailure(
          line,
          fileLabel,
          `this row has ${cells.length} value${cells.length === 1 ? '' : 's'} but the header has ${columns.length} columns. Check for a missing or extra comma, or a comma inside a value that is not in quotes.`,
        );
        continue;
      }
      const row: Record<string, string> = {};
      let unnamed = -1;
      cells.forEach((cell, i) => {
        const name = columns[i] ?? '';
        if (name !== '') row[name] = cell;
        else if (cell.trim() !== '' && unnamed === -1) unnamed = i;
      });
      if (unnamed !== -1) {
        yield rowFailure(
          line,
          fileLabel,
          `column ${unnamed + 1} has a value but no name in the header. Name the column, or move the value to the right column.`,
        );
        continue;
      }
      yield { line, parsed: rowToRecord(layout, row, line, fileLabel) };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    yield rowFailure(line + 1, fileLabel, structureProblem(error));
  }
}

/** A template: the header and one example row of invented data (synthetic NHS number from the 999 range). */
export function csvTemplate(layout: CsvLayout): string {
  const columns = CSV_COLUMNS[layout];
  return stringify([columns.map((c) => c.name), columns.map((c) => c.example)], { escape_formulas: true });
}
