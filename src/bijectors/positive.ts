/**
 * Bijectors onto (0, inf): `positive` (value = exp(u), log |det J| = sum u; Stan Reference Manual,
 * "Lower bounded scalar") and `positiveSoftplus` (value = log(1 + exp(u)), log |det J| =
 * sum log sigmoid(u) = -sum softplus(-u)), whose value grows linearly rather than exponentially in u,
 * which tames heavy right tails. The softplus inverse is u = x + log(1 - exp(-x)), computed with expm1.
 */
import { logSigmoid, sumPerChain, tf } from '../tensor/index.js';
import type { Bijector } from './types.js';
import { elementwiseBijector } from './elementwise.js';
import { hostLowerBound } from './host.js';

export function positive(): Bijector {
  return elementwiseBijector('positive', {
    forward: (u) => [tf.exp(u), sumPerChain(u)],
    inverse: (value) => tf.log(value),
  }, hostLowerBound(0));
}

export function positiveSoftplus(): Bijector {
  return elementwiseBijector('positiveSoftplus', {
    forward: (u) => [tf.softplus(u), sumPerChain(logSigmoid(u))],
    inverse: (value) => tf.add(value, tf.log(tf.neg(tf.expm1(tf.neg(value))))),
  });
}
