// What the public directory pages read besides the directory itself: the place's neighbourhoods, named,
// with the towns each covers, for the search form and the browse links.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

export interface PageNeighbourhood {
  code: string;
  name: string;
  /** The towns it covers, as the place pack words them: "Radcliffe; Bury (west of the Irwell)". */
  towns: string;
}

/** A place's neighbourhoods in the pack's order. */
export function pageNeighbourhoods(db: Kysely<Database>, placeId: string): Promise<PageNeighbourhood[]> {
  return db
    .selectFrom('neighbourhood')
    .select(['code', 'name', 'towns'])
    .where('place_id', '=', placeId)
    .orderBy('sort_order')
    .execute();
}
