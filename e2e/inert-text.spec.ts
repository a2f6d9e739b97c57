/// <reference lib="dom" />
// Stored text containing script or HTML renders inert on every page. Hostile text is stored through the
// API, as the demo accounts, in every free-text field the product shows:
//  - cohort names and who keeps them (the East INT lead), one cohort per hostile string;
//  - worklist names (the East INT lead), one worklist per cohort;
//  - a decision's reason (an East INT practitioner) and a nomination's reason (the East VCSE worker);
//  - a break-glass reason (a West INT practitioner, for an East resident) and the information governance
//    officer's review note.
// Then every page that shows them is opened in Chromium and checked: nothing ran (window.__pwned unset, no
// dialog, no Content Security Policy violation), no element the text would make exists or was ever added,
// the text is shown literally, and axe finds no WCAG 2.2 AA violations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/access/demo-users.ts';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

/** HTML entities that must stay as written, not become tags (names may be 120 characters at most). */
const ENTITIES =
  '&lt;b&gt;bold&lt;/b&gt; &amp;amp; &quot;quoted&quot; &#60;i&#62;italic&#60;/i&#62; &#x3C;u&#x3E;';

/** Each would run script, make an element, or be evaluated if the page treated text as markup. */
const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  'javascript:window.__pwned=1',
  '{{7*7}} <%= 7*7 %>',
  ENTITIES,
] as const;

/** Every hostile string in one, with the entities repeated to make it long (reasons may be 1,000). */
const LONG = `${HOSTILE.join(' ')} ${Array.from({ length: 4 }, () => ENTITIES).join(' ')}`;

const cohortName = (i: number) => `Cohort ${i + 1} ${HOSTILE[i]}`;
const ownerName = (i: number) => `Owner ${i + 1} ${HOSTILE[i]}`;
const worklistName = (i: number) => `Worklist ${i + 1} ${HOSTILE[i]}`;
const DECISION_REASON = `Decision: ${LONG}`;
const NOMINATION_REASON = `Nomination: ${LONG}`;
const BREAK_GLASS_REASON = `Break glass: ${LONG}`;
const REVIEW_NOTE = `Review note: ${LONG}`;

/** The parts of LONG to look for one by one (a table cell may wrap, but each part is on the page). */
const PARTS_OF = (text: string) => [text.slice(0, text.indexOf(':') + 1), ...HOSTILE];

/** Elements hostile text could make, if it were ever parsed as HTML. */
const PLANTED_SELECTOR = [
  'img[src="x"]',
  'svg[onload]',
  '[onerror]',
  '[onload]',
  'a[href^="javascript:" i]',
  '[src^="javascript:" i]',
].join(', ');

function reviewDate(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 90);
  return d.toISOString().slice(0, 10);
}

interface Visit extends WatchedPage {
  dialogs: string[];
  go(path: string): Promise<void>;
}

/** Watches the page for every element added that hostile text could have made, even if later removed. */
function watchForPlantedElements(selector: string) {
  const seen: string[] = [];
  (window as unknown as { __plantedSeen: string[] }).__plantedSeen = seen;
  const check = (node: Node) => {
    if (!(node instanceof Element)) return;
    for (const el of [node, ...node.querySelectorAll('*')])
      if (el.matches(selector) || (el.tagName === 'SCRIPT' && el.textContent?.includes('__pwned')))
        seen.push(el.outerHTML.slice(0, 200));
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) check(n);
  }).observe(document, { childList: true, subtree: true });
}

/**
 * The checks of this spec on the page as it is: nothing ran, no element was made from the text, each of
 * `texts` is shown literally (visible, and exactly as stored), and axe finds nothing.
 */
async function expectInert(visit: Visit, where: string, texts: readonly string[]): Promise<void> {
  const { page } = visit;
  for (const text of texts) {
    await page
      .getByText(text, { exact: false })
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => assert.fail(`${where}: "${text}" is not shown as text`));
  }
  const found = await page.evaluate(
    ({ selector, texts }) => {
      const pageText = document.body.textContent ?? '';
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        planted: [...document.querySelectorAll(selector)].map((el) => el.outerHTML.slice(0, 200)),
        scripts: [...document.querySelectorAll('script')]
          .filter((s) => s.textContent?.includes('__pwned'))
          .map((s) => s.outerHTML.slice(0, 200)),
        seen: (window as unknown as { __plantedSeen?: string[] }).__plantedSeen ?? ['(not watched)'],
        missing: texts.filter((t) => !pageText.includes(t)),
      };
    },
    { selector: PLANTED_SELECTOR, texts: [...texts] },
  );
  assert.equal(found.pwned, undefined, `${where}: script ran (window.__pwned is set)`);
  assert.deepEqual(found.planted, [], `${where}: elements made from stored text`);
  assert.deepEqual(found.scripts, [], `${where}: script elements made from stored text`);
  assert.deepEqual(found.seen, [], `${where}: elements made from stored text at some point`);
  assert.deepEqual(found.missing, [], `${where}: text not shown exactly as stored`);
  assert.deepEqual(visit.dialogs, [], `${where}: dialogs opened`);
  assert.deepEqual(visit.problems, [], `${where}: errors or CSP violations in the page`);
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
  assert.equal(await page.title(), text, 'the h1 is the document title, as text');
}

describe('stored text containing script or HTML renders inert on every page', { timeout: 600_000 }, () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sessions: DemoSessions | undefined;
  const cohortIds: string[] = [];
  const worklistIds: string[] = [];
  let decided: { personId: string; name: string };
  let nominated: { personId: string; name: string };
  let resident: { nhsNumber: string };
  let breakGlassId: string;

  async function api(username: string, path: string, body?: unknown, status = 201): Promise<unknown> {
    assert.ok(sessions);
    const res = await sessions.api(username, path, body === undefined ? {} : { method: 'POST', body });
    assert.equal(
      res.status,
      body === undefined ? 200 : status,
      `${username} ${path}: ${await res.clone().text()}`,
    );
    return res.status === 204 ? null : res.json();
  }

  before(async () => {
    [server, browser] = await Promise.all([startServer({ people: 2000 }), launchBrowser()]);
    sessions = new DemoSessions(server.url);

    // The East INT lead saves a cohort per hostile string, each with a hostile keeper, and makes each an
    // East INT worklist with a hostile name.
    for (const [i] of HOSTILE.entries()) {
      const cohort = (await api('int-lead', '/api/places/bury/cohorts', {
        name: cohortName(i),
        owner: ownerName(i),
        rules: {
          kind: 'group',
          combinator: 'and',
          rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 50 }],
        },
      })) as { cohort: { id: string; name: string; owner: string } };
      assert.equal(cohort.cohort.name, cohortName(i), 'the name is stored as given');
      assert.equal(cohort.cohort.owner, ownerName(i), 'the keeper is stored as given');
      cohortIds.push(cohort.cohort.id);
      const worklist = (await api('int-lead', '/api/places/bury/worklists', {
        cohortId: cohort.cohort.id,
        name: worklistName(i),
        scope: 'neighbourhood',
        scopeCode: 'east',
      })) as { worklist: { id: string; name: string } };
      assert.equal(worklist.worklist.name, worklistName(i));
      worklistIds.push(worklist.worklist.id);
    }
    const main = worklistIds[0];
    const people = (
      (await api('int-lead', `/api/places/bury/worklists/${main}/people?pageSize=10`)) as {
        people: { personId: string; name: string; nhsNumber: string | null }[];
      }
    ).people.filter((p) => p.nhsNumber !== null);
    const [first, second, third] = people;
    assert.ok(first && second && third?.nhsNumber, 'at least three people with NHS numbers on the worklist');
    decided = first;
    nominated = second;
    resident = { nhsNumber: third.nhsNumber };

    await api('int-practitioner', `/api/places/bury/worklists/${main}/decisions`, {
      personId: decided.personId,
      decision: 'discuss-at-mdt',
      reason: DECISION_REASON,
      reviewDate: reviewDate(),
    });
    await api('vcse-worker', `/api/places/bury/worklists/${main}/nominations`, {
      nhsNumber: second.nhsNumber,
      reason: NOMINATION_REASON,
    });
    // A West INT practitioner has no relationship with an East resident, so breaks glass.
    await api('int-practitioner-west', '/api/places/bury/break-glass', {
      nhsNumber: resident.nhsNumber,
      reason: BREAK_GLASS_REASON,
      password: DEMO_PASSWORD,
    });
    const uses = (await api('ig-officer', '/api/audit/break-glass')) as {
      uses: { id: string; reason: string }[];
    };
    const use = uses.uses.find((u) => u.reason === BREAK_GLASS_REASON);
    assert.ok(use, 'the break-glass use is stored with its reason as given');
    breakGlassId = use.id;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(username: string): Promise<Visit> {
    assert.ok(server && browser && sessions, 'the server and the browser should have started');
    const baseUrl = server.url;
    const watched = await openWatchedPage(browser);
    await watched.page.addInitScript(watchForPlantedElements, PLANTED_SELECTOR);
    const dialogs: string[] = [];
    watched.page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    await sessions.signInto(watched.context, username);
    return {
      ...watched,
      dialogs,
      go: async (p: string) => {
        await watched.page.goto(new URL(p, baseUrl).href);
      },
    };
  }

  test('the cohort list and each cohort’s page', async () => {
    const visit = await open('int-lead');
    const { page } = visit;
    try {
      await visit.go('/cohorts');
      await expectHeading(page, 'Cohorts');
      await expectInert(visit, 'cohort list', [
        ...HOSTILE.map((_, i) => cohortName(i)),
        ...HOSTILE.map((_, i) => ownerName(i)),
      ]);
      for (const [i, id] of cohortIds.entries()) {
        await visit.go(`/cohorts/${id}`);
        await expectHeading(page, cohortName(i));
        await page.getByRole('table', { name: /^People 1 to / }).waitFor();
        await expectInert(visit, `cohort page ${i + 1}`, [cohortName(i), ownerName(i)]);
      }
    } finally {
      await visit.close();
    }
  });

  test('the worklist list and each worklist’s page', async () => {
    const visit = await open('int-lead');
    const { page } = visit;
    try {
      await visit.go('/worklists');
      await expectHeading(page, 'Worklists');
      await expectInert(visit, 'worklist list', [
        ...HOSTILE.map((_, i) => worklistName(i)),
        ...HOSTILE.map((_, i) => cohortName(i)),
      ]);
      for (const [i, id] of worklistIds.entries()) {
        await visit.go(`/worklists/${id}`);
        await expectHeading(page, worklistName(i));
        await page.getByRole('table', { name: /^To review: people 1 to / }).waitFor();
        await expectInert(visit, `worklist page ${i + 1}, to review`, [worklistName(i), cohortName(i)]);
      }
    } finally {
      await visit.close();
    }
  });

  test('the worklist’s Decided tab, and the decided and nominated people’s decision pages', async () => {
    const visit = await open('int-lead');
    const { page } = visit;
    const main = worklistIds[0];
    try {
      await visit.go(`/worklists/${main}`);
      await expectHeading(page, worklistName(0));
      await page
        .getByText(/^Nominated by Demo VCSE worker/)
        .first()
        .waitFor();
      await page.getByRole('link', { name: 'Decided (1)' }).click();
      const table = page.getByRole('table', { name: /^Decided: people 1 to 1 of 1/ });
      await table.waitFor();
      await table.getByText('Discuss at MDT').waitFor();
      await expectInert(visit, 'worklist page, decided', [worklistName(0), cohortName(0), decided.name]);

      await table.getByRole('link', { name: `Details of the decision about ${decided.name}` }).click();
      await expectHeading(page, `Decision about ${decided.name}`);
      await expectInert(visit, 'decision page of the decided person', [
        ...PARTS_OF(DECISION_REASON),
        DECISION_REASON,
        `Back to ${worklistName(0)}`,
      ]);

      await visit.go(`/worklists/${main}/people/${nominated.personId}`);
      await expectHeading(page, `Decision about ${nominated.name}`);
      await expectInert(visit, 'decision page of the nominated person', [
        ...PARTS_OF(NOMINATION_REASON),
        NOMINATION_REASON,
      ]);
    } finally {
      await visit.close();
    }
  });

  test('the information governance officer’s break-glass review, and who accessed the record', async () => {
    assert.ok(sessions);
    const visit = await open('ig-officer');
    const { page } = visit;
    try {
      await visit.go('/governance/break-glass');
      await expectHeading(page, 'Break-glass review');
      await page.getByRole('region', { name: /^Review: Demo INT practitioner \(West INT\)/ }).waitFor();
      await expectInert(visit, 'break-glass review, awaiting review', [
        ...PARTS_OF(BREAK_GLASS_REASON),
        BREAK_GLASS_REASON,
      ]);

      await api(
        'ig-officer',
        `/api/audit/break-glass/${breakGlassId}/review`,
        { outcome: 'appropriate', note: REVIEW_NOTE },
        204,
      );
      await page.reload();
      await expectHeading(page, 'Break-glass review');
      await page
        .locator('main')
        .getByText(/Awaiting review:\s*0/)
        .waitFor();
      await expectInert(visit, 'break-glass review, reviewed', [
        ...PARTS_OF(BREAK_GLASS_REASON),
        BREAK_GLASS_REASON,
        ...PARTS_OF(REVIEW_NOTE),
        REVIEW_NOTE,
      ]);

      await visit.go('/governance/record-access');
      await expectHeading(page, 'Who accessed a record');
      await page.getByLabel('NHS number').fill(resident.nhsNumber);
      await page.getByRole('button', { name: 'Search' }).click();
      const events = page.getByRole('table', { name: /^Events 1 to \d+, newest first$/ });
      await events.waitFor();
      await events.getByText('Broke glass').waitFor();
      await expectInert(visit, 'who accessed a record', [
        ...PARTS_OF(BREAK_GLASS_REASON),
        BREAK_GLASS_REASON,
        `appropriate: ${REVIEW_NOTE}`,
      ]);
    } finally {
      await visit.close();
    }
  });
});
