import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { addStaff } from '../server/test-app.ts';
import { DEMO_USERS, ensureDemoUsers } from './demo-users.ts';
import { findStaff } from './session.store.ts';

const BURY = path.resolve('place-packs/bury');

for (const target of dbTargets()) {
  describe(`demo accounts on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, BURY);
    });
    after(() => db.close());

    /** Each demo account's practitioner and agency, as signing in sees them. */
    async function links(): Promise<Record<string, [string | null, string | null]>> {
      const users = await db.kysely.selectFrom('staff_user').select(['id', 'username']).execute();
      const out: Record<string, [string | null, string | null]> = {};
      for (const u of users) {
        const staff = await findStaff(db.kysely, u.id);
        out[u.username] = [staff?.practitionerId ?? null, staff?.agencyId ?? null];
      }
      return out;
    }

    const EXPECTED = {
      'int-lead': ['int-east-int-lead', 'bury-community-health'],
      'int-practitioner': ['int-east-care-coordinator', 'bury-community-health'],
      'int-practitioner-west': ['int-west-care-coordinator', 'bury-community-health'],
      'gp-staff': ['int-east-gp-lead', 'P83005'],
      'vcse-worker': ['int-east-vcse-link-worker', 'vcse-link-workers'],
      'social-worker': ['int-east-social-worker', 'bury-council-adult-social-care'],
      'family-help-lead': ['int-east-family-help-lead', 'bury-family-hubs'],
      analyst: [null, null],
      'programme-lead': [null, null],
      'ig-officer': [null, null],
      administrator: [null, null],
      'directory-editor': [null, null],
    };

    test('each account in a team is its practitioner and works for that practitioner’s agency', async () => {
      assert.equal(await ensureDemoUsers(db.kysely, 'bury'), DEMO_USERS.length);
      assert.deepEqual(await links(), EXPECTED);
      const gp = await db.kysely
        .selectFrom('staff_user')
        .select('id')
        .where('username', '=', 'gp-staff')
        .executeTakeFirstOrThrow();
      assert.equal((await findStaff(db.kysely, gp.id))?.agencyKind, 'gp-practice');
    });

    test('accounts made before practitioners existed are linked on the next start, once', async () => {
      await db.kysely.updateTable('practitioner').set({ staff_user_id: null }).execute();
      await db.kysely.updateTable('staff_user').set({ agency_id: null }).execute();
      // Someone else already holds the West care coordinator: the demo account does not take it.
      const holder = await addStaff(db, { role: 'int-practitioner', teamId: 'int-west' });
      await db.kysely
        .updateTable('practitioner')
        .set({ staff_user_id: holder.id })
        .where('id', '=', 'int-west-care-coordinator')
        .execute();
      assert.equal(await ensureDemoUsers(db.kysely, 'bury'), 0);
      assert.equal(await ensureDemoUsers(db.kysely, 'bury'), 0);
      const after = await links();
      assert.deepEqual(after['int-practitioner-west'], [null, 'bury-community-health']);
      assert.deepEqual(after[holder.username], ['int-west-care-coordinator', null]);
      assert.deepEqual(after['int-lead'], EXPECTED['int-lead']);
      assert.deepEqual(after['gp-staff'], EXPECTED['gp-staff']);
    });

    test('GP staff are not linked to a GP lead who works for another practice', async () => {
      await db.kysely
        .updateTable('practitioner')
        .set({ staff_user_id: null, agency_id: 'P83015' })
        .where('id', '=', 'int-east-gp-lead')
        .execute();
      await ensureDemoUsers(db.kysely, 'bury');
      assert.deepEqual((await links())['gp-staff'], [null, 'P83005']);
    });
  });
}
