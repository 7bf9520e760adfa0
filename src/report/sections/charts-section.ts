import type { TopLevelSpec } from 'vega-lite';
import type { CohortResult, Evaluation, SrmResult } from '../../types.js';
import { forestChart, latencyChart, seriesChart, shadowChart, srmChart } from '../charts.js';
import { cohortKey, formatCount } from '../format.js';
import { html, trusted, type Html } from '../html.js';
import { metricKind } from '../metric-kind.js';
import { notable } from '../notable.js';
import type { ReportInput } from '../report-input.js';
import { renderSvg } from '../render-svg.js';
import { slug } from '../slug.js';

/** At most this many cohorts per chart, regressions first; the tables list all. */
export const CHART_ROWS = 12;
/**
 * At most this many flagged-cohort series charts: each holds every hour of the week before the
 * stage that flagged it and that stage, 10–20 KB of SVG, and the demo report must stay under 500 KB.
 */
export const SERIES_CHARTS = 3;
/** At most this many split checks per stage in the SRM chart: everyone, then mismatches, then the smallest p-values. */
export const SRM_ROWS_PER_STAGE = 4;

/** The split checks worth drawing for one stage; the Summary names every mismatch. */
export function srmRows(srm: readonly SrmResult[], limit: number): SrmResult[] {
  const rank = (s: SrmResult) => (Object.keys(s.cohort).length === 0 ? 0 : s.mismatch ? 1 : 2);
  return [...srm].sort((a, b) => rank(a) - rank(b) || a.p_value - b.p_value).slice(0, limit);
}

/** A chart of the report: where it sits, its figure id, its vega-lite spec and its caption. */
export interface Chart {
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

/**
 * The charts of one stage. The latest reported stage gets every chart; an earlier stage only the
 * charts of metrics that regressed in it (its tables keep every result), which keeps a report of
 * many stages readable and small.
 */
function stageCharts(input: ReportInput, evaluation: Evaluation, latest: boolean): Chart[] {
  const charts: Chart[] = [];
  const metrics = [...new Set(evaluation.results.map((r) => r.metric))];
  const regressed = (metric: string) => evaluation.results.some((r) => r.metric === metric && r.verdict === 'regression');
  const drawn = (metric: string) => latest || regressed(metric);
  // The shadow metric gets its own chart below (rate against the noise floor), not a forest plot too.
  for (const metric of metrics.filter((m) => drawn(m) && metricKind(m) !== 'shadow')) {
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
  const latency = evaluation.results.filter((r) => metricKind(r.metric) === 'latency' && drawn(r.metric) && r.observed !== null && r.expected !== null);
  if (latency.length) {
    const drawn = notable(latency, CHART_ROWS);
    charts.push({
      group: evaluation.stage,
      id: slug('latency', evaluation.stage),
      spec: latencyChart(drawn, input.plan.providers),
      caption: `${evaluation.stage}: latency quantiles on the legacy (expected) and candidate (observed) provider.${shown(latency, drawn)}`,
    });
  }
  const shadow = evaluation.results.filter((r) => metricKind(r.metric) === 'shadow' && drawn(r.metric) && r.observed !== null);
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

/** Every chart of the report in page order (the figures of section 3). */
export function reportCharts(input: ReportInput): Chart[] {
  const last = input.evaluations.length - 1;
  const charts = input.evaluations.flatMap((evaluation, i) => stageCharts(input, evaluation, i === last));
  for (const series of input.series.slice(0, SERIES_CHARTS)) {
    charts.push({
      group: 'Flagged cohorts over time',
      id: slug('series', cohortKey(series.cohort), series.metric),
      spec: seriesChart(series, input.plan.stages),
      caption: 'Hourly values over the week before the stage that flagged the cohort and that stage; the grey band is the baseline model’s 95% prediction band, dotted lines mark stage starts.',
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

/**
 * The vega-lite spec of every chart by figure id, for `evaluation.json`: the page carries only the
 * SVG (a spec repeats its chart's data, and the series specs weigh more than their SVG).
 */
export function chartSpecs(input: ReportInput): Record<string, TopLevelSpec> {
  return Object.fromEntries(reportCharts(input).map((chart) => [chart.id, chart.spec]));
}

/** Section 3: every chart as pre-rendered SVG (no script needed); the specs are in evaluation.json (`chartSpecs`). */
export async function chartsSection(input: ReportInput): Promise<Html> {
  const charts = reportCharts(input);
  const svgs = await Promise.all(charts.map((chart) => renderSvg(chart.spec)));
  const figure = (chart: Chart, i: number) => html`<figure class="chart" id="${chart.id}">
${trusted(svgs[i] ?? '')}
<figcaption>${chart.caption}</figcaption>
</figure>`;
  const groups = [...new Set(charts.map((c) => c.group))];
  const figures = groups.map(
    (group) => html`<h3>${group}</h3>
${charts.map((chart, i) => (chart.group === group ? figure(chart, i) : ''))}`,
  );
  const extra = input.series.length > SERIES_CHARTS ? html`<p>${formatCount(input.series.length - SERIES_CHARTS)} more flagged cohort series are not drawn (at most ${SERIES_CHARTS} per report); their results are in the tables.</p>` : '';
  return html`<section id="charts">
<h2>3. Charts</h2>
<p>The latest stage is charted in full; an earlier stage only for the metrics that regressed in it. Charts draw the tables' numbers rounded to four significant digits; each chart's vega-lite spec, its data included, is in <code>evaluation.json</code> beside this page under <code>charts</code>, by the figure's id.</p>
${figures.length ? figures : html`<p>No chart: the evaluations hold no results.</p>`}
${extra}
</section>`;
}
