/**
 * Which tests are eligible for the multiplicity adjustment (Tarone 1990; statistics.md 4 item 3):
 * those marked `always` (≥ 5 expected events), plus those whose minimum attainable p-value is at
 * most α/K, with K the smallest count such that the eligible tests number at most K. Tests that
 * could never reach significance are dropped before adjusting, which keeps the level and gains power.
 *
 * @throws {RangeError} if the arrays differ in length or α is not in (0, 1).
 */
export function taroneEligible(pMin: readonly number[], always: readonly boolean[], alpha: number): boolean[] {
  if (pMin.length !== always.length || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`taroneEligible needs equal lengths and 0 < alpha < 1, got ${pMin.length}, ${always.length}, ${alpha}`);
  }
  const fixed = always.filter(Boolean).length;
  const candidates = pMin.filter((_, i) => !always[i]).sort((a, b) => a - b);
  let k = Math.max(1, fixed);
  for (; k <= pMin.length; k++) {
    if (fixed + countAtMost(candidates, alpha / k) <= k) break;
  }
  const level = alpha / Math.max(k, 1);
  return pMin.map((p, i) => Boolean(always[i]) || p <= level);
}

/** How many sorted values are ≤ limit (binary search). */
function countAtMost(sorted: readonly number[], limit: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? Infinity) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
