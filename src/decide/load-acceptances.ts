import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../store/query.js';
import type { Decision, Evaluation } from '../types.js';
import type { Acceptance } from './accepted.js';
import { sameCohort } from './decision.js';
import { acceptDecisions, type DecisionRow } from './decision-sql.js';

/** Every accepted result with the evidence the operator saw (the result as it was in the referenced evaluation). */
export async function loadAcceptances(connection: DuckDBConnection): Promise<Acceptance[]> {
  const rows = await all<DecisionRow & { document: string }>(connection, acceptDecisions());
  const acceptances: Acceptance[] = [];
  for (const row of rows) {
    const document = JSON.parse(row.document) as Evaluation;
    const decision: Decision = { ...row, results: JSON.parse(row.results) as Decision['results'] };
    for (const ref of decision.results) {
      const evidence = document.results.find((r) => r.metric === ref.metric && sameCohort(r.cohort, ref.cohort));
      if (evidence) acceptances.push({ decision, evidence });
    }
  }
  return acceptances;
}
