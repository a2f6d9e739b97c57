// Words the import pages share: a job's status as an NHS.UK tag (colour is never the only sign: the tag
// says it), the kind of file, where a problem was ("Line", "Row" or "Entry"), sizes, and the address of
// the place's import routes.
import type { ImportJobView } from '../../../src/core/schemas/exchange.ts';

type Status = ImportJobView['status'];
type Format = ImportJobView['format'];

const STATUS: Record<Status, { words: string; tag: string }> = {
  running: { words: 'Running', tag: 'nhsuk-tag--blue' },
  interrupted: { words: 'Interrupted', tag: 'nhsuk-tag--yellow' },
  completed: { words: 'Completed', tag: 'nhsuk-tag--green' },
  failed: { words: 'Failed', tag: 'nhsuk-tag--red' },
};

export function StatusTag({ status }: { status: Status }) {
  const s = STATUS[status];
  return <strong className={`nhsuk-tag ${s.tag}`}>{s.words}</strong>;
}

export const statusWords = (status: Status) => STATUS[status].words;

export const FORMAT_WORDS: Record<Format, string> = {
  'fhir-ndjson': 'FHIR NDJSON (one FHIR resource a line)',
  'fhir-bundle': 'FHIR Bundle',
  csv: 'CSV file',
};

/** What a problem's place in the file is called: NDJSON lines, CSV rows (header is row 1), Bundle entries. */
export const PLACE_WORD: Record<Format, string> = {
  'fhir-ndjson': 'Line',
  csv: 'Row',
  'fhir-bundle': 'Entry',
};

/** The same, more than one: "Lines read". */
export const PLACES_WORD: Record<Format, string> = {
  'fhir-ndjson': 'Lines',
  csv: 'Rows',
  'fhir-bundle': 'Entries',
};

/** Where in a line, row or entry: a FHIRPath for FHIR, a column for CSV. */
export const WHERE_WORD: Record<Format, string> = {
  'fhir-ndjson': 'Where (FHIRPath)',
  csv: 'Column',
  'fhir-bundle': 'Where (FHIRPath)',
};

const NUMBER = new Intl.NumberFormat('en-GB');
export const formatCount = (n: number) => NUMBER.format(n);

/** 2_700_000 → '2.7 MB'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The place's import routes: `/api/places/bury/imports…`. */
export const importsApi = (placeId: string, rest = '') =>
  `/api/places/${encodeURIComponent(placeId)}/imports${rest}`;

/** The place's match review routes: `/api/places/bury/match-reviews…`. */
export const matchReviewsApi = (placeId: string, rest = '') =>
  `/api/places/${encodeURIComponent(placeId)}/match-reviews${rest}`;

/** The files the importer takes, by their ending (as the API's fileName check). */
export const ACCEPTED_ENDINGS = ['.ndjson', '.jsonl', '.json', '.csv'] as const;
