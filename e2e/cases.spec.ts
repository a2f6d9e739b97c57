/// <reference lib="dom" />
// Active case management in Chromium, as the demo East INT lead and the East care coordinator: refer an
// East resident by NHS number (a mistake first), triage the referral and accept it with a lead
// professional, see the case on the caseload, save a plan with three actions owned by three agencies
// (community health, adult social care and the voluntary sector; a missing owner first, then a save
// from a stale version refused without losing what was typed), mark one action done, see "My work" as
// the care coordinator (the overdue action first) and change its status there, record a review, add key
// workers, a contact and consent to share with the voluntary sector, try to close the case with actions
// still open (refused, naming the override reason), close it with one, and read its history. axe on
// every page and state visited.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatNhsNumber } from '../src/core/nhs-number.ts';
import { createDb } from '../src/db/create-db.ts';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer, synthDataDir } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

async function expectAccessible(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

/** Waits for the page whose one h1 is `text` (navigation within the app is not a page load). */
async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: typeof text === 'string' }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
}

/** A day some days from today (UTC), as 'YYYY-MM-DD' and as the three boxes of an NHS.UK date input. */
function day(offsetDays: number) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return {
    iso: d.toISOString().slice(0, 10),
    day: String(d.getUTCDate()),
    month: String(d.getUTCMonth() + 1),
    year: String(d.getUTCFullYear()),
  };
}

async function fillDate(scope: ReturnType<Page['locator']> | Page, date: ReturnType<typeof day>) {
  await scope.getByLabel('Day', { exact: true }).fill(date.day);
  await scope.getByLabel('Month', { exact: true }).fill(date.month);
  await scope.getByLabel('Year', { exact: true }).fill(date.year);
}

/** An East resident with an NHS number, read from the data before the server starts. */
async function anEastResident(dataDir: string): Promise<{ nhsNumber: string }> {
  const db = await createDb({ databaseUrl: null, dataDir });
  try {
    const row = await db.kysely
      .selectFrom('person_risk as r')
      .innerJoin('person as p', 'p.id', 'r.person_id')
      .select(['p.nhs_number'])
      .where('r.place_id', '=', 'bury')
      .where('r.neighbourhood_code', '=', 'east')
      .where('p.nhs_number', 'is not', null)
      .where('p.date_of_death', 'is', null)
      .orderBy('r.person_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    return { nhsNumber: String(row.nhs_number) };
  } finally {
    await db.close();
  }
}

/** Drops the browser's log lines for API answers the test provoked on purpose. */
function expectRefusals(watched: WatchedPage, ...statuses: number[]) {
  const kept = watched.problems.filter((p) => !statuses.some((s) => p.includes(`status of ${s}`)));
  watched.problems.splice(0, watched.problems.length, ...kept);
}

const ACTIONS = [
  {
    description: 'Falls review at home and a referral for a walking frame',
    agency: 'Bury community health services',
    owner: 'Care coordinator, East INT',
    due: day(-5),
  },
  {
    description: 'Care Act assessment of needs at home',
    agency: 'Bury Council adult social care',
    owner: 'Social worker, East INT',
    due: day(21),
  },
  {
    description: 'Introduce to the Tuesday walking group at the community centre',
    agency: 'Voluntary sector link-worker service (sample)',
    owner: 'VCSE link worker, East INT',
    due: day(35),
  },
];

describe('case management', { timeout: 600_000 }, () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sessions: DemoSessions | undefined;
  let lead: WatchedPage | undefined;
  let coordinator: WatchedPage | undefined;
  let resident: { nhsNumber: string };

  before(async () => {
    const browserStarting = launchBrowser();
    dataDir = await synthDataDir({ people: 2000 });
    resident = await anEastResident(dataDir);
    [server, browser] = await Promise.all([startServer({ dataDir }), browserStarting]);
    sessions = new DemoSessions(server.url);
    lead = await openWatchedPage(browser);
    await sessions.signInto(lead.context, 'int-lead');
    coordinator = await openWatchedPage(browser);
    await sessions.signInto(coordinator.context, 'int-practitioner');
  });

  after(async () => {
    await lead?.close();
    await coordinator?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const url = (path: string) => new URL(path, server?.url).href;

  test('refer, triage, plan with three agencies, my work, review, close', async () => {
    assert.ok(lead && coordinator && sessions);
    const { page } = lead;
    const nhs = resident.nhsNumber;
    const nhsShown = formatNhsNumber(nhs);

    // 1. Refer by NHS number. A mistake first: no reason. The team is the lead's own, chosen already.
    await page.goto(url('/refer'));
    await expectHeading(page, 'Refer a person');
    assert.equal(await page.getByLabel('Integrated Neighbourhood Team').inputValue(), 'int-east');
    await expectAccessible(page, 'refer a person');
    await page.getByLabel('NHS number').fill(nhs);
    await page.getByLabel('Me, as a professional').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Reason for the referral: must not be empty/);
    await expectAccessible(page, 'refer a person, with an error');
    await summary.getByRole('link', { name: /Reason/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reason');
    await page.getByLabel('Reason for the referral').fill('Two falls at home this month; lives alone.');
    await page.getByLabel('Urgent').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await expectHeading(page, 'Referral sent');
    await expectAccessible(page, 'referral sent');

    // 2. The referral awaits triage, urgent; triage it: accept with the care coordinator as lead.
    await page.getByRole('link', { name: 'See your team’s referrals' }).click();
    await expectHeading(page, 'Referrals');
    const row = page.getByRole('row').filter({ hasText: nhsShown });
    await row.getByText('Urgent', { exact: true }).waitFor();
    await expectAccessible(page, 'referrals awaiting triage');
    // The link's words are the person's name, then (for screen readers only) what it does.
    const person = ((await row.getByRole('link').innerText()).split(/\n|:/)[0] ?? '').trim();
    await row.getByRole('link').click();
    await expectHeading(page, `Triage the referral for ${person}`);
    await page.getByText('Two falls at home this month; lives alone.').waitFor();
    await expectAccessible(page, 'triage page');
    await page.getByLabel('Accept').check();
    await page
      .getByLabel('Lead professional')
      .selectOption({ label: 'Care coordinator, Bury community health services' });
    await fillDate(page.getByRole('group', { name: 'First review (optional)' }), day(90));
    await expectAccessible(page, 'triage page, accepting');
    await page.getByRole('button', { name: 'Save decision' }).click();
    const caseTitle = `Case for ${person}`;
    await expectHeading(page, caseTitle);
    await page.getByText(`Referral accepted. The case for ${person} is open.`).waitFor();
    const caseUrl = page.url();
    const caseId = caseUrl.match(/\/cases\/([0-9a-f-]{36})$/)?.[1] ?? '';
    assert.ok(caseId, `a case address (${caseUrl})`);
    await page.getByText('Care coordinator, East INT').first().waitFor();
    await expectAccessible(page, 'new case');

    // 3. The plan: what matters, a goal, three actions for three agencies. The third has no owner at first.
    await page.getByRole('link', { name: 'Change the plan' }).click();
    await expectHeading(page, `Care and support plan for ${person}`);
    await expectAccessible(page, 'empty plan');
    await page.getByLabel('What matters to me').fill('Staying in my own home and seeing my friends.');
    await page.getByLabel('Strengths').fill('Daughter visits every Sunday.');
    await page.getByLabel('Risks').fill('Falls; stairs at home.');
    await page.getByRole('button', { name: 'Add a goal' }).click();
    await page.getByLabel('Goal 1', { exact: true }).fill('I want to walk to the shops again.');
    for (const [i, a] of ACTIONS.entries()) {
      await page.getByRole('button', { name: 'Add an action' }).click();
      const action = page.getByRole('group', { name: `Action ${i + 1} (new)` });
      await action.getByLabel('What will be done').fill(a.description);
      await action.getByLabel('The goal it helps with').selectOption({ index: 1 });
      await action.getByLabel('Agency').selectOption({ label: a.agency });
      if (i < 2) await action.getByLabel('Who will do it').selectOption({ label: a.owner });
      await fillDate(action.getByRole('group', { name: 'Due date' }), a.due);
    }
    await expectAccessible(page, 'plan with three actions');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await summary.waitFor();
    assert.match(await summary.innerText(), /Action 3, who will do it/);
    await expectAccessible(page, 'plan with a missing owner');
    const third = page.getByRole('group', { name: 'Action 3 (new)' });
    // The practitioner list offers only the chosen agency's people.
    const owners = await third.getByLabel('Who will do it').locator('option').allInnerTexts();
    assert.ok(
      owners.slice(1).every((o) => o.startsWith('VCSE link worker')),
      `only the agency's people (${owners.join('; ')})`,
    );
    await third.getByLabel('Who will do it').selectOption({ label: ACTIONS[2]?.owner ?? '' });
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText('The plan has been saved (version 2).').waitFor();
    const actions = page.getByRole('table', { name: /^3 actions: 3 open, 1 overdue/ });
    await actions.waitFor();
    for (const a of ACTIONS) {
      const actionRow = actions.getByRole('row').filter({ hasText: a.description });
      const text = await actionRow.innerText();
      assert.ok(
        text.includes(a.agency) && text.includes(a.owner),
        `${a.description}: ${a.agency}, ${a.owner}`,
      );
    }
    await actions
      .getByRole('row')
      .filter({ hasText: ACTIONS[0]?.description })
      .getByText('Overdue')
      .waitFor();
    await page.getByText('“I want to walk to the shops again.”', { exact: true }).waitFor();
    await expectAccessible(page, 'case with a plan');

    // 4. A save from a stale version is refused, and what was typed stays on the page.
    await page.getByRole('link', { name: 'Change the plan' }).click();
    await expectHeading(page, `Care and support plan for ${person}`);
    const saved = await sessions.api('int-lead', `/api/places/bury/cases/${caseId}`);
    const current = (await saved.json()) as {
      plan: { version: number; goals: unknown[]; actions: unknown[] };
    };
    const meanwhile = await sessions.api('int-lead', `/api/places/bury/cases/${caseId}/plan`, {
      method: 'PUT',
      body: {
        version: current.plan.version,
        whatMatters: 'Staying in my own home and seeing my friends.',
        strengths: 'Daughter visits every Sunday and Wednesday.',
        risks: 'Falls; stairs at home.',
        goals: current.plan.goals,
        actions: [],
      },
    });
    assert.equal(meanwhile.status, 200, 'someone else saves the plan meanwhile');
    await page.getByLabel('Risks').fill('Falls; stairs at home; a loose rug in the hall.');
    await page.getByRole('button', { name: 'Save the plan' }).click();
    await summary.waitFor();
    assert.match(await summary.innerText(), /Someone else saved this plan .*version 3.*reload/s);
    assert.equal(
      await page.getByLabel('Risks').inputValue(),
      'Falls; stairs at home; a loose rug in the hall.',
      'the typed text is kept',
    );
    await expectAccessible(page, 'plan saved from a stale version');
    expectRefusals(lead, 400, 409);

    // 5. Mark the social care action done, in its row.
    await page.goto(caseUrl);
    await expectHeading(page, caseTitle);
    const social = page.getByRole('row').filter({ hasText: ACTIONS[1]?.description });
    await social.getByLabel(/^Status of/).selectOption({ label: 'Done' });
    await social.getByRole('button', { name: /^Update/ }).click();
    await page.getByText(`“${ACTIONS[1]?.description}” is now done.`).waitFor();
    await social.getByText('Done', { exact: true }).first().waitFor();
    await page.getByRole('table', { name: /^3 actions: 2 open, 1 overdue/ }).waitFor();
    await expectAccessible(page, 'case with an action done');

    // The person's record links to a referral form with the person chosen already.
    const personId = (
      (await (await sessions.api('int-lead', `/api/places/bury/cases/${caseId}`)).json()) as {
        case: { person: { id: string } };
      }
    ).case.person.id;
    // (The record writes the family name as it is stored; case management in capitals.)
    const sameName = (before = '', after = '') => new RegExp(`^${before}${person}${after}$`, 'i');
    await page.goto(url(`/people/${personId}`));
    await expectHeading(page, sameName());
    await page.getByRole('link', { name: /^Refer to the INT/ }).click();
    await expectHeading(page, sameName('Refer ', ' to an Integrated Neighbourhood Team'));
    assert.equal(await page.getByLabel('NHS number').count(), 0, 'no NHS number to type');
    await page.getByText(sameName('', `, NHS number ${nhsShown}`)).waitFor();
    await expectAccessible(page, 'refer a chosen person');

    // 6. The caseload lists the case with its lead professional and actions.
    await page.goto(url('/caseload'));
    await expectHeading(page, 'Caseload');
    const caseRow = page.getByRole('row').filter({ hasText: person });
    const caseText = await caseRow.innerText();
    assert.ok(caseText.includes(nhsShown), `the NHS number ${nhsShown} is shown`);
    assert.match(caseText, /Care coordinator/);
    assert.match(caseText, /1 overdue/);
    await expectAccessible(page, 'caseload');

    // 7. My work, as the care coordinator: the overdue falls review first; mark it in progress.
    const cc = coordinator.page;
    await cc.goto(url('/my-work'));
    await expectHeading(cc, 'My work');
    const first = cc.getByRole('table').getByRole('row').nth(1);
    assert.match(await first.innerText(), new RegExp(`${ACTIONS[0]?.description}[\\s\\S]*Overdue`));
    assert.match(await first.innerText(), new RegExp(person));
    await expectAccessible(cc, 'my work');
    await first.getByLabel(/^Status of/).selectOption({ label: 'In progress' });
    await first.getByRole('button', { name: /^Update/ }).click();
    await cc.getByText(`“${ACTIONS[0]?.description}” is now in progress.`).waitFor();
    await expectAccessible(cc, 'my work, after a change');
    await first.getByRole('link', { name: new RegExp(person) }).click();
    await expectHeading(cc, caseTitle);
    await expectAccessible(cc, 'case, as the care coordinator');

    // 8. A review, with the next review date.
    await page.goto(caseUrl);
    await expectHeading(page, caseTitle);
    await page.getByRole('link', { name: 'Record a review' }).click();
    await expectHeading(page, `Record a review for ${person}`);
    await expectAccessible(page, 'record a review');
    await page
      .getByLabel('What was reviewed and decided')
      .fill('Walking frame in place; no falls since. Link worker to follow up the walking group.');
    await fillDate(page.getByRole('group', { name: 'Next review' }), day(60));
    await page.getByRole('button', { name: 'Save review' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText('The review has been recorded.').waitFor();
    await page.getByText('Walking frame in place; no falls since.', { exact: false }).waitFor();

    // Key workers from two more agencies, a home visit, and consent to share with the voluntary sector.
    await page
      .getByRole('link', { name: 'Change the lead professional, key workers or review date' })
      .click();
    await expectHeading(page, `Who is involved in the case for ${person}`);
    await page.getByLabel('Social worker, Bury Council adult social care').check();
    await page.getByLabel('VCSE link worker, Voluntary sector link-worker service (sample)').check();
    await expectAccessible(page, 'who is involved');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText('Who is involved has been saved.').waitFor();
    await page.getByText('Social worker, East INT (Bury Council adult social care)').waitFor();

    await page.getByRole('link', { name: `Record a contact with ${person}` }).click();
    await expectHeading(page, `Record a contact with ${person}`);
    // Yesterday at 10:30, which is in the past whatever the time the test runs (today's 10:30 is not).
    await fillDate(page.getByRole('group', { name: 'Date of the contact' }), day(-1));
    await page.getByLabel('Time of the contact').fill('10:30');
    await page.getByLabel('Home visit').check();
    await page
      .getByLabel('What happened')
      .fill('Visited at home with the district nurse; walking frame fitted.');
    await expectAccessible(page, 'record a contact');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText('The contact has been recorded.').waitFor();

    await page.getByRole('link', { name: 'Record consent to share' }).click();
    await expectHeading(page, `Record consent to share for ${person}`);
    await page.getByLabel('They agree to share').check();
    await page.getByLabel('Voluntary sector link-worker service (sample)').check();
    await page.getByLabel('The person', { exact: true }).check();
    await page.getByLabel('What is it for?').fill('To plan support with the voluntary sector link worker.');
    await expectAccessible(page, 'record consent');
    await page.getByRole('button', { name: 'Save consent' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText('Consent to share has been recorded.').waitFor();
    const consent = page.locator('.nhsuk-summary-list').filter({ hasText: 'Shared with' });
    assert.match(await consent.innerText(), /Consent given[\s\S]*Voluntary sector link-worker service/);

    // 9. Closing with actions open is refused, naming the override reason; with one, it closes.
    await page.getByRole('link', { name: 'Close the case' }).click();
    await expectHeading(page, `Close the case for ${person}`);
    await page.getByText('2 actions are still open').waitFor();
    await expectAccessible(page, 'close the case');
    await page.getByLabel('Goals met').check();
    await page.getByLabel('Outcome').fill('Walking to the shops again with the walking group.');
    await page.getByRole('button', { name: 'Close the case' }).click();
    await summary.waitFor();
    const refusal = await summary.innerText();
    assert.match(refusal, /override reason/i);
    assert.match(refusal, /2 open actions/);
    await summary.getByRole('link', { name: /override reason/i }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'override-reason');
    await expectAccessible(page, 'close the case, refused');
    await page
      .getByLabel(/override reason/i)
      .fill('The falls review continues with the district nurses; the walking group is arranged.');
    await page.getByRole('button', { name: 'Close the case' }).click();
    await expectHeading(page, caseTitle);
    await page.getByText(`The case for ${person} is closed.`).waitFor();
    await page.getByText('Closed', { exact: true }).first().waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Change the plan' }).count(),
      0,
      'a closed plan is not changed',
    );
    await expectAccessible(page, 'closed case');
    expectRefusals(lead, 422);

    // 10. The history: every version, with who and when.
    await page.getByRole('link', { name: 'See every change to the case and its plan' }).click();
    await expectHeading(page, `History of the case for ${person}`);
    const history = await page.getByRole('table').innerText();
    for (const change of [/Case opened from a referral/, /Plan saved/, /Demo INT lead/])
      assert.match(history, change);
    await expectAccessible(page, 'case history');

    assert.deepEqual(lead.problems, [], 'problems in the INT lead’s pages');
    assert.deepEqual(coordinator.problems, [], 'problems in the care coordinator’s pages');
  });
});
