import { createHash } from 'node:crypto';
import { instant } from '../baseline/aggregate.js';
import { sql, type Sql } from '../store/sql.js';
import type { PostRolloutSection } from './section.js';

/** The run id: sha256 of plan hash, baseline id and the `--at` instant, so a re-run for the same `--at` is the same run. */
export function postRolloutRunId(planHash: string, baselineId: string, at: Date): string {
  return `pr-${createHash('sha256').update(`${planHash}|${baselineId}|${at.toISOString()}`).digest('hex').slice(0, 16)}`;
}

/** The stored document of one run, if recorded. */
export function runDocument(runId: string): Sql {
  return sql`SELECT document::VARCHAR AS document FROM post_rollout_runs WHERE run_id = ${runId}`;
}

/** The latest run (by `--at`), optionally of one plan. */
export function latestRunDocument(planHash?: string): Sql {
  const where = planHash === undefined ? sql`TRUE` : sql`plan_hash = ${planHash}`;
  return sql`SELECT document::VARCHAR AS document FROM post_rollout_runs WHERE ${where} ORDER BY window_end DESC, created_at DESC LIMIT 1`;
}

/** One row of `runHistory`. */
export interface RunHistoryRow {
  run_id: string;
  at: string;
  findings: number;
  new_findings: number;
}

/** Runs of a plan and baseline with `at` before the given instant (inclusive when `inclusive`), oldest first. */
export function runHistory(planHash: string, baselineId: string, before: Date, inclusive = false): Sql {
  const bound = inclusive ? sql`window_end <= ${instant(before)}` : sql`window_end < ${instant(before)}`;
  return sql`
    SELECT run_id, strftime(window_end AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS at, findings, new_findings
    FROM post_rollout_runs WHERE plan_hash = ${planHash} AND baseline_id = ${baselineId} AND ${bound}
    ORDER BY window_end, run_id`;
}

/** The finding keys of a run. */
export function runFindingKeys(runId: string): Sql {
  return sql`SELECT finding_key FROM post_rollout_findings WHERE run_id = ${runId} ORDER BY finding_key`;
}

/** Inserts a run; a run id already present is left as it is. */
export function insertRun(section: PostRolloutSection, windowStart: Date, at: Date, inputs: unknown): Sql {
  const findings = section.trend[section.trend.length - 1]?.findings ?? 0;
  return sql`
    INSERT INTO post_rollout_runs VALUES (${section.runId}, ${section.createdAt}::TIMESTAMPTZ, ${section.planHash}, ${section.baselineId},
      ${instant(windowStart)}, ${instant(at)}, ${section.design}, ${JSON.stringify(inputs)}::JSON,
      ${section.hunt.examined}, ${section.hunt.eligible}, ${section.hunt.ineligible},
      ${findings}, ${section.newSinceLastRun.length}, ${JSON.stringify(section)}::JSON)
    ON CONFLICT DO NOTHING`;
}

/** A finding row of `post_rollout_findings`. */
export interface FindingRow {
  key: string;
  kind: string;
  cohortKey: string;
  metric: string;
  regression: boolean;
  isNew: boolean;
  n: number | null;
  x: number | null;
  expected: number | null;
  effect: number | null;
  p: number | null;
  pAdjusted: number | null;
}

/** Inserts one finding of a run; an existing (run, key) is left as it is. */
export function insertFinding(runId: string, f: FindingRow): Sql {
  return sql`
    INSERT INTO post_rollout_findings VALUES (${runId}, ${f.key}, ${f.kind}, ${f.cohortKey}, ${f.metric}, ${f.regression}, ${f.isNew},
      ${f.n}, ${f.x}, ${f.expected}, ${f.effect}, ${f.p}, ${f.pAdjusted})
    ON CONFLICT DO NOTHING`;
}
