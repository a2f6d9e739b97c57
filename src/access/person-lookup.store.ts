// Finding a resident of a place by the NHS number staff give: checked first, so a mistyped number is a
// 400 naming the field, never a search that quietly finds nobody.
import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.ts';
import { parseNhsNumber } from '../core/nhs-number.ts';
import type { Database } from '../db/database.ts';

/** The NHS number given, checked; a 400 naming the field if it is not a valid one. */
export function nhsNumberOrThrow(given: string, field: string): string {
  const parsed = parseNhsNumber(given);
  if (!parsed.ok)
    throw new AppError('invalid', `The NHS number ${parsed.reason}.`, [
      { diagnostics: `The NHS number ${parsed.reason}.`, expression: [field] },
    ]);
  return parsed.value;
}

/** The person of the place with this NHS number, if any. */
export const personByNhsNumber = (db: Kysely<Database>, placeId: string, nhsNumber: string) =>
  db
    .selectFrom('person')
    .select('id')
    .where('place_id', '=', placeId)
    .where('nhs_number', '=', nhsNumber)
    .executeTakeFirst();
