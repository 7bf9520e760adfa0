import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderReport } from '../../src/report/render-report.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { chartSpecs } from '../../src/report/sections/charts-section.js';
import { fixtureInput, forbiddenIdentifiers } from './report-fixture.js';

const HOSTILE = ['<img src=x onerror=alert(1)>', '<img src=x onerror=window.__xss=1>', '</script><script>window.__xss=2</script>'];
let page: string;

beforeAll(async () => {
  page = await renderReport(fixtureInput());
});

/** The page with the inline JSON specs and the one sort script removed: what the browser parses as markup. */
const markup = (text: string) => text.replace(/<script type="application\/json"[^>]*>.*?<\/script>/gs, '').replace(/<script>.*?<\/script>/gs, '');

describe('renderReport', () => {
  it('writes the sections in the agreed order', () => {
    const ids = [...page.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'results', 'charts', 'rollback', 'decisions', 'stage-plan', 'method']);
    const headings = [...page.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(['1. Summary', '2. Cohort results', '3. Charts', '4. Rollback', '5. Decision log', '6. Stage plan', '7. Method']);
  });

  it('adds the post-rollout section before Method only when findings are given', async () => {
    const input: ReportInput = {
      ...fixtureInput(),
      postRollout: { window: { start: '2026-10-28T00:00:00Z', end: '2026-11-04T00:00:00Z' }, holdbackShare: 0.02, results: [], notes: ['<b>holdback</b> healthy'] },
    };
    const withFindings = await renderReport(input);
    const ids = [...withFindings.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.slice(-2)).toEqual(['post-rollout', 'method']);
    expect(withFindings).toContain('<li>&lt;b&gt;holdback&lt;/b&gt; healthy</li>');
  });

  it('states each stage verdict as a traffic light and one sentence', () => {
    expect(page).toContain('data-light="amber"');
    expect(page).toContain('data-light="red"');
    expect(page).toContain('stage-2: one tenant regressed: t012 success rate −3.1 pp (95% CI −4.4 to −1.8); recommended rollback: tenant t012 only.');
  });

  it('lists every cohort × metric of every stage, regressions first, and the untestable ones compactly', () => {
    const results = fixtureInput().evaluations.flatMap((e) => e.results);
    const untestable = results.filter((r) => r.verdict === 'insufficient_data');
    expect(untestable).toHaveLength(1);
    // The latest stage shows every tested result as a row; earlier stages show regressions and improvements
    // as rows and list their passing / inconclusive results compactly with their effects.
    const evaluations = fixtureInput().evaluations;
    const latest = evaluations[evaluations.length - 1]!.results.filter((r) => r.verdict !== 'insufficient_data');
    const earlier = evaluations.slice(0, -1).flatMap((e) => e.results);
    const loud = earlier.filter((r) => r.verdict === 'regression' || r.verdict === 'improvement');
    const quiet = earlier.filter((r) => r.verdict === 'pass' || r.verdict === 'inconclusive');
    const rows = page.match(/<tr class="v-[a-z_]+">/g) ?? [];
    expect(rows).toHaveLength(latest.length + loud.length);
    const quietListed = [...page.matchAll(/<p class="cohort-list">(.*?)<\/p>/gs)].flatMap((m) => [...(m[1] ?? '').matchAll(/ (?:pass|\?) [−+]?\d/g)]);
    expect(quietListed).toHaveLength(quiet.length);
    expect(page).not.toContain('<tr class="v-insufficient_data"');
    // t027's success rate in stage-2: 41 candidate logins, no control; its note stays in evaluation.json.
    expect(page).toContain('1 cohort with too little data to test');
    expect(page).toMatch(/<ul class="cohort-list"><li><strong>tenant<\/strong> \(1\): t027 \(41 \/ 0\)<\/li><\/ul>/);
    const stage2 = page.slice(page.indexOf('<h3>stage-2</h3>'));
    expect(stage2.indexOf('v-regression')).toBeLessThan(stage2.indexOf('v-pass'));
    expect(page).toMatch(/<table class="results sortable" id="results-stage-2-success-rate">/);
  });

  it('renders the charts as inline SVG, and says where their specs are', () => {
    const figures = [...page.matchAll(/<figure class="chart" id="([^"]+)">\n<svg role="img" aria-label="[^"]+" /g)].map((m) => m[1]);
    // stage-1 regressed nowhere, so it is not charted; stage-2 (the latest): 2 forest (shadow has its own chart) + latency + shadow; one series; SRM.
    expect(figures).toEqual(['forest-stage-2-success-rate', 'forest-stage-2-latency-p95', 'latency-stage-2', 'shadow-stage-2', 'series-tenant-t012-success-rate', 'srm']);
    // Specs repeat their chart's data: they go to evaluation.json (chartSpecs), one per figure, not into the page.
    expect(page).not.toContain('<script type="application/json"');
    expect(Object.keys(chartSpecs(fixtureInput()))).toEqual(figures);
    expect(page).toContain('under <code>charts</code>, by the figure');
  });

  it('shows the flagd file and the decision log', () => {
    expect(page).toContain('&quot;defaultVariant&quot;: &quot;legacy&quot;');
    const log = page.slice(page.indexOf('id="decisions"'), page.indexOf('id="stage-plan"'));
    expect(log.indexOf('d-0001')).toBeLessThan(log.indexOf('d-0003'));
    expect(log).toContain('<strong>escalate</strong>');
  });

  it('shows the stage plan MDE per cohort and stage', () => {
    expect(page).toMatch(/<td>tenant t012<\/td><td>success rate<\/td><td>0\.50 pp<\/td><td class="weak">0\.98 pp ✗<\/td><td>0\.43 pp ✓<\/td>/);
  });

  it('states the method: baseline snapshot, data range, plan hash and toolkit version', () => {
    const method = page.slice(page.indexOf('id="method"'));
    expect(method).toContain('bs-20261019-7f3a2c');
    expect(method).toContain('data 2026-09-21 00:00 UTC to 2026-10-19 00:00 UTC');
    expect(method).toContain(fixtureInput().plan.hash);
    expect(method).toContain('stagewise 0.1.0');
    expect(method).toContain('each chart\'s vega-lite spec (<code>charts</code>), which this page does not embed');
    expect(method).toContain('mSPRT normal mixture');
  });

  it('leaves no hostile string live: each appears only escaped in markup and \\u003c-escaped in JSON', () => {
    const live = markup(page);
    for (const text of HOSTILE) expect(live).not.toContain(text);
    expect(live).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/<img/i);
    expect(page.match(/<script/g)).toHaveLength((page.match(/<script type="application\/json"/g) ?? []).length + 1);
    expect(page.match(/<\/script>/g)).toHaveLength((page.match(/<script/g) ?? []).length);
  });

  it('asks the network for nothing: no external URL in any src, href or url()', () => {
    expect(page).not.toMatch(/<(link|iframe|object|embed|img|audio|video)\b/i);
    expect(page).not.toMatch(/\b(src|href)\s*=\s*"(?!#)/i);
    expect(page).not.toMatch(/url\(/i);
    expect(page).not.toMatch(/@import/i);
    expect(page).toContain("default-src 'none'");
  });

  it('contains no IP address and none of the pseudonymised user ids behind the fixture', () => {
    const { userIds, ipPrefixes } = forbiddenIdentifiers();
    expect(page.match(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g)).toBeNull();
    for (const id of [...userIds, ...ipPrefixes]) expect(page).not.toContain(id);
  });

  it('is reproducible: the same input gives the same page, whatever the clock says', async () => {
    vi.useFakeTimers({ now: new Date('2031-01-01T00:00:00Z'), toFake: ['Date'] });
    try {
      expect(await renderReport(fixtureInput())).toBe(page);
    } finally {
      vi.useRealTimers();
    }
  });

  it('has a print stylesheet and a viewport for laptop widths', () => {
    expect(page).toContain('@media print');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});
