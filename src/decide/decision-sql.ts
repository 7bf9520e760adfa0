import type { Decision } from '../types.js';
import { sql, type Sql } from '../store/sql.js';

/** Inserts a decision; a decision with the same content-derived id is already there, so nothing changes. */
export function insertDecision(decision: Decision): Sql {
  return sql`
    INSERT INTO decisions (decision_id, created_at, operator, action, reason, evaluation_id, stage, results)
    VALUES (${decision.decision_id}, ${decision.created_at}::TIMESTAMPTZ, ${decision.operator}, ${decision.action},
            ${decision.reason}, ${decision.evaluation_id}, ${decision.stage}, ${JSON.stringify(decision.results)}::JSON)
    ON CONFLICT (decision_id) DO NOTHING`;
}

/** Decisions, oldest first, optionally for one stage; columns named as `DecisionRow`. */
export function listDecisions(stage?: string): Sql {
  const where = stage === undefined ? sql`` : sql`WHERE stage = ${stage}`;
  return sql`
    SELECT decision_id, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS created_at, operator, action, reason,
           evaluation_id, stage, results::VARCHAR AS results
    FROM decisions ${where}
    ORDER BY created_at, decision_id`;
}

/** A decision as stored, with `results` still JSON text. */
export interface DecisionRow extends Omit<Decision, 'results'> {
  results: string;
}

/** The evaluation document with this id, or the latest one of `stage` when the id is 'latest'. */
export function evaluationDocument(evaluationId: string, stage?: string): Sql {
  if (evaluationId !== 'latest') {
    return sql`SELECT evaluation_id, stage, document::VARCHAR AS document FROM evaluations WHERE evaluation_id = ${evaluationId}`;
  }
  const where = stage === undefined ? sql`` : sql`WHERE stage = ${stage}`;
  return sql`
    SELECT evaluation_id, stage, document::VARCHAR AS document FROM evaluations ${where}
    ORDER BY created_at DESC, evaluation_id DESC LIMIT 1`;
}

/** Every `accept` decision with the document of the evaluation it refers to. */
export function acceptDecisions(): Sql {
  return sql`
    SELECT d.decision_id, strftime(d.created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS created_at, d.operator, d.action,
           d.reason, d.evaluation_id, d.stage, d.results::VARCHAR AS results, e.document::VARCHAR AS document
    FROM decisions d JOIN evaluations e USING (evaluation_id)
    WHERE d.action = 'accept'
    ORDER BY d.created_at, d.decision_id`;
}
