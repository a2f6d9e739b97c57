// The services directory, shaped as Open Referral UK 3.0 (the UK profile of HSDS 3.0): organisations,
// locations, services, which service is at which location, vocabularies of needs (taxonomies and their
// terms) and the terms of each service, opening times, costs and contacts. Keyed by place; ids are UUIDs
// made from the place pack's own ids, so they stay the same from one load to the next. A location's
// neighbourhood and Live Well site are codes of its place, not foreign keys (as a person's LSOA is), so
// the place's areas can be reloaded without touching the directory. `directory_service.search` is the
// full-text document of a service (its name, description, organisation, needs and towns), kept by the
// store, with a GIN index for websearch_to_tsquery.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('directory_organisation')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('is_sample', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_organisation_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_organisation_pack_unique', ['place_id', 'pack_id'])
    .execute();

  await db.schema
    .createTable('directory_location')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('address_1', 'text')
    .addColumn('town', 'text', (c) => c.notNull())
    .addColumn('postcode', 'text')
    .addColumn('neighbourhood_code', 'text', (c) => c.notNull())
    .addColumn('live_well_site_id', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('is_sample', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_location_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_location_pack_unique', ['place_id', 'pack_id'])
    .execute();
  await db.schema
    .createIndex('directory_location_neighbourhood_idx')
    .on('directory_location')
    .columns(['place_id', 'neighbourhood_code'])
    .execute();

  await db.schema
    .createTable('directory_taxonomy')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_taxonomy_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_taxonomy_pack_unique', ['place_id', 'pack_id'])
    .execute();

  await db.schema
    .createTable('directory_taxonomy_term')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('taxonomy_id', 'uuid', (c) => c.notNull())
    .addColumn('parent_id', 'uuid')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_taxonomy_term_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_taxonomy_term_code_unique', ['place_id', 'code'])
    .addForeignKeyConstraint(
      'directory_taxonomy_term_taxonomy_fk',
      ['place_id', 'taxonomy_id'],
      'directory_taxonomy',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_taxonomy_term_taxonomy_idx')
    .on('directory_taxonomy_term')
    .columns(['place_id', 'taxonomy_id'])
    .execute();
  await db.schema
    .createIndex('directory_taxonomy_term_parent_idx')
    .on('directory_taxonomy_term')
    .columns(['place_id', 'parent_id'])
    .execute();

  await db.schema
    .createTable('directory_service')
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'inactive', 'defunct', 'temporarily closed')`),
    )
    .addColumn('fees', 'text')
    .addColumn('minimum_age', 'smallint', (c) => c.check(sql`minimum_age >= 0`))
    .addColumn('maximum_age', 'smallint', (c) => c.check(sql`maximum_age >= 0`))
    .addColumn('eligibility_description', 'text')
    .addColumn('is_borough_wide', 'boolean', (c) => c.notNull())
    .addColumn('review_date', 'date', (c) => c.notNull())
    .addColumn('last_checked', 'date', (c) => c.notNull())
    .addColumn('is_sample', 'boolean', (c) => c.notNull())
    .addColumn('search', sql`tsvector`, (c) => c.notNull().defaultTo(sql`''::tsvector`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('directory_service_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_service_pack_unique', ['place_id', 'pack_id'])
    .addForeignKeyConstraint(
      'directory_service_organisation_fk',
      ['place_id', 'organisation_id'],
      'directory_organisation',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addCheckConstraint(
      'directory_service_ages_check',
      sql`minimum_age is null or maximum_age is null or minimum_age <= maximum_age`,
    )
    .execute();
  await db.schema
    .createIndex('directory_service_search_idx')
    .on('directory_service')
    .using('gin')
    .column('search')
    .execute();
  await db.schema
    .createIndex('directory_service_place_name_idx')
    .on('directory_service')
    .columns(['place_id', 'name', 'id'])
    .execute();
  await db.schema
    .createIndex('directory_service_organisation_idx')
    .on('directory_service')
    .columns(['place_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('directory_service_at_location')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_service_at_location_pk', ['place_id', 'id'])
    .addUniqueConstraint('directory_service_at_location_unique', ['place_id', 'service_id', 'location_id'])
    .addForeignKeyConstraint(
      'directory_service_at_location_service_fk',
      ['place_id', 'service_id'],
      'directory_service',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'directory_service_at_location_location_fk',
      ['place_id', 'location_id'],
      'directory_location',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_service_at_location_location_idx')
    .on('directory_service_at_location')
    .columns(['place_id', 'location_id'])
    .execute();

  await db.schema
    .createTable('directory_service_term')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('term_id', 'uuid', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_service_term_pk', ['place_id', 'service_id', 'term_id'])
    .addForeignKeyConstraint(
      'directory_service_term_service_fk',
      ['place_id', 'service_id'],
      'directory_service',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'directory_service_term_term_fk',
      ['place_id', 'term_id'],
      'directory_taxonomy_term',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_service_term_term_idx')
    .on('directory_service_term')
    .columns(['place_id', 'term_id'])
    .execute();

  await db.schema
    .createTable('directory_schedule')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('service_at_location_id', 'uuid')
    .addColumn('freq', 'text', (c) => c.notNull().check(sql`freq in ('WEEKLY', 'MONTHLY')`))
    .addColumn('repeat_interval', 'smallint', (c) => c.notNull().check(sql`repeat_interval >= 1`))
    .addColumn('byday', sql`text[]`, (c) => c.notNull())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_schedule_pk', ['place_id', 'id'])
    .addForeignKeyConstraint(
      'directory_schedule_service_fk',
      ['place_id', 'service_id'],
      'directory_service',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'directory_schedule_service_at_location_fk',
      ['place_id', 'service_at_location_id'],
      'directory_service_at_location',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_schedule_service_idx')
    .on('directory_schedule')
    .columns(['place_id', 'service_id'])
    .execute();

  await db.schema
    .createTable('directory_cost_option')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('option', 'text')
    .addColumn('amount', 'numeric(10, 2)', (c) => c.check(sql`amount >= 0`))
    .addColumn('amount_description', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_cost_option_pk', ['place_id', 'id'])
    .addForeignKeyConstraint(
      'directory_cost_option_service_fk',
      ['place_id', 'service_id'],
      'directory_service',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_cost_option_service_idx')
    .on('directory_cost_option')
    .columns(['place_id', 'service_id'])
    .execute();

  await db.schema
    .createTable('directory_contact')
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_contact_pk', ['place_id', 'id'])
    .addForeignKeyConstraint(
      'directory_contact_service_fk',
      ['place_id', 'service_id'],
      'directory_service',
      ['place_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('directory_contact_service_idx')
    .on('directory_contact')
    .columns(['place_id', 'service_id'])
    .execute();
}
