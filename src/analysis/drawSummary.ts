/**
 * Summaries of a quantity over posterior (or prior) draws: mean, sd (n - 1), median and the
 * central 90% credible interval (type-7 quantiles q05, q95, as R's `quantile` and the `posterior`
 * package; Hyndman & Fan 1996), plus the choice of which draws to use (evenly thinned) and access
 * to one draw's values by a pooled draw index (chains concatenated, chain-major).
 */
import { mean, quantileOfSorted, sd } from '../diagnostics/index.js';
import type { Posterior } from '../ppl/index.js';

export interface DrawSummary {
  readonly mean: number;
  /** Standard deviation over draws, denominator n - 1 (NaN for one draw). */
  readonly sd: number;
  readonly median: number;
  /** 5% and 95% quantiles: the central 90% credible interval. */
  readonly q05: number;
  readonly q95: number;
}

/**
 * Summary of `values`. `scratch` (same length or longer) is used for sorting so `values` is left
 * as it is; pass one to avoid an allocation per call.
 */
export function summarizeValues(values: ArrayLike<number>, scratch?: Float64Array): DrawSummary {
  const n = values.length;
  const sorted = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = values[i];
  const center = mean(sorted);
  const spread = sd(sorted);
  sorted.sort();
  return {
    mean: center,
    sd: spread,
    median: quantileOfSorted(sorted, 0.5),
    q05: quantileOfSorted(sorted, 0.05),
    q95: quantileOfSorted(sorted, 0.95),
  };
}

/** Number of draws of a posterior, all chains pooled. */
export function totalDrawCount(posterior: Posterior): number {
  return posterior.chains * posterior.drawsPerChain;
}

/**
 * Pooled draw indices to use: all of them, or at most `maxDraws` evenly spaced ones (thinning keeps
 * the first draw and spreads the rest over all chains).
 */
export function selectDraws(posterior: Posterior, maxDraws?: number): Int32Array {
  const total = totalDrawCount(posterior);
  if (total === 0) throw new Error('analysis: the posterior has no draws');
  if (maxDraws !== undefined && !(Number.isInteger(maxDraws) && maxDraws >= 1)) {
    throw new Error(`analysis: maxDraws must be a positive integer, got ${maxDraws}`);
  }
  const count = maxDraws === undefined ? total : Math.min(total, maxDraws);
  return Int32Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
}

/** Values of every variable at pooled draw `index`. */
export function drawAt(posterior: Posterior, index: number): Record<string, Float64Array> {
  const chain = Math.floor(index / posterior.drawsPerChain);
  return posterior.drawValues(chain, index - chain * posterior.drawsPerChain);
}
