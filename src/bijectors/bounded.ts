/**
 * Bounded bijectors (Stan Reference Manual, "Constraint Transforms"):
 * - `lowerBound(lo)`: value = lo + exp(u), log |det J| = sum u.
 * - `upperBound(hi)`: value = hi - exp(u), log |det J| = sum u.
 * - `interval(lo, hi)`: value = lo + (hi - lo) sigmoid(u), log |det J| = sum [log(hi - lo)
 *   - softplus(u) - softplus(-u)] (the log of sigmoid(u) (1 - sigmoid(u)), stable for any u);
 *   inverse u = log(value - lo) - log(hi - value).
 * - `unitInterval()` = interval(0, 1).
 * Bounds are numbers or functions of earlier parameters (see shapes.ts, resolveBound): a dependent
 * bound only adds off-diagonal Jacobian entries, so log |det J| keeps the same form (the full Jacobian
 * over all parameters is block triangular).
 */
import { sumPerChain, tf, type Tensor } from '../tensor/index.js';
import type { Bijector, Bound } from './types.js';
import { elementwiseBijector } from './elementwise.js';
import { hostInterval, hostLowerBound, hostUpperBound } from './host.js';
import { addBound, mulBound, resolveBound, subBound, sumWithLogWidth } from './shapes.js';

export function lowerBound(lower: Bound): Bijector {
  return elementwiseBijector('lowerBound', {
    forward(u, context, shapeOfValue) {
      const lo = resolveBound(lower, context, shapeOfValue);
      return [addBound(lo, tf.exp(u)) as Tensor, sumPerChain(u)];
    },
    inverse(value, context, shapeOfValue) {
      return tf.log(subBound(value, resolveBound(lower, context, shapeOfValue)) as Tensor);
    },
  }, typeof lower === 'number' ? hostLowerBound(lower) : undefined);
}

export function upperBound(upper: Bound): Bijector {
  return elementwiseBijector('upperBound', {
    forward(u, context, shapeOfValue) {
      const hi = resolveBound(upper, context, shapeOfValue);
      return [tf.sub(hi, tf.exp(u)), sumPerChain(u)];
    },
    inverse(value, context, shapeOfValue) {
      return tf.log(tf.sub(resolveBound(upper, context, shapeOfValue), value));
    },
  }, typeof upper === 'number' ? hostUpperBound(upper) : undefined);
}

export function interval(lower: Bound, upper: Bound): Bijector {
  if (typeof lower === 'number' && typeof upper === 'number' && !(upper > lower)) {
    throw new Error(`interval: upper bound must exceed lower bound, got (${lower}, ${upper})`);
  }
  return elementwiseBijector('interval', {
    forward(u, context, shapeOfValue) {
      const lo = resolveBound(lower, context, shapeOfValue);
      const hi = resolveBound(upper, context, shapeOfValue);
      const width = subBound(hi, lo);
      const value = addBound(lo, mulBound(width, tf.sigmoid(u))) as Tensor;
      const logDerivative = tf.neg(tf.add(tf.softplus(u), tf.softplus(tf.neg(u))));
      return [value, sumWithLogWidth(logDerivative, width)];
    },
    inverse(value, context, shapeOfValue) {
      const lo = resolveBound(lower, context, shapeOfValue);
      const hi = resolveBound(upper, context, shapeOfValue);
      return tf.sub(tf.log(subBound(value, lo) as Tensor), tf.log(tf.sub(hi, value)));
    },
  }, typeof lower === 'number' && typeof upper === 'number' ? hostInterval(lower, upper) : undefined);
}

export function unitInterval(): Bijector {
  const bijector = interval(0, 1);
  return { ...bijector, name: 'unitInterval' };
}
