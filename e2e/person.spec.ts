/// <reference lib="dom" />
// A resident's page in Chromium: their details, each risk score with its band and "Why this score" in
// plain words, reachable and opened by keyboard, their recent unplanned care, and accessibility (axe,
// WCAG 2.2 AA) with the expanders shut and open, at desktop and phone widths; why the viewer may see it,
// their opt-outs, and a safeguarding concern shown as a warning. The pages are seen signed in as the demo
// GP practice staff, who may see their practice's registered patients; an analyst sees no record. The
// spec makes its own population with `joinedup synth`, reads residents' ids from it, then serves it.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PersonDetail } from '../src/core/schemas/person.ts';
import { createDb } from '../src/db/create-db.ts';
import { EFI_MODEL_VERSION } from '../src/risk/efi.ts';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer, synthDataDir } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

const TITLES = [
  'Frailty (electronic Frailty Index)',
  'Frailty seen in hospital (Hospital Frailty Risk Score)',
  'Serious long-term illness (Charlson Comorbidity Index)',
  'Long-term conditions',
  'Unplanned hospital care',
  'Health inequalities (Core20PLUS5)',
  'Population segment (Bridges to Health)',
];

type Resident = { id: string; name: string };

/**
 * Residents of the demo GP staff's practice (the first open practice in East, as src/access/demo-users.ts
 * chooses it): the most frail with both hospital frailty and recent unplanned care, so every part of the
 * page shows, and the first of those the demo safeguarding concerns are raised about.
 */
async function pickResidents(dataDir: string): Promise<{ resident: Resident; safeguarded: Resident }> {
  const db = await createDb({ databaseUrl: null, dataDir });
  try {
    const practice = await db.kysely
      .selectFrom('practice')
      .select('ods_code')
      .where('place_id', '=', 'bury')
      .where('is_open', '=', true)
      .where('neighbourhood_code', '=', 'east')
      .orderBy('ods_code')
      .limit(1)
      .executeTakeFirstOrThrow();
    const people = () =>
      db.kysely
        .selectFrom('person_risk as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select(['p.id', 'p.given_name', 'p.family_name'])
        .where('r.place_id', '=', 'bury')
        .where('r.practice_code', '=', practice.ods_code);
    const row = await people()
      .where('r.hfrs_score', '>', 0)
      .where((eb) => eb('r.ed_12m', '>', 0).or('r.emergency_12m', '>', 0))
      .where('r.efi_band', 'not in', ['moderate', 'severe'])
      .orderBy('r.efi_deficits', 'desc')
      .orderBy('r.person_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const concern = await people()
      .where('r.efi_band', 'in', ['moderate', 'severe'])
      .orderBy('r.person_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const named = (r: typeof row) => ({ id: r.id, name: `${r.given_name} ${r.family_name}` });
    return { resident: named(row), safeguarded: named(concern) };
  } finally {
    await db.close();
  }
}

describe('the person page', { timeout: 300_000 }, () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sessions: DemoSessions | undefined;
  let resident: Resident;
  let safeguarded: Resident;
  let detail: PersonDetail;

  before(async () => {
    const browserStarting = launchBrowser();
    dataDir = await synthDataDir({ people: 4000 });
    ({ resident, safeguarded } = await pickResidents(dataDir));
    [server, browser] = await Promise.all([startServer({ dataDir }), browserStarting]);
    sessions = new DemoSessions(server.url);
    const res = await sessions.api('gp-staff', `/api/places/bury/people/${resident.id}`);
    assert.equal(res.status, 200);
    detail = (await res.json()) as PersonDetail;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function visit(
    path: string,
    check: (page: Page, watched: WatchedPage) => Promise<void>,
    options: { viewport?: { width: number; height: number }; as?: string } = {},
  ) {
    assert.ok(server && browser && sessions, 'the server and the browser should have started');
    const watched = await openWatchedPage(browser, options);
    await sessions.signInto(watched.context, options.as ?? 'gp-staff');
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

  test('shows the name, details, every score with its band, and recent unplanned care', async () => {
    await visit(`/people/${resident.id}`, async (page) => {
      assert.equal(await heading(page), resident.name);
      const h2s = (await page.locator('main h2').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(h2s, ['Details', 'Risk scores', 'Recent unplanned care']);
      await page
        .getByText('You can see this record because they are registered with your GP practice.')
        .waitFor();
      const optOuts = page.locator('.nhsuk-summary-list__row').filter({ hasText: 'Data opt-outs' });
      assert.match(
        await optOuts.innerText(),
        detail.optOuts.nationalDataOptOut || detail.optOuts.type1Objection
          ? /Their care is not affected/
          : /None\. Their data may be used for planning and research/,
      );
      const nhsNumber = detail.person.nhsNumber ?? '';
      assert.match(nhsNumber, /^\d{3} \d{3} \d{4}$/);
      await page.locator('.nhsuk-summary-list').getByText(nhsNumber, { exact: true }).waitFor();

      const h3s = (await page.locator('main h3').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(h3s, TITLES);
      const frailty = page.getByRole('region', { name: TITLES[0] });
      const efi = detail.risk?.explanations[0];
      assert.ok(efi?.band);
      await frailty.locator('.nhsuk-tag').getByText(efi.band.label, { exact: true }).waitFor();
      await frailty.getByText(/of 36 deficits recorded/).waitFor();

      const table = page.getByRole('table', {
        name: /A&E attendances and emergency admissions in the 12 months to/,
      });
      assert.equal(await table.locator('tbody tr').count(), detail.unplannedCare.events.length);
      assert.ok(detail.unplannedCare.events.length > 0);
      await page.getByText(/Model versions:/).waitFor();
      await page.getByText(EFI_MODEL_VERSION).waitFor();
    });
  });

  test('every "Why this score" is reached by Tab and opens with Enter, showing the reasons', async () => {
    await visit(`/people/${resident.id}`, async (page) => {
      await heading(page);
      const reached: string[] = [];
      // Tab through the page from the top; each expander's summary must take focus in turn.
      for (let i = 0; i < 80 && reached.length < TITLES.length; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el?.tagName === 'SUMMARY' ? (el.textContent ?? '').trim() : null;
        });
        if (focused === null) continue;
        reached.push(focused);
        if (reached.length === 1) {
          await page.keyboard.press('Enter');
          const open = page.locator('details[open]');
          assert.equal(await open.count(), 1, 'Enter opens the expander');
          const reasons = detail.risk?.explanations[0]?.reasons ?? [];
          assert.ok(reasons.length > 0);
          for (const reason of reasons.slice(0, 3)) await open.getByText(reason, { exact: true }).waitFor();
          await open.getByText('How it works').waitFor();
        }
      }
      assert.deepEqual(
        reached,
        TITLES.map((t) => `Why this score: ${t}`),
        'each expander is reachable by keyboard and names its score to screen readers',
      );
    });
  });

  test('the HFRS explanation names diagnoses in words, from the published list', async () => {
    await visit(`/people/${resident.id}`, async (page) => {
      await heading(page);
      const hfrs = page.getByRole('region', { name: TITLES[1] });
      await hfrs.getByText('Why this score').click();
      const first = detail.risk?.explanations[1]?.reasons[0] ?? '';
      assert.match(first, /^[A-Z]\d{2} [A-Z][a-z]/, 'a code followed by its description');
      await hfrs.getByText(first, { exact: true }).waitFor();
    });
  });

  test('axe finds no WCAG 2.2 AA violations, with the expanders shut and open, on a desktop and a phone', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 800 },
    ]) {
      await visit(
        `/people/${resident.id}`,
        async (page) => {
          await heading(page);
          await page.locator('.nhsuk-card').first().waitFor();
          assert.deepEqual(await accessibilityViolations(page), [], `axe, shut, ${viewport.width}px`);
          for (const summary of await page.locator('details summary').all()) await summary.click();
          assert.equal(await page.locator('details[open]').count(), TITLES.length);
          assert.deepEqual(await accessibilityViolations(page), [], `axe, open, ${viewport.width}px`);
          // The page's own content fits the screen (wide tables scroll inside their own region).
          const right = await page.evaluate(() =>
            Math.max(
              ...[...document.querySelectorAll('main > *')].map((el) => el.getBoundingClientRect().right),
            ),
          );
          assert.ok(right <= viewport.width, `the content fits the screen (it reaches ${right}px)`);
        },
        { viewport },
      );
    }
  });

  test('a safeguarding concern is a warning at the top of the record, with its detail for GP staff', async () => {
    await visit(`/people/${safeguarded.id}`, async (page) => {
      assert.equal(await heading(page), safeguarded.name);
      const warning = page.locator('main .nhsuk-card--warning').first();
      assert.match(
        await warning.locator('h2').innerText(),
        /Important:\s+Safeguarding concern: Adult safeguarding/,
      );
      await warning.getByText(/Section 42 enquiry open/).waitFor();
      await warning.getByText('Contact: Adult social care safeguarding team.').waitFor();
      // It comes before everything else on the page but the name.
      const first = await page.locator('main h2').first().innerText();
      assert.match(first, /Safeguarding concern/);
      assert.deepEqual(await accessibilityViolations(page), [], 'axe, safeguarding warning');
    });
  });

  test('an analyst, who works with counts only, sees no record', async () => {
    await visit(
      `/people/${resident.id}`,
      async (page, watched) => {
        assert.equal(await heading(page), 'There is no record you can see');
        await page.getByText('There is no record you can see for this person.').waitFor();
        assert.equal(await page.getByText(resident.name).count(), 0, 'nothing about the person is shown');
        assert.deepEqual(await accessibilityViolations(page), [], 'axe, no record');
        const expected = watched.problems.filter((p) => p.includes('status of 404'));
        watched.problems.splice(
          0,
          watched.problems.length,
          ...watched.problems.filter((p) => !expected.includes(p)),
        );
      },
      { as: 'analyst' },
    );
  });

  test('an unknown person shows "There is no record you can see", an address that is not a person id "Page not found"', async () => {
    for (const [path, title] of [
      ['/people/00000000-0000-4000-8000-000000000000', 'There is no record you can see'],
      ['/people/not-an-id', 'Page not found'],
    ] as const) {
      await visit(path, async (page, watched) => {
        assert.equal(await heading(page), title);
        // The browser logs the API's 404 for the unknown id; that is expected and nothing else is.
        const expected = watched.problems.filter((p) => p.includes('status of 404'));
        watched.problems.splice(
          0,
          watched.problems.length,
          ...watched.problems.filter((p) => !expected.includes(p)),
        );
      });
    }
  });
});
