/**
 * Sample mean, variance and standard deviation (denominator n - 1), computed the way R does: the
 * mean gets one refinement pass (mean + mean of the residuals) and the variance is a two-pass sum of
 * squared deviations, so results agree with R's `mean`, `var` and `sd` to rounding. Used by R-hat and
 * ESS (Vehtari et al. 2021, "Rank-normalization, folding, and localization: an improved R-hat",
 * sections 3.1-3.2) and by the summaries.
 */
import type { ChainDraws } from './chainDraws.js';

/** Mean of `values` (NaN when empty). */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const first = sum / n;
  if (!Number.isFinite(first)) return first;
  let residual = 0;
  for (let i = 0; i < n; i++) residual += values[i] - first;
  return first + residual / n;
}

/** Sample variance with denominator n - 1 (NaN when fewer than two values). */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const center = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const deviation = values[i] - center;
    sum += deviation * deviation;
  }
  return sum / (n - 1);
}

/** Sample standard deviation with denominator n - 1. */
export function sd(values: ArrayLike<number>): number {
  return Math.sqrt(variance(values));
}

/** Mean over all chains' draws pooled. */
export function pooledMean(chains: ChainDraws): number {
  let count = 0;
  let sum = 0;
  for (const chain of chains) {
    for (let s = 0; s < chain.length; s++) sum += chain[s];
    count += chain.length;
  }
  if (count === 0) return NaN;
  const first = sum / count;
  if (!Number.isFinite(first)) return first;
  let residual = 0;
  for (const chain of chains) for (let s = 0; s < chain.length; s++) residual += chain[s] - first;
  return first + residual / count;
}

/** Variance (denominator n - 1) over all chains' draws pooled. */
export function pooledVariance(chains: ChainDraws): number {
  let count = 0;
  for (const chain of chains) count += chain.length;
  if (count < 2) return NaN;
  const center = pooledMean(chains);
  let sum = 0;
  for (const chain of chains) {
    for (let s = 0; s < chain.length; s++) {
      const deviation = chain[s] - center;
      sum += deviation * deviation;
    }
  }
  return sum / (count - 1);
}

/** Standard deviation (denominator n - 1) over all chains' draws pooled. */
export function pooledSd(chains: ChainDraws): number {
  return Math.sqrt(pooledVariance(chains));
}
