import type { RateArm, RateExpectation } from './hourly-stats.js';
import { rateArmVariance } from './rate-arm-variance.js';

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (t: number): number => 1 / (1 + Math.exp(-t));

/**
 * The expected rate of a mix of baseline cohorts, hour by hour: traffic of several finest
 * baseline cohorts (cells) adds up, each at its own projected rate. Used for the candidate
 * traffic of a cohort that mixes moved and unmoved tenants, and for the legacy traffic the drift
 * is measured on. Per hour, with cell rates e_f = expit(η_f), slopes g_f = e_f (1 − e_f):
 *
 *     m = Σ n_f e_f / Σ n_f                                     expected rate of the mix
 *     sd(logit m)   = Σ n_f g_f sd(η_f) / (N m (1 − m))         baseline parameters, correlated
 *     τ²(logit m)   = Σ (n_f g_f)² τ²_f / (N m (1 − m))²         cell shocks, independent
 */
export class ExpectedMix {
  readonly n: Float64Array;
  private readonly ne: Float64Array;
  private readonly sd: Float64Array;
  private readonly shock: Float64Array;

  constructor(readonly hours: number) {
    [this.n, this.ne, this.sd, this.shock] = [0, 1, 2, 3].map(() => new Float64Array(hours)) as [
      Float64Array, Float64Array, Float64Array, Float64Array,
    ];
  }

  /** Adds `n` observations of a cell at hour h with projected logit `eta`, its sd and τ². */
  add(h: number, n: number, eta: number, sdEta: number, tau2: number): void {
    if (!(n > 0) || !Number.isFinite(eta)) return;
    const e = expit(eta);
    const g = n * e * (1 - e);
    this.n[h] = (this.n[h] ?? 0) + n;
    this.ne[h] = (this.ne[h] ?? 0) + n * e;
    this.sd[h] = (this.sd[h] ?? 0) + g * sdEta;
    this.shock[h] = (this.shock[h] ?? 0) + g * g * tau2;
  }

  /** The expectation of the mix without drift (baseline_projection); NaN logit in hours without traffic. */
  expectation(): RateExpectation {
    const logitM = new Float64Array(this.hours).fill(Number.NaN);
    const sdLogit = new Float64Array(this.hours);
    const tau2Logit = new Float64Array(this.hours);
    for (let h = 0; h < this.hours; h++) {
      const n = this.n[h] ?? 0;
      if (!(n > 0)) continue;
      const m = Math.min(Math.max((this.ne[h] ?? 0) / n, 1e-9), 1 - 1e-9);
      const slope = n * m * (1 - m);
      logitM[h] = logit(m);
      sdLogit[h] = (this.sd[h] ?? 0) / slope;
      tau2Logit[h] = (this.shock[h] ?? 0) / slope ** 2;
    }
    return { logit: logitM, sdLogit, tau2Logit };
  }

  /**
   * The drift of observed legacy traffic from this mix's expectation, per hour (statistics.md 2.2):
   * `D_w = logit(p_L,w) − logit(m_w)`, with Var(D_w) = Var(p_L,w)/(p q)² + sd(logit m)² + τ²(logit m).
   * `observed` is the legacy traffic the mix was built from; its variance is user-clustered when it has unit sums.
   */
  drift(observed: RateArm): { d: Float64Array; variance: Float64Array } {
    const expected = this.expectation();
    const d = new Float64Array(this.hours);
    const variance = new Float64Array(this.hours);
    for (let h = 0; h < this.hours; h++) {
      const n = observed.n[h] ?? 0;
      const eta = expected.logit[h] ?? Number.NaN;
      if (!(n > 0) || !Number.isFinite(eta)) continue;
      const p = ((observed.x[h] ?? 0) + 0.5) / (n + 1);
      const pq = p * (1 - p);
      d[h] = logit(p) - eta;
      variance[h] = Math.max(rateArmVariance(observed, h, p), pq / n) / pq ** 2 + (expected.sdLogit[h] ?? 0) ** 2 + (expected.tau2Logit[h] ?? 0);
    }
    return { d, variance };
  }
}
