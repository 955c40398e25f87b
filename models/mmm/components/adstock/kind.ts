/**
 * The contract of an adstock (carryover) kind: normalized weights w_l over lags l = 0..L-1 of one
 * channel (sum_l w_l = 1, so adstock preserves total media; Jin, Wang, Sun, Chan & Koehler 2017,
 * "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects", section 2.1), their
 * vector-Jacobian product, and optionally an O(T) recursion that replaces the L-term lag sum in the
 * production kernel. The adstock of a series is a[t] = sum_l w_l x[t - l] (x = 0 before the first
 * period; `applyAdstock`).
 */
import type { TransformParameter } from '../types.js';

export interface AdstockKind {
  /** The config value of `model.adstock.type`. */
  readonly type: string;
  /** One line for the options table of the docs. */
  readonly description: string;
  readonly parameters: readonly TransformParameter[];
  /** Normalized weights out[0..L-1] at the channel's parameter values p (in `parameters` order). */
  weights(p: ArrayLike<number>, maxLag: number, out: Float64Array, outOffset?: number): void;
  /**
   * Adds to pBar (parameters order) the gradient of sum_l wBar[wBarOffset + l] w_l, given the weights
   * (weights[weightsOffset + l]) that `weights` computed at p.
   */
  weightsBackward(
    p: ArrayLike<number>, maxLag: number, weights: ArrayLike<number>, weightsOffset: number,
    wBar: ArrayLike<number>, wBarOffset: number, pBar: Float64Array,
  ): void;
  /** An O(T) recursion for the kernel (geometric adstock), else the kernel sums the L lags. */
  readonly recursion?: AdstockRecursion;
}

/**
 * Adstock of one channel's rows by a recursion (the production kernel's fast path). `prepare`
 * derives per-(chain, channel) constants q from the parameters and weights; `forwardRows` writes the
 * adstock of every geo's series; `backwardRows` accumulates, over one geo's rows, the sums that
 * `gradient` turns into the parameters' gradient for the adstock bars aBar.
 */
export interface AdstockRecursion {
  /** Length of q. */
  readonly constants: number;
  prepare(p: ArrayLike<number>, maxLag: number, weights: ArrayLike<number>, weightsOffset: number, q: Float64Array): void;
  forwardRows(
    media: Float64Array, active: Uint8Array, mediaBase: number, adstocked: Float64Array, cellBase: number,
    geos: number, periods: number, maxLag: number, q: Float64Array,
  ): void;
  /** Length of the sums `backwardRows` accumulates. */
  readonly sums: number;
  backwardRows(
    bars: Float64Array, adstocked: Float64Array, media: Float64Array, active: Uint8Array, mediaBase: number, cellBase: number,
    first: number, periods: number, maxLag: number, q: Float64Array, sums: Float64Array,
  ): void;
  /** Sets pBar (parameters order) from the sums over all geos. */
  gradient(p: ArrayLike<number>, maxLag: number, q: Float64Array, sums: Float64Array, pBar: Float64Array): void;
}

/** out[t] = sum_l weights[l] series[t - l] (series = 0 before t = 0): the obviously-right lag sum. */
export function applyAdstock<A extends Float64Array>(series: ArrayLike<number>, weights: ArrayLike<number>, out: A): A {
  for (let t = 0; t < series.length; t++) {
    let total = 0;
    const maxLag = Math.min(weights.length, t + 1);
    for (let lag = 0; lag < maxLag; lag++) total += weights[lag] * series[t - lag];
    out[t] = total;
  }
  return out;
}

/**
 * Normalized weights as a softmax of log-weights q_l (max subtracted for range safety), the form of
 * every kind whose weights are exp(q_l(p)) up to normalization. `logWeight(p, l)` gives q_l.
 */
export function softmaxWeights(p: ArrayLike<number>, maxLag: number, out: Float64Array, outOffset: number, logWeight: (p: ArrayLike<number>, lag: number) => number): void {
  let maxLog = -Infinity;
  for (let l = 0; l < maxLag; l++) {
    const q = logWeight(p, l);
    out[outOffset + l] = q;
    if (q > maxLog) maxLog = q;
  }
  let total = 0;
  for (let l = 0; l < maxLag; l++) {
    const w = Math.exp(out[outOffset + l] - maxLog);
    out[outOffset + l] = w;
    total += w;
  }
  for (let l = 0; l < maxLag; l++) out[outOffset + l] /= total;
}

/**
 * The softmax rule: with w = softmax(q), the gradient of sum_l wBar_l w_l in q_l is
 * qBar_l = w_l (wBar_l - sum_j w_j wBar_j). Written to qBar[0..L-1].
 */
export function softmaxBackward(maxLag: number, weights: ArrayLike<number>, weightsOffset: number, wBar: ArrayLike<number>, wBarOffset: number, qBar: Float64Array): void {
  let mixed = 0;
  for (let l = 0; l < maxLag; l++) mixed += weights[weightsOffset + l] * wBar[wBarOffset + l];
  for (let l = 0; l < maxLag; l++) qBar[l] = weights[weightsOffset + l] * (wBar[wBarOffset + l] - mixed);
}
