/**
 * Potential scale reduction factor R-hat (Gelman & Rubin 1992) in the forms of Vehtari, Gelman,
 * Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and localization: an improved
 * R-hat":
 *
 * - split R-hat on the raw draws (section 3.1, `posterior::rhat_basic`):
 *   R-hat = sqrt(((n-1)/n W + B/n) / W) with W the mean within-chain variance and B/n the
 *   variance of the chain means, over the split chains;
 * - rank-normalized split R-hat (section 4.1, "bulk") and rank-normalized split R-hat of the
 *   draws folded around the median (section 4.2, "tail"); the paper reports their maximum, which
 *   is `posterior::rhat`, and recommends using draws only when it is below 1.01.
 */
import type { ChainDraws } from './chainDraws.js';
import { drawsPerChain, isDegenerate, splitChains, validateChainDraws } from './chainDraws.js';
import type { SplitOptions } from './ess.js';
import { mean, variance } from './moments.js';
import { foldDraws, rankNormalize } from './rankNormalize.js';

/** Classic R-hat of the given chains as they are (`posterior:::.rhat`); NaN if degenerate. */
export function rhatOfChains(chains: ChainDraws): number {
  validateChainDraws(chains, 'rhatOfChains');
  if (isDegenerate(chains)) return NaN;
  const n = drawsPerChain(chains);
  const chainMeans = chains.map((chain) => mean(chain));
  const chainVariances = chains.map((chain) => variance(chain));
  const varianceBetween = n * variance(chainMeans);
  const varianceWithin = mean(chainVariances);
  return Math.sqrt((varianceBetween / varianceWithin + n - 1) / n);
}

/** Split R-hat on the raw draws (`posterior::rhat_basic`); `split: false` gives the classic R-hat. */
export function rhatBasic(chains: ChainDraws, options: SplitOptions = {}): number {
  validateChainDraws(chains, 'rhatBasic');
  return rhatOfChains(options.split === false ? chains : splitChains(chains));
}

/** Rank-normalized split R-hat of the draws ("bulk" R-hat, section 4.1). */
export function rhatBulk(chains: ChainDraws): number {
  validateChainDraws(chains, 'rhatBulk');
  return rhatOfChains(rankNormalize(splitChains(chains)));
}

/** Rank-normalized split R-hat of the draws folded around their median ("tail" R-hat, section 4.2). */
export function rhatTail(chains: ChainDraws): number {
  validateChainDraws(chains, 'rhatTail');
  return rhatOfChains(rankNormalize(splitChains(foldDraws(chains))));
}

/** Rank-normalized split R-hat: max(bulk, tail) (`posterior::rhat`); NaN if either is NaN. */
export function rhat(chains: ChainDraws): number {
  const bulk = rhatBulk(chains);
  const tail = rhatTail(chains);
  if (Number.isNaN(bulk) || Number.isNaN(tail)) return NaN;
  return Math.max(bulk, tail);
}
