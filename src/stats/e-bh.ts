/**
 * e-BH: the indexes (ascending) of the hypotheses rejected at FDR level α from e-values.
 *
 *     sorted e_(1) ≥ … ≥ e_(m):   k̂ = max{k : e_(k) ≥ m/(α k)},  reject the k̂ largest e-values
 *
 * Controls FDR at α under arbitrary dependence and at stopping times, so it suits "evaluate
 * continuously, alarm on what e-BH selects". Reference: Wang & Ramdas (2022), JRSS B 84;
 * statistics.md 4.
 *
 * @throws {RangeError} if an e-value is negative or NaN, or α is not in (0, 1).
 */
export function eBh(e: readonly number[], alpha: number): number[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`eBh needs 0 < alpha < 1, got ${alpha}`);
  const bad = e.findIndex((v) => !(v >= 0));
  if (bad >= 0) throw new RangeError(`eBh needs e-values ≥ 0, got ${e[bad]} at index ${bad}`);
  const m = e.length;
  const order = e.map((_, i) => i).sort((i, j) => (e[j] ?? 0) - (e[i] ?? 0) || i - j);
  let kHat = 0;
  order.forEach((index, rank) => {
    if ((e[index] ?? 0) >= m / (alpha * (rank + 1))) kHat = rank + 1;
  });
  return order.slice(0, kHat).sort((i, j) => i - j);
}
