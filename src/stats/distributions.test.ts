import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chiSquareQuantile, normalQuantile, zFor } from './distributions.ts';
import { assertClose } from './testdata/fixtures.ts';

describe('normalQuantile (AS 241)', () => {
  test('matches R qnorm to double precision', () => {
    // Values as printed by R with digits = 17.
    assertClose(normalQuantile(0.975), 1.959963984540054, 1e-15, 'qnorm(0.975)');
    assertClose(normalQuantile(0.999), 3.090232306167813, 1e-15, 'qnorm(0.999)');
    assertClose(normalQuantile(1e-10), -6.361340902404056, 1e-15, 'qnorm(1e-10)');
    assert.equal(normalQuantile(0.5), 0);
  });

  test('zFor accepts 0.95 or 95', () => {
    assert.equal(zFor(95), zFor(0.95));
    assert.equal(zFor(99.8), normalQuantile(0.999));
  });
});

describe('chiSquareQuantile', () => {
  test('closed forms for 2 degrees of freedom: qchisq(p, 2) = −2 ln(1 − p)', () => {
    for (const p of [0.001, 0.025, 0.5, 0.975, 0.999]) {
      assertClose(chiSquareQuantile(p, 2), -2 * Math.log(1 - p), 1e-13, `p=${p}`);
    }
  });

  test('0 degrees of freedom gives 0, as R does', () => {
    assert.equal(chiSquareQuantile(0.025, 0), 0);
  });
});
