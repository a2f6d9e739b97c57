// The public search form (GET /directory): what a resident typed and chose, checked, and turned into a
// search of the directory, or into problems to show beside the fields. The address keeps every choice,
// so a search can be bookmarked, shared and paged without JavaScript. Pure.
import type { ServiceSearch } from './directory.store.ts';

/** Results on one page of the public search. */
export const PUBLIC_PER_PAGE = 10;
/** The highest page asked for that is taken as it is; past the results a page is just empty. */
const MAX_PAGE = 10_000;
const MAX_TEXT = 200;

/** The query as the address gave it: each value a text, or several when repeated. */
export type RawQuery = Record<string, string | string[] | undefined>;

export interface SearchChoices {
  /** Neighbourhoods: `where=neighbourhood-west`. */
  neighbourhoods: readonly { code: string; name: string }[];
  /** Towns: `where=town-radcliffe`. */
  towns: readonly string[];
  /** Needs by code: `need=older-people` (codes may repeat across vocabularies: any of them). */
  terms: readonly { id: string; code: string; name: string }[];
}

export interface SearchForm {
  search: string;
  where: string;
  need: string;
  age: string;
  page: number;
}

export interface FieldProblem {
  /** The id of the field in the page, which the error summary links to. */
  field: 'search' | 'where' | 'need' | 'age';
  message: string;
}

export interface ParsedSearch {
  form: SearchForm;
  problems: FieldProblem[];
  /** The search to run: null when there are problems. */
  search: ServiceSearch | null;
  /** Whether anything was asked for (the first visit asks for nothing). */
  isAsked: boolean;
}

const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export const townValue = (town: string) => `town-${town.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
export const neighbourhoodValue = (code: string) => `neighbourhood-${code}`;

export function parseDirectorySearch(query: RawQuery, choices: SearchChoices): ParsedSearch {
  const form: SearchForm = {
    search: first(query.search).trim(),
    where: first(query.where).trim(),
    need: first(query.need).trim(),
    age: first(query.age).trim(),
    page: pageOf(first(query.page)),
  };
  const problems: FieldProblem[] = [];
  const search: ServiceSearch = { page: form.page, perPage: PUBLIC_PER_PAGE };

  if (form.search.length > MAX_TEXT)
    problems.push({ field: 'search', message: `Search words must be ${MAX_TEXT} characters or fewer` });
  else if (form.search) search.text = form.search;

  if (form.where) {
    const neighbourhood = choices.neighbourhoods.find((n) => neighbourhoodValue(n.code) === form.where);
    const town = choices.towns.find((t) => townValue(t) === form.where);
    if (neighbourhood) search.neighbourhood = neighbourhood.code;
    else if (town) search.town = town;
    else problems.push({ field: 'where', message: 'Choose a town or neighbourhood from the list' });
  }

  if (form.need) {
    const ids = choices.terms.filter((t) => t.code === form.need).map((t) => t.id);
    if (ids.length > 0) search.taxonomyTermIds = ids;
    else problems.push({ field: 'need', message: 'Choose a need from the list' });
  }

  if (form.age) {
    const age = /^\d{1,3}$/.test(form.age) ? Number(form.age) : Number.NaN;
    if (Number.isInteger(age) && age <= 120) search.age = age;
    else problems.push({ field: 'age', message: 'Age must be a number of years, like 75' });
  }

  return {
    form,
    problems,
    search: problems.length > 0 ? null : search,
    isAsked: Boolean(form.search || form.where || form.need || form.age),
  };
}

function pageOf(text: string): number {
  const page = /^\d{1,6}$/.test(text) ? Number(text) : 1;
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** The address of the search with these choices, on this page (empty choices left out). */
export function searchHref(form: Omit<SearchForm, 'page'>, page = 1): string {
  const params = new URLSearchParams();
  for (const key of ['search', 'where', 'need', 'age'] as const) if (form[key]) params.set(key, form[key]);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/directory?${query}` : '/directory';
}
