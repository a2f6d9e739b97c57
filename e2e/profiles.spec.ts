/// <reference lib="dom" />
// Profiles and outcomes in Chromium, signed in as the demo analyst: the list of placemats, a
// neighbourhood placemat and one of its wards, the print view, the downloads, the outcomes dashboard and
// one indicator's control chart, and a map of small areas with its table. axe on every page.
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

async function expectAccessible(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
}

describe('profiles, outcomes and maps', { timeout: 600_000 }, () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;

  before(async () => {
    [server, browser] = await Promise.all([
      startServer({ people: 20_000, timeoutMs: 240_000 }),
      launchBrowser(),
    ]);
    watched = await openWatchedPage(browser);
    await new DemoSessions(server.url).signInto(watched.context, 'analyst');
  });

  after(async () => {
    await watched?.close();
    await browser?.close();
    await server?.stop();
  });

  const url = (path: string) => new URL(path, server?.url).href;

  test('a neighbourhood placemat, a ward placemat, the print view and the downloads', async () => {
    assert.ok(watched);
    const { page } = watched;
    await page.goto(url('/'));
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Profiles' }).click();
    await expectHeading(page, 'Neighbourhood profiles');
    await expectAccessible(page, 'profile list');

    await page.getByRole('link', { name: 'East neighbourhood placemat' }).click();
    await expectHeading(page, 'East neighbourhood placemat');
    const activity = page.getByRole('region', { name: 'Hospital and care activity', exact: true });
    await activity.getByRole('rowheader', { name: /Emergency admissions \(age-standardised\)/ }).waitFor();
    const row = activity.getByRole('row', { name: /Emergency admissions \(age-standardised\)/ });
    assert.match(await row.innerText(), /per 100,000/);
    assert.match(await row.innerText(), /Significantly (better|worse)|Similar|Not compared/);
    await page.getByRole('img', { name: /Residents of East neighbourhood by age and sex/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Life expectancy', exact: true }).waitFor();
    await expectAccessible(page, 'East placemat');

    // Print: the page's own controls and the site's header go; the figures stay.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.nhsuk-header').isVisible(), false, 'no header in print');
    assert.equal(
      await page.getByRole('button', { name: 'Print' }).isVisible(),
      false,
      'no print button in print',
    );
    assert.equal(await activity.isVisible(), true, 'the figures print');
    const printed = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(printed.subarray(0, 5).toString(), '%PDF-');
    await page.emulateMedia({ media: 'screen' });

    for (const format of ['pdf', 'csv', 'json']) {
      const link = page.getByRole('link', { name: `Download as ${format.toUpperCase()}` });
      const res = await page.request.get(url((await link.getAttribute('href')) ?? ''));
      assert.equal(res.status(), 200, format);
      assert.match(res.headers()['content-disposition'] ?? '', new RegExp(`east-placemat-.*\\.${format}"`));
    }

    await page.getByRole('link', { name: 'Moorside ward placemat' }).click();
    await expectHeading(page, 'Moorside ward placemat');
    await page.getByRole('link', { name: 'East neighbourhood' }).waitFor();
    await expectAccessible(page, 'Moorside placemat');
    assert.deepEqual(watched.problems, []);
  });

  test('the outcomes dashboard puts special-cause change first; an indicator has its control chart', async () => {
    assert.ok(watched);
    const { page } = watched;
    await page.goto(url('/outcomes'));
    await expectHeading(page, 'Outcomes framework');
    const groups = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    const order = ['concern', 'improvement', 'neither', 'Common cause', 'Too few'];
    const positions = groups.map((g) => order.findIndex((o) => g.includes(o))).filter((i) => i >= 0);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      `groups in order: ${groups.join(' | ')}`,
    );
    await expectAccessible(page, 'outcomes dashboard');

    await page.getByRole('link', { name: 'Emergency admissions: Bury', exact: true }).click();
    await expectHeading(page, 'Emergency admissions: Bury');
    await page
      .getByRole('img', { name: /Emergency admissions, Bury, per 1,000 residents, by month/ })
      .waitFor();
    await page.getByText('Show the chart as a table').click();
    assert.equal(
      await page.getByRole('table').first().getByRole('row').count(),
      37,
      'a header and 36 months',
    );
    await page.getByRole('link', { name: 'See it by quarter' }).click();
    await expectHeading(page, 'Emergency admissions: Bury');
    await expectAccessible(page, 'indicator by quarter');
    assert.deepEqual(watched.problems, []);
  });

  test('a map of small areas, with its legend and table', async () => {
    assert.ok(watched);
    const { page } = watched;
    await page.goto(url('/maps'));
    await expectHeading(page, 'Maps');
    await page.getByLabel('Figure').selectOption({ label: 'Deaths from all causes (crude rate)' });
    await page.getByLabel('Small areas (LSOAs)').check();
    await page.getByRole('button', { name: 'Show the map' }).click();
    const map = page.getByRole('img', {
      name: /Map of deaths from all causes \(crude rate\) in Bury’s 120 small areas/,
    });
    await map.waitFor();
    assert.equal(await map.locator('path.app-choropleth__area').count(), 120);
    await page.getByText('Show the map as a table').click();
    assert.equal(await page.getByRole('table').first().getByRole('row').count(), 121);
    assert.match(page.url(), /figure=deaths-crude&level=lsoa/);
    await expectAccessible(page, 'map of LSOAs');
    assert.deepEqual(watched.problems, []);
  });
});
