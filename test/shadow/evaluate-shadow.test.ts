import { describe, expect, it } from 'vitest';
import type { PlanMetric } from '../../src/plan/plan.js';
import { adjustShadowFamily } from '../../src/shadow/adjust-shadow-family.js';
import { evaluateShadow, type ShadowCohortStats } from '../../src/shadow/evaluate-shadow.js';
import { betaMixtureUpperBound } from '../../src/shadow/beta-mixture-upper-bound.js';
import { shadowPrior } from '../../src/shadow/shadow-prior.js';
import { truncatedBetaMixtureLogE } from '../../src/shadow/truncated-beta-mixture.js';
import { benjaminiHochberg } from '../../src/stats/benjamini-hochberg.js';

const metric = (tolerance: number): PlanMetric => ({ name: 'shadow_mismatch_rate', family: 'shadow', tolerance, direction: 'lower_is_better' });

const hour = (h: number) => new Date(Date.UTC(2026, 9, 4, h)).toISOString().replace('.000Z', 'Z');

function row(cohort_key: string, h: number, pairs: number, mismatches: number, extra: Partial<ShadowCohortStats> = {}): ShadowCohortStats {
  return { cohort_key, hour: hour(h), pairs, mismatches, shadow_errors: 0, live_fail_legacy_ok: 0, live_ok_legacy_fail: 0, ...extra };
}

describe('evaluateShadow', () => {
  it('passes a cohort with zero mismatches in enough pairs, with the rule-of-three exact bound', () => {
    const [result] = evaluateShadow([row('', 0, 3000, 0), row('', 1, 3000, 0)], metric(0.002), { alpha: 0.05 });
    expect(result).toMatchObject({ cohort: {}, metric: 'shadow_mismatch_rate', design: 'shadow_paired', verdict: 'pass', n: 6000, observed: 0, expected: 0.002 });
    expect(result?.effect).toBeCloseTo(-0.002, 15);
    expect(result?.upper_exact).toBeCloseTo(1 - 0.05 ** (1 / 6000), 15);
    // ci is for the effect m − m0: the rate's interval shifted by the noise floor.
    expect(result?.ci?.[0]).toBeCloseTo(-0.002, 15);
    expect(result?.ci?.[1]).toBeLessThan(0);
    expect(result?.p_value).toBe(1);
    expect(result?.p_adjusted).toBeNull();
  });

  it('calls a small clean cohort insufficient_data and says how many pairs it needs', () => {
    const [result] = evaluateShadow([row('tenant=t1', 0, 300, 0)], metric(0.002), { alpha: 0.05 });
    expect(result?.verdict).toBe('insufficient_data');
    expect(result?.pairs_needed).toEqual({ sequential: 2368, fixed: 1497 });
    expect(result?.note).toBe('300 shadow pairs; needs at least 2368 with no mismatches to show m < 0.002 under hourly looks (1497 for one fixed look)');
  });

  it('flags a cohort whose every pair mismatched, even with five pairs', () => {
    const [result] = evaluateShadow([row('tenant=t2|idp=okta', 0, 5, 5)], metric(0.002), { alpha: 0.05 });
    expect(result?.cohort).toEqual({ tenant: 't2', idp: 'okta' });
    expect(result?.verdict).toBe('regression');
    // mpmath reference (fixtures/beta-mixture.json): log M = 5.777461202471832
    expect(result?.p_value).toBeCloseTo(Math.exp(-5.777461202471832), 12);
    expect(result?.ci).toEqual([expect.closeTo(0.05 ** (1 / 5) - 0.002, 12), expect.closeTo(1 - 0.002, 15)]);
    expect(result?.upper_exact).toBe(1);
  });

  it('does not flag one mismatch in three pairs', () => {
    const [result] = evaluateShadow([row('', 0, 3, 1)], metric(0.002), { alpha: 0.05 });
    expect(result?.p_value).toBeCloseTo(Math.exp(-0.6873298177254172), 12);
    expect(result?.verdict).toBe('insufficient_data');
  });

  it('keeps the smallest p over hourly looks, and 1/M at the last look with looks: final', () => {
    const rows = [row('', 0, 400, 12), row('', 1, 1600, 4)];
    const prior = shadowPrior(0.01);
    const first = Math.exp(-truncatedBetaMixtureLogE(12, 400, 0.01, prior));
    const last = Math.min(1, Math.exp(-truncatedBetaMixtureLogE(16, 2000, 0.01, prior)));
    expect(first).toBeLessThan(last);
    expect(evaluateShadow(rows, metric(0.01), { alpha: 0.05 })[0]?.p_value).toBeCloseTo(first, 14);
    expect(evaluateShadow(rows, metric(0.01), { alpha: 0.05, looks: 'final' })[0]?.p_value).toBeCloseTo(last, 14);
  });

  it('keeps the smallest upper bound over hourly looks, and the last one with looks: final', () => {
    const rows = [row('', 0, 2000, 0), row('', 1, 100, 10)];
    const prior = shadowPrior(0.01);
    const first = betaMixtureUpperBound(0, 2000, 0.05, prior);
    const last = betaMixtureUpperBound(10, 2100, 0.05, prior);
    expect(first).toBeLessThan(last);
    expect(evaluateShadow(rows, metric(0.01), { alpha: 0.05 })[0]?.ci?.[1]).toBeCloseTo(first - 0.01, 15);
    expect(evaluateShadow(rows, metric(0.01), { alpha: 0.05, looks: 'final' })[0]?.ci?.[1]).toBeCloseTo(last - 0.01, 15);
  });

  it('orders looks by hour whatever the row order', () => {
    const rows = [row('', 0, 400, 12), row('', 1, 1600, 4)];
    const forward = evaluateShadow(rows, metric(0.01), { alpha: 0.05 });
    expect(evaluateShadow([...rows].reverse(), metric(0.01), { alpha: 0.05 })).toEqual(forward);
  });

  it('reports the one-sided McNemar test on the discordant pairs and the shadow errors', () => {
    const [result] = evaluateShadow(
      [row('', 0, 500, 1, { shadow_errors: 3, live_fail_legacy_ok: 5, live_ok_legacy_fail: 1 }), row('', 1, 500, 0, { live_fail_legacy_ok: 3 })],
      metric(0.01),
      { alpha: 0.05 },
    );
    // R: binom.test(8, 9, alternative = 'greater')$p.value = 0.01953125
    expect(result?.paired).toEqual({ b: 8, c: 1, p_value: 0.01953125 });
    expect(result).toMatchObject({ mismatches: 1, shadow_errors: 3, n: 1000, n_control: 1000 });
  });

  it('returns one result per cohort in first-appearance order', () => {
    const results = evaluateShadow([row('tenant=b', 0, 10, 0), row('tenant=a', 0, 10, 0), row('tenant=b', 1, 10, 0)], metric(0.01), { alpha: 0.05 });
    expect(results.map((r) => [r.cohort, r.n])).toEqual([[{ tenant: 'b' }, 20], [{ tenant: 'a' }, 10]]);
  });

  it('gives insufficient_data without a p-value for a cohort whose hours hold no pairs', () => {
    const [result] = evaluateShadow([row('', 0, 0, 0)], metric(0.01), { alpha: 0.05 });
    expect(result).toMatchObject({ verdict: 'insufficient_data', observed: null, effect: null, ci: null, p_value: null, upper_exact: null });
  });

  it('throws a RangeError for more mismatches than pairs, and for a metric that is not the shadow one', () => {
    expect(() => evaluateShadow([row('', 0, 2, 3)], metric(0.01), { alpha: 0.05 })).toThrow(RangeError);
    expect(() => evaluateShadow([row('', 0, 3, 1, { shadow_errors: 3 })], metric(0.01), { alpha: 0.05 })).toThrow(RangeError);
    const rate: PlanMetric = { name: 'success_rate', family: 'rate', tolerance: 0.01, direction: 'higher_is_better' };
    expect(() => evaluateShadow([row('', 0, 2, 1)], rate, { alpha: 0.05 })).toThrow(RangeError);
  });
});

describe('adjustShadowFamily', () => {
  it('sets BH-adjusted p-values across the family and re-takes the verdicts on them', () => {
    const rows = [row('tenant=a', 0, 400, 11), row('tenant=b', 0, 1000, 25), row('tenant=c', 0, 5000, 40), row('tenant=d', 0, 0, 0)];
    const raw = evaluateShadow(rows, metric(0.01), { alpha: 0.05 });
    const adjusted = adjustShadowFamily(raw, 0.05);
    const p = raw.slice(0, 3).map((r) => r.p_value ?? 1);
    expect(adjusted.map((r) => r.p_adjusted)).toEqual([...benjaminiHochberg(p), null]);
    // tenant=a: raw p = 0.039 is a regression alone, not after adjusting with three; its 400 pairs
    // are fewer than the 471 it needs to ever pass at m0 = 0.01.
    expect(raw[0]?.verdict).toBe('regression');
    expect(adjusted[0]?.p_adjusted).toBeGreaterThan(0.05);
    expect(adjusted[0]?.verdict).toBe('insufficient_data');
    expect(adjusted[2]?.verdict).toBe('inconclusive');
    expect(adjusted[1]?.verdict).toBe('regression');
    expect(adjusted[3]?.verdict).toBe('insufficient_data');
  });
});
