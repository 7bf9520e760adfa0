import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { withStore } from '../../src/store/open.js';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import type { Evaluation } from '../../src/types.js';

const evaluation: Evaluation = {
  schema: 'stagewise.evaluation/v1',
  evaluation_id: 'ev-test-1',
  created_at: '2026-10-05T08:00:00Z',
  toolkit_version: '0.1.0',
  baseline_id: 'bl-1',
  plan_name: 'test',
  plan_hash: 'h',
  stage: 'stage-2',
  window: { start: '2026-10-04T00:00:00Z', end: '2026-10-05T08:00:00Z' },
  alpha: 0.05,
  sequential: { method: 'mSPRT', tuned_at: 'stage end', note: '' },
  srm: [],
  results: [
    {
      cohort: { tenant: 't012' }, metric: 'success_rate', design: 'within_cohort_split', verdict: 'regression',
      observed: 0.93, expected: 0.96, effect: -0.03, ci: [-0.04, -0.02], p_value: 1e-6, p_adjusted: 1e-5,
      n: 4000, n_control: 12000, tolerance: 0.005, method: 'mSPRT',
    },
    {
      cohort: {}, metric: 'success_rate', design: 'within_cohort_split', verdict: 'pass',
      observed: 0.97, expected: 0.97, effect: 0, ci: [-0.001, 0.001], p_value: 1, p_adjusted: 1,
      n: 40000, n_control: 120000, tolerance: 0.005, method: 'mSPRT',
    },
  ],
  rollback: { rules: [], flagd: {} },
};

let db: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  db = join(await mkdtemp(join(tmpdir(), 'stagewise-decide-')), 'store.duckdb');
  await withStore(db, {}, async ({ connection }) => {
    await run(connection, sql`CREATE TABLE IF NOT EXISTS evaluations (evaluation_id VARCHAR PRIMARY KEY, created_at TIMESTAMPTZ,
      stage VARCHAR, plan_hash VARCHAR, baseline_id VARCHAR, window_start TIMESTAMPTZ, window_end TIMESTAMPTZ, regressions INTEGER, document JSON)`);
    await run(connection, sql`INSERT INTO evaluations VALUES (${evaluation.evaluation_id}, '2026-10-05T08:00:00Z', 'stage-2', 'h', 'bl-1',
      '2026-10-04T00:00:00Z', '2026-10-05T08:00:00Z', 1, ${JSON.stringify(evaluation)}::JSON)`);
  });
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const decide = (...args: string[]) =>
  main(['node', 'stagewise', 'decide', '--db', db, '--stage', 'stage-2', '--operator', 'ana', '--reason', 'known issue', ...args]);

describe('stagewise decide', () => {
  it('records an acceptance once, however often it is re-run, and lists it', async () => {
    expect(await decide('--action', 'accept', '--result', 'tenant=t012:success_rate')).toBe(0);
    expect(await decide('--action', 'accept', '--result', 'tenant=t012:success_rate')).toBe(0);
    out = [];
    expect(await main(['node', 'stagewise', 'decisions', '--db', db, '--json'])).toBe(0);
    const decisions = JSON.parse(out.join('\n')) as { operator: string; action: string; evaluation_id: string; results: unknown[] }[];
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ operator: 'ana', action: 'accept', evaluation_id: 'ev-test-1', results: [{ cohort: { tenant: 't012' }, metric: 'success_rate' }] });
  });

  it('refuses to accept a result that is not a regression, naming it', async () => {
    expect(await decide('--action', 'accept', '--result', ':success_rate')).toBe(1);
    expect(err).toEqual([':success_rate is pass, not a regression: only regressions can be accepted'].map((m) => `error: ${m}`));
  });

  it('refuses a result the evaluation does not have', async () => {
    expect(await decide('--action', 'rollback', '--result', 'tenant=t999:success_rate')).toBe(1);
    expect(err[0]).toBe('error: evaluation ev-test-1 has no result tenant=t999:success_rate');
  });

  it('rejects an unknown action through commander', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await decide('--action', 'ignore')).not.toBe(0);
  });
});
