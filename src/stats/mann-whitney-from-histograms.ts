import normal from '@stdlib/stats-base-dists-normal';
import { histogramTotal } from './latency-histogram.js';

/** Mann–Whitney U of treatment against control, read on two histograms. */
export interface MannWhitney {
  /** `U_T = Σ_j t_j (C_below_j + c_j/2)`: pairs with L_T > L_C, ties counted one half. */
  u: number;
  /** Tie-corrected z statistic, without continuity correction; positive when T is slower. */
  z: number;
  /** Two-sided p-value `2(1 − Φ(|z|))`. */
  pValue: number;
  /** `P(L_T > L_C) + ½ P(L_T = L_C) = U_T / (n_T n_C)`. */
  auc: number;
}

/**
 * Mann–Whitney U test on two histograms over the same bins, all values in a bin being ties:
 *
 *     U_T = Σ_j t_j (C_below_j + c_j/2),   E[U] = n_T n_C / 2,   m_j = t_j + c_j,  N = n_T + n_C
 *     Var(U) = n_T n_C / 12 · ((N + 1) − Σ_j (m_j³ − m_j) / (N (N − 1)))
 *     z = (U_T − E[U]) / √Var(U)
 *
 * Agrees with R `wilcox.test(t, c, exact = FALSE, correct = FALSE)` and scipy
 * `mannwhitneyu(t, c, use_continuity=False, method='asymptotic')` on the expanded bin indices.
 * Reference: Mann & Whitney (1947), Ann. Math. Stat. 18; statistics.md section 6.2.
 *
 * @throws {RangeError} if the histograms differ in length, are not 241 bins, either is empty,
 * or all observations fall in one bin (zero variance).
 */
export function mannWhitneyFromHistograms(countsT: readonly number[], countsC: readonly number[]): MannWhitney {
  const nT = histogramTotal(countsT, 'mannWhitneyFromHistograms');
  const nC = histogramTotal(countsC, 'mannWhitneyFromHistograms');
  const total = nT + nC;
  let u = 0;
  let controlBelow = 0;
  let ties = 0;
  countsT.forEach((t, j) => {
    const c = countsC[j] ?? 0;
    u += t * (controlBelow + c / 2);
    controlBelow += c;
    ties += (t + c) ** 3 - (t + c);
  });
  const variance = ((nT * nC) / 12) * (total + 1 - ties / (total * (total - 1)));
  if (!(variance > 0)) {
    throw new RangeError('mannWhitneyFromHistograms needs observations in two or more bins');
  }
  const z = (u - (nT * nC) / 2) / Math.sqrt(variance);
  return { u, z, pValue: 2 * normal.cdf(-Math.abs(z), 0, 1), auc: u / (nT * nC) };
}
