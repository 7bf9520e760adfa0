import type { TopLevelSpec } from 'vega-lite';
import type { CohortResult, Evaluation, SrmResult } from '../../types.js';
import { forestChart, latencyChart, seriesChart, shadowChart, srmChart } from '../charts.js';
import { cohortKey, formatCount } from '../format.js';
import { html, jsonScript, trusted, type Html } from '../html.js';
import { metricKind } from '../metric-kind.js';
import { notable } from '../notable.js';
import type { ReportInput } from '../report-input.js';
import { renderSvg } from '../render-svg.js';
import { slug } from '../slug.js';

/** At most this many cohorts per chart (every regression is always drawn); the tables list all. */
export const CHART_ROWS = 30;
/** At most this many flagged-cohort series charts (each holds every hour of a week of baseline and the stages). */
export const SERIES_CHARTS = 8;
/** At most this many split checks per stage in the SRM chart: everyone, then mismatches, then the smallest p-values. */
export const SRM_ROWS_PER_STAGE = 8;

/** The split checks worth drawing for one stage; the Summary names every mismatch. */
export function srmRows(srm: readonly SrmResult[], limit: number): SrmResult[] {
  const rank = (s: SrmResult) => (Object.keys(s.cohort).length === 0 ? 0 : s.mismatch ? 1 : 2);
  return [...srm].sort((a, b) => rank(a) - rank(b) || a.p_value - b.p_value).slice(0, limit);
}

interface Chart {
  /** The heading the chart sits under: a stage, the flagged series, or the traffic split. */
  group: string;
  id: string;
  spec: TopLevelSpec;
  caption: string;
}

/** −1 when lower values are worse (success rate), +1 otherwise. */
function harmSign(input: ReportInput, metric: string): 1 | -1 {
  const direction = input.plan.metrics.find((m) => m.name === metric)?.direction;
  return (direction ?? (metric === 'success_rate' ? 'higher_is_better' : 'lower_is_better')) === 'higher_is_better' ? -1 : 1;
}

function shown(all: readonly CohortResult[], drawn: readonly CohortResult[]): string {
  if (drawn.length === all.length) return '';
  const regressions = all.filter((r) => r.verdict === 'regression').length;
  const drawnRegressions = drawn.filter((r) => r.verdict === 'regression').length;
  const missing = regressions > drawnRegressions ? ` (${formatCount(regressions - drawnRegressions)} regressions not drawn)` : '';
  return ` Showing ${formatCount(drawn.length)} of ${formatCount(all.length)} cohorts, regressions and strongest evidence first${missing}; the table lists all.`;
}

function stageCharts(input: ReportInput, evaluation: Evaluation): Chart[] {
  const charts: Chart[] = [];
  const metrics = [...new Set(evaluation.results.map((r) => r.metric))];
  for (const metric of metrics) {
    const all = evaluation.results.filter((r) => r.metric === metric && r.effect !== null);
    if (all.length === 0) continue;
    const drawn = notable(all, CHART_ROWS);
    charts.push({
      group: evaluation.stage,
      id: slug('forest', evaluation.stage, metric),
      spec: forestChart(drawn, metric, harmSign(input, metric)),
      caption: `${evaluation.stage}: effect and always-valid CI per cohort; the dashed line is the tolerated regression.${shown(all, drawn)}`,
    });
  }
  const latency = evaluation.results.filter((r) => metricKind(r.metric) === 'latency' && r.observed !== null && r.expected !== null);
  if (latency.length) {
    const drawn = notable(latency, CHART_ROWS);
    charts.push({
      group: evaluation.stage,
      id: slug('latency', evaluation.stage),
      spec: latencyChart(drawn, input.plan.providers),
      caption: `${evaluation.stage}: latency quantiles on the legacy (expected) and candidate (observed) provider.${shown(latency, drawn)}`,
    });
  }
  const shadow = evaluation.results.filter((r) => metricKind(r.metric) === 'shadow' && r.observed !== null);
  if (shadow.length) {
    const drawn = notable(shadow, CHART_ROWS);
    charts.push({
      group: evaluation.stage,
      id: slug('shadow', evaluation.stage),
      spec: shadowChart(drawn),
      caption: `${evaluation.stage}: shadow mismatch rate (bar), its noise floor (solid tick) and the tolerated rate (dashed tick).${shown(shadow, drawn)}`,
    });
  }
  return charts;
}

function allCharts(input: ReportInput): Chart[] {
  const charts = input.evaluations.flatMap((evaluation) => stageCharts(input, evaluation));
  for (const series of input.series.slice(0, SERIES_CHARTS)) {
    charts.push({
      group: 'Flagged cohorts over time',
      id: slug('series', cohortKey(series.cohort), series.metric),
      spec: seriesChart(series, input.plan.stages),
      caption: 'Hourly values over the baseline and the stages; the grey band is the baseline model’s 95% prediction band, dotted lines mark stage starts.',
    });
  }
  if (input.evaluations.some((e) => e.srm.length > 0)) {
    const drawn = input.evaluations.map((e) => ({ ...e, srm: srmRows(e.srm, SRM_ROWS_PER_STAGE) }));
    const total = input.evaluations.reduce((n, e) => n + e.srm.length, 0);
    const shownRows = drawn.reduce((n, e) => n + e.srm.length, 0);
    const more = shownRows < total ? ` Showing ${formatCount(shownRows)} of ${formatCount(total)} checks: per stage everyone, every mismatch, then the smallest p-values.` : '';
    charts.push({
      group: 'Traffic split (SRM)',
      id: 'srm',
      spec: srmChart(drawn),
      caption: `Observed candidate share of routed units (point) against the planned share (tick); red means the split is off (p < 0.001).${more}`,
    });
  }
  return charts;
}

/** Section 3: every chart as pre-rendered SVG (no script needed), with its vega-lite spec beside it for reuse. */
export async function chartsSection(input: ReportInput): Promise<Html> {
  const charts = allCharts(input);
  const svgs = await Promise.all(charts.map((chart) => renderSvg(chart.spec)));
  const figure = (chart: Chart, i: number) => html`<figure class="chart" id="${chart.id}">
${trusted(svgs[i] ?? '')}
<figcaption>${chart.caption}</figcaption>
${jsonScript(`${chart.id}-spec`, chart.spec)}
</figure>`;
  const groups = [...new Set(charts.map((c) => c.group))];
  const figures = groups.map(
    (group) => html`<h3>${group}</h3>
${charts.map((chart, i) => (chart.group === group ? figure(chart, i) : ''))}`,
  );
  const extra = input.series.length > SERIES_CHARTS ? html`<p>${formatCount(input.series.length - SERIES_CHARTS)} more flagged cohort series are not drawn (at most ${SERIES_CHARTS} per report); their results are in the tables.</p>` : '';
  return html`<section id="charts">
<h2>3. Charts</h2>
${figures.length ? figures : html`<p>No chart: the evaluations hold no results.</p>`}
${extra}
</section>`;
}
