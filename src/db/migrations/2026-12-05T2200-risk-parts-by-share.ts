// A place's scores and contributions are split by person id into one part per share of a stratification
// run (decision 0024), each part written, indexed and analysed by its own share. The primary keys move
// from the tables partitioned by place to each place's partition: (person_id) and
// (person_id, model, item), whose parts' keys are built with no place column to sort on. The place is
// the partition's bound, so a key across places added nothing. The old partitions (derived data only)
// are dropped with the run records, and the next start (or `joinedup stratify`) recomputes them.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['person_risk', 'score_contribution']) {
    const { rows } = await sql<{ part: string }>`
      select c.relname as part from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ${table}::regclass`.execute(db);
    for (const { part } of rows) await sql`drop table ${sql.table(part)}`.execute(db);
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(db);
  }
  await sql`delete from stratification_run`.execute(db);
}
