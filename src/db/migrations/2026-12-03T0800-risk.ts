// Risk stratification: the code lists the models use, one row of scores and flags per living
// resident (recomputed as a whole by `joinedup stratify`), each score's contributions, and a record
// of each run; then saved cohorts, the case-finding worklists made from them, and the decisions and
// nominations recorded on a worklist (kept as history: the newest decision for a person counts). Like the person records, scores carry no foreign key to their person: they are
// rebuilt set-wise for a whole place in one transaction (docs/decisions/0011).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risk_code')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('points', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_code_pk', ['model', 'code', 'item'])
    .execute();

  await db.schema
    .createTable('person_risk')
    .addColumn('person_id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('age', 'integer', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('neighbourhood_code', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text', (c) => c.notNull())
    .addColumn('lsoa_code', 'text', (c) => c.notNull())
    .addColumn('practice_code', 'text', (c) => c.notNull())
    .addColumn('imd_decile', 'integer', (c) => c.notNull())
    .addColumn('imd_quintile', 'integer', (c) => c.notNull())
    .addColumn('core20', 'boolean', (c) => c.notNull())
    .addColumn('plus_ethnic_minority', 'boolean', (c) => c.notNull())
    .addColumn('plus_learning_disability', 'boolean', (c) => c.notNull())
    .addColumn('plus_multimorbidity', 'boolean', (c) => c.notNull())
    .addColumn('clinical_areas', sql`text[]`, (c) => c.notNull())
    .addColumn('conditions', sql`text[]`, (c) => c.notNull())
    .addColumn('ltc_count', 'integer', (c) => c.notNull())
    .addColumn('efi_deficits', 'integer', (c) => c.notNull())
    .addColumn('efi_score', 'numeric', (c) => c.notNull())
    .addColumn('efi_band', 'text', (c) => c.notNull())
    .addColumn('hfrs_score', 'numeric', (c) => c.notNull())
    .addColumn('hfrs_band', 'text', (c) => c.notNull())
    .addColumn('charlson_score', 'integer', (c) => c.notNull())
    .addColumn('charlson_band', 'text', (c) => c.notNull())
    .addColumn('ed_12m', 'integer', (c) => c.notNull())
    .addColumn('emergency_12m', 'integer', (c) => c.notNull())
    .addColumn('frequent_attender', 'boolean', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('score_contribution')
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('points', 'numeric', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('evidence_date', 'date')
    .addPrimaryKeyConstraint('score_contribution_pk', ['person_id', 'model', 'item'])
    .execute();

  await db.schema
    .createTable('stratification_run')
    .addColumn('place_id', 'text', (c) => c.primaryKey().references('place.id'))
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('model_versions', 'jsonb', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('cohort')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('worklist')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id'))
    .addColumn('cohort_id', 'uuid', (c) => c.notNull().references('cohort.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('neighbourhood', 'practice')`))
    .addColumn('scope_code', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('worklist_decision')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('worklist_id', 'uuid', (c) => c.notNull().references('worklist.id'))
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('decision', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`decision in ('add-to-caseload', 'discuss-at-mdt', 'already-known', 'not-appropriate-now')`,
        ),
    )
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_date', 'date', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('worklist_decision_person_idx')
    .on('worklist_decision')
    .columns(['worklist_id', 'person_id', 'decided_at'])
    .execute();

  await db.schema
    .createTable('worklist_nomination')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('worklist_id', 'uuid', (c) => c.notNull().references('worklist.id'))
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('nominated_by', 'text', (c) => c.notNull())
    .addColumn('nominated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('worklist_nomination_once', ['worklist_id', 'person_id'])
    .execute();
}
