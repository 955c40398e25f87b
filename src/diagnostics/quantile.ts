/**
 * Empirical quantiles by linear interpolation between order statistics (Hyndman & Fan 1996 type 7,
 * R's default `quantile(type = 7)`, which `posterior::quantile2` uses): for probability p and n
 * sorted values x[1..n], h = 1 + (n - 1) p and q = (1 - frac) x[floor h] + frac x[ceil h].
 * Quantiles summarize a posterior alongside R-hat and ESS and are the basis of tail ESS and quantile
 * MCSE (Vehtari et al. 2021, "Rank-normalization, folding, and localization: an improved R-hat",
 * sections 4.3-4.4).
 */
import type { ChainDraws } from './chainDraws.js';
import { pooledDraws } from './chainDraws.js';

/** Ascending sorted copy. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Type-7 quantile of already ascending-sorted values (NaN when empty or any value is NaN). */
export function quantileOfSorted(sorted: ArrayLike<number>, prob: number): number {
  const n = sorted.length;
  if (n === 0 || !(prob >= 0 && prob <= 1)) return NaN;
  // Same floating-point steps as R's quantile.default (1-based index, then the fraction).
  const index = 1 + (n - 1) * prob;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1];
  const high = sorted[hi - 1];
  if (!(index > lo) || high === low) return low;
  const fraction = index - lo;
  return (1 - fraction) * low + fraction * high;
}

function hasNaN(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Type-7 quantiles of `values` at each probability (NaN if any value is NaN, like `quantile2`). */
export function quantiles(values: ArrayLike<number>, probs: readonly number[]): number[] {
  if (hasNaN(values)) return probs.map(() => NaN);
  const sorted = sortedCopy(values);
  return probs.map((prob) => quantileOfSorted(sorted, prob));
}

/** Type-7 quantile of `values` at one probability. */
export function quantile(values: ArrayLike<number>, prob: number): number {
  return quantiles(values, [prob])[0];
}

/** Type-7 quantiles of all chains' draws pooled. */
export function pooledQuantiles(chains: ChainDraws, probs: readonly number[]): number[] {
  return quantiles(pooledDraws(chains), probs);
}

/** Median (type 7 at 0.5: the mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
