/**
 * Ordered vectors (Stan Reference Manual, "Ordered vector" and "Positive ordered vector"):
 * - `ordered()`: y_1 = u_1, y_k = y_{k-1} + exp(u_k); log |det J| = sum_{k >= 2} u_k.
 * - `positiveOrdered()`: y_1 = exp(u_1), y_k = y_{k-1} + exp(u_k); log |det J| = sum_k u_k.
 * The last axis of the event shape is ordered; leading event axes are independent rows, so
 * shape [R, K] is R ordered vectors of length K. Scalars are not allowed.
 */
import { sumPerChain, tf, type Tensor, type Tensor1D, type Tensor2D } from '../tensor/index.js';
import type { Bijector, BoundContext, ForwardResult } from './types.js';
import { checkUnconstrained, checkValue, elementCount } from './shapes.js';

function requireVectorShape(name: string, shape: readonly number[]): void {
  if (shape.length === 0 || shape[shape.length - 1] < 1) {
    throw new Error(`${name}: event shape must end in a non-empty axis, got [${shape.join(', ')}]`);
  }
}

function orderedBijector(name: string, positiveFirst: boolean): Bijector {
  return {
    name,
    unconstrainedSize(shape) {
      requireVectorShape(name, shape);
      return elementCount(shape);
    },
    forward(unconstrained: Tensor2D, shape: readonly number[], _context: BoundContext): ForwardResult {
      requireVectorShape(name, shape);
      checkUnconstrained(name, unconstrained, elementCount(shape));
      const [value, logDetJacobian] = tf.tidy((): [Tensor, Tensor1D] => {
        const chains = unconstrained.shape[0];
        const length = shape[shape.length - 1];
        const u = tf.reshape(unconstrained, [chains, ...shape]);
        const last = u.rank - 1; // explicit: tf.cumsum mishandles axis -1 on wasm
        if (positiveFirst) return [tf.cumsum(tf.exp(u), last), sumPerChain(unconstrained)];
        if (length === 1) return [u, tf.zeros([chains]) as Tensor1D];
        const [first, rest] = tf.split(u, [1, length - 1], last);
        const increments = tf.concat([first, tf.exp(rest)], last);
        return [tf.cumsum(increments, last), sumPerChain(rest)];
      });
      return { value, logDetJacobian };
    },
    inverse(value: Tensor, shape: readonly number[], _context: BoundContext): Tensor2D {
      requireVectorShape(name, shape);
      checkValue(name, value, shape);
      return tf.tidy(() => {
        const chains = value.shape[0];
        const length = shape[shape.length - 1];
        let unconstrained: Tensor;
        if (length === 1) {
          unconstrained = positiveFirst ? tf.log(value) : value;
        } else {
          const last = value.rank - 1;
          const [first, rest] = tf.split(value, [1, length - 1], last);
          const [previous] = tf.split(value, [length - 1, 1], last);
          const logIncrements = tf.log(tf.sub(rest, previous));
          unconstrained = tf.concat([positiveFirst ? tf.log(first) : first, logIncrements], last);
        }
        return tf.reshape(unconstrained, [chains, elementCount(shape)]);
      });
    },
  };
}

export function ordered(): Bijector {
  return orderedBijector('ordered', false);
}

export function positiveOrdered(): Bijector {
  return orderedBijector('positiveOrdered', true);
}
