/// <reference lib="dom" />
// Chromium from the system (never a downloaded one), and a page that records everything that went wrong
// in it: console errors, uncaught errors, Content Security Policy violations and failed API calls.
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The Chromium the tests drive: Debian's, or JOINEDUP_CHROMIUM. */
export const CHROMIUM = process.env.JOINEDUP_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and the browser tests need it. ` +
        'Install it with: apt-get update && apt-get install -y chromium',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far, in words. */
  problems: string[];
  close(): Promise<void>;
}

/** A page in its own context (axe needs that), watched for errors and CSP violations. */
export async function openWatchedPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) =>
    problems.push(`CSP violation: ${text}`),
  );
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void })
        .__reportCspViolation;
      report(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline content'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  return { context, page, problems, close: () => context.close() };
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's WCAG 2.2 AA violations on the page, each as one readable line. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join('; ')}`,
  );
}

/**
 * The trimmed text of the focused element, once it reads `expected` or after `timeoutMs`. Pages move focus
 * in the frame after a change is drawn, so a test reads focus when it has had the chance to land.
 */
export async function focusedTextOnceSettled(
  page: Page,
  expected: string,
  timeoutMs = 5000,
): Promise<string> {
  const read = () => document.activeElement?.textContent?.trim() ?? '';
  await page
    .waitForFunction((text) => (document.activeElement?.textContent?.trim() ?? '') === text, expected, {
      timeout: timeoutMs,
    })
    .catch(() => undefined);
  return page.evaluate(read);
}
