// "Highest risk first" as one number per resident: `risk_order`, written by stratification beside the
// three columns that define the order (eFI deficits, then HFRS score, then emergency admissions in 12
// months), so that the risk-order index sorts one bigint (and the person id) instead of an integer, a
// numeric and another integer. Building that index took a city region's share of a stratification 4 s,
// most of it comparing numerics; on the one number, about 1 s. The number keeps the order exactly
// (src/risk/stratify.store.ts, RISK_ORDER). Existing scores get theirs here and each part's risk-order
// index is rebuilt on it, so nothing waits for the next stratification.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table person_risk add column risk_order bigint`.execute(db);
  await sql`
    update person_risk set risk_order =
      efi_deficits::bigint * 1000000000 + (hfrs_score * 10)::bigint * 10000 + least(emergency_12m, 9999)`.execute(
    db,
  );
  await sql`alter table person_risk alter column risk_order set not null`.execute(db);
  const { rows } = await sql<{ index: string; part: string }>`
    select i.relname as index, t.relname as part
    from pg_partition_tree('person_risk') p
    join pg_class t on t.oid = p.relid
    join pg_index x on x.indrelid = t.oid
    join pg_class i on i.oid = x.indexrelid
    where p.isleaf and i.relname = t.relname || '_risk'`.execute(db);
  for (const { index, part } of rows) {
    await sql`drop index ${sql.id(index)}`.execute(db);
    await sql`create index ${sql.id(index)} on ${sql.table(part)} (risk_order desc, person_id)`.execute(db);
  }
}
