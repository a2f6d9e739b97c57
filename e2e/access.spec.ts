/// <reference lib="dom" />
// Signing in, roles and audit in Chromium, against the demo accounts (one per role):
//  - the sign-in page (errors linked to their fields, a wrong password, then landing on the page asked
//    for), "Your sessions" with ending another session, signing out, and the old cookie refused after;
//  - a session ended elsewhere sends the page back to sign-in, saying so;
//  - every role's navigation is exactly the pages the server's authorisation matrix lets it use, the web
//    app's own table (web/src/access/pages.ts) agrees with the matrix, and pages and API routes beyond
//    the role are refused;
//  - break-glass end to end: a West INT practitioner finds an East resident, has no relationship, breaks
//    glass with a reason and their password (refused without it, and with a wrong one) and sees the record; the information governance officer sees the use awaiting
//    review, records it as appropriate, and finds it in who accessed the record;
//  - too many sign-in attempts are refused plainly.
// axe on every page visited. Sign-in is limited to 10 failures per address and username in 15 minutes, so the spec
// runs two servers on copies of one population and signs each account in once.
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/access/demo-users.ts';
import { allows, MATRIX } from '../src/access/matrix.ts';
import { ROLES } from '../src/access/roles.ts';
import { formatNhsNumber } from '../src/core/nhs-number.ts';
import { createDb } from '../src/db/create-db.ts';
import { PAGES } from '../web/src/access/pages.ts';
import {
  accessibilityViolations,
  launchBrowser,
  openWatchedPage,
  type WatchedPage,
} from './support/browser.ts';
import { type RunningServer, startServer, synthDataDir } from './support/server.ts';
import { DemoSessions, SESSION_COOKIE } from './support/sign-in.ts';

type Role = keyof typeof ROLES;

/** The demo account of each role (src/access/demo-users.ts), and the server it signs in on. */
const ACCOUNTS: { username: string; role: Role; server: 'a' | 'b' }[] = [
  { username: 'int-lead', role: 'int-lead', server: 'a' },
  { username: 'int-practitioner', role: 'int-practitioner', server: 'a' },
  { username: 'int-practitioner-west', role: 'int-practitioner', server: 'a' },
  { username: 'gp-staff', role: 'gp-staff', server: 'a' },
  { username: 'analyst', role: 'analyst', server: 'a' },
  { username: 'ig-officer', role: 'ig-officer', server: 'a' },
  { username: 'vcse-worker', role: 'vcse-worker', server: 'b' },
  { username: 'social-worker', role: 'social-worker', server: 'b' },
  { username: 'family-help-lead', role: 'family-help-lead', server: 'b' },
  { username: 'programme-lead', role: 'programme-lead', server: 'b' },
  { username: 'administrator', role: 'administrator', server: 'b' },
  { username: 'directory-editor', role: 'directory-editor', server: 'b' },
];

/** A concrete API address for each page's route, to show the API refuses what the page does not offer. */
const API_FOR_PAGE: Record<keyof typeof PAGES, string> = {
  overview: '/api/places/bury',
  neighbourhoods: '/api/places/bury/neighbourhoods/east',
  profiles: '/api/places/bury/profiles',
  outcomes: '/api/places/bury/outcomes',
  cohorts: '/api/places/bury/cohorts',
  worklists: '/api/places/bury/worklists',
  findPerson: '/api/places/bury/people?nhsNumber=9990000018',
  recordAccess: '/api/audit/events',
  unusualAccess: '/api/audit/unusual',
  breakGlassReview: '/api/audit/break-glass',
  auditTrail: '/api/audit/verify',
  staff: '/api/staff',
  referrals: '/api/places/bury/teams/int-east/referrals',
  caseload: '/api/places/bury/teams/int-east/caseload',
  huddle: '/api/places/bury/teams/int-east/huddle',
  mdt: '/api/places/bury/teams/int-east/mdt-meetings',
  myWork: '/api/places/bury/my-work',
  serviceReferrals: '/api/places/bury/service-referrals/inbox',
  imports: '/api/places/bury/imports',
  matchReview: '/api/places/bury/match-reviews',
  directory: '/api/places/bury/directory/services',
};

const rule = (route: string) => {
  const found = MATRIX[route];
  assert.ok(found, `the matrix has ${route}`);
  return found;
};

/** The header's links for a role, as the matrix allows them. */
const expectedNavigation = (role: Role) =>
  Object.values(PAGES)
    .filter((p) => allows(rule(p.route), role))
    .map((p) => p.text);

async function expectAccessible(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe violations: ${where}`);
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'a page has one h1');
  assert.equal(await page.title(), text, 'the h1 is the document title');
}

/** Drops the browser's log lines for API answers the test expects (401 before sign-in, 404 for no record). */
function expectRefusals(watched: WatchedPage, ...statuses: number[]) {
  const kept = watched.problems.filter((p) => !statuses.some((s) => p.includes(`status of ${s}`)));
  watched.problems.splice(0, watched.problems.length, ...kept);
}

async function anEastResident(dataDir: string): Promise<{ name: string; nhsNumber: string }> {
  const db = await createDb({ databaseUrl: null, dataDir });
  try {
    const row = await db.kysely
      .selectFrom('person_risk as r')
      .innerJoin('person as p', 'p.id', 'r.person_id')
      .select(['p.given_name', 'p.family_name', 'p.nhs_number'])
      .where('r.place_id', '=', 'bury')
      .where('r.neighbourhood_code', '=', 'east')
      .where('p.nhs_number', 'is not', null)
      .orderBy('r.person_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    return { name: `${row.given_name} ${row.family_name}`, nhsNumber: String(row.nhs_number) };
  } finally {
    await db.close();
  }
}

describe('sign-in, roles and audit', { timeout: 600_000 }, () => {
  const dirs: string[] = [];
  let a: RunningServer | undefined;
  let b: RunningServer | undefined;
  let browser: Browser | undefined;
  let sessions: { a: DemoSessions; b: DemoSessions } | undefined;
  let resident: { name: string; nhsNumber: string };

  before(async () => {
    const browserStarting = launchBrowser();
    const dataDir = await synthDataDir({ people: 2000 });
    dirs.push(dataDir);
    resident = await anEastResident(dataDir);
    const copy = await mkdtemp(path.join(os.tmpdir(), 'joinedup-e2e-'));
    dirs.push(copy);
    await cp(dataDir, copy, { recursive: true });
    [a, b, browser] = await Promise.all([
      startServer({ dataDir }),
      startServer({ dataDir: copy }),
      browserStarting,
    ]);
    sessions = { a: new DemoSessions(a.url), b: new DemoSessions(b.url) };
  });

  after(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function open(
    server: 'a' | 'b',
    username: string | null,
    viewport?: { width: number; height: number },
  ): Promise<WatchedPage & { go: (path: string) => Promise<void> }> {
    assert.ok(a && b && browser && sessions, 'the servers and the browser should have started');
    const running = server === 'a' ? a : b;
    const watched = await openWatchedPage(browser, viewport ? { viewport } : {});
    if (username) await sessions[server].signInto(watched.context, username);
    return {
      ...watched,
      go: async (p: string) => {
        await watched.page.goto(new URL(p, running.url).href);
      },
    };
  }

  test('the web app’s table of pages by role agrees with the server’s authorisation matrix', () => {
    for (const [name, page] of Object.entries(PAGES)) {
      const matrix = rule(page.route);
      assert.ok(!matrix.public, `${name} is for signed-in staff`);
      for (const role of Object.keys(ROLES) as Role[])
        assert.equal(
          (page.roles as readonly string[]).includes(role),
          allows(matrix, role),
          `${role} and the ${name} page (${page.route})`,
        );
    }
  });

  test('sign in: errors linked to fields, a wrong password, then the page asked for; sessions; sign out; the old cookie is refused', async () => {
    const watched = await open('a', null);
    const { page } = watched;
    try {
      await watched.go('/worklists');
      await expectHeading(page, 'Sign in');
      assert.equal(new URL(page.url()).pathname, '/worklists', 'the address asked for is kept');
      assert.equal(await page.getByRole('navigation', { name: 'Menu' }).count(), 0, 'no navigation');
      await expectAccessible(page, 'sign-in page');

      await page.getByRole('button', { name: 'Sign in' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await summary.waitFor();
      assert.match(await summary.innerText(), /Enter your username[\s\S]*Enter your password/);
      await expectAccessible(page, 'sign-in page with errors');
      await summary.getByRole('link', { name: 'Enter your password' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');

      await page.getByLabel('Username').fill('int-practitioner');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await summary.getByText('The username or password is not right. Check them and try again.').waitFor();
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is cleared');
      await expectAccessible(page, 'sign-in page after a wrong password');

      await page.getByLabel('Password').fill('neighbourhood-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectHeading(page, 'Worklists');
      const account = page.getByRole('navigation', { name: 'Account' });
      await account.getByText('Demo INT practitioner (East INT)').waitFor();
      await account.getByText(', INT practitioner').waitFor();
      await expectAccessible(page, 'worklists after signing in');

      // A second session for the same account (another computer), which "Your sessions" can end.
      assert.ok(sessions);
      await sessions.a.of('int-practitioner');
      await account.getByRole('link', { name: 'Your sessions' }).click();
      await expectHeading(page, 'Your sessions');
      const table = page.getByRole('table', { name: 'Open sessions, newest first' });
      assert.equal(await table.locator('tbody tr').count(), 2);
      await table.getByText('This session').waitFor();
      // Each session's browser in words, as its sign-in named it.
      await table
        .locator('tr', { hasText: 'This session' })
        .getByText(/^Chrome \d+ on Linux \(/)
        .waitFor();
      await expectAccessible(page, 'your sessions');
      await table.getByRole('button', { name: /^End session started / }).click();
      await page
        .locator('main')
        .getByText(/^The session started .+ has ended\.$/)
        .waitFor();
      await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1, undefined, {
        timeout: 10_000,
      });
      assert.match(
        (await page.evaluate(() => document.activeElement?.textContent)) ?? '',
        /The session started .+ has ended\./,
        'focus moves to the notice, not to the top of the page',
      );
      const ended = await sessions.a.api('int-practitioner', '/api/session');
      assert.equal(ended.status, 401, 'the ended session no longer works');
      sessions.a.forget('int-practitioner');

      // Sign out: the server ends the session, so the cookie is useless even if it was copied.
      const cookie = (await watched.context.cookies()).find((c) => c.name === SESSION_COOKIE);
      assert.ok(cookie, 'the session cookie is set');
      assert.ok(cookie.httpOnly, 'the session cookie is HttpOnly');
      await account.getByRole('button', { name: 'Sign out' }).click();
      await expectHeading(page, 'Sign in');
      await page.locator('main').getByText('You have signed out.').waitFor();
      await expectAccessible(page, 'signed out');
      assert.ok(a);
      const replayed = await fetch(new URL('/api/session', a.url), {
        headers: { cookie: `${SESSION_COOKIE}=${cookie.value}`, accept: 'application/json' },
      });
      assert.equal(replayed.status, 401, 'the old cookie is refused after signing out');
      const viaPage = await page.request.get(new URL('/api/session', a.url).href, {
        headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` },
      });
      assert.equal(viaPage.status(), 401);
      expectRefusals(watched, 401);
      assert.deepEqual(watched.problems, []);
    } finally {
      await watched.close();
    }
  });

  for (const account of ACCOUNTS) {
    test(`${account.username} (${ROLES[account.role].title}) sees exactly their role’s pages, and is refused the others`, async () => {
      assert.ok(sessions);
      const watched = await open(account.server, account.username);
      const { page } = watched;
      try {
        await watched.go('/');
        await expectHeading(page, 'Bury borough overview');
        const nav = page.getByRole('navigation', { name: 'Menu' });
        await nav.locator('a').first().waitFor();
        const links = (await nav.locator('a.nhsuk-header__navigation-link').allTextContents()).map((t) =>
          t.trim(),
        );
        assert.deepEqual(links, expectedNavigation(account.role), `${account.username}'s navigation`);
        await expectAccessible(page, `overview as ${account.username}`);

        const refused = Object.entries(PAGES).filter(([, p]) => !allows(rule(p.route), account.role));
        assert.ok(refused.length > 0, 'every role has pages it may not use');
        for (const [name, p] of refused) {
          const res = await sessions[account.server].api(
            account.username,
            API_FOR_PAGE[name as keyof typeof PAGES],
          );
          const matrix = rule(p.route);
          const expected = !matrix.public && matrix.person ? 404 : 403;
          assert.equal(res.status, expected, `${account.username} calling ${p.route}`);
        }
        const [, first] = refused[0] ?? [];
        assert.ok(first);
        await watched.go(first.href);
        await expectHeading(page, 'You cannot use this page');
        await page
          .locator('main')
          .getByText(`This page is not for your role (${ROLES[account.role].title}).`)
          .waitFor();
        await expectAccessible(page, `${first.href} refused to ${account.username}`);
        assert.deepEqual(watched.problems, []);
      } finally {
        await watched.close();
      }
    });
  }

  test('an analyst cannot see a person; a West INT practitioner cannot open the East INT’s worklist', async () => {
    assert.ok(sessions);
    // The East INT lead makes a worklist for East.
    const cohort = await sessions.a.api('int-lead', '/api/places/bury/cohorts', {
      method: 'POST',
      body: {
        name: 'Aged 75 and over',
        rules: {
          kind: 'group',
          combinator: 'and',
          rules: [{ kind: 'rule', field: 'age', operator: '>=', value: 75 }],
        },
      },
    });
    assert.equal(cohort.status, 201, await cohort.clone().text());
    const cohortId = ((await cohort.json()) as { cohort: { id: string } }).cohort.id;
    const made = await sessions.a.api('int-lead', '/api/places/bury/worklists', {
      method: 'POST',
      body: { cohortId, name: 'East 75+', scope: 'neighbourhood', scopeCode: 'east' },
    });
    assert.equal(made.status, 201, await made.clone().text());
    const worklistId = ((await made.json()) as { worklist: { id: string } }).worklist.id;
    // Not for another neighbourhood, even by the API.
    const west = await sessions.a.api('int-lead', '/api/places/bury/worklists', {
      method: 'POST',
      body: { cohortId, name: 'West 75+', scope: 'neighbourhood', scopeCode: 'west' },
    });
    assert.equal(west.status, 403);
    // Without the CSRF token a change is refused.
    assert.ok(a);
    const session = await sessions.a.of('int-lead');
    const noToken = await fetch(new URL('/api/places/bury/worklists', a.url), {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cohortId, name: 'No token', scope: 'neighbourhood', scopeCode: 'east' }),
    });
    assert.equal(noToken.status, 403);

    const people = await sessions.a.api(
      'int-lead',
      `/api/places/bury/worklists/${worklistId}/people?pageSize=1`,
    );
    assert.equal(people.status, 200);
    const personId = ((await people.json()) as { people: { personId: string }[] }).people[0]?.personId;
    assert.ok(personId, 'someone is on the worklist');

    const analyst = await open('a', 'analyst');
    try {
      await analyst.go(`/people/${personId}`);
      await expectHeading(analyst.page, 'There is no record you can see');
      await analyst.page
        .locator('main')
        .getByText('There is no record you can see for this person.')
        .waitFor();
      await expectAccessible(analyst.page, 'no record, as an analyst');
      expectRefusals(analyst, 404);
      assert.deepEqual(analyst.problems, []);
    } finally {
      await analyst.close();
    }

    const practitioner = await open('a', 'int-practitioner-west');
    try {
      await practitioner.go(`/worklists/${worklistId}`);
      await expectHeading(practitioner.page, 'Page not found');
      await practitioner.page
        .locator('main')
        .getByText(/There is no such worklist for your team/)
        .waitFor();
      await expectAccessible(practitioner.page, 'another team’s worklist');
      await practitioner.go('/worklists');
      await expectHeading(practitioner.page, 'Worklists');
      await practitioner.page.locator('main').getByText('Your team has no worklists yet.').waitFor();
      expectRefusals(practitioner, 404);
      assert.deepEqual(practitioner.problems, []);
    } finally {
      await practitioner.close();
    }
    const refused = await sessions.a.api('int-practitioner-west', `/api/places/bury/worklists/${worklistId}`);
    assert.equal(refused.status, 404);
  });

  test('break glass: a West INT practitioner sees an East resident’s record; the IG officer reviews it', async () => {
    const practitioner = await open('a', 'int-practitioner-west');
    const { page } = practitioner;
    try {
      // What was typed is kept in the tab while the organisation's provider asks for the sign-in again
      // (no provider here): the page puts it back once.
      const kept = { nhsNumber: resident.nhsNumber, reason: 'Kept while signing in again' };
      await practitioner.go('/people');
      await page.evaluate(
        (form) => sessionStorage.setItem('joinedup.break-glass', JSON.stringify(form)),
        kept,
      );
      await practitioner.go('/people/break-glass');
      await expectHeading(page, 'Break glass to see a record');
      assert.equal(await page.getByLabel('NHS number').inputValue(), kept.nhsNumber);
      assert.equal(
        await page.getByLabel('Why do you need to see this record now?').inputValue(),
        kept.reason,
      );
      assert.equal(await page.evaluate(() => sessionStorage.getItem('joinedup.break-glass')), null);
      await practitioner.go('/people');
      await expectHeading(page, 'Find a person');
      await expectAccessible(page, 'find a person');
      await page.getByLabel('NHS number').fill(resident.nhsNumber);
      await page.getByRole('button', { name: 'Find' }).click();
      await page
        .locator('main')
        .getByText('You have no care relationship with this person, or the NHS number is not in use.')
        .waitFor();
      await expectAccessible(page, 'find a person: no relationship');
      await page.getByRole('link', { name: 'Break glass' }).click();
      await expectHeading(page, 'Break glass to see a record');
      assert.equal(await page.getByLabel('NHS number').inputValue(), resident.nhsNumber);
      await page
        .locator('main')
        .getByText(/information governance officer reviews every use/)
        .waitFor();
      await expectAccessible(page, 'break glass');
      await page.getByLabel('Why do you need to see this record now?').fill('urgent');
      await page.getByRole('button', { name: 'Break glass and see the record' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await summary.getByText(/at least 10 characters/).waitFor();
      await expectAccessible(page, 'break glass with an error');
      await page
        .getByLabel('Why do you need to see this record now?')
        .fill('Covering the East INT tonight: called to a fall at home, need medicines and contacts.');
      // Without the password that confirms it is them, then with a wrong one: refused, nothing opened.
      await page.getByRole('button', { name: 'Break glass and see the record' }).click();
      await summary.getByText('Your password: Enter your password to confirm it is you').waitFor();
      await page.getByLabel('Your password').fill('not the password');
      await page.getByRole('button', { name: 'Break glass and see the record' }).click();
      await summary.getByText(/Your password: Your password is not right/).waitFor();
      await expectAccessible(page, 'break glass with a wrong password');
      await page.getByLabel('Your password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Break glass and see the record' }).click();
      await expectHeading(page, resident.name);
      await page
        .locator('main')
        .getByText(/You can see this record because you broke glass to see it\./)
        .waitFor();
      await page
        .locator('main')
        .getByText(/You can see it until /)
        .waitFor();
      await expectAccessible(page, 'record seen by break-glass');
      expectRefusals(practitioner, 404, 400);
      assert.deepEqual(practitioner.problems, []);
    } finally {
      await practitioner.close();
    }

    const ig = await open('a', 'ig-officer');
    try {
      await ig.go('/governance/break-glass');
      await expectHeading(ig.page, 'Break-glass review');
      await ig.page
        .locator('main')
        .getByText(/Awaiting review:\s*1/)
        .waitFor();
      const table = ig.page.getByRole('table', { name: 'Break-glass uses, those awaiting review first' });
      const row = table.locator('tbody tr').first();
      assert.match(await row.innerText(), /Demo INT practitioner \(West INT\)/);
      assert.ok(
        (await row.innerText()).includes(formatNhsNumber(resident.nhsNumber)),
        'the NHS number, spaced',
      );
      assert.match(await row.innerText(), /Covering the East INT tonight/);
      await expectAccessible(ig.page, 'break-glass review');
      await row.getByRole('link', { name: /Awaiting review/ }).click();
      const review = ig.page.getByRole('region', { name: /^Review: Demo INT practitioner \(West INT\)/ });
      await review.getByLabel('Appropriate', { exact: true }).check();
      await review
        .getByLabel('Note (optional)')
        .fill('Confirmed with the East INT lead: covering the shift.');
      await expectAccessible(ig.page, 'break-glass review form filled in');
      await review.getByRole('button', { name: /^Record review/ }).click();
      await ig.page
        .locator('main')
        .getByText(/as appropriate\.$/)
        .waitFor();
      assert.match(
        (await ig.page.evaluate(() => document.activeElement?.textContent)) ?? '',
        /as appropriate\.$/,
        'focus moves to the notice: the form used has gone',
      );
      await ig.page
        .locator('main')
        .getByText(/Awaiting review:\s*0/)
        .waitFor();
      await table.locator('tbody tr').first().getByText('Appropriate', { exact: true }).waitFor();
      await expectAccessible(ig.page, 'break-glass reviewed');

      await ig.go('/governance/record-access');
      await expectHeading(ig.page, 'Who accessed a record');
      await expectAccessible(ig.page, 'who accessed a record');
      await ig.page.getByLabel('NHS number').fill(resident.nhsNumber);
      await ig.page.getByRole('button', { name: 'Search' }).click();
      const events = ig.page.getByRole('table', { name: /^Events 1 to \d+, newest first$/ });
      await events.waitFor();
      const text = await events.innerText();
      assert.match(text, /Broke glass/);
      assert.match(text, /Opened the record/);
      assert.match(text, /Demo INT practitioner \(West INT\)/);
      assert.match(text, /Refused/, 'the search without a relationship is recorded as refused');
      assert.match(text, /One resident: their details/, 'what was done, in words');
      assert.match(text, /Emergency access \(break glass\)/, 'why, in words');
      await ig.page
        .getByRole('heading', { name: /^Access to the record with NHS number \d{3} \d{3} \d{4}$/ })
        .waitFor();
      await ig.page.getByRole('link', { name: 'Download these events (CSV)' }).waitFor();
      await expectAccessible(ig.page, 'who accessed a record: results');
      // A period that runs backwards is refused, naming the To date.
      const period = [
        ['From (optional)', '31', '12', '2026'],
        ['To (optional)', '1', '12', '2026'],
      ] as const;
      for (const [legend, day, month, year] of period) {
        const group = ig.page.getByRole('group', { name: legend });
        await group.getByLabel('Day').fill(day);
        await group.getByLabel('Month').fill(month);
        await group.getByLabel('Year').fill(year);
      }
      await ig.page.getByRole('button', { name: 'Search' }).click();
      await ig.page
        .locator('.nhsuk-error-summary')
        .getByRole('link', { name: 'To: must be the same as or after the From date' })
        .waitFor();
      await expectAccessible(ig.page, 'who accessed a record: a backwards period');

      await ig.go('/governance/unusual-access');
      await expectHeading(ig.page, 'Unusual access');
      await expectAccessible(ig.page, 'unusual access');
      await ig.go('/governance/audit-trail');
      await expectHeading(ig.page, 'Audit trail');
      await ig.page
        .locator('main')
        .getByText(/^The audit trail is intact: all [\d,]+ events are unchanged/)
        .waitFor();
      const csv = ig.page.getByRole('link', { name: 'Download the audit trail (CSV)' });
      assert.equal(await csv.getAttribute('href'), '/api/audit/events.csv');
      await expectAccessible(ig.page, 'audit trail');
      assert.equal(ig.problems.filter((p) => p.includes('status of 400')).length, 1, ig.problems.join('\n'));
      assert.deepEqual(
        ig.problems.filter((p) => !p.includes('status of 400')),
        [],
        'only the backwards period refused',
      );
    } finally {
      await ig.close();
    }
  });

  test('a session ended elsewhere sends the page back to sign-in, saying so', async () => {
    assert.ok(sessions);
    const watched = await open('a', 'gp-staff');
    const { page } = watched;
    try {
      await watched.go('/');
      await expectHeading(page, 'Bury borough overview');
      const ended = await sessions.a.api('gp-staff', '/api/session', { method: 'DELETE' });
      assert.equal(ended.status, 204);
      sessions.a.forget('gp-staff');
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Worklists' }).click();
      await expectHeading(page, 'Sign in');
      await page.locator('main').getByText('Your session has ended. Sign in again.').waitFor();
      await expectAccessible(page, 'session ended');
      expectRefusals(watched, 401);
      assert.deepEqual(watched.problems, []);
    } finally {
      await watched.close();
    }
  });

  test('the administrator’s staff list, at a phone’s width with the header’s account links', async () => {
    const watched = await open('b', 'administrator', { width: 375, height: 800 });
    const { page } = watched;
    try {
      await watched.go('/staff');
      await expectHeading(page, 'Staff');
      const table = page.getByRole('table', { name: 'Staff accounts' });
      assert.equal(await table.locator('tbody tr').count(), ACCOUNTS.length);
      await table.getByText('ig-officer', { exact: true }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page does not scroll sideways (it is ${width}px wide)`);
      const account = page.getByRole('navigation', { name: 'Account' });
      for (const name of ['Your sessions', 'Sign out']) {
        const box = await account.getByRole(name === 'Sign out' ? 'button' : 'link', { name }).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${name} is on the screen`);
      }
      await expectAccessible(page, 'staff list on a phone');
      assert.deepEqual(watched.problems, []);
    } finally {
      await watched.close();
    }
  });

  test('too many sign-in attempts from one address are refused plainly', async () => {
    assert.ok(b);
    const watched = await open('b', null);
    const { page } = watched;
    try {
      // Use up the address's attempts on server b, then try once more in the page.
      for (let i = 0; i < 12; i++) {
        const res: Response = await fetch(new URL('/api/session', b.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'analyst', password: 'wrong password' }),
        });
        if (res.status === 429) break;
        assert.equal(res.status, 401);
      }
      await watched.go('/');
      await expectHeading(page, 'Sign in');
      await page.getByLabel('Username').fill('analyst');
      await page.getByLabel('Password').fill('neighbourhood-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .locator('.nhsuk-error-summary')
        .getByText(/^Too many sign-in attempts for this account from here\. Try again in 1[45] minutes\.$/)
        .waitFor();
      await expectAccessible(page, 'sign-in refused after too many attempts');
      expectRefusals(watched, 401, 429);
      assert.deepEqual(watched.problems, []);
    } finally {
      await watched.close();
    }
  });
});
