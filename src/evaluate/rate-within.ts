import type { RateArm } from './hourly-stats.js';
import { varianceSource } from './rate-arm-variance.js';
import { BURN_IN_EVENTS, EXACT_MIN_EVENTS, rarerEvents, type EffectStream } from './stream.js';

/**
 * Running sums from which the delta-method variance of a weighted sum of an arm's hourly rates
 * can be read at any rate p: Σ w² (Σx² − 2p Σxn + p² Σn²) over hours with user sums, and
 * Σ w² n DE over hours without (binomial × design effect), with K units in all; and Σ w² n for
 * the binomial floor at p.
 */
class ArmVariance {
  private squares = 0;
  private cross = 0;
  private attempts2 = 0;
  private binomial = 0;
  private units = 0;
  private plain = 0;

  add(arm: RateArm, h: number, weight: number): void {
    const n = arm.n[h] ?? 0;
    const w2 = weight * weight;
    const K = arm.units?.K[h] ?? 0;
    this.plain += w2 * n;
    if (arm.units && K >= 1) {
      this.squares += w2 * (arm.units.sxx[h] ?? 0);
      this.cross += w2 * (arm.units.sxn[h] ?? 0);
      this.attempts2 += w2 * (arm.units.snn[h] ?? 0);
      this.units += K;
    } else {
      this.binomial += w2 * n * Math.max(arm.designEffect?.[h] ?? 1, 1);
      this.units += n;
    }
  }

  /**
   * The variance of Σ_h w_h x_h at rate p, times K/(K − 1), times the arm's across-hours scale;
   * never below the binomial `p (1 − p) Σ w² n` (design effect ≥ 1 at the pooled rate).
   */
  at(p: number, scale: number): number {
    const clustered = Math.max(this.squares - 2 * p * this.cross + p * p * this.attempts2, 0);
    const correction = this.units > 1 ? this.units / (this.units - 1) : 1;
    const sandwich = (clustered * correction + this.binomial * p * (1 - p)) * Math.max(scale, 1);
    // A small arm whose users happen to fail less than p̄ gives a sandwich below binomial; under the
    // null (both arms at p̄) that is noise, not evidence of anti-clustering.
    return Math.max(sandwich, p * (1 - p) * this.plain);
  }
}

/**
 * The within-cohort split (statistics.md 2.1): both providers in the cohort in the same hours.
 * Look t pools hours 1..t with `d_w = p_T,w − p_C,w` weighted by the candidate's attempts:
 *
 *     θ̂_t = Σ n_T,w d_w / N_T = [Σ x_T,w − Σ r_w x_C,w] / N_T,     r_w = n_T,w / n_C,w
 *     v_t  = [Σ_u∈T (x_u − p̄ n_u)² + Σ_w r_w² Σ_u∈C,w (x_u − p̄ n_u)²] / N_T²
 *
 * the delta-method variance over user-hours (statistics.md 2.6) evaluated at p̄, the pooled rate of
 * both arms up to look t (the null: both arms share the rate; an hour with one attempt has no
 * variance of its own to estimate), per arm never below the binomial variance at p̄ (DE ≥ 1). No τ²: the hour's shock hits both arms and cancels. With a
 * constant split inside a stage, `n_T,w ∝ n_T n_C / (n_T + n_C)`: this is the hour-stratified CMH
 * difference, the hour mix cancels, and `θ̂ = observed − expected` with `expected` the legacy rate
 * standardised to the candidate's hours. Hours without traffic in both arms do not count.
 */
export function withinSplitStream(candidate: RateArm, legacy: RateArm, hours: number): EffectStream {
  const looks: EffectStream['looks'] = [];
  const varT = new ArmVariance();
  const varC = new ArmVariance();
  // Plain `let`s and `+=`, not array destructuring: this loop runs for every cohort × metric × hour,
  // and V8 allocates the destructured arrays.
  let nT = 0, xT = 0, nC = 0, xC = 0, standardised = 0, exactLooks = 0;
  for (let h = 0; h < hours; h++) {
    const nTh = candidate.n[h] ?? 0;
    const nCh = legacy.n[h] ?? 0;
    if (nTh > 0 && nCh > 0) {
      const xTh = candidate.x[h] ?? 0;
      const xCh = legacy.x[h] ?? 0;
      const ratio = nTh / nCh;
      nT += nTh;
      xT += xTh;
      nC += nCh;
      xC += xCh;
      standardised += ratio * xCh;
      varT.add(candidate, h, 1);
      varC.add(legacy, h, ratio);
    }
    const pooled = (xT + xC) / (nT + nC);
    const events = Math.min(rarerEvents(nT, pooled), rarerEvents(nC, pooled));
    const v = nT > 0 ? (varT.at(pooled, candidate.varianceScale ?? 1) + varC.at(pooled, legacy.varianceScale ?? 1)) / (nT * nT) : 0;
    if (nT > 0 && events >= BURN_IN_EVENTS && v > 0) looks.push({ thetaHat: (xT - standardised) / nT, v });
    else if (events >= EXACT_MIN_EVENTS) exactLooks++;
  }
  const pooled = nT + nC > 0 ? (xT + xC) / (nT + nC) : 0;
  const binomial = nT > 0 && nC > 0 ? pooled * (1 - pooled) * (1 / nT + 1 / nC) : 0;
  const last = looks.at(-1);
  const designEffect = last && binomial > 0 ? last.v / binomial : 1;
  return {
    looks,
    observed: nT > 0 ? xT / nT : null,
    expected: nT > 0 ? standardised / nT : null,
    effect: nT > 0 ? (xT - standardised) / nT : null,
    n: nT,
    nControl: nC,
    expectedEvents: Math.min(rarerEvents(nT, pooled), rarerEvents(nC, pooled)),
    variance: `${varianceSource(candidate)} at the pooled rate (DE ${designEffect.toFixed(2)})`,
    exact: { xT, nT, xC, nC, designEffect: Math.max(designEffect, 1), looks: exactLooks },
  };
}
