import { Option } from 'commander';
import { ACTIONS, decisionId, parseResultRef, sameCohort, type ResultRef } from '../../decide/decision.js';
import { evaluationDocument, insertDecision, listDecisions, type DecisionRow } from '../../decide/decision-sql.js';
import { UserError } from '../../errors.js';
import { withStore } from '../../store/open.js';
import { all, run } from '../../store/query.js';
import type { Decision, Evaluation } from '../../types.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB } from '../options.js';

interface DecideOptions {
  db: string;
  evaluation: string;
  stage?: string;
  action: Decision['action'];
  operator: string;
  reason: string;
  result: string[];
}

/** `stagewise decide`: records an operator's judgment about an evaluation (append-only). */
export const registerDecide: RegisterCommand = (cli, context) => {
  cli
    .command('decide')
    .description('record an operator decision (accept, escalate, scope-down, rollback, expand, hold) about an evaluation')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .option('--evaluation <id>', "the evaluation the decision rests on, or 'latest' (of --stage)", 'latest')
    .option('--stage <name>', "with --evaluation latest: the stage")
    .addOption(new Option('--action <action>', 'what was decided').choices(ACTIONS).makeOptionMandatory())
    .requiredOption('--operator <name>', 'who decided')
    .requiredOption('--reason <text>', 'why, in a sentence')
    .option('--result <cohort:metric>', "a result the decision refers to, e.g. 'tenant=t012:success_rate' (repeatable)", collect, [])
    .action(async (options: DecideOptions) => {
      await withStore(options.db, context.store, async ({ connection }) => {
        const [row] = await all<{ evaluation_id: string; stage: string; document: string }>(
          connection,
          evaluationDocument(options.evaluation, options.stage),
        );
        if (!row) {
          const which = options.evaluation === 'latest' ? `no evaluation${options.stage ? ` of stage ${options.stage}` : ''}` : `no evaluation ${options.evaluation}`;
          throw new UserError(`${which} in ${options.db}: run 'stagewise evaluate' first`);
        }
        const document = JSON.parse(row.document) as Evaluation;
        const refs = options.result.map(parseRef);
        checkRefs(refs, document, options.action);
        const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const content = {
          operator: options.operator,
          action: options.action,
          reason: options.reason,
          evaluation_id: row.evaluation_id,
          stage: row.stage,
          results: refs,
        };
        const decision: Decision = { decision_id: decisionId(content), created_at: created, ...content };
        await run(connection, insertDecision(decision));
        console.log(`${decision.decision_id}: ${decision.operator} ${decision.action} on ${row.stage} (${row.evaluation_id}), ${refs.length} result(s)`);
      });
    });
};

/** `stagewise decisions`: lists the decision log. */
export const registerDecisions: RegisterCommand = (cli, context) => {
  cli
    .command('decisions')
    .description('list the operator decision log, oldest first')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .option('--stage <name>', 'only decisions about this stage')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { db: string; stage?: string; json?: boolean }) => {
      await withStore(options.db, { ...context.store, readOnly: true }, async ({ connection }) => {
        const rows = await all<DecisionRow>(connection, listDecisions(options.stage));
        const decisions: Decision[] = rows.map((r) => ({ ...r, results: JSON.parse(r.results) as Decision['results'] }));
        if (options.json) {
          console.log(JSON.stringify(decisions, null, 2));
          return;
        }
        if (decisions.length === 0) console.log('no decisions recorded');
        for (const d of decisions) {
          const refs = d.results.map(formatRef).join('; ') || 'the whole stage';
          console.log(`${d.created_at}  ${d.stage}  ${d.action.padEnd(10)} ${d.operator}: ${d.reason}  [${refs}] (${d.evaluation_id}, ${d.decision_id})`);
        }
      });
    });
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseRef(text: string): ResultRef {
  try {
    return parseResultRef(text);
  } catch (error) {
    throw new UserError(`--result ${(error as Error).message}`);
  }
}

function checkRefs(refs: readonly ResultRef[], document: Evaluation, action: Decision['action']): void {
  if (action === 'accept' && refs.length === 0) {
    throw new UserError("--action accept needs at least one --result naming the regression accepted, e.g. --result 'tenant=t012:success_rate'");
  }
  for (const ref of refs) {
    const result = document.results.find((r) => r.metric === ref.metric && sameCohort(r.cohort, ref.cohort));
    if (!result) throw new UserError(`evaluation ${document.evaluation_id} has no result ${formatRef(ref)}`);
    if (action === 'accept' && result.verdict !== 'regression') {
      throw new UserError(`${formatRef(ref)} is ${result.verdict}, not a regression: only regressions can be accepted`);
    }
  }
}

function formatRef(ref: ResultRef): string {
  const cohort = Object.entries(ref.cohort).map(([k, v]) => `${k}=${v}`).join(',');
  return `${cohort}:${ref.metric}`;
}
