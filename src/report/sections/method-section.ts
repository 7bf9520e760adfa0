import type { BaselineSnapshot, Evaluation } from '../../types.js';
import { formatCount, formatInstant, formatLevel } from '../format.js';
import { html, type Html } from '../html.js';
import type { ReportPlanSummary } from '../report-input.js';
import { DESIGN_LABEL } from './results-section.js';

const DESIGN_TEXT: Record<keyof typeof DESIGN_LABEL, string> = {
  within_cohort_split: 'both providers served the cohort in the window; candidate compared with legacy directly',
  difference_in_differences: 'the cohort moved whole; its projected baseline corrected by the drift of concurrent legacy traffic',
  baseline_projection: 'the cohort’s own baseline projected into the window, without a concurrent control',
  shadow_paired: 'the same login sent to both providers; paired outcomes compared',
};

function baselineLine(baseline: BaselineSnapshot | null): Html {
  if (!baseline) return html`<li>Baseline snapshot: not available in the store.</li>`;
  return html`<li>Baseline snapshot <code>${baseline.snapshotId}</code>, created ${formatInstant(baseline.createdAt.toISOString())}: data ${formatInstant(baseline.dataFrom.toISOString())} to ${formatInstant(baseline.dataTo.toISOString())}, ${formatCount(baseline.events)} events, ${formatCount(baseline.cohorts)} cohorts (toolkit ${baseline.toolkitVersion}).</li>`;
}

/**
 * Each test the results name, with per-result detail (parentheses, look counts, design effects)
 * generalised so one test is one line, and how many results used it.
 */
export function testCounts(evaluations: readonly Evaluation[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of evaluations.flatMap((e) => e.results)) {
    const test = r.method.replace(/\s*\([^)]*\)/g, '').replace(/\d+(\.\d+)?(e-?\d+)?/g, 'n').trim() || 'no test (too little data)';
    counts.set(test, (counts.get(test) ?? 0) + 1);
  }
  return [...counts.entries()];
}

/** Section 7: how the numbers were made, so they can be reproduced. */
export function methodSection(plan: ReportPlanSummary, evaluations: readonly Evaluation[], baseline: BaselineSnapshot | null, generatedAt: string, toolkitVersion: string): Html {
  const designs = [...new Set(evaluations.flatMap((e) => e.results.map((r) => r.design)))];
  const tests = testCounts(evaluations);
  const stages = evaluations.map(
    (e) => html`<li>${e.stage}: window ${formatInstant(e.window.start)} to ${formatInstant(e.window.end)}; α = ${e.alpha} (${formatLevel(e.alpha)} intervals); sequential tuning: ${e.sequential.method}, tuned at ${e.sequential.tuned_at}${e.sequential.note ? ` (${e.sequential.note})` : ''}; baseline <code>${e.baseline_id}</code>; evaluation <code>${e.evaluation_id}</code> by toolkit ${e.toolkit_version}.</li>`,
  );
  return html`<section id="method">
<h2>7. Method</h2>
<h3>Designs</h3>
<ul>${designs.map((d) => html`<li><strong>${DESIGN_LABEL[d]}</strong>: ${DESIGN_TEXT[d]}.</li>`)}</ul>
<h3>Tests</h3>
<ul>${tests.map(([test, n]) => html`<li>${test}: ${formatCount(n)} ${n === 1 ? 'result' : 'results'}</li>`)}</ul>
<p>Verdicts control the false discovery rate at α across all results of an evaluation (Benjamini–Hochberg); intervals and p-values are always valid, so hourly looks do not inflate false alarms.</p>
<h3>Provenance</h3>
<ul>
<li>Plan <strong>${plan.name}</strong>, hash <code>${plan.hash}</code>; α = ${plan.alpha}, power = ${plan.power}.</li>
${baselineLine(baseline)}
${stages}
<li>Report generated ${formatInstant(generatedAt)} by stagewise ${toolkitVersion}. Full-precision numbers are in <code>evaluation.json</code> beside this file: every result with its note (<code>evaluations</code>), the MDE of every cohort × metric × stage (<code>stage_plan</code>), the flagged series (<code>series</code>) and each chart's vega-lite spec (<code>charts</code>), which this page does not embed: it carries the charts as SVG.</li>
</ul>
</section>`;
}
