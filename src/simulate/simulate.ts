import type { DuckDBConnection } from '@duckdb/node-api';
import { allJson, run } from '../store/query.js';
import { ident, join, sql } from '../store/sql.js';
import { constantTables } from './constants-sql.js';
import { eventsSql } from './events-sql.js';
import { incidentTables } from './incidents-sql.js';
import { injectionStart, type Injection } from './injection.js';
import type { ActiveInjection } from './injection-sql.js';
import { MODEL } from './model.js';
import type { SimulateOptions } from './options.js';
import { simulationPlan } from './plan-content.js';
import type { PlanInput } from '../plan/plan-schema.js';
import { rolloutSchedule, type RolloutSchedule } from './schedule.js';
import { slotsTable } from './slots-sql.js';
import { simulationTruth, type SimulationTruth, type TruthIncident, type TruthTenant } from './truth.js';
import { tenantsTable } from './tenants-sql.js';
import { usersTable } from './users-sql.js';

/** A prepared simulation: the sim_* tables exist, and events can be generated hour range by hour range. */
export interface PreparedSimulation {
  options: SimulateOptions;
  schedule: RolloutSchedule;
  injections: readonly ActiveInjection[];
  plan: PlanInput;
  truth: SimulationTruth;
}

/**
 * Creates the simulation's small tables (tenants, users, incidents, tenant×hour slots) in
 * `connection` and returns the schedule, plan and truth. Events are generated from these by `eventsSql`.
 *
 * @throws {RangeError} if the options or injections do not fit together (a start that is not a UTC
 *   midnight, unknown stage, too few days, a cohort nobody is in).
 */
export async function prepareSimulation(connection: DuckDBConnection, options: SimulateOptions): Promise<PreparedSimulation> {
  checkOptions(options);
  const schedule = rolloutSchedule(options.start, options.days);
  const injections = options.injections.map((injection) => {
    const start = injectionStart(injection, schedule);
    return { injection, start, startHour: Math.round((start.getTime() - options.start.getTime()) / 3_600_000) };
  });
  const users = Math.round((options.eventsPerDay * 7) / MODEL.attemptsPerSession / MODEL.sessionsPerUserWeek);
  for (const statement of [
    ...constantTables(),
    tenantsTable(options, users),
    usersTable(),
    ...incidentTables(options),
    slotsTable(options, schedule),
  ]) {
    await run(connection, statement);
  }
  for (const { injection } of injections) await checkCohortExists(connection, injection);
  const tenantRows = await allJson<TruthTenant & { route_u: number }>(
    connection,
    sql`SELECT tenant, round(weight, 6) AS weight, home_region, idps, users, tenant_route_u AS route_u FROM sim_tenants ORDER BY k`,
  );
  const tenants = tenantRows.map(({ route_u, ...tenant }) =>
    options.routing === 'tenant' ? { ...tenant, moves_in: schedule.stages.find((s) => route_u < s.share)?.name ?? 'post' } : tenant,
  );
  const incidents = await allJson<TruthIncident>(
    connection,
    sql`SELECT idp,
               strftime(to_timestamp(${Math.floor(options.start.getTime() / 1000)}::BIGINT + start_hour * 3600) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS start,
               strftime(to_timestamp(${Math.floor(options.start.getTime() / 1000)}::BIGINT + (start_hour + hours) * 3600) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS end,
               round(failure_shift, 4) AS failure_logit_shift, round(latency_multiplier, 4) AS latency_multiplier
        FROM sim_incidents ORDER BY start_hour, idp`,
  );
  const truthInjections = injections.map(({ injection, start }) => ({ ...injection, start: start.toISOString() }));
  return {
    options,
    schedule,
    injections,
    plan: simulationPlan(options, schedule),
    truth: simulationTruth(options, schedule, truthInjections, incidents, tenants),
  };
}

function checkOptions({ seed, tenants, eventsPerDay, start }: SimulateOptions): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`simulate needs a non-negative integer seed, got ${seed}`);
  if (!Number.isInteger(tenants) || tenants < 1) throw new RangeError(`simulate needs at least one tenant, got ${tenants}`);
  if (!(eventsPerDay > 0)) throw new RangeError(`simulate needs a positive events per day, got ${eventsPerDay}`);
  if (start.getTime() % 86_400_000 !== 0) throw new RangeError(`simulate starts at a UTC midnight, got ${start.toISOString()}`);
}

/**
 * Checks that some simulated user has the injection's tenant and IdP (apps and regions vary by
 * session and user, so they are not checked), so a tenant beyond --tenants or a tenant without
 * that IdP is an error rather than an injection that silently touches nothing.
 *
 * @throws {RangeError} naming the cohort.
 */
async function checkCohortExists(connection: DuckDBConnection, injection: Injection): Promise<void> {
  const conditions = Object.entries(injection.cohort)
    .filter(([dimension]) => dimension === 'tenant' || dimension === 'idp')
    .map(([dimension, value]) => sql`${ident(dimension)} = ${value}`);
  if (conditions.length === 0) return;
  const [row] = await allJson<{ n: number }>(
    connection,
    sql`SELECT count(*)::INTEGER AS n FROM sim_users WHERE ${join(conditions, ' AND ')}`,
  );
  if (!row || row.n === 0) {
    const cohort = Object.entries(injection.cohort).map(([k, v]) => `${k}=${v}`).join(',');
    throw new RangeError(`injection cohort ${cohort} matches no simulated user (tenants are t001…, each with the IdPs truth.json lists)`);
  }
}

/** What `simulate` generated. */
export interface SimulationResult extends PreparedSimulation {
  /** The table holding the events. */
  table: string;
  events: number;
}

/**
 * Generates the whole simulated history into the table `table` (replacing it), with the canonical
 * event columns, and returns the plan and truth that go with it. For files, see `writeSimulation`.
 */
export async function simulate(
  connection: DuckDBConnection,
  options: SimulateOptions,
  table = 'sim_events',
): Promise<SimulationResult> {
  const prepared = await prepareSimulation(connection, options);
  const events = eventsSql(options, prepared.injections, 0, options.days * 24);
  await run(connection, sql`CREATE OR REPLACE TABLE ${ident(table)} AS ${events}`);
  const [count] = await allJson<{ n: number }>(connection, sql`SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
  return { ...prepared, table, events: count?.n ?? 0 };
}
