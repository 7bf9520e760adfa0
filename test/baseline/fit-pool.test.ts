import { afterEach, describe, expect, it } from 'vitest';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { fitCuts, type CutJob } from '../../src/baseline/fit-cuts.js';
import { FitPool, fitWorkers, INLINE_WINDOWS } from '../../src/baseline/fit-pool.js';
import type { CohortSeries } from '../../src/baseline/fit-series.js';
import { smoothShape } from '../../src/baseline/shapes.js';
import { openStore } from '../../src/store/open.js';
import { allJson, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { insertHistory } from './events.js';
import { testPlan } from './plan-fixture.js';

/** A deterministic LCG in [0, 1). */
function uniforms(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Four weeks of hourly windows: rates with a daily cycle, a drift and one incident day; latency with noise. */
function series(family: 'rate' | 'latency', seed: number, days = 28): CohortSeries {
  const u = uniforms(seed);
  const length = days * 24;
  const s: CohortSeries = {
    family, length, t: new Float64Array(length), how: new Int32Array(length), n: new Float64Array(length), x: new Float64Array(length), s2: new Float64Array(length),
  };
  for (let i = 0; i < length; i++) {
    s.t[i] = 20_000 + i / 24;
    s.how[i] = i % 168;
    s.n[i] = 50 + Math.floor(200 * u());
    const p = 0.05 * (1 + 0.5 * Math.sin((2 * Math.PI * i) / 24)) * (1 + i / length) * (Math.floor(i / 24) === 17 ? 4 : 1);
    let x = 0;
    for (let k = 0; k < s.n[i]!; k++) if (u() < p) x++;
    s.x[i] = family === 'rate' ? x : 5 + 0.3 * Math.sin((2 * Math.PI * i) / 24) + 0.1 * (u() - 0.5);
    s.s2[i] = family === 'rate' ? 0 : 0.04 / s.n[i]!;
  }
  return s;
}

const profile = (s: CohortSeries) => {
  const sums = new Float64Array(168);
  const counts = new Float64Array(168);
  for (let i = 0; i < s.length; i++) {
    sums[s.how[i]!]! += s.family === 'rate' ? Math.log((s.x[i]! + 0.5) / (s.n[i]! - s.x[i]! + 0.5)) : s.x[i]!;
    counts[s.how[i]!]!++;
  }
  return smoothShape(Float64Array.from(sums, (v, h) => v / counts[h]!));
};

/** Three cuts: borrowed shapes at two weeks, own shapes (incidents found, then refined) at three and four. */
const jobsOf = (s: CohortSeries): CutJob[] => [
  { k: 0, length: 14 * 24, own: false, initial: profile(s), refined: smoothShape(profile(s).map((v) => v * 0.9)), fit: true },
  { k: 1, length: 21 * 24, own: true, fit: true },
  { k: 2, length: 28 * 24, own: true, fit: true },
];

afterEach(() => {
  delete process.env['STAGEWISE_FIT_WORKERS'];
});

describe('FitPool', () => {
  it('gives the same bits on worker threads as inline, whatever order the answers come in', async () => {
    const cohorts = Array.from({ length: 12 }, (_, c) => series(c % 3 === 2 ? 'latency' : 'rate', 7 + c));
    const inline = cohorts.map((s) => fitCuts(s, jobsOf(s)));
    const pool = new FitPool(2);
    const pooled: ReturnType<typeof fitCuts>[] = [];
    try {
      for (const [c, s] of cohorts.entries()) await pool.fit(s, jobsOf(s), (results) => (pooled[c] = results));
      await pool.drain();
    } finally {
      await pool.close();
    }
    expect(pooled).toEqual(inline);
    // Real fits, not degenerate ones: the incident day is flagged and the drift is seen.
    const last = inline[0]![2]!;
    expect(last.fit?.flagged).toBeGreaterThan(0);
    expect(last.fit?.trend).toBeGreaterThan(0);
    // An own cohort with incidents sends back both shapes, and they differ.
    expect(last.first).toBeInstanceOf(Float64Array);
    expect(last.refined).toBeInstanceOf(Float64Array);
    expect(last.refined).not.toEqual(last.first);
  });

  it('copies what it sends: the caller may overwrite its buffers as soon as `fit` returns', async () => {
    const s = series('rate', 3);
    const expected = fitCuts(s, jobsOf(s));
    const pool = new FitPool(1);
    let got: ReturnType<typeof fitCuts> | undefined;
    try {
      await pool.fit(s, jobsOf(s), (results) => (got = results));
      s.x.fill(0);
      await pool.drain();
    } finally {
      await pool.close();
    }
    expect(got).toEqual(expected);
  });

  it('reuses the buffers workers send back, and grows them for a longer series', async () => {
    const cohorts = [series('rate', 11), series('rate', 12, 300), series('latency', 13), series('rate', 14, 300)];
    const jobs = (s: CohortSeries): CutJob[] => [{ k: 0, length: s.length, own: true, fit: true }];
    const pool = new FitPool(1);
    const got: ReturnType<typeof fitCuts>[] = [];
    try {
      for (const [c, s] of cohorts.entries()) {
        await pool.fit(s, jobs(s), (results) => (got[c] = results));
        await pool.drain(); // one at a time: each request takes the buffers the last one sent back
      }
    } finally {
      await pool.close();
    }
    expect(cohorts[1]!.length).toBeGreaterThan(4096);
    expect(got).toEqual(cohorts.map((s) => fitCuts(s, jobs(s))));
  });

  it('rethrows an error from a result callback', async () => {
    const s = series('rate', 5);
    const pool = new FitPool(1);
    try {
      await pool.fit(s, jobsOf(s), () => {
        throw new Error('callback failed');
      });
      await expect(pool.drain()).rejects.toThrow('callback failed');
    } finally {
      await pool.close();
    }
  });

  it('uses no workers for a small fit, one per core for a big one, and what STAGEWISE_FIT_WORKERS says', () => {
    expect(fitWorkers(INLINE_WINDOWS - 1)).toBe(0);
    expect(fitWorkers(INLINE_WINDOWS)).toBeGreaterThan(0);
    process.env['STAGEWISE_FIT_WORKERS'] = '3';
    expect(fitWorkers(10)).toBe(3);
    process.env['STAGEWISE_FIT_WORKERS'] = 'many';
    expect(() => fitWorkers(10)).toThrow(/STAGEWISE_FIT_WORKERS/);
  });
});

describe('a baseline build on fit workers', () => {
  it('writes the same snapshot as an inline build, placebo origins included', async () => {
    const plan = testPlan({
      baseline: { start: '2026-09-01', end: '2026-09-29' },
      stages: [{ name: 'canary', start: '2026-09-29', end: '2026-10-01', share: 0.05 }],
    });
    const snapshot = async (workers: string) => {
      process.env['STAGEWISE_FIT_WORKERS'] = workers;
      const store = await openStore(':memory:');
      try {
        await insertHistory(store.connection, { start: '2026-09-01T00:00:00Z', hours: 28 * 24, tenants: 6, perHour: 30, p: 0.05, hourNoise: 0.3 });
        await run(store.connection, sql`UPDATE login_events SET outcome = 'failure' WHERE tenant = 't1' AND ts >= '2026-09-10T08:00:00Z' AND ts < '2026-09-10T11:00:00Z'`);
        await buildBaseline(store.connection, plan, { toolkitVersion: '0.1.0', now: new Date('2026-09-29T00:00:00Z') });
        return await allJson(store.connection, sql`SELECT * EXCLUDE (snapshot_id) FROM baseline_cohorts ORDER BY dimensions, cohort_key, metric`);
      } finally {
        store.close();
      }
    };
    const inline = await snapshot('0');
    const pooled = await snapshot('2');
    expect(inline.length).toBeGreaterThan(20);
    expect(pooled).toEqual(inline);
  });
});
