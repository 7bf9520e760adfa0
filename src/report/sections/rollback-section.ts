import type { Evaluation } from '../../types.js';
import { cohortName } from '../format.js';
import { html, type Html } from '../html.js';
import { resultPhrase } from '../stage-verdict.js';

function stageRollback(evaluation: Evaluation): Html {
  const { rules, flagd } = evaluation.rollback;
  if (rules.length === 0) return html`<h3>${evaluation.stage}</h3><p>No rollback rule: nothing regressed.</p>`;
  const items = rules.map((rule) => {
    const why = rule.justified_by.flatMap((i) => {
      const result = evaluation.results[i];
      return result ? [resultPhrase(result, evaluation.alpha)] : [];
    });
    return html`<li>Route <strong>${cohortName(rule.cohort)}</strong> back to the legacy provider, because: ${why.join('; ') || 'see the evaluation'}.</li>`;
  });
  return html`<h3>${evaluation.stage}</h3>
<ul>${items}</ul>
<p>flagd flag definitions (apply with the team's flag deployment):</p>
<pre class="flagd"><code>${JSON.stringify(flagd, null, 2)}</code></pre>`;
}

/** Section 4: the rollback rules per stage, what justifies each, and the flagd file content that applies them. */
export function rollbackSection(evaluations: readonly Evaluation[]): Html {
  return html`<section id="rollback">
<h2>4. Rollback</h2>
${evaluations.map(stageRollback)}
</section>`;
}
