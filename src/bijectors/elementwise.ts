/**
 * Builder for elementwise bijectors (each constrained coordinate depends on its own unconstrained
 * coordinate and on earlier parameters through bounds): the Jacobian is diagonal in the parameter's
 * own coordinates, so log |det J| is the per-chain sum of the elementwise log-derivatives (Stan
 * Reference Manual, "Constraint Transforms": lower/upper bounded scalars, affine transforms).
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../tensor/index.js';
import type { Bijector, BoundContext, ForwardResult } from './types.js';
import type { HostElementwise } from './host.js';
import { checkUnconstrained, checkValue, elementCount, valueShape } from './shapes.js';

export interface ElementwiseMap {
  /** Unconstrained values already shaped like the value ([chains, ...S]) to value and log |det J| per chain. */
  forward(unconstrained: Tensor, context: BoundContext, shapeOfValue: readonly number[]): [Tensor, Tensor1D];
  /** Value back to unconstrained, same shape. */
  inverse(value: Tensor, context: BoundContext, shapeOfValue: readonly number[]): Tensor;
}

export function elementwiseBijector(name: string, map: ElementwiseMap, host?: HostElementwise): Bijector {
  return {
    name,
    host,
    unconstrainedSize: (shape) => elementCount(shape),
    forward(unconstrained: Tensor2D, shape: readonly number[], context: BoundContext): ForwardResult {
      checkUnconstrained(name, unconstrained, elementCount(shape));
      const [value, logDetJacobian] = tf.tidy(() => {
        const shapeOfValue = valueShape(unconstrained.shape[0], shape);
        return map.forward(tf.reshape(unconstrained, shapeOfValue), context, shapeOfValue);
      });
      return { value, logDetJacobian };
    },
    inverse(value: Tensor, shape: readonly number[], context: BoundContext): Tensor2D {
      checkValue(name, value, shape);
      return tf.tidy(() => tf.reshape(map.inverse(value, context, value.shape), [value.shape[0], elementCount(shape)]));
    },
  };
}
