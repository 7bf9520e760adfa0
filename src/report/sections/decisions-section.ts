import type { Decision } from '../../types.js';
import { cohortName, formatInstant } from '../format.js';
import { html, type Html } from '../html.js';
import { metricLabel } from '../metric-kind.js';

/** Section 5: every operator decision on the reported stages, oldest first. */
export function decisionsSection(decisions: readonly Decision[]): Html {
  const sorted = [...decisions].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.decision_id.localeCompare(b.decision_id));
  const rows = sorted.map(
    (d) => html`<tr><td>${formatInstant(d.created_at)}</td><td>${d.stage}</td><td>${d.operator}</td><td><strong>${d.action}</strong></td><td>${d.results.map((r) => `${cohortName(r.cohort)} ${metricLabel(r.metric)}`).join('; ') || '—'}</td><td>${d.reason}</td><td><code>${d.decision_id}</code></td></tr>\n`,
  );
  const body = sorted.length
    ? html`<div class="table-wrap"><table class="decisions"><thead><tr><th scope="col">When</th><th scope="col">Stage</th><th scope="col">Operator</th><th scope="col">Action</th><th scope="col">Results</th><th scope="col">Reason</th><th scope="col">Decision</th></tr></thead>
<tbody>
${rows}</tbody></table></div>`
    : html`<p>No decision recorded yet.</p>`;
  return html`<section id="decisions">
<h2>5. Decision log</h2>
${body}
</section>`;
}
