/**
 * Hill saturation h = a^s / (a^s + k^s) = sigmoid(s (log a - log k)), half-saturation k > 0 and
 * slope s > 0, free or fixed (Jin et al. 2017, eq. 3; the reference model's saturation). With
 * h' = h (1 - h): dh/da = s h' / a, dh/dk = -s h' / k, dh/ds = h' (log a - log k).
 * The kernel rows evaluate in the log domain with the fast exp and log of src/distributions
 * (elementary.ts); adstock below 1e-300 in an active cell (underflow) is raised to it. They run in
 * two passes over a channel's cells, log a into the log-adstock row, then h from it: the log and the
 * exp are each some 25 dependent operations, and with both in one loop body V8's code for it ran
 * about 1.5x slower than the two loops (each cell's arithmetic, and so every result, is the same).
 */
import { fastExpInRange, fastLog, fastLogNormal } from '../../../../src/distributions/elementary.js';
import { tf } from '../../../../src/tensor/index.js';
import { POSITIVE, type TransformParameter } from '../types.js';
import type { SaturationKind, SaturationOptions } from './kind.js';

/** Adstock below this in an active cell (only from underflow or rounding) is raised to it: h ~ 0, gradient ~ 0. */
export const HILL_ADSTOCK_FLOOR = 1e-300;
/**
 * The rows read the floor and the elementary functions through module constants of their own: V8
 * reads an exported or imported binding from its module cell, with a check that it is initialized,
 * on every iteration of a loop.
 */
const ADSTOCK_FLOOR = HILL_ADSTOCK_FLOOR;
const logNormal = fastLogNormal;
const expInRange = fastExpInRange;
/** The floor of the tensor form (float32 cannot hold 1e-300). */
const TENSOR_ADSTOCK_FLOOR = 1e-30;

const halfSaturation: TransformParameter = { name: 'k', description: 'half-saturation point (scaled media)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'logNormal', mu: 0, sigma: 0.5 }) };
const slopeParameter: TransformParameter = { name: 's', description: 'Hill slope', support: () => POSITIVE, defaultPrior: () => ({ dist: 'logNormal', mu: 0, sigma: 0.3 }) };

const slopeOf = (p: ArrayLike<number>, options: SaturationOptions): number => (options.fixedSlope === undefined ? p[1] : options.fixedSlope);

export const hill: SaturationKind = {
  type: 'hill',
  description: 'a^s / (a^s + k^s), slope s free or fixed (`fixedSlope`)',
  parameters: (options) => (options.fixedSlope === undefined ? [halfSaturation, slopeParameter] : [halfSaturation]),
  adstockFloor: HILL_ADSTOCK_FLOOR,
  value(p, options, a) {
    if (!(a > 0)) return 0;
    return 1 / (1 + Math.exp(slopeOf(p, options) * (Math.log(p[0]) - Math.log(a))));
  },
  slope(p, options, a, h) {
    return (slopeOf(p, options) * h * (1 - h)) / a;
  },
  bind(p, options) {
    const logK = Math.log(p[0]);
    const slope = slopeOf(p, options);
    // the arithmetic of `value`, with log k computed once: the same results
    return {
      value: (a) => (a > 0 ? 1 / (1 + Math.exp(slope * (logK - Math.log(a)))) : 0),
      slope: (a, h) => (slope * h * (1 - h)) / a,
    };
  },
  backward(p, options, a, h, hBar, pBar) {
    const slope = slopeOf(p, options);
    const k = p[0];
    const d = hBar * h * (1 - h);
    pBar[0] -= (d * slope) / k;
    if (options.fixedSlope === undefined) pBar[1] += d * (Math.log(a) - Math.log(k));
    return (d * slope) / a;
  },

  // q = [log k, slope, k, 1 if the slope is free]
  constants: 4,
  prepare(p, options, q) {
    q[0] = fastLog(p[0]);
    q[1] = slopeOf(p, options);
    q[2] = p[0];
    q[3] = options.fixedSlope === undefined ? 1 : 0;
  },
  // the log-adstock row: between the forward's two passes, and for the backward with a free slope
  keepsLogAdstock: () => true,
  forwardRows(adstocked, saturated, logAdstocked, active, cellBase, mediaBase, count, q) {
    hillRows(adstocked, saturated, logAdstocked, active, cellBase, mediaBase, count, q[0], q[1]);
  },
  sums: 2,
  backwardRows(bars, saturated, adstocked, logAdstocked, cellBase, first, count, q, sums) {
    hillBackwardRows(bars, saturated, adstocked, logAdstocked, q[3] === 1, cellBase, first, count, q[1], q[0], sums);
  },
  gradient(_p, q, sums, pBar) {
    pBar[0] = (-q[1] * sums[0]) / q[2];
    if (q[3] === 1) pBar[1] = sums[1];
  },
  // h(f a) = sigmoid(s (log a + log f - log k)) from the log-adstock row; a bar += f h' s / (f a) = h' s / a
  raisedRows(adstocked, logAdstocked, active, cellBase, mediaBase, count, factor, q, raised) {
    const logK = q[0] - Math.log(factor);
    const slope = q[1];
    for (let n = 0; n < count; n++) {
      if (active[mediaBase + n] === 0) continue;
      const x = slope * (logK - logAdstocked[cellBase + n]);
      raised[cellBase + n] = x > -708 && x < 709 ? 1 / (1 + expInRange(x)) : 1 / (1 + Math.exp(x));
    }
  },
  raisedBackwardRows(bars, aBars, raised, adstocked, logAdstocked, active, cellBase, mediaBase, first, count, factor, q, sums) {
    const slope = q[1];
    const logK = q[0] - Math.log(factor);
    const freeSlope = q[3] === 1;
    let kSum = 0;
    let slopeSum = 0;
    for (let n = first; n < first + count; n++) {
      if (active[mediaBase + n] === 0) continue;
      const h = raised[cellBase + n];
      const d = bars[n] * h * (1 - h);
      aBars[n] += (d * slope) / adstocked[cellBase + n];
      kSum += d;
      if (freeSlope) slopeSum += d * (logAdstocked[cellBase + n] - logK);
    }
    sums[0] += kSum;
    sums[1] += slopeSum;
  },
  tensor(p, options, adstocked) {
    const z = tf.sub(tf.log(tf.add(adstocked, TENSOR_ADSTOCK_FLOOR)), tf.log(p[0]));
    return tf.sigmoid(options.fixedSlope === undefined ? tf.mul(p[1], z) : tf.mul(z, options.fixedSlope));
  },
};

/**
 * Hill saturation h = sigmoid(s (log a - log k)) of one channel's cells, with log a kept in
 * logAdstocked (two passes: module comment).
 */
export function hillRows(
  adstocked: Float64Array, saturated: Float64Array, logAdstocked: Float64Array, active: Uint8Array,
  cellBase: number, mediaBase: number, count: number, logK: number, slope: number,
): void {
  hillLogRows(adstocked, logAdstocked, active, cellBase, mediaBase, count);
  hillCurveRows(saturated, logAdstocked, active, cellBase, mediaBase, count, logK, slope);
}

/**
 * log a of the active cells (adstock raised to the floor first), into logAdstocked: fastLog, with
 * an infinite adstock (fastLog's only case outside fastLogNormal here) done after the loop, so that
 * the loop has no call (src/distributions/elementary.ts, fastExpInRange). Two cells per iteration,
 * both loaded before either is used: V8's optimized loop re-checks each array operand (map, bounds,
 * detached buffer) on every iteration, and this shape measured about 10% faster than one cell per
 * iteration (written with a per-cell helper instead, it was not faster).
 */
function hillLogRows(adstocked: Float64Array, logAdstocked: Float64Array, active: Uint8Array, cellBase: number, mediaBase: number, count: number): void {
  let infinite = false;
  let n = 0;
  for (; n + 1 < count; n += 2) {
    const first = cellBase + n;
    const second = first + 1;
    const firstActive = active[mediaBase + n] !== 0;
    const secondActive = active[mediaBase + n + 1] !== 0;
    let a = adstocked[first];
    let b = adstocked[second];
    if (firstActive) {
      if (!(a > ADSTOCK_FLOOR)) adstocked[first] = a = ADSTOCK_FLOOR;
      if (a < Infinity) logAdstocked[first] = logNormal(a);
      else infinite = true;
    }
    if (secondActive) {
      if (!(b > ADSTOCK_FLOOR)) adstocked[second] = b = ADSTOCK_FLOOR;
      if (b < Infinity) logAdstocked[second] = logNormal(b);
      else infinite = true;
    }
  }
  if (n < count && active[mediaBase + n] !== 0) {
    let a = adstocked[cellBase + n];
    if (!(a > ADSTOCK_FLOOR)) adstocked[cellBase + n] = a = ADSTOCK_FLOOR;
    if (a < Infinity) logAdstocked[cellBase + n] = logNormal(a);
    else infinite = true;
  }
  if (!infinite) return;
  for (let n = 0; n < count; n++) if (active[mediaBase + n] !== 0 && adstocked[cellBase + n] === Infinity) logAdstocked[cellBase + n] = Math.log(Infinity);
}

/**
 * h = 1 / (1 + exp(s (log k - log a))) of the active cells from their log a, 0 in the others:
 * fastExp, with its exponents outside (-708, 709) done after the loop; two cells per iteration
 * (as hillLogRows; an inactive cell's exponent is formed from a stale log and not used).
 */
function hillCurveRows(
  saturated: Float64Array, logAdstocked: Float64Array, active: Uint8Array, cellBase: number, mediaBase: number, count: number, logK: number, slope: number,
): void {
  let outside = false;
  let n = 0;
  for (; n + 1 < count; n += 2) {
    const first = cellBase + n;
    const second = first + 1;
    const x = slope * (logK - logAdstocked[first]);
    const y = slope * (logK - logAdstocked[second]);
    if (active[mediaBase + n] === 0) saturated[first] = 0;
    else if (x > -708 && x < 709) saturated[first] = 1 / (1 + expInRange(x));
    else outside = true;
    if (active[mediaBase + n + 1] === 0) saturated[second] = 0;
    else if (y > -708 && y < 709) saturated[second] = 1 / (1 + expInRange(y));
    else outside = true;
  }
  if (n < count) {
    const x = slope * (logK - logAdstocked[cellBase + n]);
    if (active[mediaBase + n] === 0) saturated[cellBase + n] = 0;
    else if (x > -708 && x < 709) saturated[cellBase + n] = 1 / (1 + expInRange(x));
    else outside = true;
  }
  if (!outside) return;
  for (let n = 0; n < count; n++) {
    if (active[mediaBase + n] === 0) continue;
    const x = slope * (logK - logAdstocked[cellBase + n]);
    if (!(x > -708 && x < 709)) saturated[cellBase + n] = 1 / (1 + Math.exp(x));
  }
}

/**
 * Hill backward of one geo's rows in place: h bar (in bars) -> a bar = h bar h (1 - h) s / a. sums[0]
 * gets sum h bar h (1 - h) (for k bar) and, with a free slope, sums[1] sum h bar h (1 - h) (log a - log k) (s bar).
 */
function hillBackwardRows(
  bars: Float64Array, saturated: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array, freeSlope: boolean,
  cellBase: number, first: number, count: number, slope: number, logK: number, sums: Float64Array,
): void {
  let kSum = 0;
  let slopeSum = 0;
  for (let n = first; n < first + count; n++) {
    const h = saturated[cellBase + n];
    const d = bars[n] * h * (1 - h);
    bars[n] = (d * slope) / adstocked[cellBase + n];
    kSum += d;
    if (freeSlope) slopeSum += d * (logAdstocked[cellBase + n] - logK);
  }
  sums[0] += kSum;
  sums[1] += slopeSum;
}
