import { parseCohortKey } from '../baseline/cohort-key.js';
import { groupingMask } from '../baseline/cohort-sets.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import { poissonRateRatioTest } from '../stats/poisson-rate-ratio-test.js';
import { ratioVariance } from '../stats/ratio-variance.js';
import type { Cohort, Dimension } from '../types.js';
import type { BaselineCountRow, ErrorCodeTotalRow, PostLookRow } from './hunt-sql.js';
import { cellNull, setSpread, shareNull, type SetSpread } from './hunt-prior.js';
import { predictiveLogE } from './predictive-e-process.js';
import { taroneEligible } from './tarone.js';
import { groupBy } from '../group-by.js';

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
  /** Design effect of the combination's failures from user clustering (≥ 1); events are divided by it before testing. */
  designEffect: number;
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

const rowKey = (g: number, key: string, parent: string, metric: string): string => `${g}|${key}|${parent}|${metric}`;

type Scored = HuntCell & { pMin: number };

/**
 * The rare-regression hunt (statistics.md 3.2, 4, 5): every combination with window traffic ×
 * (all failures, each error code), tested on its share of its parent's events against the
 * baseline share (`shareNull`: shrunk rate, rest of the parent, week-to-week spread) with the
 * beta-binomial predictive e-process over daily looks — shocks shared with the parent (an IdP
 * incident, a tenant's drift) cancel in the share. Tarone-screened, then Benjamini–Hochberg
 * across everything eligible. Error codes the baseline never saw are also tested for everyone.
 */
export function hunt(input: HuntInput): HuntResult {
  const baseline = new Map(input.baseline.map((r) => [rowKey(r.g, r.cohort_key, r.parent_key, r.metric), r]));
  const looks = groupLooks(input.looks);
  const parents = chooseParents(input.baseline, input.looks);
  const codes = input.codes.map((c) => c.metric);
  const newCodes = new Set(input.codes.filter((c) => c.baseline_x === 0).map((c) => c.metric));
  const codeShare = failureShares(input.codes);
  const cells: Scored[] = [];
  for (const dims of input.sets) {
    const g = groupingMask(dims);
    const combos = [...parents].filter(([combo]) => combo.startsWith(`${g}|`));
    for (const metric of ['', ...codes]) {
      const spread = setSpread(input.baseline.filter((r) => r.g === g && r.metric === metric && parents.get(`${g}|${r.cohort_key}`) === r.parent_key));
      const tolerance = metric === '' ? input.tolerance.failures : (input.tolerance.codes.get(metric) ?? input.tolerance.failures * (codeShare.get(metric) ?? 0));
      for (const [combo, parent] of combos) {
        const key = combo.slice(`${g}|`.length);
        cells.push(scoreCell({
          g, key, dims, metric, tolerance, spread,
          kind: metric === '' ? 'failures' : newCodes.has(metric) ? 'new_error_code' : 'error_code',
          own: baseline.get(rowKey(g, key, parent, metric)), base: baseline.get(rowKey(g, key, parent, '')),
          looks: looks.get(rowKey(g, key, parent, metric)) ?? [], exposure: looks.get(rowKey(g, key, parent, '')) ?? [],
        }));
      }
    }
  }
  cells.push(...newCodeCells(input, newCodes));
  return judge(cells, input.alpha, [...newCodes]);
}

/**
 * Per combination with window traffic (`g|key`), the parent it is compared with: of the sets
 * without one of its dimensions, the one with the most baseline attempts (then window attempts),
 * so the combination is the smallest part of it and a regression of its own moves the rest least.
 */
function chooseParents(baseline: readonly BaselineCountRow[], looks: readonly PostLookRow[]): Map<string, string> {
  const size = new Map<string, number>();
  for (const r of baseline) if (r.metric === '') size.set(`${r.g}|${r.cohort_key}|${r.parent_key}`, r.parent_n);
  const best = new Map<string, { parent: string; rank: [number, number] }>();
  for (const l of looks) {
    if (l.metric !== '') continue;
    const combo = `${l.g}|${l.cohort_key}`;
    const rank: [number, number] = [size.get(`${combo}|${l.parent_key}`) ?? 0, l.parent_n];
    const current = best.get(combo);
    const better = !current || rank[0] > current.rank[0] || (rank[0] === current.rank[0] && (rank[1] > current.rank[1] || (rank[1] === current.rank[1] && l.parent_key < current.parent)));
    if (better) best.set(combo, { parent: l.parent_key, rank });
  }
  return new Map([...best].map(([combo, { parent }]) => [combo, parent]));
}

interface CellInput {
  g: number;
  key: string;
  dims: readonly Dimension[];
  metric: string;
  kind: HuntKind;
  tolerance: number;
  spread: SetSpread;
  own: BaselineCountRow | undefined;
  /** The combination's all-failures baseline row (its attempts and its parent's). */
  base: BaselineCountRow | undefined;
  looks: readonly PostLookRow[];
  /** The all-failures looks, whose attempts are the exposures of every metric. */
  exposure: readonly PostLookRow[];
}

function scoreCell(c: CellInput): Scored {
  const { cohort } = parseCohortKey(c.key);
  const own = { x: c.own?.x ?? 0, n: c.base?.n ?? 0 };
  const parent = { x: c.own?.parent_x ?? 0, n: c.base?.parent_n ?? 0 };
  const exposureAt = new Map(c.exposure.map((l) => [l.day, l]));
  const final = c.exposure[c.exposure.length - 1];
  const n = final?.n ?? 0;
  const cell = cellNull(own, parent, c.spread);
  const last = c.looks[c.looks.length - 1];
  const base = {
    cohort, cohortKey: c.key, dimensions: [...c.dims], metric: c.metric, kind: c.kind, baselineN: own.n, baselineX: own.x,
    baselineRate: cell.rate, shrinkWeight: cell.weight, n, x: last?.x ?? 0, expected: n * cell.rate,
    eligibility: 'ineligible' as const, pAdjusted: null, found: false,
  };
  if (parent.x === 0 || !final || !last) return { ...base, designEffect: 1, p: 1, logE: 0, pMin: 1 };
  let [p, best, designEffect] = [1, -Infinity, 1];
  for (const look of c.looks) {
    const at = exposureAt.get(look.day) ?? look;
    designEffect = userDesignEffect(at);
    const [x, trials] = [Math.round(look.x / designEffect), Math.round(look.parent_x / designEffect)];
    const logE = predictiveLogE(x, trials, shareNull(cell, at.n, at.parent_n - at.n, c.tolerance));
    best = Math.max(best, logE);
    p = Math.min(p, Math.exp(-Math.max(0, logE)));
  }
  const trials = Math.round(last.parent_x / userDesignEffect(final));
  const pMin = Math.min(1, Math.exp(-predictiveLogE(trials, trials, shareNull(cell, final.n, final.parent_n - final.n, c.tolerance))));
  return { ...base, designEffect, p, logE: best, pMin };
}

/**
 * The design effect of a combination's failure rate from its per-user sums (statistics.md 2.6,
 * `ratioVariance`), at least 1: one user's retry burst is one unit of evidence, not twenty. Its
 * events are divided by it (Kish's effective sample size) before testing.
 */
function userDesignEffect(look: PostLookRow): number {
  if (!(look.users >= 2) || !(look.x > 0) || look.x >= look.n) return 1;
  const { designEffect } = ratioVariance({ K: look.users, Sx: look.x, Sn: look.n, Sxx: look.user_sxx, Snn: look.user_snn, Sxn: look.user_sxn });
  return Number.isFinite(designEffect) ? Math.max(1, designEffect) : 1;
}

function judge(cells: readonly Scored[], alpha: number, newErrorCodes: string[]): HuntResult {
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

function groupLooks(rows: readonly PostLookRow[]): Map<string, PostLookRow[]> {
  return groupBy(rows, (r) => rowKey(r.g, r.cohort_key, r.parent_key, r.metric));
}

/** Each error code's share of all baseline failures. */
function failureShares(codes: readonly ErrorCodeTotalRow[]): Map<string, number> {
  const all = codes.reduce((s, c) => s + c.baseline_x, 0);
  return new Map(codes.map((c) => [c.metric, all > 0 ? c.baseline_x / all : 0]));
}

/**
 * Everyone-level cells for error codes the baseline period never saw: the exact conditional
 * Poisson test of 0 baseline events against x window events (`x | x + 0 ~ Bin(x, N/(N + N_b))`,
 * so p = (N/(N + N_b))^x; statistics.md 5.1), Bonferroni-corrected over the daily looks so far so a
 * daily schedule does not inflate it; its minimum attainable p is 0, so it is always eligible.
 */
function newCodeCells(input: HuntInput, newCodes: ReadonlySet<string>): Scored[] {
  const g = input.sets[0] ? groupingMask(input.sets[0]) : -1;
  const baselineByCombo = new Map<string, number>();
  for (const r of input.baseline) if (r.g === g && r.metric === '') baselineByCombo.set(r.cohort_key, r.n);
  const baselineN = [...baselineByCombo.values()].reduce((s, v) => s + v, 0);
  const finals = new Map<string, number>();
  let days = 0;
  for (const l of input.looks) {
    days = Math.max(days, l.day + 1);
    if (l.g === g && l.metric === '') finals.set(l.cohort_key, l.n);
  }
  const n = [...finals.values()].reduce((s, v) => s + v, 0);
  return input.codes
    .filter((c) => newCodes.has(c.metric) && n > 0 && c.post_x > 0)
    .map((c) => {
      const x = Math.round(c.post_x);
      const exact = (events: number) => Math.min(1, days * poissonRateRatioTest({ xT: events, eT: n, xC: 0, eC: Math.max(baselineN, 1) }, 'greater').pValue);
      const p = exact(x);
      return {
        cohort: {}, cohortKey: '', dimensions: [], metric: c.metric, kind: 'new_error_code' as const,
        baselineN, baselineX: 0, baselineRate: 0, shrinkWeight: 1, n, x, expected: 0, designEffect: 1, p, logE: -Math.log(p),
        eligibility: 'ineligible' as const, pAdjusted: null, found: false, pMin: 0,
      };
    });
}
