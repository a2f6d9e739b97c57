// The frame of every public directory page, in NHS.UK frontend's markup: a skip link, the header with
// the service and place, a short navigation, the page's own content in <main>, and the footer. No
// script: the pages work the same with JavaScript off. Also the NHS.UK parts the pages share (error
// summary, summary list rows, numbered pagination, the sample-data warning).
import { type Html, type HtmlValue, html } from '../server/html.ts';

export interface PublicPage {
  /** The place whose directory it is (for the link to its Open Referral UK feed). */
  placeId: string;
  /** The page's h1 and (with the service name) its title. */
  title: string;
  placeName: string;
  stylesheets: readonly string[];
  /** Which navigation item is current. */
  section: 'search' | 'live-well' | null;
  /** The page shows problems with what was asked: its title starts "Error:". */
  hasErrors?: boolean;
  main: Html;
}

const SERVICE_NAME = 'Find a local service';

const NHS_LOGO = html`<svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/></svg>`;

export function publicPage(p: PublicPage): string {
  const navItem = (href: string, text: string, isCurrent: boolean) =>
    html`<li class="nhsuk-header__navigation-item${isCurrent ? ' nhsuk-header__navigation-item--current' : ''}"><a class="nhsuk-header__navigation-link" href="${href}"${isCurrent ? html` aria-current="page"` : ''}>${text}</a></li>`;
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.hasErrors ? 'Error: ' : ''}${p.title} – ${SERVICE_NAME} in ${p.placeName}</title>
<meta name="description" content="Find local health, care, voluntary and community services in ${p.placeName}.">
<link rel="icon" href="data:,">
${p.stylesheets.map((href) => html`<link rel="stylesheet" href="${href}">`)}
</head>
<body>
<a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
<header class="nhsuk-header" role="banner">
<div class="nhsuk-header__container nhsuk-width-container">
<div class="nhsuk-header__service">
<a class="nhsuk-header__service-logo" href="/directory">${NHS_LOGO}<span class="nhsuk-header__service-name">${SERVICE_NAME}</span></a>
<span class="app-header__place"><span class="nhsuk-u-visually-hidden">Place: </span>${p.placeName}</span>
</div>
</div>
<nav class="nhsuk-header__navigation" aria-label="Menu">
<div class="nhsuk-header__navigation-container nhsuk-width-container">
<ul class="nhsuk-header__navigation-list">
${navItem('/directory', 'Find a service', p.section === 'search')}
${navItem('/directory/live-well', 'Live Well centres and hubs', p.section === 'live-well')}
</ul>
</div>
</nav>
</header>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper app-main" id="maincontent" tabindex="-1">
${p.main}
</main>
</div>
<footer class="nhsuk-footer" role="contentinfo">
<div class="nhsuk-width-container">
<div class="nhsuk-footer__meta">
<h2 class="nhsuk-u-visually-hidden">Support links</h2>
<ul class="nhsuk-footer__list">
<li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/directory/live-well">Live Well in ${p.placeName}</a></li>
<li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/api/places/${p.placeId}/oruk/services">Open Referral UK data for developers</a></li>
<li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/">Staff sign in</a></li>
</ul>
<p class="nhsuk-body-s">This directory is part of Joined Up, open-source software for neighbourhood health and care. If someone is in danger now, call 999. For urgent medical help, call 111.</p>
</div>
</div>
</footer>
</body>
</html>
`.toString();
}

/** NHS.UK error summary: each problem links to its field. */
export function errorSummary(problems: readonly { field: string; message: string }[]): Html | null {
  if (problems.length === 0) return null;
  return html`<div class="nhsuk-error-summary" tabindex="-1">
<div role="alert">
<h2 class="nhsuk-error-summary__heading">There is a problem</h2>
<div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">
${problems.map((p) => html`<li><a href="#${p.field}">${p.message}</a></li>`)}
</ul></div>
</div>
</div>`;
}

/** One row of an NHS.UK summary list; nothing when there is no value. */
export function summaryRow(key: string, value: HtmlValue): Html | null {
  if (value === null || value === undefined || value === false || value === '') return null;
  return html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value}</dd></div>`;
}

/** The warning that entries are sample data, made up for the project. */
export function sampleDataWarning(what: string): Html {
  return html`<div class="nhsuk-card nhsuk-card--warning">
<div class="nhsuk-card__content">
<h2 class="nhsuk-card__heading"><span class="nhsuk-u-visually-hidden">Important: </span>Sample data</h2>
<p class="nhsuk-card__description">${what} is sample data, made up to show how Joined Up works. It is not a real service: do not use it to find help.</p>
</div>
</div>`;
}

/** First, last and the pages around the current one; null marks a gap. */
function pagesToShow(current: number, last: number): (number | null)[] {
  const pages = [...new Set([1, last, current - 1, current, current + 1])]
    .filter((p) => p >= 1 && p <= last)
    .sort((a, b) => a - b);
  const out: (number | null)[] = [];
  pages.forEach((p, i) => {
    const previous = pages[i - 1];
    if (previous !== undefined && p - previous > 1) out.push(null);
    out.push(p);
  });
  return out;
}

const ARROW_LEFT = html`<svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true"><path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>`;
const ARROW_RIGHT = html`<svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true"><path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>`;

/** NHS.UK numbered pagination; nothing when everything fits on one page. */
export function pagination(page: number, pageCount: number, hrefFor: (page: number) => string): Html | null {
  if (pageCount <= 1) return null;
  return html`<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">
${page > 1 ? html`<a href="${hrefFor(page - 1)}" class="nhsuk-pagination__previous" rel="prev">${ARROW_LEFT}<span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden"> page</span></span></a>` : null}
<ul class="nhsuk-pagination__list">
${pagesToShow(page, pageCount).map((p) =>
  p === null
    ? html`<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>`
    : html`<li class="nhsuk-pagination__item${p === page ? ' nhsuk-pagination__item--current' : ''}"><a class="nhsuk-pagination__link" href="${hrefFor(p)}" aria-label="Page ${p}"${p === page ? html` aria-current="page"` : null}>${p}</a></li>`,
)}
</ul>
${page < pageCount ? html`<a href="${hrefFor(page + 1)}" class="nhsuk-pagination__next" rel="next"><span class="nhsuk-pagination__title">Next<span class="nhsuk-u-visually-hidden"> page</span></span>${ARROW_RIGHT}</a>` : null}
</nav>`;
}
