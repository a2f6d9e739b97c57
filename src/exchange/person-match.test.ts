import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  candidateBirthDates,
  decide,
  explainScore,
  isNickname,
  jaro,
  jaroWinkler,
  LINK_LEAD,
  levelWeight,
  MATCH_AT,
  MATCH_PROBABILITIES,
  type MatchFields,
  type MatchScore,
  normaliseFamilyName,
  normaliseGivenName,
  REVIEW_AT,
  type ScoredCandidate,
  scorePair,
} from './person-match.ts';

const JOHN: MatchFields = {
  givenName: 'John',
  familyName: 'Smith',
  dateOfBirth: '1980-03-04',
  sex: 'male',
  postcode: 'BL9 0SN',
};
const score = (changes: Partial<MatchFields>, existing: MatchFields = JOHN) =>
  scorePair({ ...existing, ...changes }, existing);
const levelOf = (s: MatchScore, field: string) => s.comparisons.find((c) => c.field === field)?.level;

describe('string comparators', () => {
  it('Jaro and Jaro–Winkler give the published values (Winkler 1990)', () => {
    const cases: [string, string, number, number][] = [
      ['MARTHA', 'MARHTA', 0.944, 0.961],
      ['DWAYNE', 'DUANE', 0.822, 0.84],
      ['DIXON', 'DICKSONX', 0.767, 0.813],
    ];
    for (const [a, b, j, jw] of cases) {
      assert.equal(Math.round(jaro(a, b) * 1000) / 1000, j, `Jaro ${a}/${b}`);
      assert.equal(Math.round(jaroWinkler(a, b) * 1000) / 1000, jw, `Jaro–Winkler ${a}/${b}`);
      assert.equal(jaroWinkler(b, a), jaroWinkler(a, b));
    }
    assert.equal(jaroWinkler('SMITH', 'SMITH'), 1);
    assert.equal(jaroWinkler('ABC', 'XYZ'), 0);
    assert.equal(jaroWinkler('', ''), 0);
  });

  it('names are compared without case, accents, hyphens, apostrophes, spaces or titles', () => {
    assert.equal(normaliseFamilyName("O'Brien").key, normaliseFamilyName('O Brien').key);
    assert.equal(normaliseFamilyName('MacDonald').key, normaliseFamilyName('McDonald').key);
    assert.equal(normaliseFamilyName('Saint John').key, normaliseFamilyName('St. John').key);
    assert.equal(normaliseFamilyName('Smith-Jones').key, normaliseFamilyName('smith jones').key);
    assert.equal(normaliseFamilyName('Núñez').key, 'NUNEZ');
    assert.equal(normaliseGivenName('Zoë').key, normaliseGivenName('ZOE').key);
    assert.equal(normaliseGivenName('Dr Siobhán').key, 'SIOBHAN');
    assert.equal(normaliseGivenName('Mary-Ann').key, normaliseGivenName('Mary Ann').key);
    assert.equal(normaliseGivenName('Mr').key, 'MR', 'a title alone is kept: it is all there is');
    assert.equal(normaliseFamilyName('Østergård').key, 'ØSTERGARD', 'letters NFD cannot split stay');
    assert.equal(normaliseGivenName('محمد').key, 'محمد', 'names in other scripts are kept, not dropped');
  });

  it('nicknames come from the short documented list only', () => {
    assert.ok(isNickname('BILL', 'WILLIAM'));
    assert.ok(isNickname('MOHAMMED', 'MUHAMMAD'));
    assert.ok(isNickname('SAM', 'SAMANTHA') && isNickname('SAM', 'SAMUEL'));
    assert.ok(!isNickname('BILL', 'ROBERT'));
    assert.ok(!isNickname('TIM', 'TOM') && !isNickname('QUENTIN', 'QUENTIN'));
  });
});

describe('worked examples', () => {
  it('an exact copy is a match: 33.2 with the postcode, 31.78 without', () => {
    const s = score({});
    assert.equal(s.score, 33.2);
    assert.equal(s.band, 'match');
    assert.deepEqual(
      s.comparisons.map((c) => [c.field, c.level, c.weight]),
      [
        ['family-name', 'exact', 8.83],
        ['given-name', 'exact', 7.41],
        ['date-of-birth', 'exact', 14.55],
        ['sex', 'exact', 0.99],
        ['postcode', 'exact', 1.42],
      ],
    );
    const noPostcode = score({ postcode: null });
    assert.equal(noPostcode.score, 31.78);
    assert.equal(noPostcode.band, 'match');
    assert.equal(levelOf(noPostcode, 'postcode'), 'missing');
    assert.equal(noPostcode.comparisons.find((c) => c.field === 'postcode')?.weight, 0, 'missing is neutral');
  });

  it('a given name that sounds alike or is a known short form matches; Jon/John 30.53, Jack/John 30.69', () => {
    const jon = score({ givenName: 'Jon', postcode: null });
    assert.deepEqual([levelOf(jon, 'given-name'), jon.score, jon.band], ['sounds-alike', 30.53, 'match']);
    const stephen = score({ givenName: 'Steven', postcode: 'BL9 0SP' }, { ...JOHN, givenName: 'Stephen' });
    assert.deepEqual([levelOf(stephen, 'given-name'), stephen.band], ['nickname', 'match']);
    const jack = score({ givenName: 'Jack', postcode: null });
    assert.deepEqual([levelOf(jack, 'given-name'), jack.score, jack.band], ['nickname', 30.69, 'match']);
    const bill = score({ givenName: 'Bill' }, { ...JOHN, givenName: 'William' });
    assert.deepEqual([levelOf(bill, 'given-name'), bill.score, bill.band], ['nickname', 32.11, 'match']);
  });

  it('a typo in a name goes to review: Smiht 28.28, Snith 25.86 and Jahn 25.37 without the postcode', () => {
    const smiht = score({ familyName: 'Smiht' });
    assert.deepEqual(
      [levelOf(smiht, 'family-name'), smiht.score, smiht.band],
      ['sounds-alike', 28.28, 'review'],
    );
    const snith = score({ familyName: 'Snith', postcode: null });
    assert.deepEqual(
      [levelOf(snith, 'family-name'), snith.score, snith.band],
      ['close-spelling', 25.86, 'review'],
    );
    const jahn = score({ givenName: 'Jahn', postcode: null });
    assert.deepEqual(
      [levelOf(jahn, 'given-name'), jahn.score, jahn.band],
      ['close-spelling', 25.37, 'review'],
    );
    const initial = score({ givenName: 'J.' });
    assert.deepEqual(
      [levelOf(initial, 'given-name'), initial.score, initial.band],
      ['initial', 29.63, 'review'],
    );
  });

  it('day and month swapped goes to review: 27.03, 25.61 without the postcode', () => {
    const s = score({ dateOfBirth: '1980-04-03' });
    assert.deepEqual([levelOf(s, 'date-of-birth'), s.score, s.band], ['day-month-swapped', 27.03, 'review']);
    assert.equal(score({ dateOfBirth: '1980-04-03', postcode: null }).score, 25.61);
    const slip = score({ dateOfBirth: '1980-03-05' });
    assert.deepEqual(
      [levelOf(slip, 'date-of-birth'), slip.score, slip.band],
      ['one-digit-different', 22.97, 'review'],
    );
    assert.equal(levelOf(score({ dateOfBirth: '1908-03-04' }), 'date-of-birth'), 'one-digit-different');
  });

  it('twins (same family name, date of birth and postcode) never match: Oliver/John 20.76, Tom/Tim 26.79', () => {
    const oliver = score({ givenName: 'Oliver' });
    assert.deepEqual(
      [levelOf(oliver, 'given-name'), oliver.score, oliver.band],
      ['disagree', 20.76, 'review'],
    );
    // Double Metaphone gives Tim and Tom, Emma and Amy, Jen and Jan the same code; they must not sound alike.
    const tim = score({ givenName: 'Tom' }, { ...JOHN, givenName: 'Tim' });
    assert.deepEqual([levelOf(tim, 'given-name'), tim.score, tim.band], ['close-spelling', 26.79, 'review']);
    const soundTwins: [string, string][] = [
      ['Emma', 'Amy'],
      ['Jen', 'Jan'],
    ];
    for (const [a, b] of soundTwins) {
      const twin = score({ givenName: a, sex: 'female' }, { ...JOHN, givenName: b, sex: 'female' });
      assert.notEqual(twin.band, 'match', `${a}/${b}`);
    }
  });

  it('the same name with a different date of birth is not a match: 12.59', () => {
    const s = score({ dateOfBirth: '1955-11-20' });
    assert.deepEqual([levelOf(s, 'date-of-birth'), s.score, s.band], ['disagree', 12.59, 'non-match']);
  });

  it('a different sex lowers the score by 7.63 and keeps it from matching: 25.57', () => {
    const s = score({ sex: 'female' });
    assert.deepEqual([levelOf(s, 'sex'), s.score, s.band], ['disagree', 25.57, 'review']);
  });

  it('a different postcode keeps everything else from matching: 29.56; the same sector does not: 33.2 → 32.04', () => {
    const moved = score({ postcode: 'M1 1AA' });
    assert.deepEqual([levelOf(moved, 'postcode'), moved.score, moved.band], ['disagree', 29.56, 'review']);
    const nearby = score({ postcode: 'bl90sp' });
    assert.deepEqual(
      [levelOf(nearby, 'postcode'), nearby.score, nearby.band],
      ['same-sector', 32.04, 'match'],
    );
  });

  it('a changed family name goes to review: 19.54, and 18.12 without the postcode', () => {
    const s = score({ familyName: 'Jones' });
    assert.deepEqual([levelOf(s, 'family-name'), s.score, s.band], ['disagree', 19.54, 'review']);
    assert.equal(score({ familyName: 'Jones', postcode: null }).band, 'review');
    assert.equal(score({ familyName: 'Jones', givenName: 'Peter' }).band, 'non-match');
  });

  it('accents, hyphens, apostrophes and prefixes do not stop a match', () => {
    const siobhan: MatchFields = {
      givenName: 'Siobhán',
      familyName: "O'Brien-Núñez",
      dateOfBirth: '1948-07-05',
      sex: 'female',
      postcode: 'BL9 0SN',
    };
    const plain = scorePair(
      { ...siobhan, givenName: 'SIOBHAN', familyName: 'Obrien Nunez', postcode: 'bl9 0sn' },
      siobhan,
    );
    assert.deepEqual([plain.score, plain.band], [33.2, 'match']);
    const mac = score({ familyName: 'MacDonald' }, { ...JOHN, familyName: 'McDonald' });
    assert.equal(levelOf(mac, 'family-name'), 'exact');
    const part = score({ familyName: 'Smith' }, { ...JOHN, familyName: 'Smith-Jones' });
    assert.deepEqual(
      [levelOf(part, 'family-name'), part.score, part.band],
      ['one-part-agrees', 28.69, 'review'],
    );
    const particle = score({ familyName: 'de Souza' }, { ...JOHN, familyName: 'Souza' });
    assert.equal(levelOf(particle, 'family-name'), 'one-part-agrees');
  });

  it('explains a score in plain English, with the values that differ', () => {
    const s = score({ givenName: 'Jon', postcode: 'BL9 0SP' });
    assert.equal(
      explainScore(s),
      'Family name the same; given name sounds alike (Jon/John); date of birth the same; sex the same; ' +
        'postcode in the same sector (BL9 0SP/BL9 0SN). Score 30.8: a match.',
    );
    assert.match(
      explainScore(score({ sex: 'female', postcode: null })),
      /sex different \(female\/male\); postcode missing/,
    );
    assert.match(explainScore(score({ dateOfBirth: '1955-11-20' })), /Score 12\.6: not a match\.$/);
  });
});

describe('the model', () => {
  it('every field has m and u that each sum to 1, and disagreement is its lowest level', () => {
    for (const [field, levels] of Object.entries(MATCH_PROBABILITIES)) {
      const ps = Object.values(levels);
      const total = (k: 'm' | 'u') => ps.reduce((sum, p) => sum + p[k], 0);
      assert.ok(Math.abs(total('m') - 1) < 1e-9, `${field} m sums to ${total('m')}`);
      assert.ok(Math.abs(total('u') - 1) < 1e-9, `${field} u sums to ${total('u')}`);
      const weights = ps.map((p) => Math.log2(p.m / p.u));
      assert.equal(Math.min(...weights), weights.at(-1), `${field}: disagree is the lowest`);
      assert.ok((weights.at(-1) ?? 0) < 0, `${field}: disagree counts against`);
    }
    assert.ok(REVIEW_AT < MATCH_AT);
  });

  it('over every combination of levels, only full agreement matches and one slip goes to review', () => {
    const levels = (field: keyof typeof MATCH_PROBABILITIES) => [
      ...Object.keys(MATCH_PROBABILITIES[field]),
      'missing',
    ];
    const agrees = { 'given-name': ['exact', 'nickname', 'sounds-alike'] } as const;
    let combinations = 0;
    for (const family of levels('family-name'))
      for (const given of levels('given-name'))
        for (const dob of levels('date-of-birth'))
          for (const sex of ['exact', 'disagree'])
            for (const postcode of levels('postcode')) {
              combinations++;
              const total =
                levelWeight('family-name', family) +
                levelWeight('given-name', given) +
                levelWeight('date-of-birth', dob) +
                levelWeight('sex', sex) +
                levelWeight('postcode', postcode);
              const isFullAgreement =
                family === 'exact' &&
                (agrees['given-name'] as readonly string[]).includes(given) &&
                dob === 'exact' &&
                sex === 'exact' &&
                postcode !== 'disagree';
              const label = JSON.stringify({ family, given, dob, sex, postcode, total });
              assert.equal(total >= MATCH_AT, isFullAgreement, label);
              // One slip, everything else the same (the postcode the same or missing): review.
              const slips = [
                family === 'exact'
                  ? 0
                  : ['one-part-agrees', 'sounds-alike', 'close-spelling'].includes(family)
                    ? 1
                    : 9,
                given === 'exact' ? 0 : ['close-spelling', 'initial'].includes(given) ? 1 : 9,
                dob === 'exact' ? 0 : ['day-month-swapped', 'one-digit-different'].includes(dob) ? 1 : 9,
                sex === 'exact' ? 0 : 1,
                postcode === 'exact' || postcode === 'missing' ? 0 : 9,
              ];
              if (slips.reduce((a, b) => a + b, 0) === 1)
                assert.ok(total >= REVIEW_AT && total < MATCH_AT, `one slip reviews: ${label}`);
              // Names agree but the date of birth does not, or the date agrees and neither name does.
              const namesAgree = family === 'exact' && given === 'exact';
              if ((namesAgree && dob === 'disagree') || (family === 'disagree' && given === 'disagree'))
                assert.ok(total < REVIEW_AT, `not a match: ${label}`);
            }
    assert.equal(combinations, 6 * 7 * 5 * 2 * 4);
  });

  it('candidate dates of birth: the date, and day and month swapped when that is a date', () => {
    assert.deepEqual(candidateBirthDates('1980-03-04'), ['1980-03-04', '1980-04-03']);
    assert.deepEqual(candidateBirthDates('1980-03-13'), ['1980-03-13']);
    assert.deepEqual(candidateBirthDates('1980-05-05'), ['1980-05-05']);
    assert.deepEqual(candidateBirthDates('2000-02-12'), ['2000-02-12', '2000-12-02']);
    assert.throws(() => candidateBirthDates('1980-02-30'), RangeError);
  });
});

describe('deciding among candidates', () => {
  const candidate = (personId: string, changes: Partial<MatchFields>): ScoredCandidate => ({
    personId,
    score: score(changes),
  });

  it('links to the one clear match', () => {
    const d = decide([candidate('twin', { givenName: 'Oliver' }), candidate('john', {})]);
    assert.equal(d.action, 'link');
    assert.equal(d.action === 'link' && d.personId, 'john');
  });

  it('reviews when two match, when the best does not lead by enough, or when none match', () => {
    const two = decide([candidate('a', {}), candidate('b', { givenName: 'Jon' })]);
    assert.equal(two.action, 'review');
    assert.deepEqual(two.action === 'review' && two.candidates.map((c) => c.personId), ['a', 'b']);
    // Jon (30.53) is the only match but leads the swapped date (25.61) by less than LINK_LEAD.
    const close = decide([
      candidate('swapped', { dateOfBirth: '1980-04-03', postcode: null }),
      candidate('jon', { givenName: 'Jon', postcode: null }),
    ]);
    assert.ok(30.53 - 25.61 < LINK_LEAD);
    assert.equal(close.action, 'review');
    assert.deepEqual(close.action === 'review' && close.candidates.map((c) => c.personId), [
      'jon',
      'swapped',
    ]);
    const typo = decide([
      candidate('far', { dateOfBirth: '1955-11-20' }),
      candidate('typo', { familyName: 'Smiht' }),
    ]);
    assert.deepEqual(typo.action === 'review' && typo.candidates.map((c) => c.personId), ['typo']);
  });

  it('makes a new person when nobody reaches review', () => {
    assert.deepEqual(decide([]), { action: 'new' });
    assert.deepEqual(decide([candidate('dad', { dateOfBirth: '1955-11-20' })]), { action: 'new' });
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

const NAMES = [
  'John',
  'Jon',
  'Jonathan',
  'Jack',
  'J',
  'Tim',
  'Tom',
  'Mary',
  'Mary-Ann',
  'Zoë',
  'Zoe',
  'Bill',
];
const FAMILY = [
  'Smith',
  'Smyth',
  'Smiht',
  'Smith-Jones',
  "O'Brien",
  'OBrien',
  'McDonald',
  'MacDonald',
  'Núñez',
];
const letters = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéöñ'.split('')),
  minLength: 1,
  maxLength: 10,
});
const name = (pool: string[]) => fc.oneof(fc.constantFrom(...pool), letters);
const dob = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const postcode = fc.constantFrom('BL9 0SN', 'BL9 0SP', 'BL9 9AA', 'M1 1AA', 'bl90sn', null);
const person: fc.Arbitrary<MatchFields> = fc.record({
  givenName: name(NAMES),
  familyName: name(FAMILY),
  dateOfBirth: fc.oneof(dob, fc.constantFrom('1980-03-04', '1980-04-03', '1980-03-05')),
  sex: fc.constantFrom('female' as const, 'male' as const),
  postcode,
});
/** A person and a second record of them with some fields changed, so that every level is reached. */
const pair = fc
  .tuple(person, person, fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }))
  .map(([a, b, keep]) => {
    const fields = ['givenName', 'familyName', 'dateOfBirth', 'sex', 'postcode'] as const;
    const second = { ...a } as Record<string, unknown>;
    fields.forEach((f, i) => {
      if (!keep[i]) second[f] = b[f];
    });
    return [a, second as unknown as MatchFields] as const;
  });

describe('properties', () => {
  it('the score is symmetric', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const ab = scorePair(a, b);
        const ba = scorePair(b, a);
        assert.equal(ab.score, ba.score);
        assert.deepEqual(
          ab.comparisons.map((c) => c.level),
          ba.comparisons.map((c) => c.level),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('an exact copy is always a match', () => {
    fc.assert(
      fc.property(person, (a) => {
        assert.equal(scorePair(a, { ...a }).band, 'match');
      }),
      { numRuns: 300 },
    );
  });

  it('changing any field to disagree never raises the score', () => {
    const disagreeing = {
      givenName: () => 'Quentin',
      familyName: () => 'Featherstonehaugh',
      dateOfBirth: (d: string) => `${Number(d.slice(0, 4)) > 1960 ? 1911 : 1999}-11-27`,
      sex: (_: string, other: MatchFields) => (other.sex === 'female' ? 'male' : 'female'),
      postcode: (p: string | null) => (p?.toUpperCase().startsWith('TR') ? 'ZE2 9XX' : 'TR1 1AA'),
    } as const;
    const fields = ['givenName', 'familyName', 'dateOfBirth', 'sex', 'postcode'] as const;
    const fieldNames = ['given-name', 'family-name', 'date-of-birth', 'sex', 'postcode'] as const;
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 4 }), ([incoming, existing], i) => {
        const f = fields[i] ?? 'sex';
        fc.pre(!(f === 'postcode' && incoming.postcode === null));
        const change = disagreeing[f] as (value: string, other: MatchFields) => string;
        const changed = { ...existing, [f]: change(existing[f] as string, incoming) } as MatchFields;
        const after = scorePair(incoming, changed);
        fc.pre(levelOf(after, fieldNames[i] ?? 'sex') === 'disagree');
        assert.ok(
          after.score <= scorePair(incoming, existing).score,
          `${f}: ${JSON.stringify([incoming, changed])}`,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('decide never links when two candidates reach MATCH_AT', () => {
    const scoreOf = (value: number): MatchScore => ({ score: value, band: 'non-match', comparisons: [] });
    const candidates = fc.array(
      fc.record({ personId: fc.uuid(), score: fc.double({ min: -20, max: 40, noNaN: true }).map(scoreOf) }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(candidates, (list) => {
        const d = decide(list);
        const reaching = list.filter((c) => c.score.score >= MATCH_AT).length;
        if (reaching >= 2) assert.notEqual(d.action, 'link');
        if (d.action === 'link') {
          assert.equal(reaching, 1);
          assert.ok(
            list.every((c) => c.personId === d.personId || d.score.score - c.score.score >= LINK_LEAD),
          );
        }
        if (d.action === 'review') assert.ok(d.candidates.every((c) => c.score.score >= REVIEW_AT));
        if (d.action === 'new') assert.ok(list.every((c) => c.score.score < REVIEW_AT));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(person, fc.uuid(), fc.uuid(), (a, id1, id2) => {
        const exact = { personId: id1, score: scorePair(a, a) };
        assert.notEqual(decide([exact, { personId: id2, score: scorePair(a, { ...a }) }]).action, 'link');
      }),
    );
  });
});
