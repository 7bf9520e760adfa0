import type { CohortBaseline, CohortSeries, CohortResult, Evaluation } from '../types.js';
import { cohortKey } from './format.js';
import { metricKind } from './metric-kind.js';
import { byConcern } from './notable.js';
import type { HourlyRow } from './report-sql.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Two-sided 95% normal quantile: the prediction band's width. */
const Z95 = 1.959963984540054;

/** Hour of the week as the baseline shapes index it: (ISO weekday − 1)·24 + UTC hour. */
export function hourOfWeek(ms: number): number {
  const date = new Date(ms);
  return ((date.getUTCDay() + 6) % 7) * 24 + date.getUTCHours();
}

const invLogit = (eta: number) => 1 / (1 + Math.exp(-eta));

/**
 * A cohort's hourly series with the baseline model's prediction: the model value
 * `level + trendPerDay·days(t − tBar) + shape[hourOfWeek(t)]` (logit scale for rates, log ms for
 * latency quantiles) and a 95% band from the parameter variance, τ² and, for rates, the
 * binomial variance at the hour's total volume (statistics.md 1.1–1.3).
 *
 * @throws {RangeError} for a shadow metric, which has no baseline model.
 */
export function cohortSeries(rows: readonly HourlyRow[], model: CohortBaseline, shape: Float64Array | undefined): CohortSeries {
  const kind = metricKind(model.metric);
  if (kind === 'shadow') throw new RangeError(`cohortSeries: ${model.metric} has no baseline model`);
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.hour, (totals.get(row.hour) ?? 0) + row.n);
  const points = rows.map((row) => {
    const t = Date.parse(row.hour);
    const days = (t - model.tBar.getTime()) / DAY_MS;
    const eta = model.level + model.trendPerDay * days + (shape?.[hourOfWeek(t)] ?? 0);
    const variance = model.varLevel + days * days * model.varTrend + 2 * days * model.covLevelTrend + model.tau2;
    if (kind === 'latency') {
      const half = Z95 * Math.sqrt(Math.max(variance, 0));
      return { hour: row.hour, provider: row.provider, observed: row.x, n: row.n, expected: Math.exp(eta), lower: Math.exp(eta - half), upper: Math.exp(eta + half) };
    }
    const p = invLogit(eta);
    const sampling = 1 / (Math.max(totals.get(row.hour) ?? row.n, 1) * p * (1 - p));
    const half = Z95 * Math.sqrt(Math.max(variance, 0) + sampling);
    return { hour: row.hour, provider: row.provider, observed: row.n > 0 ? row.x / row.n : null, n: row.n, expected: p, lower: invLogit(eta - half), upper: invLogit(eta + half) };
  });
  return { cohort: model.cohort, metric: model.metric, points };
}

/**
 * The cohort × metric results worth a series chart, each once: regressions, then inconclusive
 * results, strongest evidence first (`byConcern`), among metrics with a baseline model (not shadow).
 */
export function flaggedResults(evaluations: readonly Evaluation[], limit: number): CohortResult[] {
  const seen = new Set<string>();
  const candidates = evaluations
    .flatMap((e) => e.results)
    .filter((r) => (r.verdict === 'regression' || r.verdict === 'inconclusive') && metricKind(r.metric) !== 'shadow')
    .sort(byConcern);
  const flagged: CohortResult[] = [];
  for (const result of candidates) {
    const key = `${cohortKey(result.cohort)}#${result.metric}`;
    if (seen.has(key)) continue;
    seen.add(key);
    flagged.push(result);
  }
  return flagged.slice(0, limit);
}

/** The period a series chart covers: up to a week of baseline before the first stage, to the end of the last window. */
export function seriesPeriod(evaluations: readonly Evaluation[], dataFrom: Date): { from: Date; to: Date } {
  const starts = evaluations.map((e) => Date.parse(e.window.start));
  const ends = evaluations.map((e) => Date.parse(e.window.end));
  const from = Math.max(dataFrom.getTime(), Math.min(...starts) - 7 * 24 * HOUR_MS);
  return { from: new Date(from), to: new Date(Math.max(...ends)) };
}
