// Imports: each file taken in is a job, known by its SHA-256 so the same file is never taken twice, with
// a checkpoint (the lines, rows or entries fully written) committed with each batch, so a job killed
// part-way resumes where it stopped. Every resource or row taken in is remembered by its identity
// (import_identity), so a record sent again in another file adds nothing. A person without an NHS
// number whose match is uncertain waits in match_review, with the records that arrived for them, until
// a person decides. One person per NHS number is the person table's unique constraint.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('person').addColumn('postcode', 'text').execute();
  await db.schema
    .createIndex('person_place_birth_idx')
    .on('person')
    .columns(['place_id', 'date_of_birth'])
    .execute();

  await db.schema
    .createTable('import_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('bytes', 'double precision', (c) => c.notNull())
    .addColumn('format', 'text', (c) =>
      c.notNull().check(sql`format in ('fhir-ndjson', 'fhir-bundle', 'csv')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('running', 'interrupted', 'completed', 'failed')`),
    )
    .addColumn('lines_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_done', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addUniqueConstraint('import_job_file_unique', ['place_id', 'sha256'])
    .execute();
  await db.schema
    .createIndex('import_job_place_created_idx')
    .on('import_job')
    .columns(['place_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('import_issue')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('import_job.id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('line', 'integer')
    .addColumn('resource_key', 'text')
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('error', 'warning')`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('expression', 'text')
    .addColumn('diagnostics', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_issue_pk', ['job_id', 'n'])
    .execute();

  await db.schema
    .createTable('import_identity')
    .addColumn('place_id', 'text', (c) => c.notNull())
    // Compared byte by byte: a batch looks up thousands of keys at once, and a locale's collation makes
    // each comparison several times slower for no benefit to identifiers.
    .addColumn('resource_key', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('record_table', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_identity_pk', ['place_id', 'resource_key'])
    .execute();
  await db.schema
    .createIndex('import_identity_person_idx')
    .on('import_identity')
    .column('person_id')
    .execute();

  await db.schema
    .createTable('match_review')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('import_job.id'))
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('incoming', 'jsonb', (c) => c.notNull())
    .addColumn('candidates', 'jsonb', (c) => c.notNull())
    .addColumn('held', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'same-person', 'new-person')`),
    )
    .addColumn('person_id', 'uuid')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('match_review_key_unique', ['place_id', 'resource_key'])
    .execute();
}
