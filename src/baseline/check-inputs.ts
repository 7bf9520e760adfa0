import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { DIMENSIONS } from '../plan/plan-schema.js';
import { all } from '../store/query.js';
import { join, raw, sql, type Sql } from '../store/sql.js';
import type { Period } from '../types.js';
import { instant } from './aggregate.js';
import { MISSING_VALUE } from './cohort-key.js';

/** Events in the store (DuckDB answers from table metadata). */
export const eventCount = (): Sql => sql`SELECT count(*)::DOUBLE AS events FROM login_events`;

/** Per provider over a period of `agg_hourly`: attempts and the non-NULL counts each metric needs, and distinct dimension values. */
export function periodCoverage(period: Period): Sql {
  const distinct = DIMENSIONS.map((d) => raw(`count(DISTINCT ${d}) FILTER (WHERE ${d} <> '${MISSING_VALUE}')::DOUBLE AS ${d}_values`));
  return sql`
    SELECT provider, sum(attempts)::DOUBLE AS attempts, sum(mfa_known)::DOUBLE AS mfa_known, sum(latency_n)::DOUBLE AS latency_n,
           sum(failures)::DOUBLE AS failures, ${join(distinct, ', ')},
           min(hour) AS first_hour, max(hour) + INTERVAL 1 HOUR AS end_hour
    FROM agg_hourly WHERE hour >= ${instant(period.from)} AND hour < ${instant(period.to)}
    GROUP BY provider ORDER BY provider`;
}

/** Failures with a known error code per code over a period (to tell "code never seen" from "no error codes at all"). */
export function errorCodeCoverage(period: Period, legacy: string): Sql {
  return sql`
    SELECT count(*) FILTER (WHERE error_code <> ${MISSING_VALUE})::DOUBLE AS coded
    FROM agg_hourly_errors WHERE provider = ${legacy} AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}`;
}

/** What the baseline period holds for the legacy provider. */
export interface Coverage {
  /** Attempts of every provider in the period. */
  events: number;
  /** First hour with legacy data and the hour after the last one. */
  dataFrom: Date;
  dataTo: Date;
}

type CoverageRow = Record<string, number | string | Date> & { provider: string; attempts: number; first_hour: Date; end_hour: Date };

/**
 * Checks that the store can baseline the plan: events exist, the baseline period has legacy
 * attempts, every metric's column has values there, and every plan dimension has a value.
 * Reads `agg_hourly` (refreshed for the period) and `login_events` metadata only.
 *
 * @throws {UserError} naming what is missing and what to do, before anything is written.
 */
export async function checkBaselineInputs(connection: DuckDBConnection, plan: Plan): Promise<Coverage> {
  const period = { from: plan.baseline.start, to: plan.baseline.end };
  const span = `${period.from.toISOString()} – ${period.to.toISOString()}`;
  const rows = await all<CoverageRow>(connection, periodCoverage(period));
  const legacy = rows.find((r) => r.provider === plan.providers.legacy);
  if (rows.length === 0) throw new UserError(`the baseline period ${span} has no events: widen baseline in the plan`);
  if (!legacy) {
    throw new UserError(
      `the baseline period ${span} has no events of the legacy provider "${plan.providers.legacy}" (providers seen: ${rows.map((r) => r.provider).join(', ')})`,
    );
  }
  const missing = (column: string) => Number(legacy[column] ?? 0) === 0;
  for (const metric of plan.metrics) {
    if (metric.family === 'latency_quantile' && missing('latency_n')) {
      throw new UserError(`metric ${metric.name}: column latency_ms is NULL (or ≤ 0) in every legacy event of the baseline period`);
    }
    if (metric.name === 'mfa_rate' && missing('mfa_known')) {
      throw new UserError(`metric mfa_rate: column mfa_challenged is NULL in every legacy event of the baseline period`);
    }
  }
  if (plan.metrics.some((m) => m.errorCode !== undefined)) {
    const [coded] = await all<{ coded: number }>(connection, errorCodeCoverage(period, plan.providers.legacy));
    if (!missing('failures') && (coded?.coded ?? 0) === 0) {
      const names = plan.metrics.filter((m) => m.errorCode !== undefined).map((m) => m.name).join(', ');
      throw new UserError(`metric ${names}: column error_code is NULL in every legacy failure of the baseline period`);
    }
  }
  for (const dim of new Set(plan.dimensions.flat())) {
    if (missing(`${dim}_values`)) {
      throw new UserError(`dimension ${dim} has no values in the baseline period: column ${dim} is NULL in every legacy event`);
    }
  }
  const events = rows.reduce((s, r) => s + Number(r.attempts), 0);
  return { events, dataFrom: new Date(legacy.first_hour), dataTo: new Date(legacy.end_hour) };
}

/**
 * @throws {UserError} "no events: run 'stagewise ingest' first" when the store is empty.
 */
export async function checkStoreHasEvents(connection: DuckDBConnection): Promise<void> {
  const [row] = await all<{ events: number }>(connection, eventCount());
  if (!row || row.events === 0) throw new UserError("no events: run 'stagewise ingest' first");
}
