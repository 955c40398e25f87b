/**
 * The contract of a saturation (diminishing returns) kind: h = sat(a) of an adstocked media level
 * a >= 0 per channel (Jin et al. 2017, section 2.2), with h(0) = 0. Three forms of the same curve:
 * - scalar `value`, `slope` (dh/da) and `backward` (the vector-Jacobian product in a and the
 *   parameters): the obviously-right reference (reference density, analysis, the optimizer's
 *   response model) and the lift-test term of the kernel;
 * - `forwardRows` / `backwardRows`: the production kernel's row loops over one channel's cells, with
 *   per-(chain, channel) constants q from `prepare`; `backwardRows` turns the bars of h into bars of a
 *   in place and accumulates sums that `gradient` turns into the parameters' gradient.
 * - `tensor` (optional): the curve on float32 tensors, for the budget optimizer's tensor gradient
 *   (src/optimize/tensorResponse.ts); the MMM's density has no tensor form (components/README.md).
 * Cells whose whole adstock window is zero (active = 0) have h = 0 and contribute no gradient.
 */
import type { Tensor } from '../../../../src/tensor/index.js';
import type { TransformParameter } from '../types.js';

/** Options of `model.saturation` besides its type. */
export interface SaturationOptions {
  /** Hill only: a fixed slope instead of a free parameter s. */
  readonly fixedSlope?: number;
}

/** A saturation curve with its parameters bound (constants such as log k computed once). */
export interface SaturationCurve {
  /** h(a); 0 for a <= 0. Equal to the kind's `value` at the bound parameters. */
  value(a: number): number;
  /** dh/da at a > 0, where h = value(a). */
  slope(a: number, h: number): number;
}

export interface SaturationKind {
  /** The config value of `model.saturation.type`. */
  readonly type: string;
  /** One line for the options table of the docs. */
  readonly description: string;
  parameters(options: SaturationOptions): readonly TransformParameter[];
  /**
   * Adstock in an active cell is raised to this before the curve (only underflow or rounding brings
   * it lower), where the curve needs a > 0 (Hill's log a); undefined: no floor.
   */
  readonly adstockFloor?: number;
  /** h(a) at the channel's parameter values p (`parameters(options)` order); 0 for a <= 0. */
  value(p: ArrayLike<number>, options: SaturationOptions, a: number): number;
  /** dh/da at a > 0, where h = value(p, a). */
  slope(p: ArrayLike<number>, options: SaturationOptions, a: number, h: number): number;
  /** The curve at the channel's parameter values, for evaluating many levels (analysis, optimizer). */
  bind(p: ArrayLike<number>, options: SaturationOptions): SaturationCurve;
  /** Adds hBar dh/dp to pBar; returns hBar dh/da (a > 0 and h = value(p, a)). */
  backward(p: ArrayLike<number>, options: SaturationOptions, a: number, h: number, hBar: number, pBar: Float64Array): number;

  /** Length of q. */
  readonly constants: number;
  prepare(p: ArrayLike<number>, options: SaturationOptions, q: Float64Array): void;
  /** Whether the rows use the log-adstock row [B, C, N] (Hill: between its forward's passes, and log a for its backward). */
  keepsLogAdstock(options: SaturationOptions): boolean;
  forwardRows(
    adstocked: Float64Array, saturated: Float64Array, logAdstocked: Float64Array, active: Uint8Array,
    cellBase: number, mediaBase: number, count: number, q: Float64Array,
  ): void;
  /** Length of the sums `backwardRows` accumulates. */
  readonly sums: number;
  /** Over rows first..first+count-1: bars[n] (h bar) becomes a bar; sums accumulate. */
  backwardRows(
    bars: Float64Array, saturated: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array,
    cellBase: number, first: number, count: number, q: Float64Array, sums: Float64Array,
  ): void;
  /** Sets pBar (parameters order) from the sums over all geos. */
  gradient(p: ArrayLike<number>, q: Float64Array, sums: Float64Array, pBar: Float64Array): void;
  /**
   * Optional row forms of the raised curve h(factor a), which the mROI prior's derived m reads
   * (kernel/media.ts; without them the kernel uses the scalar `value` and `backward`), valid after
   * `forwardRows` filled the rows: `raisedRows` writes h(factor a) of the active cells among rows
   * 0..count-1 into raised (others untouched); `raisedBackwardRows` takes bars[n] = d/d h(factor a)
   * of rows first..first+count-1 (active cells only), adds factor bars[n] h'(factor a) to aBars[n] and
   * accumulates the parameters' part into sums, in `backwardRows`' layout (so `gradient` maps both).
   */
  raisedRows?(
    adstocked: Float64Array, logAdstocked: Float64Array, active: Uint8Array, cellBase: number, mediaBase: number, count: number,
    factor: number, q: Float64Array, raised: Float64Array,
  ): void;
  raisedBackwardRows?(
    bars: Float64Array, aBars: Float64Array, raised: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array, active: Uint8Array,
    cellBase: number, mediaBase: number, first: number, count: number, factor: number, q: Float64Array, sums: Float64Array,
  ): void;
  /**
   * h(a) on tensors: p[j] holds parameter j broadcastable against a (a >= 0). Used inside tf.tidy;
   * float32, so a floor that float32 can hold where the curve needs a > 0.
   */
  tensor?(p: readonly Tensor[], options: SaturationOptions, adstocked: Tensor): Tensor;
}
