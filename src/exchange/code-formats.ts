// The formats of the codes and values an import accepts, checked before anything is written. Pure.
// SNOMED CT identifiers: SNOMED International's Technical Implementation Guide (6–18 digits, no
// leading zero, a partition identifier, and a Verhoeff check digit). ICD-10: WHO's category (a letter
// and two digits) with an optional dot and fourth character; NHS England writes the fourth character
// without a dot (I509) and that is accepted and given its dot. Postcodes: the Royal Mail pattern.

// Verhoeff's dihedral-group tables.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the digits, check digit last, pass Verhoeff's check. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = D[c]?.[P[i % 8]?.[digit] ?? 0] ?? 0;
  }
  return c === 0;
}

/** Why a SNOMED CT concept id is malformed, or null when it is well formed. */
export function snomedConceptProblem(code: string): string | null {
  if (!/^[1-9][0-9]{5,17}$/.test(code))
    return 'must be a SNOMED CT concept id: 6 to 18 digits, not starting with 0';
  // The partition identifier is the second and third digits from the right: 00 or 10 for a concept.
  const partition = code.slice(-3, -1);
  if (partition !== '00' && partition !== '10')
    return `is a SNOMED CT id of another kind (partition ${partition}), not a concept id`;
  if (!verhoeffValid(code)) return 'has a wrong check digit for a SNOMED CT id';
  return null;
}

/** An ICD-10 code written `I50`, `J18.9` or `J189`, given back as `I50` or `J18.9`; null if malformed. */
export function normaliseIcd10(code: string): string | null {
  const m = /^([A-Z][0-9]{2})(?:\.?([0-9X]))?([A-Z0-9]?)$/.exec(code.trim().toUpperCase());
  if (!m || m[3]) return null;
  return m[2] ? `${m[1]}.${m[2]}` : (m[1] ?? null);
}

/** A UK postcode in its normal form (upper case, one space before the last three characters), or null. */
export function normalisePostcode(text: string): string | null {
  const compact = text.replaceAll(/\s+/g, '').toUpperCase();
  const m = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/.exec(compact);
  return m ? `${m[1]} ${m[2]}` : null;
}

/** ONS 2021 LSOA code in England. */
export const isLsoaCode = (code: string): boolean => /^E01[0-9]{6}$/.test(code);

/** ODS organisation code of a GP practice (a letter and five digits) or another organisation. */
export const isOdsCode = (code: string): boolean => /^[A-Z0-9]{3,10}$/.test(code);

/**
 * Reads a date that must be a day: `YYYY-MM-DD` only, and a real calendar day. Other layouts
 * (02/03/2024, 2024-3-2, 20240302) are refused, never guessed: 02/03 is a different day in England
 * and the United States. Returns the same string, or the reason it is refused.
 */
export function parseDateOnly(text: string): { ok: true; value: string } | { ok: false; reason: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) {
    const hint = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(text)
      ? ' Day-month and month-day dates look alike, so they are not guessed: write it as YYYY-MM-DD.'
      : ' Write it as YYYY-MM-DD, for example 1948-07-05.';
    return { ok: false, reason: `"${text.slice(0, 40)}" is not a date.${hint}` };
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (year < 1850 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return { ok: false, reason: `${text} is not a day of the calendar.` };
  return { ok: true, value: text };
}

/**
 * The day of a FHIR date or dateTime as written, with no time-zone arithmetic: `2024-03-02T23:30:00-05:00`
 * is 2 March, the day the sender recorded. A date of less than a day (`2024-03`, `2024`) is refused,
 * as is anything that is not a FHIR date.
 */
export function dayOfFhirDateTime(text: string): { ok: true; value: string } | { ok: false; reason: string } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!m?.[1])
    return /^\d{4}(-\d{2})?$/.test(text)
      ? { ok: false, reason: `${text} gives only a year or a month; a day is needed (YYYY-MM-DD).` }
      : { ok: false, reason: `"${text.slice(0, 40)}" is not a FHIR date (YYYY-MM-DD).` };
  return parseDateOnly(m[1]);
}
