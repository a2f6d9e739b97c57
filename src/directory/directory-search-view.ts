// The public search page (GET /directory): a GET form (words, town or neighbourhood, need, the person's
// age), the matching services a page at a time, each with who runs it, where, who it is for, what it
// costs and when it is open, and links to browse by neighbourhood and by need. Works without JavaScript.
import { type Html, html } from '../server/html.ts';
import type { DirectoryService, DirectoryTaxonomyTerm } from './directory.ts';
import { errorSummary, pagination, sampleDataWarning, summaryRow } from './directory-layout.ts';
import {
  type FieldProblem,
  neighbourhoodValue,
  PUBLIC_PER_PAGE,
  type SearchForm,
  searchHref,
  townValue,
} from './directory-search-form.ts';
import { ageWords, costOptionWords, listWords, scheduleWords } from './directory-words.ts';

export interface SearchPageData {
  placeName: string;
  neighbourhoods: readonly { code: string; name: string; towns: string }[];
  towns: readonly string[];
  vocabularies: readonly { id: string; name: string; terms: readonly DirectoryTaxonomyTerm[] }[];
  form: SearchForm;
  problems: readonly FieldProblem[];
  /** The page of results; null when the form has problems. */
  results: { total: number; items: readonly DirectoryService[] } | null;
}

export const SEARCH_TITLE = 'Find a local service';

export function searchPage(d: SearchPageData): Html {
  const { form, problems } = d;
  const errorOf = (field: FieldProblem['field']) => problems.find((p) => p.field === field)?.message;
  return html`${errorSummary(problems)}
<h1>${SEARCH_TITLE}</h1>
<p class="nhsuk-lede-text">Groups, advice, support and activities near you in ${d.placeName}, from the council, the NHS and local voluntary and community groups.</p>
<div class="nhsuk-grid-row">
<div class="nhsuk-grid-column-one-third">
<form method="get" action="/directory" novalidate>
<h2 class="nhsuk-heading-m">Search</h2>
${textField({ id: 'search', label: 'What are you looking for?', hint: 'For example, lunch club, walking group or debt advice', value: form.search, error: errorOf('search') })}
${selectField({
  id: 'where',
  label: 'Where',
  value: form.where,
  error: errorOf('where'),
  none: `Anywhere in ${d.placeName}`,
  groups: [
    { label: 'Towns', options: d.towns.map((t) => ({ value: townValue(t), text: t })) },
    {
      label: 'Neighbourhoods',
      options: d.neighbourhoods.map((n) => ({
        value: neighbourhoodValue(n.code),
        text: `${n.name} neighbourhood: ${townsWords(n.towns)}`,
      })),
    },
  ],
})}
${selectField({
  id: 'need',
  label: 'What help is needed',
  value: form.need,
  error: errorOf('need'),
  none: 'Any kind of help',
  groups: d.vocabularies.map((v) => ({
    label: v.name,
    options: v.terms.map((t) => ({ value: t.code, text: t.name })),
  })),
})}
${textField({ id: 'age', label: 'Age of the person', hint: 'In years. Leave it empty to see services for all ages.', value: form.age, error: errorOf('age'), width: 3, numeric: true })}
<button class="nhsuk-button" type="submit">Search</button>
</form>
</div>
<div class="nhsuk-grid-column-two-thirds">
${d.results ? results(d, d.results) : null}
</div>
</div>
${browse(d)}`;
}

function results(d: SearchPageData, r: { total: number; items: readonly DirectoryService[] }): Html {
  const { form } = d;
  const pageCount = Math.ceil(r.total / PUBLIC_PER_PAGE);
  const isAsked = Boolean(form.search || form.where || form.need || form.age);
  const heading = isAsked
    ? `${r.total} ${r.total === 1 ? 'service' : 'services'} found`
    : `All services (${r.total})`;
  return html`<h2 class="nhsuk-heading-m">${heading}</h2>
${isAsked ? html`<p class="nhsuk-body">${searchWords(d)}</p>` : null}
${r.items.some((s) => s.isSample) ? sampleDataWarning('Every service listed here') : null}
${
  r.items.length === 0
    ? html`<p class="nhsuk-body">${
        r.total === 0
          ? `No services match. Try fewer words, another need, or anywhere in ${d.placeName}.`
          : 'There are no more services to show.'
      }</p>`
    : r.items.map((s) => serviceCard(s, d.placeName))
}
${pageCount > 1 ? html`<p class="nhsuk-body-s">Page ${form.page} of ${pageCount}</p>` : null}
${pagination(form.page, pageCount, (p) => searchHref(form, p))}`;
}

/** What was searched for, in words: "Services in Radcliffe for a person aged 75, matching “lunch”." */
function searchWords(d: SearchPageData): string {
  const { form } = d;
  const where =
    d.towns.find((t) => townValue(t) === form.where) ??
    d.neighbourhoods.find((n) => neighbourhoodValue(n.code) === form.where)?.name.concat(' neighbourhood');
  const need = d.vocabularies.flatMap((v) => v.terms).find((t) => t.code === form.need)?.name;
  const parts = [
    need ? `for ${need.toLowerCase()}` : null,
    where ? `in ${where}` : null,
    form.age ? `for a person aged ${form.age}` : null,
    form.search ? `matching “${form.search}”` : null,
  ].filter((p): p is string => p !== null);
  return `Services ${parts.join(', ')}.`;
}

const STATUS_WORDS: Record<string, string> = {
  inactive: 'Not running at the moment',
  'temporarily closed': 'Temporarily closed',
  defunct: 'Closed',
};

function serviceCard(s: DirectoryService, placeName: string): Html {
  const status = STATUS_WORDS[s.status];
  return html`<div class="nhsuk-card">
<div class="nhsuk-card__content">
<h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/directory/services/${s.id}">${s.name}</a></h3>
${status ? html`<p class="nhsuk-body"><strong class="nhsuk-tag nhsuk-tag--grey">${status}</strong></p>` : null}
<p class="nhsuk-card__description">Run by ${s.organisation.name}</p>
<dl class="nhsuk-summary-list nhsuk-summary-list--no-last-row-border">
${summaryRow('Where', whereWords(s, placeName))}
${summaryRow('Who it is for', ageWords(s.minimumAge, s.maximumAge))}
${summaryRow('Cost', costWords(s))}
${summaryRow('When it is open', whenWords(s))}
</dl>
</div>
</div>`;
}

/** Where a service meets, by town and neighbourhood: "Radcliffe (West neighbourhood)". */
export function whereWords(s: DirectoryService, placeName: string): string {
  const places = [
    ...new Set(
      s.locations.map((l) =>
        l.neighbourhood.name === l.town ? l.town : `${l.town} (${l.neighbourhood.name} neighbourhood)`,
      ),
    ),
  ];
  if (s.isBoroughWide)
    return places.length > 0
      ? `Anywhere in ${placeName}. Meets in ${listWords(places)}`
      : `Anywhere in ${placeName}`;
  return places.length > 0 ? listWords(places) : 'Ask the service';
}

/** What a service costs, in a line. */
export function costWords(s: DirectoryService): string {
  if (s.fees) return s.fees;
  if (s.costOptions.length > 0) return s.costOptions.map(costOptionWords).join('; ');
  return 'Ask the service';
}

/** When a service is open, in at most two lines. */
function whenWords(s: DirectoryService): Html | string {
  const lines = [...new Set(s.schedules.map(scheduleWords))];
  if (lines.length === 0) return 'Ask the service';
  const shown = lines.slice(0, 2);
  return html`${shown.map((l, i) => html`${i > 0 ? html`<br>` : null}${l}`)}${lines.length > 2 ? html`<br>and at other times` : null}`;
}

/** The pack's "Radcliffe; Bury (west of the Irwell)" as "Radcliffe and Bury (west of the Irwell)". */
const townsWords = (towns: string) =>
  listWords(
    towns
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean),
  );

function browse(d: SearchPageData): Html {
  return html`<h2 class="nhsuk-heading-l">Browse by neighbourhood</h2>
<ul class="nhsuk-list">
${d.neighbourhoods.map(
  (n) =>
    html`<li><a href="${searchHref({ search: '', where: neighbourhoodValue(n.code), need: '', age: '' })}">${n.name} neighbourhood</a>: ${townsWords(n.towns)}</li>`,
)}
</ul>
<h2 class="nhsuk-heading-l">Browse by need</h2>
${d.vocabularies.map(
  (v) => html`<h3 class="nhsuk-heading-m">${v.name}</h3>
<ul class="nhsuk-list">
${v.terms
  .filter((t) => t.parentId === null)
  .map(
    (t) =>
      html`<li><a href="${searchHref({ search: '', where: '', need: t.code, age: '' })}">${t.name}</a></li>`,
  )}
</ul>`,
)}`;
}

function textField(f: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error: string | undefined;
  width?: number;
  numeric?: boolean;
}): Html {
  const describedBy = [f.hint ? `${f.id}-hint` : null, f.error ? `${f.id}-error` : null].filter(Boolean);
  return html`<div class="nhsuk-form-group${f.error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label" for="${f.id}">${f.label}</label>
${f.hint ? html`<div class="nhsuk-hint" id="${f.id}-hint">${f.hint}</div>` : null}
${f.error ? html`<span class="nhsuk-error-message" id="${f.id}-error"><span class="nhsuk-u-visually-hidden">Error: </span>${f.error}</span>` : null}
<input class="nhsuk-input${f.width ? ` nhsuk-input--width-${f.width}` : ''}${f.error ? ' nhsuk-input--error' : ''}" id="${f.id}" name="${f.id}" type="text" value="${f.value}"${f.numeric ? html` inputmode="numeric"` : null}${describedBy.length > 0 ? html` aria-describedby="${describedBy.join(' ')}"` : null}>
</div>`;
}

function selectField(f: {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  none: string;
  groups: readonly { label: string; options: readonly { value: string; text: string }[] }[];
}): Html {
  const option = (value: string, text: string) =>
    html`<option value="${value}"${value === f.value ? html` selected` : null}>${text}</option>`;
  return html`<div class="nhsuk-form-group${f.error ? ' nhsuk-form-group--error' : ''}">
<label class="nhsuk-label" for="${f.id}">${f.label}</label>
${f.error ? html`<span class="nhsuk-error-message" id="${f.id}-error"><span class="nhsuk-u-visually-hidden">Error: </span>${f.error}</span>` : null}
<select class="nhsuk-select${f.error ? ' nhsuk-select--error' : ''}" id="${f.id}" name="${f.id}"${f.error ? html` aria-describedby="${f.id}-error"` : null}>
${option('', f.none)}
${f.groups.map((g) => html`<optgroup label="${g.label}">${g.options.map((o) => option(o.value, o.text))}</optgroup>`)}
</select>
</div>`;
}
