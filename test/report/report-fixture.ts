import { readFileSync } from 'node:fs';
import type { ReportInput, ReportPlanSummary } from '../../src/report/report-input.js';
import type { BaselineSnapshot, CohortSeries, Decision, Evaluation, StagePlanRow } from '../../src/types.js';

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/report/${name}`, import.meta.url), 'utf8')) as T;

/** The hand-made report input in test/fixtures/report: two evaluated stages, t012 regressing in stage-2. */
export function fixtureInput(): ReportInput {
  const baseline = read<Record<keyof BaselineSnapshot, string | number>>('baseline.json');
  return {
    plan: read<ReportPlanSummary>('plan-summary.json'),
    evaluations: [read<Evaluation>('evaluation-stage-1.json'), read<Evaluation>('evaluation-stage-2.json')],
    decisions: read<Decision[]>('decisions.json'),
    stagePlan: read<StagePlanRow[]>('stage-plan.json'),
    series: read<CohortSeries[]>('series.json'),
    baseline: {
      ...(baseline as unknown as BaselineSnapshot),
      createdAt: new Date(String(baseline.createdAt)),
      dataFrom: new Date(String(baseline.dataFrom)),
      dataTo: new Date(String(baseline.dataTo)),
    },
    generatedAt: '2026-10-23T19:00:00.000Z',
    toolkitVersion: '0.1.0',
  };
}

/** Values a report must never contain: pseudonymised user ids and IP prefixes behind the fixture. */
export function forbiddenIdentifiers(): { userIds: string[]; ipPrefixes: string[] } {
  return read('pseudonymised-ids.json');
}
