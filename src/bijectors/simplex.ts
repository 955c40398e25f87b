/**
 * Unit simplex by stick-breaking (Stan Reference Manual, "Unit simplex", stick-breaking transform):
 * for K coordinates and K - 1 unconstrained u, z_k = sigmoid(u_k - log(K - k)) (the offset makes
 * u = 0 the uniform simplex), x_k = z_k (1 - sum_{k' < k} x_k'), x_K = the rest of the stick. The
 * Jacobian of u -> (x_1..x_{K-1}) is triangular with diagonal z_k (1 - z_k) (1 - sum_{k' < k} x_k'),
 * so log |det J| = sum_{k < K} [log z_k + log(1 - z_k) + log(rest_k)], which telescopes to
 * sum_{k = 1..K} log x_k. Everything is computed in log space: log z = -softplus(-a),
 * log(1 - z) = -softplus(a), log rest_k = exclusive cumulative sum of log(1 - z), so u = +-30 keeps
 * finite values and log-Jacobians. The inverse is u_k = log x_k - log(sum_{j > k} x_j) + log(K - k)
 * with the tail sums accumulated from the end (exact for small coordinates).
 *
 * The last axis of the event shape is the simplex (K >= 2); leading event axes are independent rows,
 * so shape [R, K] (e.g. HMM transition rows) has R (K - 1) unconstrained coordinates.
 */
import { sumPerChain, tf, type Tensor, type Tensor1D, type Tensor2D } from '../tensor/index.js';
import type { Bijector, BoundContext, ForwardResult } from './types.js';
import { checkUnconstrained, checkValue, elementCount } from './shapes.js';

function simplexSize(shape: readonly number[]): { rows: number[]; length: number; free: number } {
  if (shape.length === 0 || !(shape[shape.length - 1] >= 2)) {
    throw new Error(`simplex: event shape must end in an axis of size >= 2, got [${shape.join(', ')}]`);
  }
  const length = shape[shape.length - 1];
  const rows = shape.slice(0, -1);
  return { rows, length, free: elementCount(rows) * (length - 1) };
}

/** log(K - k) for k = 1..K-1, as a host vector. */
function stickOffsets(length: number): Float32Array {
  return Float32Array.from({ length: length - 1 }, (_, index) => Math.log(length - 1 - index));
}

export function simplex(): Bijector {
  return {
    name: 'simplex',
    unconstrainedSize: (shape) => simplexSize(shape).free,
    forward(unconstrained: Tensor2D, shape: readonly number[], _context: BoundContext): ForwardResult {
      const { rows, length, free } = simplexSize(shape);
      checkUnconstrained('simplex', unconstrained, free);
      const [value, logDetJacobian] = tf.tidy((): [Tensor, Tensor1D] => {
        const chains = unconstrained.shape[0];
        const u = tf.reshape(unconstrained, [chains, ...rows, length - 1]);
        const shifted = tf.sub(u, tf.tensor1d(stickOffsets(length)));
        const logBreak = tf.neg(tf.softplus(tf.neg(shifted)));
        const logKeep = tf.neg(tf.softplus(shifted));
        const padding: Array<[number, number]> = [...new Array<[number, number]>(rows.length + 1).fill([0, 0]), [0, 1]];
        // Explicit axis: tf.cumsum mishandles axis -1 on wasm.
        const logRest = tf.cumsum(tf.pad(logKeep, padding), u.rank - 1, true);
        const logValue = tf.add(tf.pad(logBreak, padding), logRest);
        return [tf.exp(logValue), sumPerChain(logValue)];
      });
      return { value, logDetJacobian };
    },
    inverse(value: Tensor, shape: readonly number[], _context: BoundContext): Tensor2D {
      const { length, free } = simplexSize(shape);
      checkValue('simplex', value, shape);
      return tf.tidy(() => {
        const last = value.rank - 1;
        const tail = tf.cumsum(value, last, true, true);
        const [head] = tf.split(value, [length - 1, 1], last);
        const [tailHead] = tf.split(tail, [length - 1, 1], last);
        const unconstrained = tf.add(tf.sub(tf.log(head), tf.log(tailHead)), tf.tensor1d(stickOffsets(length)));
        return tf.reshape(unconstrained, [value.shape[0], free]);
      });
    },
  };
}
