import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CSV_COLUMNS, CSV_LAYOUTS, type CsvLayout } from '../core/csv-layouts.ts';
import { csvTemplate, layoutOfHeader, readCsv } from './csv-in.ts';
import { rowToRecord } from './csv-records.ts';
import type { ImportIssue, ImportRecord, Parsed } from './records.ts';

const NHS = '9990000018';

type Item = Awaited<ReturnType<ReturnType<typeof readCsv>['next']>>['value'];

async function* inBlocks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(
  bytes: Uint8Array,
  size = 64 * 1024,
  label = 'test.csv',
): Promise<NonNullable<Item>[]> {
  const items: NonNullable<Item>[] = [];
  for await (const item of readCsv(inBlocks(bytes, size), label)) items.push(item);
  return items;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Text in windows-1252, for the few characters the tests use. */
function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = {
    '€': 0x80,
    '‘': 0x91,
    '’': 0x92,
    '“': 0x93,
    '”': 0x94,
    é: 0xe9,
    '£': 0xa3,
  };
  return Uint8Array.from([...text].map((c) => special[c] ?? c.charCodeAt(0)));
}

function recordOf(parsed: Parsed<ImportRecord>): ImportRecord {
  if (!parsed.ok) assert.fail(`expected a record, got ${JSON.stringify(parsed.issues, null, 1)}`);
  return parsed.value;
}

function issuesOf(parsed: Parsed<ImportRecord>): readonly ImportIssue[] {
  if (parsed.ok) assert.fail(`expected issues, got ${JSON.stringify(parsed.value)}`);
  return parsed.issues;
}

function parsedOf(item: Item): Parsed<ImportRecord> {
  if (!item || !('parsed' in item)) assert.fail(`expected a row, got ${JSON.stringify(item)}`);
  return item.parsed;
}

/** The one issue about `column`, checked to carry the row and the column. */
function issueAt(parsed: Parsed<ImportRecord>, column: string, line = 2): ImportIssue {
  const found = issuesOf(parsed).filter((issue) => issue.expression === column);
  assert.equal(found.length, 1, `one issue about ${column}: ${JSON.stringify(issuesOf(parsed))}`);
  const issue = found[0] as ImportIssue;
  assert.equal(issue.line, line);
  assert.equal(issue.severity, 'error');
  assert.match(issue.diagnostics, new RegExp(`row ${line}, ${column}:`));
  return issue;
}

const PERSON = {
  nhs_number: NHS,
  given_name: 'Alex',
  family_name: 'Sample',
  sex: 'female',
  date_of_birth: '1948-07-05',
  lsoa: 'E01004941',
  practice: 'P83006',
};
const CONDITION = { nhs_number: NHS, snomed_code: '44054006', term: 'Diabetes', onset_date: '2019-04-11' };
const MEDICINE = {
  nhs_number: NHS,
  medicine_code: 'metformin',
  name: 'Metformin 500mg tablets',
  start_date: '2019-05-01',
};
const ADMISSION = {
  nhs_number: NHS,
  kind: 'emergency-admission',
  start_date: '2024-01-08',
  end_date: '2024-01-15',
};
const SERVICE = { nhs_number: NHS, service: 'home-care', start_date: '2024-01-16' };
const RESULT = { nhs_number: NHS, snomed_code: '271649006', value: '142', observed_on: '2024-03-02' };

const row = (layout: CsvLayout, fields: Record<string, string>) => rowToRecord(layout, fields, 2, 'test.csv');

describe('templates', () => {
  const kinds: Record<CsvLayout, ImportRecord['kind']> = {
    people: 'person',
    conditions: 'condition',
    medicines: 'medication',
    activity: 'encounter',
    'social-care': 'social-care',
    'test-results': 'observation',
  };
  for (const layout of CSV_LAYOUTS)
    it(`the ${layout} template reads back as a valid record`, async () => {
      const template = csvTemplate(layout);
      assert.equal(template.split('\n')[0], CSV_COLUMNS[layout].map((c) => c.name).join(','));
      const items = await readAll(utf8(template));
      assert.equal(items.length, 1);
      assert.equal(items[0]?.line, 2);
      const record = recordOf(parsedOf(items[0]));
      assert.equal(record.kind, kinds[layout]);
      if (record.kind === 'person') assert.equal(record.resourceKey, `nhs:${NHS}`);
      else if (record.kind !== 'organisation') {
        assert.equal(record.personKey, `nhs:${NHS}`);
        assert.match(record.resourceKey, new RegExp(`^csv:${layout}:id:`));
      }
    });

  it('gives each record the meaning the template shows', async () => {
    const activity = recordOf(parsedOf((await readAll(utf8(csvTemplate('activity'))))[0]));
    assert.deepEqual(activity, {
      resourceKey: 'csv:activity:id:APC-000001',
      kind: 'encounter',
      personKey: `nhs:${NHS}`,
      encounterKind: 'emergency-admission',
      startDate: '2024-01-08',
      endDate: '2024-01-15',
      lengthOfStay: 7,
      primaryDiagnosis: 'J18.9',
      secondaryDiagnoses: ['I50', 'E11'],
      isReadmission: false,
      arrivalByAmbulance: true,
    });
    const person = recordOf(parsedOf((await readAll(utf8(csvTemplate('people'))))[0]));
    assert.deepEqual(person, {
      kind: 'person',
      resourceKey: `nhs:${NHS}`,
      nhsNumber: NHS,
      givenName: 'Alex',
      familyName: 'Sample',
      sex: 'female',
      dateOfBirth: '1948-07-05',
      dateOfDeath: '2024-02-01',
      causeOfDeath: 'respiratory',
      ethnicCategory: 'A',
      lsoa: 'E01004941',
      postcode: 'BL9 0SN',
      practice: 'P83006',
      nationalDataOptOut: false,
      type1Objection: false,
    });
  });
});

describe('layoutOfHeader', () => {
  it('knows each layout by its full header and by its required columns with nhs_number', () => {
    for (const layout of CSV_LAYOUTS) {
      assert.deepEqual(layoutOfHeader(CSV_COLUMNS[layout].map((c) => c.name)), { ok: true, layout });
      const minimal = ['nhs_number', ...CSV_COLUMNS[layout].filter((c) => c.required).map((c) => c.name)];
      assert.deepEqual(layoutOfHeader(minimal), { ok: true, layout });
    }
  });

  it('ignores case, spaces around names and a byte-order mark', () => {
    assert.deepEqual(layoutOfHeader(['\uFEFF NHS_Number', 'SNOMED_CODE ', 'term', 'onset_date']), {
      ok: true,
      layout: 'conditions',
    });
  });

  it('refuses an unknown extra column, naming it', () => {
    const result = layoutOfHeader(['nhs_number', 'snomed_code', 'term', 'onset_date', 'diagnosis_date']);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issue.expression, 'diagnosis_date');
    assert.equal(result.issue.line, 1);
    assert.match(result.issue.diagnostics, /conditions layout.*diagnosis_date is not a column/);
  });

  it('refuses a missing required column, naming it', () => {
    const result = layoutOfHeader(['nhs_number', 'snomed_code', 'term']);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issue.code, 'required');
    assert.equal(result.issue.expression, 'onset_date');
    assert.match(result.issue.diagnostics, /conditions layout, but it has no onset_date column/);
  });

  it('refuses a header with no way to say who a row is about', () => {
    const result = layoutOfHeader(['snomed_code', 'term', 'onset_date']);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.issue.diagnostics, /nhs_number column, a person_id column, or both/);
  });

  it('refuses a repeated column and a header that fits no layout', () => {
    const twice = layoutOfHeader(['nhs_number', 'snomed_code', 'term', 'onset_date', 'term']);
    assert.equal(twice.ok, false);
    if (!twice.ok) assert.match(twice.issue.diagnostics, /term appears twice/);
    const none = layoutOfHeader(['colour', 'size']);
    assert.equal(none.ok, false);
    if (!none.ok) assert.match(none.issue.diagnostics, /does not match any layout.*people \(nhs_number/);
  });
});

describe('rowToRecord', () => {
  it('refuses a date that is not YYYY-MM-DD rather than guessing it', () => {
    const issue = issueAt(row('conditions', { ...CONDITION, onset_date: '02/03/2024' }), 'onset_date');
    assert.equal(issue.code, 'value');
    assert.match(issue.diagnostics, /not guessed: write it as YYYY-MM-DD/);
    issueAt(row('conditions', { ...CONDITION, onset_date: '2023-02-29' }), 'onset_date');
  });

  it('refuses placeholder NHS numbers and wrong check digits', () => {
    assert.match(
      issueAt(row('people', { ...PERSON, nhs_number: '0000000000' }), 'nhs_number').diagnostics,
      /placeholder/,
    );
    assert.match(
      issueAt(row('conditions', { ...CONDITION, nhs_number: '9990000019' }), 'nhs_number').diagnostics,
      /wrong check digit/,
    );
    assert.match(
      issueAt(row('conditions', { ...CONDITION, nhs_number: '9.99E+09' }), 'nhs_number').diagnostics,
      /scientific notation/,
    );
  });

  it('accepts an NHS number grouped 3 3 4 and stores its digits', () => {
    const record = recordOf(row('people', { ...PERSON, nhs_number: '999 000 0018' }));
    assert.equal(record.kind === 'person' && record.nhsNumber, NHS);
  });

  it('needs an NHS number or a person_id, and keys people without an NHS number by person_id', () => {
    const neither = row('conditions', { ...CONDITION, nhs_number: '' });
    assert.equal(issueAt(neither, 'nhs_number').code, 'required');
    const byId = recordOf(row('conditions', { ...CONDITION, nhs_number: '', person_id: 'GP-17' }));
    assert.equal('personKey' in byId && byId.personKey, 'csv:person:GP-17');
    const person = recordOf(row('people', { ...PERSON, nhs_number: '', person_id: 'GP-17' }));
    assert.equal(person.resourceKey, 'csv:person:GP-17');
    assert.equal(person.kind === 'person' && person.nhsNumber, null);
    issueAt(row('people', { ...PERSON, nhs_number: '' }), 'person_id');
  });

  it('refuses malformed SNOMED CT codes', () => {
    assert.match(
      issueAt(row('conditions', { ...CONDITION, snomed_code: '44054007' }), 'snomed_code').diagnostics,
      /check digit/,
    );
    issueAt(row('test-results', { ...RESULT, snomed_code: '0123456' }), 'snomed_code');
  });

  it('reads ICD-10 codes into their normal form and refuses others', () => {
    const record = recordOf(
      row('activity', { ...ADMISSION, primary_diagnosis: 'j189', secondary_diagnoses: ' I509 ; e11;' }),
    );
    assert.equal(record.kind === 'encounter' && record.primaryDiagnosis, 'J18.9');
    assert.deepEqual(record.kind === 'encounter' && record.secondaryDiagnoses, ['I50.9', 'E11']);
    issueAt(row('activity', { ...ADMISSION, primary_diagnosis: 'heart failure' }), 'primary_diagnosis');
    const secondary = issueAt(
      row('activity', { ...ADMISSION, primary_diagnosis: 'I50', secondary_diagnoses: 'E11;X;J18.99' }),
      'secondary_diagnoses',
    );
    assert.match(secondary.diagnostics, /"X", "J18.99" are not ICD-10 codes/);
    issueAt(row('activity', { ...ADMISSION, secondary_diagnoses: 'E11' }), 'secondary_diagnoses');
  });

  it('refuses an end before its start', () => {
    assert.equal(
      issueAt(row('medicines', { ...MEDICINE, end_date: '2019-04-30' }), 'end_date').code,
      'business-rule',
    );
    issueAt(row('activity', { ...ADMISSION, end_date: '2024-01-07' }), 'end_date');
    issueAt(row('social-care', { ...SERVICE, end_date: '2023-12-31' }), 'end_date');
    const sameDay = recordOf(row('social-care', { ...SERVICE, end_date: SERVICE.start_date }));
    assert.equal(sameDay.kind === 'social-care' && sameDay.endDate, SERVICE.start_date);
  });

  it('refuses a death before birth, and a cause of death without a death', () => {
    issueAt(row('people', { ...PERSON, date_of_death: '1948-07-04' }), 'date_of_death');
    issueAt(row('people', { ...PERSON, cause_of_death_group: 'cancer' }), 'cause_of_death_group');
  });

  it('refuses a cell longer than 1,000 characters', () => {
    const issue = issueAt(row('conditions', { ...CONDITION, term: 'x'.repeat(1001) }), 'term');
    assert.equal(issue.code, 'too-long');
    recordOf(row('conditions', { ...CONDITION, term: 'x'.repeat(1000) }));
  });

  it('reports every problem in a row, each with its row and column', () => {
    const parsed = rowToRecord(
      'people',
      {
        nhs_number: '1234567890',
        given_name: '',
        family_name: 'Sample',
        sex: 'unknown',
        date_of_birth: '05/07/1948',
        ethnic_category: 'Q',
        lsoa: 'W01000001',
        postcode: 'nowhere',
        practice: 'P83-006',
      },
      14,
      'people.csv',
    );
    const columns = issuesOf(parsed).map((issue) => issue.expression);
    assert.deepEqual(columns, [
      'nhs_number',
      'given_name',
      'sex',
      'date_of_birth',
      'ethnic_category',
      'lsoa',
      'postcode',
      'practice',
    ]);
    for (const issue of issuesOf(parsed)) {
      assert.equal(issue.line, 14);
      assert.ok(issue.diagnostics.startsWith(`people.csv row 14, ${issue.expression}: `), issue.diagnostics);
    }
  });

  it('keeps a value that starts with = + - or @ as it is written', () => {
    const condition = recordOf(row('conditions', { ...CONDITION, term: '=HYPERLINK("http://x")' }));
    assert.equal(condition.kind === 'condition' && condition.term, '=HYPERLINK("http://x")');
    const person = recordOf(row('people', { ...PERSON, given_name: '@Alex', family_name: '+Sample' }));
    assert.equal(person.kind === 'person' && `${person.givenName} ${person.familyName}`, '@Alex +Sample');
    const result = recordOf(row('test-results', { ...RESULT, value: '-3.5', unit: '-' }));
    assert.equal(result.kind === 'observation' && result.value, -3.5);
    assert.equal(result.kind === 'observation' && result.unit, '-');
  });

  it('trims values and reads codes in either case', () => {
    const person = recordOf(
      row('people', {
        ...PERSON,
        nhs_number: ` ${NHS} `,
        given_name: '  Alex ',
        sex: ' M ',
        lsoa: 'e01004941',
        postcode: 'bl90sn',
        practice: 'p83006',
      }),
    );
    assert.deepEqual(
      person.kind === 'person' && [
        person.nhsNumber,
        person.givenName,
        person.sex,
        person.lsoa,
        person.postcode,
      ],
      [NHS, 'Alex', 'male', 'E01004941', 'BL9 0SN'],
    );
    assert.equal(person.kind === 'person' && person.practice, 'P83006');
    assert.equal(person.kind === 'person' && person.ethnicCategory, 'Z');
  });

  it('reads the opt-outs, blank meaning none recorded', () => {
    const opted = recordOf(row('people', { ...PERSON, national_data_opt_out: 'Yes', type1_objection: 'y' }));
    assert.deepEqual(opted.kind === 'person' && [opted.nationalDataOptOut, opted.type1Objection], [
      true,
      true,
    ]);
    const blank = recordOf(row('people', PERSON));
    assert.deepEqual(blank.kind === 'person' && [blank.nationalDataOptOut, blank.type1Objection], [
      false,
      false,
    ]);
    issueAt(row('people', { ...PERSON, national_data_opt_out: 'opted out' }), 'national_data_opt_out');
  });

  it('keys a record without record_id by its content, so the same row is the same record', () => {
    const first = recordOf(row('conditions', CONDITION));
    assert.match(first.resourceKey, /^csv:conditions:[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries({ ...CONDITION, term: ' Diabetes ' }).reverse());
    assert.equal(recordOf(row('conditions', reordered)).resourceKey, first.resourceKey);
    assert.notEqual(
      recordOf(row('conditions', { ...CONDITION, onset_date: '2019-04-12' })).resourceKey,
      first.resourceKey,
    );
    const withId = recordOf(row('conditions', { ...CONDITION, record_id: 'C1' }));
    assert.equal(withId.resourceKey, 'csv:conditions:id:C1');
  });

  it('reads hospital activity by its kind', () => {
    const ed = recordOf(
      row('activity', { nhs_number: NHS, kind: 'ed', start_date: '2024-02-01', arrival_by_ambulance: 'N' }),
    );
    assert.deepEqual(
      ed.kind === 'encounter' && [ed.endDate, ed.lengthOfStay, ed.arrivalByAmbulance, ed.isReadmission],
      ['2024-02-01', null, false, false],
    );
    const admission = recordOf(row('activity', { ...ADMISSION, readmission: 'yes' }));
    assert.deepEqual(
      admission.kind === 'encounter' && [
        admission.lengthOfStay,
        admission.isReadmission,
        admission.arrivalByAmbulance,
      ],
      [7, true, null],
    );
    issueAt(row('activity', { ...ADMISSION, end_date: '' }), 'end_date');
    issueAt(row('activity', { ...ADMISSION, kind: 'outpatient', readmission: 'yes' }), 'readmission');
    issueAt(row('activity', { ...ADMISSION, length_of_stay: '8' }), 'length_of_stay');
    issueAt(row('activity', { ...ADMISSION, kind: 'A&E' }), 'kind');
    issueAt(row('activity', { ...ADMISSION, arrival_by_ambulance: 'maybe' }), 'arrival_by_ambulance');
  });

  it('refuses test results that are not plain numbers, and other wrong values', () => {
    assert.match(issueAt(row('test-results', { ...RESULT, value: '<5' }), 'value').diagnostics, /"<" or ">"/);
    issueAt(row('test-results', { ...RESULT, value: '7,5' }), 'value');
    issueAt(row('test-results', { ...RESULT, value: '' }), 'value');
    issueAt(row('social-care', { ...SERVICE, service: 'day-care' }), 'service');
    issueAt(row('medicines', { ...MEDICINE, medicine_code: 'Metformin 500mg' }), 'medicine_code');
    issueAt(row('medicines', { ...MEDICINE, bnf_section: 'cardio' }), 'bnf_section');
    assert.equal(issueAt(row('conditions', { ...CONDITION, colour: 'red' }), 'colour').code, 'structure');
  });
});

describe('readCsv', () => {
  const conditionsHeader = 'nhs_number,person_id,record_id,snomed_code,term,onset_date\n';

  it('refuses a file whose header has an unknown column, before any row', async () => {
    const items = await readAll(
      utf8('nhs_number,snomed_code,term,onset_date,notes\n9990000018,44054006,x,2019-01-01,\n'),
    );
    assert.equal(items.length, 1);
    const item = items[0];
    assert.ok(item && 'headerIssue' in item);
    assert.equal(item.headerIssue.expression, 'notes');
    assert.match(item.headerIssue.diagnostics, /^test\.csv row 1 \(the header\): /);
  });

  it('decodes a windows-1252 file with € and curly quotes', async () => {
    const text =
      'nhs_number,medicine_code,name,start_date\r\n' +
      `${NHS},special,Café “special” €5 ‘tab’ £2,2020-01-01\r\n` +
      `${NHS},other,Plain,2020-01-01\r\n`;
    const items = await readAll(windows1252(text), 7);
    assert.equal(items.length, 2);
    const record = recordOf(parsedOf(items[0]));
    assert.equal(record.kind === 'medication' && record.name, 'Café “special” €5 ‘tab’ £2');
  });

  it('strips a UTF-8 byte-order mark and decodes characters split across blocks', async () => {
    const text = `\uFEFF${conditionsHeader}${NHS},,,44054006,Diabète “type 2” €,2019-04-11\n`;
    for (const size of [1, 2, 3, 5, 4096]) {
      const items = await readAll(utf8(text), size);
      assert.equal(items.length, 1, `blocks of ${size}`);
      const record = recordOf(parsedOf(items[0]));
      assert.equal(record.kind === 'condition' && record.term, 'Diabète “type 2” €');
    }
  });

  it('refuses the rows of a UTF-8 file that hold bytes of another encoding', async () => {
    const good = utf8(`${conditionsHeader}${NHS},,,44054006,Diabète,2019-04-11\n`);
    const mixed = windows1252(`${NHS},,,44054006,Diabète,2019-04-11\n`);
    const bytes = new Uint8Array([...good, ...mixed]);
    const items = await readAll(bytes, good.length);
    recordOf(parsedOf(items[0]));
    const issue = issueAt(parsedOf(items[1]), 'term', 3);
    assert.match(issue.diagnostics, /CSV UTF-8/);
  });

  it('refuses a UTF-16 file and an empty file at the header', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('nhs_number\n', 'utf16le')]);
    const [item] = await readAll(utf16);
    assert.ok(item && 'headerIssue' in item);
    assert.match(item.headerIssue.diagnostics, /UTF-16/);
    const [empty] = await readAll(new Uint8Array(0));
    assert.ok(empty && 'headerIssue' in empty);
  });

  it('numbers rows as a spreadsheet does, skipping blank rows, and reports rows of the wrong width', async () => {
    const text =
      conditionsHeader +
      `${NHS},,,44054006,"Two\nlines",2019-04-11\n` +
      '\n,,,,,\n' +
      `${NHS},,,44054006,Diabetes,2019-04-11,extra\n` +
      `${NHS},,,44054006,Diabetes,02/03/2024\n`;
    const items = await readAll(utf8(text));
    assert.deepEqual(
      items.map((item) => item.line),
      [2, 5, 6],
    );
    assert.match(
      issuesOf(parsedOf(items[1]))[0]?.diagnostics ?? '',
      /row 5: this row has 7 values but the header has 6/,
    );
    issueAt(parsedOf(items[2]), 'onset_date', 6);
  });

  it('ignores an unnamed empty column, but not a value in one', async () => {
    const text = `nhs_number,snomed_code,term,onset_date,\n${NHS},44054006,Diabetes,2019-04-11,\n${NHS},44054006,Diabetes,2019-04-11,oops\n`;
    const items = await readAll(utf8(text));
    recordOf(parsedOf(items[0]));
    assert.match(
      issuesOf(parsedOf(items[1]))[0]?.diagnostics ?? '',
      /row 3: column 5 has a value but no name/,
    );
  });

  it('stops at a quote that never closes, saying which row', async () => {
    const text = `${conditionsHeader}${NHS},,,44054006,Diabetes,2019-04-11\n${NHS},,,44054006,"Diabetes,2019-04-11\n${NHS},,,44054006,Diabetes,2019-04-11\n`;
    const items = await readAll(utf8(text));
    assert.equal(items.length, 2);
    const issue = issuesOf(parsedOf(items[1]))[0];
    assert.equal(issue?.line, 3);
    assert.match(issue?.diagnostics ?? '', /quote mark .* never closed/);
  });

  it('closes the source when it stops early', async () => {
    let isClosed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8('colour,size\n');
        yield utf8('red,big\n');
      } finally {
        isClosed = true;
      }
    }
    const items = [];
    for await (const item of readCsv(source(), 'test.csv')) items.push(item);
    assert.equal(items.length, 1);
    assert.ok(isClosed);
  });

  it('streams a file of 100,000 rows', async () => {
    const rows = 100_000;
    async function* file(): AsyncGenerator<Uint8Array> {
      yield utf8(conditionsHeader);
      const perBlock = 1000;
      for (let i = 0; i < rows; i += perBlock) {
        let block = '';
        for (let j = i; j < i + perBlock; j++)
          block += `${NHS},,R${j},44054006,Diabetes mellitus type 2,2019-04-11\n`;
        yield utf8(block);
      }
    }
    let count = 0;
    let lastLine = 0;
    for await (const item of readCsv(file(), 'big.csv')) {
      assert.ok('parsed' in item && item.parsed.ok);
      count += 1;
      lastLine = item.line;
    }
    assert.equal(count, rows);
    assert.equal(lastLine, rows + 1);
  });
});

describe('docs/import-csv.md', () => {
  it('has a table row for every column of every layout, as CSV_COLUMNS has it', async () => {
    const page = await readFile(new URL('../../docs/import-csv.md', import.meta.url), 'utf8');
    for (const layout of CSV_LAYOUTS) {
      const section = page.split(`### ${layout}\n`)[1]?.split('\n### ')[0] ?? '';
      const expected = CSV_COLUMNS[layout].map(
        (c) =>
          `| \`${c.name}\` | ${c.required ? 'yes' : 'no'} | ${c.description} | ${c.example ? `\`${c.example}\`` : ''} |`,
      );
      const rows = section.split('\n').filter((line) => line.startsWith('| `'));
      assert.deepEqual(rows, expected, `the ${layout} table`);
    }
  });
});
