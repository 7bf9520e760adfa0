import type { TopLevelSpec } from 'vega-lite';
import type { CohortResult, CohortSeries, Evaluation, Verdict } from '../types.js';
import { cohortLabel, cohortName } from './format.js';
import { metricKind, metricLabel } from './metric-kind.js';
import type { ReportStage } from './report-input.js';

/** Chart width in px: fits a laptop-width page column with its margins. */
export const CHART_WIDTH = 720;

/** Shared chart configuration: legends under the plot, so the plot gets the width; long labels allowed. */
const CONFIG = {
  legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 320, titleLimit: 320 },
  axisY: { labelLimit: 320 },
  title: { anchor: 'start', fontSize: 13 },
} as const;

const VERDICTS: Verdict[] = ['regression', 'inconclusive', 'insufficient_data', 'improvement', 'pass'];
const VERDICT_COLOURS = ['#c0392b', '#d68910', '#a6acaf', '#1e8449', '#5d6d7e'];
/** Colour by verdict with fixed colours; the legend lists only the verdicts drawn. */
function verdictColour(rows: readonly { verdict: Verdict }[]) {
  const present = VERDICTS.filter((v) => rows.some((r) => r.verdict === v));
  return {
    field: 'verdict',
    type: 'nominal',
    title: 'verdict',
    scale: { domain: VERDICTS, range: VERDICT_COLOURS },
    legend: { values: present },
  } as const;
}

/** A value for drawing: four significant digits are below a pixel (full precision is in evaluation.json). */
const r4 = (x: number) => Number(x.toPrecision(4));

/** Effects are drawn in the unit people read: percentage points for rates, percent for latency. */
function effectUnit(metric: string): string {
  return metricKind(metric) === 'latency' ? 'relative change (%)' : 'difference (pp)';
}

/**
 * Forest plot for one metric: each cohort's effect (point) with its always-valid CI (rule),
 * zero, and the tolerated regression (dashed) on the harmful side.
 */
export function forestChart(results: readonly CohortResult[], metric: string, harmSign: 1 | -1): TopLevelSpec {
  const rows = results
    .filter((r) => r.metric === metric && r.effect !== null)
    .map((r) => ({
      cohort: cohortName(r.cohort),
      verdict: r.verdict,
      effect: r4((r.effect ?? 0) * 100),
      lower: r4((r.ci?.[0] ?? r.effect ?? 0) * 100),
      upper: r4((r.ci?.[1] ?? r.effect ?? 0) * 100),
    }));
  const tolerance = r4((results.find((r) => r.metric === metric)?.tolerance ?? 0) * 100 * harmSign);
  const y = { field: 'cohort', type: 'nominal', sort: null, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: `${metricLabel(metric)}: effect with CI per cohort`,
    width: CHART_WIDTH - 240,
    height: { step: 16 },
    layer: [
      {
        data: { values: [{ x: 0, label: 'no change' }, { x: tolerance, label: 'tolerance' }] },
        mark: { type: 'rule', color: '#888' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          strokeDash: { field: 'label', type: 'nominal', title: null, scale: { domain: ['no change', 'tolerance'], range: [[1, 0], [4, 3]] } },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'lower', type: 'quantitative', title: effectUnit(metric) }, x2: { field: 'upper' }, color: verdictColour(rows) },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { y, x: { field: 'effect', type: 'quantitative' }, color: verdictColour(rows) },
      },
    ],
  };
}

/**
 * One flagged cohort's hourly series over the baseline and the stages: the baseline's
 * prediction band and expectation, the observed value per provider, and the stage starts.
 */
export function seriesChart(series: CohortSeries, stages: readonly ReportStage[]): TopLevelSpec {
  const latency = metricKind(series.metric) === 'latency';
  const scale = latency ? 1 : 100;
  const seen = new Set<string>();
  const band = series.points
    .filter((p) => !seen.has(p.hour) && Boolean(seen.add(p.hour)))
    .map((p) => ({ hour: Date.parse(p.hour), expected: r4(p.expected * scale), lower: r4(p.lower * scale), upper: r4(p.upper * scale) }));
  const observed = series.points
    .filter((p) => p.observed !== null)
    .map((p) => ({ hour: Date.parse(p.hour), provider: p.provider, value: r4((p.observed ?? 0) * scale) }));
  // Hours travel as epoch milliseconds: a third of the bytes of ISO text, and unambiguous (UTC).
  const x = { field: 'hour', type: 'temporal', title: null, scale: { type: 'utc' }, axis: { format: '%b %d' } } as const;
  const unit = latency ? 'ms' : '%';
  const times = series.points.map((p) => Date.parse(p.hour));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const starts = stages.filter((s) => Date.parse(s.start) >= first && Date.parse(s.start) <= last).map((s) => ({ hour: Date.parse(s.start), stage: s.name }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: `${cohortName(series.cohort)}: hourly ${metricLabel(series.metric)} (${unit})`,
    width: CHART_WIDTH,
    height: 180,
    datasets: { band, observed, starts },
    layer: [
      {
        data: { name: 'band' },
        mark: { type: 'area', opacity: 0.25, color: '#7f8c8d' },
        encoding: { x, y: { field: 'lower', type: 'quantitative', title: unit, scale: { zero: false } }, y2: { field: 'upper' } },
      },
      {
        data: { name: 'band' },
        mark: { type: 'line', strokeDash: [4, 3], color: '#566573', strokeWidth: 1 },
        encoding: { x, y: { field: 'expected', type: 'quantitative' } },
      },
      {
        data: { name: 'observed' },
        mark: { type: 'line', strokeWidth: 1.2, point: false },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color: { field: 'provider', type: 'nominal', title: 'provider' } },
      },
      {
        data: { name: 'starts' },
        mark: { type: 'rule', color: '#2c3e50', strokeDash: [2, 2] },
        encoding: { x },
      },
      {
        data: { name: 'starts' },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, fontSize: 10, color: '#2c3e50' },
        encoding: { x, y: { value: 0 }, text: { field: 'stage', type: 'nominal' } },
      },
    ],
  };
}

/** Latency quantiles per cohort: the legacy (expected) and candidate (observed) value in ms, joined by a rule. */
export function latencyChart(results: readonly CohortResult[], providers: { legacy: string; candidate: string }): TopLevelSpec {
  const latency = results.filter((r) => metricKind(r.metric) === 'latency' && r.observed !== null && r.expected !== null);
  const label = (r: CohortResult) => `${cohortName(r.cohort)} · ${r.metric.replace('latency_', '')}`;
  const ms = (x: number | null) => r4(x ?? 0);
  const pairs = latency.map((r) => ({ row: label(r), legacy: ms(r.expected), candidate: ms(r.observed), verdict: r.verdict }));
  const points = latency.flatMap((r) => [
    { row: label(r), provider: providers.legacy, ms: ms(r.expected) },
    { row: label(r), provider: providers.candidate, ms: ms(r.observed) },
  ]);
  const y = { field: 'row', type: 'nominal', sort: null, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: 'Latency quantiles: legacy vs candidate (ms)',
    width: CHART_WIDTH - 240,
    height: { step: 16 },
    layer: [
      {
        data: { values: pairs },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'legacy', type: 'quantitative', title: 'ms' }, x2: { field: 'candidate' }, color: verdictColour(pairs) },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 45 },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative' },
          shape: { field: 'provider', type: 'nominal', title: 'provider', scale: { domain: [providers.legacy, providers.candidate] } },
          fill: { value: '#2c3e50' },
        },
      },
    ],
  };
}

/** Shadow mismatch rate per cohort (bar, %) against its noise floor (the expected rate, tick) and the tolerated rate (dashed). */
export function shadowChart(results: readonly CohortResult[]): TopLevelSpec {
  const shadow = results.filter((r) => metricKind(r.metric) === 'shadow' && r.observed !== null);
  const rows = shadow.map((r) => ({
    cohort: cohortName(r.cohort),
    verdict: r.verdict,
    rate: r4((r.observed ?? 0) * 100),
    floor: r4((r.expected ?? 0) * 100),
    tolerance: r4(r.tolerance * 100),
  }));
  const y = { field: 'cohort', type: 'nominal', sort: null, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: 'Shadow mismatch rate per cohort (%) with its noise floor',
    width: CHART_WIDTH - 240,
    height: { step: 16 },
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', height: 10 }, encoding: { y, x: { field: 'rate', type: 'quantitative', title: 'mismatch rate (%)' }, color: verdictColour(rows) } },
      { mark: { type: 'tick', color: '#17202a', thickness: 2 }, encoding: { y, x: { field: 'floor', type: 'quantitative' } } },
      { mark: { type: 'tick', color: '#c0392b', strokeDash: [3, 2] }, encoding: { y, x: { field: 'tolerance', type: 'quantitative' } } },
    ],
  };
}

/** Traffic split per stage: observed candidate share of routed units (point) against the planned share (tick), by SRM outcome. */
export function srmChart(evaluations: readonly Evaluation[]): TopLevelSpec {
  const rows = evaluations.flatMap((e) =>
    e.srm.map((s) => ({
      row: `${e.stage} · ${cohortName(s.cohort)}`,
      observed: r4(s.observed_share * 100),
      expected: r4(s.expected_share * 100),
      check: s.mismatch ? 'mismatch (p < 0.001)' : 'matches plan',
    })),
  );
  const y = { field: 'row', type: 'nominal', sort: null, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: 'Traffic split per stage: candidate share of routed units (%)',
    width: CHART_WIDTH - 240,
    height: { step: 18 },
    data: { values: rows },
    layer: [
      { mark: { type: 'tick', color: '#17202a', thickness: 2 }, encoding: { y, x: { field: 'expected', type: 'quantitative', title: 'share (%)' } } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y,
          x: { field: 'observed', type: 'quantitative' },
          color: { field: 'check', type: 'nominal', title: 'SRM', scale: { domain: ['matches plan', 'mismatch (p < 0.001)'], range: ['#1e8449', '#c0392b'] } },
        },
      },
    ],
  };
}
