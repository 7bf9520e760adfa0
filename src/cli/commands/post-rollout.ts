import { writeFile } from 'node:fs/promises';
import { UserError, firstLine } from '../../errors.js';
import { readPlan } from '../../plan/read-plan.js';
import { runPostRollout } from '../../post-rollout/run-post-rollout.js';
import { resultKey, type PostRolloutSection } from '../../post-rollout/section.js';
import { withStore } from '../../store/open.js';
import type { RegisterCommand } from '../context.js';
import { DEFAULT_DB, parseInstant } from '../options.js';

interface PostRolloutCliOptions {
  db: string;
  plan: string;
  since?: Date;
  at?: Date;
  baseline?: string;
  json?: string;
}

/** Exit status when a run finds a regression (as `stagewise evaluate`). */
const REGRESSION_EXIT = 3;

/**
 * `stagewise post-rollout`: one scheduled run after the rollout reached 100%. Exit status 0
 * nothing found, 3 a regression found (planned cohort or hunted combination), 1 bad input.
 */
export const registerPostRollout: RegisterCommand = (cli, context) => {
  cli
    .command('post-rollout')
    .description('judge the weeks after 100%: planned cohorts against their projected baseline (or holdback) and a hunt for rare regressions; run it daily')
    .option('--db <file>', 'the store', DEFAULT_DB)
    .requiredOption('--plan <file>', 'the rollout plan (JSON or YAML)')
    .option('--since <time>', 'start of the window (default: the rollout end)', parseInstant)
    .option('--at <time>', 'end of the window and name of the run (default: now, to the hour)', parseInstant)
    .option('--baseline <id>', 'baseline snapshot id (default: the newest)')
    .option('--json <file>', 'also write the run as stagewise.post-rollout/v1 JSON')
    .action(async (options: PostRolloutCliOptions) => {
      const plan = await readPlan(options.plan);
      const now = new Date();
      const at = options.at ?? new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      const { section, alreadyRecorded } = await withStore(options.db, context.store, ({ connection }) =>
        runPostRollout(connection, plan, {
          at, now,
          ...(options.since ? { since: options.since } : {}),
          ...(options.baseline ? { baselineId: options.baseline } : {}),
        }),
      );
      if (options.json) {
        try {
          await writeFile(options.json, `${JSON.stringify(section, null, 2)}\n`);
        } catch (error) {
          throw new UserError(`cannot write ${options.json}: ${firstLine(error)}`, 1, { cause: error });
        }
      }
      for (const line of summary(section, alreadyRecorded)) console.log(line);
      if (section.regressions > 0) context.exitCode = REGRESSION_EXIT;
    });
};

function summary(section: PostRolloutSection, alreadyRecorded: boolean): string[] {
  const fmt = (p: number | null) => (p === null ? '–' : p.toPrecision(2));
  const regressions = section.results.filter((r) => r.verdict === 'regression');
  return [
    `${section.runId}: ${section.window.start} to ${section.window.end}, ${section.design}${alreadyRecorded ? ' (already recorded: nothing changed)' : ''}`,
    ...section.notes,
    ...regressions.map((r) => `REGRESSION planned ${cohortText(r.cohort)} ${r.metric}: effect ${r.effect?.toPrecision(3)}, p ${fmt(r.p_value)}, adjusted ${fmt(r.p_adjusted)}${section.newSinceLastRun.includes(resultKey(r)) ? ' (new)' : ''}`),
    ...section.hunt.findings.map((f) =>
      f.regression
        ? `REGRESSION ${f.kind} ${cohortText(f.cohort)} ${f.metric}: ${f.x} in ${f.n} (expected ${f.expected.toFixed(1)}), p ${fmt(f.p)}, adjusted ${fmt(f.pAdjusted)}${f.isNew ? ' (new)' : ''}`
        : `new value ${cohortText(f.cohort)}: ${f.x} failures in ${f.n} attempts${f.isNew ? ' (new)' : ''}`,
    ),
  ];
}

const cohortText = (cohort: Record<string, string | undefined>): string =>
  Object.entries(cohort).map(([k, v]) => `${k}=${v}`).join(',') || 'everyone';
