import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_PER_PAGE, parseDirectorySearch, searchHref } from './directory-search-form.ts';

const choices = {
  neighbourhoods: [
    { code: 'west', name: 'West' },
    { code: 'whitefield', name: 'Whitefield' },
  ],
  towns: ['Radcliffe', 'Whitefield'],
  terms: [
    { id: 'a0000000-0000-4000-8000-000000000001', code: 'older-people', name: 'Older people' },
    { id: 'a0000000-0000-4000-8000-000000000002', code: 'food', name: 'Food' },
  ],
};

test('a resident’s choices become a search of the directory', () => {
  const parsed = parseDirectorySearch(
    { search: ' lunch ', where: 'town-radcliffe', need: 'older-people', age: '75', page: '2' },
    choices,
  );
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.isAsked, true);
  assert.deepEqual(parsed.search, {
    page: 2,
    perPage: PUBLIC_PER_PAGE,
    text: 'lunch',
    town: 'Radcliffe',
    taxonomyTermIds: ['a0000000-0000-4000-8000-000000000001'],
    age: 75,
  });
  // A town and a neighbourhood of the same name stay apart.
  assert.equal(
    parseDirectorySearch({ where: 'neighbourhood-whitefield' }, choices).search?.neighbourhood,
    'whitefield',
  );
  assert.equal(parseDirectorySearch({ where: 'town-whitefield' }, choices).search?.town, 'Whitefield');
});

test('nothing asked is a search of everything, from the first page', () => {
  const parsed = parseDirectorySearch({}, choices);
  assert.equal(parsed.isAsked, false);
  assert.deepEqual(parsed.search, { page: 1, perPage: PUBLIC_PER_PAGE });
  for (const page of ['0', '-1', 'two', '99999999'])
    assert.equal(parseDirectorySearch({ page }, choices).search?.page, 1, page);
});

test('choices that are not on the lists, and ages that are not ages, are problems for their fields', () => {
  const parsed = parseDirectorySearch(
    { where: 'town-atlantis', need: 'flying', age: 'seventy', search: 'x'.repeat(201) },
    choices,
  );
  assert.equal(parsed.search, null);
  assert.deepEqual(
    parsed.problems.map((p) => p.field),
    ['search', 'where', 'need', 'age'],
  );
  for (const age of ['-1', '121', '7.5', '1e2'])
    assert.deepEqual(
      parseDirectorySearch({ age }, choices).problems.map((p) => p.field),
      ['age'],
      age,
    );
  // Repeated parameters: the first counts.
  assert.equal(parseDirectorySearch({ age: ['80', 'x'] }, choices).search?.age, 80);
});

test('a search keeps its choices in its address', () => {
  assert.equal(
    searchHref({ search: 'lunch club', where: 'town-radcliffe', need: '', age: '75' }, 2),
    '/directory?search=lunch+club&where=town-radcliffe&age=75&page=2',
  );
  assert.equal(searchHref({ search: '', where: '', need: '', age: '' }), '/directory');
});
