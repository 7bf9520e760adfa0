import type { RateArm } from './hourly-stats.js';
import { varianceSource } from './rate-arm-variance.js';
import { BURN_IN_EVENTS, EXACT_MIN_EVENTS, rarerEvents, type EffectStream, type LookColumns, type MixtureState } from './stream.js';

/**
 * The delta-method variance of a weighted sum Σ_h w_h x_h of an arm's hourly counts at rate p, from
 * running sums over its hours: Σ w² (Σx² − 2p Σxn + p² Σn²) over hours with user sums (`squares`,
 * `cross`, `attempts2`), Σ w² n DE over hours without (`binomial`), K units in all (`units`), and
 * Σ w² n (`plain`). The clustered part is times K/(K − 1); the whole times the arm's across-hours
 * scale, and never below the binomial `p (1 − p) Σ w² n` (design effect ≥ 1 at the pooled rate).
 */
function armVariance(squares: number, cross: number, attempts2: number, binomial: number, units: number, plain: number, p: number, scale: number): number {
  const clustered = Math.max(squares - 2 * p * cross + p * p * attempts2, 0);
  const correction = units > 1 ? units / (units - 1) : 1;
  const sandwich = (clustered * correction + binomial * p * (1 - p)) * Math.max(scale, 1);
  // A small arm whose users happen to fail less than p̄ gives a sandwich below binomial; under the
  // null (both arms at p̄) that is noise, not evidence of anti-clustering.
  return Math.max(sandwich, p * (1 - p) * plain);
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
export function withinSplitStream(candidate: RateArm, legacy: RateArm, hours: number, state?: MixtureState): EffectStream {
  // With `state`, each look goes into the running mSPRT state instead of the columns (which stay empty).
  const columns: LookColumns = { thetaHat: [], v: [] };
  const [unitsT, unitsC] = [candidate.units, legacy.units];
  // The running sums of `armVariance` for each arm (t…, c…) are plain locals, as are the counts: this
  // loop runs for every cohort × metric × hour, and V8 boxes the numbers of any object (a class per
  // arm, an array) that it cannot inline away, which doubled the time of this loop.
  let tSquares = 0, tCross = 0, tAttempts2 = 0, tBinomial = 0, tUnits = 0, tPlain = 0;
  let cSquares = 0, cCross = 0, cAttempts2 = 0, cBinomial = 0, cUnits = 0, cPlain = 0;
  let nT = 0, xT = 0, nC = 0, xC = 0, standardised = 0, exactLooks = 0;
  let lastV = Number.NaN;
  // The arms' series as locals: read once per look rather than through the arm objects.
  const candidateN = candidate.n, candidateX = candidate.x, legacyN = legacy.n, legacyX = legacy.x;
  const candidateDE = candidate.designEffect, legacyDE = legacy.designEffect;
  const scaleT = candidate.varianceScale ?? 1, scaleC = legacy.varianceScale ?? 1;
  const tK = unitsT?.K, tSxx = unitsT?.sxx, tSxn = unitsT?.sxn, tSnn = unitsT?.snn;
  const cK = unitsC?.K, cSxx = unitsC?.sxx, cSxn = unitsC?.sxn, cSnn = unitsC?.snn;
  for (let h = 0; h < hours; h++) {
    const nTh = candidateN[h] ?? 0;
    const nCh = legacyN[h] ?? 0;
    if (nTh > 0 && nCh > 0) {
      const xTh = candidateX[h] ?? 0;
      const xCh = legacyX[h] ?? 0;
      const ratio = nTh / nCh;
      nT += nTh;
      xT += xTh;
      nC += nCh;
      xC += xCh;
      standardised += ratio * xCh;
      // Candidate hours weigh 1, legacy hours r_w (w² = r_w²).
      // Ternaries rather than `tK?.[h] ?? 0`: a value that may be undefined made V8 box the numbers read here.
      const kT = tK ? (tK[h] ?? 0) : 0;
      tPlain += 1 * nTh;
      if (tSxx && tSxn && tSnn && kT >= 1) {
        tSquares += 1 * (tSxx[h] ?? 0);
        tCross += 1 * (tSxn[h] ?? 0);
        tAttempts2 += 1 * (tSnn[h] ?? 0);
        tUnits += kT;
      } else {
        tBinomial += 1 * nTh * Math.max(candidateDE ? (candidateDE[h] ?? 1) : 1, 1);
        tUnits += nTh;
      }
      const w2 = ratio * ratio;
      const kC = cK ? (cK[h] ?? 0) : 0;
      cPlain += w2 * nCh;
      if (cSxx && cSxn && cSnn && kC >= 1) {
        cSquares += w2 * (cSxx[h] ?? 0);
        cCross += w2 * (cSxn[h] ?? 0);
        cAttempts2 += w2 * (cSnn[h] ?? 0);
        cUnits += kC;
      } else {
        cBinomial += w2 * nCh * Math.max(legacyDE ? (legacyDE[h] ?? 1) : 1, 1);
        cUnits += nCh;
      }
    }
    const pooled = (xT + xC) / (nT + nC);
    const events = Math.min(rarerEvents(nT, pooled), rarerEvents(nC, pooled));
    const v = nT > 0 && events >= BURN_IN_EVENTS
      ? (armVariance(tSquares, tCross, tAttempts2, tBinomial, tUnits, tPlain, pooled, scaleT) +
          armVariance(cSquares, cCross, cAttempts2, cBinomial, cUnits, cPlain, pooled, scaleC)) / (nT * nT)
      : 0;
    if (v > 0) {
      const thetaHat = (xT - standardised) / nT;
      if (state) state.look(thetaHat, v);
      else {
        columns.thetaHat.push(thetaHat);
        columns.v.push(v);
      }
      lastV = v;
    } else if (events >= EXACT_MIN_EVENTS) exactLooks++;
  }
  const pooled = nT + nC > 0 ? (xT + xC) / (nT + nC) : 0;
  const binomial = nT > 0 && nC > 0 ? pooled * (1 - pooled) * (1 / nT + 1 / nC) : 0;
  const designEffect = !Number.isNaN(lastV) && binomial > 0 ? lastV / binomial : 1;
  return {
    columns,
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
