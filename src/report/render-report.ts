import { formatInstant } from './format.js';
import { html, trusted } from './html.js';
import { PAGE_STYLE } from './page-style.js';
import type { ReportInput } from './report-input.js';
import { chartsSection } from './sections/charts-section.js';
import { decisionsSection } from './sections/decisions-section.js';
import { methodSection } from './sections/method-section.js';
import { postRolloutSection } from './sections/post-rollout-section.js';
import { resultsSection } from './sections/results-section.js';
import { rollbackSection } from './sections/rollback-section.js';
import { stagePlanSection } from './sections/stage-plan-section.js';
import { summarySection } from './sections/summary-section.js';
import { SORT_SCRIPT } from './sort-script.js';

/**
 * The stakeholder report as one self-contained HTML page: summary, cohort results, charts (SVG
 * rendered here), rollback, decision log, stage plan, optional post-rollout findings, method.
 * It loads nothing from the network; every string from a log, plan or store is escaped.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const stageNames = input.plan.stages.map((s) => s.name);
  const charts = await chartsSection(input);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Stagewise report: ${input.plan.name}</title>
<style>${trusted(PAGE_STYLE)}</style>
</head>
<body>
<main>
<header class="report">
<h1>Stagewise report: ${input.plan.name}</h1>
<p class="muted">${input.plan.providers.legacy} → ${input.plan.providers.candidate}; stages ${input.evaluations.map((e) => e.stage).join(', ') || 'none'}; generated ${formatInstant(input.generatedAt)}.</p>
</header>
<nav class="toc" aria-label="Sections"><ol>
<li><a href="#summary">Summary</a></li><li><a href="#results">Cohort results</a></li><li><a href="#charts">Charts</a></li>
<li><a href="#rollback">Rollback</a></li><li><a href="#decisions">Decision log</a></li><li><a href="#stage-plan">Stage plan</a></li>
${input.postRollout ? html`<li><a href="#post-rollout">Post-rollout</a></li>` : ''}<li><a href="#method">Method</a></li>
</ol></nav>
${summarySection(input.plan, input.evaluations, input.decisions)}
${resultsSection(input.evaluations, input.plan.metrics.map((m) => m.name))}
${charts}
${rollbackSection(input.evaluations)}
${decisionsSection(input.decisions)}
${stagePlanSection(input.stagePlan, stageNames)}
${input.postRollout ? postRolloutSection(input.postRollout) : ''}
${methodSection(input.plan, input.evaluations, input.baseline, input.generatedAt, input.toolkitVersion)}
</main>
<script>${trusted(SORT_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
