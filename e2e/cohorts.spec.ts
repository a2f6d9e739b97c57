/// <reference lib="dom" />
// The case-finding journey in Chromium, signed in as the demo East INT lead: build "East, aged 65+,
// moderate or severe frailty, at least one emergency admission in 12 months" with the rule builder, check
// its planning count (opt-outs left out, small numbers hidden), save it, see that no members are listed
// before the team has a relationship with them, make it the East INT's worklist (direct care: everyone on
// it), record three decisions (the answer to the last lost on the way back, so the page sends it again),
// and see them kept, each once, after a reload. axe on every page and state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { formatDate } from '../src/core/dates.ts';
import {
  accessibilityViolations,
  focusedTextOnceSettled,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

const COHORT = 'East, 65+, moderate or severe frailty, emergency admission';

async function expectAccessible(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

/** Waits for the page whose one h1 is `text` (navigation within the app is not a page load). */
async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
}

/** The date three months ahead, as the three parts of an NHS.UK date input. */
function reviewDate(): { day: string; month: string; year: string } {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + 3, 15);
  return { day: '15', month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

describe('cohorts and worklists', { timeout: 600_000 }, () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;

  before(async () => {
    // Enough people for a narrow cohort in one neighbourhood to have a few members.
    [server, browser] = await Promise.all([
      startServer({ people: 20_000, timeoutMs: 240_000 }),
      launchBrowser(),
    ]);
    watched = await openWatchedPage(browser);
    await new DemoSessions(server.url).signInto(watched.context, 'int-lead');
  });

  after(async () => {
    await watched?.close();
    await browser?.close();
    await server?.stop();
  });

  const url = (path: string) => new URL(path, server?.url).href;

  test('build, save, make a worklist, decide three people, reload', async () => {
    assert.ok(watched);
    const { page } = watched;

    // 1. Build the cohort, rule by rule.
    await page.goto(url('/cohorts'));
    await expectHeading(page, 'Cohorts');
    await expectAccessible(page, 'cohort list');
    await page.getByRole('link', { name: 'Build a cohort' }).click();
    await expectHeading(page, 'Build a cohort');

    const rule = (n: number) => page.getByRole('group', { name: `Rule ${n}`, exact: true });
    await rule(1).getByLabel('Field').selectOption({ label: 'Neighbourhood' });
    await rule(1).getByLabel('East').check();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await rule(2).getByLabel('Field').selectOption({ label: 'Age' });
    await rule(2).getByLabel('Comparison').selectOption({ label: 'is at least' });
    await rule(2).getByLabel('Age').fill('65');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await rule(3).getByLabel('Field').selectOption({ label: 'Frailty (electronic Frailty Index)' });
    await rule(3).getByLabel('Moderate frailty').check();
    await rule(3).getByLabel('Severe frailty').check();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await rule(4).getByLabel('Field').selectOption({ label: 'Hospital activity in a period' });
    await rule(4).getByLabel('Kind of hospital activity').selectOption({ label: 'emergency admissions' });
    await rule(4).getByLabel('In the last').selectOption({ label: '12 months' });
    await rule(4).getByLabel('Comparison').selectOption({ label: 'is at least' });
    await rule(4).getByLabel('Number of times').fill('1');
    await expectAccessible(page, 'rule builder with four rules');

    // A group's rules are numbered under it (5.1, 5.2), so no two "Remove rule" buttons read alike; a
    // rule removed moves focus to its group's "Add a rule", not to the top of the page.
    await page.getByRole('button', { name: 'Add a group of rules' }).click();
    const group = page.locator('.app-rule-group');
    await group.getByRole('group', { name: 'Rule 5.1', exact: true }).waitFor();
    await group.getByRole('button', { name: 'Add a rule to group 5' }).click();
    await group.getByRole('button', { name: 'Remove rule 5.2' }).click();
    assert.equal(
      await focusedTextOnceSettled(page, 'Add a rule to group 5'),
      'Add a rule to group 5',
      'focus stays in the group',
    );
    await group.getByRole('button', { name: 'Remove group 5' }).click();
    assert.equal(await group.count(), 0);

    // A mistake first: an age that is not a number is named, linked, and nothing is saved.
    await rule(2).getByLabel('Age').fill('sixty-five');
    await page.getByLabel('Cohort name').fill(COHORT);
    await page.getByText('The cohort will be kept by you: Demo INT lead').waitFor();
    await page.getByRole('button', { name: 'Save cohort' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Rule 2, the value: must be a number/);
    await expectAccessible(page, 'rule builder showing an error');
    await summary.getByRole('link', { name: /Rule 2/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'rules-rules-1-value');
    await rule(2).getByLabel('Age').fill('65');

    await page.getByRole('button', { name: 'Check the count' }).click();
    const count = page.locator('.app-count');
    await count.waitFor();
    // A planning count: rounded to 5, or "*" when it is small or sums a hidden count.
    const shown = (await count.innerText()).replace(/ people$/, '').trim();
    assert.match(shown, /^(\*|0|\d{1,3}(,\d{3})*)$/, `a planning count (${shown})`);
    if (shown !== '*') assert.equal(Number(shown.replace(/,/g, '')) % 5, 0, 'rounded to 5');
    await page.getByText('For planning', { exact: true }).first().waitFor();
    await page
      .getByText(/opted out of their data being used for planning/)
      .first()
      .waitFor();

    // 2. Save it: the cohort page shows the same count, labelled for planning, and the breakdown. The INT
    //    lead has a care relationship only with those of them on the team's (demo) caseload, and only
    //    they are listed.
    await page.getByRole('button', { name: 'Save cohort' }).click();
    await expectHeading(page, COHORT);
    assert.match(page.url(), /\/cohorts\/[0-9a-f-]{36}$/);
    const total = page.getByRole('table', {
      name: 'People in the cohort by neighbourhood and deprivation quintile (planning counts)',
    });
    const totalRow = (await total.locator('tr').last().innerText()).trim().split(/\s+/);
    assert.equal(totalRow[totalRow.length - 1], shown, 'the grand total is the count checked');
    for (const cell of await total.locator('tbody td').allInnerTexts())
      assert.match(cell.trim(), /^(\*|0|\d{1,3}(,\d{3})*)$/, 'every cell is a planning count');
    await page.getByText('People (planning count)', { exact: true }).waitFor();
    const known = page.getByText(/^People in this cohort you have a care relationship with: \d+\./);
    await known.waitFor();
    const onCaseload = Number(((await known.innerText()).match(/: (\d+)\./) ?? [])[1]);
    const caseload = await page.request.get(url('/api/places/bury/teams/int-east/caseload?pageSize=1'));
    assert.equal(caseload.status(), 200);
    const { total: caseloadTotal } = (await caseload.json()) as { total: number };
    assert.ok(onCaseload <= caseloadTotal, `only people on the caseload (${onCaseload} of ${caseloadTotal})`);
    assert.equal(
      await page.getByRole('table', { name: /^People 1 to / }).count(),
      onCaseload === 0 ? 0 : 1,
      'members listed only if there are any',
    );
    await expectAccessible(page, 'cohort page');

    // 3. Make it the East INT's worklist: the form offers only the lead's own team.
    const form = page.locator('form').filter({ hasText: 'Make a worklist' });
    await form.getByText('East INT', { exact: true }).waitFor();
    assert.equal(await form.locator('select').count(), 0, 'no choice of another team');
    await page.getByLabel('Worklist name').fill('East INT frailty review');
    await page.getByRole('button', { name: 'Make worklist' }).click();
    await expectHeading(page, 'East INT frailty review');
    await page.getByText('Direct care', { exact: true }).waitFor();
    const toReview = page.getByRole('link', { name: /^To review \(\d+\)$/ });
    const previewed = Number(((await toReview.innerText()).match(/\((\d+)\)/) ?? [])[1]);
    assert.ok(previewed >= 3, `at least three people to decide about (found ${previewed})`);
    await expectAccessible(page, 'worklist page');

    // 4. Three decisions, one of each kind but the last; the first attempt is empty and refused.
    const decisions = ['Add to caseload', 'Discuss at MDT', 'Already known to a service'];
    const decided: string[] = [];
    const date = reviewDate();
    for (const [i, decision] of decisions.entries()) {
      const link = page.getByRole('link', { name: /^Record a decision about / }).first();
      const who = ((await link.innerText()).match(/about (.+)$/)?.[1] ?? '').trim();
      await link.click();
      await expectHeading(page, `Decision about ${who}`);
      if (i === 0) {
        await page.getByRole('button', { name: 'Save decision' }).click();
        const errors = page.locator('.nhsuk-error-summary');
        await errors.waitFor();
        const text = await errors.innerText();
        for (const field of ['Decision', 'Reason', 'Review date']) assert.match(text, new RegExp(field));
        await expectAccessible(page, 'decision form showing errors');
      }
      await page.getByLabel(decision).check();
      await page.getByLabel('Reason').fill(`Reviewed at the huddle (${i + 1})`);
      await page.getByLabel('Day').fill(date.day);
      await page.getByLabel('Month').fill(date.month);
      await page.getByLabel('Year').fill(date.year);
      if (i === 0) await expectAccessible(page, 'decision form filled in');
      // The last decision reaches the server, but its answer is lost on the way back, as on a dropped
      // connection: the page sends it again with the same Idempotency-Key and is answered as the first
      // time, and the decision is recorded once (checked after the reload).
      const sent: (string | undefined)[] = [];
      if (i === decisions.length - 1)
        await page.route('**/api/places/bury/worklists/*/decisions', async (route) => {
          sent.push(route.request().headers()['idempotency-key']);
          if (sent.length > 1) return route.continue();
          await route.fetch();
          return route.abort('connectionreset');
        });
      await page.getByRole('button', { name: 'Save decision' }).click();
      await expectHeading(page, 'East INT frailty review');
      await page.getByText(`Decision about ${who} saved: ${decision}.`).waitFor();
      if (i === decisions.length - 1) {
        await page.unrouteAll();
        assert.equal(sent.length, 2, 'sent twice');
        assert.match(sent[0] ?? '', /^[0-9a-f]{32}$/);
        assert.equal(sent[1], sent[0], 'with the same key');
      }
      decided.push(who);
    }

    // 5. After a reload the decisions are kept: three fewer to review, three decided, with who and when.
    await page.reload();
    await expectHeading(page, 'East INT frailty review');
    await page.getByRole('link', { name: `To review (${previewed - 3})` }).waitFor();
    await page.getByRole('link', { name: 'Decided (3)' }).click();
    const table = page.getByRole('table', { name: /^Decided: people 1 to 3 of 3/ });
    await table.waitFor();
    const text = await table.innerText();
    for (const who of decided) assert.ok(text.includes(who), `${who} is listed as decided`);
    for (const decision of decisions) assert.ok(text.includes(decision), `${decision} is shown`);
    // The person whose decision's answer was lost has one decision, not two.
    const worklist = url(`/api/places/bury/worklists/${page.url().match(/worklists\/([0-9a-f-]{36})/)?.[1]}`);
    const listed = await page.request.get(`${worklist}/people?status=decided&pageSize=25`);
    const { people } = (await listed.json()) as { people: { personId: string; name: string }[] };
    const resent = people.find((p) => p.name === decided[2]);
    assert.ok(resent, `${decided[2]} is decided`);
    const history = await page.request.get(`${worklist}/people/${resent.personId}`);
    assert.equal(history.status(), 200);
    assert.equal(((await history.json()) as { decisions: unknown[] }).decisions.length, 1, 'decided once');
    assert.match(text, /Demo INT lead/, 'who decided is the signed-in lead');
    await expectAccessible(page, 'decided list');

    // Nominating someone already decided says they stay under Decided until the review date; the page
    // keeps its place and focus while it reloads. A second nomination is refused in the error summary.
    const { person: decidedPerson } = (await history.json()) as { person: { nhsNumber: string } };
    const nominate = async () => {
      await page.getByLabel('NHS number').fill(decidedPerson.nhsNumber);
      await page.getByLabel('Reason', { exact: true }).last().fill('Neighbour says she is not coping');
      await page.getByRole('button', { name: 'Nominate' }).click();
    };
    await nominate();
    await page
      .getByText(
        `${decided[2]} has been nominated. A decision about them stands until ${formatDate(`${date.year}-${date.month.padStart(2, '0')}-${date.day}`)}, so they are under Decided until then.`,
      )
      .waitFor();
    assert.equal(await focusedTextOnceSettled(page, 'Nominate'), 'Nominate', 'focus stays on the form');
    await expectAccessible(page, 'someone nominated');
    await nominate();
    await page
      .locator('.nhsuk-error-summary')
      .getByText('NHS number: That person has already been nominated for this worklist.')
      .waitFor();
    await expectAccessible(page, 'a second nomination refused');

    // 6. The cohort page now lists the people the team has a relationship with: those on its worklist.
    await page.goto(url('/cohorts'));
    await page.getByRole('link', { name: COHORT }).click();
    await expectHeading(page, COHORT);
    const related = page.getByText(/^People in this cohort you have a care relationship with: \d+\./);
    await related.waitFor();
    const seen = Number(((await related.innerText()).match(/: (\d+)\./) ?? [])[1]);
    assert.ok(seen >= previewed, `everyone on the worklist is listed (${seen} of ${previewed})`);
    await page.getByRole('table', { name: /^People 1 to / }).waitFor();
    await expectAccessible(page, 'cohort page with members');
    // At a phone's width the page does not scroll sideways (the sort orders' long names once made it).
    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    await page.getByRole('table', { name: /^People 1 to / }).waitFor();
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth),
      320,
      'nothing wider than the screen at 320 px',
    );
    // The 400s of the two refused forms, the 409 of the second nomination and the connection reset on
    // purpose, each as many times as they were made: any other problem is reported.
    const expected = ['status of 400', 'status of 409', 'ERR_CONNECTION_RESET'];
    const { problems } = watched;
    assert.deepEqual(
      expected.map((e) => problems.filter((p) => p.includes(e)).length),
      [2, 1, 1],
      problems.join('\n'),
    );
    assert.deepEqual(
      problems.filter((p) => !expected.some((e) => p.includes(e))),
      [],
      'problems in the pages',
    );
  });
});
