import binomial from '@stdlib/stats-base-dists-binomial';
import poisson from '@stdlib/stats-base-dists-poisson';

/** A seeded source of random draws; each call advances its own state. */
export interface SeededRandom {
  /** Uniform on [0, 1), 2⁻³² resolution. */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Binomial(n, p), exact inversion of the CDF searched outward from the mode. */
  binomial(n: number, p: number): number;
  /** Poisson(λ), exact inversion of the CDF searched outward from the mode. */
  poisson(lambda: number): number;
}

/**
 * A reproducible random source for simulations: mulberry32 (Tommy Ettinger, public domain) for
 * uniforms, Box–Muller for normals, and CDF inversion for binomial and Poisson draws (expected
 * O(√variance) steps from the mode, with stdlib's CDF and PMF). Not for cryptography.
 *
 * @throws {RangeError} if `seed` is not a finite number.
 */
export function seededRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRandom needs a finite seed, got ${seed}`);
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return {
    uniform,
    normal,
    binomial(n, p) {
      if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) {
        throw new RangeError(`binomial draw needs integer n >= 0 and p in [0, 1], got ${n} and ${p}`);
      }
      const mode = Math.min(n, Math.floor((n + 1) * p));
      return invert(uniform(), mode, n, (k) => binomial.cdf(k, n, p), (k) => binomial.pmf(k, n, p));
    },
    poisson(lambda) {
      if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError(`poisson draw needs lambda >= 0, got ${lambda}`);
      const mode = Math.floor(lambda);
      return invert(uniform(), mode, Infinity, (k) => poisson.cdf(k, lambda), (k) => poisson.pmf(k, lambda));
    },
  };
}

/** The smallest k with F(k) >= u, searched from `start`. */
function invert(u: number, start: number, max: number, cdf: (k: number) => number, pmf: (k: number) => number): number {
  let k = start;
  let below = cdf(k);
  if (u <= below) {
    while (k > 0 && u <= below - pmf(k)) {
      below -= pmf(k);
      k -= 1;
    }
    return k;
  }
  while (u > below && k < max) {
    k += 1;
    const mass = pmf(k);
    if (mass === 0 && k > start + 1) break;
    below += mass;
  }
  return k;
}
