// Scores and contributions partitioned by place. A stratification run empties its place's partition
// with TRUNCATE instead of deleting row by row: deleting left dead index entries under the same keys,
// and the next run's inserts slowed several-fold as they stepped over them. Each place's partition is
// created by the first run for that place. The tables hold derived data only, so they are rebuilt
// empty here, with the run record, and the next start (or `joinedup stratify`) recomputes them.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('score_contribution').execute();
  await db.schema.dropTable('person_risk').execute();
  await sql`delete from stratification_run`.execute(db);

  await sql`
    create table person_risk (
      person_id uuid not null,
      place_id text not null,
      age integer not null,
      sex text not null,
      neighbourhood_code text not null,
      ward_code text not null,
      lsoa_code text not null,
      practice_code text not null,
      imd_decile integer not null,
      imd_quintile integer not null,
      core20 boolean not null,
      plus_ethnic_minority boolean not null,
      plus_learning_disability boolean not null,
      plus_multimorbidity boolean not null,
      clinical_areas text[] not null,
      conditions text[] not null,
      ltc_count integer not null,
      efi_deficits integer not null,
      efi_score numeric not null,
      efi_band text not null,
      hfrs_score numeric not null,
      hfrs_band text not null,
      charlson_score integer not null,
      charlson_band text not null,
      ed_12m integer not null,
      emergency_12m integer not null,
      frequent_attender boolean not null,
      segment text not null,
      constraint person_risk_pk primary key (place_id, person_id)
    ) partition by list (place_id)`.execute(db);

  await sql`
    create table score_contribution (
      person_id uuid not null,
      model text not null,
      item text not null,
      place_id text not null,
      label text not null,
      points numeric not null,
      evidence text not null,
      evidence_date date,
      constraint score_contribution_pk primary key (place_id, person_id, model, item)
    ) partition by list (place_id)`.execute(db);
}
