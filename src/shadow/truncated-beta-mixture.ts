import betainc from '@stdlib/math-base-special-betainc';
import betaln from '@stdlib/math-base-special-betaln';
import type { BetaPrior } from './shadow-prior.js';
import { checkCounts } from './check-counts.js';

/**
 * log M of the one-sided beta-mixture likelihood ratio for H0: m ≤ m0 after x mismatches in
 * n pairs, mixing over Beta(a, b) restricted to m > m0:
 *
 *     M = ∫_{m0}^1 (θ/m0)^x ((1 − θ)/(1 − m0))^(n − x) dBeta(θ; a, b) / P_Beta(θ > m0)
 *       = B(a + x, b + n − x) Ī_{m0}(a + x, b + n − x) / (B(a, b) Ī_{m0}(a, b) m0^x (1 − m0)^(n − x))
 *
 * with Ī the upper regularised incomplete beta. For each θ > m0 the per-pair factor has mean
 * m·θ/m0 + (1 − m)(1 − θ)/(1 − m0) ≤ 1 whenever m ≤ m0 (it increases in m, monotone likelihood
 * ratio), so M over cumulative counts is a test supermartingale for the whole composite null and
 * `P(∃t: M_t ≥ 1/α) ≤ α` (Ville). Reference: Robbins (1970) mixtures; Ramdas, Grünwald, Vovk &
 * Shafer (2023), Stat. Sci. 38 (e-processes for composite nulls); checked against mpmath
 * quadrature of the integral (test/shadow/fixtures/reference.py).
 *
 * @throws {RangeError} unless 0 ≤ x ≤ n are integers, 0 < m0 < 1 and a, b > 0.
 */
export function truncatedBetaMixtureLogE(x: number, n: number, m0: number, prior: BetaPrior): number {
  checkCounts('truncatedBetaMixtureLogE', x, n, m0, prior);
  if (n === 0) return 0;
  const { a, b } = prior;
  const upper = (p: number, q: number) => Math.log(betainc(m0, p, q, true, true));
  return (
    betaln(a + x, b + n - x) - betaln(a, b) + upper(a + x, b + n - x) - upper(a, b) - x * Math.log(m0) - (n - x) * Math.log1p(-m0)
  );
}
