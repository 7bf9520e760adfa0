import { alwaysValidP } from './always-valid-p.js';
import { checkDirichletMultinomial, dirichletMultinomialLogBF } from './dirichlet-multinomial-log-bf.js';

/** The Dirichlet-multinomial e-process after one look. */
export interface DirichletMultinomialState {
  /** log BF_t on the cumulative counts. */
  logBF: number;
  /** Always-valid p-value, `min_{s<=t} min(1, 1/BF_s)`. */
  p: number;
}

/**
 * Runs the Dirichlet-multinomial e-process over looks at **cumulative** counts (e.g. routed
 * units per arm for a sequential SRM test, or failures per arm): per look
 * `log BF_t = dirichletMultinomialLogBF(N_t, θ0, k)` and `p_t = min(p_{t−1}, 1/BF_t)`.
 * Reference: Lindon & Malek (2022), NeurIPS; statistics.md sections 3.2 and 8.2.
 *
 * @throws {RangeError} as `dirichletMultinomialLogBF` does, or if a count decreases between looks.
 */
export function dirichletMultinomialSequence(
  cumulativeCounts: readonly (readonly number[])[],
  theta0: readonly number[],
  k: number,
): DirichletMultinomialState[] {
  let p = 1;
  return cumulativeCounts.map((counts, look) => {
    checkDirichletMultinomial('dirichletMultinomialSequence', counts, theta0, k);
    const previous = cumulativeCounts[look - 1];
    if (previous && counts.some((count, i) => count < (previous[i] ?? 0))) {
      throw new RangeError(`dirichletMultinomialSequence needs cumulative counts, but look ${look} has fewer than look ${look - 1}`);
    }
    const logBF = dirichletMultinomialLogBF(counts, theta0, k);
    p = alwaysValidP(p, logBF);
    return { logBF, p };
  });
}
