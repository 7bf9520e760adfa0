import type { CohortResult, Evaluation } from '../../types.js';
import { cohortName, effectDigits, formatCi, formatCount, formatEffect, formatLevel, formatP, formatSize, formatValue } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';
import { byConcern } from '../notable.js';
import { slug } from '../slug.js';

/** Short names for the comparison designs; the Method section spells them out. */
export const DESIGN_LABEL: Record<CohortResult['design'], string> = {
  within_cohort_split: 'split',
  difference_in_differences: 'diff-in-diff',
  baseline_projection: 'projection',
  shadow_paired: 'shadow pairs',
};

/** `data-effect` only orders rows, so six significant digits are plenty (evaluation.json keeps full precision). */
const sortKey = (effect: number | null) => (effect === null ? '' : String(Number(effect.toPrecision(6))));

function row(result: CohortResult): Html {
  const note = result.note ? html`<br><small>${result.note}</small>` : '';
  const accepted = result.accepted ? html`<br><small>accepted by ${result.accepted.operator}</small>` : '';
  const p = (value: number | null) => (value === null ? '—' : formatP(value));
  // Column classes come from the stylesheet (nth-child), which keeps 5,000-row tables small.
  return html`<tr class="v-${result.verdict}" data-effect="${sortKey(result.effect)}"><td>${cohortName(result.cohort)}</td><td>${result.verdict.replace('_', ' ')}${accepted}${note}</td><td>${formatValue(result.metric, result.observed)}</td><td>${formatValue(result.metric, result.expected)}</td><td>${formatEffect(result.metric, result.effect, true, effectDigits(result.ci))}</td><td>${formatCi(result.metric, result.ci)}</td><td>${p(result.p_value)}</td><td>${p(result.p_adjusted)}</td><td>${DESIGN_LABEL[result.design]}</td><td>${formatCount(result.n)} / ${formatCount(result.n_control)}</td></tr>\n`;
}

function metricTable(evaluation: Evaluation, metric: string, results: readonly CohortResult[]): Html {
  const first = results[0];
  const tolerance = first ? formatSize(metric, first.tolerance) : '—';
  const regressions = results.filter((r) => r.verdict === 'regression').length;
  return html`<div class="table-wrap"><table class="results sortable" id="${slug('results', evaluation.stage, metric)}">
<caption>${evaluation.stage}: ${metricLabel(metric)}: ${formatCount(results.length)} cohorts, ${formatCount(regressions)} regressed; tolerance ${tolerance}</caption>
<thead><tr><th scope="col">Cohort</th><th scope="col">Verdict</th><th scope="col">Observed</th><th scope="col">Expected</th><th scope="col" data-sort="effect">Effect</th><th scope="col">${formatLevel(evaluation.alpha)} CI</th><th scope="col">p</th><th scope="col">adj. p</th><th scope="col">Design</th><th scope="col">n cand. / ctrl.</th></tr></thead>
<tbody>
${results.map(row)}</tbody>
</table></div>`;
}

/** Metrics in the order tables appear: those with a regression first, then plan order, then by name. */
function metricOrder(results: readonly CohortResult[], planOrder: readonly string[]): string[] {
  const rank = (metric: string) => {
    const i = planOrder.indexOf(metric);
    return i === -1 ? planOrder.length : i;
  };
  const regressed = (metric: string) => (results.some((r) => r.metric === metric && r.verdict === 'regression') ? 0 : 1);
  return [...new Set(results.map((r) => r.metric))].sort((a, b) => regressed(a) - regressed(b) || rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Section 2: every cohort × metric per stage, one table per metric (units agree within a
 * table); tables with a regression first, and within a table regressions first.
 */
export function resultsSection(evaluations: readonly Evaluation[], planOrder: readonly string[]): Html {
  const stages = evaluations.map((evaluation) => {
    const sorted = [...evaluation.results].sort(byConcern);
    const metrics = metricOrder(sorted, planOrder);
    return html`<h3>${evaluation.stage}</h3>
${metrics.map((metric) => metricTable(evaluation, metric, sorted.filter((r) => r.metric === metric)))}`;
  });
  return html`<section id="results">
<h2>2. Cohort results</h2>
<p>Effects are candidate minus expected: percentage points (pp) for rates, relative change for latency. Intervals are always-valid
confidence sequences; adjusted p is Benjamini–Hochberg across the evaluation. Rows start with regressions; the Effect column sorts when script runs.</p>
${stages}
</section>`;
}
