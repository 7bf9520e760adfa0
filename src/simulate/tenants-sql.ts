import { raw, sql, type Sql } from '../store/sql.js';
import { APPS, IDPS, MODEL } from './model.js';
import type { SimulateOptions } from './options.js';
import { tenantWidth } from './options.js';
import { normalText, uniformText } from './random-sql.js';

const U = (tag: string) => uniformText('tenant', tag);
const N = (tag: string) => normalText('tenant', tag);

/** Cumulative IdP weights of a tenant with 1, 2 or 3 IdPs, as SQL list literals. */
function idpCumulative(): Sql {
  const cases = [1, 2, 3].map((n) => {
    const weights = MODEL.idpWeights.slice(0, n);
    const total = weights.reduce((a, b) => a + b, 0);
    let running = 0;
    const cum = weights.map((w, i) => (i === n - 1 ? 1 : (running += w) / total));
    return `WHEN ${n} THEN [${cum.map((c) => c.toFixed(12)).join(', ')}]::DOUBLE[]`;
  });
  return raw(`CASE n_idp ${cases.join(' ')} END`);
}

/**
 * Creates sim_tenants: one row per tenant with its Zipf weight, home region, IdPs (1–3, with
 * cumulative user shares), app mix, failure level and drift, MFA level and user count.
 */
export function tenantsTable(options: SimulateOptions, users: number): Sql {
  const zipf = MODEL.zipfExponent;
  let norm = 0;
  for (let k = 1; k <= options.tenants; k++) norm += k ** -zipf;
  return sql`
    CREATE OR REPLACE TEMP TABLE sim_tenants AS
    WITH base AS (
      SELECT ${options.seed}::BIGINT AS seed, r::INTEGER + 1 AS k,
             't' || lpad(CAST(r + 1 AS VARCHAR), ${tenantWidth(options.tenants)}::INTEGER, '0') AS tenant
      FROM range(${options.tenants}::BIGINT) t(r)
    ), draws AS (
      SELECT *,
             pow(k, ${-zipf}::DOUBLE) / ${norm}::DOUBLE AS weight,
             ${raw(U('home'))} AS u_home,
             1 + (${raw(U('idp2'))} < ${MODEL.secondIdp}::DOUBLE)::INTEGER
               + (${raw(U('idp3'))} < ${MODEL.thirdIdp}::DOUBLE)::INTEGER AS n_idp,
             floor(${IDPS.length}::INTEGER * ${raw(U('idp1'))})::INTEGER AS idp_start,
             list_transform(range(${APPS.length}::BIGINT), lambda i: exp(${MODEL.appMixSd}::DOUBLE * ${raw(normalText('tenant, i', 'app_mix'))})) AS app_noise,
             ${MODEL.tenantFailureSd}::DOUBLE * ${raw(N('fail'))} AS failure_offset,
             ${MODEL.driftPerWeek}::DOUBLE + ${MODEL.tenantDriftSd}::DOUBLE * ${raw(N('drift'))} AS drift_per_week,
             ln(${MODEL.mfaBase}::DOUBLE / (1 - ${MODEL.mfaBase}::DOUBLE)) + ${MODEL.tenantMfaSd}::DOUBLE * ${raw(N('mfa'))} AS mfa_logit,
             ${raw(U('route'))} AS tenant_route_u
      FROM base
    ), named AS (
      SELECT d.*, r.region AS home_region, r.utc_offset,
             list_transform(range(n_idp), lambda i: c.idp_names[(idp_start + i) % ${IDPS.length}::INTEGER + 1]) AS idps,
             ${idpCumulative()} AS idp_cum,
             list_transform(range(${APPS.length}::BIGINT), lambda i: app_noise[i + 1] * c.app_weights[i + 1]) AS app_weights
      FROM draws d
      JOIN sim_regions r ON d.u_home >= r.home_lo AND d.u_home < r.home_hi
      CROSS JOIN (SELECT (SELECT list(idp ORDER BY idx) FROM sim_idps) AS idp_names,
                         (SELECT list(weight ORDER BY idx) FROM sim_apps) AS app_weights) c
    )
    SELECT seed, k, tenant, weight, home_region, utc_offset, n_idp, idps, idp_cum,
           list_transform(range(1, ${APPS.length + 1}::BIGINT), lambda j: list_sum(app_weights[1:j]) / list_sum(app_weights)) AS app_cum,
           failure_offset, drift_per_week, mfa_logit, tenant_route_u,
           greatest(${MODEL.minUsersPerTenant}::INTEGER, round(${users}::DOUBLE * weight))::INTEGER AS users
    FROM named
    ORDER BY k`;
}
