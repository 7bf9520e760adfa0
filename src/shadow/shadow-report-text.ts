import type { Cohort } from '../types.js';
import type { ShadowKindCount, ShadowReport } from './shadow-report.js';

const cohortName = (cohort: Cohort): string =>
  Object.keys(cohort).length === 0 ? 'everyone' : Object.entries(cohort).map(([k, v]) => `${k}=${v}`).join(' ');
const pct = (value: number | null, digits = 3): string => (value === null ? '—' : `${(value * 100).toFixed(digits)}%`);
const pValue = (value: number | null): string =>
  value === null ? '—' : value === 0 ? '0' : value < 1e-4 ? value.toExponential(1) : value.toFixed(4);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const kindsText = (kinds: readonly ShadowKindCount[]): string =>
  kinds.length === 0 ? 'none recorded' : kinds.map((k) => `${k.kind} ${k.mismatches} (${(k.share * 100).toFixed(0)}%)`).join(', ');

/** The shadow report as terminal text: the per-cohort table, mismatch kinds, and where mismatches concentrate. */
export function shadowReportText(report: ShadowReport): string {
  const lines = [
    `Shadow (dual-write) analysis: ${report.plan_name}, stage ${report.stage}, ${report.window.start} to ${report.window.end}`,
    `Candidate ${report.candidate_provider}; noise floor m0 = ${pct(report.noise_floor)}; α = ${report.alpha}; p(BH): ${report.adjustment}.`,
    '',
    ...table(
      ['cohort', 'pairs', 'mismatch', 'errors', 'rate', 'exact up', 'AV up', 'p', 'p(BH)', 'verdict', 'McNemar b/c p'],
      report.results.map((r) => [
        cohortName(r.cohort), String(r.n), String(r.mismatches), String(r.shadow_errors), pct(r.observed), pct(r.upper_exact),
        pct(r.ci ? r.ci[1] + r.tolerance : null), pValue(r.p_value), pValue(r.p_adjusted), r.verdict, `${r.paired.b}/${r.paired.c} ${pValue(r.paired.p_value)}`,
      ]),
    ),
    '',
    `Mismatch kinds, everyone: ${kindsText(report.kinds.overall)}`,
    ...report.kinds.flagged.map((f) => `Mismatch kinds, ${cohortName(f.cohort)}: ${kindsText(f.kinds)}`),
    '',
    `Where mismatches concentrate, ranked by ${report.concentration.ranked_by}:`,
    ...(report.concentration.cohorts.length === 0
      ? ['  no cohort has more mismatches than its noise floor accounts for']
      : report.concentration.cohorts.map(
          (c) => `  ${cohortName(c.cohort)}: ${c.mismatches} mismatches in ${c.pairs} pairs, ${c.excess.toFixed(1)} above the floor's ${c.expected_at_floor.toFixed(1)} (${(c.share_of_mismatches * 100).toFixed(0)}% of all)`,
        )),
    '',
    report.regressions > 0 ? `${report.regressions} regression(s) against the noise floor.` : 'No regression against the noise floor.',
  ];
  return lines.join('\n');
}
