import { raw, sql, type Sql } from '../store/sql.js';
import { MODEL } from './model.js';
import type { SimulateOptions } from './options.js';
import { uniformText } from './random-sql.js';

const U = (tag: string) => raw(uniformText('idp, day', tag));

/**
 * Creates sim_incidents (one row per upstream IdP incident: start hour, length 1–4 h, failure-logit
 * shift, latency multiplier) and sim_idp_hours (the incident's effect per IdP and hour). Incidents
 * belong to the IdP, not to a provider, so legacy and candidate traffic see the same ones.
 */
export function incidentTables(options: SimulateOptions): Sql[] {
  return [
    sql`
    CREATE OR REPLACE TEMP TABLE sim_incidents AS
    WITH d AS (
      SELECT ${options.seed}::BIGINT AS seed, i.idp, r::INTEGER AS day
      FROM sim_idps i, range(${options.days}::BIGINT) x(r)
    )
    SELECT idp,
           day * 24 + floor(24 * ${U('inc_start')})::INTEGER AS start_hour,
           1 + floor(4 * ${U('inc_hours')})::INTEGER AS hours,
           1.5 + 1.5 * ${U('inc_fail')} AS failure_shift,
           1.5 + ${U('inc_latency')} AS latency_multiplier
    FROM d
    WHERE ${U('incident')} < ${MODEL.incidentPerIdpDay}::DOUBLE
    ORDER BY start_hour, idp`,
    sql`
    CREATE OR REPLACE TEMP TABLE sim_idp_hours AS
    SELECT idp, hour_idx, max(failure_shift) AS failure_shift, max(latency_multiplier) AS latency_multiplier
    FROM (SELECT *, start_hour + unnest(range(hours))::INTEGER AS hour_idx FROM sim_incidents)
    WHERE hour_idx < ${options.days * 24}::INTEGER
    GROUP BY idp, hour_idx`,
  ];
}
