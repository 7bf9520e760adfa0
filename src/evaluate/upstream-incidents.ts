import type { DuckDBConnection } from '@duckdb/node-api';
import { instant } from '../baseline/aggregate.js';
import { incidentHourList, incidentHours, type IncidentScan } from '../stats/incident-hours.js';
import { all } from '../store/query.js';
import { join, sql, type Sql } from '../store/sql.js';
import type { Period } from '../types.js';

/**
 * Transient upstream incidents (an IdP's failure burst that hits both providers) for the designs
 * without a concurrent control: a 100% stage and post-rollout. Detection is `incidentHours` over
 * each IdP's hourly failures; the (IdP, hour) cells found are left out of the comparison and listed.
 */

/** An IdP's hour (start, seconds since the epoch) left out of a comparison. */
export interface ExcludedHour {
  idp: string;
  hour: number;
}

/** A transient upstream incident as evaluations and post-rollout runs list it. */
export interface IncidentRow {
  idp: string;
  /** ISO-8601, end exclusive. */
  start: string;
  end: string;
  hours: number;
  attempts: number;
  failures: number;
  /** Failures the IdP's typical rate in the period gives those hours. */
  expectedFailures: number;
}

/** Incidents found and the IdPs whose excess was not transient (kept in the comparison). */
export interface UpstreamIncidents {
  incidents: IncidentRow[];
  sustainedExcess: { idp: string; hours: number; reason: string }[];
  excluded: ExcludedHour[];
}

/** One IdP's hour over some providers: attempts and failures. */
export interface IdpHourRow {
  idp: string;
  hour: number;
  n: number;
  x: number;
}

/** Attempts and failures per IdP and hour over a period and providers, from `agg_hourly`. */
export function idpHourly(providers: readonly string[], period: Period): Sql {
  return sql`
    SELECT idp, epoch(hour)::DOUBLE AS hour, sum(attempts)::DOUBLE AS n, sum(failures)::DOUBLE AS x
    FROM agg_hourly
    WHERE provider IN (${join(providers.map((p) => sql`${p}`), ', ')}) AND hour >= ${instant(period.from)} AND hour < ${instant(period.to)}
    GROUP BY ALL
    ORDER BY idp, hour`;
}

/** `incidentHours` over `idpHourly` of a period and providers, as rows, notes' material and excluded cells. */
export async function upstreamIncidents(connection: DuckDBConnection, providers: readonly string[], period: Period): Promise<UpstreamIncidents> {
  const rows = await all<IdpHourRow>(connection, idpHourly(providers, period));
  return fromScan(incidentHours(rows.map((r) => ({ key: r.idp, hour: r.hour, n: r.n, x: r.x }))));
}

function fromScan(scan: IncidentScan): UpstreamIncidents {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return {
    incidents: scan.incidents.map((i) => ({
      idp: i.key, start: iso(i.start), end: iso(i.end), hours: i.hours, attempts: i.attempts, failures: i.failures, expectedFailures: i.expectedFailures,
    })),
    sustainedExcess: scan.sustained.map((s) => ({ idp: s.key, hours: s.hours, reason: s.reason })),
    excluded: incidentHourList(scan.incidents).map((h) => ({ idp: h.key, hour: h.hour })),
  };
}

/**
 * A predicate keeping rows outside the excluded (IdP, hour) cells (`TRUE` when there are none);
 * `idp` and `hourSeconds` are the row's IdP (as aggregated: NULL coded `(none)`) and hour start in epoch seconds.
 */
export function outsideExcluded(exclude: readonly ExcludedHour[], idp: Sql, hourSeconds: Sql): Sql {
  if (exclude.length === 0) return sql`TRUE`;
  const rows = exclude.map((e) => sql`(${e.idp}, ${e.hour}::DOUBLE)`);
  // The VALUES columns have names no store table uses, so `idp` and `hourSeconds` bind to the outer row.
  return sql`NOT EXISTS (SELECT 1 FROM (VALUES ${join(rows, ', ')}) AS excluded(excluded_idp, excluded_hour) WHERE excluded_idp = ${idp} AND excluded_hour = ${hourSeconds})`;
}

/** The sentences an evaluation or a post-rollout run prints about its incidents. */
export function incidentNotes({ incidents, sustainedExcess }: Pick<UpstreamIncidents, 'incidents' | 'sustainedExcess'>, leftOutOf: string): string[] {
  const hours = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;
  return [
    ...(incidents.length
      ? [`Upstream incidents left out of ${leftOutOf} (transient failure bursts of one IdP, which hit both providers; check them against the IdP's status page): ${incidents
          .map((i) => `${i.idp} ${i.start.slice(0, 13).replace('T', ' ')}h UTC, ${hours(i.hours)}, ${i.failures} failures where ${i.expectedFailures.toFixed(0)} were typical`)
          .join('; ')}.`]
      : []),
    ...sustainedExcess.map((s) => `${s.idp}: ${hours(s.hours)} of excess failures ${s.reason === 'still_elevated_at_end' ? 'still going at the end of the window' : 'too long or too frequent to be an incident'}, so they stay in the comparison.`),
  ];
}
