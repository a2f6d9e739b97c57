/// <reference lib="dom" />
// Journeys through the place pages in Chromium: the borough overview with its map, the neighbourhood
// switcher by keyboard, East's page, an unknown neighbourhood, and accessibility (axe, WCAG 2.2 AA).
// Every page must also load without console errors or Content Security Policy violations. The pages are
// visited signed in as the demo INT lead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

const NEIGHBOURHOODS = ['North', 'East', 'West', 'Whitefield', 'Prestwich'];

describe('place pages', { timeout: 300_000 }, () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sessions: DemoSessions | undefined;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    sessions = new DemoSessions(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a path in a fresh context; after the check runs, asserts nothing went wrong in the page. */
  async function visit(path: string, check: (page: Page, watched: WatchedPage) => Promise<void>) {
    assert.ok(server && browser && sessions, 'the server and the browser should have started');
    const watched = await openWatchedPage(browser);
    await sessions.signInto(watched.context, 'int-lead');
    try {
      await watched.page.goto(new URL(path, server.url).href);
      await check(watched.page, watched);
      assert.deepEqual(watched.problems, [], `problems in the page at ${path}`);
    } finally {
      await watched.close();
    }
  }

  async function heading(page: Page): Promise<string> {
    const h1 = page.locator('h1');
    await h1.waitFor();
    assert.equal(await h1.count(), 1, 'a page has one h1');
    const text = (await h1.innerText()).trim();
    assert.equal(await page.title(), text, 'the h1 is the document title');
    return text;
  }

  test('the overview shows the five neighbourhoods, and the map with its legend and a table alternative', async () => {
    await visit('/', async (page) => {
      assert.equal(await heading(page), 'Bury borough overview');
      const table = page.getByRole('table', { name: 'Bury’s neighbourhoods' });
      for (const name of NEIGHBOURHOODS) {
        await table.getByRole('link', { name, exact: true }).waitFor();
      }
      assert.equal(await table.locator('tbody tr').count(), 6, 'five neighbourhoods and a total');
      await page.getByText('Residents (ONS mid-2020)').first().waitFor();

      const map = page.getByRole('img', { name: /Map of Bury’s 120 LSOAs/ });
      await map.waitFor();
      assert.equal(await map.locator('path.app-map__lsoa').count(), 120, 'one shape per LSOA');
      const box = await map.boundingBox();
      assert.ok(box && box.width > 300 && box.height > 300, 'the map is drawn at a readable size');
      assert.match(
        (await map.locator('path.app-map__lsoa title').first().textContent()) ?? '',
        /neighbourhood: IMD 2019 decile/,
      );
      // Drawn the right way round: shapes cover part of the map, not the whole globe.
      const shapeBox = await map.locator('path.app-map__lsoa').first().boundingBox();
      assert.ok(shapeBox && box && shapeBox.width < box.width / 2, 'an LSOA is a small part of the map');

      const legend = page.getByRole('list', { name: 'IMD 2019 national decile' });
      assert.equal(await legend.getByRole('listitem').count(), 10);
      await legend.getByText('1 (most deprived)').waitFor();

      await page.getByText('Show the map as a table').click();
      const alternative = page.getByRole('table', { name: /Map of Bury’s 120 LSOAs/ });
      await alternative.waitFor();
      assert.equal(await alternative.locator('tbody tr').count(), 120);
      const headers = await alternative.locator('thead th').allInnerTexts();
      assert.deepEqual(
        headers.map((h) => h.trim()),
        ['LSOA', 'Ward', 'Neighbourhood', 'IMD 2019 decile'],
      );
    });
  });

  test('the neighbourhood switcher works by keyboard and opens East', async () => {
    await visit('/', async (page) => {
      await heading(page);
      const select = page.getByLabel('Neighbourhood', { exact: true });
      await select.focus();
      await page.keyboard.press('ArrowDown'); // North → East; changing the choice must not navigate
      assert.equal(await select.inputValue(), 'east');
      assert.equal(new URL(page.url()).pathname, '/', 'choosing does not navigate by itself');
      await page.keyboard.press('Tab');
      const button = page.getByRole('button', { name: 'Show neighbourhood' });
      assert.ok(await button.evaluate((el) => el === document.activeElement), 'Tab reaches the button');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/neighbourhoods/east');
      // The address changes before the new page replaces the overview.
      await page.getByRole('heading', { level: 1, name: 'East neighbourhood' }).waitFor();
      assert.equal(await heading(page), 'East neighbourhood');
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      await page
        .getByRole('status')
        .filter({ hasText: 'East neighbourhood loaded' })
        .waitFor({ state: 'attached' });
    });
  });

  test('East’s page shows its wards, its team’s roles and a map of its LSOAs', async () => {
    await visit('/neighbourhoods/east', async (page) => {
      assert.equal(await heading(page), 'East neighbourhood');
      const wards = page.getByRole('table', { name: 'Wards in East' });
      for (const ward of ['Bury East', 'Moorside', 'Redvales']) {
        await wards.getByRole('rowheader', { name: new RegExp(`^${ward}`) }).waitFor();
      }
      await page.getByText('is a working assignment').waitFor();
      const team = page.getByRole('region', { name: 'East Integrated Neighbourhood Team' });
      for (const role of ['INT lead', 'GP lead', 'Neighbourhood officer']) {
        await team.getByText(role, { exact: true }).waitFor();
      }
      const lsoas = page.getByRole('table', { name: /Small areas in East/ });
      assert.equal(await lsoas.locator('tbody tr').count(), 20);
      const map = page.getByRole('img', { name: /Map of the 20 LSOAs in East/ });
      await map.waitFor();
      assert.equal(await map.locator('path.app-map__lsoa').count(), 20);
      await page.getByRole('table', { name: 'GP practices in East' }).waitFor();
    });
  });

  test('axe finds no WCAG 2.2 AA violations on the overview or East’s page', async () => {
    for (const path of ['/', '/neighbourhoods/east']) {
      await visit(path, async (page) => {
        await heading(page);
        await page.locator('.app-map__svg').waitFor();
        await page.getByText('Show the map as a table').click(); // check the table alternative too
        const violations = await accessibilityViolations(page);
        assert.deepEqual(violations, [], `axe violations at ${path}`);
      });
    }
  });

  test('axe finds no violations at a phone’s width either, and the navigation folds into a menu', async () => {
    assert.ok(server && browser && sessions);
    const watched = await openWatchedPage(browser, { viewport: { width: 375, height: 800 } });
    await sessions.signInto(watched.context, 'int-lead');
    try {
      for (const path of ['/', '/neighbourhoods/east']) {
        await watched.page.goto(new URL(path, server.url).href);
        await heading(watched.page);
        await watched.page.locator('.app-map__svg').waitFor();
        const width = await watched.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `the page at ${path} does not scroll sideways (it is ${width}px wide)`);
        assert.deepEqual(await accessibilityViolations(watched.page), [], `axe violations at ${path}`);
      }
      // Navigation that does not fit moves into a "More" menu, which opens, is checked by axe, and closes.
      const more = watched.page.getByRole('button', { name: 'Browse More' });
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      await more.click();
      assert.equal(await more.getAttribute('aria-expanded'), 'true');
      await watched.page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Worklists' })
        .waitFor();
      assert.deepEqual(await accessibilityViolations(watched.page), [], 'axe violations with the menu open');
      // The signed-in staff member, their sessions and sign-out fit the phone's width too.
      const account = watched.page.getByRole('navigation', { name: 'Account' });
      await account.getByText('Demo INT lead').waitFor();
      await account.getByRole('link', { name: 'Your sessions' }).waitFor();
      const signOut = await account.getByRole('button', { name: 'Sign out' }).boundingBox();
      assert.ok(signOut && signOut.x >= 0 && signOut.x + signOut.width <= 375, 'Sign out is on the screen');
      await watched.page.keyboard.press('Escape');
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      assert.deepEqual(watched.problems, []);
    } finally {
      await watched.close();
    }
  });

  test('an error from the API shows a plain message and its reference', async () => {
    await visit('/neighbourhoods/east', async (page, watched) => {
      await page.route('**/api/places/*/neighbourhoods/east', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/fhir+json',
          body: JSON.stringify({
            resourceType: 'OperationOutcome',
            id: 'ref-e2e-0001',
            issue: [
              {
                severity: 'error',
                code: 'transient',
                diagnostics: 'The database is not reachable just now.',
              },
            ],
          }),
        }),
      );
      await page.reload();
      assert.equal(await heading(page), 'Sorry, there is a problem with the service');
      await page.getByText('The database is not reachable just now.').waitFor();
      await page.getByText('ref-e2e-0001').waitFor();
      // The failed request is logged by the browser (once per fetch: a reload may fetch twice); that is
      // expected here and nothing else is.
      const expected = watched.problems.filter((p) => p.includes('status of 503'));
      assert.ok(expected.length >= 1);
      watched.problems.splice(
        0,
        watched.problems.length,
        ...watched.problems.filter((p) => !expected.includes(p)),
      );
    });
  });

  test('an unknown neighbourhood shows "Page not found"', async () => {
    for (const path of ['/neighbourhoods/nowhere', '/neighbourhoods/NOT%20A%20CODE', '/no-such-page']) {
      await visit(path, async (page) => {
        assert.equal(await heading(page), 'Page not found');
      });
    }
  });
});
