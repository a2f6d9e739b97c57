/// <reference lib="dom" />
// The acceptance journey of active case management, in Chromium, as the demo East INT lead: a worklist
// decision ("add to caseload") refers a person to the East INT → the referral is accepted with a lead
// professional → a plan with three actions owned by three agencies → an MDT meeting whose agenda, built
// for the chair, has the person on it → the discussion's decision adds an action to their plan → an A&E
// attendance today (written into the database while the server is stopped, as a feed would) shows on
// the huddle board, and gets a quick outcome → a review → closing the case, refused while actions are
// open and no override reason is given, then closed with one. The minutes and the person's timeline are
// read on the way. axe (WCAG 2.2 AA) on every page visited.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { formatDate } from '../src/core/dates.ts';
import { createDb } from '../src/db/create-db.ts';
import { dateInEngland } from '../web/src/components/england-time.ts';
import {
  accessibilityViolations,
  focusedTextOnceSettled,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer, synthDataDir } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

const DAY_MS = 86_400_000;
const WORKLIST = 'East INT journey review';
const TEAM = 'East Integrated Neighbourhood Team';

/** A date as the three boxes of an NHS.UK date input. */
function boxes(date: string): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

async function fillDate(scope: Locator | Page, date: string): Promise<void> {
  const parts = boxes(date);
  await scope.getByLabel('Day', { exact: true }).fill(parts.day);
  await scope.getByLabel('Month', { exact: true }).fill(parts.month);
  await scope.getByLabel('Year', { exact: true }).fill(parts.year);
}

/** A button's name: its words, then (for screen readers) whom it is about, after a colon. */
const forPerson = (words: string, name: string) => new RegExp(`^${words}\\s*: ${name}$`);

/** The A&E attendance a hospital feed would bring: added to the stopped server's database. */
async function addEdAttendance(dataDir: string, personId: string, on: string): Promise<void> {
  const db = await createDb({ databaseUrl: null, dataDir });
  try {
    const last = await db.kysely
      .selectFrom('encounter')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('person_id', '=', personId)
      .executeTakeFirst();
    await db.kysely
      .insertInto('encounter')
      .values({
        person_id: personId,
        seq: Number(last?.seq ?? 0) + 1,
        place_id: 'bury',
        kind: 'ed',
        start_date: on,
        end_date: on,
        length_of_stay: null,
        primary_diagnosis: null,
        secondary_diagnoses: [],
        is_readmission: false,
        arrival_by_ambulance: true,
      })
      .execute();
  } finally {
    await db.close();
  }
}

describe('active case management: the journey', { timeout: 900_000 }, () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  let sessions: DemoSessions | undefined;
  let worklistId = '';

  before(async () => {
    const browserStarting = launchBrowser();
    dataDir = await synthDataDir({ people: 3000 });
    [server, browser] = await Promise.all([startServer({ dataDir }), browserStarting]);
    // The worklist is made through the API (the cohort and worklist pages have their own journey).
    sessions = new DemoSessions(server.url);
    const cohort = await sessions.api('int-lead', '/api/places/bury/cohorts', {
      method: 'POST',
      body: {
        name: 'East, aged 75 and over',
        rules: {
          kind: 'group',
          combinator: 'and',
          rules: [
            { kind: 'rule', field: 'neighbourhood', operator: 'in', value: ['east'] },
            { kind: 'rule', field: 'age', operator: '>=', value: 75 },
          ],
        },
      },
    });
    assert.equal(cohort.status, 201, await cohort.clone().text());
    const { cohort: made } = (await cohort.json()) as { cohort: { id: string } };
    const worklist = await sessions.api('int-lead', '/api/places/bury/worklists', {
      method: 'POST',
      body: { cohortId: made.id, name: WORKLIST, scope: 'neighbourhood', scopeCode: 'east' },
    });
    assert.equal(worklist.status, 201, await worklist.clone().text());
    worklistId = ((await worklist.json()) as { worklist: { id: string } }).worklist.id;
    watched = await openWatchedPage(browser);
    await sessions.signInto(watched.context, 'int-lead');
  });

  after(async () => {
    await watched?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const url = (path: string) => new URL(path, server?.url).href;

  /** The page whose one h1 (and title) is `text`, checked with axe. */
  async function arrive(page: Page, text: string, where = text): Promise<void> {
    await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
    assert.equal(await page.locator('h1').count(), 1, `one h1: ${where}`);
    assert.equal(await page.title(), text, `the h1 is the title: ${where}`);
    await expectAccessible(page, where);
  }

  async function expectAccessible(page: Page, where: string): Promise<void> {
    assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
  }

  const notice = (page: Page, text: string | RegExp) =>
    page.locator('.nhsuk-inset-text').filter({ hasText: text }).first().waitFor();

  test('worklist → referral → plan → MDT → huddle → review → close', async () => {
    assert.ok(watched && server && dataDir && sessions);
    const { page } = watched;
    const today = dateInEngland(new Date());
    const tomorrow = dateInEngland(new Date(Date.now() + DAY_MS));
    const inAMonth = dateInEngland(new Date(Date.now() + 30 * DAY_MS));

    // 1. A decision on the worklist: "Add to caseload" refers the person to the East INT.
    await page.goto(url(`/worklists/${worklistId}`));
    await arrive(page, WORKLIST, 'worklist');
    const link = page.getByRole('link', { name: /^Record a decision about / }).first();
    const name = ((await link.innerText()).match(/about (.+)$/)?.[1] ?? '').trim();
    assert.ok(name, 'someone to decide about');
    // Someone else on the worklist, whom the chair will put on the agenda by NHS number.
    const listed = await sessions.api(
      'int-lead',
      `/api/places/bury/worklists/${worklistId}/people?pageSize=20`,
    );
    const { people } = (await listed.json()) as { people: { name: string; nhsNumber: string | null }[] };
    const other = people.find((p) => p.name !== name && p.nhsNumber !== null);
    assert.ok(other?.nhsNumber, 'a second person with an NHS number');
    await link.click();
    await arrive(page, `Decision about ${name}`, 'decision form');
    await page.getByLabel('Add to caseload').check();
    await page.getByLabel('Reason').fill('Frail, lives alone, three falls this year');
    await fillDate(page, inAMonth);
    await page.getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, WORKLIST, 'worklist after the decision');
    await page.getByText(`Decision about ${name} saved: Add to caseload. Referred to the ${TEAM}.`).waitFor();

    // 2. Referrals: accept, with a lead professional and the first review tomorrow (so the MDT's agenda
    //    suggests them).
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Referrals' }).click();
    await arrive(page, 'Referrals', 'referrals awaiting triage');
    await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await arrive(page, `Triage the referral for ${name}`, 'triage');
    await page.getByLabel('Accept', { exact: true }).check();
    await page
      .getByLabel('Lead professional')
      .selectOption({ label: 'Care coordinator, Bury community health services' });
    await fillDate(page.getByRole('group', { name: 'First review (optional)' }), tomorrow);
    await expectAccessible(page, 'triage, accepting');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, `Case for ${name}`, 'the new case');
    await notice(page, `Referral accepted. The case for ${name} is open.`);
    const caseUrl = page.url();
    const recordHref = await page.locator('main a[href^="/people/"]').first().getAttribute('href');
    const personId = recordHref?.split('/')[2] ?? '';
    assert.match(personId, /^[0-9a-f-]{36}$/, 'the person’s id from the link to their record');

    // 3. The plan: three actions, each owned by a different agency.
    await page.getByRole('link', { name: 'Change the plan' }).click();
    await arrive(page, `Care and support plan for ${name}`, 'plan form');
    await page.getByLabel('What matters to me').fill('Staying in my own home and seeing my grandchildren');
    const actions = [
      ['Check medicines at home', 'Bury community health services', 'District nurse, East INT'],
      ['Assess for a package of care', 'Bury Council adult social care', 'Social worker, East INT'],
      ['Fit grab rails in the bathroom', 'Bury Council housing services', 'Housing officer, East INT'],
    ] as const;
    for (const [i, [description, agency, who]] of actions.entries()) {
      await page
        .getByRole('button', { name: i === 0 ? 'Add an action' : /^Add (an|another) action$/ })
        .click();
      const action = page.getByRole('group', { name: new RegExp(`^Action ${i + 1}\\b`) });
      await action.getByLabel('What will be done').fill(description);
      await action.getByLabel('Agency', { exact: true }).selectOption({ label: agency });
      await action.getByLabel('Who will do it').selectOption({ label: who });
      await fillDate(action, inAMonth);
    }
    await expectAccessible(page, 'plan form with three actions');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await arrive(page, `Case for ${name}`, 'case with its plan');
    await notice(page, /The plan has been saved/);
    const planTable = page.getByRole('table', { name: /^3 actions: 3 open/ });
    for (const [description, agency] of actions) {
      await planTable.getByText(description, { exact: true }).waitFor();
      await planTable.getByText(agency).first().waitFor();
    }

    // 4. An MDT meeting tomorrow at 10:00: schedule it, build its agenda, and the person is on it.
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'MDT meetings' }).click();
    await arrive(page, 'MDT meetings', 'MDT meetings');
    await fillDate(page.getByRole('group', { name: 'Date' }), tomorrow);
    await page.getByLabel('Time').fill('10:00');
    await page.getByLabel('Where').fill('Townside Primary Care Centre, room 2');
    await page.getByRole('button', { name: 'Schedule meeting' }).click();
    const startsAt = `${formatDate(tomorrow)} at 10:00`;
    const meetingName = `MDT meeting on ${startsAt}`;
    await arrive(page, meetingName, 'a new meeting');
    await notice(page, `${meetingName} scheduled.`);
    await page.getByRole('button', { name: 'Build the agenda' }).click();
    await notice(page, /Agenda built: \d+ (person|people) added\./);
    const agenda = page.locator('ol.app-agenda > li').filter({ hasText: name });
    await agenda.getByText('Review due', { exact: true }).waitFor();
    await agenda.getByText(`Review due on ${formatDate(tomorrow)}`).waitFor();
    await expectAccessible(page, 'meeting with its agenda');

    // The chair adds someone by NHS number, moves them up (by keyboard), then takes them off again.
    await page.getByLabel('NHS number').fill(other.nhsNumber);
    await page.getByLabel('Why they should be discussed').fill('Carer asked for help at the surgery');
    await page.getByRole('button', { name: 'Nominate' }).click();
    await notice(page, 'Added to the agenda.');
    const added = page.locator('ol.app-agenda > li').filter({ hasText: other.name });
    await added.getByText('Added by the chair', { exact: true }).waitFor();
    await added.getByRole('button', { name: forPerson('Move up', other.name) }).focus();
    await page.keyboard.press('Enter');
    await notice(page, `${other.name} moved up: now number 1 on the agenda.`);
    assert.match(await page.locator('ol.app-agenda > li').first().innerText(), new RegExp(other.name));
    assert.equal(
      await focusedTextOnceSettled(page, `1. ${other.name}`),
      `1. ${other.name}`,
      'focus follows the moved person',
    );
    await expectAccessible(page, 'agenda reordered');
    await added.getByRole('button', { name: forPerson('Take off the agenda', other.name) }).click();
    await notice(page, `${other.name} taken off the agenda.`);
    await page.getByRole('button', { name: forPerson('Put back on the agenda', other.name) }).waitFor();
    assert.equal(await page.locator('ol.app-agenda > li').count(), 1, 'one person left on the agenda');

    // 5. The discussion: a decision that creates an action for a fourth agency, in the person's plan.
    await agenda.getByRole('link', { name: `Record the discussion of ${name}` }).click();
    await arrive(page, `Discussion of ${name}`, 'discussion form');
    await page.getByLabel('Summary of the discussion').fill('Two falls since the referral; lonely at home.');
    await page.getByLabel('Decisions').fill('Link with the befriending group; GP to review medicines.');
    await page.getByRole('button', { name: 'Add an action' }).click();
    const mdtAction = page.getByRole('group', { name: /^Action 1\b/ });
    await mdtAction.getByLabel('What will be done').fill('Introduce to the befriending group');
    await mdtAction
      .getByLabel('Agency', { exact: true })
      .selectOption({ label: 'Voluntary sector link-worker service (sample)' });
    await mdtAction.getByLabel('Who will do it').selectOption({ label: 'VCSE link worker, East INT' });
    await fillDate(mdtAction, inAMonth);
    await expectAccessible(page, 'discussion form with an action');
    await page.getByRole('button', { name: 'Save the discussion' }).click();
    await arrive(page, meetingName, 'meeting after the discussion');
    await notice(page, `Discussion of ${name} saved. 1 action added to their plan.`);
    await agenda.getByText('Discussed', { exact: true }).waitFor();
    await agenda.getByText('Introduce to the befriending group', { exact: true }).waitFor();

    // Attendance by agency, then the meeting is held and its minutes read.
    await page.getByLabel('INT lead', { exact: true }).check();
    await page.getByLabel('Care coordinator', { exact: true }).check();
    await page.getByLabel('Social worker', { exact: true }).check();
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await notice(page, /Attendance saved: 3 present, \d+ sent apologies\./);
    await page.getByRole('button', { name: 'Mark as held' }).click();
    await notice(page, 'The meeting is marked as held.');
    await expectAccessible(page, 'meeting, held');
    await page.getByRole('link', { name: 'Read the minutes' }).click();
    await arrive(page, `Minutes of the MDT meeting on ${startsAt}`, 'minutes');
    const minutes = await page.locator('main').innerText();
    for (const text of [
      'Bury community health services',
      'Bury Council adult social care',
      name,
      'Link with the befriending group; GP to review medicines.',
      'Introduce to the befriending group',
    ])
      assert.ok(minutes.includes(text), `the minutes say "${text}"`);

    // The action agreed at the MDT is in the person's plan, beside the three.
    await page.goto(caseUrl);
    await arrive(page, `Case for ${name}`, 'case with the MDT action');
    await page
      .getByRole('table', { name: /^4 actions: 4 open/ })
      .getByText('Introduce to the befriending group', { exact: true })
      .waitFor();

    // 6. An A&E attendance today reaches the database (the server stopped while it is written).
    await server.stop();
    await addEdAttendance(dataDir, personId, today);
    server = await startServer({ dataDir });
    await page.goto(url('/huddle'));
    await arrive(page, 'Huddle', 'huddle board before it starts');
    await page.getByRole('button', { name: 'Start today’s huddle' }).click();
    await page.getByText(/^Today’s huddle was started at/).waitFor();
    const unplanned = page.locator('section').filter({
      has: page.getByRole('heading', { name: /^Unplanned care since the last huddle/ }),
    });
    const item = unplanned.locator('li').filter({ hasText: name });
    await item.getByText(`A&E attendance on ${formatDate(today)}`).waitFor();
    await expectAccessible(page, 'huddle board, started');
    await item.getByRole('button', { name: `Contact today for ${name}, unplanned care` }).focus();
    await page.keyboard.press('Enter');
    await item.getByText('Recorded: Contact today.').waitFor();
    assert.equal(
      await item
        .getByRole('button', { name: `Contact today for ${name}, unplanned care` })
        .getAttribute('aria-pressed'),
      'true',
    );
    await item.getByText('Outcome: Contact today').waitFor();
    await expectAccessible(page, 'huddle board with an outcome');

    // 7. A review of the case.
    await page.goto(new URL(new URL(caseUrl).pathname, server.url).href);
    await arrive(page, `Case for ${name}`, 'case before the review');
    await page.getByRole('link', { name: 'Record a review' }).click();
    await arrive(page, `Record a review for ${name}`, 'review form');
    await page
      .getByLabel('What was reviewed and decided')
      .fill('Seen at home after the A&E visit. Befriending started; grab rails fitted.');
    await page.getByRole('button', { name: 'Save review' }).click();
    await arrive(page, `Case for ${name}`, 'case after the review');
    await notice(page, 'The review has been recorded.');
    await page.getByText(`Review on ${formatDate(today)}`).waitFor();

    // 8. Closing: refused while actions are open and no override reason is given, then closed.
    await page.getByRole('link', { name: 'Close the case' }).click();
    await arrive(page, `Close the case for ${name}`, 'close form');
    await page.getByLabel('Goals met').check();
    await page
      .getByLabel('Outcome', { exact: true })
      .fill('Settled at home with support from the befriending group.');
    await page.getByRole('button', { name: 'Close the case' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /override reason/i, 'the error names the override reason');
    await expectAccessible(page, 'close form with the error');
    await page
      .getByLabel('Why close with actions still open (override reason)')
      .fill('The befriending group and the district nurse carry on; no need for the INT.');
    await page.getByRole('button', { name: 'Close the case' }).click();
    await arrive(page, `Case for ${name}`, 'the closed case');
    await notice(page, `The case for ${name} is closed.`);
    await page.getByText('Closed', { exact: true }).first().waitFor();

    // 9. The person's timeline: the A&E visit, the MDT's decision and the closing, newest first.
    await page.goto(url(`/people/${personId}`));
    await arrive(page, name, 'person page');
    await page.getByRole('link', { name: 'See their timeline' }).click();
    await arrive(page, `Timeline for ${name}`, 'timeline');
    const timeline = await page.locator('main').innerText();
    for (const text of ['A&E attendance', 'Discussed at the East INT MDT meeting', 'Referral'])
      assert.ok(timeline.includes(text), `the timeline has "${text}"`);

    assert.deepEqual(
      watched.problems.filter((p) => !/status of (400|409|422)/.test(p)),
      [],
      'problems in the pages',
    );
  });
});
