import { wilsonInterval, type Interval } from './wilson-interval.js';

/**
 * Newcombe's hybrid score interval (method 10) for the difference of proportions p_T − p_C.
 *
 *     d = p_T − p_C,  (l_i, u_i) = Wilson limits of each arm
 *     L = d − √((p_T − l_T)² + (u_C − p_C)²),   U = d + √((u_T − p_T)² + (p_C − l_C)²)
 *
 * Reference: R. G. Newcombe (1998), Stat. Med. 17, 873–890; statsmodels
 * `confint_proportions_2indep(xT, nT, xC, nC, method='newcomb', compare='diff')`. statistics.md 2.1.
 *
 * @throws {RangeError} unless each arm has integers 0 ≤ x ≤ n, n ≥ 1, and 0 < confidence < 1.
 */
export function newcombeInterval(xT: number, nT: number, xC: number, nC: number, confidence = 0.95): Interval {
  const t = wilsonInterval(xT, nT, confidence);
  const c = wilsonInterval(xC, nC, confidence);
  const [pT, pC] = [xT / nT, xC / nC];
  const d = pT - pC;
  return {
    lower: d - Math.hypot(pT - t.lower, c.upper - pC),
    upper: d + Math.hypot(t.upper - pT, pC - c.lower),
  };
}
