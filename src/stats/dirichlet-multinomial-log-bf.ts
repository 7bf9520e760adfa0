import gammaln from '@stdlib/math-base-special-gammaln';

/**
 * The log Bayes factor (e-value) of the Dirichlet-multinomial test that cumulative counts N
 * over arms follow the design split θ0, with a Dirichlet(α0 = k θ0) mixture over the
 * alternative:
 *
 *     log BF = lgamma(Σα0) − Σ lgamma(α0_i) + Σ lgamma(α0_i + N_i) − lgamma(Σα0 + ΣN) − Σ N_i log θ0_i
 *
 * Valid at any stopping time whatever the time dynamics of the counts (conditional on an
 * event, its arm is multinomial(θ0) under H0). Reference: Lindon & Malek (2022), NeurIPS,
 * "Anytime-valid inference for multinomial count data" (savvi `Multinomial`, ssrm);
 * statistics.md sections 3.2 and 8.2.
 *
 * @throws {RangeError} if fewer than two arms, lengths differ, a count is negative, θ0 has a
 * non-positive entry or does not sum to 1 (within 1e-9), or k <= 0.
 */
export function dirichletMultinomialLogBF(counts: readonly number[], theta0: readonly number[], k: number): number {
  checkDirichletMultinomial('dirichletMultinomialLogBF', counts, theta0, k);
  let logBF = gammaln(k);
  let total = 0;
  counts.forEach((count, i) => {
    const prior = k * (theta0[i] ?? 0);
    logBF += gammaln(prior + count) - gammaln(prior) - (count === 0 ? 0 : count * Math.log(theta0[i] ?? 0));
    total += count;
  });
  return logBF - gammaln(k + total);
}

/**
 * Checks the counts, null split and concentration of a Dirichlet-multinomial test.
 *
 * @throws {RangeError} as `dirichletMultinomialLogBF` documents.
 */
export function checkDirichletMultinomial(caller: string, counts: readonly number[], theta0: readonly number[], k: number): void {
  const sum = theta0.reduce((total, p) => total + p, 0);
  if (theta0.length < 2 || counts.length !== theta0.length || theta0.some((p) => !(p > 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new RangeError(`${caller} needs two or more arms with theta0 > 0 summing to 1, got theta0=[${theta0.join(', ')}] and ${counts.length} counts`);
  }
  if (counts.some((count) => !(count >= 0 && Number.isFinite(count))) || !(k > 0 && Number.isFinite(k))) {
    throw new RangeError(`${caller} needs counts >= 0 and k > 0, got [${counts.join(', ')}] and ${k}`);
  }
}
