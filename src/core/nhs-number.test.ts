import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatNhsNumber, nhsCheckDigit, parseNhsNumber } from './nhs-number.ts';

describe('parseNhsNumber', () => {
  test('accepts valid numbers and normalises them to 10 digits', () => {
    assert.deepEqual(parseNhsNumber('9990000018'), { ok: true, value: '9990000018' });
    assert.deepEqual(parseNhsNumber('943 476 5919'), { ok: true, value: '9434765919' });
    assert.deepEqual(parseNhsNumber('9434765919'), { ok: true, value: '9434765919' });
  });

  // The bad inputs a trusted health system tests (wrong check digit, impossible check digit,
  // transposition, placeholders, separators, lengths, letters, full-width digits, spaces, non-strings).
  const invalid: unknown[] = [
    '9990000019',
    '9990000108',
    '9990000000',
    '0000000000',
    '1111111111',
    '9999999999',
    '987 654 4321',
    '943-476-5919',
    '943  476 5919',
    '999000001',
    '99900000180',
    '99900000l8',
    '９９９００００００１８',
    ' 9990000018',
    '9990000018 ',
    '',
    null,
    undefined,
    9990000018,
    ['9990000018'],
  ];
  for (const input of invalid) {
    test(`refuses ${JSON.stringify(input)}`, () => {
      const result = parseNhsNumber(input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.ok(result.reason.length > 10);
    });
  }

  test('a number whose check digit would be 10 is refused whatever its last digit', () => {
    assert.equal(nhsCheckDigit('999000005'), 0);
    assert.equal(nhsCheckDigit('999000000'), null);
    for (let d = 0; d <= 9; d++) assert.equal(parseNhsNumber(`999000000${d}`).ok, false);
  });

  test('a live deployment can refuse the 999 test range', () => {
    assert.equal(parseNhsNumber('9990000018', { allowTestRange: false }).ok, false);
    assert.equal(parseNhsNumber('9434765919', { allowTestRange: false }).ok, true);
  });

  test('property: every number built with its check digit is accepted, and any single-digit change is refused', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{9}$/),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nine, pos, delta) => {
          const check = nhsCheckDigit(nine);
          fc.pre(check !== null && !/^(\d)\1{8}$/.test(nine));
          const valid = `${nine}${check}`;
          assert.deepEqual(parseNhsNumber(valid), { ok: true, value: valid });
          assert.deepEqual(parseNhsNumber(formatNhsNumber(valid)), { ok: true, value: valid });
          const changed =
            valid.slice(0, pos) + String((Number(valid[pos]) + delta) % 10) + valid.slice(pos + 1);
          assert.equal(parseNhsNumber(changed).ok, false, `${valid} → ${changed}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('property: adjacent transpositions of different digits are refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), fc.integer({ min: 0, max: 8 }), (nine, pos) => {
        const check = nhsCheckDigit(nine);
        fc.pre(check !== null && !/^(\d)\1{8}$/.test(nine));
        const valid = `${nine}${check}`;
        fc.pre(valid[pos] !== valid[pos + 1]);
        const swapped = valid.slice(0, pos) + valid[pos + 1] + valid[pos] + valid.slice(pos + 2);
        assert.equal(parseNhsNumber(swapped).ok, false);
      }),
      { numRuns: 2000 },
    );
  });
});
