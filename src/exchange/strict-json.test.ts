import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ImportIssue } from './records.ts';
import { DEFAULT_JSON_LIMITS, type JsonLimits, parseStrictJson } from './strict-json.ts';

/** The issue for text that must be refused, failing the test when it is accepted. */
function refusal(text: string, limits?: Partial<JsonLimits>): ImportIssue {
  const result = parseStrictJson(text, limits);
  assert.equal(result.ok, false, `expected a refusal for ${JSON.stringify(text.slice(0, 80))}`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.issue.severity, 'error');
  return result.issue;
}

function assertRefused(
  text: string,
  expected: { code: string; says: string | RegExp; expression?: string },
  limits?: Partial<JsonLimits>,
): ImportIssue {
  const issue = refusal(text, limits);
  assert.equal(issue.code, expected.code, issue.diagnostics);
  if (typeof expected.says === 'string')
    assert.ok(issue.diagnostics.includes(expected.says), issue.diagnostics);
  else assert.match(issue.diagnostics, expected.says);
  if ('expression' in expected) assert.equal(issue.expression, expected.expression);
  return issue;
}

function accepted(text: string, limits?: Partial<JsonLimits>): unknown {
  const result = parseStrictJson(text, limits);
  assert.ok(result.ok, result.ok ? '' : result.issue.diagnostics);
  return result.value;
}

const patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' }],
  name: [{ use: 'official', family: 'Ó Briain', given: ['Siân', 'Zoë'], prefix: ['Ms'] }],
  gender: 'female',
  birthDate: '1948-07-14',
  _birthDate: { extension: [{ url: 'http://example.org/accuracy', valueCode: 'day' }] },
  deceasedBoolean: false,
  multipleBirthInteger: 2,
  address: [{ line: ['12 Market Street', 'Flat "B"\\2'], postalCode: 'BL9 0SN', text: 'line 1\nline 2 😀' }],
  extension: [{ url: 'http://example.org/weight', valueDecimal: -72.5 }],
  contact: [],
  meta: { tag: null },
};

test('a FHIR resource comes back exactly as JSON.parse reads it, on one line or pretty-printed', () => {
  for (const text of [
    JSON.stringify(patient),
    JSON.stringify(patient, null, 2),
    JSON.stringify(patient, null, '\t'),
  ])
    assert.deepEqual(accepted(text), JSON.parse(text));
  assert.deepEqual(accepted(' \r\n\t{"a":[1,2,{"b":"c"}]}\r\n'), { a: [1, 2, { b: 'c' }] });
});

test('any JSON value may be the whole text', () => {
  for (const text of ['"text"', '0', '-0.5e+10', '1E3', 'true', 'false', 'null', '[]', '{}', '[[],{}]'])
    assert.deepEqual(accepted(text), JSON.parse(text));
});

test('escapes and surrogate pairs are read as JSON.parse reads them', () => {
  const text = String.raw`{"a\u0062":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00😀"}`;
  assert.deepEqual(accepted(text), JSON.parse(text));
});

test('text that is not JSON is refused with the character position and the element', () => {
  assertRefused('{"resourceType":"Patient","active":}', {
    code: 'structure',
    says: 'at character 36: expected a value but found "}"',
    expression: 'active',
  });
  assertRefused('{"name":[{"given":["A" "B"]}]}', {
    code: 'structure',
    says: 'expected "," or "]" but found """',
    expression: 'name[0].given[0]',
  });
  assertRefused('Patient/1', {
    code: 'structure',
    says: 'at character 1: expected a value but found "P"',
    expression: undefined,
  });
  assertRefused("{'a':1}", { code: 'structure', says: 'double quotes, not single quotes' });
  assertRefused('{"a" 1}', {
    code: 'structure',
    says: 'expected ":" after the property name',
    expression: 'a',
  });
  assertRefused('[tru]', { code: 'structure', says: 'found "t"', expression: '[0]' });
  assertRefused('{"a":undefined}', { code: 'structure', says: 'found "u"', expression: 'a' });
});

test('several lines give the line and column instead', () => {
  assertRefused('{\n  "resourceType": "Patient",\n  "active": tru\n}', {
    code: 'structure',
    says: 'at line 3, column 13',
    expression: 'active',
  });
});

test('text that stops early is refused as cut short', () => {
  for (const text of ['{', '{"a":', '{"a":1', '[1,', '{"a":"b', '"\\', '"\\u00'])
    assert.equal(refusal(text).code, 'structure', text);
  assertRefused('{"name":[{"family":"Sm', {
    code: 'structure',
    says: 'never closed',
    expression: 'name[0].family',
  });
  assertRefused('{"a":[1,2', { code: 'structure', says: 'ends too soon', expression: 'a[1]' });
});

test('empty text is refused', () => {
  for (const text of ['', '   ', '\n\r\n\t'])
    assertRefused(text, { code: 'structure', says: 'The text is empty' });
});

test('content after the value is refused', () => {
  assertRefused('{"a":1} x', {
    code: 'structure',
    says: 'more text after the end of the JSON value, at character 9',
  });
  assertRefused('{"a":1}{"b":2}', { code: 'structure', says: 'exactly one JSON value' });
  assertRefused('[1]]', { code: 'structure', says: 'at character 4' });
  assertRefused('1 2', { code: 'structure', says: 'at character 3' });
});

test('comments are refused', () => {
  assertRefused('{"a":1 // note\n}', {
    code: 'structure',
    says: 'at line 1, column 8, and JSON does not allow comments',
    expression: 'a',
  });
  assertRefused('/* header */ {}', { code: 'structure', says: 'Remove the comment' });
  assertRefused('{"a":/* x */1}', { code: 'structure', says: 'comment', expression: 'a' });
});

test('trailing commas are refused, naming the object or array', () => {
  assertRefused('{"a":1,}', {
    code: 'structure',
    says: 'There is a comma before "}" at character 7, and JSON does not allow a trailing comma. Remove the comma after the last property',
    expression: undefined,
  });
  assertRefused('{"name":[{"given":["A",]}]}', {
    code: 'structure',
    says: 'comma before "]"',
    expression: 'name[0].given',
  });
  assertRefused('{"meta":{"versionId":"1",}}', {
    code: 'structure',
    says: 'comma before "}"',
    expression: 'meta',
  });
  assertRefused('[1,,2]', { code: 'structure', says: 'expected a value but found ","', expression: '[1]' });
});

test('a leading byte-order mark is refused', () => {
  assertRefused('\uFEFF{"resourceType":"Patient"}', {
    code: 'structure',
    says: 'Save the file as UTF-8 without a byte-order mark',
  });
  // Anywhere else it is an ordinary character in a string.
  assert.deepEqual(accepted('{"a":"\uFEFF"}'), { a: '\uFEFF' });
});

test('a duplicate key is refused, naming the key and its path, at any depth', () => {
  assertRefused('{"id":"a","id":"b"}', {
    code: 'invalid',
    says: 'The property "id" appears twice',
    expression: 'id',
  });
  assertRefused(
    '{"resourceType":"Patient","name":[{"given":["A"]},{"family":"Smith","given":["B"],"family":"Smyth"}]}',
    {
      code: 'invalid',
      says: '"family" appears twice in the same object (name[1]), the second time at character 83',
      expression: 'name[1].family',
    },
  );
  // Written with an escape it is still the same key.
  assertRefused(String.raw`{"a":{"birthDate":1,"birth\u0044ate":2}}`, {
    code: 'invalid',
    says: '"birthDate" appears twice',
    expression: 'a.birthDate',
  });
  // In a big object, past the linear search.
  const keys = Array.from({ length: 40 }, (_, k) => `"k${k}":${k}`);
  assertRefused(`{"x":{${keys.join(',')},"k7":0}}`, {
    code: 'invalid',
    says: '"k7" appears twice',
    expression: 'x.k7',
  });
  assertRefused(`{"x":{${keys.join(',')},"k\\u0037":0}}`, {
    code: 'invalid',
    says: '"k7"',
    expression: 'x.k7',
  });
  assertRefused(`{"k\\u0037":0,${keys.join(',')}}`, { code: 'invalid', says: '"k7"', expression: 'k7' });
  // A key name that is not a plain FHIRPath identifier is quoted with backticks.
  assertRefused('{"a b":1,"a b":2}', { code: 'invalid', says: '"a b"', expression: '`a b`' });
});

test('the same key in different objects is not a duplicate', () => {
  const text = '{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":{"b":1,"a":2}}';
  assert.deepEqual(accepted(text), JSON.parse(text));
  const keys = Array.from({ length: 40 }, (_, k) => `"k${k}":{"k${k}":${k}}`).join(',');
  assert.deepEqual(accepted(`{${keys}}`), JSON.parse(`{${keys}}`));
});

test('nesting deeper than the limit is refused, saying how deep is allowed', () => {
  const nest = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
  assert.ok(accepted(nest(64)));
  assertRefused(nest(65), {
    code: 'too-long',
    says: 'nested more than 64 levels deep at character 321. Up to 64 levels',
    expression: Array(64).fill('a').join('.'),
  });
  assertRefused(
    '{"contained":[[{"x":[1]}]]}',
    { code: 'too-long', says: 'more than 3 levels deep at character 16', expression: 'contained[0][0]' },
    {
      maxDepth: 3,
    },
  );
  assert.ok(accepted('{"contained":[[{}]]}', { maxDepth: 4 }));
});

test('a 1,000-deep and a 1,000,000-deep nesting are refused without overflowing the stack', () => {
  for (const depth of [1_000, 1_000_000]) {
    assertRefused('['.repeat(depth) + ']'.repeat(depth), {
      code: 'too-long',
      says: 'more than 64 levels',
      expression: '[0]'.repeat(64),
    });
    assert.equal(refusal(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`).code, 'too-long');
    assert.equal(refusal('['.repeat(depth)).code, 'too-long');
  }
});

test('a 10 MB string is refused fast', () => {
  const text = `{"resourceType":"Binary","data":"${'A'.repeat(10_000_000)}"}`;
  const started = performance.now();
  assertRefused(text, {
    code: 'too-long',
    says: 'A string starting at character 33 is longer than 1,048,576 characters',
    expression: 'data',
  });
  assert.ok(performance.now() - started < 250, `took ${performance.now() - started} ms`);
  // Also with escapes in it, which the careful loop reads.
  const escaped = `["\\n${'A'.repeat(10_000_000)}"]`;
  assertRefused(escaped, { code: 'too-long', says: 'longer than', expression: '[0]' });
});

test('string length counts decoded characters, keys included', () => {
  const limits = { maxStringLength: 5 };
  assert.deepEqual(accepted('["abcde"]', limits), ['abcde']);
  assert.deepEqual(accepted(String.raw`["\u0041\u0042\u0043\n\t"]`, limits), ['ABC\n\t']);
  assert.deepEqual(accepted('["ab😀c"]', limits), ['ab😀c']);
  assertRefused(
    '["abcdef"]',
    { code: 'too-long', says: 'longer than 5 characters', expression: '[0]' },
    limits,
  );
  assertRefused(
    String.raw`["\u0041\u0042\u0043\n\t\\"]`,
    { code: 'too-long', says: 'longer than 5' },
    limits,
  );
  assertRefused('["abcd😀"]', { code: 'too-long', says: 'longer than 5' }, limits);
  assertRefused(
    '{"name":[{"familyName":1}]}',
    {
      code: 'too-long',
      says: 'A property name starting at character 11 is longer than 5',
      expression: 'name[0]',
    },
    limits,
  );
  assert.equal(DEFAULT_JSON_LIMITS.maxStringLength, 1_048_576);
});

test('__proto__, constructor and prototype keys are refused anywhere and nothing is polluted', () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  const payloads: [string, string][] = [
    ['{"__proto__":{"polluted":true}}', '__proto__'],
    ['{"a":[{"constructor":{"prototype":{"polluted":true}}}]}', 'a[0].constructor'],
    ['{"prototype":{"polluted":true}}', 'prototype'],
    [String.raw`{"x":{"__proto\u005f_":{"polluted":true}}}`, 'x.__proto__'],
    ['[{"resourceType":"Patient"},{"__proto__":null}]', '[1].__proto__'],
  ];
  for (const [text, expression] of payloads)
    assertRefused(text, {
      code: 'invalid',
      says: /^The property name "(__proto__|constructor|prototype)" at .* not allowed/,
      expression,
    });
  // As values they are ordinary strings.
  assert.deepEqual(accepted('{"a":"__proto__","b":["constructor"]}'), { a: '__proto__', b: ['constructor'] });
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
});

test('unpaired surrogates are refused, escaped or raw', () => {
  for (const text of [
    String.raw`["\ud800"]`,
    String.raw`["\udc00"]`,
    String.raw`["\uD83D\u0041"]`,
    String.raw`["\ud83d\ud83d"]`,
    String.raw`{"\ud800":1}`,
    '["\ud800"]',
    '["a\udc00"]',
    '{"k\ud83d":1}',
  ])
    assertRefused(text, { code: 'structure', says: 'half of a surrogate pair' });
  assertRefused(String.raw`{"a":"x\uDe00"}`, {
    code: 'structure',
    says: '(\\uDe00, half of a surrogate pair) at character 8',
    expression: 'a',
  });
  assertRefused('{"a":"x\ud800"}', {
    code: 'structure',
    says: '(U+D800, half of a surrogate pair) at character 8',
    expression: 'a',
  });
});

test('invalid escapes and raw control characters are refused', () => {
  assertRefused(String.raw`{"a":"\x41"}`, {
    code: 'structure',
    says: '"\\x" at character 7 is not a valid escape',
    expression: 'a',
  });
  assertRefused(String.raw`["\'"]`, { code: 'structure', says: 'not a valid escape' });
  assertRefused(String.raw`["\u12G4"]`, { code: 'structure', says: 'four hex digits' });
  assertRefused(String.raw`["\U0041"]`, { code: 'structure', says: 'not a valid escape' });
  assertRefused('{"a":"line 1\nline 2"}', {
    code: 'structure',
    says: 'control character (U+000A) at line 1, column 13',
    expression: 'a',
  });
  assertRefused('["a\tb"]', { code: 'structure', says: 'U+0009' });
  assertRefused('["\u0000"]', { code: 'structure', says: 'U+0000' });
  assertRefused('{"a\u001fb":1}', {
    code: 'structure',
    says: 'A property name contains a control character',
  });
});

test('numbers must be written as JSON writes them', () => {
  for (const written of [
    '01',
    '-01',
    '+1',
    '1.',
    '.5',
    '1e',
    '1e+',
    '-',
    '--1',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '1.e5',
  ])
    assert.equal(refusal(`{"value":${written}}`).code, 'structure', written);
  assertRefused('{"value":01}', {
    code: 'structure',
    says: '"01" at character 10 is not a valid JSON number',
    expression: 'value',
  });
  for (const written of [
    '0',
    '-0',
    '10',
    '1.25',
    '-1.5E-7',
    '2e+308',
    '1e400',
    '123456789012345678901234567890',
  ])
    assert.deepEqual(accepted(`[${written}]`), [JSON.parse(written)]);
});

test('only the four JSON whitespace characters may separate tokens', () => {
  for (const space of ['\u00a0', '\u2028', '\v', '\f', '\u3000'])
    assert.equal(refusal(`{${space}}`).code, 'structure');
});

test('it never throws, whatever it is given', () => {
  assert.equal(parseStrictJson(undefined as unknown as string).ok, false);
  assert.equal(parseStrictJson(42 as unknown as string).ok, false);
  assert.equal(parseStrictJson('{}', { maxDepth: 0 }).ok, false);
  assert.equal(parseStrictJson('"a"', { maxStringLength: 0 }).ok, false);
  // Random text, and valid JSON with a character changed or cut off: whenever it is accepted,
  // JSON.parse agrees on the value.
  const mangled = fc
    .tuple(fc.json(), fc.nat(), fc.string({ unit: 'binary', maxLength: 2 }), fc.boolean())
    .map(([json, at, insert, cut]) => {
      const k = json.length === 0 ? 0 : at % json.length;
      return cut ? json.slice(0, k) : json.slice(0, k) + insert + json.slice(k + 1);
    });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), mangled), (text) => {
      const result = parseStrictJson(text);
      if (result.ok) assert.deepEqual(result.value, JSON.parse(text));
      else {
        assert.ok(['structure', 'invalid', 'too-long'].includes(result.issue.code));
        assert.ok(result.issue.diagnostics.length > 20);
      }
    }),
    { numRuns: 1000 },
  );
});

/** Whether a value has a key parseStrictJson refuses, anywhere in it. */
function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some(
    (key) =>
      key === '__proto__' ||
      key === 'constructor' ||
      key === 'prototype' ||
      hasForbiddenKey((value as Record<string, unknown>)[key]),
  );
}

test('random JSON values round-trip to what JSON.parse gives', () => {
  const values = fc.oneof(fc.jsonValue({ maxDepth: 8 }), fc.jsonValue({ maxDepth: 8, stringUnit: 'binary' }));
  fc.assert(
    fc.property(values, fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      const result = parseStrictJson(text);
      if (hasForbiddenKey(value)) assert.equal(result.ok ? 'accepted' : result.issue.code, 'invalid');
      else {
        assert.ok(result.ok, result.ok ? '' : result.issue.diagnostics);
        assert.deepEqual(result.value, JSON.parse(text));
      }
    }),
    { numRuns: 1000 },
  );
});
