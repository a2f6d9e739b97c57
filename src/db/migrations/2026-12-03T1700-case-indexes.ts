// The actions an MDT discussion agreed, found by the discussion: the agenda shows them beside each person.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index plan_action_mdt_item on plan_action (mdt_item_id) where mdt_item_id is not null`.execute(
    db,
  );
}
