import type { RateArm, RateExpectation } from './hourly-stats.js';
import { rateArmVariance, varianceSource } from './rate-arm-variance.js';
import { BURN_IN_EVENTS, EXACT_MIN_EVENTS, rarerEvents, type EffectStream, type LookColumns, type MixtureState } from './stream.js';

const expit = (t: number): number => 1 / (1 + Math.exp(-t));

/**
 * The candidate's rate against its drift-corrected baseline projection (statistics.md 2.2), or
 * against the projection alone when `expectation.drift` is absent (2.3). Per hour with candidate
 * traffic:
 *
 *     e_w = expit(η_w + D_w)              η_w baseline logit, D_w drift on concurrent legacy traffic
 *     r_w = p_T,w − e_w
 *     s_w² = Var(p_T,w) + (e_w (1 − e_w))² (τ²_logit + Var(D_w))            independent across hours
 *     c_w  = e_w (1 − e_w) sd(η_w)                                           baseline parameters: correlated
 *
 * and look t pools hours 1..t with weights n_T,w (so θ̂ = observed − expected exactly):
 *
 *     θ̂_t = Σ n_T,w r_w / N_t,    v_t = Σ n_T,w² s_w² / N_t² + (Σ n_T,w c_w / N_t)²,   N_t = Σ n_T,w
 *
 * Taking the baseline term as perfectly correlated across hours is the conservative bound of
 * 2.3's `Var_extra`. Var(p_T,w) is clustered by user when the arm has unit sums.
 */
export function driftCorrectedStream(candidate: RateArm, expectation: RateExpectation, hours: number, state?: MixtureState): EffectStream {
  // With `state`, each look goes into the running mSPRT state instead of the columns (which stay empty).
  const columns: LookColumns = { thetaHat: [], v: [] };
  // Plain `let`s, not array destructuring, which V8 allocates: this loop runs for every cohort × metric × hour.
  let nT = 0, xT = 0, residuals = 0, independent = 0, correlated = 0, expectedSum = 0, events = 0, sampled = 0, binomial = 0, exactLooks = 0;
  for (let h = 0; h < hours; h++) {
    const n = candidate.n[h] ?? 0;
    const eta = expectation.logit[h] ?? Number.NaN;
    if (n > 0 && Number.isFinite(eta)) {
      const x = candidate.x[h] ?? 0;
      const drift = expectation.drift ? (expectation.drift.d[h] ?? 0) : 0;
      const driftVariance = expectation.drift ? (expectation.drift.variance[h] ?? 0) : 0;
      const e = expit(eta + (Number.isFinite(drift) ? drift : 0));
      const slope = e * (1 - e);
      const sampling = rateArmVariance(candidate, h, x / n);
      const floor = (e * (1 - e)) / n; // never below the binomial variance at the expected rate
      const s2 = Math.max(sampling, floor) + slope * slope * ((expectation.tau2Logit[h] ?? 0) + (Number.isFinite(driftVariance) ? driftVariance : 0));
      nT += n;
      xT += x;
      residuals += x - n * e;
      expectedSum += n * e;
      independent += n * n * s2;
      correlated += n * slope * (expectation.sdLogit[h] ?? 0);
      events += rarerEvents(n, e);
      sampled += n * n * sampling;
      binomial += n * e * (1 - e);
    }
    if (nT > 0 && events >= BURN_IN_EVENTS) {
      const thetaHat = residuals / nT;
      const v = independent / (nT * nT) + (correlated / nT) ** 2;
      if (state) state.look(thetaHat, v);
      else {
        columns.thetaHat.push(thetaHat);
        columns.v.push(v);
      }
    } else if (events >= EXACT_MIN_EVENTS) exactLooks++;
  }
  const design = expectation.drift ? 'baseline projection + drift on legacy traffic' : 'baseline projection (no drift correction)';
  // (For a stage without legacy traffic the drift is the one carried from the hours before the stage.)
  return {
    columns,
    observed: nT > 0 ? xT / nT : null,
    expected: nT > 0 ? expectedSum / nT : null,
    effect: nT > 0 ? residuals / nT : null,
    n: nT,
    nControl: 0,
    expectedEvents: events,
    variance: `${design}; ${varianceSource(candidate)} + baseline-model variance + τ²${expectation.drift ? ' + Var(drift)' : ''}`,
    exact: { xT, nT, expectedRate: nT > 0 ? expectedSum / nT : 0, designEffect: binomial > 0 ? Math.max(sampled / binomial, 1) : 1, looks: exactLooks },
  };
}
