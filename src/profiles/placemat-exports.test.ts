import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Figure } from './figures.ts';
import { placematCsv } from './placemat-csv.ts';
import { pdfText, placematPdf } from './placemat-pdf.ts';
import { SUPPRESSION_NOTE } from './placemat-rows.ts';
import type { Placemat } from './placemats.ts';

const BANDS = ['0–4', '5–9', '10–14', '15–19', '20–24', '25–29', '30–34', '35–39', '40–44', '45–49', '50–54'];
const LAST_BANDS = ['55–59', '60–64', '65–69', '70–74', '75–79', '80–84', '85–89', '90+'];
const shown = (n: number) => ({ shown: n.toLocaleString('en-GB'), value: n });

const figure = (f: Partial<Figure> & Pick<Figure, 'id' | 'label' | 'group'>): Figure => ({
  unit: '%',
  method: 'wilson',
  polarity: 'not-applicable',
  count: '1,235',
  value: 12.345,
  lower: 11.71,
  upper: 13.0,
  comparison: 'similar',
  note: null,
  ...f,
});

/** Prestwich, one of Bury's five neighbourhoods, with a figure or two from each section. */
function prestwich(): Placemat {
  return {
    area: { kind: 'neighbourhood', code: 'prestwich', name: 'Prestwich' },
    parent: { kind: 'borough', code: 'bury', name: 'Bury' },
    children: [
      { kind: 'ward', code: 'E05014163', name: 'Holyrood' },
      { kind: 'ward', code: 'E05014170', name: "St Mary's" },
      { kind: 'ward', code: 'E05014171', name: 'Sedgley' },
    ],
    referenceDate: '2026-03-31',
    yearFrom: '2025-03-31',
    lifeFrom: '2023-03-31',
    population: shown(31_405),
    pyramid: {
      bands: [...BANDS, ...LAST_BANDS],
      female: [...BANDS, ...LAST_BANDS].map((_, i) => shown(900 - i * 30)),
      male: [...BANDS, ...LAST_BANDS].map((_, i) =>
        i === 18 ? { shown: '*', value: null } : shown(910 - i * 35),
      ),
    },
    figures: [
      figure({
        id: 'share-65-plus',
        label: 'Residents aged 65 and over',
        group: 'population',
        count: '6,020',
      }),
      figure({
        id: 'core20',
        label: 'Residents in the most deprived 20% of areas in England (Core20)',
        group: 'deprivation',
        count: '4,150',
        value: 13.2149,
        lower: 12.84,
        upper: 13.6,
        comparison: 'lower',
      }),
      figure({
        id: 'prevalence-diabetes',
        label: 'Diabetes: recorded prevalence',
        group: 'conditions',
        count: '2,105',
      }),
      figure({
        id: 'prevalence-sickle-cell',
        label: 'Sickle cell disease: recorded prevalence',
        group: 'conditions',
        count: '*',
        value: null,
        lower: null,
        upper: null,
        comparison: 'not-compared',
        note: 'Not shown: too few people to publish safely.',
      }),
      figure({ id: 'segment-frail', label: 'Living with frailty', group: 'segments', count: '1,310' }),
      figure({
        id: 'emergency-admissions',
        label: 'Emergency admissions (age-standardised)',
        group: 'activity',
        unit: 'per 100,000',
        method: 'dsr-repeat-events',
        polarity: 'lower-is-better',
        count: '2,870',
        value: 9123.456,
        lower: 8790.04,
        upper: 9466.96,
        comparison: 'worse',
      }),
      figure({
        id: 'deaths',
        label: 'Deaths from all causes (age-standardised)',
        group: 'deaths',
        unit: 'per 100,000',
        method: 'dsr',
        polarity: 'lower-is-better',
        count: '10',
        value: null,
        lower: null,
        upper: null,
        comparison: 'not-compared',
        note: 'Not calculated: fewer than 10 events.',
      }),
    ],
    lifeExpectancy: [
      {
        sex: 'female',
        age: 0,
        value: 82.04,
        lower: 81.2,
        upper: 82.9,
        gap: 0.6,
        comparison: 'similar',
        note: null,
      },
      {
        sex: 'female',
        age: 65,
        value: 20.66,
        lower: 20.1,
        upper: 21.2,
        gap: 0.2,
        comparison: 'similar',
        note: null,
      },
      {
        sex: 'male',
        age: 0,
        value: 78.96,
        lower: 78.1,
        upper: 79.8,
        gap: 0.9,
        comparison: 'better',
        note: null,
      },
      {
        sex: 'male',
        age: 65,
        value: null,
        lower: null,
        upper: null,
        gap: null,
        comparison: 'not-compared',
        note: 'Not shown: the interval is wider than 20 years.',
      },
      {
        sex: 'persons',
        age: 0,
        value: 80.5,
        lower: 79.9,
        upper: 81.1,
        gap: 0.7,
        comparison: 'similar',
        note: null,
      },
      {
        sex: 'persons',
        age: 65,
        value: 19.4,
        lower: 19.0,
        upper: 19.8,
        gap: 0.1,
        comparison: 'similar',
        note: null,
      },
    ],
    inequality: [
      { sex: 'female', age: 0, sii: 7.83, lower: 6.02, upper: 9.6 },
      { sex: 'female', age: 65, sii: -0.04, lower: -1.26, upper: 1.1 },
      { sex: 'male', age: 0, sii: 9.1, lower: 7.2, upper: 11.05 },
      { sex: 'male', age: 65, sii: null, lower: null, upper: null },
    ],
  };
}

const csvRows = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];
const rowOf = (rows: Record<string, string>[], indicator: string) => {
  const row = rows.find((r) => r.Indicator === indicator);
  assert.ok(row, `no row "${indicator}"`);
  return row;
};

describe('a placemat as CSV', () => {
  const csv = placematCsv(prestwich());
  const rows = csvRows(csv);

  test('has the header and a row for residents, each age band, each figure and each life expectancy', () => {
    assert.equal(
      csv.split('\n')[0],
      'Area,Area type,Section,Indicator,Count,Value,Lower 95% limit,Upper 95% limit,Unit,Compared with the borough,Note,Reference date',
    );
    assert.equal(rows.length, 1 + 2 * 19 + 7 + 6 + 4);
    assert.ok(rows.every((r) => r.Area === 'Prestwich' && r['Area type'] === 'Neighbourhood'));
    assert.ok(rows.every((r) => r['Reference date'] === '2026-03-31'));
    assert.deepEqual(rowOf(rows, 'Residents'), {
      Area: 'Prestwich',
      'Area type': 'Neighbourhood',
      Section: 'Population',
      Indicator: 'Residents',
      Count: '31405',
      Value: '',
      'Lower 95% limit': '',
      'Upper 95% limit': '',
      Unit: 'people',
      'Compared with the borough': '',
      Note: '',
      'Reference date': '2026-03-31',
    });
    assert.equal(rowOf(rows, 'Females aged 0–4').Count, '900');
    assert.equal(rowOf(rows, 'Males aged 90 and over').Count, '*');
  });

  test('a figure: its disclosed count, its value and limits to 1 decimal place, and the comparison in words', () => {
    const core20 = rowOf(rows, 'Residents in the most deprived 20% of areas in England (Core20)');
    assert.equal(core20.Section, 'Deprivation');
    assert.deepEqual(
      [core20.Count, core20.Value, core20['Lower 95% limit'], core20['Upper 95% limit'], core20.Unit],
      ['4150', '13.2', '12.8', '13.6', '%'],
    );
    assert.equal(core20['Compared with the borough'], 'Significantly lower');
    const em = rowOf(rows, 'Emergency admissions (age-standardised)');
    assert.deepEqual(
      [
        em.Section,
        em.Value,
        em['Lower 95% limit'],
        em['Upper 95% limit'],
        em.Unit,
        em['Compared with the borough'],
      ],
      ['Hospital and care activity', '9123.5', '8790.0', '9467.0', 'per 100,000', 'Significantly worse'],
    );
    const le = rowOf(rows, 'Life expectancy at birth, females');
    assert.deepEqual([le.Count, le.Value, le['Lower 95% limit'], le.Unit], ['', '82.0', '81.2', 'years']);
  });

  test('a suppressed figure is "*" with no value, interval or comparison, and says why', () => {
    const sickle = rowOf(rows, 'Sickle cell disease: recorded prevalence');
    assert.deepEqual(
      [sickle.Count, sickle.Value, sickle['Lower 95% limit'], sickle['Upper 95% limit']],
      ['*', '', '', ''],
    );
    assert.equal(sickle['Compared with the borough'], 'Not compared');
    assert.equal(sickle.Note, 'Not shown: too few people to publish safely.');
  });

  test('negative numbers stay numbers; -0.04 is 0.0, not -0.0', () => {
    const sii = rows.filter((r) => r.Section === 'Inequality');
    assert.equal(sii.length, 4);
    assert.deepEqual(
      sii.map((r) => [r.Value, r['Lower 95% limit'], r['Upper 95% limit']]),
      [
        ['7.8', '6.0', '9.6'],
        ['0.0', '-1.3', '1.1'],
        ['9.1', '7.2', '11.1'],
        ['', '', ''],
      ],
    );
    assert.match(csv, /,0\.0,-1\.3,1\.1,years,/);
  });

  test('text a spreadsheet would run as a formula is neutralised', () => {
    const p = prestwich();
    p.area = { ...p.area, name: '@SUM(A1:A9)' };
    p.figures.push(
      figure({ id: 'x', label: '=HYPERLINK("http://example.com","Click")', group: 'conditions' }),
    );
    const evil = csvRows(placematCsv(p));
    assert.equal(evil.at(0)?.Area, "'@SUM(A1:A9)");
    assert.ok(evil.some((r) => r.Indicator === `'=HYPERLINK("http://example.com","Click")`));
    assert.ok(!evil.some((r) => /^[=+@]/.test(r.Indicator ?? '') || /^[=+@]/.test(r.Area ?? '')));
  });
});

const winAnsi = new TextDecoder('windows-1252');

/** The text of each page: every text-showing operation (TJ) of its content stream, decoded and trimmed. */
function pdfPages(pdf: Buffer): string[][] {
  const file = pdf.toString('latin1');
  const streams = [...file.matchAll(/stream\n([\s\S]*?)\nendstream/g)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.includes(' TJ'));
  // PDFKit writes each line of the built-in fonts' text as hex strings of WinAnsi codes, split where
  // kerning applies: [<50726573> 20 <7477696368>] TJ.
  return streams.map((s) =>
    [...s.matchAll(/\[([^\]]*)\] TJ/g)].map((m) =>
      [...(m[1] ?? '').matchAll(/<([0-9a-f]*)>/g)]
        .map((h) => winAnsi.decode(Buffer.from(h[1] ?? '', 'hex')))
        .join('')
        .trim(),
    ),
  );
}

const pageCount = (pdf: Buffer) => Number(/\/Type \/Pages\n\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);

describe('a placemat as an A4 PDF', () => {
  test('is an A4 portrait PDF with the area, its residents, the suppression line and the figures as text', async () => {
    const pdf = await placematPdf(prestwich(), { compress: false });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const file = pdf.toString('latin1');
    assert.match(file, /\/MediaBox \[0 0 595\.28 841\.89\]/);
    assert.doesNotMatch(file, /\/MediaBox \[0 0 841\.89/);
    const pages = pdfPages(pdf);
    assert.equal(pages.length, pageCount(pdf));
    assert.ok(pages.length <= 2, `${pages.length} pages`);
    const text = pages.flat();
    assert.equal(text[0], 'Prestwich placemat');
    assert.ok(text.includes("Neighbourhood in Bury. Wards: Holyrood, St Mary's and Sedgley."));
    assert.ok(text.includes('Residents on 31 March 2026: 31,405'));
    assert.ok(text.includes('0–4') && text.includes('85–89'));
    // Under the heading "Long-term conditions (recorded prevalence)", the condition alone.
    assert.ok(text.includes('Diabetes'));
    assert.ok(text.includes('12.3%'));
    assert.ok(text.includes('9,123.5 per 100,000'));
    assert.ok(text.includes('11.7 to 13.0'));
    assert.ok(text.includes('Significantly worse'));
    // Lines wrap, so a paragraph is read as the lines joined.
    assert.ok(text.join(' ').includes(SUPPRESSION_NOTE));
    // The suppressed figure: "*" in the value column, its reason under its label, no interval.
    const sickle = text.indexOf('Sickle cell disease');
    assert.deepEqual(text.slice(sickle, sickle + 4), [
      'Sickle cell disease',
      'Not shown: too few people to publish safely.',
      '*',
      'Not compared',
    ]);
    // A footer on every page.
    for (const [i, page] of pages.entries()) {
      assert.deepEqual(page.slice(-3), [
        'Prestwich placemat, 31 March 2026',
        'Joined Up',
        `Page ${i + 1} of ${pages.length}`,
      ]);
    }
  });

  test('is tagged for screen readers, with the title shown and English declared', async () => {
    const file = (await placematPdf(prestwich(), { compress: false })).toString('latin1');
    assert.match(file, /\/StructTreeRoot/);
    assert.match(file, /\/Marked true/);
    assert.match(file, /\/Lang \(en-GB\)/);
    assert.match(file, /\/DisplayDocTitle true/);
    assert.match(file, /\/Title \d+ 0 R/);
    assert.match(file, /\(Prestwich placemat\)/);
    for (const type of ['H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD'])
      assert.match(file, new RegExp(`/S /${type}\\n`));
    assert.match(file, /\/Scope \/Column/);
  });

  test('is the same bytes every time, dated by the reference date', async () => {
    const a = await placematPdf(prestwich());
    const b = await placematPdf(prestwich());
    assert.ok(a.equals(b));
    assert.match(
      (await placematPdf(prestwich(), { compress: false })).toString('latin1'),
      /\(D:20260331000000Z\)/,
    );
  });

  test('a long placemat runs onto more pages, repeating the table header at the top of each', async () => {
    const p = prestwich();
    for (let i = 1; i <= 60; i++)
      p.figures.push(
        figure({
          id: `prevalence-c${i}`,
          label: `Condition number ${i}: recorded prevalence`,
          group: 'conditions',
        }),
      );
    const pdf = await placematPdf(p, { compress: false });
    const pages = pdfPages(pdf);
    assert.ok(pages.length > 2, `${pages.length} pages`);
    assert.equal(pageCount(pdf), pages.length);
    // Every page the conditions table continues on starts with its header row.
    const isCondition = (t: string) => /^Condition number \d+$/.test(t);
    const continued = pages.filter(
      (page, i) => i > 0 && page.some(isCondition) && pages[i - 1]?.some(isCondition),
    );
    assert.ok(continued.length >= 1, 'the conditions table runs onto a later page');
    for (const page of continued) assert.deepEqual(page.slice(0, 3), ['Indicator', 'Value', '95% interval']);
    // The header of each of the 8 sections' tables, and one more for each page that starts with it.
    const headers = pages.flat().filter((t) => t === '95% interval').length;
    const repeats = pages.filter((page) => page[0] === 'Indicator').length;
    assert.ok(repeats >= continued.length);
    assert.equal(headers, 8 + repeats);
    // Every row once.
    for (let i = 1; i <= 60; i++)
      assert.equal(pages.flat().filter((t) => t === `Condition number ${i}`).length, 1);
  });

  test('a ward says which neighbourhood it is in', async () => {
    const p = {
      ...prestwich(),
      area: { kind: 'ward' as const, code: 'E05014170', name: "St Mary's" },
      parent: { kind: 'neighbourhood' as const, code: 'prestwich', name: 'Prestwich' },
      children: [],
    };
    const text = pdfPages(await placematPdf(p, { compress: false })).flat();
    assert.deepEqual(text.slice(0, 2), ["St Mary's placemat", 'Ward in the Prestwich neighbourhood.']);
  });

  test('the borough’s own placemat has no comparison column', async () => {
    const p = {
      ...prestwich(),
      area: { kind: 'borough' as const, code: 'bury', name: 'Bury' },
      parent: null,
    };
    const text = pdfPages(await placematPdf(p, { compress: false })).flat();
    assert.equal(text[0], 'Bury placemat');
    assert.ok(!text.includes('Compared with the') && !text.includes('Similar'));
  });
});

describe('text for the built-in fonts', () => {
  test('keeps what WinAnsi can show, drops accents it cannot, and marks the rest', () => {
    assert.equal(pdfText('St Mary’s – 90+ £5 café'), 'St Mary’s – 90+ £5 café');
    assert.equal(pdfText('Łódź ≥ 5'), '?ódz ? 5');
  });
});
