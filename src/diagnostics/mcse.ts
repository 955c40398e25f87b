/**
 * Monte Carlo standard errors (MCSE) of posterior summaries (Vehtari, Gelman, Simpson, Carpenter &
 * Bürkner 2021, "Rank-normalization, folding, and localization: an improved R-hat", section 3.2
 * (MCSE of the mean from ESS) and section 4.4 (MCSE of quantiles);
 * Stan Reference Manual, "Estimation of MCMC standard error"):
 *
 * - mean: sd / sqrt(ESS) with ESS = `essBasic` (`posterior::mcse_mean`); the posteriordb
 *   conformance README caps ESS at the number of draws N (`capEssAtDraws`);
 * - sd: delta method, sqrt(var(z) / ESS(z)) / (2 sd) with z = (x - mean)^2 (the posteriordb README
 *   formula; without the cap it equals `posterior::mcse_sd` of version 1.4.0 exactly, since the
 *   n/(n-1) factors cancel);
 * - quantile: half the distance between the order statistics at the Beta(ESS p + 1, ESS (1 - p) + 1)
 *   quantiles 0.1586553 and 0.8413447 (+-1 sd), with ESS = `essQuantile` (`posterior::mcse_quantile`).
 */
import { betaQuantile } from './betaQuantile.js';
import type { ChainDraws } from './chainDraws.js';
import { mapDraws, pooledDraws, totalDraws } from './chainDraws.js';
import { essBasic, essQuantile } from './ess.js';
import { pooledMean, pooledSd, pooledVariance } from './moments.js';
import { sortedCopy } from './quantile.js';

export interface McseOptions {
  /**
   * Use min(ESS, N) instead of ESS, N the total number of draws (posteriordb README convention).
   * Default false (`posterior` convention).
   */
  readonly capEssAtDraws?: boolean;
}

function effectiveDraws(ess: number, chains: ChainDraws, options: McseOptions): number {
  return options.capEssAtDraws ? Math.min(ess, totalDraws(chains)) : ess;
}

/** MCSE of the posterior mean. */
export function mcseMean(chains: ChainDraws, options: McseOptions = {}): number {
  return pooledSd(chains) / Math.sqrt(effectiveDraws(essBasic(chains), chains, options));
}

/** MCSE of the posterior standard deviation (delta method). */
export function mcseSd(chains: ChainDraws, options: McseOptions = {}): number {
  const center = pooledMean(chains);
  const squaredDeviations = mapDraws(chains, (value) => (value - center) * (value - center));
  const ess = effectiveDraws(essBasic(squaredDeviations), chains, options);
  return Math.sqrt(pooledVariance(squaredDeviations) / ess) / (2 * pooledSd(chains));
}

/** MCSE of the prob-quantile (`posterior::mcse_quantile`). */
export function mcseQuantile(chains: ChainDraws, prob: number): number {
  const ess = essQuantile(chains, prob);
  if (Number.isNaN(ess)) return NaN;
  const lower = betaQuantile(0.1586553, ess * prob + 1, ess * (1 - prob) + 1);
  const upper = betaQuantile(0.8413447, ess * prob + 1, ess * (1 - prob) + 1);
  const sorted = sortedCopy(pooledDraws(chains));
  const count = sorted.length;
  const lowerIndex = Math.max(Math.floor(lower * count), 1); // 1-based, as in R
  const upperIndex = Math.min(Math.ceil(upper * count), count);
  return (sorted[upperIndex - 1] - sorted[lowerIndex - 1]) / 2;
}
