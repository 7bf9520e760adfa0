import { raw, sql, type Sql } from '../store/sql.js';
import { MODEL, REGIONS } from './model.js';
import { normalText, uniformText } from './random-sql.js';

const U = (tag: string) => raw(uniformText('tenant, user_idx', tag));
const N = (tag: string) => raw(normalText('tenant, user_idx', tag));

/**
 * Creates sim_users from sim_tenants: each user's hashed id, IdP, main app, region, failure
 * frailty and MFA offset (logit scale), and the uniform the user-level router compares with a share.
 */
export function usersTable(): Sql {
  return sql`
    CREATE OR REPLACE TEMP TABLE sim_users AS
    WITH u AS (
      SELECT t.seed, t.tenant, r::INTEGER AS user_idx, t.idps, t.idp_cum, t.app_cum, t.home_region, c.app_names, c.region_names
      FROM sim_tenants t, range(t.users) x(r)
      CROSS JOIN (SELECT (SELECT list(app ORDER BY idx) FROM sim_apps) AS app_names,
                         (SELECT list(region ORDER BY idx) FROM sim_regions) AS region_names) c
    ), draws AS (
      SELECT *, ${U('idp')} AS u_idp, ${U('app')} AS u_app, ${U('home')} AS u_home, ${U('region')} AS u_region
      FROM u
    )
    SELECT tenant, user_idx,
           'u' || substr(md5(seed::VARCHAR || '/' || tenant || '/' || user_idx::VARCHAR), 1, 15) AS user_id,
           idps[list_position(list_transform(idp_cum, lambda c: c > u_idp), true)] AS idp,
           app_names[list_position(list_transform(app_cum, lambda c: c > u_app), true)] AS main_app,
           CASE WHEN u_home < ${MODEL.homeRegionShare}::DOUBLE THEN home_region
                ELSE region_names[1 + floor(${REGIONS.length}::INTEGER * u_region)::INTEGER] END AS region,
           ${MODEL.userFailureSd}::DOUBLE * ${N('frailty')} AS frailty,
           ${MODEL.userMfaSd}::DOUBLE * ${N('mfa')} AS mfa_offset,
           ${raw(uniformText('user_id_hash', 'route'))} AS user_route_u
    FROM (SELECT *, hash(tenant, user_idx) AS user_id_hash FROM draws)`;
}
