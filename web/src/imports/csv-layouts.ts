// The six CSV layouts the importer reads, in the order docs/import-csv.md lists them, with what each
// holds in plain words. The API's own list (CSV_LAYOUTS in src/exchange/csv-in.ts) is not in core, so
// the web keeps this one; the template route refuses any layout not in the API's list.

export interface CsvLayoutInfo {
  /** The layout's name, as the template's file name and the API's address use it. */
  layout: 'people' | 'conditions' | 'medicines' | 'activity' | 'social-care' | 'test-results';
  title: string;
  /** "One row for each …". */
  eachRow: string;
  /** The columns every row must fill (beside nhs_number or person_id). */
  required: string;
}

export const CSV_LAYOUT_INFO: readonly CsvLayoutInfo[] = [
  {
    layout: 'people',
    title: 'People',
    eachRow: 'person: their name, sex, date of birth, small area (LSOA), postcode and GP practice',
    required: 'given_name, family_name, sex, date_of_birth, lsoa, practice',
  },
  {
    layout: 'conditions',
    title: 'Long-term conditions',
    eachRow: 'long-term condition, such as diabetes, with its SNOMED CT code and when it was diagnosed',
    required: 'snomed_code, term, onset_date',
  },
  {
    layout: 'medicines',
    title: 'Repeat medicines',
    eachRow: 'repeat medicine, with when it started and, if it was stopped, when it ended',
    required: 'medicine_code, name, start_date',
  },
  {
    layout: 'activity',
    title: 'Hospital activity',
    eachRow:
      'hospital visit: an A&E attendance, an admission, a day case or an outpatient appointment, with its dates and diagnoses',
    required: 'kind, start_date',
  },
  {
    layout: 'social-care',
    title: 'Adult social care',
    eachRow: 'adult social care service, such as home care or reablement, with when it started and ended',
    required: 'service, start_date',
  },
  {
    layout: 'test-results',
    title: 'Test results',
    eachRow: 'test result or measurement, such as a blood pressure, with its value, unit and date',
    required: 'snomed_code, value, observed_on',
  },
];

export const templateHref = (placeId: string, layout: CsvLayoutInfo['layout']) =>
  `/api/places/${encodeURIComponent(placeId)}/import-templates/${layout}.csv`;
