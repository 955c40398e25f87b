/**
 * Bijectors onto all of R: the identity (`real`, log |det J| = 0) and Stan's affine
 * offset/multiplier transform (`affine`, value = offset + multiplier * u, log |det J| =
 * sum log multiplier; Stan Reference Manual, "Affinely transformed real"), which gives a
 * non-centred parameterization when the offset and multiplier are earlier parameters.
 */
import { tf, type Tensor, type Tensor1D } from '../tensor/index.js';
import type { Bijector, Bound } from './types.js';
import { elementwiseBijector } from './elementwise.js';
import { hostAffine, hostIdentity } from './host.js';
import { addBound, mulBound, resolveBound, subBound, sumWithLogWidth } from './shapes.js';

/** The identity on R. */
export function real(): Bijector {
  return elementwiseBijector('real', {
    forward: (u) => [u, tf.zeros([u.shape[0]])],
    inverse: (value) => tf.clone(value),
  }, hostIdentity);
}

/** value = offset + multiplier * u, multiplier > 0 (numbers or functions of earlier parameters). */
export function affine(offset: Bound = 0, multiplier: Bound = 1): Bijector {
  return elementwiseBijector('affine', {
    forward(u, context, shapeOfValue) {
      const shift = resolveBound(offset, context, shapeOfValue);
      const scale = resolveBound(multiplier, context, shapeOfValue);
      const value = addBound(shift, mulBound(scale, u)) as Tensor;
      if (typeof scale === 'number') {
        if (!(scale > 0)) throw new Error(`affine: multiplier must be > 0, got ${scale}`);
        return [value, tf.fill([u.shape[0]], (u.size / u.shape[0]) * Math.log(scale)) as Tensor1D];
      }
      return [value, sumWithLogWidth(tf.zerosLike(u), scale)];
    },
    inverse(value, context, shapeOfValue) {
      const shift = resolveBound(offset, context, shapeOfValue);
      const scale = resolveBound(multiplier, context, shapeOfValue);
      return tf.div(subBound(value, shift), scale);
    },
  }, typeof offset === 'number' && typeof multiplier === 'number' && multiplier > 0 ? hostAffine(offset, multiplier) : undefined);
}
