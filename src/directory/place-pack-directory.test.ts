// The services directory in the place pack: the shipped Bury sample is valid and holds what the seeds
// describe, and each kind of bad row is refused with its file, line and column named.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readPlacePackDir } from '../place/load-place-pack.ts';
import { type PackProblem, type PlacePack, parsePlacePack } from '../place/place-pack.ts';

const BURY = path.resolve('place-packs/bury');
const bury = readPlacePackDir(BURY);
const DIR = 'directory';
const file = (name: string) => `${DIR}/${name}`;

function problemsOf(result: ReturnType<typeof parsePlacePack>): PackProblem[] {
  assert.equal(result.ok, false, 'the pack should have been refused');
  return result.ok ? [] : result.problems;
}

/** The Bury pack with one directory file changed, as rows of cells (the header is row 0). */
function withRows(name: string, change: (rows: string[][]) => void) {
  const text = bury.files[file(name)];
  assert.ok(text !== undefined, `${name} is in the pack`);
  const rows = parse(text) as string[][];
  change(rows);
  return parsePlacePack(bury.manifestText, { ...bury.files, [file(name)]: stringify(rows) });
}

/** Changes one cell of the row whose first cell is `key`; returns the row's line in the file. */
function setCell(rows: string[][], key: string, column: string, value: string): number {
  const at = (rows[0] as string[]).indexOf(column);
  const index = rows.findIndex((r) => r[0] === key);
  assert.ok(at >= 0 && index > 0, `${key}/${column} exists`);
  (rows[index] as string[])[at] = value;
  return index + 1;
}

/** Asserts that a problem names this file, line and column (and, if given, says something like `message`). */
function expectProblem(
  problems: PackProblem[],
  where: { file: string; row: number; field: string },
  message?: RegExp,
) {
  const found = problems.find(
    (p) =>
      p.file === file(where.file) &&
      p.row === where.row &&
      p.field === where.field &&
      (message === undefined || message.test(p.message)),
  );
  assert.ok(
    found,
    `expected a problem at ${JSON.stringify(where)} ${message ?? ''}, got ${JSON.stringify(problems)}`,
  );
}

/** Sets one cell and expects the pack refused with that file, row and field named. */
function refuses(name: string, key: string, column: string, value: string, message?: RegExp, field = column) {
  let row = 0;
  const problems = problemsOf(
    withRows(name, (rows) => {
      row = setCell(rows, key, column, value);
    }),
  );
  expectProblem(problems, { file: name, row, field }, message);
}

describe('the Bury services directory (sample data)', () => {
  const result = parsePlacePack(bury.manifestText, bury.files);
  if (!result.ok) assert.fail(`the shipped pack is invalid: ${JSON.stringify(result.problems, null, 2)}`);
  const pack: PlacePack = result.pack;
  const d = pack.directory;
  const locationById = new Map(d.locations.map((l) => [l.id, l]));

  test('holds 60 to 90 services, every record marked as sample data', () => {
    assert.ok(d.services.length >= 60 && d.services.length <= 90, `${d.services.length} services`);
    for (const rows of [d.organisations, d.locations, d.services])
      for (const r of rows) assert.equal(r.isSample, true, JSON.stringify(r));
  });

  test('names who receives each organisation’s referrals: the link workers for the voluntary sector', () => {
    for (const o of d.organisations)
      assert.equal(
        o.agency,
        o.kind === 'vcse'
          ? 'vcse-link-workers'
          : ({
              'bury-council': 'bury-council-adult-social-care',
              'bury-integrated-care-partnership': 'bury-community-health',
              'bury-family-hubs': 'bury-family-hubs',
            }[o.id] ?? null),
        o.id,
      );
  });

  test('has a location for every Live Well centre, hub, network and programme, in its town', () => {
    for (const site of pack.liveWell) {
      const location = d.locations.find((l) => l.liveWellSite === site.id);
      assert.ok(location, `a location for ${site.id}`);
      assert.equal(location.town, site.town);
      assert.ok(site.neighbourhoods.includes(location.neighbourhood));
    }
  });

  test('offers at the Live Well centres the nine services the strategy names', () => {
    const offer = d.taxonomyTerms.filter((t) => t.taxonomy === 'live-well-offer').map((t) => t.id);
    assert.deepEqual(offer, [
      'integrated-neighbourhood-team',
      'adult-safeguarding',
      'adult-social-care',
      'revenue-and-benefits',
      'public-health',
      'children-and-young-people',
      'live-well-leisure',
      'cafes',
      'libraries',
    ]);
    const whitefield = d.services.filter((s) => s.locations.includes('whitefield-live-well-centre'));
    for (const term of offer)
      assert.ok(
        whitefield.some((s) => s.terms.includes(term)),
        `the Whitefield Live Well Centre offers ${term}`,
      );
  });

  test('has the family hubs the strategy names, and one Integrated Neighbourhood Team per neighbourhood', () => {
    const hubs = d.services.filter((s) => s.organisation === 'bury-family-hubs').flatMap((s) => s.locations);
    for (const l of [
      'redvales-family-hub',
      'chesham-family-hub',
      'ribble-drive-family-hub',
      'whitefield-live-well-centre',
    ])
      assert.ok(hubs.includes(l), l);
    const ints = d.services.filter((s) => s.terms.includes('integrated-neighbourhood-team'));
    assert.deepEqual(
      ints.map((s) => locationById.get(s.locations[0] as string)?.neighbourhood).sort(),
      pack.neighbourhoods.map((n) => n.code).sort(),
    );
  });

  test('has voluntary and community services in every town, under invented names marked (sample)', () => {
    const vcse = new Set(d.organisations.filter((o) => o.kind === 'vcse').map((o) => o.id));
    for (const o of d.organisations.filter((o) => o.kind === 'vcse')) assert.match(o.name, / \(sample\)$/);
    for (const town of ['Bury', 'Radcliffe', 'Ramsbottom', 'Tottington', 'Whitefield', 'Prestwich']) {
      const here = d.services.filter(
        (s) => vcse.has(s.organisation) && s.locations.some((l) => locationById.get(l)?.town === town),
      );
      assert.ok(here.length >= 6, `${town}: ${here.length} voluntary and community services`);
    }
  });

  test('gives postcode districts only, and phone numbers from the range Ofcom keeps for drama', () => {
    for (const l of d.locations) assert.match(l.postcode ?? '', /^(BL0|BL8|BL9|M25|M26|M45)$/, l.id);
    for (const c of d.contacts) assert.match(c.phone ?? '', /^0161 496 0\d{3}$/, c.key);
  });

  test('has active, inactive, temporarily closed and retired services, and needs with narrower terms', () => {
    const statuses = new Set(d.services.map((s) => s.status));
    assert.deepEqual([...statuses].sort(), ['active', 'defunct', 'inactive', 'temporarily closed']);
    assert.ok(d.taxonomyTerms.some((t) => t.parent === 'money-and-debt'));
  });

  test('a pack without a directory has an empty one', () => {
    const manifest = JSON.parse(bury.manifestText as string) as { files: Record<string, unknown> };
    delete manifest.files.directory;
    const plain = parsePlacePack(JSON.stringify(manifest), bury.files);
    assert.ok(plain.ok);
    assert.equal(plain.pack.directory.services.length, 0);
  });
});

describe('a bad directory row is refused, naming its file, line and column', () => {
  test('services: an unknown organisation, location or term', () => {
    refuses(
      'services.csv',
      'moorside-food-club',
      'organisation',
      'bury-food-bank',
      /not in directory\/organisations.csv/,
    );
    refuses(
      'services.csv',
      'moorside-food-club',
      'locations',
      'moorside-community-room;the-moon',
      /"the-moon"/,
    );
    refuses('services.csv', 'moorside-food-club', 'terms', 'food;groceries', /"groceries"/);
  });

  test('services: a status that is not one of HSDS’s', () => {
    refuses(
      'services.csv',
      'moorside-food-club',
      'status',
      'open',
      /must be one of active, inactive, defunct/,
    );
  });

  test('services: a negative age, an age that is not a number, and a maximum below the minimum', () => {
    refuses('services.csv', 'moorside-youth-club', 'minimum_age', '-1', /whole number/);
    refuses('services.csv', 'moorside-youth-club', 'maximum_age', 'eighteen', /whole number/);
    refuses('services.csv', 'moorside-youth-club', 'maximum_age', '9', /below the minimum age \(11\)/);
  });

  test('services: nowhere to be (no location and not borough-wide)', () => {
    let row = 0;
    const problems = problemsOf(
      withRows('services.csv', (rows) => {
        row = setCell(rows, 'moorside-food-club', 'locations', '');
        setCell(rows, 'moorside-food-club', 'borough_wide', 'no');
      }),
    );
    expectProblem(problems, { file: 'services.csv', row, field: 'locations' }, /at least one location/);
  });

  test('services: a date that does not exist, a bad web address or email, and an id listed twice', () => {
    refuses('services.csv', 'moorside-food-club', 'review_date', '2027-02-30', /not a real date/);
    refuses('services.csv', 'moorside-food-club', 'last_checked', '30/07/2026', /YYYY-MM-DD/);
    refuses('services.csv', 'moorside-food-club', 'url', 'ftp://example.org', /web address/);
    refuses('services.csv', 'moorside-food-club', 'email', 'food club', /email address/);
    refuses('services.csv', 'moorside-youth-club', 'id', 'moorside-food-club', /listed twice/);
  });

  test('locations: an unknown neighbourhood or Live Well site, or a malformed postcode', () => {
    refuses('locations.csv', 'radcliffe-community-hall', 'neighbourhood', 'radcliffe', /not a neighbourhood/);
    refuses(
      'locations.csv',
      'radcliffe-community-hall',
      'live_well_site',
      'live-well-mars',
      /not a Live Well site/,
    );
    refuses('locations.csv', 'radcliffe-community-hall', 'postcode', 'm26', /postcode district/);
  });

  test('organisations: a kind not known, a web address that is not one, or an agency not in the pack', () => {
    refuses('organisations.csv', 'kingfisher-befriending', 'kind', 'charity', /must be one of council, nhs/);
    refuses('organisations.csv', 'kingfisher-befriending', 'website', 'kingfisher', /web address/);
    refuses(
      'organisations.csv',
      'kingfisher-befriending',
      'agency',
      'kingfisher',
      /not in the pack's agencies/,
    );
  });

  test('taxonomy terms: an unknown vocabulary or parent, a parent in another vocabulary, a loop', () => {
    refuses('taxonomy-terms.csv', 'carers', 'taxonomy', 'wants', /the taxonomy "wants" is not in/);
    refuses('taxonomy-terms.csv', 'debt-advice', 'parent', 'money', /the term "money" is not in/);
    refuses(
      'taxonomy-terms.csv',
      'debt-advice',
      'parent',
      'cafes',
      /belongs to the taxonomy "live-well-offer"/,
    );
    let row = 0;
    const loop = problemsOf(
      withRows('taxonomy-terms.csv', (rows) => {
        setCell(rows, 'money-and-debt', 'parent', 'debt-advice');
        row = setCell(rows, 'debt-advice', 'parent', 'money-and-debt');
      }),
    );
    expectProblem(loop, { file: 'taxonomy-terms.csv', row, field: 'parent' }, /its own ancestor/);
  });

  test('schedules: an unknown service, a location the service is not at, a bad day or time', () => {
    // schedules.csv has no id column: rows are found by line. Line 2 is adult-social-care-advice.
    const schedule = (column: string, value: string, message: RegExp, line = 2) => {
      const problems = problemsOf(
        withRows('schedules.csv', (rows) => {
          const at = (rows[0] as string[]).indexOf(column);
          (rows[line - 1] as string[])[at] = value;
        }),
      );
      expectProblem(problems, { file: 'schedules.csv', row: line, field: column }, message);
    };
    schedule('service', 'adult-social-care', /the service "adult-social-care" is not in/);
    schedule('location', 'tottington-community-centre', /not one of the locations of the service/);
    schedule('byday', 'MO,XX', /"XX" is not a day/);
    schedule('opens_at', '25:00', /HH:MM/);
    schedule('closes_at', '08:00', /closes \(08:00\) before it opens \(09:00\)/);
    schedule('freq', 'DAILY', /WEEKLY or MONTHLY/);
    schedule('interval', '0', /whole number|greater than|>=/);
  });

  test('cost options and contacts: a negative amount, a bad email, a contact with no name or title', () => {
    const cell = (name: string, column: string, value: string, message: RegExp, clear?: string) => {
      const problems = problemsOf(
        withRows(name, (rows) => {
          const header = rows[0] as string[];
          (rows[1] as string[])[header.indexOf(column)] = value;
          if (clear) (rows[1] as string[])[header.indexOf(clear)] = '';
        }),
      );
      expectProblem(problems, { file: name, row: 2, field: column }, message);
    };
    cell('cost-options.csv', 'amount', '-3.50', /must be a number|must not be negative/);
    cell('contacts.csv', 'email', 'not an email', /email address/);
    cell('contacts.csv', 'phone', 'call us', /phone number/);
    cell('contacts.csv', 'title', '', /needs a name or a title/, 'name');
  });

  test('a column missing from a header, and a missing file', () => {
    const missing = problemsOf(
      withRows('services.csv', (rows) => {
        const at = (rows[0] as string[]).indexOf('review_date');
        for (const r of rows) r.splice(at, 1);
      }),
    );
    expectProblem(missing, { file: 'services.csv', row: 1, field: 'review_date' }, /missing from the header/);
    const files = { ...bury.files };
    delete files[file('contacts.csv')];
    assert.ok(
      problemsOf(parsePlacePack(bury.manifestText, files)).some(
        (p) => p.file === file('contacts.csv') && /missing from the pack/.test(p.message),
      ),
    );
  });
});
