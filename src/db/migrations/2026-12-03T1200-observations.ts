// Test results (observations): a person's record like their conditions, keyed by (person_id, seq)
// with no foreign key to the person (decision 0009). The eFI's value rules read them; imports fill
// them. `risk_value_rule` holds those rules, one row per (rule, code, range), refreshed by every
// stratification run like `risk_code`.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('observation')
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('code_system', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('observed_on', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('observation_pk', ['person_id', 'seq'])
    .execute();

  await db.schema
    .createTable('risk_value_rule')
    .addColumn('rule_number', 'integer', (c) => c.notNull())
    .addColumn('deficit', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.check(sql`sex in ('female', 'male')`))
    .addColumn('range_number', 'integer', (c) => c.notNull())
    .addColumn('above', 'double precision')
    .addColumn('below', 'double precision')
    .addColumn('look_back_years', 'integer')
    .addPrimaryKeyConstraint('risk_value_rule_pk', ['rule_number', 'code', 'range_number'])
    .execute();
}
