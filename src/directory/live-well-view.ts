// The public Live Well pages: the rollout of Live Well centres and hubs by town and year
// (GET /directory/live-well), and one centre, hub or network with where it is and its services
// (GET /directory/live-well/:id). The rollout is the place's strategy (live_well_site, from the pack).
import { type Html, html } from '../server/html.ts';
import type { DirectoryLocation, DirectoryService } from './directory.ts';
import { sampleDataWarning, summaryRow } from './directory-layout.ts';
import { neighbourhoodValue, searchHref } from './directory-search-form.ts';
import { ageWords, listWords, liveWellKindWords, rolloutWords } from './directory-words.ts';

export interface LiveWellSite {
  id: string;
  name: string;
  kind: string;
  town: string;
  neighbourhoods: string[];
  rolloutYear: number;
  rolloutYearEnd: number | null;
  summary: string;
}

const NOT_RUNNING: Record<string, string> = {
  inactive: 'Not running at the moment',
  'temporarily closed': 'Temporarily closed',
};

export const liveWellTitle = (placeName: string) => `Live Well in ${placeName}`;

export function liveWellRolloutPage(d: { placeName: string; sites: readonly LiveWellSite[] }): Html {
  return html`<h1>${liveWellTitle(d.placeName)}</h1>
<p class="nhsuk-lede-text">Live Well brings services together in each town: the Integrated Neighbourhood Team, adult social care and safeguarding, help with council tax and benefits, public health, support for children and young people, leisure, cafés and libraries, with local voluntary and community groups around them.</p>
<h2 class="nhsuk-heading-l">When each town gets its Live Well centre or hub</h2>
<div class="nhsuk-table-responsive">
<table class="nhsuk-table">
<caption class="nhsuk-table__caption">Live Well rollout by town and year</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
<th scope="col" class="nhsuk-table__header">Town</th>
<th scope="col" class="nhsuk-table__header">Year</th>
<th scope="col" class="nhsuk-table__header">Centre or hub</th>
<th scope="col" class="nhsuk-table__header">About it</th>
</tr></thead>
<tbody class="nhsuk-table__body">
${d.sites.map(
  (s) => html`<tr class="nhsuk-table__row">
<th scope="row" class="nhsuk-table__header">${s.town}</th>
<td class="nhsuk-table__cell">${rolloutWords(s.rolloutYear, s.rolloutYearEnd)}</td>
<td class="nhsuk-table__cell"><a href="/directory/live-well/${s.id}">${s.name}</a><br><span class="nhsuk-body-s">${liveWellKindWords(s.kind)}</span></td>
<td class="nhsuk-table__cell">${s.summary}</td>
</tr>`,
)}
</tbody>
</table>
</div>
<p class="nhsuk-body"><a href="/directory">Find a local service</a></p>`;
}

export interface LiveWellSitePageData {
  placeName: string;
  site: LiveWellSite;
  neighbourhoodNames: ReadonlyMap<string, string>;
  locations: readonly DirectoryLocation[];
  services: readonly DirectoryService[];
}

export function liveWellSitePage(d: LiveWellSitePageData): Html {
  const { site } = d;
  const neighbourhoods = site.neighbourhoods.map((code) => ({
    code,
    name: d.neighbourhoodNames.get(code) ?? code,
  }));
  return html`<a class="nhsuk-back-link" href="/directory/live-well">Back to Live Well in ${d.placeName}</a>
<h1>${site.name}</h1>
<p class="nhsuk-lede-text">${site.summary}</p>
<dl class="nhsuk-summary-list">
${summaryRow('What it is', liveWellKindWords(site.kind))}
${summaryRow('Town', site.town)}
${summaryRow(site.rolloutYearEnd ? 'Years' : 'Year', rolloutWords(site.rolloutYear, site.rolloutYearEnd))}
${summaryRow(
  neighbourhoods.length === 1 ? 'Neighbourhood' : 'Neighbourhoods',
  listWords(neighbourhoods.map((n) => `${n.name}`)),
)}
${summaryRow(
  'Where',
  d.locations.length > 0
    ? listWords(d.locations.map((l) => [l.name, l.address1, l.town, l.postcode].filter(Boolean).join(', ')))
    : null,
)}
</dl>
<h2 class="nhsuk-heading-l">Services here</h2>
${d.services.some((s) => s.isSample) ? sampleDataWarning('Every service listed here') : null}
${
  d.services.length === 0
    ? html`<p class="nhsuk-body">No services are listed here yet.</p>`
    : html`<div class="nhsuk-table-responsive"><table class="nhsuk-table">
<caption class="nhsuk-table__caption nhsuk-table__caption--s">${d.services.length} ${d.services.length === 1 ? 'service' : 'services'} at ${site.name}</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
<th scope="col" class="nhsuk-table__header">Service</th>
<th scope="col" class="nhsuk-table__header">Run by</th>
<th scope="col" class="nhsuk-table__header">Who it is for</th>
</tr></thead>
<tbody class="nhsuk-table__body">
${d.services.map(
  (s) => html`<tr class="nhsuk-table__row">
<td class="nhsuk-table__cell"><a href="/directory/services/${s.id}">${s.name}</a>${s.status === 'active' ? null : html`<br><span class="nhsuk-body-s">${NOT_RUNNING[s.status] ?? ''}</span>`}</td>
<td class="nhsuk-table__cell">${s.organisation.name}</td>
<td class="nhsuk-table__cell">${ageWords(s.minimumAge, s.maximumAge)}</td>
</tr>`,
)}
</tbody>
</table></div>`
}
<h2 class="nhsuk-heading-l">More services nearby</h2>
<ul class="nhsuk-list">
${neighbourhoods.map(
  (n) =>
    html`<li><a href="${searchHref({ search: '', where: neighbourhoodValue(n.code), need: '', age: '' })}">Services in the ${n.name} neighbourhood</a></li>`,
)}
</ul>`;
}
