import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../store/query.js';
import { latestRunDocument, runDocument, runHistory, type RunHistoryRow } from './run-sql.js';
import type { PostRolloutSection } from './section.js';

/**
 * The post-rollout section for the report: the run named, or the latest run (of `planHash` when
 * given), with its trend refreshed from every run of the same plan and baseline up to it. `null`
 * when the store has no post-rollout run: the report then leaves the section out.
 */
export async function loadPostRolloutSection(
  connection: DuckDBConnection,
  options: { runId?: string; planHash?: string } = {},
): Promise<PostRolloutSection | null> {
  const query = options.runId === undefined ? latestRunDocument(options.planHash) : runDocument(options.runId);
  const [row] = await all<{ document: string }>(connection, query);
  if (!row) return null;
  // Trust boundary: documents are written only by runPostRollout as PostRolloutSection JSON.
  const section = JSON.parse(row.document) as PostRolloutSection;
  const history = await all<RunHistoryRow>(connection, runHistory(section.planHash, section.baselineId, new Date(section.window.end), true));
  return {
    ...section,
    trend: history.map((h) => ({ runId: h.run_id, at: h.at, findings: h.findings, newFindings: h.new_findings })),
  };
}
