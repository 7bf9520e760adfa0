import { parseCohortKey, cohortKey } from '../baseline/cohort-key.js';
import { groupingMask } from '../baseline/cohort-sets.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import type { Cohort, Dimension } from '../types.js';
import type { BaselineCountRow, ErrorCodeTotalRow, PostLookRow, PostTotalRow } from './hunt-sql.js';
import { parentSet } from './hunt-sql.js';
import { cellPrior, setSpread, type BaselineCounts, type SetSpread } from './hunt-prior.js';
import { predictiveEProcess, predictiveLogE, type CountLook } from './predictive-e-process.js';
import { taroneEligible } from './tarone.js';

/** What the hunt tests: all failures, failures with one error code, or a code the baseline never saw. */
export type HuntKind = 'failures' | 'error_code' | 'new_error_code';

/** One combination × metric the hunt examined. */
export interface HuntCell {
  cohort: Cohort;
  cohortKey: string;
  dimensions: Dimension[];
  /** `''` for all failures, else the error code. */
  metric: string;
  kind: HuntKind;
  /** Baseline period: attempts and events of the combination itself. */
  baselineN: number;
  baselineX: number;
  /** Baseline rate shrunk towards the parent, and the weight of the combination's own counts. */
  baselineRate: number;
  shrinkWeight: number;
  /** Post-rollout window: attempts and events so far. */
  n: number;
  x: number;
  /** Events expected at the baseline rate, `n · baselineRate`. */
  expected: number;
  /** Always-valid p (running minimum over daily looks) and the largest log e-value reached. */
  p: number;
  logE: number;
  /** How the cell became testable: ≥ 5 expected events, or Tarone's minimum attainable p; else ineligible. */
  eligibility: 'expected' | 'tarone' | 'ineligible';
  /** BH-adjusted p across the eligible cells (null when ineligible). */
  pAdjusted: number | null;
  /** Eligible, BH-significant, and above the baseline rate plus the tolerance. */
  found: boolean;
}

/** Everything the hunt needs, as the SQL builders of hunt-sql.ts return it. */
export interface HuntInput {
  /** The dimension sets hunted (pairs and triples not in the plan). */
  sets: readonly (readonly Dimension[])[];
  baseline: readonly BaselineCountRow[];
  totals: readonly PostTotalRow[];
  looks: readonly PostLookRow[];
  codes: readonly ErrorCodeTotalRow[];
  /** Tolerated absolute increase of the failure rate, and per error code. */
  tolerance: { failures: number; codes: ReadonlyMap<string, number> };
  /** FDR level. */
  alpha: number;
}

/** The hunt's outcome: every cell examined, with counts for the report. */
export interface HuntResult {
  cells: HuntCell[];
  examined: number;
  eligible: number;
  ineligible: number;
  /** Error codes with window failures and none in the baseline period. */
  newErrorCodes: string[];
}

const rowKey = (g: number, key: string, metric = ''): string => `${g}|${key}|${metric}`;

/**
 * The rare-regression hunt (statistics.md 4, 5): every combination with window traffic × (all
 * failures, each error code) tested with the beta-binomial predictive e-process against its
 * shrunk baseline, Tarone-screened, then Benjamini–Hochberg across everything eligible.
 * Error codes the baseline never saw are also tested for everyone at once (Jeffreys null).
 */
export function hunt(input: HuntInput): HuntResult {
  const baseline = new Map(input.baseline.map((r) => [rowKey(r.g, r.cohort_key, r.metric), r]));
  const combos = new Map(input.baseline.filter((r) => r.metric === '').map((r) => [rowKey(r.g, r.cohort_key), r]));
  const looks = groupLooks(input.looks);
  const codes = input.codes.map((c) => c.metric);
  const newCodes = new Set(input.codes.filter((c) => c.baseline_x === 0).map((c) => c.metric));
  const codeShare = failureShares(input.codes);
  const cells: HuntCell[] = [];
  for (const dims of input.sets) {
    const g = groupingMask(dims);
    const parentG = groupingMask(parentSet(dims));
    const setTotals = input.totals.filter((t) => t.g === g);
    for (const metric of ['', ...codes]) {
      const spread = spreadOf(baseline, combos, g, metric);
      const tolerance = metric === '' ? input.tolerance.failures : (input.tolerance.codes.get(metric) ?? input.tolerance.failures * (codeShare.get(metric) ?? 0));
      for (const total of setTotals) {
        const { cohort } = parseCohortKey(total.cohort_key);
        const own = baseline.get(rowKey(g, total.cohort_key, metric));
        const ownN = combos.get(rowKey(g, total.cohort_key))?.n ?? 0;
        const parentKey = rowKey(parentG, cohortKey(cohort, parentSet(dims)));
        const parent = { n: combos.get(parentKey)?.n ?? 0, x: baseline.get(`${parentKey}${metric}`)?.x ?? 0 };
        const prior = cellPrior({ x: own?.x ?? 0, n: ownN }, parent, spread, tolerance);
        const cellLooks = [...(looks.get(rowKey(g, total.cohort_key, metric)) ?? [])];
        const last = cellLooks[cellLooks.length - 1];
        cellLooks.push({ x: last?.x ?? 0, n: total.n });
        const states = predictiveEProcess(cellLooks, prior.null);
        cells.push({
          cohort, cohortKey: total.cohort_key, dimensions: [...dims], metric,
          kind: metric === '' ? 'failures' : newCodes.has(metric) ? 'new_error_code' : 'error_code',
          baselineN: ownN, baselineX: own?.x ?? 0, baselineRate: prior.rate, shrinkWeight: prior.weight,
          n: total.n, x: last?.x ?? 0, expected: total.n * prior.rate,
          p: states[states.length - 1]?.p ?? 1, logE: Math.max(...states.map((s) => s.logE)),
          eligibility: 'ineligible', pAdjusted: null, found: false,
          // Tarone's minimum attainable p: every window attempt a failure.
          ...{ pMin: Math.min(1, Math.exp(-predictiveLogE(total.n, total.n, prior.null))) },
        } as HuntCell & { pMin: number });
      }
    }
  }
  cells.push(...newCodeCells(input, newCodes));
  return judge(cells as (HuntCell & { pMin: number })[], input.alpha, [...newCodes]);
}

function judge(cells: (HuntCell & { pMin: number })[], alpha: number, newErrorCodes: string[]): HuntResult {
  const byExpected = cells.map((c) => c.expected >= 5);
  const eligible = taroneEligible(cells.map((c) => c.pMin), byExpected, alpha);
  const tested = cells.flatMap((_, i) => (eligible[i] ? [i] : []));
  const adjusted = benjaminiHochberg(tested.map((i) => cells[i]?.p ?? 1));
  const adjustedAt = new Map(tested.map((i, k) => [i, adjusted[k] ?? 1]));
  const judged = cells.map(({ pMin: _pMin, ...cell }, i): HuntCell => {
    const pAdjusted = adjustedAt.get(i) ?? null;
    const eligibility = !eligible[i] ? 'ineligible' : byExpected[i] ? 'expected' : 'tarone';
    const found = pAdjusted !== null && pAdjusted <= alpha && cell.x > cell.expected;
    return { ...cell, eligibility, pAdjusted, found };
  });
  return { cells: judged, examined: cells.length, eligible: tested.length, ineligible: cells.length - tested.length, newErrorCodes };
}

function groupLooks(rows: readonly PostLookRow[]): Map<string, CountLook[]> {
  const looks = new Map<string, CountLook[]>();
  for (const r of rows) {
    const key = rowKey(r.g, r.cohort_key, r.metric);
    const list = looks.get(key) ?? [];
    list.push({ x: Math.round(r.x), n: Math.round(r.n) });
    looks.set(key, list);
  }
  return looks;
}

/** Each error code's share of all baseline failures. */
function failureShares(codes: readonly ErrorCodeTotalRow[]): Map<string, number> {
  const all = codes.reduce((s, c) => s + c.baseline_x, 0);
  return new Map(codes.map((c) => [c.metric, all > 0 ? c.baseline_x / all : 0]));
}

function spreadOf(rows: ReadonlyMap<string, BaselineCountRow>, combos: ReadonlyMap<string, BaselineCountRow>, g: number, metric: string): SetSpread {
  const counts: BaselineCounts[] = [];
  for (const combo of combos.values()) {
    if (combo.g !== g) continue;
    const row = rows.get(rowKey(g, combo.cohort_key, metric));
    counts.push({ days: combo.days, n: combo.n, snn: combo.snn, x: row?.x ?? 0, sxx: row?.sxx ?? 0 });
  }
  return setSpread(counts);
}

/** Everyone-level cells for error codes the baseline period never saw: Jeffreys null Beta(½, N_baseline + ½). */
function newCodeCells(input: HuntInput, newCodes: ReadonlySet<string>): (HuntCell & { pMin: number })[] {
  const g = input.sets[0] ? groupingMask(input.sets[0]) : -1;
  const baselineN = [...input.baseline].filter((r) => r.g === g && r.metric === '').reduce((s, r) => s + r.n, 0);
  const n = input.totals.filter((t) => t.g === g).reduce((s, t) => s + t.n, 0);
  return input.codes
    .filter((c) => newCodes.has(c.metric) && n > 0)
    .map((c) => {
      const prior = { a: 0.5, b: baselineN + 0.5 };
      const x = Math.round(c.post_x);
      const logE = predictiveLogE(x, Math.round(n), prior);
      return {
        cohort: {}, cohortKey: '', dimensions: [], metric: c.metric, kind: 'new_error_code' as const,
        baselineN, baselineX: 0, baselineRate: 0.5 / (baselineN + 1), shrinkWeight: 1, n, x,
        expected: (n * 0.5) / (baselineN + 1), p: Math.min(1, Math.exp(-Math.max(0, logE))), logE,
        eligibility: 'ineligible' as const, pAdjusted: null, found: false,
        pMin: Math.min(1, Math.exp(-predictiveLogE(Math.round(n), Math.round(n), prior))),
      };
    });
}
