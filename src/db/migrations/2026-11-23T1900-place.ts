// The place model: a place (borough) → neighbourhoods → wards → LSOAs; GP practices; teams and the
// roles that describe them; Live Well sites. Every table is keyed by place so that one database holds
// many places and loading one leaves the others alone.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('place')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('lad_code', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('population_residents', 'integer', (c) => c.notNull())
    .addColumn('population_year', 'integer', (c) => c.notNull())
    .addColumn('population_source', 'text', (c) => c.notNull())
    .addColumn('assignment_status', 'text', (c) => c.notNull())
    .addColumn('pack_hash', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('neighbourhood')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('towns', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('neighbourhood_pk', ['place_id', 'code'])
    .execute();

  await db.schema
    .createTable('ward')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_code', 'text', (c) => c.notNull())
    .addColumn('assignment', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('boundary', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('ward_pk', ['place_id', 'code'])
    .addForeignKeyConstraint(
      'ward_neighbourhood_fk',
      ['place_id', 'neighbourhood_code'],
      'neighbourhood',
      ['place_id', 'code'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('lsoa')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_code', 'text', (c) => c.notNull())
    .addColumn('msoa_code', 'text', (c) => c.notNull())
    .addColumn('msoa_name', 'text', (c) => c.notNull())
    .addColumn('imd2019_rank', 'integer', (c) => c.notNull())
    .addColumn('imd2019_decile', 'smallint', (c) => c.notNull().check(sql`imd2019_decile between 1 and 10`))
    .addColumn('imd2025_score', 'double precision', (c) => c.notNull())
    .addColumn('imd2025_rank', 'integer', (c) => c.notNull())
    .addColumn('imd2025_decile', 'smallint', (c) => c.notNull().check(sql`imd2025_decile between 1 and 10`))
    .addColumn('households_2021', 'integer', (c) => c.notNull())
    .addColumn('population_mid2020', 'integer', (c) => c.notNull())
    .addColumn('boundary', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('lsoa_pk', ['place_id', 'code'])
    .addForeignKeyConstraint('lsoa_ward_fk', ['place_id', 'ward_code'], 'ward', ['place_id', 'code'], (fk) =>
      fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'lsoa_neighbourhood_fk',
      ['place_id', 'neighbourhood_code'],
      'neighbourhood',
      ['place_id', 'code'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('lsoa_neighbourhood_idx')
    .on('lsoa')
    .columns(['place_id', 'neighbourhood_code'])
    .execute();

  await db.schema
    .createTable('practice')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('ods_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pcn_code', 'text', (c) => c.notNull())
    .addColumn('pcn_name', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_code', 'text', (c) => c.notNull())
    .addColumn('postcode', 'text', (c) => c.notNull())
    .addColumn('is_open', 'boolean', (c) => c.notNull())
    .addColumn('list_size_2021', 'integer', (c) => c.notNull())
    .addColumn('assignment', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('practice_pk', ['place_id', 'ods_code'])
    .addForeignKeyConstraint(
      'practice_neighbourhood_fk',
      ['place_id', 'neighbourhood_code'],
      'neighbourhood',
      ['place_id', 'code'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('team')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_code', 'text')
    .addPrimaryKeyConstraint('team_pk', ['place_id', 'id'])
    .addForeignKeyConstraint(
      'team_neighbourhood_fk',
      ['place_id', 'neighbourhood_code'],
      'neighbourhood',
      ['place_id', 'code'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('team_role')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('responsibility', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_role_pk', ['place_id', 'team_id', 'role'])
    .addForeignKeyConstraint('team_role_team_fk', ['place_id', 'team_id'], 'team', ['place_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('live_well_site')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('town', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('rollout_year', 'integer', (c) => c.notNull())
    .addColumn('rollout_year_end', 'integer')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_well_site_pk', ['place_id', 'id'])
    .execute();
}
