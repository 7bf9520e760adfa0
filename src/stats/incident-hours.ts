import { median } from 'simple-statistics';

/** One hour of one upstream (an IdP): attempts and failures, hour start in seconds since the epoch. */
export interface UpstreamHour {
  key: string;
  hour: number;
  n: number;
  x: number;
}

/** A transient upstream incident: consecutive hours of one key whose failure odds jumped and came back. */
export interface Incident {
  key: string;
  /** First hour (inclusive) and the hour after the last (exclusive), seconds since the epoch. */
  start: number;
  end: number;
  hours: number;
  attempts: number;
  failures: number;
  /** Failures expected at the key's typical rate in the period (`n·expit(median logit)` summed). */
  expectedFailures: number;
}

/** Excess hours of a key that were not transient (a run still going at the end or too long, or too many in all): never excluded. */
export interface SustainedExcess {
  key: string;
  hours: number;
  reason: 'still_elevated_at_end' | 'longer_than_max_run' | 'too_many_hours';
}

export interface IncidentOptions {
  /** Robust z (sampling-standardised, scaled by the MAD of all hours) an hour must exceed. Default 5. */
  z?: number;
  /** Log odds ratio over the key's median an hour must exceed. Default ln 4 (failure odds quadrupled). */
  minLogOdds?: number;
  /** Longest run of hours that still counts as one incident. Default 12. */
  maxRunHours?: number;
  /** Most hours of a key that can be excluded: max(`maxShare` × its hours, `maxRunHours`). Default 0.05. */
  maxShare?: number;
  /** Fewest hours with attempts a key needs before anything is flagged. Default 24. */
  minHours?: number;
}

/** The incidents found, and the keys whose excess was not transient. */
export interface IncidentScan {
  incidents: Incident[];
  sustained: SustainedExcess[];
}

/**
 * Transient upstream incidents (an IdP's outage hitting both providers) in hourly failure counts,
 * so that a projection without a concurrent control does not read them as a regression of the
 * candidate. Per key (IdP), over the hours of the period with attempts:
 *
 *     r_h = ln((x_h + ½)/(n_h − x_h + ½)),   s_h² = 1/(x_h + ½) + 1/(n_h − x_h + ½)   (empirical logit)
 *     u_h = (r_h − median r)/s_h,   σ̃ = max(1, 1.4826 · MAD(u))
 *     flagged  ⇔  u_h > z·σ̃  and  r_h − median r > minLogOdds
 *
 * (Hampel's robust outlier rule on the standardised residuals; Hampel 1974, JASA 69, 383–393.)
 * A run of consecutive flagged hours is an incident only when it is transient: at most `maxRunHours`
 * long and followed, inside the period, by an hour with attempts that is not flagged (an excess
 * still going at the end of the period may be the start of a regression and is never removed). A
 * key with more flagged hours in incidents than max(`maxShare` × its hours, `maxRunHours`) is a
 * recurring excess, not an incident: none of its hours are returned, and it is listed as sustained.
 */
export function incidentHours(rows: readonly UpstreamHour[], options: IncidentOptions = {}): IncidentScan {
  const { z = 5, minLogOdds = Math.log(4), maxRunHours = 12, maxShare = 0.05, minHours = 24 } = options;
  const byKey = new Map<string, UpstreamHour[]>();
  for (const row of rows) {
    if (!(row.n > 0)) continue;
    const list = byKey.get(row.key) ?? [];
    list.push(row);
    byKey.set(row.key, list);
  }
  const incidents: Incident[] = [];
  const sustained: SustainedExcess[] = [];
  for (const [key, list] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (list.length < minHours) continue;
    const hours = [...list].sort((a, b) => a.hour - b.hour);
    const r = hours.map((h) => Math.log((h.x + 0.5) / (h.n - h.x + 0.5)));
    const center = median(r);
    const u = hours.map((h, i) => ((r[i] ?? 0) - center) / Math.sqrt(1 / (h.x + 0.5) + 1 / (h.n - h.x + 0.5)));
    const uCenter = median(u);
    const scale = Math.max(1, 1.4826 * median(u.map((v) => Math.abs(v - uCenter))));
    const flagged = hours.map((_, i) => (u[i] ?? 0) > z * scale && (r[i] ?? 0) - center > minLogOdds);
    const found: Incident[] = [];
    for (let i = 0; i < hours.length; ) {
      if (!flagged[i]) {
        i++;
        continue;
      }
      let j = i;
      // A run: flagged hours with no hour of attempts between them that is not flagged (gaps without traffic do not break it).
      while (j + 1 < hours.length && flagged[j + 1]) j++;
      const run = hours.slice(i, j + 1);
      const first = run[0];
      const last = run[run.length - 1];
      if (first && last) {
        const span = (last.hour - first.hour) / 3600 + 1;
        if (j + 1 >= hours.length) sustained.push({ key, hours: run.length, reason: 'still_elevated_at_end' });
        else if (span <= maxRunHours) {
          const expit = 1 / (1 + Math.exp(-center));
          found.push({
            key, start: first.hour, end: last.hour + 3600, hours: run.length,
            attempts: run.reduce((s, h) => s + h.n, 0), failures: run.reduce((s, h) => s + h.x, 0),
            expectedFailures: run.reduce((s, h) => s + h.n * expit, 0),
          });
        } else sustained.push({ key, hours: run.length, reason: 'longer_than_max_run' });
      }
      i = j + 1;
    }
    const excluded = found.reduce((s, f) => s + f.hours, 0);
    if (excluded > Math.max(maxShare * hours.length, maxRunHours)) {
      sustained.push({ key, hours: excluded, reason: 'too_many_hours' });
      continue;
    }
    incidents.push(...found);
  }
  return { incidents, sustained };
}

/** The hours (seconds since the epoch) of each key inside its incidents. */
export function incidentHourList(incidents: readonly Incident[]): { key: string; hour: number }[] {
  return incidents.flatMap((incident) => {
    const hours: { key: string; hour: number }[] = [];
    for (let h = incident.start; h < incident.end; h += 3600) hours.push({ key: incident.key, hour: h });
    return hours;
  });
}
