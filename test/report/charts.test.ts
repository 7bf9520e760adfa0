import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { forestChart, latencyChart, seriesChart, shadowChart, srmChart } from '../../src/report/charts.js';
import { compactSvg, renderSvg } from '../../src/report/render-svg.js';
import type { Evaluation } from '../../src/types.js';
import { fixtureInput } from './report-fixture.js';

const input = fixtureInput();
const stage2 = input.evaluations[1] as Evaluation;

/** Compiles with a logger that fails on any vega-lite warning (a dropped encoding is a silent bug). */
function compileStrict(spec: TopLevelSpec): void {
  const warnings: unknown[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => { warnings.push(m); return logger; },
    warn: (...m: unknown[]) => { warnings.push(m); return logger; },
    info: () => logger,
    debug: () => logger,
  };
  const options = { logger } as unknown as Parameters<typeof vl.compile>[1];
  const compiled = vl.compile(spec, options);
  expect(compiled.spec.marks?.length ?? 0).toBeGreaterThan(0);
  expect(warnings).toEqual([]);
}

const charts: Record<string, () => TopLevelSpec> = {
  'forest-success-rate': () => forestChart(stage2.results, 'success_rate', -1),
  'forest-latency-p95': () => forestChart(stage2.results, 'latency_p95', 1),
  series: () => seriesChart({ ...input.series[0]!, points: input.series[0]!.points.filter((p) => p.hour >= '2026-10-18T20' && p.hour < '2026-10-19T06') }, input.plan.stages),
  latency: () => latencyChart(stage2.results, input.plan.providers),
  shadow: () => shadowChart(stage2.results),
  srm: () => srmChart(input.evaluations),
};

describe.each(Object.entries(charts))('%s chart', (name, chart) => {
  it('matches its reviewed spec', async () => {
    await expect(`${JSON.stringify(chart(), null, 2)}\n`).toMatchFileSnapshot(`../output/${name}.vl.json`);
  });
  it('compiles with vega-lite without a warning', () => {
    compileStrict(chart());
  });
  it('renders to SVG in Node', async () => {
    const svg = await renderSvg(chart());
    expect(svg).toMatch(/^<svg[^>]*width="\d+"/);
    expect(svg).not.toContain('<img');
  });
});

describe('forestChart', () => {
  it('puts the tolerance on the harmful side of zero, in display units', () => {
    const rules = (spec: TopLevelSpec) => JSON.stringify(spec).match(/\{"x":(-?[\d.]+),"label":"tolerance"\}/)?.[1];
    expect(rules(forestChart(stage2.results, 'success_rate', -1))).toBe('-0.5');
    expect(rules(forestChart(stage2.results, 'latency_p95', 1))).toBe('10');
  });
  it('draws only results of its metric that have an effect', () => {
    const spec = JSON.stringify(forestChart(stage2.results, 'success_rate', -1));
    expect(spec).toContain('"cohort":"tenant t012"');
    expect(spec).not.toContain('tenant t027');
    expect(spec).not.toContain('shadow');
  });
});

describe('seriesChart', () => {
  it('marks only the stage starts inside the series and draws one band point per hour', () => {
    const spec = seriesChart(input.series[0]!, input.plan.stages) as { datasets: Record<string, { stage?: string; hour: number }[]> };
    expect(spec.datasets['starts']).toEqual([
      { hour: Date.parse('2026-10-19T00:00:00Z'), stage: 'stage-1' },
      { hour: Date.parse('2026-10-21T00:00:00Z'), stage: 'stage-2' },
    ]);
    const hours = spec.datasets['band']?.map((v) => v.hour) ?? [];
    expect(hours.length).toBeGreaterThan(200);
    expect(new Set(hours).size).toBe(hours.length);
  });
});

describe('compactSvg', () => {
  it('rounds geometry to tenths of a pixel and leaves text alone', () => {
    const svg = '<path transform="translate(298.79999999999995,200)" d="M3.16227,0L1.5,2.023456" aria-label="effect: 8.715"/><text>0.123456</text>';
    expect(compactSvg(svg)).toBe('<path transform="translate(298.7,200)" d="M3.1,0L1.5,2"/><text>0.123456</text>');
  });

  it('leaves out default and interaction-only attributes, per-group aria markup and empty group paths, nothing else', () => {
    const svg = '<svg class="marks" width="10"><g role="graphics-object" aria-roledescription="group mark container"><path class="background" aria-hidden="true" d="M0,0h0v0h0Z" pointer-events="none"/><line aria-label="x: 0; label: no change" x2="5" opacity="1" opacity="0.5" stroke-width="1"/><path class="foreground" aria-hidden="true" d="" pointer-events="none" display="none"/><path class="background" aria-hidden="true" d="M0.5,0.5h480v96h-480Z" stroke="#ddd"/></g></svg>';
    expect(compactSvg(svg, 'MFA: <b>')).toBe('<svg role="img" aria-label="MFA: &lt;b&gt;" width="10"><g><line x2="5" opacity="0.5" stroke-width="1"/><path d="M0.5,0.5h480v96h-480Z" stroke="#ddd"/></g></svg>');
  });

  it('draws long line and area paths to whole pixels', () => {
    const d = Array.from({ length: 60 }, (_, i) => `L${i}.46,${100 - i}.52`).join('');
    expect(compactSvg(`<path d="M0.4,1.6${d}"/>`)).toBe(`<path d="M0,2${Array.from({ length: 60 }, (_, i) => `L${i},${101 - i}`).join('')}"/>`);
  });
});
