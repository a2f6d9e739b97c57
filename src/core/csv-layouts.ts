// The six CSV layouts the importer reads (docs/import-csv.md): each layout's columns, which are
// required, what each holds and an example. Shared by the importer (src/exchange/csv-in.ts), its
// templates and the web app's page that lists them.
export const CSV_LAYOUTS = [
  'people',
  'conditions',
  'medicines',
  'activity',
  'social-care',
  'test-results',
] as const;
export type CsvLayout = (typeof CSV_LAYOUTS)[number];

/** A column of a layout. `required`: the column must be in the header and have a value in every row. */
export interface CsvColumn {
  name: string;
  required: boolean;
  description: string;
  example: string;
}

const col = (name: string, required: boolean, description: string, example: string): CsvColumn => ({
  name,
  required,
  description,
  example,
});

const NHS_NUMBER = col(
  'nhs_number',
  false,
  "The person's NHS number: 10 digits, written together or grouped 3 3 4 (999 000 0018). Give it whenever you have it. Each row needs nhs_number or person_id.",
  '9990000018',
);
const PERSON_ID = col(
  'person_id',
  false,
  'Your own id for the person, up to 100 characters. Needed in each row that has no NHS number.',
  'BURY-000123',
);
const withRecordId = (example: string): CsvColumn =>
  col(
    'record_id',
    false,
    'Your own id for this record, up to 100 characters, if you have one. A record sent again with the same id is the same record.',
    example,
  );

export const CSV_COLUMNS: Record<CsvLayout, readonly CsvColumn[]> = {
  people: [
    NHS_NUMBER,
    PERSON_ID,
    col('given_name', true, 'First name.', 'Alex'),
    col('family_name', true, 'Last name (surname).', 'Sample'),
    col('sex', true, '`female` or `male` (F and M are accepted).', 'female'),
    col('date_of_birth', true, 'Date of birth, YYYY-MM-DD.', '1948-07-05'),
    col('date_of_death', false, 'Date of death, YYYY-MM-DD, if the person has died.', '2024-02-01'),
    col(
      'cause_of_death_group',
      false,
      'Broad group of the underlying cause of death: `cardiovascular`, `cancer`, `respiratory` or `other`. Only with a date of death.',
      'respiratory',
    ),
    col(
      'ethnic_category',
      false,
      'NHS Data Dictionary ethnic category, one letter (A to H, J to N, P, R, S or Z). Blank means Z, not stated.',
      'A',
    ),
    col('lsoa', true, 'ONS 2021 LSOA code of the home address: E01 and six digits.', 'E01004941'),
    col(
      'postcode',
      false,
      'Postcode of the home address. Helps to match people who have no NHS number.',
      'BL9 0SN',
    ),
    col('practice', true, 'ODS code of the GP practice the person is registered with.', 'P83006'),
    col(
      'national_data_opt_out',
      false,
      '`yes` if the person has registered a national data opt-out. `no` or blank: none recorded in this file (this never removes an opt-out sent before).',
      'no',
    ),
    col(
      'type1_objection',
      false,
      '`yes` if the person has a type 1 objection at their GP practice. `no` or blank: none recorded in this file (this never removes one sent before).',
      'no',
    ),
  ],
  conditions: [
    NHS_NUMBER,
    PERSON_ID,
    withRecordId('COND-000001'),
    col('snomed_code', true, 'SNOMED CT concept id of the condition.', '44054006'),
    col('term', true, 'The name of the condition, as your system shows it.', 'Diabetes mellitus type 2'),
    col('onset_date', true, 'When the condition was diagnosed or first recorded, YYYY-MM-DD.', '2019-04-11'),
  ],
  medicines: [
    NHS_NUMBER,
    PERSON_ID,
    withRecordId('MED-000001'),
    col(
      'medicine_code',
      true,
      "The medicine's code: a dm+d code (digits), or a medicine id of letters, digits and hyphens such as `metformin`. Each different code counts as a different medicine.",
      'metformin',
    ),
    col('name', true, "The medicine's name and strength.", 'Metformin 500mg tablets'),
    col('bnf_section', false, 'British National Formulary section, such as 2.6.2 or 6.1.2.2.', '6.1.2.2'),
    col('start_date', true, 'When the repeat prescription started, YYYY-MM-DD.', '2019-05-01'),
    col(
      'end_date',
      false,
      'When it was stopped, YYYY-MM-DD. Blank if the person still takes it.',
      '2024-01-31',
    ),
  ],
  activity: [
    NHS_NUMBER,
    PERSON_ID,
    withRecordId('APC-000001'),
    col(
      'kind',
      true,
      '`ed` (A&E attendance), `emergency-admission`, `elective-admission`, `day-case` or `outpatient`.',
      'emergency-admission',
    ),
    col('start_date', true, 'Day of arrival or admission, YYYY-MM-DD.', '2024-01-08'),
    col(
      'end_date',
      false,
      'Day of discharge or leaving, YYYY-MM-DD. Needed for admissions; blank means the same day for A&E, day cases and outpatients.',
      '2024-01-15',
    ),
    col(
      'length_of_stay',
      false,
      'Whole days in hospital. Blank: worked out from the dates for admissions and day cases.',
      '7',
    ),
    col(
      'primary_diagnosis',
      false,
      'ICD-10 code of the main diagnosis, such as I50, J18.9 or J189.',
      'J18.9',
    ),
    col(
      'secondary_diagnoses',
      false,
      'Other ICD-10 codes, separated by semicolons (;). Only with a primary diagnosis.',
      'I50;E11',
    ),
    col(
      'readmission',
      false,
      '`yes` for an emergency admission within 30 days of the discharge from the last one; `no` or blank otherwise.',
      'no',
    ),
    col('arrival_by_ambulance', false, '`yes`, `no`, or blank when not known.', 'yes'),
  ],
  'social-care': [
    NHS_NUMBER,
    PERSON_ID,
    withRecordId('ASC-000001'),
    col('service', true, '`home-care`, `reablement` or `care-home-permanent`.', 'reablement'),
    col('start_date', true, 'When the service started, YYYY-MM-DD.', '2024-01-16'),
    col('end_date', false, 'When it ended, YYYY-MM-DD. Blank if it is still going on.', '2024-02-27'),
  ],
  'test-results': [
    NHS_NUMBER,
    PERSON_ID,
    withRecordId('OBS-000001'),
    col('snomed_code', true, 'SNOMED CT concept id of what was measured.', '271649006'),
    col('value', true, 'The result as a number, with a dot for decimals: 142 or 7.5.', '142'),
    col('unit', false, 'The unit of the value, such as mmHg or mmol/mol.', 'mmHg'),
    col('observed_on', true, 'The day of the measurement, YYYY-MM-DD.', '2024-03-02'),
  ],
};
