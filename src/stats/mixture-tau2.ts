/**
 * The mixing variance τ² of the normal-mixture mSPRT that makes its confidence sequence
 * tightest, relative to √v, at the estimator variance `vStar`:
 *
 *     τ² = v* (2 log(1/α) + log(1 + 2 log(1/α)))        (= 7.94 v* at α = 0.05)
 *
 * This is confseq's `best_rho` moved to the mSPRT scale, where ρ = 1/τ² and the time is 1/v.
 * For the one-sided mixture pass `2α` (confseq's `best_rho(v, 2α)`).
 * Reference: Howard, Ramdas, McAuliffe & Sekhon (2021), Ann. Stat. 49;
 * statistics.md section 3.1.
 *
 * @throws {RangeError} if `vStar` <= 0 or `alpha` is not in (0, 1).
 */
export function mixtureTau2(vStar: number, alpha: number): number {
  if (!(vStar > 0) || !Number.isFinite(vStar) || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`mixtureTau2 needs vStar > 0 and alpha in (0, 1), got ${vStar} and ${alpha}`);
  }
  const l = 2 * Math.log(1 / alpha);
  return vStar * (l + Math.log1p(l));
}
