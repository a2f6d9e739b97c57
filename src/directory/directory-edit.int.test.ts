// Keeping the directory up to date, through the API on both databases: a directory editor adds a
// service and residents find it at once; changes one, and its history says what changed; records a
// check; retires one. A stale save, bad input and references to another place's records change nothing.
// Reloading the place pack leaves the services the editors keep as they left them.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { reviewsCsv, reviewsText } from '../cli/directory.ts';
import { addDays, todayInEngland } from '../core/dates.ts';
import { isAppError } from '../core/errors.ts';
import type { EditableService, EditorServiceList, ServiceInput } from '../core/schemas/directory-edit.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withTableAway } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { getService } from './directory.store.ts';
import { directoryId } from './directory.ts';
import { servicesDueForReview } from './directory-edit.store.ts';

const BURY = path.resolve('place-packs/bury');
const base = '/api/places/bury';
const id = (kind: 'service' | 'organisation' | 'location' | 'taxonomy-term', key: string) =>
  directoryId('bury', kind, key);
const LUNCH_CLUB = id('service', 'radcliffe-lunch-club');

interface Issue {
  diagnostics: string;
  expression?: string[];
}
const fieldsOf = (body: string) =>
  (JSON.parse(body) as { issue: Issue[] }).issue.flatMap((i) => i.expression ?? []);

function packCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-directory-edit-'));
  cpSync(BURY, dir, { recursive: true });
  change(dir);
  return dir;
}
const editFile = (dir: string, file: string, edit: (text: string) => string) =>
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));

for (const target of dbTargets()) {
  describe(`editing the directory on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let editor: Client;
    const today = todayInEngland();
    const temp: string[] = [];

    before(async () => {
      db = await target.open();
      await loadPlacePack(db.kysely, BURY);
      app = await openTestApp(db);
      editor = await staffClient(app, db, { role: 'directory-editor' });
    });
    after(async () => {
      await app?.close();
      await db?.close();
      for (const dir of temp) rmSync(dir, { recursive: true, force: true });
    });

    const newService = (over: Partial<ServiceInput> = {}): ServiceInput => ({
      organisationId: id('organisation', 'bury-council'),
      name: 'Warm spaces at the library',
      description: 'A warm, free place to sit, read and have a hot drink on weekday afternoons.',
      status: 'active',
      termIds: [id('taxonomy-term', 'social-connection')],
      minimumAge: null,
      maximumAge: null,
      eligibilityDescription: 'Anyone.',
      isBoroughWide: false,
      locationIds: [id('location', 'radcliffe-community-hall')],
      fees: 'Free',
      url: 'https://warm-spaces.example',
      email: null,
      reviewDate: addDays(today, 180),
      checked: false,
      ...over,
    });
    const read = async (serviceId: string) => {
      const res = await editor.get(`${base}/directory/services/${serviceId}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as EditableService;
    };
    const save = (serviceId: string, body: Record<string, unknown>) =>
      editor.inject({ method: 'PUT', url: `${base}/directory/services/${serviceId}`, payload: body });
    const publicSearch = async (words: string) =>
      (
        (await app.inject(`${base}/oruk/services?search=${encodeURIComponent(words)}`)).json() as {
          contents: { id: string; name: string }[];
        }
      ).contents;

    test('an editor adds a service; residents find it at once, and its history says who added it', async () => {
      assert.deepEqual(await publicSearch('warm library'), [], 'the feed’s answer is now kept in memory');
      const res = await editor.inject({
        method: 'POST',
        url: `${base}/directory/services`,
        payload: newService(),
      });
      assert.equal(res.statusCode, 201, res.body);
      const made = res.json() as EditableService;
      assert.equal(made.version, 1);
      assert.equal(made.fromPlacePack, false);
      assert.equal(made.lastChecked, today);
      assert.match(made.lastCheckedBy ?? '', /Directory editor/);
      assert.deepEqual(
        made.changes.map((c) => c.kind),
        ['created'],
      );
      assert.deepEqual(
        (await publicSearch('warm library')).map((s) => s.id),
        [made.id],
        'the save cleared the answers kept in memory, and the search document was built',
      );
      const page = await app.inject(`/directory/services/${made.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Warm spaces at the library/);
    });

    test('a change is saved from the version read, with its history; a stale save is 409 and changes nothing', async () => {
      const before = await read(LUNCH_CLUB);
      assert.equal(before.fromPlacePack, true);
      const { fields } = before;
      const changed = await save(LUNCH_CLUB, {
        ...fields,
        name: 'Radcliffe Tuesday lunch club',
        termIds: [...fields.termIds, id('taxonomy-term', 'carers')],
        version: before.version,
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const after = changed.json() as EditableService;
      assert.equal(after.version, before.version + 1);
      assert.equal(after.fromPlacePack, false, 'the editors keep it from now on');
      assert.equal(after.fields.name, 'Radcliffe Tuesday lunch club');
      assert.deepEqual(after.changes[0]?.fields, ['Name', 'Needs it helps with']);
      assert.equal(after.changes[0]?.kind, 'changed');
      assert.equal(after.lastChecked, before.lastChecked, 'saving is not checking');
      assert.equal((await publicSearch('Tuesday lunch'))[0]?.id, LUNCH_CLUB);

      // Two editors had it open at the first version: the second save is refused, naming the current one.
      const stale = await save(LUNCH_CLUB, {
        ...fields,
        name: 'Someone else’s name',
        version: before.version,
      });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.deepEqual(fieldsOf(stale.body), ['version']);
      assert.match(stale.body, new RegExp(`version ${after.version} is the current one`));
      assert.equal((await read(LUNCH_CLUB)).fields.name, 'Radcliffe Tuesday lunch club');

      // A save that changes nothing writes nothing.
      const same = await save(LUNCH_CLUB, { ...after.fields, version: after.version });
      assert.equal(same.statusCode, 200, same.body);
      assert.equal((same.json() as EditableService).version, after.version);
    });

    test('of many saves from the same version at once, exactly one lands', async () => {
      const service = id('service', 'prestwich-food-club');
      const start = await read(service);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          save(service, { ...start.fields, fees: `£${i + 1} a visit`, version: start.version }),
        ),
      );
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
      const end = await read(service);
      assert.equal(end.version, start.version + 1);
      assert.equal(end.changes.length, 1);
    });

    test('bad input is refused naming the field, and nothing is written', async () => {
      const start = await read(id('service', 'money-advice-line'));
      const at = (over: Record<string, unknown>) =>
        save(start.id, { ...start.fields, ...over, version: start.version });
      const cases: [Record<string, unknown>, number, string][] = [
        [{ termIds: ['not-a-term'] }, 400, 'termIds.0'],
        [{ termIds: [id('location', 'radcliffe-community-hall')] }, 422, 'termIds.0'],
        [{ termIds: [directoryId('bury-copy', 'taxonomy-term', 'carers')] }, 422, 'termIds.0'],
        [{ locationIds: [], isBoroughWide: false }, 400, 'locationIds'],
        [{ minimumAge: 65, maximumAge: 18 }, 400, 'maximumAge'],
        [{ minimumAge: -1 }, 400, 'minimumAge'],
        [{ reviewDate: addDays(today, -1) }, 422, 'reviewDate'],
        [{ reviewDate: addDays(today, 1000) }, 422, 'reviewDate'],
        [{ reviewDate: '31/01/2027' }, 400, 'reviewDate'],
        [{ status: 'closed' }, 400, 'status'],
        [{ name: '   ' }, 400, 'name'],
        [{ url: 'javascript:alert(1)' }, 400, 'url'],
        [{ email: 'not an email' }, 400, 'email'],
        [{ organisationId: id('organisation', 'no-such-organisation') }, 422, 'organisationId'],
        [{ termIds: [id('taxonomy-term', 'carers'), id('taxonomy-term', 'carers')] }, 400, 'termIds'],
      ];
      for (const [over, status, field] of cases) {
        const res = await at(over);
        assert.equal(res.statusCode, status, `${JSON.stringify(over)}: ${res.body}`);
        assert.ok(fieldsOf(res.body).includes(field), `${JSON.stringify(over)} names ${field}: ${res.body}`);
      }
      const end = await read(start.id);
      assert.deepEqual(end, start, 'nothing written');
      const created = await editor.inject({
        method: 'POST',
        url: `${base}/directory/services`,
        payload: newService({ name: 'Never made', locationIds: [], isBoroughWide: false }),
      });
      assert.equal(created.statusCode, 400);
      assert.deepEqual(fieldsOf(created.body), ['locationIds']);
      const count = await db.kysely
        .selectFrom('directory_service')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('name', '=', 'Never made')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    test('recording a check stamps today and the editor, and sets the next review', async () => {
      const service = id('service', 'stop-smoking-support');
      const start = await read(service);
      const next = addDays(today, 365);
      const res = await editor.inject({
        method: 'POST',
        url: `${base}/directory/services/${service}/checked`,
        payload: { version: start.version, reviewDate: next },
      });
      assert.equal(res.statusCode, 200, res.body);
      const after = res.json() as EditableService;
      assert.equal(after.lastChecked, today);
      assert.equal(after.fields.reviewDate, next);
      assert.match(after.lastCheckedBy ?? '', /Directory editor/);
      assert.equal(after.changes[0]?.kind, 'checked');
      const again = await editor.inject({
        method: 'POST',
        url: `${base}/directory/services/${service}/checked`,
        payload: { version: start.version, reviewDate: next },
      });
      assert.equal(again.statusCode, 409);
      const orukAfter = (await app.inject(`${base}/oruk/services/${service}`)).json() as {
        assured_date: string;
      };
      assert.equal(orukAfter.assured_date, today, 'the feed says when it was last checked');
    });

    test('a save whose answer cannot be read is not kept either: written and read back in one transaction', async () => {
      const service = id('service', 'money-advice-line');
      const start = await read(service);
      // The answer says whether the service has open referrals, which no save reads: without their table,
      // the read-back fails after the write.
      await withTableAway(db.kysely, 'service_referral', async () => {
        const created = await editor.inject({
          method: 'POST',
          url: `${base}/directory/services`,
          payload: newService({ name: 'Never answered' }),
        });
        assert.equal(created.statusCode, 500, created.body);
        const changed = await save(service, {
          ...start.fields,
          fees: 'Never answered',
          version: start.version,
        });
        assert.equal(changed.statusCode, 500, changed.body);
        const checked = await editor.inject({
          method: 'POST',
          url: `${base}/directory/services/${service}/checked`,
          payload: { version: start.version, reviewDate: addDays(today, 365) },
        });
        assert.equal(checked.statusCode, 500, checked.body);
      });
      const made = await db.kysely
        .selectFrom('directory_service')
        .select('id')
        .where('name', '=', 'Never answered')
        .execute();
      assert.deepEqual(made, [], 'not added');
      assert.deepEqual(await read(service), start, 'neither changed nor checked');
    });

    test('the list puts reviews due first and counts them; a retired service leaves public searches', async () => {
      const list = async (query = '') => {
        const res = await editor.get(`${base}/directory/services?perPage=100${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as EditorServiceList;
      };
      const all = await list();
      const dates = all.items.map((s) => s.reviewDate);
      assert.deepEqual(dates, [...dates].sort(), 'soonest review first');
      const overdue = await list('&review=overdue');
      for (const s of overdue.items) assert.ok(s.reviewDate <= today);
      assert.equal(all.counts.overdue, overdue.items.filter((s) => s.status !== 'defunct').length);

      const club = id('service', 'moorside-food-club');
      const start = await read(club);
      const retired = await save(club, { ...start.fields, status: 'defunct', version: start.version });
      assert.equal(retired.statusCode, 200, retired.body);
      assert.ok(!(await publicSearch('Moorside food')).some((s) => s.id === club));
      assert.equal(
        (await list('&status=defunct')).items.some((s) => s.id === club),
        true,
      );
      const bad = await editor.get(`${base}/directory/services?perPage=100000`);
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(fieldsOf(bad.body), ['perPage']);
    });

    test('the operator’s list of reviews due: running services overdue or due within 30 days, soonest first', async () => {
      const overdue = id('service', 'besses-youth-club');
      await db.kysely
        .updateTable('directory_service')
        .set({ review_date: addDays(today, -400), name: '=Youth club, Besses' })
        .where('id', '=', overdue)
        .execute();
      const due = await servicesDueForReview(db.kysely, 'bury', today);
      assert.equal(due[0]?.id, overdue, 'the most overdue first');
      for (const s of due) {
        assert.ok(s.reviewDate <= addDays(today, 30), s.name);
        assert.notEqual(s.status, 'defunct');
      }
      const csv = reviewsCsv(due).split('\n');
      assert.equal(csv[0], 'Next review,Review,Service,Organisation,Last checked,Checked by,Service id');
      assert.ok(
        csv[1]?.startsWith(`${addDays(today, -400)},overdue,'=Youth club, Besses`) ||
          csv[1]?.includes('"\'=Youth club, Besses"'),
        csv[1],
      );
      assert.match(reviewsText(due), new RegExp(`^${addDays(today, -400)}  overdue   =Youth club, Besses`));
      assert.equal(reviewsText([]), 'No running service is due for review in the next 30 days.');
    });

    test('another place’s directory is not found; other roles cannot edit', async () => {
      assert.equal((await editor.get('/api/places/elsewhere/directory/services')).statusCode, 404);
      const analyst = await staffClient(app, db, { role: 'analyst' });
      const res = await analyst.inject({
        method: 'POST',
        url: `${base}/directory/services`,
        payload: newService({ name: 'Not by an analyst' }),
      });
      assert.equal(res.statusCode, 403);
    });

    test('a save waits while the place pack is being loaded, so the load cannot undo it', async () => {
      const service = id('service', 'stop-smoking-support');
      const start = await read(service);
      let saving: Promise<{ statusCode: number }> | undefined;
      await db.kysely.transaction().execute(async (load) => {
        // As a load does: the place's row is locked first, while it decides which services the editors keep.
        await load.updateTable('place').set({ loaded_at: new Date() }).where('id', '=', 'bury').execute();
        saving = save(service, {
          ...start.fields,
          fees: 'Free, with free stop smoking aids',
          version: start.version,
        });
        const first = await Promise.race([
          saving.then(() => 'saved'),
          new Promise((done) => setTimeout(() => done('waiting'), 300)),
        ]);
        assert.equal(first, 'waiting');
      });
      assert.equal((await saving)?.statusCode, 200);
      assert.equal((await read(service)).fields.fees, 'Free, with free stop smoking aids');
    });

    test('reloading the place pack leaves the editors’ services as they left them', async () => {
      const lunch = await read(LUNCH_CLUB);
      const [made] = (await editor.get(`${base}/directory/services?search=warm+library`)).json()
        .items as EditorServiceList['items'];
      assert.ok(made);
      // The pack renames a service the editors keep and one they do not, gives the lunch club a new phone
      // number, and renames the vocabulary of needs.
      const changed = packCopy((dir) => {
        editFile(dir, 'directory/services.csv', (t) =>
          t
            .replace(',Radcliffe lunch club,', ',Radcliffe lunch club (from the pack),')
            .replace(',Besses food club,', ',Besses community food club,'),
        );
        editFile(dir, 'directory/contacts.csv', (t) =>
          t.replace(
            'radcliffe-lunch-club,,Café manager,0161 496 0260',
            'radcliffe-lunch-club,,Café manager,0161 496 0999',
          ),
        );
        editFile(dir, 'directory/taxonomies.csv', (t) =>
          t.replace('\nneeds,Needs,', '\nneeds-and-wants,Needs,'),
        );
        editFile(dir, 'directory/taxonomy-terms.csv', (t) => t.replaceAll(',needs,', ',needs-and-wants,'));
      });
      temp.push(changed);
      await loadPlacePack(db.kysely, changed);
      assert.deepEqual(
        await read(LUNCH_CLUB),
        lunch,
        'the edited service is as the editor left it, needs too',
      );
      assert.deepEqual(
        (await getService(db.kysely, 'bury', LUNCH_CLUB))?.contacts.map((c) => c.phone),
        ['0161 496 0999'],
        'its contacts, which editors do not change here, follow the pack',
      );
      assert.equal((await read(made.id)).fields.name, 'Warm spaces at the library');
      const besses = await read(id('service', 'besses-food-club'));
      assert.equal(besses.fields.name, 'Besses community food club', 'others follow the pack');

      // The pack may not drop a need the editors' services use: the lunch club was given "Carers".
      const dropped = packCopy((dir) => {
        editFile(dir, 'directory/taxonomy-terms.csv', (t) =>
          t
            .split('\n')
            .filter((l) => !l.startsWith('carers,'))
            .join('\n'),
        );
        editFile(dir, 'directory/services.csv', (t) =>
          t.replaceAll(';carers;', ';').replaceAll(',carers;', ',').replaceAll(';carers,', ','),
        );
      });
      temp.push(dropped);
      await assert.rejects(loadPlacePack(db.kysely, dropped), (e) => {
        assert.ok(isAppError(e), String(e));
        assert.match(e.message, /cannot drop the need "Carers" \(used by "Radcliffe Tuesday lunch club"\)/);
        return true;
      });
      assert.deepEqual(await read(LUNCH_CLUB), lunch, 'nothing changed');
    });
  });
}
