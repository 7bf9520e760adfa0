import { instant } from '../baseline/aggregate.js';
import { binnedQuantile } from '../baseline/series.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import { ident, join, raw, sql, type Sql } from '../store/sql.js';
import type { Cohort, Period } from '../types.js';

/** A row of `latestEvaluations`: the stored evaluation document as JSON text. */
export interface EvaluationDocumentRow {
  stage: string;
  document: string;
}

/** The newest evaluation document of each of `stages` (by `created_at`, then id), in no particular order. */
export function latestEvaluations(stages: readonly string[]): Sql {
  const names = stages.length ? join(stages.map((s) => sql`${s}`), ', ') : sql`NULL`;
  return sql`
    SELECT stage, document::VARCHAR AS document
    FROM evaluations
    WHERE stage IN (${names})
    QUALIFY row_number() OVER (PARTITION BY stage ORDER BY created_at DESC, evaluation_id DESC) = 1`;
}

/** One hour × provider of a cohort: the metric's denominator `n` and numerator `x` (rates), or its hourly quantile in ms (latency, in `x`, with `n` observations). */
export interface HourlyRow {
  hour: string;
  provider: string;
  n: number;
  x: number;
}

/** `tenant = ? AND idp = ?` for the cohort's dimensions (names from the closed DIMENSIONS list, values bound); `TRUE` for everyone. */
function cohortFilter(cohort: Cohort): Sql {
  const parts = DIMENSIONS.flatMap((d) => (cohort[d] === undefined ? [] : [sql`${ident(d)} = ${cohort[d] ?? null}`]));
  return parts.length ? join(parts, ' AND ') : sql`TRUE`;
}

const hourText = raw(`strftime(hour AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`);

/** The (n, x) sums of a rate metric in `agg_hourly` (error-code rates read `agg_hourly_errors` instead). */
function rateColumns(metric: string): { n: Sql; x: Sql } {
  if (metric === 'mfa_rate') return { n: raw('sum(mfa_known)'), x: raw('sum(mfa_challenged)') };
  if (metric === 'shadow_mismatch_rate') return { n: raw('sum(shadow_pairs)'), x: raw('sum(shadow_mismatches)') };
  return { n: raw('sum(attempts)'), x: raw('sum(attempts - failures)') };
}

/**
 * Hourly n and x of a rate metric for one cohort, per provider, over a period, from the
 * aggregate tables: success rate counts successes, `error_rate:<code>` that code's failures,
 * `mfa_rate` challenges among logins with a known MFA outcome.
 */
export function hourlyRate(cohort: Cohort, metric: string, providers: readonly string[], period: Period): Sql {
  const where = sql`${cohortFilter(cohort)} AND provider IN (${join(providers.map((p) => sql`${p}`), ', ')}) AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;
  if (metric.startsWith('error_rate:')) {
    const code = metric.slice('error_rate:'.length);
    return sql`
      WITH a AS (SELECT hour, provider, sum(attempts)::DOUBLE AS n FROM agg_hourly WHERE ${where} GROUP BY ALL),
           e AS (SELECT hour, provider, sum(failures)::DOUBLE AS x FROM agg_hourly_errors WHERE ${where} AND error_code = ${code} GROUP BY ALL)
      SELECT ${hourText} AS hour, provider, n, coalesce(x, 0) AS x
      FROM a LEFT JOIN e USING (hour, provider)
      WHERE n > 0
      ORDER BY hour, provider`;
  }
  const { n, x } = rateColumns(metric);
  return sql`
    SELECT ${hourText} AS hour, provider, ${n}::DOUBLE AS n, ${x}::DOUBLE AS x
    FROM agg_hourly WHERE ${where}
    GROUP BY hour, provider HAVING ${n} > 0
    ORDER BY hour, provider`;
}

/**
 * Hourly q-quantile of latency in ms for one cohort, per provider, from the latency histogram
 * (linear interpolation inside the bin, the same rule as `histogramQuantile`).
 */
export function hourlyLatencyQuantile(cohort: Cohort, q: number, providers: readonly string[], period: Period): Sql {
  const histograms = sql`
    SELECT hour, provider, bin, sum(count) AS count FROM agg_hourly_latency
    WHERE ${cohortFilter(cohort)} AND provider IN (${join(providers.map((p) => sql`${p}`), ', ')}) AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}
    GROUP BY ALL`;
  return sql`
    SELECT ${hourText} AS hour, provider, total AS n, quantile AS x
    FROM (${binnedQuantile(histograms, ['hour', 'provider'], q)})
    WHERE total > 0
    ORDER BY hour, provider`;
}
