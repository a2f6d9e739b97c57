/// <reference lib="dom" />
// Imports and match review in Chromium, signed in as the demo administrator:
//  - "Import a file" with no file chosen: the error summary, its link to the field;
//  - an NDJSON file of two valid Patients (Bury LSOA and practice, 999-range NHS numbers) and one bad
//    line: the job completes with "People added 2", the problem on line 3 with its line and FHIRPath,
//    and the problems as a CSV download; the recent imports list it;
//  - the same file again is recognised as imported before, and leads to the same job;
//  - the CSV templates page and one template;
//  - a Patient without an NHS number whose family name is one letter off one of the first two (same
//    date of birth, sex and postcode), with a Condition: the import holds them for a match review; the
//    reviewer sees both side by side, first confirms without choosing (error summary), then decides
//    "same person"; the held Condition is written and the review moves to "Decided".
// axe on every page and state. With JOINEDUP_SCREENSHOT_DIR set, each page is also saved there as a PNG.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { nhsCheckDigit } from '../src/core/nhs-number.ts';
import { createDb } from '../src/db/create-db.ts';
import {
  LSOA_EXTENSION,
  LSOA_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  SNOMED_SYSTEM,
} from '../src/synth/fhir.ts';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer, synthDataDir } from './support/server.ts';
import { DemoSessions } from './support/sign-in.ts';

// A small area (Besses, Whitefield) and a Whitefield GP practice of the Bury place pack
// (place-packs/bury/lsoas.csv and practices.csv).
const LSOA = 'E01004941';
const PRACTICE = 'P83004';
const POSTCODE = 'M45 6NA';

async function expectAccessible(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
  assert.equal(await page.title(), text, 'the h1 is the document title');
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.JOINEDUP_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** The value beside a summary list key, exactly. */
const summaryValue = (page: Page, key: string) =>
  page
    .locator('.nhsuk-summary-list__row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }) })
    .locator('dd');

/** Valid 999-range NHS numbers (Modulus 11) that no one in the generated population has. */
async function unusedNhsNumbers(dataDir: string, count: number): Promise<string[]> {
  const candidates: string[] = [];
  for (let serial = 987_654; candidates.length < count * 4; serial++) {
    const nine = `999${serial}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) candidates.push(`${nine}${check}`);
  }
  const db = await createDb({ databaseUrl: null, dataDir });
  try {
    const taken = await db.kysely
      .selectFrom('person')
      .select('nhs_number')
      .where('nhs_number', 'in', candidates)
      .execute();
    const used = new Set(taken.map((t) => String(t.nhs_number)));
    return candidates.filter((c) => !used.has(c)).slice(0, count);
  } finally {
    await db.close();
  }
}

type Resource = Record<string, unknown>;

function patient(p: {
  id: string;
  nhsNumber: string | null;
  given: string;
  family: string;
  gender: string;
  birthDate: string;
}): Resource {
  return {
    resourceType: 'Patient',
    id: p.id,
    ...(p.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }] } : {}),
    name: [{ use: 'official', family: p.family, given: [p.given] }],
    gender: p.gender,
    birthDate: p.birthDate,
    address: [
      {
        use: 'home',
        extension: [{ url: LSOA_EXTENSION, valueCoding: { system: LSOA_SYSTEM, code: LSOA } }],
        postalCode: POSTCODE,
        country: 'GB',
      },
    ],
    generalPractitioner: [
      { reference: `Organization/${PRACTICE}`, identifier: { system: ODS_SYSTEM, value: PRACTICE } },
    ],
  };
}

const ndjson = (lines: (Resource | string)[]) =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

describe('imports and match review', { timeout: 600_000 }, () => {
  let dataDir: string | undefined;
  let files: string | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  let firstFile = '';
  let reviewFile = '';

  before(async () => {
    const browserStarting = launchBrowser();
    dataDir = await synthDataDir({ people: 2000 });
    const [first, second] = await unusedNhsNumbers(dataDir, 2);
    assert.ok(first && second, 'two unused NHS numbers');
    files = await mkdtemp(path.join(os.tmpdir(), 'joinedup-imports-e2e-'));
    firstFile = path.join(files, 'whitefield-patients.ndjson');
    await writeFile(
      firstFile,
      ndjson([
        patient({
          id: 'wf-1',
          nhsNumber: first,
          given: 'Theodora',
          family: 'Pilkington',
          gender: 'female',
          birthDate: '1937-06-14',
        }),
        patient({
          id: 'wf-2',
          nhsNumber: second,
          given: 'Harold',
          family: 'Openshaw',
          gender: 'male',
          birthDate: '1941-11-02',
        }),
        // Line 3: a sex the product does not count by.
        patient({
          id: 'wf-3',
          nhsNumber: null,
          given: 'Sam',
          family: 'Entwistle',
          gender: 'unknown',
          birthDate: '1960-01-20',
        }),
      ]),
    );
    // The same person as Theodora Pilkington, one letter different and no NHS number, with a condition.
    reviewFile = path.join(files, 'community-no-nhs-number.ndjson');
    await writeFile(
      reviewFile,
      ndjson([
        patient({
          id: 'community-77',
          nhsNumber: null,
          given: 'Theodora',
          family: 'Pilkingtin',
          gender: 'female',
          birthDate: '1937-06-14',
        }),
        {
          resourceType: 'Condition',
          id: 'community-77-cond-1',
          code: {
            coding: [{ system: SNOMED_SYSTEM, code: '44054006', display: 'Type 2 diabetes mellitus' }],
          },
          subject: { reference: 'Patient/community-77' },
          onsetDateTime: '2015-04-11',
        },
      ]),
    );
    [server, browser] = await Promise.all([startServer({ dataDir }), browserStarting]);
    watched = await openWatchedPage(browser);
    await new DemoSessions(server.url).signInto(watched.context, 'administrator');
  });

  after(async () => {
    await watched?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (files) await rm(files, { recursive: true, force: true });
  });

  const url = (p: string) => new URL(p, server?.url).href;

  test('import a file: its job, counts and problems; the same file again; the CSV templates', async () => {
    assert.ok(watched);
    const { page } = watched;
    await page.goto(url('/'));
    const nav = page.getByRole('navigation', { name: 'Menu' });
    await nav.getByRole('link', { name: 'Match review' }).waitFor();
    await nav.getByRole('link', { name: 'Imports' }).click();
    await expectHeading(page, 'Imports');
    await page.getByText('No files have been imported yet.').waitFor();
    await expectAccessible(page, 'imports, none yet');

    // No file chosen: the error summary takes focus and links to the field.
    await page.getByRole('button', { name: 'Import the file' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary')),
      true,
    );
    await expectAccessible(page, 'imports, no file chosen');
    await summary.getByRole('link', { name: 'Select a file to import' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-file');

    // Two good Patients and a bad line.
    await page.getByLabel('Import a file').setInputFiles(firstFile);
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expectHeading(page, 'Import of whitefield-patients.ndjson');
    await page
      .getByText('whitefield-patients.ndjson was uploaded, and Joined Up has started importing it.')
      .waitFor();
    const jobUrl = page.url();
    await summaryValue(page, 'Status').getByText('Completed').waitFor({ timeout: 120_000 });
    assert.equal((await summaryValue(page, 'People added').innerText()).trim(), '2');
    assert.equal((await summaryValue(page, 'Refused').innerText()).trim(), '1');
    const problems = page.getByRole('table', { name: /^Problems in whitefield-patients\.ndjson/ });
    const line3 = problems
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '3', exact: true }) });
    await line3.waitFor();
    assert.match(await line3.innerText(), /Patient\.gender\s+gender is unknown; .*female or male/);
    await expectAccessible(page, 'import job, completed with a problem');
    await screenshot(page, 'import-job');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the problems (CSV)' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv.split('\n')[0] ?? '', /^line,fhirpath,severity,code,problem/);
    assert.match(csv, /^3,Patient\.gender,error,/m);

    // The list of recent imports.
    await page.getByRole('link', { name: 'Back to imports' }).click();
    await expectHeading(page, 'Imports');
    const recent = page.getByRole('table', { name: 'Recent imports, newest first' });
    const row = recent.getByRole('row').filter({ hasText: 'whitefield-patients.ndjson' });
    await row.waitFor();
    assert.match(await row.innerText(), /Completed\s+2\s+0\s+1/);
    await expectAccessible(page, 'imports with one');
    await screenshot(page, 'imports');

    // The same file again: recognised, nothing taken in twice, and the same job shown.
    await page.getByLabel('Import a file').setInputFiles(firstFile);
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expectHeading(page, 'Import of whitefield-patients.ndjson');
    await page
      .getByText(
        /^This file was imported before, on .+\. Nothing was taken in again: this page shows that import\.$/,
      )
      .waitFor();
    assert.equal(page.url(), jobUrl, 'the earlier import');
    await expectAccessible(page, 'import job, imported before');
    await screenshot(page, 'import-job-imported-before');

    // The CSV templates.
    await page.getByRole('link', { name: 'Back to imports' }).click();
    await expectHeading(page, 'Imports');
    await page.getByRole('link', { name: 'CSV templates' }).first().click();
    await expectHeading(page, 'CSV templates');
    const templates = page.getByRole('table', { name: 'Templates' });
    assert.equal(await templates.getByRole('link', { name: /^Download template \(CSV\) for / }).count(), 6);
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      templates.getByRole('link', { name: 'Download template (CSV) for people' }).click(),
    ]);
    assert.equal(template.suggestedFilename(), 'joinedup-people.csv');
    assert.match(await readFile(await template.path(), 'utf8'), /given_name/);
    await expectAccessible(page, 'CSV templates');
    await screenshot(page, 'csv-templates');
    assert.deepEqual(watched.problems, []);
  });

  test('a person without an NHS number waits for a match review; decided as the same person', async () => {
    assert.ok(watched);
    const { page } = watched;
    await page.goto(url('/match-review'));
    await expectHeading(page, 'Match review');
    await page.getByText('There is no one to decide.').waitFor();
    await expectAccessible(page, 'match review, empty');

    await page.goto(url('/imports'));
    await expectHeading(page, 'Imports');
    await page.getByLabel('Import a file').setInputFiles(reviewFile);
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expectHeading(page, 'Import of community-no-nhs-number.ndjson');
    await summaryValue(page, 'Status').getByText('Completed').waitFor({ timeout: 120_000 });
    assert.equal((await summaryValue(page, 'People waiting for a match review').innerText()).trim(), '1');
    assert.equal((await summaryValue(page, 'Records held for a match review').innerText()).trim(), '1');
    assert.equal((await summaryValue(page, 'People added').innerText()).trim(), '0');
    await page.getByText('No problems were found in the file.').waitFor();
    await expectAccessible(page, 'import job, waiting for review');

    await page.getByRole('link', { name: 'Go to match review' }).click();
    await expectHeading(page, 'Match review');
    const review = page.getByRole('region', { name: 'Theodora Pilkingtin, born 14 June 1937' });
    await review.waitFor();
    await review.getByText('1 record waits for this decision.').waitFor();
    const table = review.getByRole('table', {
      name: 'Theodora Pilkingtin in the import beside Theodora Pilkington, known to Joined Up',
    });
    const nameRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Name' }) });
    assert.match(await nameRow.innerText(), /Theodora Pilkingtin\s+Theodora Pilkington\s+Different/);
    const birthRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Date of birth' }) });
    assert.match(await birthRow.innerText(), /14 June 1937\s+14 June 1937\s+Same/);
    await review.getByText('Possibly the same person').waitFor();
    await review
      .getByText(/Family name (sounds alike|spelt nearly the same) \(PILKINGTIN\/PILKINGTON\)/i)
      .waitFor();
    await expectAccessible(page, 'match review, one open');
    await screenshot(page, 'match-review');

    // Confirm without choosing: the error summary, linked to the choice.
    await review.getByRole('button', { name: 'Confirm who Theodora Pilkingtin is' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    await expectAccessible(page, 'match review, nothing chosen');
    await summary
      .getByRole('link', {
        name: 'Choose whether Theodora Pilkingtin is the same person as someone known, or a new person',
      })
      .click();
    assert.match((await page.evaluate(() => document.activeElement?.id)) ?? '', /^decision-/);

    await review.getByLabel('Same person as Theodora Pilkington').check();
    await review.getByRole('button', { name: 'Confirm who Theodora Pilkingtin is' }).click();
    await page
      .locator('main')
      .getByText(
        'Theodora Pilkingtin is recorded as the same person as Theodora Pilkington. 1 record that was waiting has been added.',
      )
      .waitFor();
    await page.getByText('There is no one to decide.').waitFor();
    assert.equal(await summary.count(), 0, 'the error summary has gone');
    await expectAccessible(page, 'match review, decided');

    await page
      .getByRole('navigation', { name: 'Match reviews' })
      .getByRole('link', { name: 'Decided' })
      .click();
    const decided = page.getByRole('table', { name: 'Decided reviews' });
    const decidedRow = decided.getByRole('row').filter({ hasText: 'Theodora Pilkingtin' });
    await decidedRow.waitFor();
    assert.match(await decidedRow.innerText(), /Same person as Theodora Pilkington/);
    assert.match(page.url(), /\/match-review\?status=decided$/);
    await expectAccessible(page, 'match review, decided tab');
    await screenshot(page, 'match-review-decided');
    assert.deepEqual(watched.problems, []);
  });
});
