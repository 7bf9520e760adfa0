import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshAggregates } from '../../src/baseline/aggregate.js';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { checkPlan } from '../../src/plan/plan.js';
import { parseInjection } from '../../src/simulate/injection.js';
import { simulate } from '../../src/simulate/simulate.js';
import { withStore } from '../../src/store/open.js';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';

/** A store built end to end with src/simulate, the aggregates and a baseline snapshot, and its plan file. */
export interface SimStore {
  dir: string;
  db: string;
  planFile: string;
  /** The plan's post_rollout start (the rollout end). */
  rolloutEnd: Date;
}

/**
 * Simulates a small history (seeded), loads it as `stagewise ingest` would leave it, builds the
 * aggregates and the baseline snapshot, and writes the plan next to the store.
 */
export async function simStore(injections: readonly string[], seed = 5): Promise<SimStore> {
  const dir = await mkdtemp(join(tmpdir(), 'stagewise-post-rollout-'));
  const db = join(dir, 'store.duckdb');
  const plan = await withStore(db, {}, async ({ connection }) => {
    const sim = await simulate(connection, {
      seed, days: 64, tenants: 6, start: new Date('2026-09-01T00:00:00Z'), eventsPerDay: 4000, routing: 'user',
      injections: injections.map(parseInjection),
    });
    await run(connection, sql`INSERT INTO login_events BY NAME SELECT *, 'simulate' AS source_format, 'sim-run' AS ingest_run_id FROM sim_events`);
    await run(connection, sql`DROP TABLE sim_events`);
    await refreshAggregates(connection);
    const checked = checkPlan(sim.plan);
    if (!checked.ok) throw new Error(checked.problems.join('\n'));
    await buildBaseline(connection, checked.plan, { toolkitVersion: 'test', now: new Date('2026-10-01T00:00:00Z') });
    return sim.plan;
  });
  const planFile = join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  const checked = checkPlan(plan);
  if (!checked.ok || !checked.plan.postRollout) throw new Error('the simulated plan has no post_rollout');
  return { dir, db, planFile, rolloutEnd: checked.plan.postRollout.start };
}

/** A fresh copy of a store file, so tests do not see each other's runs. */
export async function copyStore(store: SimStore, name: string): Promise<string> {
  const db = join(store.dir, `${name}.duckdb`);
  await copyFile(store.db, db);
  return db;
}
