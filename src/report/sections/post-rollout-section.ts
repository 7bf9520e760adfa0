import { cohortName, effectDigits, formatCi, formatEffect, formatInstant, formatPercent } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';
import { byConcern } from '../notable.js';
import type { PostRolloutFindings } from '../report-input.js';

/** Optional section: findings after the rollout finished, against the holdback. */
export function postRolloutSection(findings: PostRolloutFindings): Html {
  const rows = [...findings.results].sort(byConcern).map(
    (r) => html`<tr class="v-${r.verdict}"><td>${cohortName(r.cohort)}</td><td>${metricLabel(r.metric)}</td><td>${r.verdict.replace('_', ' ')}</td><td class="num">${formatEffect(r.metric, r.effect, true, effectDigits(r.ci))}</td><td class="num">${formatCi(r.metric, r.ci)}</td></tr>\n`,
  );
  return html`<section id="post-rollout">
<h2>Post-rollout findings</h2>
<p>Window ${formatInstant(findings.window.start)} to ${formatInstant(findings.window.end)}; holdback ${formatPercent(findings.holdbackShare)} of units on the legacy provider.</p>
${findings.notes.length ? html`<ul>${findings.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
<div class="table-wrap"><table><thead><tr><th scope="col">Cohort</th><th scope="col">Metric</th><th scope="col">Verdict</th><th scope="col">Effect</th><th scope="col">CI</th></tr></thead>
<tbody>
${rows}</tbody></table></div>
</section>`;
}
