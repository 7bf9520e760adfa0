import type { RateArm } from './hourly-stats.js';
import { rateArmVariance, varianceSource } from './rate-arm-variance.js';
import { BURN_IN_EVENTS, EXACT_MIN_EVENTS, rarerEvents, type EffectStream } from './stream.js';

/**
 * The within-cohort split (statistics.md 2.1): both providers in the cohort in the same hours.
 * Per hour `d_w = p_T,w − p_C,w` with variance `v_w` from each arm's user-clustered delta-method
 * variance (no τ²: the hour's shock hits both arms and cancels). Look t pools hours 1..t:
 *
 *     θ̂_t = Σ n_T,w d_w / Σ n_T,w,     v_t = Σ n_T,w² v_w / (Σ n_T,w)²
 *
 * With a constant split inside a stage, `n_T,w` is proportional to the CMH weight
 * `n_T n_C / (n_T + n_C)`, so this is the hour-stratified CMH difference and the hour mix cancels;
 * it also makes `θ̂ = observed − expected` exactly, with `expected` the legacy rate standardised
 * to the candidate's hours. Hours without traffic in both arms do not count.
 */
export function withinSplitStream(candidate: RateArm, legacy: RateArm, hours: number): EffectStream {
  const looks: EffectStream['looks'] = [];
  let [nT, xT, nC, xC, weighted, varSum, standardised] = [0, 0, 0, 0, 0, 0, 0];
  let [designEffects, exactLooks] = [0, 0];
  for (let h = 0; h < hours; h++) {
    const [nTh, nCh] = [candidate.n[h] ?? 0, legacy.n[h] ?? 0];
    if (nTh > 0 && nCh > 0) {
      const [xTh, xCh] = [candidate.x[h] ?? 0, legacy.x[h] ?? 0];
      const [pT, pC] = [xTh / nTh, xCh / nCh];
      const v = rateArmVariance(candidate, h, pT) + rateArmVariance(legacy, h, pC);
      [nT, xT, nC, xC] = [nT + nTh, xT + xTh, nC + nCh, xC + xCh];
      weighted += nTh * (pT - pC);
      varSum += nTh * nTh * v;
      standardised += nTh * pC;
      const binomial = (pT * (1 - pT)) / nTh + (pC * (1 - pC)) / nCh;
      designEffects += binomial > 0 ? nTh * nTh * binomial : 0;
    }
    const pooled = (xT + xC) / (nT + nC);
    const events = Math.min(rarerEvents(nT, pooled), rarerEvents(nC, pooled));
    if (nT > 0 && events >= BURN_IN_EVENTS && varSum > 0) looks.push({ thetaHat: weighted / nT, v: varSum / (nT * nT) });
    else if (events >= EXACT_MIN_EVENTS) exactLooks++;
  }
  const pooled = nT + nC > 0 ? (xT + xC) / (nT + nC) : 0;
  const designEffect = designEffects > 0 ? varSum / designEffects : 1;
  return {
    looks,
    observed: nT > 0 ? xT / nT : null,
    expected: nT > 0 ? standardised / nT : null,
    effect: nT > 0 ? weighted / nT : null,
    n: nT,
    nControl: nC,
    expectedEvents: Math.min(rarerEvents(nT, pooled), rarerEvents(nC, pooled)),
    variance: `${varianceSource(candidate)} (DE ${designEffect.toFixed(2)})`,
    exact: { xT, nT, xC, nC, designEffect: Math.max(designEffect, 1), looks: exactLooks },
  };
}
