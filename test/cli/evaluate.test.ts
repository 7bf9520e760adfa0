import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBaseline } from '../../src/baseline/build-baseline.js';
import { main } from '../../src/cli/main.js';
import { checkPlan } from '../../src/plan/plan.js';
import { parseInjection } from '../../src/simulate/injection.js';
import { simulate } from '../../src/simulate/simulate.js';
import { withStore } from '../../src/store/open.js';
import { allJson, run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import type { Evaluation } from '../../src/types.js';

// End to end: simulate (a staged rollout with an injected regression) → login_events → baseline → evaluate.
let dir: string;
let db: string;
let planFile: string;
let stderr: string[];
const INJECTED = { tenant: 't003' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-evaluate-'));
  db = join(dir, 'store.duckdb');
  planFile = join(dir, 'plan.json');
  await withStore(db, {}, async ({ connection }) => {
    const sim = await simulate(connection, {
      seed: 5, days: 30, tenants: 20, start: new Date('2026-09-01T00:00:00Z'), eventsPerDay: 8000, routing: 'user',
      injections: [parseInjection('tenant=t003:success_rate:-0.12@stage-3')],
    });
    await run(connection, sql`INSERT INTO login_events BY NAME SELECT *, 'simulated' AS source_format, 'run-1' AS ingest_run_id FROM sim_events`);
    await writeFile(planFile, JSON.stringify(sim.plan));
    const check = checkPlan(sim.plan);
    if (!check.ok) throw new Error(check.problems.join('\n'));
    await buildBaseline(connection, check.plan, { toolkitVersion: '0.1.0', now: new Date('2026-09-16T00:00:00Z') });
  });
}, 120_000);

beforeEach(() => {
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const evaluate = (...args: string[]) => main(['node', 'stagewise', 'evaluate', '--db', db, '--plan', planFile, ...args]);
const storedEvaluations = () =>
  withStore(db, { readOnly: true }, ({ connection }) =>
    allJson<{ evaluation_id: string; stage: string; regressions: number; document: string }>(connection, sql`SELECT evaluation_id, stage, regressions, document FROM evaluations ORDER BY created_at`),
  );

describe('stagewise evaluate', () => {
  it('finds the injected tenant regression, scopes the rollback to it, stores the document and exits 3', async () => {
    const [json, flagd] = [join(dir, 'ev.json'), join(dir, 'flagd.json')];
    expect(await evaluate('--stage', 'stage-3', '--json', json, '--flagd', flagd)).toBe(3);
    const document = JSON.parse(await readFile(json, 'utf8')) as Evaluation;
    const regressions = document.results.filter((r) => r.verdict === 'regression');
    expect(regressions.some((r) => r.cohort.tenant === 't003' && r.metric === 'success_rate' && (r.effect ?? 0) < 0)).toBe(true);
    expect(document.rollback.rules.map((r) => r.cohort)).toContainEqual(expect.objectContaining(INJECTED));
    expect(document.rollback.rules.every((r) => r.cohort.tenant === 't003')).toBe(true);
    expect(JSON.parse(await readFile(flagd, 'utf8'))).toEqual(document.rollback.flagd);
    const stored = await storedEvaluations();
    expect(stored.at(-1)).toMatchObject({ evaluation_id: document.evaluation_id, stage: 'stage-3', regressions: regressions.length });
    expect(JSON.parse(stored.at(-1)?.document ?? '{}')).toEqual(document);
  });

  it('writes a stagewise.evaluation/v1 document of the documented shape', async () => {
    const json = join(dir, 'ev2.json');
    await evaluate('--stage', 'stage-2', '--json', json);
    const document = JSON.parse(await readFile(json, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(
      ['alpha', 'baseline_id', 'created_at', 'evaluation_id', 'plan_hash', 'plan_name', 'results', 'rollback', 'schema', 'sequential', 'srm', 'stage', 'toolkit_version', 'window'].sort(),
    );
    const evaluation = document as unknown as Evaluation;
    expect(evaluation.schema).toBe('stagewise.evaluation/v1');
    expect(evaluation.window).toEqual({ start: '2026-09-17T00:00:00.000Z', end: '2026-09-19T00:00:00.000Z' });
    expect(Object.keys(evaluation.sequential).sort()).toEqual(['method', 'note', 'tuned_at']);
    expect(evaluation.srm.length).toBeGreaterThan(0);
    expect(evaluation.srm[0]).toMatchObject({ cohort: {}, unit: 'user', expected_share: 0.05, mismatch: false });
    const metrics = new Set(evaluation.results.map((r) => r.metric));
    expect(metrics).toEqual(new Set(['success_rate', 'latency_p95', 'mfa_rate', 'error_rate:upstream_timeout', 'shadow_mismatch_rate']));
    for (const r of evaluation.results) {
      expect(r.design).toBe(r.metric === 'shadow_mismatch_rate' ? 'shadow_paired' : 'within_cohort_split');
      if (r.verdict === 'insufficient_data') expect(r.note).toBeTruthy();
      else expect(r.p_value).not.toBeNull();
    }
    expect(evaluation.results.some((r) => Object.keys(r.cohort).length === 0)).toBe(true);
  });

  it('judges a 100% stage against the baseline projection, with the drift carried from the legacy traffic before it', async () => {
    const json = join(dir, 'ev5.json');
    await evaluate('--stage', 'stage-5', '--json', json);
    const document = JSON.parse(await readFile(json, 'utf8')) as Evaluation;
    expect(new Set(document.results.map((r) => r.design))).toEqual(new Set(['baseline_projection', 'shadow_paired']));
    expect(document.srm).toEqual([]);
    const everyone = document.results.find((r) => Object.keys(r.cohort).length === 0 && r.metric === 'success_rate');
    expect(everyone?.method).toMatch(/baseline projection \+ drift on legacy traffic/);
    expect(everyone?.note).toMatch(/population drift/);
  });

  it('keeps a regression the operator accepted visible and marked, and no longer exits 3 for it', async () => {
    const json = join(dir, 'ev-before-accept.json');
    expect(await evaluate('--stage', 'stage-3', '--json', json)).toBe(3);
    const before = JSON.parse(await readFile(json, 'utf8')) as Evaluation;
    const refs = before.results
      .filter((r) => r.verdict === 'regression')
      .map((r) => `${Object.entries(r.cohort).map(([k, v]) => `${k}=${v}`).join(',')}:${r.metric}`);
    expect(refs.length).toBeGreaterThan(0);
    const decide = await main(['node', 'stagewise', 'decide', '--db', db, '--evaluation', before.evaluation_id, '--action', 'accept',
      '--operator', 'ana', '--reason', 'known t003 SAML skew, fix ships Friday', ...refs.flatMap((ref) => ['--result', ref])]);
    expect(decide).toBe(0);
    const after = join(dir, 'ev-after-accept.json');
    expect(await evaluate('--stage', 'stage-3', '--json', after)).toBe(0);
    const document = JSON.parse(await readFile(after, 'utf8')) as Evaluation;
    const regressions = document.results.filter((r) => r.verdict === 'regression');
    expect(regressions.length).toBe(refs.length);
    for (const r of regressions) expect(r.accepted).toMatchObject({ operator: 'ana', reason: 'known t003 SAML skew, fix ships Friday' });
  });

  describe('bad input: one error line, exit 1, nothing written', () => {
    const rejects = async (args: string[], message: RegExp) => {
      const before = (await storedEvaluations()).length;
      const json = join(dir, `never-${before}-${args.length}.json`);
      expect(await evaluate(...args, '--json', json)).toBe(1);
      expect(stderr).toEqual([expect.stringMatching(message)]);
      expect((await storedEvaluations()).length).toBe(before);
      expect(existsSync(json)).toBe(false);
    };
    it('a stage the plan does not have', () => rejects(['--stage', 'stage-9'], /^error: stage "stage-9" is not in plan/));
    it('a window without candidate traffic', () => rejects(['--stage', 'stage-3', '--at', '2026-09-19T00:00:00Z'], /^error: no nova-auth traffic in stage stage-3/));
    it('a baseline built with another plan', async () => {
      const other = join(dir, 'other-plan.json');
      await writeFile(other, JSON.stringify({ ...JSON.parse(await readFile(planFile, 'utf8')), alpha: 0.01 }));
      const before = (await storedEvaluations()).length;
      expect(await main(['node', 'stagewise', 'evaluate', '--db', db, '--plan', other, '--stage', 'stage-2'])).toBe(1);
      expect(stderr).toEqual([expect.stringMatching(/^error: baseline bl-\w+ was built with another plan/)]);
      expect((await storedEvaluations()).length).toBe(before);
    });
    it('a baseline whose data does not end before the stage', async () => {
      await withStore(db, {}, ({ connection }) =>
        run(connection, sql`INSERT INTO baseline_snapshots SELECT 'bl-late', created_at, plan_name, plan_hash, data_from, '2026-09-18T00:00:00Z'::TIMESTAMPTZ, toolkit_version, events, cohorts, plan FROM baseline_snapshots LIMIT 1`),
      );
      await rejects(['--stage', 'stage-2', '--baseline', 'bl-late'], /^error: baseline bl-late uses data up to 2026-09-18T00:00:00.000Z, after stage stage-2 starts/);
    });
  });
});
