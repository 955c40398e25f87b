/**
 * Small tensor helpers shared by distributions, bijectors and models: per-chain sums (all axes but
 * the leading chain axis), numerically safe softplus / log-sigmoid, and memory accounting.
 */
import * as tf from '@tensorflow/tfjs';

/** Sum over every axis except axis 0 (the chain axis): [chains, ...] -> [chains]. */
export function sumPerChain(x: tf.Tensor): tf.Tensor1D {
  if (x.rank === 0) throw new Error('sumPerChain: scalar tensor has no chain axis');
  if (x.rank === 1) return x as tf.Tensor1D;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
  return tf.sum(x, axes) as tf.Tensor1D;
}

/** log(1 + exp(x)), stable for large |x|. */
export function softplus(x: tf.Tensor): tf.Tensor {
  return tf.softplus(x);
}

/**
 * log(sigmoid(x)) = -softplus(-x). tf.logSigmoid's gradient misbehaves on some inputs
 * (shared/notes/tfjs-performance.md), so never use it.
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}

/** Number of live tensors, for leak tests. */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}

/** A number or tensor, as a tensor (numbers become float32 scalars). */
export function asTensor(x: tf.Tensor | number): tf.Tensor {
  return typeof x === 'number' ? tf.scalar(x) : x;
}
