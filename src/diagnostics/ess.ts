/**
 * Effective sample size (ESS) by the multi-chain autocorrelation method of Stan and R's `posterior`
 * (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and
 * localization: an improved R-hat", section 3.2 (multi-chain ESS with split chains and Geyer's
 * initial positive and monotone sequences), section 4.1 (rank-normalized "bulk" ESS) and
 * section 4.3 (tail ESS from quantile indicators); Stan Reference Manual, "Effective sample size"):
 *
 * - with W the mean within-chain variance and var+ = (n-1)/n W + variance of the chain means,
 *   rho(t) = 1 - (W - mean_c acov_c(t)) / var+;
 * - pair sums rho(2k) + rho(2k+1) are accumulated while positive (initial positive sequence) and
 *   made non-increasing (initial monotone sequence);
 * - tau = -1 + 2 sum_{t < T} rho(t) + rho(T) with rho(T) only if positive (Stan's improved
 *   truncation for antithetic chains), floored at 1 / log10(N); ESS = N / tau.
 *
 * `essBasic` (raw draws, split) is the method of ../shared/posteriordb/README.md; `essBulk` and
 * `essTail` follow `posterior::ess_bulk` and `posterior::ess_tail` (version 1.4.0), including its
 * small quirks (e.g. with an odd draw count the middle draw is dropped by the split).
 */
import { MeanAutocovariance } from './autocovariance.js';
import type { ChainDraws } from './chainDraws.js';
import { drawsPerChain, isDegenerate, pooledDraws, splitChains, validateChainDraws } from './chainDraws.js';
import { mean, variance } from './moments.js';
import { quantile } from './quantile.js';
import { rankNormalize } from './rankNormalize.js';

/**
 * ESS of the given chains as they are (no splitting): `posterior:::.ess`. NaN when a chain has
 * fewer than 3 draws or the draws are non-finite or constant.
 */
export function essOfChains(chains: ChainDraws): number {
  validateChainDraws(chains, 'essOfChains');
  const chainCount = chains.length;
  const n = drawsPerChain(chains);
  if (n < 3 || isDegenerate(chains)) return NaN;
  const acov = new MeanAutocovariance(chains);
  const meanVariance = (acov.at(0) * n) / (n - 1);
  let varPlus = (meanVariance * (n - 1)) / n;
  if (chainCount > 1) varPlus += variance(chains.map((chain) => mean(chain)));
  const autocorrelation = (lag: number): number => 1 - (meanVariance - acov.at(lag)) / varPlus;

  // Geyer's initial positive sequence; rho[t] holds lag t.
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = autocorrelation(1);
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = autocorrelation(t);
    rhoOdd = autocorrelation(t + 1);
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxLag = t;
  // Stan's improved truncation keeps the last even lag when it is positive.
  if (rhoEven > 0) rho[maxLag] = rhoEven;

  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= maxLag - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }

  const total = chainCount * n;
  // sum of rho at lags 0..maxLag-1; R's rho[1:max_t] with max_t = 0 selects lag 0 alone.
  let sum = 0;
  if (maxLag === 0) sum = rho[0];
  else for (let lag = 0; lag < maxLag; lag++) sum += rho[lag];
  let tau = -1 + 2 * sum + rho[maxLag];
  const tauFloor = 1 / Math.log10(total);
  if (tau < tauFloor) tau = tauFloor;
  return total / tau;
}

/** Options shared by the basic R-hat/ESS functions. */
export interface SplitOptions {
  /** Split each chain into halves first (default true). */
  readonly split?: boolean;
}

/**
 * ESS of the raw draws with split chains (`posterior::ess_basic`, also `ess_mean`): the ESS that
 * goes with the MCSE of the mean, and the method of the posteriordb conformance README.
 */
export function essBasic(chains: ChainDraws, options: SplitOptions = {}): number {
  validateChainDraws(chains, 'essBasic');
  return essOfChains(options.split === false ? chains : splitChains(chains));
}

/** Bulk ESS: ESS of the rank-normalized split chains (`posterior::ess_bulk`). */
export function essBulk(chains: ChainDraws): number {
  validateChainDraws(chains, 'essBulk');
  return essOfChains(rankNormalize(splitChains(chains)));
}

/**
 * ESS of the indicator I(x <= q_prob), q_prob the type-7 quantile of all draws, with split chains
 * (`posterior::ess_quantile`). For prob = 1 the probability (N - 0.5) / N is used, as in posterior.
 */
export function essQuantile(chains: ChainDraws, prob: number): number {
  validateChainDraws(chains, 'essQuantile');
  if (!(prob >= 0 && prob <= 1)) throw new Error(`essQuantile: prob must be in [0, 1], got ${prob}`);
  if (isDegenerate(chains)) return NaN;
  const pooled = pooledDraws(chains);
  const effectiveProb = prob === 1 ? (pooled.length - 0.5) / pooled.length : prob;
  const threshold = quantile(pooled, effectiveProb);
  const indicators = chains.map((chain) => chain.map((value) => (value <= threshold ? 1 : 0)));
  return essOfChains(splitChains(indicators));
}

/** Tail ESS: the smaller of the ESS of the 5% and 95% quantile indicators (`posterior::ess_tail`). */
export function essTail(chains: ChainDraws): number {
  const lower = essQuantile(chains, 0.05);
  const upper = essQuantile(chains, 0.95);
  if (Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  return Math.min(lower, upper);
}
