import gammainc from '@stdlib/math-base-special-gammainc';

/**
 * Upper tail P(χ²_df ≥ statistic) as the upper regularised gamma Q(df/2, statistic/2), which stays
 * accurate where `1 − chisquare.cdf` rounds to 0.
 */
export function chiSquareUpper(statistic: number, df: number): number {
  return statistic <= 0 ? 1 : gammainc(statistic / 2, df / 2, true, true);
}
