import { DIMENSIONS } from '../plan/plan-schema.js';
import { join, raw, sql, type Sql } from '../store/sql.js';

/** Per provider: events, first and last event, and the non-NULL counts and distinct values that decide a starting plan. */
export function storeProfile(): Sql {
  const distinct = DIMENSIONS.map((d) => raw(`count(DISTINCT ${d})::DOUBLE AS ${d}_values`));
  return sql`
    SELECT provider, count(*)::DOUBLE AS events, min(ts) AS first_ts, max(ts) AS last_ts,
           count(latency_ms) FILTER (WHERE latency_ms > 0)::DOUBLE AS latency, count(mfa_challenged)::DOUBLE AS mfa,
           count(shadow_outcome)::DOUBLE AS shadow, ${join(distinct, ', ')},
           mode(error_code) FILTER (WHERE outcome = 'failure' AND error_code IS NOT NULL) AS top_error
    FROM login_events
    GROUP BY provider
    ORDER BY events DESC, provider`;
}
