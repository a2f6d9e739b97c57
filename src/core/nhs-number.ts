// NHS numbers (NHS Data Dictionary): ten digits, the last a Modulus 11 check digit over the first nine
// weighted 10 down to 2. A remainder giving 10 means the nine digits can never form a valid number.
// Pure; shared by the API, imports and the synthetic population.

export type NhsNumberResult = { ok: true; value: string } | { ok: false; reason: string };

/** The check digit for nine digits, or null when none exists (the Modulus 11 result is 10). */
export function nhsCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nineDigits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

/** The test range reserved for software testing: 999 000 0000 to 999 999 9999. */
export const isTestRangeNhsNumber = (value: string): boolean => value.startsWith('999');

export interface NhsNumberOptions {
  /** A live deployment sets this false to refuse numbers from the 999 test range. */
  allowTestRange: boolean;
}

/**
 * Validates and normalises an NHS number. Accepts ten digits, or ten digits grouped 3 3 4 with single
 * spaces as printed on letters ("943 476 5919"). Refuses anything else: other separators, leading or
 * trailing spaces, non-ASCII digits, placeholders such as 0000000000, and a wrong check digit.
 */
export function parseNhsNumber(
  input: unknown,
  options: NhsNumberOptions = { allowTestRange: true },
): NhsNumberResult {
  if (typeof input !== 'string') return { ok: false, reason: 'must be written as text of 10 digits' };
  let digits: string;
  if (/^[0-9]{10}$/.test(input)) digits = input;
  else if (/^[0-9]{3} [0-9]{3} [0-9]{4}$/.test(input)) digits = input.replaceAll(' ', '');
  else
    return {
      ok: false,
      reason:
        'must be 10 digits, written together or grouped 3 3 4 with single spaces (such as 943 476 5919)',
    };
  if (/^(\d)\1{9}$/.test(digits))
    return { ok: false, reason: 'is a placeholder (all one digit), not an NHS number' };
  const check = nhsCheckDigit(digits.slice(0, 9));
  if (check === null || check !== digits.charCodeAt(9) - 48)
    return { ok: false, reason: 'has a wrong check digit: check it has been copied correctly' };
  if (!options.allowTestRange && isTestRangeNhsNumber(digits))
    return { ok: false, reason: 'is from the 999 test range, which this service does not accept' };
  return { ok: true, value: digits };
}

/** Formats ten digits for reading: "999 000 0018". */
export const formatNhsNumber = (digits: string): string =>
  `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
