// Breaking glass asks whoever does it to confirm it is them (ASVS 3.7.1): their password again, or for an
// account that signs in only through its organisation, a sign-in at most RECENT_SIGN_IN_MINUTES before.
// A refusal opens nothing, is audited as a denied break-glass, and reads the same whether or not anyone
// has the NHS number; wrong passwords stop after CONFIRM_ATTEMPTS. On PGlite, and PostgreSQL when
// DATABASE_URL is set.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import {
  addPerson,
  addStaff,
  type Client,
  openTestApp,
  staffClient,
  TEST_PASSWORD,
} from '../server/test-app.ts';
import { openSession } from './access-fixtures.test-helper.ts';
import { CONFIRM_ATTEMPTS, RECENT_SIGN_IN_MINUTES } from './break-glass.routes.ts';

const URL = '/api/places/bury/break-glass';
const REASON = 'Found collapsed at home, GP surgery closed';
/** NHS numbers from the test range (valid check digits): a resident's, and one no one has. */
const RESIDENT_NHS = '9990000026';
const NO_ONE_NHS = '9990000034';

for (const target of dbTargets()) {
  describe(`confirming it is you before breaking glass, on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let residentId: string;

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, 'place-packs/bury');
      residentId = await addPerson(db, { lsoa_code: 'E01004954', nhs_number: RESIDENT_NHS });
      app = await openTestApp(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    const opened = async (staffId: string) =>
      (
        await db.kysely.selectFrom('break_glass').select('person_id').where('user_id', '=', staffId).execute()
      ).map((r) => r.person_id);
    const audited = async (staffId: string) =>
      db.kysely
        .selectFrom('audit_event')
        .select(['action', 'outcome', 'person_ids', 'detail'])
        .where('actor_id', '=', staffId)
        .where('action', '=', 'break-glass')
        .orderBy('seq')
        .execute();
    /** Breaks glass as `by` for the resident (unless told another NHS number), with this password, if any. */
    const breakGlass = (by: { inject: Client['inject'] }, password?: string, nhsNumber = RESIDENT_NHS) =>
      by.inject({
        method: 'POST',
        url: URL,
        payload: { nhsNumber, reason: REASON, ...(password === undefined ? {} : { password }) },
      });
    const fieldOf = (body: string) =>
      (JSON.parse(body) as { issue: { expression?: string[] }[] }).issue[0]?.expression?.[0];

    test('with a password account: refused without the password and with a wrong one, then opened with it', async () => {
      const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const ask = (extra: { password?: string }) => breakGlass(west, extra.password);

      const missing = await ask({});
      assert.equal(missing.statusCode, 400, missing.body);
      assert.equal(fieldOf(missing.body), 'password');
      assert.match(missing.body, /Enter your password to confirm it is you/);
      const wrong = await ask({ password: 'not the password' });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.equal(fieldOf(wrong.body), 'password');
      assert.match(wrong.body, /Your password is not right/);
      assert.deepEqual(await opened(west.staffId), [], 'nothing opened by a refusal');
      assert.equal((await west.get(`/api/places/bury/people/${residentId}`)).statusCode, 404);

      const right = await ask({ password: TEST_PASSWORD });
      assert.equal(right.statusCode, 201, right.body);
      assert.deepEqual(await opened(west.staffId), [residentId]);
      assert.equal((await west.get(`/api/places/bury/people/${residentId}`)).statusCode, 200);
      assert.deepEqual(
        (await audited(west.staffId)).map((e) => [e.outcome, e.person_ids, e.detail]),
        [
          ['denied', [residentId], `identity not confirmed (no password given): ${REASON}`],
          ['denied', [residentId], `identity not confirmed (wrong password): ${REASON}`],
          ['allowed', [residentId], REASON],
        ],
      );
    });

    test('a refusal reads the same whether or not anyone has the NHS number', async () => {
      const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const answers = [];
      for (const nhsNumber of [RESIDENT_NHS, NO_ONE_NHS]) {
        const res = await breakGlass(west, 'not the password', nhsNumber);
        const { id: _requestId, ...body } = res.json();
        answers.push({ status: res.statusCode, body });
      }
      assert.deepEqual(answers[0], answers[1]);
    });

    test(`after ${CONFIRM_ATTEMPTS} wrong passwords, break-glass is refused with 429 even with the right one`, async () => {
      const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const ask = (password: string) => breakGlass(west, password);
      for (let i = 0; i < CONFIRM_ATTEMPTS; i++) assert.equal((await ask(`wrong ${i}`)).statusCode, 400);
      const locked = await ask(TEST_PASSWORD);
      assert.equal(locked.statusCode, 429, locked.body);
      assert.match(locked.body, /Too many wrong passwords/);
      assert.deepEqual(await opened(west.staffId), []);
      // Another account is not held back by this one's attempts.
      const other = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const res = await breakGlass(other, TEST_PASSWORD);
      assert.equal(res.statusCode, 201, res.body);
    });

    test('wrong passwords given to two server processes over one database are counted together', async () => {
      const twin = await openTestApp(db);
      try {
        const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
        const onTwin = {
          inject: (o: Parameters<Client['inject']>[0]) => twin.inject({ ...o, headers: west.headers }),
        };
        for (let i = 0; i < CONFIRM_ATTEMPTS; i++)
          assert.equal((await breakGlass(i % 2 === 0 ? west : onTwin, `wrong ${i}`)).statusCode, 400);
        for (const by of [west, onTwin]) {
          const locked = await breakGlass(by, TEST_PASSWORD);
          assert.equal(locked.statusCode, 429, locked.body);
          assert.match(locked.body, /Try again in 1[45] minutes/);
        }
        assert.deepEqual(await opened(west.staffId), []);
        // Counted in the database, where every process over it reads the same count (not in memory).
        const counted = await db.kysely
          .selectFrom('attempt_window')
          .select('attempts')
          .where('key_hash', '=', createHash('sha256').update(`break-glass|${west.staffId}`).digest('hex'))
          .executeTakeFirst();
        assert.equal(counted?.attempts, CONFIRM_ATTEMPTS + 2, 'five wrong, then the two refused');
      } finally {
        await twin.close();
      }
    });

    test(`wrong passwords sent at once are all counted: at most ${CONFIRM_ATTEMPTS} are checked`, async () => {
      const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => breakGlass(west, `guess ${i}`)));
      const statuses = answers.map((a) => a.statusCode);
      assert.equal(statuses.filter((s) => s === 400).length, CONFIRM_ATTEMPTS, statuses.join(' '));
      assert.equal(statuses.filter((s) => s === 429).length, 12 - CONFIRM_ATTEMPTS, statuses.join(' '));
      const causes = (await audited(west.staffId)).map((e) => /\(([^)]+)\)/.exec(e.detail)?.[1]).sort();
      assert.deepEqual(causes, [
        ...Array(12 - CONFIRM_ATTEMPTS).fill('too many wrong passwords'),
        ...Array(CONFIRM_ATTEMPTS).fill('wrong password'),
      ]);
    });

    test('the right password forgets the wrong ones before it', async () => {
      const west = await staffClient(app, db, { role: 'int-practitioner', teamId: 'int-west' });
      const ask = (password: string) => breakGlass(west, password);
      for (let i = 0; i < CONFIRM_ATTEMPTS - 1; i++) assert.equal((await ask(`wrong ${i}`)).statusCode, 400);
      assert.equal((await ask(TEST_PASSWORD)).statusCode, 201);
      assert.equal((await ask('a slip of the finger')).statusCode, 400);
      assert.equal((await ask(TEST_PASSWORD)).statusCode, 201);
    });

    test(`an account that signs in through its organisation breaks glass within ${RECENT_SIGN_IN_MINUTES} minutes of signing in, not after`, async () => {
      const staff = await addStaff(db, { role: 'int-practitioner', teamId: 'int-west' });
      await db.kysely
        .updateTable('staff_user')
        .set({ password_hash: null })
        .where('id', '=', staff.id)
        .execute();
      const session = await openSession(app, db, { ...staff, role: 'int-practitioner' });
      const ask = () => breakGlass(session);
      await db.kysely
        .updateTable('staff_session')
        .set({ authenticated_at: new Date(Date.now() - (RECENT_SIGN_IN_MINUTES + 1) * 60_000) })
        .where('public_id', '=', session.sessionId)
        .execute();
      const stale = await ask();
      assert.equal(stale.statusCode, 403, stale.body);
      assert.match(stale.body, /sign in again through your organisation first/);
      assert.deepEqual(await opened(staff.id), []);
      await db.kysely
        .updateTable('staff_session')
        .set({ authenticated_at: new Date(Date.now() - (RECENT_SIGN_IN_MINUTES - 1) * 60_000) })
        .where('public_id', '=', session.sessionId)
        .execute();
      const fresh = await ask();
      assert.equal(fresh.statusCode, 201, fresh.body);
      assert.deepEqual(await opened(staff.id), [residentId]);
    });
  });
}
