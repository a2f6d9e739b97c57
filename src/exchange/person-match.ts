// Matching an imported person who has no NHS number against the people of the place: a Fellegi–Sunter
// score on family name, given name, date of birth, sex and postcode, banded into match, review and
// non-match. A match links to the existing person; a review goes to a person to decide; a non-match is
// a new person. Never a silent merge of two uncertain records. Pure: no database, no clock.
// Sources for the method and the m and u probabilities: docs/decisions/0019-matching-people-without-an-nhs-number.md.
import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';
import { normalisePostcode } from './code-formats.ts';

/** Stored beside every score. Bump on any change to levels, m and u, or thresholds. */
export const PERSON_MATCH_MODEL_VERSION = 'person-match-fellegi-sunter/1.0.0';

export interface MatchFields {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  sex: 'female' | 'male';
  /** Normalised, 'BL9 0SN', or null when the record has none. */
  postcode: string | null;
}

export type MatchBand = 'match' | 'review' | 'non-match';

export type MatchField = 'family-name' | 'given-name' | 'date-of-birth' | 'sex' | 'postcode';

export interface FieldComparison {
  field: MatchField;
  /** 'exact', 'one-part-agrees', 'nickname', 'sounds-alike', 'close-spelling', 'initial',
   * 'day-month-swapped', 'one-digit-different', 'same-sector', 'disagree' or 'missing'. */
  level: string;
  /** log2(m/u) of the level, to 2 decimal places; 0 when missing. */
  weight: number;
  /** The two values as written (incoming, existing), for the reviewer; absent when exact or missing. */
  values?: readonly [string, string];
}

export interface MatchScore {
  /** Sum of the weights, to 2 decimal places. */
  score: number;
  band: MatchBand;
  comparisons: FieldComparison[];
}

/** m = P(level | same person), u = P(level | different people). */
type LevelProbabilities = { readonly m: number; readonly u: number };

/**
 * The m and u probabilities of every level of every field, in the order the levels are tried; the last
 * level of each field is its disagreement. Each field's m and u sum to 1. The reasons for each figure
 * are in decision 0019.
 */
export const MATCH_PROBABILITIES = {
  'family-name': {
    exact: { m: 0.91, u: 0.002 },
    'one-part-agrees': { m: 0.01, u: 0.0005 },
    'sounds-alike': { m: 0.03, u: 0.002 },
    'close-spelling': { m: 0.015, u: 0.002 },
    disagree: { m: 0.035, u: 0.9935 },
  },
  'given-name': {
    exact: { m: 0.85, u: 0.005 },
    nickname: { m: 0.04, u: 0.0005 },
    'sounds-alike': { m: 0.05, u: 0.0007 },
    'close-spelling': { m: 0.02, u: 0.01 },
    initial: { m: 0.01, u: 0.0007 },
    disagree: { m: 0.03, u: 0.9831 },
  },
  'date-of-birth': {
    exact: { m: 0.96, u: 0.00004 },
    'day-month-swapped': { m: 0.005, u: 0.000015 },
    'one-digit-different': { m: 0.02, u: 0.001 },
    disagree: { m: 0.015, u: 0.998945 },
  },
  sex: {
    exact: { m: 0.995, u: 0.5 },
    disagree: { m: 0.005, u: 0.5 },
  },
  // u among people who share a family name and date of birth but are not the same person (mostly
  // twins, who often share a home), not among random pairs: see decision 0019.
  postcode: {
    exact: { m: 0.8, u: 0.3 },
    'same-sector': { m: 0.06, u: 0.05 },
    disagree: { m: 0.14, u: 0.65 },
  },
} as const satisfies Record<MatchField, Record<string, LevelProbabilities>>;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The weight of a level: log2(m/u) to 2 decimal places, and 0 for a missing value. */
export function levelWeight(field: MatchField, level: string): number {
  if (level === 'missing') return 0;
  const levels: Readonly<Record<string, LevelProbabilities>> = MATCH_PROBABILITIES[field];
  const p = levels[level];
  if (!p) throw new Error(`No m and u for ${field} at level ${level}`);
  return round2(Math.log2(p.m / p.u));
}

/**
 * A score at or above this links to the existing person. Reached only when family name and date of
 * birth agree exactly, the given name agrees at least as a nickname or by sound, sex agrees and the
 * postcode does not disagree (exact, same sector or missing). Twins (different given names) fall short.
 */
export const MATCH_AT = 30;
/**
 * A score at or above this (and below MATCH_AT) goes to a person to review: a typo in a name, day and
 * month swapped, one digit wrong in the date of birth, a changed family name, a different sex.
 */
export const REVIEW_AT = 17;
/** A link also needs its person to beat the next candidate by this much: 2^6, 64 times as likely. */
export const LINK_LEAD = 6;

// ---------------------------------------------------------------------------------------------
// String comparators

/** Jaro's similarity (Jaro 1989): matching characters within half the longer length, and transpositions. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched: boolean[] = new Array(a.length).fill(false);
  const bMatched: boolean[] = new Array(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const end = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= end; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let halfTranspositions = 0;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) halfTranspositions++;
    k++;
  }
  const t = halfTranspositions / 2;
  return (matches / a.length + matches / b.length + (matches - t) / matches) / 3;
}

/**
 * Jaro–Winkler similarity (Winkler 1990): Jaro's, raised by 0.1 for each of up to 4 leading characters
 * in common when Jaro's is above 0.7. The pair is put in a fixed order first, so it is symmetric.
 */
export function jaroWinkler(first: string, second: string): number {
  const [a, b] = first <= second ? [first, second] : [second, first];
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Whether two names sound alike: a Double Metaphone code in common and spelt alike (Jaro–Winkler ≥ 0.88). */
function isSoundsAlike(a: string, b: string): boolean {
  const codesA = doubleMetaphone(a).filter((c) => c.length);
  const codesB = new Set(doubleMetaphone(b).filter((c) => c.length));
  // Double Metaphone keeps no vowel after the first letter, so Tim and Tom share TM; Jaro–Winkler
  // 0.88 (Splink's middle name level) tells Jon/John (0.93) from Tim/Tom (0.80) and Emma/Amy.
  return codesA.some((c) => codesB.has(c)) && jaroWinkler(a, b) >= 0.88;
}

/** One typing slip: Jaro–Winkler ≥ 0.92 (Splink's first name level), or one letter added, dropped or changed. */
function isCloseSpelling(a: string, b: string): boolean {
  return jaroWinkler(a, b) >= 0.92 || (Math.min(a.length, b.length) >= 2 && distance(a, b) <= 1);
}

// ---------------------------------------------------------------------------------------------
// Names

/** Letters only, upper case, accents taken off (NFD, marks dropped); hyphens, spaces and dots split words. */
function nameWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replaceAll(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[\s\-‐‑–—.,/_]+/u)
    .map((w) => w.replaceAll(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 0);
}

const TITLES = new Set(['MR', 'MRS', 'MS', 'MISS', 'MX', 'DR', 'REV', 'PROF', 'SIR', 'DAME', 'LADY', 'LORD']);
/** Words that start a family name in several languages, left out when comparing its parts. */
const PARTICLES = new Set([
  'AL',
  'EL',
  'BIN',
  'BINTI',
  'DA',
  'DAS',
  'DE',
  'DEL',
  'DELLA',
  'DEN',
  'DER',
  'DI',
  'DO',
  'DOS',
  'DU',
  'LA',
  'LE',
  'TEN',
  'TER',
  'VAN',
  'VON',
]);

type NormalisedName = { readonly key: string; readonly words: readonly string[] };

/** A family name for comparing: St and Saint alike, Mac and Mc alike, apostrophes and spaces gone (O'Brien, O Brien, OBrien). */
export function normaliseFamilyName(text: string): NormalisedName {
  const words = nameWords(text.replaceAll(/['’‘`]/gu, '')).map((w) => (w === 'SAINT' ? 'ST' : w));
  const key = words.join('').replace(/^MAC(?=.)/u, 'MC');
  return { key, words: words.map((w) => w.replace(/^MAC(?=.)/u, 'MC')) };
}

/** A given name for comparing: as a family name, and a leading title dropped (Dr John → JOHN). */
export function normaliseGivenName(text: string): NormalisedName {
  const words = nameWords(text.replaceAll(/['’‘`]/gu, ''));
  while (words.length > 1 && TITLES.has(words[0] ?? '')) words.shift();
  return { key: words.join(''), words };
}

/**
 * Short forms and other spellings of the same given name. Kept short on purpose: the commonest English
 * diminutives and the spellings of Muhammad, common in the North West. A name may be in two groups
 * (Alex, Sam, Chris, Jo); sex is compared on its own.
 */
const NAME_GROUPS: readonly (readonly string[])[] = [
  ['WILLIAM', 'BILL', 'BILLY', 'WILL', 'WILLIE', 'LIAM'],
  ['ROBERT', 'BOB', 'BOBBY', 'ROB', 'ROBBIE', 'BERT'],
  ['RICHARD', 'DICK', 'RICK', 'RICKY', 'RICH', 'RICHIE'],
  ['JAMES', 'JIM', 'JIMMY', 'JAMIE'],
  ['JOHN', 'JACK', 'JOHNNY', 'JONNY'],
  ['JONATHAN', 'JON', 'JONNY'],
  ['MICHAEL', 'MIKE', 'MICK', 'MICKY', 'MICKEY'],
  ['THOMAS', 'TOM', 'TOMMY'],
  ['ANTHONY', 'ANTONY', 'TONY'],
  ['EDWARD', 'ED', 'EDDIE', 'TED', 'TEDDY', 'NED'],
  ['CHARLES', 'CHARLIE', 'CHAS'],
  ['JOSEPH', 'JOE', 'JOEY'],
  ['DANIEL', 'DAN', 'DANNY'],
  ['DAVID', 'DAVE', 'DAVY'],
  ['CHRISTOPHER', 'CHRIS', 'KIT'],
  ['MATTHEW', 'MATT'],
  ['NICHOLAS', 'NICK', 'NICKY'],
  ['SAMUEL', 'SAM', 'SAMMY'],
  ['BENJAMIN', 'BEN', 'BENNY'],
  ['ALEXANDER', 'ALEX', 'ALEC', 'SANDY'],
  ['ANDREW', 'ANDY', 'DREW'],
  ['STEPHEN', 'STEVEN', 'STEVE'],
  ['PETER', 'PETE'],
  ['PHILIP', 'PHILLIP', 'PHIL'],
  ['FREDERICK', 'FRED', 'FREDDIE', 'FREDDY'],
  ['HENRY', 'HARRY', 'HAL'],
  ['MARGARET', 'MAGGIE', 'MEG', 'PEGGY', 'MADGE'],
  ['ELIZABETH', 'LIZ', 'LIZZIE', 'BETH', 'BETTY', 'BESS', 'LIBBY', 'ELIZA', 'ELSIE'],
  ['CATHERINE', 'KATHERINE', 'KATHRYN', 'KATE', 'KATIE', 'KATH', 'CATH', 'KATHY', 'CATHY', 'KITTY'],
  ['SUSAN', 'SUE', 'SUSIE', 'SUZY'],
  ['PATRICIA', 'PAT', 'PATSY', 'TRISH', 'TRICIA'],
  ['JENNIFER', 'JEN', 'JENNY'],
  ['DEBORAH', 'DEBRA', 'DEBBIE', 'DEB'],
  ['REBECCA', 'BECKY', 'BECCA'],
  ['VICTORIA', 'VICKY', 'VICKI', 'TORI'],
  ['ALEXANDRA', 'ALEX', 'LEXI'],
  ['SAMANTHA', 'SAM', 'SAMMY'],
  ['CHRISTINE', 'CHRISTINA', 'CHRIS', 'CHRISSIE', 'TINA'],
  ['DOROTHY', 'DOT', 'DOTTIE', 'DOLLY'],
  ['ELEANOR', 'ELLIE', 'NELL', 'NELLIE'],
  ['MARY', 'MOLLY', 'POLLY'],
  ['JOSEPHINE', 'JO', 'JOSIE'],
  ['JOANNE', 'JOANNA', 'JO'],
  ['JACQUELINE', 'JACKIE'],
  ['PAMELA', 'PAM'],
  ['ABIGAIL', 'ABBIE', 'ABBY'],
  ['MUHAMMAD', 'MUHAMMED', 'MOHAMMED', 'MOHAMMAD', 'MOHAMED', 'MOHAMAD', 'MOHD'],
];
const NAME_GROUPS_BY_NAME: ReadonlyMap<string, readonly number[]> = (() => {
  const byName = new Map<string, number[]>();
  NAME_GROUPS.forEach((group, i) => {
    for (const name of group) byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  return byName;
})();

/** Whether two given names are forms of the same name in the list (Bill and William, Mohammed and Muhammad). */
export function isNickname(a: string, b: string): boolean {
  const groupsA = NAME_GROUPS_BY_NAME.get(a) ?? [];
  const groupsB = NAME_GROUPS_BY_NAME.get(b) ?? [];
  return groupsA.some((g) => groupsB.includes(g));
}

function compareFamilyName(a: string, b: string): string {
  const x = normaliseFamilyName(a);
  const y = normaliseFamilyName(b);
  if (!x.key || !y.key) return 'missing';
  if (x.key === y.key) return 'exact';
  // A part in common: Smith-Jones and Smith, de Souza and Souza, Al-Hassan and Hassan.
  const partsY = new Set(y.words.filter((w) => !PARTICLES.has(w)));
  if (x.words.some((w) => !PARTICLES.has(w) && partsY.has(w))) return 'one-part-agrees';
  if (isSoundsAlike(x.key, y.key)) return 'sounds-alike';
  if (isCloseSpelling(x.key, y.key)) return 'close-spelling';
  return 'disagree';
}

function compareGivenName(a: string, b: string): string {
  const x = normaliseGivenName(a);
  const y = normaliseGivenName(b);
  const [firstX, firstY] = [x.words[0], y.words[0]];
  if (!firstX || !firstY) return 'missing';
  // The first given name decides; other given names are often left out (Mary Ann and Mary).
  if (x.key === y.key || firstX === firstY) return 'exact';
  if (isNickname(firstX, firstY)) return 'nickname';
  if (isSoundsAlike(firstX, firstY)) return 'sounds-alike';
  if (isCloseSpelling(firstX, firstY)) return 'close-spelling';
  const isInitialOnly = firstX.length === 1 || firstY.length === 1;
  if (isInitialOnly && firstX[0] === firstY[0]) return 'initial';
  return 'disagree';
}

// ---------------------------------------------------------------------------------------------
// Dates of birth

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** The same year with day and month swapped, when that is another real date; else null. */
function swappedDayMonth(dateOfBirth: string): string | null {
  const m = DATE.exec(dateOfBirth);
  if (!m || m[2] === m[3]) return null;
  const swapped = `${m[1]}-${m[3]}-${m[2]}`;
  return isCalendarDay(swapped) ? swapped : null;
}

/** One digit changed, or two neighbouring digits swapped (1948 → 1984 is two changes, not one). */
function isOneDigitDifferent(a: string, b: string): boolean {
  const x = a.replaceAll('-', '');
  const y = b.replaceAll('-', '');
  const differ: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differ.push(i);
  if (differ.length === 1) return true;
  const [i, j] = differ;
  return differ.length === 2 && i !== undefined && j === i + 1 && x[i] === y[j] && x[j] === y[i];
}

function compareDateOfBirth(a: string, b: string): string {
  if (!isCalendarDay(a) || !isCalendarDay(b)) return 'missing';
  if (a === b) return 'exact';
  if (swappedDayMonth(a) === b) return 'day-month-swapped';
  if (isOneDigitDifferent(a, b)) return 'one-digit-different';
  return 'disagree';
}

/**
 * The dates of birth a candidate may have: the same date, and day and month swapped when that is a real
 * date; for a SQL candidate search.
 */
export function candidateBirthDates(dateOfBirth: string): string[] {
  if (!isCalendarDay(dateOfBirth)) throw new RangeError(`${dateOfBirth} is not a date (YYYY-MM-DD)`);
  const swapped = swappedDayMonth(dateOfBirth);
  return swapped ? [dateOfBirth, swapped] : [dateOfBirth];
}

// ---------------------------------------------------------------------------------------------
// Postcodes

function comparePostcode(a: string | null, b: string | null): string {
  const x = a === null ? null : normalisePostcode(a);
  const y = b === null ? null : normalisePostcode(b);
  if (x === null || y === null) return 'missing';
  if (x === y) return 'exact';
  // The sector is the outward code and the first character of the inward code: BL9 0SN → BL9 0.
  if (x.slice(0, -2) === y.slice(0, -2)) return 'same-sector';
  return 'disagree';
}

// ---------------------------------------------------------------------------------------------
// Scoring and deciding

export function bandOf(score: number): MatchBand {
  if (score >= MATCH_AT) return 'match';
  if (score >= REVIEW_AT) return 'review';
  return 'non-match';
}

function comparison(field: MatchField, level: string, a: string, b: string): FieldComparison {
  const weight = levelWeight(field, level);
  return level === 'exact' || level === 'missing'
    ? { field, level, weight }
    : { field, level, weight, values: [a, b] };
}

/** The Fellegi–Sunter score of an incoming person against an existing one: the sum of each field's weight. */
export function scorePair(incoming: MatchFields, existing: MatchFields): MatchScore {
  const comparisons: FieldComparison[] = [
    comparison(
      'family-name',
      compareFamilyName(incoming.familyName, existing.familyName),
      incoming.familyName,
      existing.familyName,
    ),
    comparison(
      'given-name',
      compareGivenName(incoming.givenName, existing.givenName),
      incoming.givenName,
      existing.givenName,
    ),
    comparison(
      'date-of-birth',
      compareDateOfBirth(incoming.dateOfBirth, existing.dateOfBirth),
      incoming.dateOfBirth,
      existing.dateOfBirth,
    ),
    comparison('sex', incoming.sex === existing.sex ? 'exact' : 'disagree', incoming.sex, existing.sex),
    comparison(
      'postcode',
      comparePostcode(incoming.postcode, existing.postcode),
      incoming.postcode ?? '',
      existing.postcode ?? '',
    ),
  ];
  const score = round2(comparisons.reduce((sum, c) => sum + c.weight, 0));
  return { score, band: bandOf(score), comparisons };
}

export interface ScoredCandidate {
  readonly personId: string;
  readonly score: MatchScore;
}

export type MatchDecision =
  | { action: 'link'; personId: string; score: MatchScore }
  | { action: 'review'; candidates: ScoredCandidate[] }
  | { action: 'new' };

/**
 * Of several candidates, the decision: link to one (only if exactly one reaches MATCH_AT and it beats the
 * next by LINK_LEAD), review (with every candidate at or above REVIEW_AT, best first), or new.
 */
export function decide(scored: readonly ScoredCandidate[]): MatchDecision {
  const ranked = [...scored].sort(
    (a, b) =>
      b.score.score - a.score.score || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0),
  );
  const [best, next] = ranked;
  if (!best || best.score.score < REVIEW_AT) return { action: 'new' };
  const isOnlyMatch =
    best.score.score >= MATCH_AT && (next?.score.score ?? Number.NEGATIVE_INFINITY) < MATCH_AT;
  const isClearLead = !next || best.score.score - next.score.score >= LINK_LEAD;
  if (isOnlyMatch && isClearLead) return { action: 'link', personId: best.personId, score: best.score };
  return { action: 'review', candidates: ranked.filter((c) => c.score.score >= REVIEW_AT) };
}

const FIELD_NAMES: Readonly<Record<MatchField, string>> = {
  'family-name': 'family name',
  'given-name': 'given name',
  'date-of-birth': 'date of birth',
  sex: 'sex',
  postcode: 'postcode',
};

const LEVEL_WORDS: Readonly<Record<string, string>> = {
  exact: 'the same',
  'one-part-agrees': 'shares one part',
  nickname: 'is a short form or other spelling of the same name',
  'sounds-alike': 'sounds alike',
  'close-spelling': 'spelt nearly the same',
  initial: 'given only as a first letter, which agrees',
  'day-month-swapped': 'with day and month swapped',
  'one-digit-different': 'one digit different',
  'same-sector': 'in the same sector',
  disagree: 'different',
  missing: 'missing on one record, so it does not count',
};

const BAND_WORDS: Readonly<Record<MatchBand, string>> = {
  match: 'a match',
  review: 'a possible match, for a person to check',
  'non-match': 'not a match',
};

/**
 * A plain-English sentence explaining a score for the reviewer, e.g. "Family name the same; given name
 * sounds alike (Jon/John); date of birth the same; postcode in the same sector (BL9 0SN/BL9 0SP)."
 * followed by the score and what it means.
 */
export function explainScore(s: MatchScore): string {
  const sentence = s.comparisons
    .map((c) => {
      const values = c.values ? ` (${c.values[0]}/${c.values[1]})` : '';
      return `${FIELD_NAMES[c.field]} ${LEVEL_WORDS[c.level] ?? c.level}${values}`;
    })
    .join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}. Score ${s.score.toFixed(1)}: ${BAND_WORDS[s.band]}.`;
}
