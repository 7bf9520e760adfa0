import type { LatencyArm, LatencyExpectation } from './hourly-stats.js';
import { CumulativeHistogram } from './cumulative-histogram.js';
import { BURN_IN_EVENTS, type EffectStream, type LookColumns, type MixtureState } from './stream.js';

// One pair of histograms for every latency stream, cleared at its start: two fresh 4 kB typed arrays
// per latency cohort were a large share of an evaluation's garbage. A stream reads them only while it
// runs (its result holds numbers, not the histograms).
const HIST_T = new CumulativeHistogram();
const HIST_C = new CumulativeHistogram();

function addHour(histogram: CumulativeHistogram, arm: LatencyArm, h: number): number {
  let added = 0;
  const end = arm.offsets[h + 1] ?? 0;
  for (let i = arm.offsets[h] ?? 0; i < end; i++) {
    const count = arm.counts[i] ?? 0;
    histogram.add(arm.bins[i] ?? 0, count);
    added += count;
  }
  return added;
}

/**
 * A latency quantile as the log ratio candidate / expected (statistics.md 6.2), look by look on
 * the cumulative histograms. Within a split the expected quantile is the legacy arm's; under
 * difference_in_differences it is the legacy population's quantile times the baseline ratio of
 * the two arms' cells (`Q_T,base / Q_L,base`); under baseline_projection, the projected quantile itself.
 *
 *     θ̂_t = log Q_T − log Q_ref − ō_t,    ō_t = Σ n_T,w o_w / N_t   (o = projected log offset)
 *     v_t = (SE_T/Q_T)² + (SE_ref/Q_ref)² + Var(ō) + τ² Σ n_T,w² / N_t²
 *
 * SE from Woodruff's interval. The burn-in asks for ≥ 10 expected observations beyond the
 * quantile in each arm (n (1 − q) ≥ 10: 200 for p95, 1000 for p99).
 */
export function latencyStream(
  candidate: LatencyArm,
  reference: LatencyArm | undefined,
  expectation: LatencyExpectation | undefined,
  quantile: number,
  hours: number,
  state?: MixtureState,
): EffectStream {
  // With `state`, each look goes into the running mSPRT state instead of the columns (which stay empty).
  const histT = HIST_T, histC = HIST_C;
  histT.clear();
  histC.clear();
  const columns: LookColumns = { thetaHat: [], v: [] };
  // Plain `let`s rather than an object per look: this loop runs for every latency cohort × hour.
  let offsetSum = 0, squares = 0, lastThetaHat = Number.NaN, lastQT = 0, lastQRef = 0;
  const tail = Math.min(quantile, 1 - quantile);
  for (let h = 0; h < hours; h++) {
    const nTh = addHour(histT, candidate, h);
    if (reference) addHour(histC, reference, h);
    if (nTh > 0 && expectation) {
      offsetSum += nTh * ((expectation.projectedLogQuantile ?? expectation.logOffset)[h] ?? 0);
      squares += nTh * nTh;
    }
    const nRef = reference ? histC.total : Infinity;
    if (histT.total * tail < BURN_IN_EVENTS || nRef * tail < BURN_IN_EVENTS) continue;
    histT.measure(quantile);
    const tEstimate = histT.estimate, tSe = histT.se;
    let cEstimate = 1, cSe = 0;
    if (reference) {
      histC.measure(quantile);
      cEstimate = histC.estimate;
      cSe = histC.se;
    }
    if (!(tEstimate > 0 && cEstimate > 0)) continue;
    const offset = expectation ? offsetSum / histT.total : 0;
    const thetaHat = Math.log(tEstimate) - Math.log(cEstimate) - offset;
    const extra = expectation ? expectation.varOffset + (expectation.tau2 * squares) / histT.total ** 2 : 0;
    const v = (tSe / tEstimate) ** 2 + (cSe / cEstimate) ** 2 + extra;
    lastThetaHat = thetaHat;
    lastQT = tEstimate;
    lastQRef = cEstimate * Math.exp(offset);
    if (v > 0) {
      if (state) state.look(thetaHat, v);
      else {
        columns.thetaHat.push(thetaHat);
        columns.v.push(v);
      }
    }
  }
  const judged = Number.isFinite(lastThetaHat);
  const reference_ = !reference ? 'projected quantile' : expectation ? 'legacy population × baseline ratio' : 'legacy arm';
  return {
    columns,
    observed: histT.total > 0 ? (judged ? lastQT : histT.quantile(quantile)) : null,
    expected: judged ? lastQRef : null,
    effect: judged ? Math.exp(lastThetaHat) - 1 : null,
    n: histT.total,
    nControl: reference ? histC.total : 0,
    expectedEvents: Math.min(histT.total * tail, reference ? histC.total * tail : Infinity),
    variance: `Woodruff SE of log quantiles from 5% histogram bins vs ${reference_}${expectation ? ' + baseline variance + τ²' : ''}`,
  };
}
