/**
 * Shape and bound helpers shared by the bijectors: the value shape of a parameter for a batch of
 * chains (scalars are [chains, 1], see types.ts), element counts, input checks, and the resolution
 * of a Bound (a number or a function of earlier parameters) against the value it bounds.
 */
import { sumPerChain, tf, type Tensor, type Tensor1D, type Tensor2D } from '../tensor/index.js';
import type { Bound, BoundContext } from './types.js';

/** A bound after resolution: a number (folded on the host) or a tensor broadcastable to the value. */
export type ResolvedBound = number | Tensor;

/** Product of the dimensions (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** The constrained value's shape for `chains` chains: [chains, ...S], or [chains, 1] for a scalar. */
export function valueShape(chains: number, shape: readonly number[]): number[] {
  return shape.length === 0 ? [chains, 1] : [chains, ...shape];
}

/** Throw unless `unconstrained` is [chains, expected]. */
export function checkUnconstrained(name: string, unconstrained: Tensor2D, expected: number): void {
  if (unconstrained.rank !== 2 || unconstrained.shape[1] !== expected) {
    throw new Error(`${name}: unconstrained input must be [chains, ${expected}], got [${unconstrained.shape.join(', ')}]`);
  }
}

/** Throw unless `value` is [chains, ...S] ([chains, 1] for a scalar). */
export function checkValue(name: string, value: Tensor, shape: readonly number[]): void {
  const expected = valueShape(value.shape[0] ?? 0, shape);
  const ok = value.rank === expected.length && value.shape.every((size, axis) => size === expected[axis]);
  if (!ok) throw new Error(`${name}: value must be [chains, ${shape.join(', ')}], got [${value.shape.join(', ')}]`);
}

/**
 * Evaluate a bound for a value of shape `shapeOfValue` ([chains, ...]). A tensor bound that carries
 * the chain axis (rank >= 2, leading size = chains) but has lower rank than the value gets singleton
 * axes inserted after the chain axis, so a scalar parameter's [chains, 1] bounds a [chains, R, K]
 * value chain by chain and a [chains, K] bound applies to each row of a [chains, R, K] value. Other
 * tensors broadcast by the usual right-aligned rules (so a rank-1 tensor is a constant, not per chain).
 * Call inside tf.tidy.
 */
export function resolveBound(bound: Bound, context: BoundContext, shapeOfValue: readonly number[]): ResolvedBound {
  if (typeof bound === 'number') return bound;
  const resolved = bound(context);
  const chains = shapeOfValue[0];
  if (resolved.rank >= 2 && resolved.rank < shapeOfValue.length && resolved.shape[0] === chains) {
    const singletons = new Array<number>(shapeOfValue.length - resolved.rank).fill(1);
    return tf.reshape(resolved, [chains, ...singletons, ...resolved.shape.slice(1)]);
  }
  return resolved;
}

export function addBound(a: ResolvedBound, b: ResolvedBound): ResolvedBound {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  return tf.add(a, b);
}

export function subBound(a: ResolvedBound, b: ResolvedBound): ResolvedBound {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  return tf.sub(a, b);
}

export function mulBound(a: ResolvedBound, b: ResolvedBound): ResolvedBound {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 1) return b;
  if (b === 1) return a;
  return tf.mul(a, b);
}

/**
 * Per-chain sum of log(width) + elementTerms, where elementTerms has the value's shape and width
 * broadcasts to it: log |det J| of value = lo + width * g(u) with elementwise log g'(u) = elementTerms.
 */
export function sumWithLogWidth(elementTerms: Tensor, width: ResolvedBound): Tensor1D {
  if (typeof width === 'number') {
    if (!(width > 0)) throw new Error(`bijector: bound width must be > 0, got ${width}`);
    const perChain = sumPerChain(elementTerms);
    if (width === 1) return perChain;
    return tf.add(perChain, (elementTerms.size / elementTerms.shape[0]) * Math.log(width)) as Tensor1D;
  }
  return sumPerChain(tf.add(elementTerms, tf.log(width)));
}
