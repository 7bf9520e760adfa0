import { join, sql, type Sql } from '../store/sql.js';
import { APPS, ERROR_CODES, IDPS, REGIONS } from './model.js';

const logit = (p: number) => Math.log(p / (1 - p));

/** Statements creating the model's small lookup tables: sim_idps, sim_apps, sim_regions. */
export function constantTables(): Sql[] {
  const idps = IDPS.map((idp, idx) => {
    const codes = ERROR_CODES.filter((code) => (idp.errorMix[code] ?? 0) > 0);
    let running = 0;
    const cum = codes.map((code) => (running += idp.errorMix[code] ?? 0));
    const total = cum[cum.length - 1] ?? 1;
    return sql`(${idp.name}, ${idx}::INTEGER, ${logit(idp.firstAttemptFailure)}::DOUBLE, ${idp.latencyMedianMs}::DOUBLE,
      ${codes.join(',')}, ${cum.map((c) => c / total).join(',')})`;
  });
  const apps = APPS.map(
    (app, idx) =>
      sql`(${app.name}, ${idx}::INTEGER, ${app.weight}::DOUBLE, ${app.latencyFactor}::DOUBLE, ${app.mfaLogitShift}::DOUBLE, ${app.failureLogitShift}::DOUBLE)`,
  );
  let home = 0;
  const regions = REGIONS.map((region, idx) => {
    const lo = home;
    home += region.homeWeight;
    return sql`(${region.name}, ${idx}::INTEGER, ${lo}::DOUBLE, ${idx === REGIONS.length - 1 ? 1 : home}::DOUBLE,
      ${region.utcOffsetHours}::DOUBLE, ${region.latencyFactor}::DOUBLE)`;
  });
  return [
    sql`CREATE OR REPLACE TEMP TABLE sim_idps AS
        SELECT idp, idx, failure_logit, latency_median_ms,
               string_split(codes, ',') AS code_names,
               list_transform(string_split(cum, ','), lambda c: c::DOUBLE) AS code_cum
        FROM (VALUES ${join(idps, ',\n')}) v(idp, idx, failure_logit, latency_median_ms, codes, cum)`,
    sql`CREATE OR REPLACE TEMP TABLE sim_apps AS
        SELECT * FROM (VALUES ${join(apps, ',\n')}) v(app, idx, weight, latency_factor, mfa_shift, failure_shift)`,
    sql`CREATE OR REPLACE TEMP TABLE sim_regions AS
        SELECT * FROM (VALUES ${join(regions, ',\n')}) v(region, idx, home_lo, home_hi, utc_offset, latency_factor)`,
  ];
}
