// `joinedup directory reviews`: the running services whose entry is overdue for review or due within 30
// days, soonest first, for an operator to send to the directory's editors (plain lines, or CSV with
// --csv). Exits 0 whatever it finds.
import { stringify } from 'csv-stringify/sync';
import type { Config } from '../core/config.ts';
import { todayInEngland } from '../core/dates.ts';
import type { EditorServiceRow } from '../core/schemas/directory-edit.ts';
import { servicesDueForReview } from '../directory/directory-edit.store.ts';
import { openDatabase } from './open-db.ts';

export interface DirectoryReviewsOptions {
  place?: string;
  csv?: boolean;
}

const REVIEW_WORDS = { overdue: 'overdue', 'due-soon': 'due soon', 'not-due': 'not due' } as const;

export function reviewsText(rows: EditorServiceRow[]): string {
  if (rows.length === 0) return 'No running service is due for review in the next 30 days.';
  return rows
    .map(
      (s) =>
        `${s.reviewDate}  ${REVIEW_WORDS[s.review].padEnd(8)}  ${s.name} (${s.organisation}); last checked ${s.lastChecked}${s.lastCheckedBy ? ` by ${s.lastCheckedBy}` : ''}  ${s.id}`,
    )
    .join('\n');
}

/** A cell starting with = + - @ is prefixed so a spreadsheet shows it as text. */
export function reviewsCsv(rows: EditorServiceRow[]): string {
  return stringify(
    rows.map((s) => [
      s.reviewDate,
      REVIEW_WORDS[s.review],
      s.name,
      s.organisation,
      s.lastChecked,
      s.lastCheckedBy ?? '',
      s.id,
    ]),
    {
      header: true,
      columns: [
        'Next review',
        'Review',
        'Service',
        'Organisation',
        'Last checked',
        'Checked by',
        'Service id',
      ],
      escape_formulas: true,
    },
  );
}

export async function directoryReviewsCommand(
  config: Config,
  options: DirectoryReviewsOptions,
): Promise<void> {
  const db = await openDatabase(config);
  try {
    const rows = await servicesDueForReview(db.kysely, options.place ?? config.place, todayInEngland());
    process.stdout.write(options.csv ? reviewsCsv(rows) : `${reviewsText(rows)}\n`);
  } finally {
    await db.close();
  }
}
