import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../core/errors.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import { addStaffAccount, type NewStaff } from './add-staff.ts';
import { findStaff } from './session.store.ts';

const BURY = path.resolve('place-packs/bury');
const PASSWORD = 'a long enough password';

for (const target of dbTargets()) {
  describe(`adding a staff account on ${target.name}`, () => {
    let db: Db;
    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, BURY);
    });
    after(() => db.close());

    const add = (s: Partial<NewStaff> & { username: string }) =>
      addStaffAccount(db.kysely, {
        placeId: 'bury',
        name: 'A Person',
        role: 'social-worker',
        password: PASSWORD,
        ...s,
      });

    /** The problems an add is refused with, as field → diagnostics. */
    async function refused(s: Partial<NewStaff> & { username: string }): Promise<Record<string, string>> {
      try {
        await add(s);
      } catch (e) {
        assert.ok(isAppError(e), String(e));
        return Object.fromEntries(e.problems.map((p) => [p.expression?.[0] ?? '', p.diagnostics]));
      }
      assert.fail('the account should have been refused');
    }

    test('links the account to its practitioner and gives it the practitioner’s agency', async () => {
      const id = await add({
        username: 'sw-east',
        teamId: 'int-east',
        practitionerId: 'int-east-social-worker',
      });
      const staff = await findStaff(db.kysely, id);
      assert.equal(staff?.practitionerId, 'int-east-social-worker');
      assert.equal(staff?.agencyId, 'bury-council-adult-social-care');
      assert.equal(staff?.agencyKind, 'adult-social-care');
    });

    test('an agency given by id, or a practice by its ODS code', async () => {
      const id = await add({
        username: 'housing-east',
        role: 'int-practitioner',
        teamId: 'int-east',
        agencyId: 'bury-council-housing',
      });
      assert.equal((await findStaff(db.kysely, id))?.agencyKind, 'housing');
      const gp = await add({
        username: 'gp-east',
        role: 'gp-staff',
        practiceCode: 'P83021',
        agencyId: 'P83021',
      });
      assert.equal((await findStaff(db.kysely, gp))?.agencyKind, 'gp-practice');
    });

    test('an unknown agency is refused, naming the flag and listing the agencies', async () => {
      const problems = await refused({ username: 'sw-x', teamId: 'int-east', agencyId: 'social-services' });
      assert.match(
        problems.agency ?? '',
        /^--agency "social-services" is not an agency of bury\. Use one of: bury-community-health, /,
      );
      assert.match(problems.agency ?? '', /bury-council-adult-social-care/);
      assert.match(problems.agency ?? '', /P83005/);
    });

    test('a practitioner that does not exist, is taken, or is in another team is refused', async () => {
      assert.match(
        (await refused({ username: 'sw-y', teamId: 'int-east', practitionerId: 'int-east-nurse' }))
          .practitioner ?? '',
        /--practitioner "int-east-nurse" is not a practitioner of bury/,
      );
      assert.match(
        (await refused({ username: 'sw-z', teamId: 'int-east', practitionerId: 'int-east-social-worker' }))
          .practitioner ?? '',
        /already linked to the account "sw-east"/,
      );
      assert.match(
        (await refused({ username: 'sw-w', teamId: 'int-east', practitionerId: 'int-west-social-worker' }))
          .practitioner ?? '',
        /is in the team "int-west", not "int-east"/,
      );
      const none = await db.kysely
        .selectFrom('staff_user')
        .select('id')
        .where('username', 'in', ['sw-y', 'sw-z', 'sw-w'])
        .execute();
      assert.equal(none.length, 0);
    });
  });
}
