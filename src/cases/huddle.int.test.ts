import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { formatDate, todayInEngland } from '../core/dates.ts';
import type { Db } from '../db/create-db.ts';
import { dbTargets } from '../db/test-db.ts';
import type { App } from '../server/app-types.ts';
import { type Client, inDays, openTestApp, staffClient } from '../server/test-app.ts';
import { runSynth } from '../synth/run-synth.ts';

interface BoardItem {
  item: string;
  person: { id: string };
  caseId: string | null;
  referralId: string | null;
  detail: string;
  outcome: string | null;
}

for (const target of dbTargets()) {
  describe(`huddles and the person timeline on ${target.name}`, () => {
    let db: Db;
    let app: App;
    let coordinator: Client;
    let west: Client;
    let vcse: Client;
    /** Ann has a case, an A&E attendance today and an overdue action; Bob is referred; Cal is neither. */
    let ann: string;
    let bob: string;
    let cal: string;
    let annCase: string;
    let bobReferral: string;
    const base = '/api/places/bury';
    const team = `${base}/teams/int-east`;

    const ok = (res: LightMyRequestResponse, status = 200) => {
      assert.equal(res.statusCode, status, res.body);
      return res.json();
    };
    const refer = async (by: Client, nhsNumber: string, reason: string) =>
      ok(
        await by.inject({
          method: 'POST',
          url: `${base}/referrals`,
          payload: { teamId: 'int-east', nhsNumber, source: 'practitioner', reason },
        }),
        201,
      ).id as string;
    const board = async (by: Client = coordinator) => ok(await by.get(`${team}/huddle`));
    const itemsOf = (b: { items: BoardItem[] }, personId: string) =>
      b.items.filter((i) => i.person.id === personId);
    const record = (huddleId: string, payload: Record<string, unknown>, by: Client = coordinator) =>
      by.inject({ method: 'POST', url: `${base}/huddles/${huddleId}/outcomes`, payload });

    before(async () => {
      db = await target.open();
      await runSynth(db, {
        place: 'bury',
        placePacksDir: 'place-packs',
        referenceDir: 'reference',
        people: 2000,
        seed: 23,
      });
      app = await openTestApp(db);
      coordinator = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-east',
        agencyId: 'bury-community-health',
        practitionerId: 'int-east-care-coordinator',
      });
      west = await staffClient(app, db, {
        role: 'int-practitioner',
        teamId: 'int-west',
        agencyId: 'bury-community-health',
      });
      vcse = await staffClient(app, db, {
        role: 'vcse-worker',
        teamId: 'int-east',
        agencyId: 'vcse-link-workers',
      });

      const people = await db.kysely
        .selectFrom('person as p')
        .innerJoin('person_risk as r', 'r.person_id', 'p.id')
        .select(['p.id', 'p.nhs_number'])
        .where('r.neighbourhood_code', '=', 'east')
        .where('p.nhs_number', 'is not', null)
        .where('p.date_of_death', 'is', null)
        .orderBy('p.id')
        .limit(3)
        .execute();
      assert.equal(people.length, 3);
      [ann, bob, cal] = people.map((p) => p.id) as [string, string, string];
      const nhs = people.map((p) => p.nhs_number ?? '');

      const annReferral = await refer(coordinator, nhs[0] ?? '', 'Two falls this month');
      annCase = ok(
        await coordinator.inject({
          method: 'POST',
          url: `${base}/referrals/${annReferral}/triage`,
          payload: { decision: 'accept', leadPractitionerId: 'int-east-care-coordinator' },
        }),
      ).caseId;
      ok(
        await coordinator.inject({
          method: 'PUT',
          url: `${base}/cases/${annCase}/plan`,
          payload: {
            version: 1,
            whatMatters: 'Staying in my own home',
            strengths: 'Close to her daughter',
            risks: 'Falls',
            goals: [{ id: 'g1', text: 'To walk to the shop again' }],
            actions: [
              {
                description: 'Falls assessment at home',
                ownerAgencyId: 'bury-community-health',
                ownerPractitionerId: 'int-east-care-coordinator',
                dueOn: inDays(-3),
                goalId: 'g1',
              },
              {
                description: 'Check the stair rail',
                ownerAgencyId: 'bury-community-health',
                ownerPractitionerId: 'int-east-care-coordinator',
                dueOn: inDays(10),
                goalId: null,
              },
            ],
          },
        }),
      );
      // Ann went to A&E today, and once long before the window the board looks back over.
      const seq = 100_000;
      for (const [i, date] of [todayInEngland(), inDays(-30)].entries())
        await db.kysely
          .insertInto('encounter')
          .values({
            person_id: ann,
            seq: seq + i,
            place_id: 'bury',
            kind: 'ed',
            start_date: date,
            end_date: date,
            length_of_stay: null,
            primary_diagnosis: null,
            secondary_diagnoses: [],
            is_readmission: false,
            arrival_by_ambulance: true,
          })
          .execute();
      bobReferral = await refer(coordinator, nhs[1] ?? '', 'Lonely since his wife died');
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test('the board lists unplanned care, then overdue actions, then new referrals, before the huddle starts', async () => {
      const b = await board();
      assert.equal(b.huddle, null);
      assert.equal(b.teamId, 'int-east');
      assert.equal(b.today, todayInEngland());
      const weekAgo = Date.now() - 7 * 86_400_000;
      assert.ok(Math.abs(new Date(b.since).getTime() - weekAgo) < 60_000);
      assert.deepEqual(
        b.items.map((i: BoardItem) => [i.item, i.person.id]),
        [
          ['unplanned-care', ann],
          ['overdue-action', ann],
          ['new-referral', bob],
        ],
      );
      const [unplanned, overdue, referral] = b.items as BoardItem[];
      assert.equal(unplanned?.detail, `A&E attendance on ${formatDate(todayInEngland())}`);
      assert.equal(unplanned?.caseId, annCase);
      assert.equal(
        overdue?.detail,
        `"Falls assessment at home" (Care coordinator, East INT) was due on ${formatDate(inDays(-3))}`,
      );
      assert.equal(referral?.referralId, bobReferral);
      assert.equal(referral?.caseId, null);
      assert.match(
        referral?.detail ?? '',
        /^Referral from Test int-practitioner, .*: Lonely since his wife died$/,
      );
      assert.ok(b.items.every((i: BoardItem) => i.outcome === null));
    });

    test('the board is the team’s own: another team gets 404; staff see only what they may', async () => {
      assert.equal((await west.get(`${team}/huddle`)).statusCode, 404);
      assert.equal((await west.inject({ method: 'POST', url: `${team}/huddles` })).statusCode, 404);
      const westBoard = ok(await west.get(`${base}/teams/int-west/huddle`));
      assert.equal(westBoard.items.length, 0);
      // A VCSE link worker in the team sees no case without consent naming their agency, and no referrals.
      const theirs = await board(vcse);
      assert.equal(theirs.items.length, 0);
    });

    test('starting a huddle makes one a day; the board then carries it', async () => {
      const started = await coordinator.inject({ method: 'POST', url: `${team}/huddles` });
      const first = ok(started, 201);
      assert.ok(first.huddle);
      assert.equal(first.huddle.startedBy, 'Test int-practitioner');
      assert.equal(first.items.length, 3);
      const again = ok(await coordinator.inject({ method: 'POST', url: `${team}/huddles` }), 200);
      assert.equal(again.huddle.id, first.huddle.id);
      const b = await board();
      assert.equal(b.huddle.id, first.huddle.id);
      assert.equal(b.since, first.huddle.since);
      const count = await db.kysely
        .selectFrom('huddle')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('team_id', '=', 'int-east')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    test('several people starting the huddle at once make one huddle', async () => {
      const north = await Promise.all(
        [1, 2, 3].map(() => staffClient(app, db, { role: 'int-practitioner', teamId: 'int-north' })),
      );
      const starts = await Promise.all(
        [...north, ...north].map((c) => c.inject({ method: 'POST', url: `${base}/teams/int-north/huddles` })),
      );
      assert.deepEqual(starts.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 200, 201]);
      assert.equal(new Set(starts.map((r) => r.json().huddle.id)).size, 1);
    });

    test('an outcome is one click, and recording again changes it', async () => {
      const { huddle } = await board();
      const noted = ok(await record(huddle.id, { personId: ann, item: 'unplanned-care', outcome: 'noted' }));
      assert.equal(noted.outcome, 'noted');
      assert.equal(noted.addedToMeeting, null);
      assert.equal(noted.message, 'Recorded: Noted.');
      ok(await record(huddle.id, { personId: ann, item: 'unplanned-care', outcome: 'contact-today' }));
      const b = await board();
      assert.deepEqual(
        itemsOf(b, ann).map((i) => [i.item, i.outcome]),
        [
          ['unplanned-care', 'contact-today'],
          ['overdue-action', null],
        ],
      );
      const rows = await db.kysely
        .selectFrom('huddle_outcome')
        .select(['outcome', 'recorded_by'])
        .where('huddle_id', '=', huddle.id)
        .where('person_id', '=', ann)
        .execute();
      assert.deepEqual(rows, [{ outcome: 'contact-today', recorded_by: 'Test int-practitioner' }]);
    });

    test('only people on the board, for their own items, at the team’s own huddle; refusals are audited', async () => {
      const { huddle } = await board();
      const notOnBoard = await record(huddle.id, { personId: cal, item: 'unplanned-care', outcome: 'noted' });
      assert.equal(notOnBoard.statusCode, 404);
      assert.deepEqual(notOnBoard.json().issue[0].expression, ['personId']);
      const wrongItem = await record(huddle.id, { personId: bob, item: 'overdue-action', outcome: 'noted' });
      assert.equal(wrongItem.statusCode, 404);
      const otherTeam = await record(
        huddle.id,
        { personId: ann, item: 'unplanned-care', outcome: 'noted' },
        west,
      );
      assert.equal(otherTeam.statusCode, 404);
      const unknown = await record(randomUUID(), { personId: ann, item: 'unplanned-care', outcome: 'noted' });
      assert.equal(unknown.statusCode, 404);
      const invalid = await record(huddle.id, { personId: ann, item: 'unplanned-care', outcome: 'ignored' });
      assert.equal(invalid.statusCode, 400);
      const events = await db.kysely
        .selectFrom('audit_event')
        .select(['request_id', 'action', 'outcome', 'person_ids'])
        .where(
          'request_id',
          'in',
          [notOnBoard, otherTeam].map((r) => String(r.headers['x-request-id'])),
        )
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.action, e.outcome, e.person_ids]),
        [
          ['write', 'denied', [cal]],
          ['write', 'denied', [ann]],
        ],
      );
      const boardRead = await coordinator.get(`${team}/huddle`);
      const [read] = await db.kysely
        .selectFrom('audit_event')
        .select(['action', 'outcome', 'person_ids'])
        .where('request_id', '=', String(boardRead.headers['x-request-id']))
        .execute();
      assert.equal(read?.action, 'search');
      assert.deepEqual([...(read?.person_ids ?? [])].sort(), [ann, bob].sort());
    });

    test('"discuss at MDT" puts the person on the next scheduled meeting’s agenda, once', async () => {
      const { huddle } = await board();
      const none = ok(
        await record(huddle.id, { personId: ann, item: 'overdue-action', outcome: 'discuss-at-mdt' }),
      );
      assert.equal(none.addedToMeeting, null);
      assert.match(none.message, /no MDT meeting scheduled/);

      const meeting = (
        startsInDays: number,
        status: 'scheduled' | 'held' | 'cancelled',
        teamId = 'int-east',
      ) => {
        const id = randomUUID();
        return db.kysely
          .insertInto('mdt_meeting')
          .values({
            id,
            place_id: 'bury',
            team_id: teamId,
            starts_at: new Date(Date.now() + startsInDays * 86_400_000),
            location: 'Radcliffe Primary Care Centre',
            status,
            agenda_built_at: null,
            created_by: 'Test',
          })
          .execute()
          .then(() => id);
      };
      await meeting(-1, 'scheduled');
      await meeting(2, 'cancelled');
      await meeting(3, 'scheduled', 'int-west');
      const next = await meeting(5, 'scheduled');
      await meeting(12, 'scheduled');
      // Someone is on that agenda already, at position 4.
      await db.kysely
        .insertInto('mdt_item')
        .values({
          id: randomUUID(),
          meeting_id: next,
          place_id: 'bury',
          person_id: cal,
          case_id: null,
          referral_id: null,
          reason: 'added-by-chair',
          reason_detail: 'Added by the chair',
          position: 4,
          added_by: 'Test',
        })
        .execute();

      const added = ok(
        await record(huddle.id, { personId: bob, item: 'new-referral', outcome: 'discuss-at-mdt' }),
      );
      assert.equal(added.addedToMeeting?.meetingId, next);
      assert.equal(added.addedToMeeting?.isNew, true);
      assert.match(added.message, /added to the agenda of the MDT meeting on /);
      const again = ok(
        await record(huddle.id, { personId: bob, item: 'new-referral', outcome: 'discuss-at-mdt' }),
      );
      assert.equal(again.addedToMeeting?.isNew, false);
      assert.match(again.message, /already on the agenda/);
      const items = await db.kysely
        .selectFrom('mdt_item')
        .select(['meeting_id', 'reason', 'reason_detail', 'position', 'referral_id', 'case_id', 'added_by'])
        .where('person_id', '=', bob)
        .execute();
      assert.deepEqual(items, [
        {
          meeting_id: next,
          reason: 'nominated',
          reason_detail: `From the huddle on ${formatDate(todayInEngland())}: ${itemsOf(await board(), bob)[0]?.detail}`,
          position: 5,
          referral_id: bobReferral,
          case_id: null,
          added_by: 'Test int-practitioner',
        },
      ]);
      const annAdded = ok(
        await record(huddle.id, { personId: ann, item: 'unplanned-care', outcome: 'discuss-at-mdt' }),
      );
      assert.equal(annAdded.addedToMeeting?.meetingId, next);
      const annItem = await db.kysely
        .selectFrom('mdt_item')
        .select(['position', 'case_id'])
        .where('person_id', '=', ann)
        .executeTakeFirstOrThrow();
      assert.deepEqual(annItem, { position: 6, case_id: annCase });
    });

    test('the timeline shows hospital care, the referral, plan versions and contacts, newest first', async () => {
      const contactAt = new Date(Date.now() - 60 * 60_000).toISOString();
      ok(
        await coordinator.inject({
          method: 'POST',
          url: `${base}/cases/${annCase}/contacts`,
          payload: { contactAt, mode: 'phone', note: 'Spoke to her daughter about the falls' },
        }),
        201,
      );
      const res = await coordinator.get(`${base}/people/${ann}/timeline`);
      const { person, events } = ok(res);
      assert.equal(person.id, ann);
      type Event = { at: string; kind: string; title: string; detail: string; by: string | null };
      const of = (kind: string) => (events as Event[]).filter((e) => e.kind === kind);
      assert.deepEqual(
        of('ed-attendance')
          .filter((e) => e.at >= inDays(-30))
          .map((e) => [e.at, e.detail]),
        [
          [todayInEngland(), 'Arrived by ambulance.'],
          [inDays(-30), 'Arrived by ambulance.'],
        ],
      );
      assert.deepEqual(
        of('referral').map((e) => e.title),
        ['Referral accepted by East INT', 'Referral to East INT'],
      );
      assert.equal(of('referral')[1]?.detail, 'Two falls this month');
      assert.deepEqual(
        of('plan').map((e) => e.title),
        ['Plan updated, East INT', 'Plan started, East INT'],
      );
      assert.match(
        of('plan')[0]?.detail ?? '',
        /^Plan saved: 1 goals; 2 actions added, 0 changed \(version 2\)$/,
      );
      assert.equal(of('plan')[0]?.by, 'Test int-practitioner');
      assert.equal(of('case')[0]?.title, 'Case opened, East INT');
      assert.deepEqual(of('contact'), [
        {
          at: contactAt,
          kind: 'contact',
          title: 'Phone call, East INT',
          detail: 'Spoke to her daughter about the falls',
          by: 'Test int-practitioner',
        },
      ]);
      assert.ok(events.length <= 300);
      // Timed events are in order, newest first; the contact an hour ago comes before this morning's plan.
      const timed = (events as Event[]).filter((e) => e.at.length > 10).map((e) => e.at);
      assert.deepEqual(timed, [...timed].sort().reverse());
      const [read] = await db.kysely
        .selectFrom('audit_event')
        .select(['action', 'outcome', 'person_ids'])
        .where('request_id', '=', String(res.headers['x-request-id']))
        .execute();
      assert.deepEqual(read, { action: 'read', outcome: 'allowed', person_ids: [ann] });
    });

    test('the timeline is refused (404) to staff with no relationship with the person', async () => {
      assert.equal((await west.get(`${base}/people/${ann}/timeline`)).statusCode, 404);
      // Without consent naming their agency, a VCSE worker in the team has no relationship either.
      assert.equal((await vcse.get(`${base}/people/${ann}/timeline`)).statusCode, 404);
      // Cal has no case, but is on the team's MDT agenda: a relationship for its health and social care staff.
      assert.equal((await coordinator.get(`${base}/people/${cal}/timeline`)).statusCode, 200);
      assert.equal((await vcse.get(`${base}/people/${cal}/timeline`)).statusCode, 404);
      assert.equal((await coordinator.get(`${base}/people/${randomUUID()}/timeline`)).statusCode, 404);
      // A referral awaiting triage is a relationship for the team's health and social care staff.
      const bobs = ok(await coordinator.get(`${base}/people/${bob}/timeline`));
      assert.deepEqual(
        bobs.events
          .filter((e: { kind: string }) => e.kind === 'referral')
          .map((e: { title: string }) => e.title),
        ['Referral to East INT'],
      );
    });
  });
}
