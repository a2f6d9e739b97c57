// A placemat as an A4 PDF to print or send, tagged for screen readers. Pure but for PDFKit reading the
// metrics of its built-in fonts.
import PDFDocument from 'pdfkit';
import { formatDate } from '../core/dates.ts';
import { COMPARISON_LABELS } from '../stats/compare.ts';
import { oneDecimal } from './figures.ts';
import {
  ageBand,
  type ExportRow,
  figureSections,
  INEQUALITY_SECTION,
  KIND_NAMES,
  PYRAMID_SECTION,
  SECTIONS,
  SUPPRESSION_NOTE,
} from './placemat-rows.ts';
import type { AreaRef, Placemat } from './placemats.ts';

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const TEXT = '#212b32';
const SECONDARY = '#4c6272';
const RULE = '#d8dde0';
const HEADER_FILL = '#f0f4f5';
const MARGIN = { top: 40, bottom: 50, left: 40, right: 40 };
const FOOTER_FROM_BOTTOM = 32;
const CELL_PAD = { x: 4, y: 2.5 };
const TABLE_SIZE = 8.5;
const NOTE_SIZE = 7.5;
const LINE_GAP = 0.5;

export interface PlacematPdfOptions {
  /** Deflate the page contents (the default); tests turn it off to read the text. */
  compress?: boolean;
}

/**
 * The placemat as an A4 portrait PDF: title, area, residents, how counts are protected, then each
 * section as a table (Indicator, Value, 95% interval, Compared with the borough) whose header row is
 * repeated after a page break, and a footer on every page. Tagged (headings, paragraphs, tables) for
 * screen readers. The same placemat always gives the same bytes: the creation date is its reference date.
 */
export async function placematPdf(p: Placemat, options: PlacematPdfOptions = {}): Promise<Buffer> {
  const date = new Date(`${p.referenceDate}T00:00:00Z`);
  const title = `${p.area.name} placemat`;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margins: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    font: FONT,
    info: {
      Title: pdfText(title),
      Subject: pdfText(`Public health profile of ${p.area.name} on ${formatDate(p.referenceDate)}`),
      Author: 'Joined Up',
      Creator: 'Joined Up',
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawPlacemat(doc, p, title);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
interface TableContext {
  root: Struct;
  width: number;
  /** Draws something as a structure element of the given type (H2, P) under the document. */
  tag: (type: string, draw: () => void) => void;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}
interface Cell {
  text: string;
  /** Smaller, in italics, under the text: why a figure has no value. */
  note?: string | null;
}

/**
 * Text the built-in (WinAnsi) fonts can show: letters with accents they lack lose the accent, and
 * anything else they cannot show becomes "?" rather than a wrong glyph.
 */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (
      ch === '\n' ||
      (code >= 0x20 && code < 0x7f) ||
      (code >= 0xa0 && code <= 0xff) ||
      WIN_ANSI_EXTRA.has(ch)
    )
      out += ch;
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += base !== ch && /^[\x20-\x7e\xa0-\xff]+$/.test(base) ? base : '?';
    }
  }
  return out;
}
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function drawPlacemat(doc: Doc, p: Placemat, title: string): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const tag = (type: string, draw: () => void) => {
    const el = doc.struct(type);
    root.add(el);
    el.add(draw);
    el.end();
  };
  const paragraph = (text: string, font = FONT, size = 9.5, color = TEXT, after = 4) =>
    tag('P', () => {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(color)
        .text(pdfText(text), MARGIN.left, doc.y, { width, lineGap: LINE_GAP });
      doc.y += after;
    });

  doc.y = MARGIN.top;
  tag('H1', () => {
    doc.font(BOLD).fontSize(20).fillColor(TEXT).text(pdfText(title), MARGIN.left, doc.y, { width });
    doc.y += 4;
  });
  paragraph(areaLine(p.area, p.parent, p.children), FONT, 10.5);
  paragraph(`Residents on ${formatDate(p.referenceDate)}: ${p.population.shown}`, BOLD, 10.5, TEXT, 6);
  paragraph(SUPPRESSION_NOTE);
  const reading = [
    `Hospital and care activity and deaths: events after ${formatDate(p.yearFrom)}, up to ${formatDate(p.referenceDate)}.`,
    `Life expectancy: deaths after ${formatDate(p.lifeFrom)}, up to ${formatDate(p.referenceDate)}.`,
    'The 95% interval is the range the true value is likely to lie in.',
  ];
  if (p.area.kind !== 'borough')
    reading.push(
      'A figure is significantly higher or lower than the borough’s when the borough’s value lies outside its interval.',
    );
  paragraph(reading.join(' '), FONT, 8.5, SECONDARY, 8);

  const isCompared = p.area.kind !== 'borough';
  const columns: Column[] = isCompared
    ? [
        { header: 'Indicator', width: width - 305 },
        { header: 'Value', width: 90 },
        { header: '95% interval', width: 90 },
        { header: 'Compared with the borough', width: 125 },
      ]
    : [
        { header: 'Indicator', width: width - 180 },
        { header: 'Value', width: 90 },
        { header: '95% interval', width: 90 },
      ];
  const toCells = (r: ExportRow): Cell[] => {
    const cells: Cell[] = [
      { text: r.shortIndicator ?? r.indicator, note: r.value === null ? r.note : null },
      { text: valueText(r) },
      { text: r.lower === null || r.upper === null ? '' : `${decimal(r.lower)} to ${decimal(r.upper)}` },
    ];
    if (isCompared) cells.push({ text: r.comparison === null ? '' : COMPARISON_LABELS[r.comparison] });
    return cells;
  };

  const tables = { root, width, tag };
  for (const section of figureSections(p)) {
    const intro =
      section.title === INEQUALITY_SECTION
        ? 'For the whole borough: the gap in life expectancy, in years, between its least and most deprived parts (slope index of inequality).'
        : null;
    drawTable(doc, tables, { heading: section.title, intro, columns, rows: section.rows.map(toCells) });
    if (section.title === SECTIONS.population) drawPyramid(doc, tables, p);
  }
  root.end();
  drawFooters(doc, `${p.area.name} placemat, ${formatDate(p.referenceDate)}`);
}

/**
 * Residents by sex and age band, across the page in two tables (the younger bands, then the older) so
 * that it takes a few lines rather than half a page.
 */
function drawPyramid(doc: Doc, ctx: TableContext, p: Placemat): void {
  const { bands } = p.pyramid;
  if (bands.length === 0) return;
  const half = Math.ceil(bands.length / 2);
  const labelWidth = 60;
  const bandWidth = (ctx.width - labelWidth) / half;
  [bands.slice(0, half), bands.slice(half)].forEach((part, n) => {
    const from = n * half;
    drawTable(doc, ctx, {
      heading: n === 0 ? PYRAMID_SECTION : null,
      columns: [
        { header: 'Age', width: labelWidth },
        ...part.map((band): Column => ({ header: ageBand(band), width: bandWidth, align: 'right' })),
      ],
      rows: (['female', 'male'] as const).map((sex) => [
        { text: sex === 'female' ? 'Females' : 'Males' },
        ...part.map((_, i) => ({ text: p.pyramid[sex][from + i]?.shown ?? '' })),
      ]),
      hasRowHeaders: true,
    });
  });
}

/** "Neighbourhood in Bury. Wards: Holyrood, St Mary's and Sedgley."; "Ward in the Prestwich neighbourhood." */
function areaLine(area: AreaRef, parent: AreaRef | null, children: readonly AreaRef[]): string {
  const kind = KIND_NAMES[area.kind];
  const line =
    parent === null
      ? kind
      : parent.kind === 'borough'
        ? `${kind} in ${parent.name}`
        : `${kind} in the ${parent.name} ${parent.kind}`;
  const first = children[0];
  if (first === undefined) return `${line}.`;
  const names = children.map((c) => c.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${line}. ${first.kind === 'ward' ? 'Wards' : `${KIND_NAMES[first.kind]}s`}: ${list}.`;
}

const decimal = (x: number) =>
  (oneDecimal(x) ?? 0).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function valueText(r: ExportRow): string {
  if (r.value === null) {
    if (r.count === '*') return '*';
    if (r.note === null) return '';
    return r.note.startsWith('Not shown') ? 'Not shown' : 'Not calculated';
  }
  const v = decimal(r.value);
  return r.unit === '%' ? `${v}%` : `${v} ${r.unit}`;
}

const bottomOf = (doc: Doc) => doc.page.height - MARGIN.bottom;

type RowRole = 'header' | 'body';

/** Header cells, and the first cell of a row in a table whose rows have headers, are bold. */
const cellFont = (role: RowRole, i: number, hasRowHeaders: boolean) =>
  role === 'header' || (hasRowHeaders && i === 0) ? BOLD : FONT;

function cellHeight(doc: Doc, cell: Cell, width: number, font: string): number {
  const inner = width - 2 * CELL_PAD.x;
  let h = doc
    .font(font)
    .fontSize(TABLE_SIZE)
    .heightOfString(pdfText(cell.text || ' '), { width: inner, lineGap: LINE_GAP });
  if (cell.note)
    h +=
      1 +
      doc
        .font(ITALIC)
        .fontSize(NOTE_SIZE)
        .heightOfString(pdfText(cell.note), { width: inner, lineGap: LINE_GAP });
  return h + 2 * CELL_PAD.y;
}

function rowHeight(doc: Doc, cells: readonly Cell[], table: TableSpec, role: RowRole): number {
  const heights = cells.map((c, i) =>
    cellHeight(doc, c, table.columns[i]?.width ?? 0, cellFont(role, i, table.hasRowHeaders ?? false)),
  );
  return Math.max(0, ...heights);
}

function drawCell(doc: Doc, cell: Cell, x: number, y: number, column: Column, font: string): void {
  const inner = column.width - 2 * CELL_PAD.x;
  const align = column.align ?? 'left';
  doc
    .font(font)
    .fontSize(TABLE_SIZE)
    .fillColor(TEXT)
    .text(pdfText(cell.text), x + CELL_PAD.x, y + CELL_PAD.y, { width: inner, align, lineGap: LINE_GAP });
  if (cell.note) {
    doc.y += 1;
    doc
      .font(ITALIC)
      .fontSize(NOTE_SIZE)
      .fillColor(SECONDARY)
      .text(pdfText(cell.note), x + CELL_PAD.x, doc.y, { width: inner, align, lineGap: LINE_GAP });
  }
}

/** Lines and fills are not content: marked as artifacts so that a screen reader skips them. */
function artifact(doc: Doc, type: 'Layout' | 'Pagination', draw: () => void): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

/** PDF/UA asks each header cell to say what it heads; PDFKit's types leave out the element's dictionary. */
function heads(doc: Doc, th: Struct, scope: 'Column' | 'Row'): void {
  const attributes = doc.ref({ O: 'Table', Scope: scope });
  (th as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = attributes;
  attributes.end(undefined);
}

/**
 * One row across the page. Tagged as a table row of header or data cells; or, for the header row
 * repeated at the top of a new page, drawn as a pagination artifact so that it is read only once.
 */
function drawRow(
  doc: Doc,
  tagged: Struct | null,
  table: TableSpec,
  cells: readonly Cell[],
  role: RowRole,
): void {
  const hasRowHeaders = table.hasRowHeaders ?? false;
  const y = doc.y;
  const height = rowHeight(doc, cells, table, role);
  const total = table.columns.reduce((t, c) => t + c.width, 0);
  artifact(doc, 'Layout', () => {
    if (role === 'header') doc.rect(MARGIN.left, y, total, height).fill(HEADER_FILL);
    doc
      .moveTo(MARGIN.left, y + height)
      .lineTo(MARGIN.left + total, y + height)
      .lineWidth(role === 'header' ? 1 : 0.5)
      .strokeColor(role === 'header' ? SECONDARY : RULE)
      .stroke();
  });
  const tr = tagged === null ? null : doc.struct('TR');
  if (tr !== null) tagged?.add(tr);
  let x = MARGIN.left;
  cells.forEach((cell, i) => {
    const column = table.columns[i] ?? { header: '', width: 0 };
    const left = x;
    const draw = () => drawCell(doc, cell, left, y, column, cellFont(role, i, hasRowHeaders));
    if (tr === null) artifact(doc, 'Pagination', draw);
    else {
      const isRowHeader = role === 'body' && hasRowHeaders && i === 0;
      const el = doc.struct(role === 'header' || isRowHeader ? 'TH' : 'TD');
      if (role === 'header') heads(doc, el, 'Column');
      if (isRowHeader) heads(doc, el, 'Row');
      tr.add(el);
      el.add(draw);
      el.end();
    }
    x += column.width;
  });
  tr?.end();
  doc.y = y + height;
}

interface TableSpec {
  /** A heading (H2) above the table; null for a second table in the same section. */
  heading: string | null;
  intro?: string | null;
  columns: readonly Column[];
  rows: readonly (readonly Cell[])[];
  /** The first cell of each row heads the row. */
  hasRowHeaders?: boolean;
}

/**
 * A table, with its heading and a line of introduction when it has them. The heading stays with the
 * header row and the first two rows, and the last two rows stay together; after a page break the
 * header row is repeated.
 */
function drawTable(doc: Doc, ctx: TableContext, table: TableSpec): void {
  const header: Cell[] = table.columns.map((c) => ({ text: c.header }));
  const { heading, intro = null, rows } = table;
  const headingHeight =
    heading === null
      ? 0
      : doc.font(BOLD).fontSize(12).heightOfString(pdfText(heading), { width: ctx.width }) + 4;
  const introHeight =
    intro === null
      ? 0
      : doc.font(FONT).fontSize(8.5).heightOfString(pdfText(intro), { width: ctx.width, lineGap: LINE_GAP }) +
        4;
  const heights = rows.map((row) => rowHeight(doc, row, table, 'body'));
  const gap = heading === null ? 6 : 9;
  const keepTogether =
    gap +
    headingHeight +
    introHeight +
    rowHeight(doc, header, table, 'header') +
    (heights[0] ?? 0) +
    (heights[1] ?? 0);
  if (doc.y + keepTogether > bottomOf(doc)) doc.addPage();
  else doc.y += gap;
  if (heading !== null)
    ctx.tag('H2', () => {
      doc
        .font(BOLD)
        .fontSize(12)
        .fillColor(TEXT)
        .text(pdfText(heading), MARGIN.left, doc.y, { width: ctx.width });
      doc.y += 4;
    });
  if (intro !== null)
    ctx.tag('P', () => {
      doc
        .font(FONT)
        .fontSize(8.5)
        .fillColor(SECONDARY)
        .text(pdfText(intro), MARGIN.left, doc.y, { width: ctx.width, lineGap: LINE_GAP });
      doc.y += 4;
    });
  const tagged = doc.struct('Table');
  ctx.root.add(tagged);
  drawRow(doc, tagged, table, header, 'header');
  rows.forEach((row, i) => {
    const isLastButOne = i > 1 && i === rows.length - 2;
    const needed = (heights[i] ?? 0) + (isLastButOne ? (heights[i + 1] ?? 0) : 0);
    if (doc.y + needed > bottomOf(doc)) {
      doc.addPage();
      drawRow(doc, null, table, header, 'header');
    }
    drawRow(doc, tagged, table, row, 'body');
  });
  tagged.end();
}

/** On every page: what it is and when, "Joined Up", and "Page x of y". */
function drawFooters(doc: Doc, left: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without this PDFKit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - FOOTER_FROM_BOTTOM;
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    artifact(doc, 'Pagination', () => {
      doc
        .moveTo(MARGIN.left, y - 6)
        .lineTo(MARGIN.left + width, y - 6)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      doc.font(FONT).fontSize(8).fillColor(SECONDARY);
      const options = { width, lineBreak: false } as const;
      doc.text(pdfText(left), MARGIN.left, y, { ...options, align: 'left' });
      doc.text('Joined Up', MARGIN.left, y, { ...options, align: 'center' });
      doc.text(`Page ${i - start + 1} of ${count}`, MARGIN.left, y, { ...options, align: 'right' });
    });
  }
}
