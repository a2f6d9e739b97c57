// A strict JSON parser for data that arrives from outside: FHIR resources in NDJSON lines and
// Bundles. JSON.parse alone is too forgiving for that: it keeps the last of two duplicate keys (so
// two systems can read one record two ways), takes nesting as deep as the sender likes (deeper than
// the recursive code after it, such as the FHIR validator, can walk), takes strings of any size,
// accepts unpaired surrogates (text that is not Unicode), and makes own `__proto__` properties that
// a later object spread or merge can turn into prototype pollution. jsonc-parser, the other
// candidate, allows comments and trailing commas unless told otherwise and checks none of the rest.
//
// So one pass over the characters checks RFC 8259 grammar exactly (no byte-order mark, comments,
// trailing commas, trailing content, leading zeros, bad escapes, raw control characters or unpaired
// surrogates), nesting depth, string lengths, duplicate keys and the keys `__proto__`, `constructor`
// and `prototype` (never FHIR element names), and only then does JSON.parse build the value. The
// pass keeps its own stack, so no input can overflow the call stack, and it stops at the first
// problem, so a 10 MB string or a million-deep nesting is refused in milliseconds.
//
// Speed: the pass is quick because it reads the inside of a string with indexOf (native) whenever
// the string has no backslash, compares keys where they lie in the text instead of making strings
// of them, and leaves raw control characters in strings to JSON.parse and unpaired raw surrogates
// to isWellFormed; when either of those fails, a careful pass reads every character to say where.
// On ~1.2 KB FHIR Patient and Encounter lines it measured about 8.5 µs a line against 4.5 µs for
// JSON.parse alone (1.9×; 2.4× pretty-printed), on a loaded 2-core machine; building the value
// with jsonc-parser's visit() instead measured 16 µs. Pure: no I/O, never throws.
import type { ImportIssue } from './records.ts';

export interface JsonLimits {
  /** How many objects and arrays may be open at once; the outermost counts as 1. */
  maxDepth: number;
  /** The longest string, key or value, in UTF-16 code units after escapes are decoded. */
  maxStringLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 64, maxStringLength: 1_048_576 };

export type JsonResult = { ok: true; value: unknown } | { ok: false; issue: ImportIssue };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// Up to this many keys an object's keys are checked for duplicates by comparing them where they lie
// in the text, which beats making strings for a Set in the small objects FHIR is made of; past it a
// Set keeps huge objects linear, not quadratic.
const LINEAR_KEY_LIMIT = 12;
const OBJECT = 1;
const ARRAY = 2;

/**
 * Parses one JSON value from outside, refusing anything but plain, well-formed JSON within the
 * limits. The value is exactly what JSON.parse gives; a refusal is one plain-English issue with
 * where it is and how to fix it.
 */
export function parseStrictJson(text: string, limits?: Partial<JsonLimits>): JsonResult {
  try {
    if (typeof text !== 'string')
      return refused('invalid', 'The input is not text, so it cannot be JSON. Send the JSON as text.');
    const maxDepth = limits?.maxDepth ?? DEFAULT_JSON_LIMITS.maxDepth;
    const maxStringLength = limits?.maxStringLength ?? DEFAULT_JSON_LIMITS.maxStringLength;
    const issue = scan(text, maxDepth, maxStringLength, false);
    if (issue !== null) return { ok: false, issue };
    // The quick scan leaves two things inside plain strings to these native checks: raw control
    // characters (JSON.parse refuses them) and unpaired surrogates (isWellFormed finds them). When
    // either fails, the careful scan says where.
    if (text.isWellFormed()) {
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        // A raw control character in a string: the careful scan finds it.
      }
    }
    const careful = scan(text, maxDepth, maxStringLength, true);
    if (careful !== null) return { ok: false, issue: careful };
    return refused('structure', 'The text is not valid JSON. Check that it is one complete JSON value.');
  } catch (error) {
    // Only reachable through a fault in the scan itself; the caller still gets an answer.
    const reason = error instanceof Error ? error.message : String(error);
    return refused('structure', `The JSON could not be read (${reason}). Check that it is valid JSON.`);
  }
}

function refused(code: ImportIssue['code'], diagnostics: string): JsonResult {
  return { ok: false, issue: { severity: 'error', code, diagnostics } };
}

/** A problem found during the scan; `scan` turns it into an ImportIssue with its path. */
class Refusal {
  readonly code: 'structure' | 'too-long' | 'invalid';
  readonly diagnostics: string;
  constructor(code: 'structure' | 'too-long' | 'invalid', diagnostics: string) {
    this.code = code;
    this.diagnostics = diagnostics;
  }
}

/**
 * The keys read so far in each open object, as the offsets of their quotes in the text: one stack
 * for all depths, since an inner object's keys are done with before its parent's next key.
 */
class OpenKeys {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private count = 0;
  /** Per depth: where that object's keys begin in `starts`. */
  private readonly firsts: number[] = [];
  /** Per depth: the object's keys as strings, once it has many keys or an escaped one. */
  private readonly sets: (Set<string> | null)[] = [];

  open(depth: number): void {
    this.firsts[depth] = this.count;
    this.sets[depth] = null;
  }

  close(depth: number): void {
    this.count = this.firsts[depth] as number;
  }

  /**
   * Adds the key whose quotes are at `start` and `end` (`decoded` when it has escapes) to the object
   * open at `depth`; false when the object already has it.
   */
  add(text: string, depth: number, start: number, end: number, decoded: string | null): boolean {
    let set = this.sets[depth] as Set<string> | null;
    const first = this.firsts[depth] as number;
    if (set === null) {
      const { starts, ends } = this;
      if (decoded === null && this.count - first < LINEAR_KEY_LIMIT) {
        const length = end - start;
        for (let k = first; k < this.count; k++)
          if (
            (ends[k] as number) - (starts[k] as number) === length &&
            sameText(text, starts[k] as number, start, length)
          )
            return false;
        starts[this.count] = start;
        ends[this.count] = end;
        this.count++;
        return true;
      }
      set = new Set();
      for (let k = first; k < this.count; k++) set.add(text.slice((starts[k] as number) + 1, ends[k]));
      this.sets[depth] = set;
    }
    const key = decoded ?? text.slice(start + 1, end);
    if (set.has(key)) return false;
    set.add(key);
    return true;
  }
}

function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let k = 1; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** Checks the whole text; null when it is acceptable, else the first problem. */
function scan(text: string, maxDepth: number, maxStringLength: number, careful: boolean): ImportIssue | null {
  const n = text.length;
  checkEveryCharacter = careful;
  nextBackslash = -1;
  const kinds: number[] = [];
  // The element being read in each open container, for the issue's FHIRPath expression: an array's
  // index, or the offset of the key's opening quote in an object (-1 while the key is being read).
  const steps: number[] = [];
  const keys = new OpenKeys();
  let depth = 0;
  let i = 0;
  try {
    if (n > 0 && text.charCodeAt(0) === 0xfeff)
      throw new Refusal(
        'structure',
        'The text starts with a byte-order mark (U+FEFF), which JSON does not allow. Save the file as UTF-8 without a byte-order mark.',
      );
    i = skipSpace(text, 0);
    if (i >= n)
      throw new Refusal(
        'structure',
        'The text is empty. Send one JSON value, such as a FHIR resource starting with "{".',
      );
    for (;;) {
      // A value starts at i.
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        if (depth >= maxDepth)
          throw new Refusal(
            'too-long',
            `The JSON is nested more than ${maxDepth} levels deep at ${where(text, i)}. Up to ${maxDepth} levels of objects and arrays are allowed, far more than any FHIR resource needs; check how the data was made.`,
          );
        i = skipSpace(text, i + 1);
        if (c === 123) {
          if (text.charCodeAt(i) === 125) i++;
          else {
            kinds[depth] = OBJECT;
            steps[depth] = -1;
            keys.open(depth);
            depth++;
            i = readKey(text, i, keys, kinds, steps, depth, maxStringLength);
            continue;
          }
        } else if (text.charCodeAt(i) === 93) i++;
        else {
          kinds[depth] = ARRAY;
          steps[depth] = 0;
          depth++;
          continue;
        }
      } else if (c === 34) i = scanString(text, i, maxStringLength, 'string') + 1;
      else if (c === 45 || (c >= 48 && c <= 57)) i = scanNumber(text, i);
      else if (c === 116 && text.startsWith('true', i)) i += 4;
      else if (c === 102 && text.startsWith('false', i)) i += 5;
      else if (c === 110 && text.startsWith('null', i)) i += 4;
      else throw unexpected(text, i, 'a value');

      // After a value: close what it ends, then find where the next value starts.
      for (;;) {
        i = skipSpace(text, i);
        if (depth === 0) {
          if (i < n)
            throw new Refusal(
              'structure',
              `There is more text after the end of the JSON value, at ${where(text, i)}. Remove it: the text must hold exactly one JSON value (in NDJSON, one resource per line).`,
            );
          return null;
        }
        const d = text.charCodeAt(i);
        const kind = kinds[depth - 1];
        if (d === 44) {
          i = skipSpace(text, i + 1);
          if (kind === OBJECT) {
            steps[depth - 1] = -1;
            i = readKey(text, i, keys, kinds, steps, depth, maxStringLength);
          } else {
            if (text.charCodeAt(i) === 93) {
              depth--; // so that the issue names the array, not an item after its last
              throw trailingComma(text, i, 'item');
            }
            steps[depth - 1] = (steps[depth - 1] as number) + 1;
          }
          break;
        }
        if (d === 125 && kind === OBJECT) {
          i++;
          depth--;
          keys.close(depth);
        } else if (d === 93 && kind === ARRAY) {
          i++;
          depth--;
        } else throw unexpected(text, i, kind === OBJECT ? '"," or "}"' : '"," or "]"');
      }
    }
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const expression = fhirPath(text, kinds, steps, depth);
    return {
      severity: 'error',
      code: error.code,
      diagnostics: error.diagnostics,
      ...(expression === '' ? {} : { expression }),
    };
  }
}

/**
 * Reads `"key":` in the object open at `depth`, checking the key is allowed and new; returns where
 * its value starts.
 */
function readKey(
  text: string,
  start: number,
  keys: OpenKeys,
  kinds: readonly number[],
  steps: number[],
  depth: number,
  maxStringLength: number,
): number {
  const c = text.charCodeAt(start);
  if (c !== 34) {
    if (c === 125) throw trailingComma(text, start, 'property');
    throw unexpected(text, start, 'a property name in double quotes');
  }
  const end = scanString(text, start, maxStringLength, 'property name');
  steps[depth - 1] = start;
  // Escapes are rare in keys; decoding them makes "\u0061" and "a" the same key.
  const decoded = hadEscape ? (JSON.parse(text.slice(start, end + 1)) as string) : null;
  // Only a key of the right length and first letter can be one of the forbidden three; FHIR has many
  // of those lengths (extension, reference, valueString), so the letter saves making most of them.
  const length = decoded === null ? end - start - 1 : decoded.length;
  const initial = decoded === null ? text.charCodeAt(start + 1) : decoded.charCodeAt(0);
  if ((length === 9 || length === 11) && (initial === 95 || initial === 99 || initial === 112)) {
    const key = decoded ?? text.slice(start + 1, end);
    if (FORBIDDEN_KEYS.has(key))
      throw new Refusal(
        'invalid',
        `The property name "${key}" at ${where(text, start)} is not allowed: it is never a FHIR element name, and it can be used to tamper with objects. Remove that property.`,
      );
  }
  if (!keys.add(text, depth - 1, start, end, decoded)) {
    const key = decoded ?? text.slice(start + 1, end);
    const parent = fhirPath(text, kinds, steps, depth - 1);
    throw new Refusal(
      'invalid',
      `The property "${shorten(key)}" appears twice in the same object${parent === '' ? '' : ` (${parent})`}, the second time at ${where(text, start)}. Keep one of them: systems disagree on which one counts.`,
    );
  }
  let i = skipSpace(text, end + 1);
  if (text.charCodeAt(i) !== 58) throw unexpected(text, i, '":" after the property name');
  i = skipSpace(text, i + 1);
  return i;
}

// The string scanner's state, kept here rather than passed through every call: the scan is
// synchronous, so only one runs at a time.
/** False in the quick scan: a string with no backslash is passed over with indexOf. */
let checkEveryCharacter = false;
/** Where the next backslash is, once looked for (unsigned, so "none" is past every quote). */
let nextBackslash = -1;
/** Whether the last string scanned had an escape in it, so readKey need only decode keys that do. */
let hadEscape = false;

/** Checks the string that opens at `start`; returns the index of its closing quote. */
function scanString(text: string, start: number, maxLength: number, what: string): number {
  let j = start + 1;
  // Escapes make the decoded string shorter than its text; past `limit` it is too long.
  let limit = start + 1 + maxLength;
  hadEscape = false;
  if (!checkEveryCharacter) {
    const end = text.indexOf('"', j);
    if (end !== -1) {
      if (nextBackslash < j) nextBackslash = text.indexOf('\\', j) >>> 0;
      if (nextBackslash > end) {
        if (end > limit) throw tooLong(text, start, what, maxLength);
        return end;
      }
    }
  }
  for (;;) {
    const c = text.charCodeAt(j);
    // Most characters need no more than this.
    if ((c >= 35 && c !== 92 && c < 0xd800) || c === 32 || c === 33 || c > 0xdfff) {
      if (++j > limit) throw tooLong(text, start, what, maxLength);
      continue;
    }
    if (c === 34) return j;
    if (c === 92) {
      hadEscape = true;
      const e = text.charCodeAt(j + 1);
      if (e === 117) {
        const unit = hex4(text, j);
        if (unit >= 0xd800 && unit <= 0xdfff) {
          const low = unit <= 0xdbff && text.charCodeAt(j + 6) === 92 && text.charCodeAt(j + 7) === 117;
          const next = low ? hex4(text, j + 6) : -1;
          if (next < 0xdc00 || next > 0xdfff) throw unpaired(text, j, text.slice(j, j + 6));
          j += 12;
          limit += 10;
        } else {
          j += 6;
          limit += 5;
        }
      } else if (
        e === 34 ||
        e === 92 ||
        e === 47 ||
        e === 98 ||
        e === 102 ||
        e === 110 ||
        e === 114 ||
        e === 116
      ) {
        j += 2;
        limit += 1;
      } else if (j + 1 >= text.length) throw unclosed(text, start, what);
      else
        throw new Refusal(
          'structure',
          `"\\${text[j + 1]}" at ${where(text, j)} is not a valid escape in a JSON string. Use one of \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u followed by four hex digits.`,
        );
    } else if (c < 32)
      throw new Refusal(
        'structure',
        `A ${what} contains a control character (${codePoint(c)}) at ${where(text, j)}. Write it as an escape such as \\n or \\t.`,
      );
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(j + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) throw unpaired(text, j, codePoint(c));
      j += 2;
    } else throw unclosed(text, start, what);
    if (j > limit) throw tooLong(text, start, what, maxLength);
  }
}

function unclosed(text: string, start: number, what: string): Refusal {
  return new Refusal(
    'structure',
    `A ${what} starting at ${where(text, start)} is never closed. Add the closing double quote, or check the text was not cut short.`,
  );
}

/** The code unit written by the `\uXXXX` escape at `j`. */
function hex4(text: string, j: number): number {
  let unit = 0;
  for (let k = j + 2; k < j + 6; k++) {
    const c = text.charCodeAt(k);
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0)
      throw new Refusal(
        'structure',
        `"${text.slice(j, j + 6)}" at ${where(text, j)} is not a valid escape in a JSON string: \\u must be followed by four hex digits.`,
      );
    unit = unit * 16 + digit;
  }
  return unit;
}

/** Checks the number that starts at `start`; returns the index just after it. */
function scanNumber(text: string, start: number): number {
  let j = start;
  if (text.charCodeAt(j) === 45) j++;
  const first = text.charCodeAt(j);
  if (first === 48) {
    j++;
    if (isDigit(text.charCodeAt(j))) throw badNumber(text, start);
  } else if (first >= 49 && first <= 57) j = skipDigits(text, j + 1);
  else throw badNumber(text, start);
  if (text.charCodeAt(j) === 46) {
    if (!isDigit(text.charCodeAt(j + 1))) throw badNumber(text, start);
    j = skipDigits(text, j + 1);
  }
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    j++;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (!isDigit(text.charCodeAt(j))) throw badNumber(text, start);
    j = skipDigits(text, j);
  }
  return j;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipDigits(text: string, j: number): number {
  while (isDigit(text.charCodeAt(j))) j++;
  return j;
}

/** JSON's four whitespace characters: space, tab, line feed, carriage return. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

function unexpected(text: string, i: number, expected: string): Refusal {
  if (i >= text.length)
    return new Refusal(
      'structure',
      `The JSON ends too soon, at ${where(text, i)}: expected ${expected}. Check the text was not cut short.`,
    );
  const c = text.charCodeAt(i);
  if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42))
    return new Refusal(
      'structure',
      `There is a comment at ${where(text, i)}, and JSON does not allow comments. Remove the comment.`,
    );
  const hint =
    c === 39
      ? ' Strings and property names need double quotes, not single quotes.'
      : ' Correct the JSON syntax there.';
  return new Refusal(
    'structure',
    `The text is not valid JSON at ${where(text, i)}: expected ${expected} but found ${describe(text, i)}.${hint}`,
  );
}

/** `i` is the closing bracket; only whitespace lies between it and the comma. */
function trailingComma(text: string, i: number, what: 'property' | 'item'): Refusal {
  const close = what === 'property' ? '}' : ']';
  return new Refusal(
    'structure',
    `There is a comma before "${close}" at ${where(text, text.lastIndexOf(',', i))}, and JSON does not allow a trailing comma. Remove the comma after the last ${what}.`,
  );
}

function badNumber(text: string, start: number): Refusal {
  const match = /^[-+0-9.eE]*[^\s,\]}]{0,3}/.exec(text.slice(start, start + 24));
  const written = match?.[0] || text.slice(start, start + 1);
  return new Refusal(
    'structure',
    `"${written}" at ${where(text, start)} is not a valid JSON number. Write numbers like 12, -0.5 or 1e-3: no leading zeros, plus signs, or bare decimal points.`,
  );
}

function unpaired(text: string, j: number, written: string): Refusal {
  return new Refusal(
    'structure',
    `A string contains a broken character (${written}, half of a surrogate pair) at ${where(text, j)}, which is not valid Unicode text. Check the sending system writes its text as UTF-8.`,
  );
}

function tooLong(text: string, start: number, what: string, maxLength: number): Refusal {
  return new Refusal(
    'too-long',
    `A ${what} starting at ${where(text, start)} is longer than ${maxLength.toLocaleString('en-GB')} characters, the most allowed. Shorten it, or send large content (such as a document) separately.`,
  );
}

/** Line and column when the text has several lines, else the character position; 1-based. */
function where(text: string, i: number): string {
  const lineStart = i > 0 ? text.lastIndexOf('\n', i - 1) : -1;
  if (lineStart === -1 && text.indexOf('\n', i) === -1) return `character ${i + 1}`;
  let line = 1;
  for (let k = text.indexOf('\n'); k !== -1 && k < i; k = text.indexOf('\n', k + 1)) line++;
  return `line ${line}, column ${i - lineStart}`;
}

function describe(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c < 32 || c === 127 || (c >= 0xd800 && c <= 0xdfff)) return codePoint(c);
  return `"${text[i]}"`;
}

function codePoint(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

function shorten(key: string): string {
  return key.length > 60 ? `${key.slice(0, 60)}…` : key;
}

/** The FHIRPath of the element being read, relative to the root: `name[0].family`. */
function fhirPath(text: string, kinds: readonly number[], steps: readonly number[], depth: number): string {
  let out = '';
  for (let k = 0; k < depth; k++) {
    const step = steps[k] as number;
    if (kinds[k] === ARRAY) out += `[${step}]`;
    else if (step === -1) break;
    else {
      const key = keyAt(text, step);
      const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replace(/[`\\]/g, '\\$&')}\``;
      out += out === '' ? shorten(name) : `.${shorten(name)}`;
    }
  }
  return out;
}

/** The key whose opening quote is at `start`, already checked by scanString. */
function keyAt(text: string, start: number): string {
  let j = start + 1;
  for (let c = text.charCodeAt(j); c !== 34; c = text.charCodeAt(j)) j += c === 92 ? 2 : 1;
  return JSON.parse(text.slice(start, j + 1)) as string;
}
