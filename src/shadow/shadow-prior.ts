/** A Beta(a, b) mixing distribution over the mismatch rate. */
export interface BetaPrior {
  a: number;
  b: number;
}

/**
 * The mixing distribution of the shadow e-process: Beta(m0·k, (1 − m0)·k), mean m0 (the noise
 * floor), concentration k. The default k = max(2, (1 − 2·m0)/m0) makes the prior standard
 * deviation √(m0(1 − m0)/(k + 1)) equal to m0: the mixture is tuned to detect a mismatch rate
 * about twice the noise floor (statistics.md 3.2's heuristic k ≈ θ0(1 − θ0)/Δ² with Δ = m0).
 *
 * @throws {RangeError} unless 0 < m0 < 1 and k (when given) is positive and finite.
 */
export function shadowPrior(m0: number, concentration?: number): BetaPrior {
  if (!(m0 > 0 && m0 < 1)) throw new RangeError(`shadowPrior needs a noise floor 0 < m0 < 1, got ${m0}`);
  const k = concentration ?? Math.max(2, (1 - 2 * m0) / m0);
  if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`shadowPrior needs a positive concentration, got ${k}`);
  return { a: m0 * k, b: (1 - m0) * k };
}
