import type { CohortResult, Evaluation, Verdict } from '../types.js';
import { cohortId } from './cohort-id.js';

const ORDER: Record<Verdict, number> = { regression: 0, improvement: 1, inconclusive: 2, pass: 3, insufficient_data: 4 };
const SHOWN_BESIDE_REGRESSIONS = 10;

const format = (value: number | null, metric: string): string => {
  if (value === null) return '–';
  return metric.startsWith('latency_') ? value.toFixed(1) : value.toFixed(4);
};
const signed = (value: number | null, metric: string): string => {
  if (value === null) return '–';
  const text = metric.startsWith('latency_') ? `${(value * 100).toFixed(1)}%` : `${(value * 100).toFixed(2)}pp`;
  return value > 0 ? `+${text}` : text;
};

/** The terminal summary of an evaluation: SRM alarms first, then a short table with regressions first, then the rollback rules. */
export function evaluationText(evaluation: Evaluation): string {
  const lines = [`Stage ${evaluation.stage}: ${evaluation.window.start} → ${evaluation.window.end} (baseline ${evaluation.baseline_id}, α ${evaluation.alpha})`];
  const srm = evaluation.srm.filter((s) => s.mismatch);
  for (const s of srm) {
    lines.push(`SRM ${cohortId(s.cohort) || 'everyone'}: ${s.units_candidate}/${s.units_total} ${s.unit}s on the candidate (${(s.observed_share * 100).toFixed(1)}% vs ${(s.expected_share * 100).toFixed(1)}%), p=${s.p_value.toExponential(2)}: verdicts untrustworthy`);
  }
  for (const note of evaluation.notes ?? []) lines.push(note);
  const sorted = [...evaluation.results].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || (a.p_adjusted ?? 1) - (b.p_adjusted ?? 1));
  const shown = sorted.filter((r, i) => r.verdict === 'regression' || r.verdict === 'improvement' || i < SHOWN_BESIDE_REGRESSIONS);
  lines.push(row(['verdict', 'cohort', 'metric', 'design', 'observed', 'expected', 'effect', 'p_adj']));
  for (const r of shown) lines.push(resultRow(r));
  const counts = Object.keys(ORDER).map((v) => `${evaluation.results.filter((r) => r.verdict === v).length} ${v}`);
  lines.push(`${evaluation.results.length} results: ${counts.join(', ')}${shown.length < sorted.length ? ` (${sorted.length - shown.length} not shown)` : ''}`);
  if (evaluation.rollback.rules.length === 0) lines.push('Rollback: none');
  for (const rule of evaluation.rollback.rules) lines.push(`Rollback ${cohortId(rule.cohort) || 'everyone'} to legacy (results ${rule.justified_by.join(', ')})`);
  return lines.join('\n');
}

function resultRow(r: CohortResult): string {
  const line = row([r.verdict, cohortId(r.cohort) || 'everyone', r.metric, r.design, format(r.observed, r.metric), format(r.expected, r.metric), signed(r.effect, r.metric), r.p_adjusted === null ? '–' : r.p_adjusted.toPrecision(2)]);
  return r.accepted ? `${line}  (accepted by ${r.accepted.operator} ${r.accepted.at.slice(0, 10)}: ${r.accepted.reason})` : line;
}

const WIDTHS = [17, 28, 16, 26, 9, 9, 9, 7];
const row = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(WIDTHS[i] ?? 8)).join(' ').trimEnd();
