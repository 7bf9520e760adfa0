/**
 * The always-valid p-value after one more look: `p_t = min(p_{t−1}, 1, exp(−log M_t))` with
 * `p_0 = 1`, where `M_t` is an e-process (mixture likelihood ratio, Bayes factor). By Ville's
 * inequality `P(∃t: p_t <= α) <= α` under the null.
 * Reference: Johari, Pekelis & Walsh (2022), Oper. Res. 70; Ramdas et al. (2023), Stat. Sci. 38;
 * statistics.md section 3.
 *
 * @throws {RangeError} if `previousP` is not in [0, 1] or `logLambda` is NaN.
 */
export function alwaysValidP(previousP: number, logLambda: number): number {
  if (!(previousP >= 0 && previousP <= 1) || Number.isNaN(logLambda)) {
    throw new RangeError(`alwaysValidP needs previousP in [0, 1] and a log e-value, got ${previousP} and ${logLambda}`);
  }
  return Math.min(previousP, Math.exp(-Math.max(logLambda, 0)));
}
