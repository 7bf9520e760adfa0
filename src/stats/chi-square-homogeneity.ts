import { chiSquareUpper } from './chi-square-upper.js';
import type { ChiSquareTest } from './srm-chi-square.js';

/**
 * Pearson's chi-square test of homogeneity of an r × K table (rows = arms, columns = error codes).
 *
 *     X² = Σ_ij (O_ij − E_ij)² / E_ij,   E_ij = R_i C_j / N,   df = (r' − 1)(K' − 1)
 *
 * Rows and columns with a zero total carry no information and are dropped first (r', K' count the
 * rest; R gives NaN instead). With fewer than two of either left there is nothing to compare:
 * statistic 0, df 0, p = 1. Reference: R `chisq.test(table, correct = FALSE)`, scipy
 * `chi2_contingency(table, correction=False)`. statistics.md 0 (failure rate per error code).
 *
 * @throws {RangeError} for fewer than two rows or columns, ragged rows, or a count that is negative
 * or not finite.
 */
export function chiSquareHomogeneity(table: readonly (readonly number[])[]): ChiSquareTest {
  const width = table[0]?.length ?? 0;
  if (table.length < 2 || width < 2 || table.some((row) => row.length !== width)) {
    throw new RangeError(`chiSquareHomogeneity needs a rectangular table of two or more rows and columns`);
  }
  if (!table.every((row) => row.every((v) => v >= 0 && Number.isFinite(v)))) {
    throw new RangeError(`chiSquareHomogeneity needs finite counts ≥ 0`);
  }
  const columnTotals = Array.from({ length: width }, (_, j) => table.reduce((s, row) => s + (row[j] ?? 0), 0));
  const columns = columnTotals.flatMap((total, j) => (total > 0 ? [j] : []));
  const rows = table.filter((row) => row.some((v) => v > 0));
  if (rows.length < 2 || columns.length < 2) return { statistic: 0, df: 0, pValue: 1 };
  const N = columns.reduce((s, j) => s + (columnTotals[j] ?? 0), 0);
  let statistic = 0;
  for (const row of rows) {
    const rowTotal = row.reduce((s, v) => s + v, 0);
    for (const j of columns) {
      const expected = (rowTotal * (columnTotals[j] ?? 0)) / N;
      statistic += ((row[j] ?? 0) - expected) ** 2 / expected;
    }
  }
  const df = (rows.length - 1) * (columns.length - 1);
  return { statistic, df, pValue: chiSquareUpper(statistic, df) };
}
