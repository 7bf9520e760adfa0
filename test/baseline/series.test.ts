import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { loadBaseline } from '../../src/baseline/load-baseline.js';
import { openStore, type Store } from '../../src/store/open.js';
import { all, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { insertHistory } from './events.js';
import { testPlan } from './plan-fixture.js';

let stores: Store[] = [];
beforeEach(() => {
  stores = [];
});
afterEach(() => {
  for (const s of stores) s.close();
});

const options = { toolkitVersion: '0.1.0', now: new Date('2026-09-15T00:00:00Z') };
const history = { start: '2026-09-01T00:00:00Z', hours: 14 * 24, tenants: 4, perHour: 12, p: 0.05 };
const plan = testPlan({ dimensions: [['idp']], metrics: [{ name: 'latency_p95', tolerance: 0.1 }] });

/** Builds a baseline of a fresh store of `history`, after `change` (SQL on login_events); the latency rows and the incident hours found. */
async function build(...changes: ReturnType<typeof sql>[]) {
  const store = await openStore(':memory:');
  stores.push(store);
  await insertHistory(store.connection, history);
  for (const change of changes) await run(store.connection, change);
  await buildBaseline(store.connection, plan, options);
  const incidents = await all<{ idp: string; hour: Date }>(store.connection, sql`SELECT idp, hour FROM bl_incident_hours ORDER BY hour`);
  const cohorts = (await loadBaseline(store.connection)).cohorts;
  return { incidents, everyone: cohorts.find((c) => c.cohortKey === ''), okta: cohorts.find((c) => c.cohortKey === 'idp=okta') };
}

describe('incidentHoursTable', () => {
  it('keeps an IdP latency incident out of the stored p95 and latency level', async () => {
    const clean = await build();
    expect(clean.incidents).toEqual([]);
    // Six okta hours at 4× latency: 144 of 8,064 okta observations (1.8%), a third of the tail above p95.
    const incident = await build(sql`UPDATE login_events SET latency_ms = latency_ms * 4
      WHERE idp = 'okta' AND ts >= '2026-09-05T04:00:00Z' AND ts < '2026-09-05T10:00:00Z'`);
    expect(incident.incidents).toHaveLength(6);
    expect(incident.incidents.every((i) => i.idp === 'okta')).toBe(true);
    // Uniform 50–250 ms: p95 ≈ 240 ms with or without the incident (without the fix the incident moved okta's up by 1.3%, 240.3 → 243.5 ms).
    expect(clean.okta?.mean).toBeGreaterThan(230);
    expect(Math.abs((incident.okta?.mean ?? 0) / (clean.okta?.mean ?? 1) - 1)).toBeLessThan(0.004);
    expect(Math.abs((incident.everyone?.mean ?? 0) / (clean.everyone?.mean ?? 1) - 1)).toBeLessThan(0.004);
    expect(Math.abs((incident.okta?.level ?? 0) - (clean.okta?.level ?? 0))).toBeLessThan(0.004);
  });

  it('does not take a thin hour whose mean is high by chance for an incident', async () => {
    // One okta hour with a single observation at 500 ms (2× the usual upper bound): ln 500 − median ≈ 1.3 clears the
    // absolute cut (≈ 0.33) but is 3.2 within-hour sd (≈ 0.4) for n = 1, not 4.
    const hour = sql`idp = 'okta' AND ts >= '2026-09-06T03:00:00Z' AND ts < '2026-09-06T04:00:00Z'`;
    const thin = await build(
      sql`DELETE FROM login_events WHERE ${hour} AND event_id NOT LIKE '%-0-0'`,
      sql`UPDATE login_events SET latency_ms = 500 WHERE ${hour}`,
    );
    expect(thin.incidents).toEqual([]);
  });
});
