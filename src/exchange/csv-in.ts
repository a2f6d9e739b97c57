// CSV extracts in the six documented layouts (docs/import-csv.md), read into the import records of
// records.ts with every problem of a row reported against its row and column. The layout is told by
// the header row. Values are trimmed and otherwise kept as written: a cell starting with = + - or @ is
// plain text here (nothing is evaluated); only what we write is escaped against spreadsheet formulas.
//
// Encoding: a file is read as one encoding. Bytes below 0x80 read the same in UTF-8 and windows-1252,
// so the choice is made at the first byte that is not ASCII: if the rest of that block of the file is
// valid UTF-8 the file is UTF-8, otherwise windows-1252 (what Excel's plain "CSV" writes in England).
// A UTF-8 byte-order mark is dropped. If a file chosen as UTF-8 later holds bytes that are not UTF-8
// (a file pasted together from two encodings), those characters come out as U+FFFD and their rows are
// refused, rather than guessed at. A UTF-16 file (Excel's "Unicode text") is refused at the header.

import { createHash } from 'node:crypto';
import { ReadableStream, type TransformStream } from 'node:stream/web';
import { CsvError, parse } from 'csv-parse/stream';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, CSV_LAYOUTS, type CsvLayout } from '../core/csv-layouts.ts';
import { parseNhsNumber } from '../core/nhs-number.ts';
import {
  isLsoaCode,
  isOdsCode,
  normaliseIcd10,
  normalisePostcode,
  parseDateOnly,
  snomedConceptProblem,
} from './code-formats.ts';
import {
  type ConditionRecord,
  ENCOUNTER_KINDS,
  type EncounterKind,
  type EncounterRecord,
  type ImportIssue,
  type ImportRecord,
  type MedicationRecord,
  type ObservationRecord,
  type Parsed,
  type PersonRecord,
  SOCIAL_CARE_SERVICES,
  type SocialCareRecord,
  type SocialCareService,
} from './records.ts';

/** The longest cell accepted, in characters. */
export const MAX_CELL_LENGTH = 1000;
/** The longest row accepted, in bytes; longer usually means a quote mark that never closes. */
const MAX_ROW_BYTES = 64 * 1024;
const MAX_ID_LENGTH = 100;

const namesOf = (layout: CsvLayout): ReadonlySet<string> => new Set(CSV_COLUMNS[layout].map((c) => c.name));
const COLUMN_NAMES: Record<CsvLayout, ReadonlySet<string>> = {
  people: namesOf('people'),
  conditions: namesOf('conditions'),
  medicines: namesOf('medicines'),
  activity: namesOf('activity'),
  'social-care': namesOf('social-care'),
  'test-results': namesOf('test-results'),
};
const IDENTITY_COLUMNS: ReadonlySet<string> = new Set(['nhs_number', 'person_id', 'record_id']);

/** A header cell as compared: trimmed, lower case, without a byte-order mark. */
const headerName = (cell: string): string =>
  cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

const list = (names: readonly string[]): string => names.join(', ');

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

// ---------------------------------------------------------------------------------------------
// One row.

type Check<T> = { ok: true; value: T } | { ok: false; problem: string };
const good = <T>(value: T): Check<T> => ({ ok: true, value });
const bad = (problem: string): Check<never> => ({ ok: false, problem });

/** A value for quoting in a message: short, in quotes. */
const shown = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

const EXCEL_SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/i;
const excelHint = (value: string): string =>
  EXCEL_SCIENTIFIC.test(value)
    ? ' A spreadsheet has turned the number into scientific notation: format the column as text and copy the codes in again.'
    : '';

const checkDate = (value: string): Check<string> => {
  const date = parseDateOnly(value);
  return date.ok ? good(date.value) : bad(date.reason);
};

const checkNhsNumber = (value: string): Check<string> => {
  const nhs = parseNhsNumber(value);
  return nhs.ok ? good(nhs.value) : bad(`${shown(value)} ${nhs.reason}.${excelHint(value)}`);
};

const checkSnomed = (value: string): Check<string> => {
  const problem = snomedConceptProblem(value);
  return problem === null
    ? good(value)
    : bad(`${shown(value)} ${problem}. Check the code has been copied in full.${excelHint(value)}`);
};

const checkIcd10 = (value: string): Check<string> => {
  const code = normaliseIcd10(value);
  return code
    ? good(code)
    : bad(
        `${shown(value)} is not an ICD-10 code. Write a letter and two digits, with a fourth character if there is one: I50, J18.9 or J189.`,
      );
};

const checkId = (value: string): Check<string> =>
  value.length <= MAX_ID_LENGTH
    ? good(value)
    : bad(`is ${value.length} characters long; an id can have up to ${MAX_ID_LENGTH}.`);

function checkChoice<T extends string>(
  allowed: readonly T[],
  aliases: Readonly<Record<string, NoInfer<T>>> = {},
): (value: string) => Check<T> {
  return (value) => {
    const lower = value.toLowerCase();
    const found = allowed.find((a) => a === lower) ?? aliases[lower];
    return found ? good(found) : bad(`${shown(value)} is not one of: ${list(allowed)}.`);
  };
}

const checkYesNo = checkChoice(['yes', 'no'] as const, { y: 'yes', n: 'no' });
const SEXES = ['female', 'male'] as const;
const CAUSE_OF_DEATH_GROUPS = ['cardiovascular', 'cancer', 'respiratory', 'other'] as const;

const ETHNIC_CATEGORIES = 'ABCDEFGHJKLMNPRSZ';
const checkEthnicCategory = (value: string): Check<string> => {
  const upper = value.toUpperCase();
  return upper.length === 1 && ETHNIC_CATEGORIES.includes(upper)
    ? good(upper)
    : bad(
        `${shown(value)} is not an NHS ethnic category: write one letter, A to H, J to N, P, R, S, or Z for not stated.`,
      );
};

const checkMedicineCode = (value: string): Check<string> => {
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

const checkBnfSection = (value: string): Check<string> =>
  /^[0-9]{1,2}(?:\.[0-9]{1,2}){0,4}$/.test(value)
    ? good(value)
    : bad(`${shown(value)} is not a BNF section. Write it with dots, such as 2.6.2 or 6.1.2.2.`);

const checkNumber = (value: string): Check<number> =>
  /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value)
    ? good(Number(value))
    : bad(
        `${shown(value)} is not a number. Write digits with a dot for decimals, such as 7.5, and nothing else${/^[<>]/.test(value) ? ' (a result given as "<" or ">" a limit cannot be imported)' : ''}.`,
      );

const checkWholeDays = (value: string): Check<number> =>
  /^[0-9]{1,5}$/.test(value)
    ? good(Number(value))
    : bad(`${shown(value)} is not a number of days. Write a whole number, such as 0 or 7.`);

const checkText = (value: string): Check<string> => good(value);

const daysBetween = (start: string, end: string): number =>
  Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);

/** Reads the cells of one row, collecting an issue for every problem found. */
class RowReader {
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

/** The key of a record with no record_id: a hash of everything it says, so the same row is the same record. */
function contentKey(layout: CsvLayout, body: object): string {
  return `csv:${layout}:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

/** The record's resourceKey: `csv:<layout>:id:<record_id>`, or the hash of everything else it holds. */
const recordKey = (layout: CsvLayout, recordId: string | null, body: object): string =>
  recordId ? `csv:${layout}:id:${recordId}` : contentKey(layout, body);

const LAYOUT_READERS: Record<CsvLayout, (read: RowReader) => ImportRecord | undefined> = {
  people(read) {
    const nhsNumber = read.optional('nhs_number', checkNhsNumber);
    const personId = read.optional('person_id', checkId);
    if (nhsNumber === null && personId === null)
      read.report(
        'person_id',
        'required',
        "is blank, and so is nhs_number. Give the person's NHS number, or your own id for them in person_id.",
      );
    const givenName = read.required('given_name', checkText, 'the first name');
    const familyName = read.required('family_name', checkText, 'the last name');
    const sex = read.required('sex', checkChoice(SEXES, { f: 'female', m: 'male' }), 'female or male');
    const dateOfBirth = read.required('date_of_birth', checkDate, 'the date of birth as YYYY-MM-DD');
    const dateOfDeath = read.optional('date_of_death', checkDate);
    const causeOfDeath = read.optional('cause_of_death_group', checkChoice(CAUSE_OF_DEATH_GROUPS));
    const ethnicCategory = read.optional('ethnic_category', checkEthnicCategory);
    const lsoa = read.required(
      'lsoa',
      (v) =>
        isLsoaCode(v.toUpperCase())
          ? good(v.toUpperCase())
          : bad(`${shown(v)} is not a 2021 LSOA code in England: E01 and six digits, such as E01004941.`),
      'the LSOA code of the home address',
    );
    const postcode = read.optional('postcode', (v) => {
      const normal = normalisePostcode(v);
      return normal ? good(normal) : bad(`${shown(v)} is not a UK postcode, such as BL9 0SN.`);
    });
    const practice = read.required(
      'practice',
      (v) =>
        isOdsCode(v.toUpperCase())
          ? good(v.toUpperCase())
          : bad(
              `${shown(v)} is not an ODS code. A GP practice's code is a letter and five digits, such as P83006.`,
            ),
      "the GP practice's ODS code",
    );
    const nationalDataOptOut = read.optional('national_data_opt_out', checkYesNo);
    const type1Objection = read.optional('type1_objection', checkYesNo);
    if (dateOfBirth && dateOfDeath && dateOfDeath < dateOfBirth)
      read.report(
        'date_of_death',
        'business-rule',
        `${dateOfDeath} is before the date of birth ${dateOfBirth}. Check both dates.`,
      );
    if (causeOfDeath && dateOfDeath === null)
      read.report(
        'cause_of_death_group',
        'business-rule',
        'is given but date_of_death is blank. Give the date of death, or leave the cause blank.',
      );
    if (
      nhsNumber === undefined ||
      personId === undefined ||
      !givenName ||
      !familyName ||
      !sex ||
      !dateOfBirth ||
      dateOfDeath === undefined ||
      causeOfDeath === undefined ||
      ethnicCategory === undefined ||
      !lsoa ||
      postcode === undefined ||
      !practice ||
      nationalDataOptOut === undefined ||
      type1Objection === undefined ||
      read.issues.length > 0
    )
      return undefined;
    const person: PersonRecord = {
      kind: 'person',
      resourceKey: nhsNumber ? `nhs:${nhsNumber}` : `csv:person:${personId}`,
      nhsNumber,
      givenName,
      familyName,
      sex,
      dateOfBirth,
      dateOfDeath,
      causeOfDeath,
      ethnicCategory: ethnicCategory ?? 'Z',
      lsoa,
      postcode,
      practice,
      nationalDataOptOut: nationalDataOptOut === 'yes',
      type1Objection: type1Objection === 'yes',
    };
    return person;
  },

  conditions(read) {
    const personKey = read.personKey();
    const recordId = read.optional('record_id', checkId);
    const code = read.required('snomed_code', checkSnomed, 'the SNOMED CT concept id');
    const term = read.required('term', checkText, 'the name of the condition');
    const onsetDate = read.required('onset_date', checkDate, 'the date as YYYY-MM-DD');
    if (!personKey || recordId === undefined || !code || !term || !onsetDate || read.issues.length > 0)
      return undefined;
    const body: Omit<ConditionRecord, 'resourceKey'> = {
      kind: 'condition',
      personKey,
      codeSystem: 'http://snomed.info/sct',
      code,
      term,
      onsetDate,
    };
    return { resourceKey: recordKey('conditions', recordId, body), ...body };
  },

  medicines(read) {
    const personKey = read.personKey();
    const recordId = read.optional('record_id', checkId);
    const medicine = read.required('medicine_code', checkMedicineCode, "the medicine's code");
    const name = read.required('name', checkText, "the medicine's name");
    const bnfSection = read.optional('bnf_section', checkBnfSection);
    const startDate = read.required('start_date', checkDate, 'the date as YYYY-MM-DD');
    const endDate = read.optional('end_date', checkDate);
    read.endNotBeforeStart(startDate, endDate, 'end_date');
    if (
      !personKey ||
      recordId === undefined ||
      !medicine ||
      !name ||
      bnfSection === undefined ||
      !startDate ||
      endDate === undefined ||
      read.issues.length > 0
    )
      return undefined;
    const body: Omit<MedicationRecord, 'resourceKey'> = {
      kind: 'medication',
      personKey,
      medicine,
      name,
      bnfSection: bnfSection ?? '',
      startDate,
      endDate,
    };
    return { resourceKey: recordKey('medicines', recordId, body), ...body };
  },

  activity(read) {
    const personKey = read.personKey();
    const recordId = read.optional('record_id', checkId);
    const encounterKind = read.required<EncounterKind>(
      'kind',
      checkChoice(ENCOUNTER_KINDS),
      'the kind of hospital activity',
    );
    const startDate = read.required('start_date', checkDate, 'the date as YYYY-MM-DD');
    const endDate = read.optional('end_date', checkDate);
    const lengthOfStay = read.optional('length_of_stay', checkWholeDays);
    const primaryDiagnosis = read.optional('primary_diagnosis', checkIcd10);
    const secondaryDiagnoses = read.optional('secondary_diagnoses', (value) => {
      const codes = value
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      const wrong = codes.filter((part) => normaliseIcd10(part) === null);
      if (wrong.length > 0)
        return bad(
          `${list(wrong.map(shown))} ${wrong.length > 1 ? 'are not ICD-10 codes' : 'is not an ICD-10 code'}. Write each code as a letter and two digits, with a fourth character if there is one (I50, J18.9 or J189), and separate them with semicolons.`,
        );
      return good(codes.map((part) => normaliseIcd10(part) ?? part));
    });
    const readmission = read.optional('readmission', checkYesNo);
    const ambulance = read.optional('arrival_by_ambulance', checkYesNo);

    const isAdmission = encounterKind === 'emergency-admission' || encounterKind === 'elective-admission';
    if (isAdmission && endDate === null)
      read.report('end_date', 'required', 'is blank. An admission needs its discharge date, as YYYY-MM-DD.');
    read.endNotBeforeStart(startDate, endDate, 'end_date');
    const end = endDate ?? startDate;
    if (startDate && end && end >= startDate && lengthOfStay !== null && lengthOfStay !== undefined) {
      const days = daysBetween(startDate, end);
      if (lengthOfStay > days)
        read.report(
          'length_of_stay',
          'business-rule',
          `is ${lengthOfStay} days, longer than the ${days} days from ${startDate} to ${end}. Check the stay and the dates.`,
        );
    }
    if (secondaryDiagnoses && secondaryDiagnoses.length > 0 && primaryDiagnosis === null)
      read.report(
        'secondary_diagnoses',
        'business-rule',
        'are given without a primary_diagnosis. Put the main diagnosis in primary_diagnosis.',
      );
    if (readmission === 'yes' && encounterKind && encounterKind !== 'emergency-admission')
      read.report(
        'readmission',
        'business-rule',
        `is yes, but only an emergency admission can be a readmission; this row is ${encounterKind}.`,
      );
    if (
      !personKey ||
      recordId === undefined ||
      !encounterKind ||
      !startDate ||
      !end ||
      lengthOfStay === undefined ||
      primaryDiagnosis === undefined ||
      secondaryDiagnoses === undefined ||
      readmission === undefined ||
      ambulance === undefined ||
      read.issues.length > 0
    )
      return undefined;
    const hasStay = isAdmission || encounterKind === 'day-case';
    const body: Omit<EncounterRecord, 'resourceKey'> = {
      kind: 'encounter',
      personKey,
      encounterKind,
      startDate,
      endDate: end,
      lengthOfStay: lengthOfStay ?? (hasStay ? daysBetween(startDate, end) : null),
      primaryDiagnosis,
      secondaryDiagnoses: secondaryDiagnoses ?? [],
      isReadmission: readmission === 'yes',
      arrivalByAmbulance: ambulance === null ? null : ambulance === 'yes',
    };
    return { resourceKey: recordKey('activity', recordId, body), ...body };
  },

  'social-care'(read) {
    const personKey = read.personKey();
    const recordId = read.optional('record_id', checkId);
    const service = read.required<SocialCareService>(
      'service',
      checkChoice(SOCIAL_CARE_SERVICES),
      'the kind of service',
    );
    const startDate = read.required('start_date', checkDate, 'the date as YYYY-MM-DD');
    const endDate = read.optional('end_date', checkDate);
    read.endNotBeforeStart(startDate, endDate, 'end_date');
    if (
      !personKey ||
      recordId === undefined ||
      !service ||
      !startDate ||
      endDate === undefined ||
      read.issues.length
    )
      return undefined;
    const body: Omit<SocialCareRecord, 'resourceKey'> = {
      kind: 'social-care',
      personKey,
      service,
      startDate,
      endDate,
    };
    return { resourceKey: recordKey('social-care', recordId, body), ...body };
  },

  'test-results'(read) {
    const personKey = read.personKey();
    const recordId = read.optional('record_id', checkId);
    const code = read.required('snomed_code', checkSnomed, 'the SNOMED CT concept id');
    const value = read.required('value', checkNumber, 'the result as a number');
    const unit = read.optional('unit', checkText);
    const observedOn = read.required('observed_on', checkDate, 'the date as YYYY-MM-DD');
    if (
      !personKey ||
      recordId === undefined ||
      !code ||
      value === undefined ||
      unit === undefined ||
      !observedOn ||
      read.issues.length > 0
    )
      return undefined;
    const body: Omit<ObservationRecord, 'resourceKey'> = {
      kind: 'observation',
      personKey,
      codeSystem: 'http://snomed.info/sct',
      code,
      value,
      unit,
      observedOn,
    };
    return { resourceKey: recordKey('test-results', recordId, body), ...body };
  },
};

/** One row to a record, or its issues, each with `line` = the row number (header is row 1) and `expression` = the column name. */
export function rowToRecord(
  layout: CsvLayout,
  row: Readonly<Record<string, string>>,
  rowNumber: number,
  fileLabel: string,
): Parsed<ImportRecord> {
  const read = new RowReader(row, rowNumber, `${fileLabel} row ${rowNumber}`);
  for (const column of Object.keys(row))
    if (!COLUMN_NAMES[layout].has(column))
      read.report(
        column,
        'structure',
        `is not a column of the ${layout} layout. Remove it, or check the spelling.`,
      );
  const record = LAYOUT_READERS[layout](read);
  return record && read.issues.length === 0
    ? { ok: true, value: record }
    : { ok: false, issues: read.issues };
}

// ---------------------------------------------------------------------------------------------
// Bytes to text.

const firstNonAscii = (bytes: Uint8Array): number => bytes.findIndex((b) => b >= 0x80);

/** UTF-8 when `sample`, starting at the file's first non-ASCII byte, is valid UTF-8; windows-1252 otherwise. */
function decoderFor(sample: Uint8Array, isWholeRest: boolean): TextDecoder {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !isWholeRest });
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/**
 * The text of a file of UTF-8 or windows-1252 bytes, chosen at the first non-ASCII byte (see the top
 * of this file), as it arrives. Holds back at most three bytes while a choice waits for the next block.
 */
async function* decodeText(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const ascii = new TextDecoder('windows-1252');
  let decoder: TextDecoder | undefined;
  let carry = new Uint8Array(0);
  for await (const chunk of chunks) {
    if (decoder) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
      continue;
    }
    const bytes = carry.length > 0 ? concatBytes(carry, chunk) : chunk;
    carry = new Uint8Array(0);
    const at = firstNonAscii(bytes);
    if (at === -1) {
      if (bytes.length > 0) yield ascii.decode(bytes);
      continue;
    }
    if (at > 0) yield ascii.decode(bytes.subarray(0, at));
    const rest = bytes.subarray(at);
    if (rest.length < 4) {
      carry = rest.slice();
      continue;
    }
    decoder = decoderFor(rest, false);
    const text = decoder.decode(rest, { stream: true });
    if (text) yield text;
  }
  if (!decoder && carry.length > 0) decoder = decoderFor(carry, true);
  const tail = decoder?.decode(carry.length > 0 ? carry : undefined) ?? '';
  if (tail) yield tail;
}

async function* utf8(texts: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const text of texts) yield Buffer.from(text, 'utf8');
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** The first non-empty block of bytes and the blocks after it, or null for an empty file. */
async function firstBlock(
  bytes: AsyncIterable<Uint8Array>,
): Promise<{ first: Uint8Array; rest: AsyncIterator<Uint8Array> } | null> {
  const rest = bytes[Symbol.asyncIterator]();
  for (;;) {
    const next = await rest.next();
    if (next.done) return null;
    if (next.value.length > 0) return { first: next.value, rest };
  }
}

/** The blocks again, first one included; stopping early closes the source (a file, say) as well. */
async function* blocks(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let isDone = false;
  try {
    yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        isDone = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!isDone) await rest.return?.();
  }
}

// ---------------------------------------------------------------------------------------------
// A file.

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
