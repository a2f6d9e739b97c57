// One service's public page (GET /directory/services/:id): what it is, who it is for, where and when it
// meets (each location with its town, postcode district and times), what it costs, how to contact it,
// how to get referred, its needs, and when the entry was last checked. A sample entry says so; a
// retired (defunct) service says it has closed, and one not running now says that.
import { formatDate } from '../core/dates.ts';
import { type Html, html, safeHref } from '../server/html.ts';
import type { DirectoryLocation, DirectorySchedule, DirectoryService } from './directory.ts';
import { sampleDataWarning, summaryRow } from './directory-layout.ts';
import { searchHref } from './directory-search-form.ts';
import { costWords } from './directory-search-view.ts';
import { ageWords, costOptionWords, scheduleWords } from './directory-words.ts';

export interface ServicePageData {
  placeName: string;
  service: DirectoryService;
  /** Live Well sites by id, to link a location that is one. */
  liveWellNames: ReadonlyMap<string, string>;
}

export function servicePage({ placeName, service: s, liveWellNames }: ServicePageData): Html {
  const forAll = s.schedules.filter((t) => t.locationId === null);
  const atLocation = (l: DirectoryLocation) => s.schedules.filter((t) => t.locationId === l.id);
  return html`<a class="nhsuk-back-link" href="/directory">Back to find a local service</a>
<h1>${s.name}</h1>
<p class="nhsuk-lede-text">Run by ${s.organisation.name}</p>
${statusNotice(s)}
${s.isSample ? sampleDataWarning('This service') : null}
<p class="nhsuk-body">${s.description}</p>

<h2 class="nhsuk-heading-l">Who it is for</h2>
<dl class="nhsuk-summary-list">
${summaryRow('Age', ageWords(s.minimumAge, s.maximumAge))}
${summaryRow('Who can use it', s.eligibilityDescription)}
${summaryRow('Area', s.isBoroughWide ? `People anywhere in ${placeName}` : null)}
</dl>

<h2 class="nhsuk-heading-l">Where and when</h2>
${forAll.length > 0 ? times(forAll, s.locations.length > 0 ? 'At every place it meets' : null) : null}
${s.locations.length === 0 ? html`<p class="nhsuk-body">Contact the service to find out where it meets.</p>` : null}
${s.locations.map(
  (l) => html`<h3 class="nhsuk-heading-m">${l.name}</h3>
<dl class="nhsuk-summary-list">
${summaryRow('Address', [l.address1, l.town, l.postcode].filter(Boolean).join(', '))}
${summaryRow('Neighbourhood', `${l.neighbourhood.name} neighbourhood`)}
${summaryRow(
  'Opening times',
  atLocation(l).length > 0 ? scheduleList(atLocation(l)) : forAll.length > 0 ? 'As above' : 'Ask the service',
)}
${summaryRow(
  'Live Well',
  l.liveWellSiteId && liveWellNames.has(l.liveWellSiteId)
    ? html`<a href="/directory/live-well/${l.liveWellSiteId}">${liveWellNames.get(l.liveWellSiteId) ?? ''}</a>`
    : null,
)}
</dl>`,
)}
${s.schedules.length === 0 ? html`<p class="nhsuk-body">Contact the service to find out when it is open.</p>` : null}

<h2 class="nhsuk-heading-l">Cost</h2>
<p class="nhsuk-body">${costWords(s)}</p>
${
  s.costOptions.length > 0 && s.fees
    ? html`<ul class="nhsuk-list nhsuk-list--bullet">${s.costOptions.map((c) => html`<li>${costOptionWords(c)}</li>`)}</ul>`
    : null
}

<h2 class="nhsuk-heading-l">Contact</h2>
${contacts(s)}

<h2 class="nhsuk-heading-l">How to get referred</h2>
<p class="nhsuk-body">You can contact the service yourself, using the details above. A GP, social worker or anyone in your Integrated Neighbourhood Team can also refer you, and will tell you what happens next.</p>

${
  s.terms.length > 0
    ? html`<h2 class="nhsuk-heading-l">What it helps with</h2>
<ul class="nhsuk-list">${s.terms.map((t) => html`<li><a href="${searchHref({ search: '', where: '', need: t.code, age: '' })}">${t.name}</a></li>`)}</ul>`
    : null
}

<p class="nhsuk-body-s">Last checked: ${formatDate(s.lastChecked)}. Next review due: ${formatDate(s.reviewDate)}.</p>`;
}

function statusNotice(s: DirectoryService): Html | null {
  const words: Partial<Record<DirectoryService['status'], string>> = {
    defunct: 'This service has closed. It is no longer running. Search for another service near you.',
    'temporarily closed':
      'This service is temporarily closed. Contact it to find out when it will open again.',
    inactive: 'This service is not running at the moment. Contact it to find out when it will start.',
  };
  const said = words[s.status];
  if (!said) return null;
  return html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p><strong>${said}</strong></p></div>`;
}

function scheduleList(schedules: readonly DirectorySchedule[]): Html {
  return html`<ul class="nhsuk-list nhsuk-u-margin-bottom-0">${schedules.map(
    (t) =>
      html`<li>${scheduleWords(t)}${t.description ? html`<br><span class="nhsuk-body-s">${t.description}</span>` : null}</li>`,
  )}</ul>`;
}

function times(schedules: readonly DirectorySchedule[], caption: string | null): Html {
  return html`<dl class="nhsuk-summary-list">${summaryRow(caption ?? 'Opening times', scheduleList(schedules))}</dl>`;
}

function contacts(s: DirectoryService): Html {
  const rows = [
    ...s.contacts.map((c) => {
      const phone = c.phone ? safeHref(`tel:${c.phone.replace(/\s+/g, '')}`) : undefined;
      const email = safeHref(c.email ? `mailto:${c.email}` : null);
      return summaryRow(
        [c.title, c.name].filter(Boolean).join(', ') || 'Contact',
        html`${c.phone ? (phone ? html`<a href="${phone}">${c.phone}</a>` : c.phone) : null}${c.phone && c.email ? html`<br>` : null}${c.email ? (email ? html`<a href="${email}">${c.email}</a>` : c.email) : null}`,
      );
    }),
    s.email ? summaryRow('Email', emailLink(s.email)) : null,
    s.url ? summaryRow('Website', webLink(s.url)) : null,
    !s.url && s.organisation.website
      ? summaryRow(`${s.organisation.name} website`, webLink(s.organisation.website))
      : null,
  ].filter((r) => r !== null);
  return rows.length > 0
    ? html`<dl class="nhsuk-summary-list">${rows}</dl>`
    : html`<p class="nhsuk-body">Ask at the place it meets.</p>`;
}

const emailLink = (email: string) => {
  const href = safeHref(`mailto:${email}`);
  return href ? html`<a href="${href}">${email}</a>` : email;
};

const webLink = (url: string) => {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${url}</a>` : url;
};
