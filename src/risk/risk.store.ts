// Reading stored scores: the run record, one person's scores and contributions, and the place's
// counts by segment and band (aggregates only).
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export function stratificationRun(db: Db, placeId: string) {
  return db.selectFrom('stratification_run').selectAll().where('place_id', '=', placeId).executeTakeFirst();
}

export function personRisk(db: Db, placeId: string, personId: string) {
  return db
    .selectFrom('person_risk')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

export function personContributions(db: Db, placeId: string, personId: string) {
  return db
    .selectFrom('score_contribution')
    .select(['model', 'item', 'label', 'points', 'evidence', 'evidence_date'])
    .where('person_id', '=', personId)
    .where('place_id', '=', placeId)
    .orderBy('model')
    .orderBy('points', 'desc')
    .orderBy('item')
    .execute();
}

/** Residents in each segment and each eFI band, for a place or one neighbourhood. */
export async function riskSummary(db: Db, placeId: string, neighbourhood?: string) {
  let base = db.selectFrom('person_risk').where('place_id', '=', placeId);
  if (neighbourhood !== undefined) base = base.where('neighbourhood_code', '=', neighbourhood);
  const [segments, efi65] = await Promise.all([
    base
      .select(['segment', (eb) => eb.fn.countAll<number>().as('people')])
      .groupBy('segment')
      .execute(),
    base
      .where('age', '>=', 65)
      .select(['efi_band', (eb) => eb.fn.countAll<number>().as('people')])
      .groupBy('efi_band')
      .execute(),
  ]);
  return { segments, efi65 };
}
