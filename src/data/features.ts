/**
 * Deterministic time features of the reference model (shared/reference-model.md "Data"; column
 * order as in the Stan peer, shared/bench/stan/mmm.stan `transformed data`):
 * - Fourier seasonality: for t = 1..T, columns [sin(2πt/P), cos(2πt/P), sin(4πt/P), cos(4πt/P), ...]
 *   up to order S (2S columns), period P = 52 for weekly data;
 * - trend: (t - 1) / (T - 1), from 0 to 1.
 */

/** [T, 2*order] row-major Fourier features with t = 1..T. */
export function fourierFeatures(T: number, order: number, period = 52): Float64Array {
  if (!Number.isInteger(T) || T < 1) throw new Error(`fourierFeatures: T must be a positive integer, got ${T}`);
  if (!Number.isInteger(order) || order < 0) throw new Error(`fourierFeatures: order must be a non-negative integer, got ${order}`);
  if (!(period > 0)) throw new Error(`fourierFeatures: period must be > 0, got ${period}`);
  const width = 2 * order;
  const out = new Float64Array(T * width);
  for (let t = 1; t <= T; t++) {
    for (let s = 1; s <= order; s++) {
      const angle = (2 * Math.PI * s * t) / period;
      out[(t - 1) * width + 2 * (s - 1)] = Math.sin(angle);
      out[(t - 1) * width + 2 * (s - 1) + 1] = Math.cos(angle);
    }
  }
  return out;
}

/** [T] linear trend (t - 1)/(T - 1) for t = 1..T. Needs T >= 2. */
export function trendFeature(T: number): Float64Array {
  if (!Number.isInteger(T) || T < 2) throw new Error(`trendFeature: T must be an integer >= 2, got ${T}`);
  return Float64Array.from({ length: T }, (_, i) => i / (T - 1));
}
