import type { CohortResult, Evaluation } from '../../types.js';
import { cohortName, effectDigits, formatCi, formatCount, formatEffect, formatLevel, formatP, formatSize, formatValue } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';
import { byConcern } from '../notable.js';
import { slug } from '../slug.js';
import { groupBy } from '../../group-by.js';

/** Short names for the comparison designs; the Method section spells them out. */
export const DESIGN_LABEL: Record<CohortResult['design'], string> = {
  within_cohort_split: 'split',
  difference_in_differences: 'diff-in-diff',
  baseline_projection: 'projection',
  shadow_paired: 'shadow pairs',
};

/**
 * A result's row. `shared` numbers the notes several rows of the table carry (a stage past 100%
 * gives hundreds of results the same note): those rows cite the note, written once under the table.
 */
function row(result: CohortResult, shared: ReadonlyMap<string, number>): Html {
  const cited = result.note ? shared.get(result.note) : undefined;
  const note = !result.note ? '' : cited ? html`<br><small>note ${cited}</small>` : html`<br><small>${result.note}</small>`;
  const accepted = result.accepted ? html`<br><small>accepted by ${result.accepted.operator}</small>` : '';
  const p = (value: number | null) => (value === null ? '—' : formatP(value));
  // Column classes come from the stylesheet (nth-child), and cells and rows leave out their end
  // tags (optional in HTML: a cell ends at the next cell, a row at the next row), which keeps
  // 5,000-row tables small.
  return html`<tr class="v-${result.verdict}"><td>${cohortName(result.cohort)}<td>${result.verdict.replace('_', ' ')}${accepted}${note}<td>${formatValue(result.metric, result.observed)}<td>${formatValue(result.metric, result.expected)}<td>${formatEffect(result.metric, result.effect, true, effectDigits(result.ci))}<td>${formatCi(result.metric, result.ci)}<td>${p(result.p_value)}<td>${p(result.p_adjusted)}<td>${DESIGN_LABEL[result.design]}<td>${formatCount(result.n)} / ${formatCount(result.n_control)}\n`;
}

/**
 * Results a stage could not test (`insufficient_data`): no effect, interval or p, so a full row
 * would be mostly dashes. Each is listed compactly with its sample sizes; its note (how much data
 * it needs) stays in evaluation.json, as every other field does.
 */
function insufficientList(results: readonly CohortResult[], judged: number): Html {
  if (results.length === 0) return html``;
  // Grouped by the cohort's dimensions, so each entry names only its values: `t006 × pingfed-saml (9 / 60)`.
  const groups = groupBy(
    results,
    (r) => Object.keys(r.cohort).filter((k) => r.cohort[k as keyof typeof r.cohort] !== undefined).join(' × ') || 'everyone',
    (r) => `${Object.values(r.cohort).filter((v) => v !== undefined).join(' × ') || 'everyone'} (${formatCount(r.n)} / ${formatCount(r.n_control)})`,
  );
  const items = [...groups].map(([key, entries]) => html`<li><strong>${key}</strong> (${formatCount(entries.length)}): ${entries.join(', ')}</li>`);
  return html`<p class="insufficient">${judged ? 'Also ' : ''}${formatCount(results.length)} ${results.length === 1 ? 'cohort' : 'cohorts'} with too little data to test (insufficient data), with n candidate / control; each result's note on the data it needs is in <code>evaluation.json</code>:</p>
<ul class="cohort-list">${items}</ul>`;
}

/**
 * Earlier stages' quiet results (`pass`, `inconclusive`): the latest stage shows them in full, earlier
 * stages list them compactly with their effect, the full rows being in evaluation.json.
 */
function quietList(results: readonly CohortResult[], metric: string): Html {
  if (results.length === 0) return html``;
  const entries = results.map((r) => `${cohortName(r.cohort)} ${r.verdict === 'pass' ? 'pass' : '?'} ${formatEffect(metric, r.effect, true, effectDigits(r.ci))}`);
  return html`<p class="insufficient">${formatCount(results.length)} more ${results.length === 1 ? 'result' : 'results'} of this earlier stage passed (within tolerance) or were inconclusive (?), with their effects; full rows in <code>evaluation.json</code>:</p>
<p class="cohort-list">${entries.join('; ')}</p>`;
}

function metricTable(evaluation: Evaluation, metric: string, results: readonly CohortResult[], latest: boolean): Html {
  const first = results[0];
  const tolerance = first ? formatSize(metric, first.tolerance) : '—';
  const regressions = results.filter((r) => r.verdict === 'regression').length;
  const tested = results.filter((r) => r.verdict !== 'insufficient_data');
  const quiet = latest ? [] : tested.filter((r) => r.verdict === 'pass' || r.verdict === 'inconclusive');
  const judged = latest ? tested : tested.filter((r) => r.verdict !== 'pass' && r.verdict !== 'inconclusive');
  const insufficient = results.filter((r) => r.verdict === 'insufficient_data');
  const id = slug('results', evaluation.stage, metric);
  const noteCounts = new Map<string, number>();
  for (const r of judged) if (r.note) noteCounts.set(r.note, (noteCounts.get(r.note) ?? 0) + 1);
  const shared = new Map([...noteCounts].filter(([, n]) => n > 1).map(([note], i) => [note, i + 1]));
  const notes = shared.size
    ? html`<ol class="notes">${[...shared.keys()].map((note) => html`<li>${note} (${formatCount(noteCounts.get(note) ?? 0)} results)</li>`)}</ol>`
    : '';
  const untested = insufficient.length ? `, ${formatCount(insufficient.length)} with too little data to test` : '';
  const caption = `${evaluation.stage}: ${metricLabel(metric)}: ${formatCount(results.length)} cohorts, ${formatCount(regressions)} regressed${untested}; tolerance ${tolerance}`;
  if (judged.length === 0) {
    return html`<div class="metric-results"><p class="caption" id="${id}">${caption}</p>
${quietList(quiet, metric)}
${insufficientList(insufficient, quiet.length)}</div>`;
  }
  return html`<div class="metric-results"><div class="table-wrap"><table class="results sortable" id="${id}">
<caption>${caption}</caption>
<thead><tr><th scope="col">Cohort</th><th scope="col">Verdict</th><th scope="col">Observed</th><th scope="col">Expected</th><th scope="col" data-sort="effect">Effect</th><th scope="col">${formatLevel(evaluation.alpha)} CI</th><th scope="col">p</th><th scope="col">adj. p</th><th scope="col">Design</th><th scope="col">n cand. / ctrl.</th></tr></thead>
<tbody>
${judged.map((r) => row(r, shared))}</tbody>
</table></div>
${notes}
${quietList(quiet, metric)}
${insufficientList(insufficient, judged.length)}</div>`;
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
  const stages = evaluations.map((evaluation, i) => {
    const sorted = [...evaluation.results].sort(byConcern);
    const metrics = metricOrder(sorted, planOrder);
    const latest = i === evaluations.length - 1;
    return html`<h3>${evaluation.stage}</h3>
${metrics.map((metric) => metricTable(evaluation, metric, sorted.filter((r) => r.metric === metric), latest))}`;
  });
  return html`<section id="results">
<h2>2. Cohort results</h2>
<p>Effects are candidate minus expected: percentage points (pp) for rates, relative change for latency. Intervals are always-valid
confidence sequences; adjusted p is Benjamini–Hochberg across the evaluation. Rows start with regressions; the Effect column sorts when script runs.
Cohorts with too little data to test are listed under each table with their sample sizes, and so are earlier stages' passing and inconclusive results with their effects (the latest stage shows every tested result in full); <code>evaluation.json</code> beside this page holds every result at full precision.</p>
${stages}
</section>`;
}
