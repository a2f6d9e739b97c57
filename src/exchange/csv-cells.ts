// One cell of a CSV extract at a time: each value checked against what its column holds (dates, NHS
// numbers, SNOMED CT and ICD-10 codes, choices), with every problem reported against its row and column
// in words for the person who made the file. The layouts' readers (csv-records.ts) are built from these.

import { parseNhsNumber } from '../core/nhs-number.ts';
import { normaliseIcd10, parseDateOnly, snomedConceptProblem } from './code-formats.ts';
import type { ImportIssue } from './records.ts';

/** The longest cell accepted, in characters. */
export const MAX_CELL_LENGTH = 1000;
const MAX_ID_LENGTH = 100;

/** Names in a message: a, b, c. */
export const list = (names: readonly string[]): string => names.join(', ');

export type Check<T> = { ok: true; value: T } | { ok: false; problem: string };
export const good = <T>(value: T): Check<T> => ({ ok: true, value });
export const bad = (problem: string): Check<never> => ({ ok: false, problem });

/** A value for quoting in a message: short, in quotes. */
export const shown = (value: string): string =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

const EXCEL_SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/i;
const excelHint = (value: string): string =>
  EXCEL_SCIENTIFIC.test(value)
    ? ' A spreadsheet has turned the number into scientific notation: format the column as text and copy the codes in again.'
    : '';

export const checkDate = (value: string): Check<string> => {
  const date = parseDateOnly(value);
  return date.ok ? good(date.value) : bad(date.reason);
};

export const checkNhsNumber = (value: string): Check<string> => {
  const nhs = parseNhsNumber(value);
  return nhs.ok ? good(nhs.value) : bad(`${shown(value)} ${nhs.reason}.${excelHint(value)}`);
};

export const checkSnomed = (value: string): Check<string> => {
  const problem = snomedConceptProblem(value);
  return problem === null
    ? good(value)
    : bad(`${shown(value)} ${problem}. Check the code has been copied in full.${excelHint(value)}`);
};

export const checkIcd10 = (value: string): Check<string> => {
  const code = normaliseIcd10(value);
  return code
    ? good(code)
    : bad(
        `${shown(value)} is not an ICD-10 code. Write a letter and two digits, with a fourth character if there is one: I50, J18.9 or J189.`,
      );
};

export const checkId = (value: string): Check<string> =>
  value.length <= MAX_ID_LENGTH
    ? good(value)
    : bad(`is ${value.length} characters long; an id can have up to ${MAX_ID_LENGTH}.`);

export function checkChoice<T extends string>(
  allowed: readonly T[],
  aliases: Readonly<Record<string, NoInfer<T>>> = {},
): (value: string) => Check<T> {
  return (value) => {
    const lower = value.toLowerCase();
    const found = allowed.find((a) => a === lower) ?? aliases[lower];
    return found ? good(found) : bad(`${shown(value)} is not one of: ${list(allowed)}.`);
  };
}

export const checkYesNo = checkChoice(['yes', 'no'] as const, { y: 'yes', n: 'no' });
export const SEXES = ['female', 'male'] as const;
export const CAUSE_OF_DEATH_GROUPS = ['cardiovascular', 'cancer', 'respiratory', 'other'] as const;

const ETHNIC_CATEGORIES = 'ABCDEFGHJKLMNPRSZ';
export const checkEthnicCategory = (value: string): Check<string> => {
  const upper = value.toUpperCase();
  return upper.length === 1 && ETHNIC_CATEGORIES.includes(upper)
    ? good(upper)
    : bad(
        `${shown(value)} is not an NHS ethnic category: write one letter, A to H, J to N, P, R, S, or Z for not stated.`,
      );
};

export const checkMedicineCode = (value: string): Check<string> => {
  if (/^[0-9]+$/.test(value)) {
    const problem = snomedConceptProblem(value);
    return problem === null ? good(value) : bad(`${shown(value)} is not a dm+d code: it ${problem}.`);
  }
  const lower = value.toLowerCase();
  if (lower.length <= MAX_ID_LENGTH && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(lower)) return good(lower);
  return bad(
    `${shown(value)} is not a medicine code. Use the dm+d code (digits) or an id of letters, digits and single hyphens, such as insulin-glargine.${excelHint(value)}`,
  );
};

export const checkBnfSection = (value: string): Check<string> =>
  /^[0-9]{1,2}(?:\.[0-9]{1,2}){0,4}$/.test(value)
    ? good(value)
    : bad(`${shown(value)} is not a BNF section. Write it with dots, such as 2.6.2 or 6.1.2.2.`);

export const checkNumber = (value: string): Check<number> =>
  /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value)
    ? good(Number(value))
    : bad(
        `${shown(value)} is not a number. Write digits with a dot for decimals, such as 7.5, and nothing else${/^[<>]/.test(value) ? ' (a result given as "<" or ">" a limit cannot be imported)' : ''}.`,
      );

export const checkWholeDays = (value: string): Check<number> =>
  /^[0-9]{1,5}$/.test(value)
    ? good(Number(value))
    : bad(`${shown(value)} is not a number of days. Write a whole number, such as 0 or 7.`);

export const checkText = (value: string): Check<string> => good(value);

export const daysBetween = (start: string, end: string): number =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);

/** Reads the cells of one row, collecting an issue for every problem found. */
export class RowReader {
  readonly issues: ImportIssue[] = [];
  private readonly row: Readonly<Record<string, string>>;
  private readonly line: number;
  /** `people.csv row 12`, to start each message. */
  private readonly where: string;
  constructor(row: Readonly<Record<string, string>>, line: number, where: string) {
    this.row = row;
    this.line = line;
    this.where = where;
  }

  report(column: string, code: string, problem: string): void {
    this.issues.push({
      severity: 'error',
      code,
      diagnostics: `${this.where}, ${column}: ${problem}`,
      expression: column,
      line: this.line,
    });
  }

  /** The trimmed cell, '' when blank or absent, or undefined when it cannot be read at all (reported). */
  private cell(column: string): string | undefined {
    const value = (this.row[column] ?? '').trim();
    // Counted in characters as a person sees them (code points), not UTF-16 units.
    const length = value.length > MAX_CELL_LENGTH ? [...value].length : value.length;
    if (length > MAX_CELL_LENGTH) {
      this.report(
        column,
        'too-long',
        `is ${length.toLocaleString('en-GB')} characters long; a cell can have up to ${MAX_CELL_LENGTH.toLocaleString('en-GB')}.`,
      );
      return undefined;
    }
    if (value.includes('\uFFFD')) {
      this.report(
        column,
        'invalid',
        'has characters that could not be read (shown as �): parts of the file are in different encodings. Save the whole file again as "CSV UTF-8".',
      );
      return undefined;
    }
    return value;
  }

  /** A value that must be given: the checked value, or undefined when blank or wrong (reported). */
  required<T>(column: string, check: (value: string) => Check<T>, whatToGive = 'a value'): T | undefined {
    const value = this.cell(column);
    if (value === undefined) return undefined;
    if (value === '') {
      this.report(column, 'required', `is blank. Give ${whatToGive}.`);
      return undefined;
    }
    return this.checked(column, value, check);
  }

  /** A value that may be blank: null when blank, the checked value, or undefined when wrong (reported). */
  optional<T>(column: string, check: (value: string) => Check<T>): T | null | undefined {
    const value = this.cell(column);
    if (value === undefined) return undefined;
    return value === '' ? null : this.checked(column, value, check);
  }

  private checked<T>(column: string, value: string, check: (value: string) => Check<T>): T | undefined {
    const result = check(value);
    if (result.ok) return result.value;
    this.report(column, 'value', result.problem);
    return undefined;
  }

  /** `nhs:<NHS number>` or `csv:person:<person_id>`, or undefined (reported). */
  personKey(): string | undefined {
    const nhsNumber = this.optional('nhs_number', checkNhsNumber);
    const personId = this.optional('person_id', checkId);
    if (nhsNumber) return `nhs:${nhsNumber}`;
    if (nhsNumber === null && personId) return `csv:person:${personId}`;
    if (nhsNumber === null && personId === null)
      this.report(
        'nhs_number',
        'required',
        "is blank, and so is person_id. Give the person's NHS number, or your own id for them in person_id.",
      );
    return undefined;
  }

  /** Reports an end date before its start date. */
  endNotBeforeStart(
    start: string | null | undefined,
    end: string | null | undefined,
    endColumn: string,
  ): void {
    if (start && end && end < start)
      this.report(endColumn, 'business-rule', `${end} is before the start date ${start}. Check both dates.`);
  }
}
