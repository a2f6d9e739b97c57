// A small, fast, seedable random source (sfc32, seeded through splitmix32). Each synthetic person
// draws from a stream of their own, seeded by (run seed, person index), so a person's data does not
// depend on how generation is batched and the same seed always gives the same people. Pure.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A random stream for one (seed, stream) pair; streams with different numbers are independent. */
export function randomStream(seed: number, stream: number, salt = 0): Random {
  const mix = splitmix32((seed ^ Math.imul(stream, 0x27d4eb2d) ^ Math.imul(salt + 1, 0x165667b1)) >>> 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return { next };
}

export const uniformInt = (r: Random, min: number, maxInclusive: number): number =>
  min + Math.floor(r.next() * (maxInclusive - min + 1));

export const chance = (r: Random, p: number): boolean => r.next() < p;

/** A standard normal draw (Box–Muller). */
export function normal(r: Random): number {
  let u = r.next();
  while (u <= Number.EPSILON) u = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/** A Poisson draw with mean `lambda` (inversion; lambda here is small, well under 30). */
export function poisson(r: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = r.next();
  while (p > limit) {
    k++;
    p *= r.next();
  }
  return k;
}

/** Cumulative weights for repeated weighted picks. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += Math.max(0, weights[i] ?? 0);
    out[i] = sum;
  }
  return out;
}

/** Index picked in proportion to the weights behind `cum` (from `cumulative`). */
export function pickIndex(r: Random, cum: Float64Array): number {
  const target = r.next() * (cum[cum.length - 1] ?? 0);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * How a person's latent ill-health z (standard normal) scales a rate, by how strongly the rate is loaded
 * on it: exp(loading × z − loading² / 2), which averages 1 over the population, so the rate's mean is kept.
 */
export const tilt = (z: number, loading: number): number => Math.exp(loading * z - (loading * loading) / 2);
