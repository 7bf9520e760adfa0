import type { BetaPrior } from './shadow-prior.js';

/** Throws a RangeError naming `caller` unless 0 ≤ x ≤ n are integers, 0 < rate < 1 and the prior is proper. */
export function checkCounts(caller: string, x: number, n: number, rate: number, prior: BetaPrior): void {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || x > n) {
    throw new RangeError(`${caller} needs integers 0 ≤ x ≤ n, got x=${x} n=${n}`);
  }
  if (!(rate > 0 && rate < 1)) throw new RangeError(`${caller} needs a rate in (0, 1), got ${rate}`);
  if (!(prior.a > 0 && prior.b > 0 && Number.isFinite(prior.a) && Number.isFinite(prior.b))) {
    throw new RangeError(`${caller} needs a Beta prior with a, b > 0, got a=${prior.a} b=${prior.b}`);
  }
}
