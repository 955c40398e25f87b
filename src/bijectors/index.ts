/**
 * Bijectors: maps from unconstrained [chains, n] coordinates to constrained parameter values with
 * their log |det Jacobian| per chain (Stan Reference Manual, "Constraint Transforms"). Use the
 * functions directly or through the `constraints` namespace (`constraints.positive()`).
 */
export type { Bijector, Bound, BoundContext, ForwardResult } from './types.js';
export { real, affine } from './unbounded.js';
export { positive, positiveSoftplus } from './positive.js';
export { lowerBound, upperBound, interval, unitInterval } from './bounded.js';
export { ordered, positiveOrdered } from './ordered.js';
export { simplex } from './simplex.js';
export { elementwiseBijector, type ElementwiseMap } from './elementwise.js';
export { hostIdentity, hostLowerBound, hostUpperBound, hostInterval, hostAffine, type HostElementwise } from './host.js';
export { valueShape, elementCount, resolveBound, type ResolvedBound } from './shapes.js';

import { real, affine } from './unbounded.js';
import { positive, positiveSoftplus } from './positive.js';
import { lowerBound, upperBound, interval, unitInterval } from './bounded.js';
import { ordered, positiveOrdered } from './ordered.js';
import { simplex } from './simplex.js';

/** All constraint constructors under one name. */
export const constraints = {
  real,
  affine,
  positive,
  positiveSoftplus,
  lowerBound,
  upperBound,
  interval,
  unitInterval,
  ordered,
  positiveOrdered,
  simplex,
} as const;
