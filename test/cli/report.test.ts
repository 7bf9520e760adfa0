import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { withStore } from '../../src/store/open.js';
import type { Evaluation } from '../../src/types.js';
import { run } from '../../src/store/query.js';
import { sql } from '../../src/store/sql.js';
import { checkPlan } from '../../src/plan/plan.js';
import { fixtureInput, forbiddenIdentifiers } from '../report/report-fixture.js';
import { ensureEvaluationsTable, insertDecisionRow, insertEvaluation, seedAggregates, seedBaseline } from '../report/report-store.js';

const PLAN = {
  name: 'Auth0 to Keycloak, EU tenants first',
  providers: { legacy: 'auth0', candidate: 'keycloak' },
  dimensions: [['tenant'], ['idp'], ['region']],
  metrics: [{ name: 'success_rate', tolerance: 0.005 }, { name: 'latency_p95', tolerance: 0.1 }, { name: 'shadow_mismatch_rate', tolerance: 0.005 }],
  baseline: { start: '2026-09-21', end: '2026-10-19' },
  stages: [
    { name: 'stage-1', start: '2026-10-19', end: '2026-10-21', share: 0.05 },
    { name: 'stage-2', start: '2026-10-21', end: '2026-10-24', share: 0.25 },
    { name: 'stage-3', start: '2026-10-24', end: '2026-10-28', share: 1 },
  ],
};

let dir: string;
let db: string;
let planFile: string;

/** Runs the CLI and returns its exit code, stdout lines and stderr lines. */
async function stagewise(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...m: unknown[]) => void out.push(m.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => void err.push(m.join(' ')));
  try {
    return { code: await main(['node', 'stagewise', ...args]), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagewise-report-'));
  db = join(dir, 'store.duckdb');
  planFile = join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(PLAN));
  const input = fixtureInput();
  await withStore(db, {}, async ({ connection }) => {
    await ensureEvaluationsTable(connection);
    const older: Evaluation = { ...(input.evaluations[1] as Evaluation), evaluation_id: 'ev-stage-2-old', created_at: '2026-10-22T06:00:00.000Z', results: [] };
    for (const evaluation of [...input.evaluations, older]) await insertEvaluation(connection, evaluation);
    for (const decision of input.decisions) await insertDecisionRow(connection, decision);
    await seedBaseline(connection, 'bs-20261019-7f3a2c');
    await seedAggregates(connection);
    const { userIds, ipPrefixes } = forbiddenIdentifiers();
    for (const [i, userId] of userIds.entries()) {
      await run(connection, sql`
        INSERT INTO login_events (event_id, ts, user_id, tenant, idp, app, region, provider, outcome, ip_prefix, source_format, ingest_run_id)
        VALUES (${`e${i}`}, '2026-10-22T10:00:00Z'::TIMESTAMPTZ, ${userId}, 't012', 'okta', 'portal', 'eu-west', 'keycloak', 'failure',
                ${ipPrefixes[i % ipPrefixes.length] ?? null}, 'canonical', 'run-1')`);
    }
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stagewise report', () => {
  it('writes index.html and evaluation.json for every evaluated stage and prints the path and the summary', async () => {
    const out = join(dir, 'all');
    const { code, out: lines, err } = await stagewise('report', '--db', db, '--plan', planFile, '--out', out);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      join(out, 'index.html'),
      'stage-1: no regression found, but the traffic split does not match the plan (SRM) in region eu-west, so the verdicts are not trustworthy.',
      'stage-2: one tenant regressed: t012 success rate −3.1 pp (95% CI −4.4 to −1.8); recommended rollback: tenant t012 only.',
    ]);
    const page = await readFile(join(out, 'index.html'), 'utf8');
    expect(page).toContain('<section id="summary">');
    expect(page).toContain('evaluation ev-stage-2-20261023-1800');
    expect(page).not.toContain('ev-stage-2-old');
    expect(page).toMatch(/<figure class="chart" id="series-tenant-t012-success-rate">\n<svg /);
    expect(page).toContain('d-0003');
    // The stage plan from the same snapshot: t012's success rate for every stage of the plan.
    expect(page).toMatch(/<tr><td>tenant t012<\/td><td>success rate<\/td><td>0\.50 pp<\/td>(<td( class="weak")?>[\d.]+ pp [✓✗]<\/td>){3}<\/tr>/);
    const data = JSON.parse(await readFile(join(out, 'evaluation.json'), 'utf8')) as { evaluations: Evaluation[]; decisions: unknown[] };
    expect(data.evaluations.map((e) => e.stage)).toEqual(['stage-1', 'stage-2']);
    expect(data.evaluations[1]?.results[1]?.effect).toBe(-0.031);
    expect(data.evaluations[1]?.results[1]?.p_value).toBe(0.000021);
    expect(data.decisions).toHaveLength(3);
  });

  it('writes no user id or IP from the store into the report or its JSON', async () => {
    const out = join(dir, 'private');
    await stagewise('report', '--db', db, '--plan', planFile, '--out', out);
    const { userIds, ipPrefixes } = forbiddenIdentifiers();
    for (const file of ['index.html', 'evaluation.json']) {
      const text = await readFile(join(out, file), 'utf8');
      expect(text.match(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g)).toBeNull();
      for (const id of [...userIds, ...ipPrefixes]) expect(text).not.toContain(id);
    }
  });

  it('reports one stage with --stage', async () => {
    const out = join(dir, 'one');
    const { code, out: lines } = await stagewise('report', '--db', db, '--plan', planFile, '--stage', 'stage-2', '--out', out);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    const page = await readFile(join(out, 'index.html'), 'utf8');
    expect(page).not.toContain('<h3>stage-1</h3>');
    expect(page).not.toContain('d-0001');
  });

  it('fails with one line for a stage the plan does not have', async () => {
    const { code, err } = await stagewise('report', '--db', db, '--plan', planFile, '--stage', 'stage-9', '--out', join(dir, 'x'));
    expect(code).toBe(1);
    expect(err).toEqual(['error: plan Auth0 to Keycloak, EU tenants first has no stage stage-9; its stages are stage-1, stage-2, stage-3']);
  });

  it('fails with one line when the stage has not been evaluated', async () => {
    const { code, err } = await stagewise('report', '--db', db, '--plan', planFile, '--stage', 'stage-3', '--out', join(dir, 'x'));
    expect(code).toBe(1);
    expect(err).toEqual(["error: no evaluation of stage-3 in the store: run 'stagewise evaluate' first"]);
  });

  it('rejects --stage together with --all', async () => {
    const { code, err } = await stagewise('report', '--db', db, '--plan', planFile, '--stage', 'stage-2', '--all', '--out', join(dir, 'x'));
    expect(code).toBe(1);
    expect(err).toEqual(['error: give --stage NAME or --all, not both']);
  });

  it('refuses --post-rollout when no post-rollout run is stored, naming the command that makes one', async () => {
    const { code, err } = await stagewise('report', '--db', db, '--plan', planFile, '--post-rollout', '--out', join(dir, 'pr-none'));
    expect(code).toBe(1);
    expect(err).toEqual([`error: no post-rollout run of plan ${PLAN.name} in ${db}: run 'stagewise post-rollout' first`]);
  });

  it('adds the latest post-rollout run of the plan with --post-rollout, escaped, and keeps it in evaluation.json', async () => {
    const check = checkPlan(PLAN);
    if (!check.ok) throw new Error(check.problems.join('; '));
    const document = {
      planHash: check.plan.hash,
      baselineId: 'bs-20261019-7f3a2c',
      window: { start: '2026-10-28T00:00:00Z', end: '2026-11-04T00:00:00Z' },
      holdbackShare: 0,
      results: [],
      notes: ['<b>hunt</b> examined 412 combinations'],
    };
    await withStore(db, {}, async ({ connection }) => {
      await run(connection, sql`
        INSERT INTO post_rollout_runs VALUES ('pr-1', '2026-11-04T06:15:00Z', ${check.plan.hash}, 'bs-20261019-7f3a2c',
          '2026-10-28T00:00:00Z', '2026-11-04T00:00:00Z', 'projected_baseline', '{}'::JSON, 412, 300, 112, 0, 0, ${JSON.stringify(document)}::JSON)`);
    });
    const out = join(dir, 'post');
    const { code, err } = await stagewise('report', '--db', db, '--plan', planFile, '--post-rollout', '--out', out);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const page = await readFile(join(out, 'index.html'), 'utf8');
    expect(page).toContain('id="post-rollout"');
    expect(page).toContain('&lt;b&gt;hunt&lt;/b&gt; examined 412 combinations');
    const data = JSON.parse(await readFile(join(out, 'evaluation.json'), 'utf8')) as { post_rollout: { trend: unknown[] } };
    expect(data.post_rollout.trend).toHaveLength(1);
  });
});
