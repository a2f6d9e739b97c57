// The population: people with their coded conditions, repeat medicines, hospital activity and adult
// social care, and the record of how a synthetic population was made. Records belong to a person and
// are numbered within them. People belong to a place; their LSOA and practice are codes of that place,
// not foreign keys, so that a new vintage of the place's areas can be loaded without touching people.
// Records carry no foreign key to their person: they are only ever written together with their person
// in one transaction and removed with them (see docs/decisions/0009), and a bulk load of millions of
// records would otherwise spend about a third of its time checking keys (docs/decisions/0009).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('person')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('nhs_number', 'text', (c) => c.unique().check(sql`nhs_number ~ '^[0-9]{10}$'`))
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('female', 'male')`))
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('ethnic_category', 'text', (c) => c.notNull())
    .addColumn('lsoa_code', 'text', (c) => c.notNull())
    .addColumn('practice_code', 'text', (c) => c.notNull())
    .addColumn('date_of_death', 'date')
    .addColumn('cause_of_death', 'text', (c) =>
      c.check(sql`cause_of_death in ('cardiovascular', 'cancer', 'respiratory', 'other')`),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('synthetic_index', 'integer')
    .addCheckConstraint(
      'person_death_after_birth',
      sql`date_of_death is null or date_of_death >= date_of_birth`,
    )
    .execute();
  await db.schema
    .createIndex('person_place_lsoa_idx')
    .on('person')
    .columns(['place_id', 'lsoa_code'])
    .execute();
  await db.schema
    .createIndex('person_place_practice_idx')
    .on('person')
    .columns(['place_id', 'practice_code'])
    .execute();

  const record = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('person_id', 'uuid', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull());

  await record('condition')
    .addColumn('code_system', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('onset_date', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('condition_pk', ['person_id', 'seq'])
    .execute();

  await record('medication')
    .addColumn('medicine', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bnf_section', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addPrimaryKeyConstraint('medication_pk', ['person_id', 'seq'])
    .execute();

  await record('encounter')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('ed', 'emergency-admission', 'elective-admission', 'day-case', 'outpatient')`),
    )
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    .addColumn('length_of_stay', 'integer')
    .addColumn('primary_diagnosis', 'text')
    .addColumn('secondary_diagnoses', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('is_readmission', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('arrival_by_ambulance', 'boolean')
    .addPrimaryKeyConstraint('encounter_pk', ['person_id', 'seq'])
    .addCheckConstraint('encounter_dates', sql`end_date >= start_date`)
    .execute();

  await record('social_care')
    .addColumn('service', 'text', (c) =>
      c.notNull().check(sql`service in ('home-care', 'reablement', 'care-home-permanent')`),
    )
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addPrimaryKeyConstraint('social_care_pk', ['person_id', 'seq'])
    .execute();

  await db.schema
    .createTable('synthetic_run')
    .addColumn('place_id', 'text', (c) => c.primaryKey().references('place.id'))
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'date', (c) => c.notNull())
    .addColumn('window_end', 'date', (c) => c.notNull())
    .addColumn('generator_version', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
