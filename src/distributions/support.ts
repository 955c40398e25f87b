/**
 * Support masks: log densities are -Infinity outside the support. A mask costs about six kernels
 * (comparison, tf.where with its broadcasts), so a caller that knows the value is inside the support
 * (e.g. it comes from the matching bijector) can turn it off with `{ checkSupport: false }`.
 *
 * Only tf.greaterEqual is used: it is the one comparison with a registered gradient in tfjs 4
 * (Less, Greater, LessEqual, Equal and the logical ops have none, so tf.grad throws when the value is
 * on the gradient path). Strict inequalities swap the operands and the branches instead.
 */
import { tf, type Tensor } from '../tensor/index.js';
import type { Param } from './types.js';
import * as P from './param.js';

export interface SupportOptions {
  /** Return -Infinity outside the support (default true). */
  readonly checkSupport?: boolean;
}

export function checksSupport(options: SupportOptions | undefined): boolean {
  return options?.checkSupport ?? true;
}

/** -Infinity where value < lower (support [lower, inf)). */
export function restrictAtLeast(logDensity: Tensor, value: Tensor, lower: Param, options?: SupportOptions): Tensor {
  if (!checksSupport(options)) return logDensity;
  return tf.where(tf.greaterEqual(value, lower), logDensity, tf.scalar(-Infinity));
}

/** -Infinity where value <= lower (support (lower, inf)). */
export function restrictAbove(logDensity: Tensor, value: Tensor, lower: Param, options?: SupportOptions): Tensor {
  if (!checksSupport(options)) return logDensity;
  return tf.where(tf.greaterEqual(lower, value), tf.scalar(-Infinity), logDensity);
}

/** -Infinity outside [lower, upper] (one test: min(value - lower, upper - value) >= 0). */
export function restrictToInterval(
  logDensity: Tensor,
  value: Tensor,
  lower: Param,
  upper: Param,
  options?: SupportOptions,
): Tensor {
  if (!checksSupport(options)) return logDensity;
  const margin = tf.minimum(P.sub(value, lower), P.sub(upper, value));
  return tf.where(tf.greaterEqual(margin, 0), logDensity, tf.scalar(-Infinity));
}
