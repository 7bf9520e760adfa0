import { beforeAll, describe, expect, it } from 'vitest';
import { demoInput } from '../../bench/report-input.js';
import { renderReport } from '../../src/report/render-report.js';
import type { ReportInput } from '../../src/report/report-input.js';

// A demo-sized input (bench/report-input.ts): five stages of ~480 results with the simulated store's verdict mix,
// 3,025 stage-plan rows and 7 flagged series. Deterministic, so its size is a fact to assert (its timing is not: bench/report.ts).
let input: ReportInput;
let page: string;

beforeAll(async () => {
  input = demoInput();
  page = await renderReport(input);
});

describe('a demo-sized report', () => {
  it('stays under 500 KB', () => {
    expect(Buffer.byteLength(page)).toBeLessThan(500 * 1024);
  });

  it('keeps a full row for every tested result of the latest stage and every regression or improvement, and lists the rest compactly', () => {
    const results = input.evaluations.flatMap((e) => e.results);
    const untestable = results.filter((r) => r.verdict === 'insufficient_data');
    const latest = input.evaluations[input.evaluations.length - 1]!.results.filter((r) => r.verdict !== 'insufficient_data');
    const earlier = input.evaluations.slice(0, -1).flatMap((e) => e.results);
    const loud = earlier.filter((r) => r.verdict === 'regression' || r.verdict === 'improvement');
    const quiet = earlier.filter((r) => r.verdict === 'pass' || r.verdict === 'inconclusive');
    expect(page.match(/<tr class="v-[a-z_]+">/g)).toHaveLength(latest.length + loud.length);
    const quietListed = [...page.matchAll(/<p class="cohort-list">(.*?)<\/p>/gs)].flatMap((m) => [...(m[1] ?? '').matchAll(/ (?:pass|\?) [−+]?\d/g)]);
    expect(quietListed).toHaveLength(quiet.length);
    const listed = [...page.matchAll(/<ul class="cohort-list">(.*?)<\/ul>/gs)].flatMap((m) => [...(m[1] ?? '').matchAll(/\(\d[\d,]* \/ \d[\d,]*\)/g)]);
    expect(listed).toHaveLength(untestable.length);
  });

  it('writes a note many rows share once under its table, and cites it in each row', () => {
    const stage5 = page.slice(page.indexOf('<h3>stage-5</h3>'), page.indexOf('id="charts"'));
    expect(stage5.match(/no legacy traffic left/g)?.length).toBe(stage5.match(/<ol class="notes">/g)?.length);
    expect(stage5).toContain('<br><small>note 1</small>');
  });

  it('counts the stage plan per stage × metric and names each undetectable cohort × metric once', () => {
    const plan = page.slice(page.indexOf('id="stage-plan"'), page.indexOf('id="method"'));
    expect(plan).not.toContain('<table class="stage-plan">');
    expect(plan).toContain('<table class="stage-plan counts">');
    const pairs = new Set(input.stagePlan.filter((r) => !r.detectable).map((r) => `${JSON.stringify(r.cohort)}#${r.metric}`));
    const named = [...plan.matchAll(/<li><strong>[^<]+<\/strong>, not judgeable in [^(]+\((\d[\d,]*)\)/g)].reduce((n, m) => n + Number((m[1] ?? '0').replace(',', '')), 0);
    expect(named).toBe(pairs.size);
    expect(plan).toContain('<code>stage_plan</code>');
  });

  it('draws at most 3 series and says how many more were flagged', () => {
    expect(page.match(/<figure class="chart" id="series-/g)).toHaveLength(3);
    expect(input.series).toHaveLength(7);
    expect(page).toContain('4 more flagged cohort series are not drawn');
  });
});
