// Distribution quantiles the public-health methods need, written out rather than taken from a package:
// the normal quantile is Wichura's AS 241 (PPND16, accurate to about 1 part in 1e16, the algorithm R's
// qnorm uses); the chi-square quantile for exact Poisson limits inverts the regularised incomplete gamma
// function (series and continued fraction, Numerical Recipes §6.2) by bisection to full double precision.

import { AppError } from '../core/errors.ts';

// AS 241 coefficients (Wichura 1988, Table), each rounded to the nearest double.
const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function ratio(num: number[], den: number[], r: number): number {
  let n = 0;
  let d = 0;
  for (let i = num.length - 1; i >= 0; i--) {
    n = n * r + (num[i] ?? 0);
    d = d * r + (den[i] ?? 0);
  }
  return n / d;
}

/** Standard normal quantile: the z with P(Z ≤ z) = p (Wichura 1988, AS 241). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * ratio(A, B, 0.180625 - q * q);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const z = r <= 5 ? ratio(C, D, r - 1.6) : ratio(E, F, r - 5);
  return q < 0 ? -z : z;
}

/** Confidence given as 0.95 or 95 (PHEindicatormethods accepts both): values ≥ 90 are percentages. */
export function toConfidenceLevel(confidence: number): number {
  const level = confidence >= 90 ? confidence / 100 : confidence;
  if (!(level >= 0.9 && level <= 1)) {
    throw new AppError('invalid', 'confidence must be between 0.9 and 1 (or 90 and 100)', [
      { diagnostics: `confidence ${confidence} is out of range`, expression: ['confidence'] },
    ]);
  }
  return level;
}

/** Two-sided critical value for a confidence level: qnorm(c + (1 − c) / 2). */
export function zFor(confidence: number): number {
  const level = toConfidenceLevel(confidence);
  return normalQuantile(level + (1 - level) / 2);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), relative error < 1e-15 for x > 0.
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xm = x - 1;
  let a = g[0] ?? 0;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += (g[i] ?? 0) / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * front;
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return 1 - front * h;
}

/** Chi-square quantile qchisq(p, df) for df > 0; qchisq(p, 0) is 0 (as in R). */
export function chiSquareQuantile(p: number, df: number): number {
  if (df === 0 || p === 0) return 0;
  const shape = df / 2;
  let low = 0;
  let high = Math.max(1, df);
  while (gammaP(shape, high) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (gammaP(shape, mid) < p) low = mid;
    else high = mid;
  }
  return 2 * ((low + high) / 2);
}
