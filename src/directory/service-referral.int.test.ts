// Referrals into directory services, end to end through the API on both databases: an INT practitioner
// refers a person from their open case to a voluntary service; the link workers who receive that
// organisation's referrals see it in their inbox and move it along to completed; the referrer sees the
// status and history on the case; the service's figures count it once there are enough. Bad input and
// stale versions change nothing; staff with no part in a referral cannot find it.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { todayInEngland } from '../core/dates.ts';
import { isAppError } from '../core/errors.ts';
import type { ServiceFigures, ServiceReferralView } from '../core/schemas/service-referral.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import { loadPlacePack } from '../place/load-place-pack.ts';
import type { App } from '../server/app-types.ts';
import { type Client, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';
import { directoryId } from './directory.ts';
import { addTestService } from './service-referral.test-helper.ts';

const base = '/api/places/bury';
const serviceOf = (packId: string) => directoryId('bury', 'service', packId);
/** An active Kingfisher Befriending group at the Radcliffe community hall, received by the link workers. */
const FRIENDSHIP_GROUP = serviceOf('radcliffe-friendship-group');

interface Issue {
  diagnostics: string;
  expression?: string[];
}
const issues = (body: string) => (JSON.parse(body) as { issue: Issue[] }).issue;
const fields = (body: string) => issues(body).flatMap((i) => i.expression ?? []);

for (const target of dbTargets()) {
  describe(`referrals into directory services on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let lead: Client;
    let coordinator: Client;
    let socialWorker: Client;
    /** A link worker in the West INT: receives the voluntary services' referrals, shares no East case. */
    let linkWorker: Client;
    /** Works with the East INT for another agency (the police): no part in these referrals. */
    let police: Client;
    let westPractitioner: Client;
    let analyst: Client;
    let residents: { id: string; nhs: string }[] = [];
    const nextResident = () => {
      const r = residents.shift();
      assert.ok(r, 'enough East residents for the tests');
      return r;
    };

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 800,
        seed: 11,
      });
      app = await openTestApp(db);
      const east = (role: 'int-lead' | 'int-practitioner' | 'social-worker', agencyId: string, p: string) =>
        staffClient(app, db, { role, teamId: 'int-east', agencyId, practitionerId: `int-east-${p}` });
      lead = await east('int-lead', 'bury-community-health', 'int-lead');
      coordinator = await east('int-practitioner', 'bury-community-health', 'care-coordinator');
      socialWorker = await east('social-worker', 'bury-council-adult-social-care', 'social-worker');
      police = await east('int-practitioner', 'gmp-bury', 'police-officer');
      linkWorker = await staffClient(app, db, {
        role: 'vcse-worker',
        teamId: 'int-west',
        agencyId: 'vcse-link-workers',
        practitionerId: 'int-west-vcse-link-worker',
      });
      westPractitioner = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-west',
        agencyId: 'bury-community-health',
        practitionerId: 'int-west-care-coordinator',
      });
      analyst = await staffClient(app, db, { role: 'analyst' });
      const rows = await db.kysely
        .selectFrom('person as p')
        .innerJoin('person_risk as r', 'r.person_id', 'p.id')
        .select(['p.id', 'p.nhs_number'])
        .where('r.neighbourhood_code', '=', 'east')
        .where('p.date_of_death', 'is', null)
        .where('p.nhs_number', 'is not', null)
        .orderBy('p.nhs_number')
        .limit(40)
        .execute();
      residents = rows.map((r) => ({ id: r.id, nhs: r.nhs_number ?? '' }));
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    /** A new open East case (referred, accepted at triage), with consent to share with the link workers unless told. */
    async function openCase(consent = true): Promise<{ caseId: string; personId: string }> {
      const person = nextResident();
      const referral = await socialWorker.inject({
        method: 'POST',
        url: `${base}/referrals`,
        payload: { teamId: 'int-east', nhsNumber: person.nhs, source: 'practitioner', reason: 'Lonely' },
      });
      assert.equal(referral.statusCode, 201, referral.body);
      const triage = await lead.inject({
        method: 'POST',
        url: `${base}/referrals/${referral.json().id}/triage`,
        payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator' },
      });
      assert.equal(triage.statusCode, 200, triage.body);
      const caseId = triage.json().caseId as string;
      if (consent) {
        const res = await coordinator.inject({
          method: 'POST',
          url: `${base}/cases/${caseId}/consent`,
          payload: {
            status: 'given',
            givenBy: 'person',
            agencies: ['vcse-link-workers'],
            purpose: 'Help from local groups',
          },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      return { caseId, personId: person.id };
    }

    const refer = (caseId: string, serviceId: string, by = coordinator) =>
      by.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/service-referrals`,
        payload: { serviceId, reason: 'Lives alone since her husband died; would like company nearby.' },
      });
    const move = (id: string, status: string, version: number, note?: string, by = linkWorker) =>
      by.inject({
        method: 'POST',
        url: `${base}/service-referrals/${id}/status`,
        payload: { status, version, ...(note === undefined ? {} : { note }) },
      });
    const figures = async (serviceId: string): Promise<ServiceFigures> => {
      const res = await analyst.get(`${base}/directory/services/${serviceId}/figures`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const counted = async () => {
      const [referrals, events] = await Promise.all([
        db.kysely
          .selectFrom('service_referral')
          .select(db.kysely.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
        db.kysely
          .selectFrom('service_referral_event')
          .select(db.kysely.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { referrals: Number(referrals.n), events: Number(events.n) };
    };

    test('the whole loop: referred from the plan, received, accepted, worked with, completed, seen by the referrer', async () => {
      const { caseId, personId } = await openCase();
      const seePerson = () => linkWorker.get(`${base}/people/${personId}`);
      assert.equal((await seePerson()).statusCode, 404, 'no relationship before the referral');

      const made = await refer(caseId, FRIENDSHIP_GROUP);
      assert.equal(made.statusCode, 201, made.body);
      const sent = made.json() as ServiceReferralView;
      assert.equal(sent.status, 'sent');
      assert.equal(sent.version, 1);
      assert.equal(sent.caseId, caseId);
      assert.equal(sent.person.id, personId);
      assert.equal(sent.service.name, 'Friendship group, Radcliffe');
      assert.equal(sent.service.organisation, 'Kingfisher Befriending (sample)');
      assert.match(sent.referredBy, /INT practitioner/);
      assert.deepEqual(
        sent.history.map((e) => e.status),
        ['sent'],
      );

      // The receiving agency's inbox has it, open, and its staff now have a relationship with the person.
      const inbox = await linkWorker.get(`${base}/service-referrals/inbox`);
      assert.equal(inbox.statusCode, 200, inbox.body);
      const inboxed = (inbox.json().referrals as ServiceReferralView[]).find((r) => r.id === sent.id);
      assert.ok(inboxed, 'in the link workers’ inbox');
      assert.equal((await seePerson()).statusCode, 200, 'a relationship while the referral is open');
      const other = await westPractitioner.get(`${base}/service-referrals/inbox`);
      assert.equal(other.statusCode, 200);
      assert.ok(!(other.json().referrals as ServiceReferralView[]).some((r) => r.id === sent.id));

      let version = 1;
      for (const [status, note] of [
        ['received', undefined],
        ['accepted', 'Spoke to her on the phone: starts next Tuesday'],
        ['in-progress', undefined],
        ['completed', 'Comes every week and has made friends'],
      ] as const) {
        const res = await move(sent.id, status, version, note);
        assert.equal(res.statusCode, 200, `${status}: ${res.body}`);
        const moved = res.json() as ServiceReferralView;
        assert.equal(moved.status, status);
        assert.equal(moved.version, ++version);
      }
      assert.equal((await seePerson()).statusCode, 404, 'the relationship ends with the referral');
      const stillReadable = await linkWorker.get(`${base}/service-referrals/${sent.id}`);
      assert.equal(stillReadable.statusCode, 200, 'the receiving agency keeps reading its referral');

      // The referrer sees the outcome on the case, with who did what and when.
      const list = await coordinator.get(`${base}/cases/${caseId}/service-referrals`);
      assert.equal(list.statusCode, 200, list.body);
      const [seen] = list.json().referrals as ServiceReferralView[];
      assert.ok(seen);
      assert.equal(seen.status, 'completed');
      assert.deepEqual(
        seen.history.map((e) => e.status),
        ['sent', 'received', 'accepted', 'in-progress', 'completed'],
      );
      assert.match(seen.history[0]?.by ?? '', /INT practitioner/);
      assert.match(seen.history[4]?.by ?? '', /VCSE worker/);
      assert.equal(seen.history[4]?.note, 'Comes every week and has made friends');
      const times = seen.history.map((e) => Date.parse(e.at));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'history oldest first',
      );
      const one = await coordinator.get(`${base}/service-referrals/${sent.id}`);
      assert.equal(one.statusCode, 200, 'the referrer’s team reads it');
      assert.deepEqual(one.json(), seen);

      // The person's timeline shows each step.
      const timeline = await coordinator.get(`${base}/people/${personId}/timeline`);
      assert.equal(timeline.statusCode, 200, timeline.body);
      const steps = (timeline.json().events as { kind: string; title: string }[]).filter(
        (e) => e.kind === 'service-referral',
      );
      assert.equal(steps.length, 5);
      assert.ok(
        steps.some(
          (e) => e.title === 'Referred to Friendship group, Radcliffe, Kingfisher Befriending (sample)',
        ),
      );
      assert.ok(steps.some((e) => e.title === 'Referral to Friendship group, Radcliffe: completed'));

      // Every read and write of the referral was audited against the person.
      const audited = await db.kysely
        .selectFrom('audit_event')
        .select(['route', 'outcome', 'relationship'])
        .where('route', 'like', '%service-referrals%')
        .where((eb) => eb(eb.val(personId), '=', eb.fn.any('person_ids')))
        .execute();
      const routes = new Set(audited.map((a) => a.route));
      for (const route of [
        'POST /api/places/:placeId/cases/:caseId/service-referrals',
        'GET /api/places/:placeId/cases/:caseId/service-referrals',
        'GET /api/places/:placeId/service-referrals/inbox',
        'GET /api/places/:placeId/service-referrals/:referralId',
        'POST /api/places/:placeId/service-referrals/:referralId/status',
      ])
        assert.ok(routes.has(route), `${route} audited`);
    });

    test('the service’s figures: hidden below 8, then counted; declined ones need a reason', async () => {
      const serviceId = await addTestService(db, { agencyId: 'vcse-link-workers' });
      assert.deepEqual(await figures(serviceId), {
        serviceId,
        referrals: 0,
        accepted: 0,
        declined: 0,
        acceptanceRate: null,
        medianDaysToFirstContact: null,
        completed: 0,
        notCompleted: 0,
      });
      const ids: string[] = [];
      for (let n = 1; n <= 8; n++) {
        const { caseId } = await openCase();
        const res = await refer(caseId, serviceId);
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.json().id);
        const f = await figures(serviceId);
        assert.equal(f.referrals, n <= 7 ? null : 10, `${n} referrals`);
      }
      for (const id of ids) {
        assert.equal((await move(id, 'received', 1)).statusCode, 200);
        assert.equal((await move(id, 'accepted', 2)).statusCode, 200);
        assert.equal((await move(id, 'in-progress', 3)).statusCode, 200);
        assert.equal((await move(id, 'completed', 4)).statusCode, 200);
      }
      const done = await figures(serviceId);
      assert.equal(done.referrals, 10);
      assert.equal(done.accepted, 10);
      assert.equal(done.declined, 0);
      assert.equal(done.acceptanceRate, 1);
      assert.equal(done.completed, 10);
      assert.equal(done.notCompleted, 0);
      assert.ok(done.medianDaysToFirstContact !== null && done.medianDaysToFirstContact >= 0);

      // One declined: its reason is required, and the rate made from a hidden count is hidden.
      const { caseId } = await openCase();
      const declined = (await refer(caseId, serviceId)).json().id as string;
      assert.equal((await move(declined, 'received', 1)).statusCode, 200);
      const noReason = await move(declined, 'declined', 2);
      assert.equal(noReason.statusCode, 400, noReason.body);
      assert.deepEqual(fields(noReason.body), ['note']);
      assert.equal((await move(declined, 'declined', 2, 'Full until spring')).statusCode, 200);
      const after = await figures(serviceId);
      assert.equal(after.declined, null);
      assert.equal(after.acceptanceRate, null);
      assert.equal(after.referrals, 10);

      const unknown = await analyst.get(`${base}/directory/services/${crypto.randomUUID()}/figures`);
      assert.equal(unknown.statusCode, 404);
      const malformed = await analyst.get(`${base}/directory/services/not-a-service/figures`);
      assert.equal(malformed.statusCode, 400);
      assert.deepEqual(fields(malformed.body), ['serviceId']);
    });

    test('bad input is refused naming the field, and nothing is written', async () => {
      const { caseId } = await openCase();
      const before = await counted();
      const noLocation = await addTestService(db, { agencyId: 'vcse-link-workers', hasLocation: false });
      const nobodyReceives = await addTestService(db, { agencyId: null });
      for (const [serviceId, status, message] of [
        [serviceOf('tottington-memory-cafe'), 422, /has been retired/],
        [serviceOf('radcliffe-live-well-cafe'), 422, /not running/],
        [serviceOf('ramsbottom-youth-club'), 422, /closed for now/],
        [noLocation, 422, /has no location/],
        [nobodyReceives, 422, /no team receives them/],
        ['not-a-service', 400, /service/],
        [crypto.randomUUID(), 400, /no service with this id/],
      ] as const) {
        const res = await refer(caseId, serviceId);
        assert.equal(res.statusCode, status, `${serviceId}: ${res.body}`);
        assert.deepEqual(fields(res.body), ['serviceId'], res.body);
        assert.match(res.body, message);
      }
      const noReason = await coordinator.inject({
        method: 'POST',
        url: `${base}/cases/${caseId}/service-referrals`,
        payload: { serviceId: FRIENDSHIP_GROUP, reason: '  ' },
      });
      assert.equal(noReason.statusCode, 400);
      assert.deepEqual(fields(noReason.body), ['reason']);
      // A voluntary service receives the referral and the person's record: only with their consent.
      const withoutConsent = await openCase(false);
      const refused = await refer(withoutConsent.caseId, FRIENDSHIP_GROUP);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(fields(refused.body), ['serviceId']);
      assert.match(refused.body, /consent to share/);
      assert.deepEqual(await counted(), before, 'nothing written');
    });

    test('one open referral from a case to a service at a time; once it has ended, another may be made', async () => {
      const { caseId } = await openCase();
      const first = await refer(caseId, FRIENDSHIP_GROUP);
      assert.equal(first.statusCode, 201, first.body);
      const again = await refer(caseId, FRIENDSHIP_GROUP);
      assert.equal(again.statusCode, 409, again.body);
      assert.deepEqual(fields(again.body), ['serviceId']);
      assert.match(again.body, /already has an open referral/);
      const id = first.json().id as string;
      assert.equal((await move(id, 'received', 1)).statusCode, 200);
      const declined = await move(id, 'declined', 2, 'Full until the spring');
      assert.equal(declined.statusCode, 200, declined.body);
      assert.equal(
        (await refer(caseId, FRIENDSHIP_GROUP)).statusCode,
        201,
        'a new referral after the first ended',
      );
    });

    test('moves go one step at a time from the current version; a stale one is 409 and changes nothing', async () => {
      const { caseId } = await openCase();
      const id = (await refer(caseId, FRIENDSHIP_GROUP)).json().id as string;
      const before = await counted();
      const skipped = await move(id, 'completed', 1);
      assert.equal(skipped.statusCode, 422, skipped.body);
      assert.deepEqual(fields(skipped.body), ['status']);
      assert.match(skipped.body, /cannot be marked completed\. It can be marked received/);
      const badStatus = await move(id, 'lost', 1);
      assert.equal(badStatus.statusCode, 400);
      assert.deepEqual(fields(badStatus.body), ['status']);
      assert.deepEqual(await counted(), before, 'nothing written');

      assert.equal((await move(id, 'received', 1)).statusCode, 200);
      const stale = await move(id, 'accepted', 1);
      assert.equal(stale.statusCode, 409, stale.body);
      assert.deepEqual(fields(stale.body), ['version']);
      assert.match(stale.body, /version 2 is the current one/);
      const now = (await linkWorker.get(`${base}/service-referrals/${id}`)).json() as ServiceReferralView;
      assert.equal(now.status, 'received');
      assert.equal(now.version, 2);
      assert.equal(now.history.length, 2);
    });

    test('who may see and move a referral', async () => {
      const { caseId } = await openCase();
      const id = (await refer(caseId, FRIENDSHIP_GROUP)).json().id as string;
      // Unrelated agencies and teams, and roles that see no one, get "not found", as for no referral at all.
      for (const [who, what] of [
        [police, 'the police, in the same team but outside the consent'],
        [westPractitioner, 'another team’s community health practitioner'],
        [analyst, 'an analyst'],
      ] as const) {
        const read = await who.get(`${base}/service-referrals/${id}`);
        assert.equal(read.statusCode, 404, `${what}: ${read.body}`);
        const nothing = await who.get(`${base}/service-referrals/${crypto.randomUUID()}`);
        assert.equal(nothing.statusCode, 404);
        assert.equal(
          issues(read.body)[0]?.diagnostics,
          issues(nothing.body)[0]?.diagnostics,
          'the same answer as for a referral that does not exist',
        );
        assert.equal((await move(id, 'received', 1, undefined, who)).statusCode, 404, what);
        assert.equal((await who.get(`${base}/cases/${caseId}/service-referrals`)).statusCode, 404, what);
      }
      // The referrer's team reads it but does not move it for the service.
      const byReferrer = await move(id, 'received', 1, undefined, coordinator);
      assert.equal(byReferrer.statusCode, 403, byReferrer.body);
      assert.equal((await move(id, 'received', 1)).statusCode, 200, 'the receiving agency moves it');
      // Nothing can be referred from a closed case.
      const closed = await openCase();
      const version = (await coordinator.get(`${base}/cases/${closed.caseId}`)).json().case.version as number;
      const close = await coordinator.inject({
        method: 'POST',
        url: `${base}/cases/${closed.caseId}/close`,
        payload: { version, reason: 'goals-met', outcome: `Settled at home (${todayInEngland()})` },
      });
      assert.equal(close.statusCode, 200, close.body);
      const fromClosed = await refer(closed.caseId, FRIENDSHIP_GROUP);
      assert.equal(fromClosed.statusCode, 422, fromClosed.body);
      assert.deepEqual(fields(fromClosed.body), ['caseId']);
    });

    test('each organisation names the agency that receives its referrals; a referred service cannot leave the pack', async () => {
      const agencies = await db.kysely
        .selectFrom('directory_organisation')
        .select(['pack_id', 'agency_id'])
        .where('place_id', '=', 'bury')
        .where('pack_id', 'in', [
          'kingfisher-befriending',
          'bury-council',
          'bury-integrated-care-partnership',
        ])
        .orderBy('pack_id')
        .execute();
      assert.deepEqual(agencies, [
        { pack_id: 'bury-council', agency_id: 'bury-council-adult-social-care' },
        { pack_id: 'bury-integrated-care-partnership', agency_id: 'bury-community-health' },
        { pack_id: 'kingfisher-befriending', agency_id: 'vcse-link-workers' },
      ]);
      // Once the friendship group has a referral, a pack without it is refused, naming it.
      const { caseId } = await openCase();
      assert.equal((await refer(caseId, FRIENDSHIP_GROUP)).statusCode, 201);
      const dir = mkdtempSync(path.join(tmpdir(), 'joinedup-referred-'));
      try {
        cpSync('place-packs/bury', dir, { recursive: true });
        for (const file of ['services', 'schedules', 'contacts', 'cost-options']) {
          const at = path.join(dir, 'directory', `${file}.csv`);
          const lines = readFileSync(at, 'utf8').split('\n');
          writeFileSync(at, lines.filter((l) => !l.startsWith('radcliffe-friendship-group,')).join('\n'));
        }
        await assert.rejects(loadPlacePack(db.kysely, dir), (e) => {
          assert.ok(isAppError(e) && e.status === 422, String(e));
          assert.match(e.message, /"radcliffe-friendship-group" \(kingfisher-befriending\).*defunct/);
          return true;
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const still = await linkWorker.get(`${base}/service-referrals/inbox`);
      assert.ok(
        (still.json().referrals as ServiceReferralView[]).some((r) => r.service.id === FRIENDSHIP_GROUP),
      );
    });

    test('a referral whose answer cannot be read is not sent either: written and read back in one transaction', async () => {
      const { caseId } = await openCase();
      const before = await counted();
      // The answer names the organisation, which nothing before the insert reads: without its name, the
      // read-back fails after the insert.
      await sql`alter table directory_organisation rename column name to name_away`.execute(db.kysely);
      try {
        const res = await refer(caseId, FRIENDSHIP_GROUP);
        assert.equal(res.statusCode, 500, res.body);
      } finally {
        await sql`alter table directory_organisation rename column name_away to name`.execute(db.kysely);
      }
      assert.deepEqual(await counted(), before, 'nothing written');
    });

    // Last: it replaces the people the other tests use.
    test('a new synthetic population takes the referrals of the people it replaces with them', async () => {
      assert.ok((await counted()).referrals > 0);
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 300,
        seed: 12,
      });
      assert.deepEqual(await counted(), { referrals: 0, events: 0 });
    });
  });
}
