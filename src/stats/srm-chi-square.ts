import { chiSquareUpper } from './chi-square-upper.js';

/** A chi-square test result. */
export interface ChiSquareTest {
  /** Pearson's X² statistic. */
  statistic: number;
  /** Degrees of freedom. */
  df: number;
  /** Upper-tail p-value P(χ²_df ≥ X²). */
  pValue: number;
}

/**
 * Sample-ratio-mismatch test: Pearson's goodness of fit of routed-unit counts to the configured split.
 *
 *     X² = Σ_i (O_i − E_i)² / E_i,   E_i = N π_i,   df = k − 1
 *
 * `expectedShares` are rescaled to sum to 1 (so `[50, 50]` works). Alarm at p < 0.001.
 * Reference: Fabijan et al. (2019), KDD; R `chisq.test(observed, p = shares, rescale.p = TRUE)`,
 * scipy `chisquare`. statistics.md 8.1.
 *
 * @throws {RangeError} unless there are two or more arms, the arrays have equal length, counts are
 * finite and ≥ 0 with a positive total, and shares are finite and > 0.
 */
export function srmChiSquare(observed: readonly number[], expectedShares: readonly number[]): ChiSquareTest {
  const k = observed.length;
  if (k < 2 || expectedShares.length !== k) {
    throw new RangeError(`srmChiSquare needs two or more arms and one share per arm, got ${k} counts and ${expectedShares.length} shares`);
  }
  if (!observed.every((o) => o >= 0 && Number.isFinite(o)) || !expectedShares.every((s) => s > 0 && Number.isFinite(s))) {
    throw new RangeError(`srmChiSquare needs counts ≥ 0 and shares > 0, got [${observed.join(', ')}] and [${expectedShares.join(', ')}]`);
  }
  const total = observed.reduce((s, o) => s + o, 0);
  const shareTotal = expectedShares.reduce((s, v) => s + v, 0);
  if (total === 0) throw new RangeError('srmChiSquare needs a positive total count');
  const statistic = observed.reduce((s, o, i) => {
    const expected = (total * (expectedShares[i] ?? 0)) / shareTotal;
    return s + (o - expected) ** 2 / expected;
  }, 0);
  return { statistic, df: k - 1, pValue: chiSquareUpper(statistic, k - 1) };
}
