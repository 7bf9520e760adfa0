import { raw, sql, type Sql } from '../store/sql.js';
import { MODEL } from './model.js';
import type { SimulateOptions } from './options.js';
import { normalText, uniformText } from './random-sql.js';
import type { RolloutSchedule } from './schedule.js';

const U = (tag: string) => raw(uniformText('tenant, hour_idx', tag));
const N = (tag: string) => raw(normalText('tenant, hour_idx', tag));

/** The diurnal-weekly volume profile at a local hour (fractional) and weekday (0 = Monday). */
export function volumeProfile(localHour: number, weekday: number): number {
  const day = MODEL.nightFloor + Math.exp(-(((localHour - 10) / 2.5) ** 2)) + 0.75 * Math.exp(-(((localHour - 15) / 3) ** 2));
  return day * (weekday >= 5 ? MODEL.weekendFactor : 1);
}

function profileStats(): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let h = 0; h < 168; h++) {
    const value = volumeProfile(h % 24, Math.floor(h / 24));
    sum += value;
    max = Math.max(max, value);
  }
  return { mean: sum / 168, max };
}

/** The SQL of `volumeProfile` over the columns local_hour and local_weekday. */
function profileSql(): Sql {
  return sql`((${MODEL.nightFloor}::DOUBLE + exp(-pow((local_hour - 10) / 2.5, 2)) + 0.75 * exp(-pow((local_hour - 15) / 3, 2)))
    * CASE WHEN local_weekday >= 5 THEN ${MODEL.weekendFactor}::DOUBLE ELSE 1 END)`;
}

/** The candidate share in force at hour `hour_idx` (0 in the baseline, 1 after the last stage). */
function shareSql(options: SimulateOptions, schedule: RolloutSchedule): Sql {
  const hour = (date: Date) => Math.round((date.getTime() - options.start.getTime()) / 3_600_000);
  const arms = schedule.stages.map(
    (stage) => sql`WHEN hour_idx >= ${hour(stage.start)}::INTEGER AND hour_idx < ${hour(stage.end)}::INTEGER THEN ${stage.share}::DOUBLE`,
  );
  const cases = arms.reduce((all, arm) => sql`${all} ${arm}`);
  return sql`CASE ${cases} WHEN hour_idx >= ${hour(schedule.post.start)}::INTEGER THEN 1.0 ELSE 0.0 END`;
}

/**
 * Creates sim_slots: one row per tenant × hour with the number of sessions (login intents)
 * started in it, the load (0–1, peak weekday hour = 1) and the candidate share in force.
 * Sessions ≈ Poisson(λ · lognormal shock), λ from the tenant's weight, the local diurnal-weekly
 * profile and weekly growth.
 */
export function slotsTable(options: SimulateOptions, schedule: RolloutSchedule): Sql {
  const { mean, max } = profileStats();
  const sessionsPerHour = options.eventsPerDay / MODEL.attemptsPerSession / 24;
  const startWeekday = (options.start.getUTCDay() + 6) % 7;
  const sd = MODEL.volumeShockSd;
  return sql`
    CREATE OR REPLACE TEMP TABLE sim_slots AS
    WITH h AS (
      SELECT t.seed, t.tenant, t.weight, t.users, t.failure_offset, t.drift_per_week, t.mfa_logit, t.tenant_route_u,
             r::INTEGER AS hour_idx,
             ((r % 24) + t.utc_offset + 24) % 24 AS local_hour,
             (((floor((r + t.utc_offset) / 24) + ${startWeekday}::INTEGER) % 7 + 7) % 7)::INTEGER AS local_weekday
      FROM sim_tenants t, range(${options.days * 24}::BIGINT) x(r)
    ), l AS (
      SELECT *, ${profileSql()} AS profile FROM h
    ), lam AS (
      SELECT *,
             ${sessionsPerHour}::DOUBLE * weight * profile / ${mean}::DOUBLE
               * pow(1 + ${MODEL.volumeGrowthPerWeek}::DOUBLE, (hour_idx / 24.0 - ${options.days / 2}::DOUBLE) / 7)
               * exp(${sd}::DOUBLE * ${N('volume')} - ${(sd * sd) / 2}::DOUBLE) AS expected_sessions
      FROM l
    )
    SELECT seed, tenant, hour_idx, users, failure_offset, drift_per_week, mfa_logit, tenant_route_u,
           ${Math.floor(options.start.getTime() / 1000)}::BIGINT + hour_idx * 3600 AS hour_epoch,
           profile / ${max}::DOUBLE AS load,
           ${shareSql(options, schedule)} AS share,
           greatest(0, floor(expected_sessions + sqrt(expected_sessions) * ${N('count')} + ${U('count_round')}))::INTEGER AS sessions
    FROM lam
    ORDER BY hour_idx, tenant`;
}
