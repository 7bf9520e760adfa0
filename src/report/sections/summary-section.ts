import type { Decision, Evaluation } from '../../types.js';
import { formatInstant } from '../format.js';
import { html, type Html } from '../html.js';
import type { ReportPlanSummary } from '../report-input.js';
import { stageVerdict, type Light } from '../stage-verdict.js';

const LIGHT_TEXT: Record<Light, string> = { red: 'Red: regression', amber: 'Amber: check', green: 'Green: no regression' };

/** Section 1: per stage a traffic light, one plain sentence, the SRM status, what the operator accepted and the evaluation's notes (upstream incidents left out of a 100% stage). */
export function summarySection(plan: ReportPlanSummary, evaluations: readonly Evaluation[], decisions: readonly Decision[]): Html {
  const cards = evaluations.map((evaluation) => {
    const verdict = stageVerdict(evaluation, decisions);
    const accepted = verdict.accepted.length
      ? html`<ul class="accepted">${verdict.accepted.map((line) => html`<li>${line}</li>`)}</ul>`
      : html`<p class="muted">Nothing accepted by an operator.</p>`;
    return html`<article class="stage light-${verdict.light}" data-light="${verdict.light}">
  <h3><span class="light" aria-hidden="true"></span>${evaluation.stage} <span class="light-text">${LIGHT_TEXT[verdict.light]}</span></h3>
  <p class="sentence">${verdict.sentence}.</p>
  <p>${verdict.srm}</p>
  ${accepted}
  ${evaluation.notes?.length ? html`<ul class="stage-notes">${evaluation.notes.map((note) => html`<li>${note}</li>`)}</ul>` : ''}
  <p class="muted">Window ${formatInstant(evaluation.window.start)} to ${formatInstant(evaluation.window.end)}; evaluation ${evaluation.evaluation_id}.</p>
</article>`;
  });
  const body = evaluations.length ? cards : html`<p>No evaluation has been run for the selected stages.</p>`;
  return html`<section id="summary">
<h2>1. Summary</h2>
<p>Migration <strong>${plan.name}</strong>: ${plan.providers.legacy} → ${plan.providers.candidate}.</p>
${body}
</section>`;
}
