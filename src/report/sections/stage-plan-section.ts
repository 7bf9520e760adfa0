import type { StagePlanRow } from '../../types.js';
import { cohortKey, cohortName, formatCount, formatSize } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';

/** Section 6: the sequential minimum detectable effect per cohort × metric (rows) and stage (columns), ✗ where the tolerance is below it. */
export function stagePlanSection(rows: readonly StagePlanRow[], stageOrder: readonly string[]): Html {
  const stages = stageOrder.filter((s) => rows.some((r) => r.stage === s));
  const byRow = new Map<string, Map<string, StagePlanRow>>();
  for (const r of rows) {
    const key = `${cohortKey(r.cohort)}#${r.metric}`;
    const cells = byRow.get(key) ?? new Map<string, StagePlanRow>();
    cells.set(r.stage, r);
    byRow.set(key, cells);
  }
  const body = [...byRow.values()].map((cells) => {
    const any = [...cells.values()][0] as StagePlanRow;
    const tds = stages.map((s) => {
      const cell = cells.get(s);
      if (!cell) return html`<td>—</td>`;
      return cell.detectable ? html`<td>${formatSize(cell.metric, cell.mde_sequential)} ✓</td>` : html`<td class="weak">${formatSize(cell.metric, cell.mde_sequential)} ✗</td>`;
    });
    return html`<tr><td>${cohortName(any.cohort)}</td><td>${metricLabel(any.metric)}</td><td>${formatSize(any.metric, any.tolerance)}</td>${tds}</tr>\n`;
  });
  const advice = rows.filter((r) => !r.detectable && r.advice);
  const adviceList = advice.length
    ? html`<h3>Cohorts a stage cannot judge</h3><ul>${advice.slice(0, 50).map((r) => html`<li>${r.stage}, ${cohortName(r.cohort)} ${metricLabel(r.metric)}: ${r.advice}</li>`)}</ul>${advice.length > 50 ? html`<p>and ${formatCount(advice.length - 50)} more.</p>` : ''}`
    : '';
  const table = rows.length
    ? html`<div class="table-wrap"><table class="stage-plan"><thead><tr><th scope="col">Cohort</th><th scope="col">Metric</th><th scope="col">Tolerance</th>${stages.map((s) => html`<th scope="col">${s}</th>`)}</tr></thead>
<tbody>
${body}</tbody></table></div>`
    : html`<p>No stage plan available.</p>`;
  return html`<section id="stage-plan">
<h2>6. Stage plan</h2>
<p>Smallest regression each stage can detect with hourly looks (sequential MDE) at the plan's α and power. ✓: the tolerance is at or above it; ✗: this stage cannot see a regression of the tolerated size.</p>
${table}
${adviceList}
</section>`;
}
