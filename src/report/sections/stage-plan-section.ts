import type { StagePlanRow } from '../../types.js';
import { cohortKey, cohortName, formatCount, formatSize } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';
import { groupBy } from '../../group-by.js';

/**
 * Up to this many cohort × metric rows the section shows the full MDE table; above it (a real
 * plan has hundreds), counts per stage × metric and the undetectable cohorts grouped by the stages
 * that cannot judge them. Every row stays in evaluation.json (`stage_plan`) at full precision.
 */
export const STAGE_PLAN_TABLE_ROWS = 60;
/** Cohort × stage names shown per piece of advice, and pieces of advice shown; the rest are counted. */
const ADVICE_NAMES = 3;
const ADVICE_LINES = 20;

/** The plan's rows grouped per cohort × metric (in first-seen order), keyed by stage. */
function byCohortMetric(rows: readonly StagePlanRow[]): Map<string, StagePlanRow>[] {
  const byRow = new Map<string, Map<string, StagePlanRow>>();
  for (const r of rows) {
    const key = `${cohortKey(r.cohort)}#${r.metric}`;
    const cells = byRow.get(key) ?? new Map<string, StagePlanRow>();
    cells.set(r.stage, r);
    byRow.set(key, cells);
  }
  return [...byRow.values()];
}

function fullTable(groups: readonly Map<string, StagePlanRow>[], stages: readonly string[]): Html {
  const body = groups.map((cells) => {
    const any = [...cells.values()][0] as StagePlanRow;
    const tds = stages.map((s) => {
      const cell = cells.get(s);
      if (!cell) return html`<td>—</td>`;
      return cell.detectable ? html`<td>${formatSize(cell.metric, cell.mde_sequential)} ✓</td>` : html`<td class="weak">${formatSize(cell.metric, cell.mde_sequential)} ✗</td>`;
    });
    return html`<tr><td>${cohortName(any.cohort)}</td><td>${metricLabel(any.metric)}</td><td>${formatSize(any.metric, any.tolerance)}</td>${tds}</tr>\n`;
  });
  return html`<div class="table-wrap"><table class="stage-plan"><thead><tr><th scope="col">Cohort</th><th scope="col">Metric</th><th scope="col">Tolerance</th>${stages.map((s) => html`<th scope="col">${s}</th>`)}</tr></thead>
<tbody>
${body}</tbody></table></div>`;
}

/** Per metric (rows) and stage (columns): how many cohorts the stage cannot judge (✗) and can (✓). */
function countTable(rows: readonly StagePlanRow[], stages: readonly string[], metrics: readonly string[]): Html {
  const body = metrics.map((metric) => {
    const ofMetric = rows.filter((r) => r.metric === metric);
    const tolerance = ofMetric[0] ? formatSize(metric, ofMetric[0].tolerance) : '—';
    const tds = stages.map((stage) => {
      const cells = ofMetric.filter((r) => r.stage === stage);
      const weak = cells.filter((r) => !r.detectable).length;
      return html`<td>${formatCount(weak)} ✗ / ${formatCount(cells.length - weak)} ✓</td>`;
    });
    return html`<tr><td>${metricLabel(metric)}</td><td>${tolerance}</td>${tds}</tr>\n`;
  });
  return html`<div class="table-wrap"><table class="stage-plan counts"><caption>Cohorts each stage cannot judge (✗) and can judge (✓), per metric</caption><thead><tr><th scope="col">Metric</th><th scope="col">Tolerance</th>${stages.map((s) => html`<th scope="col">${s}</th>`)}</tr></thead>
<tbody>
${body}</tbody></table></div>`;
}

/** The cohorts some stage cannot judge, per metric, grouped by exactly which stages cannot: each cohort × metric appears once. */
function undetectableList(groups: readonly Map<string, StagePlanRow>[], stages: readonly string[], metrics: readonly string[]): Html {
  const items = metrics.flatMap((metric) => {
    const bySet = new Map<string, { weak: string[]; names: string[] }>();
    for (const cells of groups) {
      const weak = stages.filter((s) => cells.get(s)?.detectable === false);
      const any = [...cells.values()][0];
      if (!any || any.metric !== metric || weak.length === 0) continue;
      const key = weak.join(', ');
      const group = bySet.get(key) ?? { weak, names: [] };
      group.names.push(cohortName(any.cohort));
      bySet.set(key, group);
    }
    // Most stages first (every stage, then all but the last, …), then in stage order.
    const rank = (weak: readonly string[]) => weak.map((s) => String(stages.indexOf(s)).padStart(4, '0')).join(',');
    return [...bySet.values()]
      .sort((a, b) => b.weak.length - a.weak.length || rank(a.weak).localeCompare(rank(b.weak)))
      .map(({ weak, names }) => html`<li><strong>${metricLabel(metric)}</strong>, not judgeable in ${weak.length === stages.length ? 'every stage' : weak.join(', ')} (${formatCount(names.length)}): ${names.join(', ')}</li>\n`);
  });
  if (items.length === 0) return html`<p>Every stage can judge every cohort at its tolerance.</p>`;
  return html`<h3>Cohorts a stage cannot judge</h3>
<ul class="undetectable">
${items}</ul>`;
}

/** The plan's advice for undetectable cells, one line per piece of advice with how often it applies and where. */
function adviceList(rows: readonly StagePlanRow[]): Html {
  const byAdvice = groupBy(rows.filter((r) => !r.detectable && r.advice), (r) => r.advice ?? '');
  if (byAdvice.size === 0) return html``;
  const sorted = [...byAdvice.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const rest = sorted.slice(ADVICE_LINES);
  const restCells = rest.reduce((n, [, cells]) => n + cells.length, 0);
  const more = rest.length
    ? html`<li>and ${formatCount(rest.length)} more pieces of advice for ${formatCount(restCells)} cohort × metric × stage cells (each row's <code>advice</code> in <code>stage_plan</code>).</li>`
    : '';
  const items = sorted
    .slice(0, ADVICE_LINES)
    .map(([advice, cells]) => {
      const names = cells.slice(0, ADVICE_NAMES).map((r) => `${r.stage} ${cohortName(r.cohort)} ${metricLabel(r.metric)}`);
      const more = cells.length > ADVICE_NAMES ? `; and ${formatCount(cells.length - ADVICE_NAMES)} more` : '';
      return html`<li>${advice} (${formatCount(cells.length)}): ${names.join('; ')}${more}</li>\n`;
    });
  return html`<h3>The plan's advice</h3>
<ul>
${items}${more}</ul>`;
}

/** Section 6: what each stage can detect per cohort × metric, ✗ where the tolerance is below the sequential MDE. */
export function stagePlanSection(rows: readonly StagePlanRow[], stageOrder: readonly string[]): Html {
  const stages = stageOrder.filter((s) => rows.some((r) => r.stage === s));
  const groups = byCohortMetric(rows);
  const intro = html`<p>Smallest regression each stage can detect with hourly looks (sequential MDE) at the plan's α and power. ✓: the tolerance is at or above it; ✗: this stage cannot see a regression of the tolerated size.</p>`;
  if (rows.length === 0) {
    return html`<section id="stage-plan">
<h2>6. Stage plan</h2>
${intro}
<p>No stage plan available.</p>
</section>`;
  }
  if (groups.length <= STAGE_PLAN_TABLE_ROWS) {
    const advice = rows.filter((r) => !r.detectable && r.advice);
    return html`<section id="stage-plan">
<h2>6. Stage plan</h2>
${intro}
${fullTable(groups, stages)}
${advice.length ? html`<h3>Cohorts a stage cannot judge</h3><ul>${advice.map((r) => html`<li>${r.stage}, ${cohortName(r.cohort)} ${metricLabel(r.metric)}: ${r.advice}</li>`)}</ul>` : ''}
</section>`;
  }
  const metrics = [...new Set(rows.map((r) => r.metric))];
  return html`<section id="stage-plan">
<h2>6. Stage plan</h2>
${intro}
<p>${formatCount(groups.length)} cohort × metric pairs over ${formatCount(stages.length)} stages: too many for one table, so this section counts them and names the cohorts a stage cannot judge. Each pair's MDE per stage, at full precision, is in <code>evaluation.json</code> beside this page (<code>stage_plan</code>).</p>
${countTable(rows, stages, metrics)}
${undetectableList(groups, stages, metrics)}
${adviceList(rows)}
</section>`;
}
