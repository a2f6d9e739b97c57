import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { readPlacePackDir } from './load-place-pack.ts';
import { type PackProblem, parsePlacePack } from './place-pack.ts';

const BURY = path.resolve('place-packs/bury');
const bury = readPlacePackDir(BURY);

/** The Bury pack with one file's text changed. */
function withFile(name: string, change: (text: string) => string) {
  return parsePlacePack(bury.manifestText, { ...bury.files, [name]: change(bury.files[name] as string) });
}

function problemsOf(result: ReturnType<typeof parsePlacePack>): PackProblem[] {
  assert.equal(result.ok, false, 'the pack should have been refused');
  return result.ok ? [] : result.problems;
}

const lines = (text: string) => text.split('\n');

describe('the Bury place pack', () => {
  const result = parsePlacePack(bury.manifestText, bury.files);
  if (!result.ok) assert.fail(`the shipped pack is invalid: ${JSON.stringify(result.problems, null, 2)}`);
  const pack = result.pack;

  test('has the five neighbourhoods of the strategy', () => {
    assert.deepEqual(
      pack.neighbourhoods.map((n) => n.name),
      ['North', 'East', 'West', 'Whitefield', 'Prestwich'],
    );
  });

  test('puts all 120 LSOAs in exactly one neighbourhood, 12 of them in IMD 2019 decile 1', () => {
    assert.equal(pack.lsoas.length, 120);
    assert.equal(new Set(pack.lsoas.map((l) => l.code)).size, 120);
    assert.equal(pack.lsoas.filter((l) => l.imd2019Decile === 1).length, 12);
    assert.equal(pack.lsoaBoundaries.size, 120);
  });

  test('puts every practice in a neighbourhood, with 25 open', () => {
    const codes = new Set(pack.neighbourhoods.map((n) => n.code));
    assert.ok(pack.practices.every((p) => codes.has(p.neighbourhood)));
    assert.equal(pack.practices.filter((p) => p.isOpen).length, 25);
  });

  test('agrees with the strategy: East and West most deprived, North the most affluent and oldest', () => {
    const share = (code: string, decile: number) => {
      const ls = pack.lsoas.filter((l) => l.neighbourhood === code);
      const all = ls.reduce((t, l) => t + l.populationMid2020, 0);
      return ls.filter((l) => l.imd2019Decile <= decile).reduce((t, l) => t + l.populationMid2020, 0) / all;
    };
    const mostDeprived20 = Object.fromEntries(pack.neighbourhoods.map((n) => [n.code, share(n.code, 2)]));
    const ranked = Object.entries(mostDeprived20).sort((a, b) => b[1] - a[1]);
    assert.deepEqual(
      ranked
        .slice(0, 2)
        .map(([code]) => code)
        .sort(),
      ['east', 'west'],
    );
    const meanRank = (code: string) => {
      const ls = pack.lsoas.filter((l) => l.neighbourhood === code);
      return (
        ls.reduce((t, l) => t + l.imd2019Rank * l.populationMid2020, 0) /
        ls.reduce((t, l) => t + l.populationMid2020, 0)
      );
    };
    const mostAffluent = pack.neighbourhoods.map((n) => n.code).sort((a, b) => meanRank(b) - meanRank(a))[0];
    assert.equal(mostAffluent, 'north');
  });

  test('describes each INT by roles only', () => {
    assert.equal(pack.teams.length, 5);
    for (const team of pack.teams) {
      const titles = pack.teamRoles.filter((r) => r.team === team.id).map((r) => r.title);
      assert.deepEqual(titles, ['INT lead', 'GP lead', 'Neighbourhood officer']);
    }
  });

  test('gives each INT twelve practitioners by role, the GP lead from a practice of its neighbourhood', () => {
    assert.equal(pack.agencies.length, 10);
    assert.equal(pack.practitioners.length, 60);
    for (const team of pack.teams) {
      const members = pack.practitioners.filter((p) => p.team === team.id);
      assert.equal(members.length, 12, team.id);
      const gpLead = members.find((p) => p.id === `${team.id}-gp-lead`);
      const practice = pack.practices.find((p) => p.odsCode === gpLead?.agency);
      assert.equal(practice?.neighbourhood, team.neighbourhood);
      assert.ok(practice?.isOpen);
    }
  });

  test('holds the Live Well rollout by town and year', () => {
    const byTown = Object.fromEntries(pack.liveWell.map((s) => [s.town, s.rolloutYear]));
    assert.deepEqual(byTown, {
      Whitefield: 2026,
      Radcliffe: 2027,
      Ramsbottom: 2028,
      Prestwich: 2029,
      Bury: 2026,
    });
  });
});

describe('the Greater Manchester place pack', () => {
  const gm = readPlacePackDir(path.resolve('place-packs/greater-manchester'));
  const result = parsePlacePack(gm.manifestText, gm.files);
  if (!result.ok) assert.fail(`the shipped pack is invalid: ${JSON.stringify(result.problems, null, 2)}`);
  const pack = result.pack;

  test('is the city region, by its combined authority code, with its Census 2021 residents', () => {
    assert.equal(pack.kind, 'city-region');
    assert.equal(pack.ladCode, 'E47000001');
    assert.equal(pack.population.residents, 2_867_752);
  });

  test('has the ten localities as its neighbourhoods, each with its wards, LSOAs and an INT', () => {
    assert.deepEqual(
      pack.neighbourhoods.map((n) => n.code),
      [
        'bolton',
        'bury',
        'manchester',
        'oldham',
        'rochdale',
        'salford',
        'stockport',
        'tameside',
        'trafford',
        'wigan',
      ],
    );
    assert.equal(pack.wards.length, 215);
    assert.equal(pack.lsoas.length, 1702);
    assert.equal(pack.lsoaBoundaries.size, 1702);
    assert.equal(pack.wardBoundaries.size, 215);
    assert.equal(pack.lsoas.filter((l) => l.neighbourhood === 'bury').length, 120);
    assert.equal(pack.teams.length, 10);
    assert.equal(pack.practitioners.length, 120);
  });

  test('puts every practice in a locality, 412 of them open, with no postcode', () => {
    const codes = new Set(pack.neighbourhoods.map((n) => n.code));
    assert.ok(pack.practices.every((p) => codes.has(p.neighbourhood) && p.postcode === ''));
    assert.equal(pack.practices.length, 426);
    assert.equal(pack.practices.filter((p) => p.isOpen).length, 412);
  });
});

describe('a city-region pack and a practice without a postcode', () => {
  test('a combined authority code is accepted; other kinds of code are refused', () => {
    const manifest = (code: string) => bury.manifestText?.replace('"E08000002"', `"${code}"`);
    assert.ok(parsePlacePack(manifest('E47000001'), bury.files).ok);
    const problems = problemsOf(parsePlacePack(manifest('E54000057'), bury.files));
    assert.ok(problems.some((p) => p.file === 'pack.json' && /combined authority code/.test(p.message)));
  });

  test('a blank postcode is accepted, a malformed one refused', () => {
    assert.ok(withFile('practices.csv', (t) => t.replace(',BL0 9DD,', ',,')).ok);
    const problems = problemsOf(withFile('practices.csv', (t) => t.replace(',BL0 9DD,', ',BL0,')));
    assert.ok(problems.some((p) => p.field === 'postcode' && /UK postcode/.test(p.message)));
  });
});

describe('a bad place pack is refused, naming the file, row and field', () => {
  test('a missing column', () => {
    const problems = problemsOf(withFile('lsoas.csv', (t) => t.replace(',imd2019_decile,', ',imd_decile,')));
    assert.ok(
      problems.some(
        (p) =>
          p.file === 'lsoas.csv' && p.row === 1 && p.field === 'imd2019_decile' && /missing/.test(p.message),
      ),
      JSON.stringify(problems),
    );
  });

  test('an unknown LSOA code in the boundaries', () => {
    const problems = problemsOf(
      withFile('boundaries/lsoas.geojson', (t) => t.replace('"E01004941"', '"E01999999"')),
    );
    assert.ok(
      problems.some(
        (p) => p.file === 'boundaries/lsoas.geojson' && /unknown LSOA code E01999999/.test(p.message),
      ),
    );
    assert.ok(
      problems.some(
        (p) => p.file === 'lsoas.csv' && p.field === 'code' && /E01004941 has no boundary/.test(p.message),
      ),
    );
  });

  test('a malformed LSOA code', () => {
    const problems = problemsOf(withFile('lsoas.csv', (t) => t.replace('E01004942,', 'X01004942,')));
    const p = problems.find((x) => x.file === 'lsoas.csv' && x.field === 'code');
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.row, 3);
    assert.match(p.message, /must be an LSOA code/);
  });

  test('an LSOA in two neighbourhoods', () => {
    const problems = problemsOf(
      withFile('lsoas.csv', (t) => {
        const rows = lines(t);
        // E01004941 is in Besses (Whitefield); add it again under a Prestwich ward.
        const again = (rows[1] as string).replace(',E05014152,whitefield,', ',E05014165,prestwich,');
        return [...rows.slice(0, -1), again, ''].join('\n');
      }),
    );
    assert.ok(
      problems.some(
        (p) =>
          p.file === 'lsoas.csv' &&
          p.field === 'code' &&
          /in two neighbourhoods/.test(p.message) &&
          p.row === 122,
      ),
      JSON.stringify(problems),
    );
  });

  test('an LSOA whose neighbourhood disagrees with its ward', () => {
    const problems = problemsOf(
      withFile('lsoas.csv', (t) => t.replace(',E05014152,whitefield,', ',E05014152,north,')),
    );
    assert.ok(
      problems.some((p) => p.field === 'neighbourhood' && /exactly one neighbourhood/.test(p.message)),
    );
  });

  test('a practice with no neighbourhood', () => {
    const problems = problemsOf(withFile('practices.csv', (t) => t.replace('BURY PCN,north,', 'BURY PCN,,')));
    const p = problems.find((x) => x.file === 'practices.csv' && x.field === 'neighbourhood');
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.row, 2);
    assert.match(p.message, /every practice needs a neighbourhood/);
  });

  test('a practice in a neighbourhood the pack does not have', () => {
    const problems = problemsOf(
      withFile('practices.csv', (t) => t.replace('BURY PCN,north,', 'BURY PCN,radcliffe,')),
    );
    assert.ok(
      problems.some(
        (p) => p.field === 'neighbourhood' && /"radcliffe" is not a neighbourhood/.test(p.message),
      ),
    );
  });

  test('an agency of an unknown kind, or listed twice', () => {
    const kind = problemsOf(
      withFile('agencies.csv', (t) => t.replace(',Bury family hubs,family-hub', ',Bury family hubs,school')),
    );
    const p = kind.find((x) => x.file === 'agencies.csv' && x.field === 'kind');
    assert.ok(p, JSON.stringify(kind));
    assert.equal(p.row, 10);
    assert.match(p.message, /must be one of community-health, .*\(found "school"\)/);
    const gp = problemsOf(withFile('agencies.csv', (t) => `${t}P83005,TOWNSIDE SURGERY,gp-practice\n`));
    assert.ok(gp.some((x) => x.row === 12 && x.field === 'kind' && /GP practices come from/.test(x.message)));
    const twice = problemsOf(withFile('agencies.csv', (t) => `${t}gmfrs,Fire service,fire-and-rescue\n`));
    assert.ok(
      twice.some(
        (x) => x.row === 12 && x.field === 'id' && /the agency "gmfrs" is listed twice/.test(x.message),
      ),
      JSON.stringify(twice),
    );
  });

  test('a practitioner in an unknown team or agency, or listed twice', () => {
    const team = problemsOf(
      withFile('practitioners.csv', (t) =>
        t.replace('int-east-int-lead,int-east,', 'int-east-int-lead,int-radcliffe,'),
      ),
    );
    assert.ok(
      team.some(
        (p) =>
          p.file === 'practitioners.csv' &&
          p.row === 14 &&
          p.field === 'team' &&
          /the team "int-radcliffe" is not in teams.csv/.test(p.message),
      ),
      JSON.stringify(team),
    );
    const agency = problemsOf(
      withFile('practitioners.csv', (t) =>
        t.replace(',pennine-care,', ',mind-bury,').replace('int-east,P83005,', 'int-east,P83999,'),
      ),
    );
    const unknown = agency.filter((p) => p.file === 'practitioners.csv' && p.field === 'agency');
    assert.deepEqual(
      unknown.slice(0, 2).map((p) => [p.row, /neither in agencies.csv nor a practice/.test(p.message)]),
      [
        [7, true],
        [15, true],
      ],
    );
    assert.ok(unknown.some((p) => /"P83999"/.test(p.message)));
    const twice = problemsOf(withFile('practitioners.csv', (t) => `${t}${lines(t)[1]}\n`));
    assert.ok(
      twice.some(
        (p) =>
          p.row === 62 &&
          p.field === 'id' &&
          /the practitioner "int-north-int-lead" is listed twice/.test(p.message),
      ),
      JSON.stringify(twice),
    );
  });

  test('a missing file and a manifest that is not JSON', () => {
    const files = { ...bury.files };
    delete files['wards.csv'];
    assert.ok(
      problemsOf(parsePlacePack(bury.manifestText, files)).some(
        (p) => p.file === 'wards.csv' && /missing/.test(p.message),
      ),
    );
    assert.ok(
      problemsOf(parsePlacePack('{', bury.files)).some(
        (p) => p.file === 'pack.json' && /not valid JSON/.test(p.message),
      ),
    );
    assert.ok(problemsOf(parsePlacePack(undefined, bury.files)).some((p) => p.file === 'pack.json'));
  });

  test('a decile out of range and a duplicated ward', () => {
    const problems = problemsOf(
      withFile('lsoas.csv', (t) => {
        const rows = lines(t);
        rows[5] = (rows[5] as string).replace(/^(([^,]*,){7})[^,]*/, '$111');
        return rows.join('\n');
      }),
    );
    assert.ok(
      problems.some((p) => p.row === 6 && p.field === 'imd2019_decile'),
      JSON.stringify(problems),
    );
    const dup = problemsOf(withFile('wards.csv', (t) => `${t}${lines(t)[1]}\n`));
    assert.ok(dup.some((p) => p.file === 'wards.csv' && /listed twice/.test(p.message)));
  });
});
