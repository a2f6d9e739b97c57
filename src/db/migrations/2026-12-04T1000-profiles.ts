// Neighbourhood profiles and the outcomes framework, precomputed: each placemat, map layer and indicator
// series is stored as the JSON the API serves, already disclosed (small numbers suppressed), so a page
// reads one row. A refresh replaces a place's rows and its run record in one transaction.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('profile_run')
    .addColumn('place_id', 'text', (c) => c.primaryKey().references('place.id'))
    .addColumn('reference_date', 'date', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('milliseconds', 'integer', (c) => c.notNull())
    .addColumn('people_counted', 'integer', (c) => c.notNull())
    .addColumn('people_opted_out', 'integer', (c) => c.notNull())
    .addColumn('cells', 'integer', (c) => c.notNull())
    .addColumn('cells_suppressed', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('profile_snapshot')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('placemat', 'map', 'series', 'dashboard')`),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('profile_snapshot_pk', ['place_id', 'kind', 'key'])
    .execute();
}
