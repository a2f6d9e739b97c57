// `joinedup stratify` as a use case: choose the date the scores are as of, recompute every model for
// the place inside the database, record the run with the models' versions, then refresh the place's
// profiles and outcomes framework from the new scores.
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { findPlace } from '../place/place.store.ts';
import { type RefreshOutcome, refreshProfiles } from '../profiles/refresh-profiles.ts';
import { CHARLSON_MODEL_VERSION } from './charlson.ts';
import { CHARLSON_WEIGHTS } from './code-lists.ts';
import { CORE20PLUS5_MODEL_VERSION } from './core20plus5.ts';
import { EFI_MODEL_VERSION } from './efi.ts';
import { HFRS_MODEL_VERSION } from './hfrs.ts';
import { LTC_MODEL_VERSION } from './long-term-conditions.ts';
import { assertDate } from './look-back.ts';
import { readRiskCodeLists } from './read-code-lists.ts';
import { SEGMENT_MODEL_VERSION } from './segments.ts';
import { stratifyPlace } from './stratify.store.ts';
import { UNPLANNED_CARE_MODEL_VERSION } from './unplanned-care.ts';

export const MODEL_VERSIONS: Readonly<Record<string, string>> = {
  efi: EFI_MODEL_VERSION,
  hfrs: HFRS_MODEL_VERSION,
  charlson: `${CHARLSON_MODEL_VERSION} weights=${CHARLSON_WEIGHTS} look-back=2y admitted spells`,
  ltc: LTC_MODEL_VERSION,
  unplannedCare: UNPLANNED_CARE_MODEL_VERSION,
  core20plus5: CORE20PLUS5_MODEL_VERSION,
  segment: SEGMENT_MODEL_VERSION,
};

export type StratifyRequest = {
  readonly place: string;
  readonly referenceDir: string;
  readonly asOf?: string;
};
export type StratifyOutcome = {
  readonly place: string;
  readonly asOf: string;
  readonly people: number;
  readonly skippedOutsidePlace: number;
  readonly seconds: number;
  /** The profiles and outcomes framework, refreshed from the new scores. */
  readonly profiles: RefreshOutcome;
};

function invalid(message: string, field: string): AppError {
  return new AppError('invalid', message, [{ diagnostics: message, expression: [field] }]);
}

/**
 * The date scores are computed as of: the one asked for; otherwise, for a synthetic population, the
 * last day of its history (its "today"); otherwise today.
 */
export async function stratificationDate(db: Db, place: string, asked: string | undefined): Promise<string> {
  if (asked !== undefined) {
    try {
      assertDate(asked, 'asOf');
    } catch {
      throw invalid(`--as-of must be a date written YYYY-MM-DD, not "${asked}".`, 'asOf');
    }
    if (
      Number.isNaN(Date.parse(`${asked}T00:00:00Z`)) ||
      new Date(`${asked}T00:00:00Z`).toISOString().slice(0, 10) !== asked
    )
      throw invalid(`--as-of "${asked}" is not a real date.`, 'asOf');
    return asked;
  }
  const run = await db.kysely
    .selectFrom('synthetic_run')
    .select('window_end')
    .where('place_id', '=', place)
    .executeTakeFirst();
  return run?.window_end ?? new Date().toISOString().slice(0, 10);
}

export async function runStratify(db: Db, request: StratifyRequest): Promise<StratifyOutcome> {
  if (!(await findPlace(db.kysely, request.place)))
    throw invalid(
      `There is no place "${request.place}" in the database. Load its place pack first.`,
      'place',
    );
  const asOf = await stratificationDate(db, request.place, request.asOf);
  const lists = readRiskCodeLists(request.referenceDir);
  const counts = await stratifyPlace(db.kysely, request.place, asOf, lists, MODEL_VERSIONS);
  const profiles = await refreshProfiles(db, request.place);
  return {
    place: request.place,
    asOf,
    people: counts.people,
    skippedOutsidePlace: counts.skippedOutsidePlace,
    seconds: counts.milliseconds / 1000,
    profiles,
  };
}
