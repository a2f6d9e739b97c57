// One row of a CSV extract to an import record (records.ts), in each of the six documented layouts
// (docs/import-csv.md). Values are trimmed and otherwise kept as written: a cell starting with = + - or
// @ is plain text here (nothing is evaluated).

import { createHash } from 'node:crypto';
import { CSV_COLUMNS, type CsvLayout } from '../core/csv-layouts.ts';
import { isLsoaCode, isOdsCode, normaliseIcd10, normalisePostcode } from './code-formats.ts';
import {
  bad,
  CAUSE_OF_DEATH_GROUPS,
  checkBnfSection,
  checkChoice,
  checkDate,
  checkEthnicCategory,
  checkIcd10,
  checkId,
  checkMedicineCode,
  checkNhsNumber,
  checkNumber,
  checkSnomed,
  checkText,
  checkWholeDays,
  checkYesNo,
  daysBetween,
  good,
  list,
  RowReader,
  SEXES,
  shown,
} from './csv-cells.ts';
import {
  type ConditionRecord,
  ENCOUNTER_KINDS,
  type EncounterKind,
  type EncounterRecord,
  type ImportRecord,
  type MedicationRecord,
  type ObservationRecord,
  type Parsed,
  type PersonRecord,
  SOCIAL_CARE_SERVICES,
  type SocialCareRecord,
  type SocialCareService,
} from './records.ts';

const namesOf = (layout: CsvLayout): ReadonlySet<string> => new Set(CSV_COLUMNS[layout].map((c) => c.name));
export const COLUMN_NAMES: Record<CsvLayout, ReadonlySet<string>> = {
  people: namesOf('people'),
  conditions: namesOf('conditions'),
  medicines: namesOf('medicines'),
  activity: namesOf('activity'),
  'social-care': namesOf('social-care'),
  'test-results': namesOf('test-results'),
};

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
