/**
 * The rank statistic of simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman
 * 2018, "Validating Bayesian inference algorithms with simulation-based calibration", Algorithm 1):
 * for a parameter value drawn from the prior and data drawn given it, the number of the L posterior
 * draws below that value. If the draws are independent draws from the exact posterior, the rank is
 * uniform on {0, ..., L} (their Theorem 1), for any scalar function of the parameters and the data
 * (Modrák et al. 2023, "Simulation-based calibration checking for Bayesian computation: the choice
 * of test quantities shapes sensitivity", section 2). Autocorrelated MCMC draws are thinned first
 * (Talts et al., section 5.1, Algorithm 2): `thinnedIndices` picks L draws evenly spaced over the
 * chains, roughly independent when the spacing exceeds the draws' autocorrelation time.
 */

/** Number of `draws` strictly below `truth` (ties, which continuous posteriors do not produce, count as not below). */
export function rankStatistic(truth: number, draws: ArrayLike<number>): number {
  if (!Number.isFinite(truth)) throw new Error(`rankStatistic: the true value must be finite, got ${truth}`);
  let rank = 0;
  for (let i = 0; i < draws.length; i++) {
    const x = draws[i];
    if (!Number.isFinite(x)) throw new Error(`rankStatistic: draw ${i} is not finite (${x})`);
    if (x < truth) rank++;
  }
  return rank;
}

/**
 * `keep` indices evenly spaced over `total` draws (the middle of each of `keep` equal stretches),
 * in increasing order. With the chains' draws concatenated, the kept draws span every chain.
 */
export function thinnedIndices(total: number, keep: number): Int32Array {
  if (!Number.isInteger(total) || !Number.isInteger(keep) || keep < 1 || keep > total) {
    throw new Error(`thinnedIndices: keep must be an integer in [1, total = ${total}], got ${keep}`);
  }
  return Int32Array.from({ length: keep }, (_, i) => Math.floor(((i + 0.5) * total) / keep));
}
