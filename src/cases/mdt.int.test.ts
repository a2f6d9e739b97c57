import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { formatDate } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets, withTableAway } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { type Client, inDays, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';

interface Item {
  id: string;
  position: number;
  reason: string;
  reasonDetail: string;
  person: { id: string };
  caseId: string | null;
  referralId: string | null;
  removed: boolean;
  addedBy: string;
  summary: string;
  decisions: string;
  discussed: boolean;
  actions: { description: string; source: string }[];
}
interface Person {
  id: string;
  nhs_number: string | null;
  efi_band: string;
  hfrs_band: string;
}

for (const target of dbTargets()) {
  describe(`MDT meetings on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let lead: Client;
    let coordinator: Client;
    let police: Client;
    let nurse: Client;
    let westLead: Client;
    /** A: referred, awaiting triage. B: review due. C: risk rose. D: unplanned care. */
    let a: Person;
    let b: Person;
    let c: Person;
    let d: Person;
    /** E: nominated at a worklist. G: added by the chair. F: a west resident nominated by NHS number. */
    let e: string;
    let g: string;
    let f: Person;
    const cases: Record<string, string> = {};
    let meeting: string;
    const base = '/api/places/bury';
    const east = { teamId: 'int-east', agencyId: 'bury-community-health' };

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2000,
        seed: 17,
      });
      app = await openTestApp(db);
      lead = await staffClient(app, db, { role: 'int-lead', ...east, practitionerId: 'int-east-int-lead' });
      coordinator = await staffClient(app, db, {
        role: 'int-practitioner',
        ...east,
        practitionerId: 'int-east-care-coordinator',
      });
      police = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-east',
        agencyId: 'gmp-bury',
        practitionerId: 'int-east-police-officer',
      });
      nurse = await staffClient(app, db, {
        role: 'int-practitioner',
        ...east,
        practitionerId: 'int-east-district-nurse',
      });
      westLead = await staffClient(app, db, {
        role: 'int-lead',
        teamId: 'int-west',
        agencyId: 'bury-community-health',
        practitionerId: 'int-west-int-lead',
      });

      const people = (neighbourhood: string, from: number, to: number) =>
        db.kysely
          .selectFrom('person_risk as r')
          .innerJoin('person as p', 'p.id', 'r.person_id')
          .select(['p.id', 'p.nhs_number', 'r.efi_band', 'r.hfrs_band'])
          .where('r.neighbourhood_code', '=', neighbourhood)
          .where('r.age', '>=', from)
          .where('r.age', '<=', to)
          .orderBy('r.efi_score', 'desc')
          .orderBy('p.id')
          .limit(4)
          .execute();
      const [p1, p2, p3, p4] = (await people('east', 50, 74)) as Person[];
      const [p5] = (await people('west', 18, 39)) as Person[];
      assert.ok(p1 && p2 && p3 && p4 && p5, 'enough people in the synthetic population');
      [c, a, b, d, f] = [p1, p2, p3, p4, p5];
      assert.notEqual(c.efi_band, 'fit', 'the risk-rose person has some frailty');

      const refer = async (person: Person) => {
        const res = await coordinator.inject({
          method: 'POST',
          url: `${base}/referrals`,
          payload: {
            teamId: 'int-east',
            nhsNumber: person.nhs_number,
            source: 'practitioner',
            reason: 'Struggling at home',
          },
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().id as string;
      };
      const open = async (person: Person, reviewDueOn?: string) => {
        const res = await lead.inject({
          method: 'POST',
          url: `${base}/referrals/${await refer(person)}/triage`,
          payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator', reviewDueOn },
        });
        assert.equal(res.statusCode, 200, res.body);
        cases[person.id] = res.json().caseId;
      };
      await refer(a);
      await open(b, inDays(3));
      await open(c);
      await open(d);
      // The team last saw C as fit: their frailty has risen since.
      await db.kysely
        .updateTable('care_case')
        .set({ risk_seen: JSON.stringify({ efi: 'fit', hfrs: c.hfrs_band }) })
        .where('id', '=', cases[c.id] ?? '')
        .execute();
      // D went to ED three days ago.
      await db.kysely
        .insertInto('encounter')
        .values({
          person_id: d.id,
          seq: 100_000,
          place_id: 'bury',
          kind: 'ed',
          start_date: inDays(-3),
          end_date: inDays(-3),
          length_of_stay: null,
          primary_diagnosis: null,
          secondary_diagnoses: [],
          is_readmission: false,
          arrival_by_ambulance: null,
        })
        .execute();

      // E is nominated for the MDT at the team's worklist; G is another person on it.
      const cohort = await lead.inject({
        method: 'POST',
        url: `${base}/cohorts`,
        payload: {
          name: 'Aged 75 and over',
          rules: {
            kind: 'group',
            combinator: 'and',
            rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
          },
        },
      });
      assert.equal(cohort.statusCode, 201, cohort.body);
      const worklist = await lead.inject({
        method: 'POST',
        url: `${base}/worklists`,
        payload: {
          cohortId: cohort.json().cohort.id,
          name: 'East 75+',
          scope: 'neighbourhood',
          scopeCode: 'east',
        },
      });
      assert.equal(worklist.statusCode, 201, worklist.body);
      const worklistId = worklist.json().worklist.id;
      const onList = (
        await coordinator.get(`${base}/worklists/${worklistId}/people?status=to-review&pageSize=10`)
      ).json();
      [e, g] = onList.people.map((p: { personId: string }) => p.personId);
      assert.ok(e && g, 'people on the worklist');
      const decided = await coordinator.inject({
        method: 'POST',
        url: `${base}/worklists/${worklistId}/decisions`,
        payload: {
          personId: e,
          decision: 'discuss-at-mdt',
          reason: 'Lives alone, carer unwell',
          reviewDate: inDays(30),
        },
      });
      assert.equal(decided.statusCode, 201, decided.body);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const meetingUrl = () => `${base}/mdt-meetings/${meeting}`;
    const detail = async (by: Client = lead) => {
      const res = await by.get(meetingUrl());
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        items: Item[];
        hiddenItems: number;
        isChair: boolean;
        meeting: { people: number; status: string };
      };
    };
    const itemOf = (items: Item[], personId: string) => {
      const item = items.find((i) => i.person.id === personId);
      assert.ok(item, `an item for ${personId}`);
      return item;
    };
    const schedule = (by: Client, startsAt: string, teamId = 'int-east') =>
      by.inject({
        method: 'POST',
        url: `${base}/teams/${teamId}/mdt-meetings`,
        payload: { startsAt, location: 'Radcliffe Primary Care Centre, room 2' },
      });

    test('the team’s INT lead schedules meetings; the team lists them, upcoming first', async () => {
      assert.equal((await schedule(coordinator, `${inDays(7)}T10:00:00Z`)).statusCode, 403);
      const bad = await schedule(lead, 'next Tuesday');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json().issue[0].expression, ['startsAt']);
      assert.equal((await schedule(lead, `${inDays(7)}T10:00:00Z`, 'int-west')).statusCode, 404);

      const made = await schedule(lead, `${inDays(7)}T10:00:00Z`);
      assert.equal(made.statusCode, 201, made.body);
      meeting = made.json().id;
      assert.deepEqual(
        { status: made.json().status, people: made.json().people, teamId: made.json().teamId },
        { status: 'scheduled', people: 0, teamId: 'int-east' },
      );
      const later = (await schedule(lead, `${inDays(21)}T10:00:00Z`)).json().id;
      // The last meeting, held ten days ago: unplanned care and nominations since then come to this one.
      const past = (await schedule(lead, `${inDays(-10)}T10:00:00Z`)).json().id;
      assert.equal(
        (await lead.inject({ method: 'POST', url: `${base}/mdt-meetings/${past}/held` })).statusCode,
        200,
      );

      const list = await coordinator.get(`${base}/teams/int-east/mdt-meetings`);
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(
        list.json().meetings.map((m: { id: string }) => m.id),
        [meeting, later, past],
      );
      assert.equal((await westLead.get(`${base}/teams/int-east/mdt-meetings`)).statusCode, 404);
    });

    test('the agenda is built for the chair: one item per person, by reason, and a second build adds nobody', async () => {
      assert.equal(
        (await coordinator.inject({ method: 'POST', url: `${meetingUrl()}/agenda` })).statusCode,
        403,
      );
      assert.equal(
        (await westLead.inject({ method: 'POST', url: `${meetingUrl()}/agenda` })).statusCode,
        404,
      );
      const built = await lead.inject({ method: 'POST', url: `${meetingUrl()}/agenda` });
      assert.equal(built.statusCode, 200, built.body);
      assert.equal(built.json().added, 5);

      const { items, isChair, meeting: m } = await detail();
      assert.ok(isChair);
      assert.equal(m.people, 5);
      assert.deepEqual(
        items.map((i) => [i.person.id, i.reason, i.position]),
        [
          [a.id, 'new-referral', 1],
          [b.id, 'review-due', 2],
          [c.id, 'risk-rose', 3],
          [d.id, 'unplanned-care', 4],
          [e, 'nominated', 5],
        ],
      );
      assert.ok(itemOf(items, a.id).referralId);
      assert.equal(itemOf(items, b.id).caseId, cases[b.id]);
      assert.match(itemOf(items, b.id).reasonDetail, new RegExp(`^Review due on ${formatDate(inDays(3))}`));
      assert.match(itemOf(items, c.id).reasonDetail, new RegExp(`^Frailty fit → ${c.efi_band}`));
      assert.match(
        itemOf(items, d.id).reasonDetail,
        new RegExp(`ED attendance on ${formatDate(inDays(-3))}`),
      );
      assert.match(itemOf(items, e).reasonDetail, /worklist "East 75\+".*Lives alone, carer unwell/);

      const again = await lead.inject({ method: 'POST', url: `${meetingUrl()}/agenda` });
      assert.equal(again.json().added, 0);
      assert.equal((await detail()).items.length, 5);
    });

    test('any member nominates, with a reason; the chair’s additions say so; each person once', async () => {
      const nominate = (by: Client, payload: Record<string, unknown>) =>
        by.inject({ method: 'POST', url: `${meetingUrl()}/agenda/items`, payload });
      const byNhs = await nominate(coordinator, {
        nhsNumber: f.nhs_number,
        reason: 'Neighbour worried about self-neglect',
      });
      assert.equal(byNhs.statusCode, 201, byNhs.body);
      assert.equal(
        (await nominate(coordinator, { nhsNumber: f.nhs_number, reason: 'Again' })).statusCode,
        409,
      );
      const invalid = await nominate(coordinator, { nhsNumber: '0000000000', reason: 'A reason' });
      assert.equal(invalid.statusCode, 400);
      assert.deepEqual(invalid.json().issue[0].expression, ['nhsNumber']);
      assert.equal(
        (await nominate(coordinator, { nhsNumber: '9990000018', reason: 'A reason' })).statusCode,
        404,
      );
      // Being on the agenda gives the team's health and social care staff a relationship with F: once only.
      assert.equal((await nominate(coordinator, { personId: f.id, reason: 'A reason' })).statusCode, 409);
      // By id only someone the nominator has a relationship with.
      assert.equal((await nominate(westLead, { personId: g, reason: 'A reason' })).statusCode, 404);

      const chair = await nominate(lead, { personId: g, reason: 'Fell twice this month' });
      assert.equal(chair.statusCode, 201, chair.body);
      const { items, hiddenItems } = await detail(coordinator);
      const added = itemOf(items, g);
      assert.deepEqual(
        [added.reason, added.reasonDetail, added.position],
        ['added-by-chair', 'Fell twice this month', 7],
      );
      assert.equal(added.addedBy, 'Test int-lead');
      // F (nominated by NHS number) is shown to the coordinator, through the agenda; the police officer
      // (no consent to share with the police) sees F and the others counted, not shown.
      assert.ok(items.some((i) => i.person.id === f.id));
      assert.equal(hiddenItems, 0);
      const policeView = await detail(police);
      assert.ok(!policeView.items.some((i) => i.person.id === f.id));
      assert.ok(policeView.hiddenItems >= 1);
      const audit = await db.kysely
        .selectFrom('audit_event')
        .select(['person_ids', 'relationship'])
        .where('actor_id', '=', coordinator.staffId)
        .where('route', '=', 'GET /api/places/:placeId/mdt-meetings/:meetingId')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual([...audit.person_ids].sort(), items.map((i) => i.person.id).sort());
    });

    test('the chair reorders the agenda, and takes people off it and puts them back', async () => {
      const { items } = await detail();
      const move = (by: Client, itemId: string, payload: Record<string, unknown>) =>
        by.inject({ method: 'PATCH', url: `${meetingUrl()}/agenda/items/${itemId}`, payload });
      const dItem = itemOf(items, d.id);
      assert.equal((await move(coordinator, dItem.id, { position: 1 })).statusCode, 403);
      const moved = await move(lead, dItem.id, { position: 1 });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().items[0].id, dItem.id);
      assert.deepEqual(
        moved.json().items.map((i: { position: number }) => i.position),
        [1, 2, 3, 4, 5, 6, 7],
      );
      const after = (await detail()).items;
      assert.deepEqual(
        after.slice(0, 3).map((i) => i.person.id),
        [d.id, a.id, b.id],
      );

      for (const [payload, field] of [
        [{ position: 99 }, 'position'],
        [{}, 'position'],
      ] as const) {
        const res = await move(lead, dItem.id, payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(res.json().issue[0].expression, [field]);
      }
      assert.equal(
        (await move(lead, '7f0c3a47-93c1-4d3c-9b59-6f0c0d3c9f11', { position: 1 })).statusCode,
        404,
      );

      const aItem = itemOf(after, a.id);
      assert.equal((await move(lead, aItem.id, { removed: true })).statusCode, 200);
      const trimmed = await detail();
      assert.equal(itemOf(trimmed.items, a.id).removed, true);
      assert.equal(trimmed.meeting.people, 6);
      // A second build does not bring back someone the chair took off.
      assert.equal((await lead.inject({ method: 'POST', url: `${meetingUrl()}/agenda` })).json().added, 0);
      assert.equal((await move(lead, aItem.id, { removed: false })).statusCode, 200);
      assert.equal((await detail()).meeting.people, 7);
    });

    test('attendance is recorded by practitioner, each with their own agency', async () => {
      const put = (attendees: unknown[], by: Client = lead) =>
        by.inject({ method: 'PUT', url: `${meetingUrl()}/attendance`, payload: { attendees } });
      const unknown = await put([{ practitionerId: 'int-east-astronaut', attended: true }]);
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(unknown.json().issue[0].expression, ['attendees.0.practitionerId']);
      const twice = await put([
        { practitionerId: 'int-east-int-lead', attended: true },
        { practitionerId: 'int-east-int-lead', attended: false },
      ]);
      assert.deepEqual(twice.json().issue[0].expression, ['attendees.1.practitionerId']);
      assert.equal((await put([], coordinator)).statusCode, 403);

      const res = await put([
        { practitionerId: 'int-east-int-lead', attended: true },
        { practitionerId: 'int-east-care-coordinator', attended: true },
        { practitionerId: 'int-east-social-worker', attended: true },
        { practitionerId: 'int-east-police-officer', attended: true },
        { practitionerId: 'int-east-district-nurse', attended: false },
      ]);
      assert.equal(res.statusCode, 200, res.body);
      const byId = new Map(
        res
          .json()
          .attendance.map((x: { practitioner: { id: string }; agencyName: string; attended: boolean }) => [
            x.practitioner.id,
            [x.agencyName, x.attended],
          ]),
      );
      assert.deepEqual(byId.get('int-east-police-officer'), [
        'Greater Manchester Police (Bury district)',
        true,
      ]);
      assert.deepEqual(byId.get('int-east-social-worker'), ['Bury Council adult social care', true]);
      assert.deepEqual(byId.get('int-east-district-nurse'), ['Bury community health services', false]);
      assert.equal((await detail()).items.length > 0, true);
    });

    test('a discussion’s actions land in the person’s plan, as a new version, in one transaction', async () => {
      const { items } = await detail(coordinator);
      const item = itemOf(items, c.id);
      const discuss = (itemId: string, payload: Record<string, unknown>, by: Client = coordinator) =>
        by.inject({ method: 'POST', url: `${meetingUrl()}/agenda/items/${itemId}/discussion`, payload });
      const action = {
        description: 'Carers assessment for her daughter',
        ownerAgencyId: 'bury-council-adult-social-care',
        ownerPractitionerId: 'int-east-social-worker',
        dueOn: inDays(14),
        goalId: null,
      };
      const discussion = {
        summary: 'Frailty has worsened since spring.',
        decisions: 'Social work to assess.',
      };
      // An action whose owner is not of the owning agency: refused, and nothing is recorded.
      const wrong = await discuss(item.id, {
        ...discussion,
        actions: [{ ...action, ownerAgencyId: 'gmp-bury' }],
      });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.deepEqual(wrong.json().issue[0].expression, ['actions.0.ownerPractitionerId']);
      assert.equal(itemOf((await detail(coordinator)).items, c.id).discussed, false);

      const res = await discuss(item.id, { ...discussion, actions: [action] });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().discussed, true);
      assert.equal(res.json().decisions, 'Social work to assess.');
      assert.deepEqual(
        res.json().actions.map((x: { description: string; source: string }) => [x.description, x.source]),
        [['Carers assessment for her daughter', 'mdt']],
      );
      const kase = (await coordinator.get(`${base}/cases/${cases[c.id]}`)).json();
      assert.equal(kase.plan.version, 2);
      assert.ok(
        kase.plan.actions.some(
          (x: { description: string; source: string }) =>
            x.description === 'Carers assessment for her daughter' && x.source === 'mdt',
        ),
      );
      const versions = (await coordinator.get(`${base}/cases/${cases[c.id]}/versions`)).json().versions;
      assert.match(versions[0].change, /^MDT on .*: 1 action agreed$/);
      // The team has now seen the person's current bands: a later build would not raise them again.
      const seen = await db.kysely
        .selectFrom('care_case')
        .select('risk_seen')
        .where('id', '=', cases[c.id] ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(seen.risk_seen.efi, c.efi_band);
    });

    test('actions need an open case: for a person only referred, accept the referral first', async () => {
      const { items } = await detail(coordinator);
      const referred = itemOf(items, a.id);
      const url = `${meetingUrl()}/agenda/items/${referred.id}/discussion`;
      const action = {
        description: 'Home visit',
        ownerAgencyId: 'bury-community-health',
        ownerPractitionerId: 'int-east-district-nurse',
        dueOn: inDays(7),
        goalId: null,
      };
      const refused = await coordinator.inject({
        method: 'POST',
        url,
        payload: { summary: 'New referral.', decisions: 'Accept.', actions: [action] },
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(refused.json().issue[0].expression, ['actions']);
      assert.match(refused.json().issue[0].diagnostics, /accept the referral first/i);
      const noted = await coordinator.inject({
        method: 'POST',
        url,
        payload: { summary: 'New referral.', decisions: 'Accept at triage tomorrow.' },
      });
      assert.equal(noted.statusCode, 200, noted.body);
      // Someone the recorder has no relationship with cannot be discussed by them.
      const hiddenId = (await detail(police)).items.find((i) => i.person.id === f.id)?.id;
      assert.equal(hiddenId, undefined, 'the police officer has no relationship with F');
      const fItem = await db.kysely
        .selectFrom('mdt_item')
        .select('id')
        .where('meeting_id', '=', meeting)
        .where('person_id', '=', f.id)
        .executeTakeFirstOrThrow();
      const denied = await police.inject({
        method: 'POST',
        url: `${meetingUrl()}/agenda/items/${fItem.id}/discussion`,
        payload: { summary: 'x', decisions: 'y' },
      });
      assert.equal(denied.statusCode, 404);
    });

    test('minutes reach only those who attended, each seeing only the people they have a relationship with', async () => {
      const minutes = (by: Client) => by.get(`${meetingUrl()}/minutes`);
      const mine = await minutes(coordinator);
      assert.equal(mine.statusCode, 200, mine.body);
      const body = mine.json();
      assert.equal(body.draft, true);
      assert.equal(body.present.length, 4);
      assert.deepEqual(
        body.apologies.map((x: { practitioner: { id: string } }) => x.practitioner.id),
        ['int-east-district-nurse'],
      );
      assert.equal(itemOf(body.items, c.id).decisions, 'Social work to assess.');
      assert.equal(body.hiddenItems, 0);

      // The police officer attended, but the person has not consented to share with the police.
      const theirs = (await minutes(police)).json();
      assert.ok(!theirs.items.some((i: Item) => i.person.id === c.id));
      assert.ok(theirs.hiddenItems >= 1);
      assert.equal(theirs.items.length + theirs.hiddenItems, 7);

      assert.equal((await minutes(lead)).statusCode, 200);
      // Sent apologies: sees the meeting as a team member, but not the minutes, nor what was said in it.
      assert.equal((await minutes(nurse)).statusCode, 404);
      const nurseView = await detail(nurse);
      assert.ok(nurseView.items.length > 0);
      assert.ok(
        nurseView.items.every((i) => i.summary === '' && i.decisions === '' && i.actions.length === 0),
        'no summary, decisions or actions for someone who may not read the minutes',
      );
      assert.equal(itemOf((await detail(coordinator)).items, c.id).decisions, 'Social work to assess.');
      // Another team's lead: neither.
      assert.equal((await minutes(westLead)).statusCode, 404);
      assert.equal((await westLead.get(meetingUrl())).statusCode, 404);
    });

    test('once held, the agenda is closed and the minutes are final', async () => {
      const held = await lead.inject({ method: 'POST', url: `${meetingUrl()}/held` });
      assert.equal(held.statusCode, 200, held.body);
      assert.equal(held.json().status, 'held');
      assert.equal((await lead.inject({ method: 'POST', url: `${meetingUrl()}/held` })).statusCode, 422);
      const late = await coordinator.inject({
        method: 'POST',
        url: `${meetingUrl()}/agenda/items`,
        payload: { personId: g, reason: 'Too late' },
      });
      assert.equal(late.statusCode, 422);
      assert.equal((await lead.inject({ method: 'POST', url: `${meetingUrl()}/agenda` })).statusCode, 422);
      assert.equal((await coordinator.get(`${meetingUrl()}/minutes`)).json().draft, false);
    });

    test('a meeting or a discussion whose answer cannot be read is not saved either: one transaction', async () => {
      // A meeting's count of people reads the agenda's items: without their table, the read-back fails after
      // the insert.
      await withTableAway(db.kysely, 'mdt_item', async () => {
        const made = await lead.inject({
          method: 'POST',
          url: `${base}/teams/int-east/mdt-meetings`,
          payload: { startsAt: `${inDays(14)}T10:00:00Z`, location: 'Never answered' },
        });
        assert.equal(made.statusCode, 500, made.body);
      });
      const meetings = await db.kysely
        .selectFrom('mdt_meeting')
        .select('id')
        .where('location', '=', 'Never answered')
        .execute();
      assert.deepEqual(meetings, []);

      // The item's person is answered with their risk bands, which nothing before the update reads: without
      // one of them, the read-back fails after the update.
      const referred = itemOf((await detail(coordinator)).items, a.id);
      await sql`alter table person_risk rename column hfrs_band to hfrs_band_away`.execute(db.kysely);
      try {
        const discussed = await coordinator.inject({
          method: 'POST',
          url: `${meetingUrl()}/agenda/items/${referred.id}/discussion`,
          payload: { summary: 'Never answered', decisions: 'None' },
        });
        assert.equal(discussed.statusCode, 500, discussed.body);
      } finally {
        await sql`alter table person_risk rename column hfrs_band_away to hfrs_band`.execute(db.kysely);
      }
      const item = await db.kysely
        .selectFrom('mdt_item')
        .select('summary')
        .where('id', '=', referred.id)
        .executeTakeFirstOrThrow();
      assert.equal(item.summary, 'New referral.');
    });
  });
}
