import type { CohortResult, Verdict } from '../types.js';

const VERDICT_RANK: Record<Verdict, number> = { regression: 0, inconclusive: 1, insufficient_data: 2, improvement: 3, pass: 4 };

/** How far a result's effect sits from zero in units of its CI half-width (0 without an effect or CI). */
export function strength(result: CohortResult): number {
  if (result.effect === null || result.ci === null) return 0;
  const half = (result.ci[1] - result.ci[0]) / 2;
  return half > 0 ? Math.abs(result.effect) / half : Math.abs(result.effect) > 0 ? Infinity : 0;
}

/** Orders results for reading: regressions first, then inconclusive, then by strength of evidence, then by name. */
export function byConcern(a: CohortResult, b: CohortResult): number {
  return VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || strength(b) - strength(a) || a.metric.localeCompare(b.metric);
}

/**
 * The results a chart can show legibly: regressions first (strongest evidence first), then the
 * strongest others, `limit` in all. The tables keep every result; captions say what was left out.
 */
export function notable(results: readonly CohortResult[], limit: number): CohortResult[] {
  return [...results].sort(byConcern).slice(0, limit);
}
