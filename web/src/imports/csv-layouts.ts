// The six CSV layouts the importer reads, in the order docs/import-csv.md lists them, with what each
// holds in plain words; their required columns come from the importer's own list (src/core/csv-layouts.ts).
import { CSV_COLUMNS, type CsvLayout } from '../../../src/core/csv-layouts.ts';

export interface CsvLayoutInfo {
  /** The layout's name, as the template's file name and the API's address use it. */
  layout: CsvLayout;
  title: string;
  /** "One row for each …". */
  eachRow: string;
}

export const CSV_LAYOUT_INFO: readonly CsvLayoutInfo[] = [
  {
    layout: 'people',
    title: 'People',
    eachRow: 'person: their name, sex, date of birth, small area (LSOA), postcode and GP practice',
  },
  {
    layout: 'conditions',
    title: 'Long-term conditions',
    eachRow: 'long-term condition, such as diabetes, with its SNOMED CT code and when it was diagnosed',
  },
  {
    layout: 'medicines',
    title: 'Repeat medicines',
    eachRow: 'repeat medicine, with when it started and, if it was stopped, when it ended',
  },
  {
    layout: 'activity',
    title: 'Hospital activity',
    eachRow:
      'hospital visit: an A&E attendance, an admission, a day case or an outpatient appointment, with its dates and diagnoses',
  },
  {
    layout: 'social-care',
    title: 'Adult social care',
    eachRow: 'adult social care service, such as home care or reablement, with when it started and ended',
  },
  {
    layout: 'test-results',
    title: 'Test results',
    eachRow: 'test result or measurement, such as a blood pressure, with its value, unit and date',
  },
];

/** The columns every row must fill (beside nhs_number or person_id), as a list in words. */
export const requiredColumns = (layout: CsvLayout) =>
  CSV_COLUMNS[layout]
    .filter((c) => c.required)
    .map((c) => c.name)
    .join(', ');

export const templateHref = (placeId: string, layout: CsvLayoutInfo['layout']) =>
  `/api/places/${encodeURIComponent(placeId)}/import-templates/${layout}.csv`;
