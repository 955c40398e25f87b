/**
 * The bijector interface: maps an unconstrained real vector to a constrained value, with the log
 * absolute determinant of the Jacobian of that map, so that a density on the constrained space
 * becomes a density on the unconstrained space (Stan Reference Manual, "Constraint Transforms").
 *
 * Shapes: a parameter with event shape S is, for a batch of chains, a tensor [chains, ...S], except
 * that a scalar (S = []) is [chains, 1] so it broadcasts against [chains, N] data. The unconstrained
 * input is always [chains, n] with n = unconstrainedSize(S).
 */
import type { Tensor, Tensor1D, Tensor2D } from '../tensor/index.js';
import type { HostElementwise } from './host.js';

/** Values of parameters constrained so far (earlier in declaration order), for dependent bounds. */
export type BoundContext = Readonly<Record<string, Tensor>>;

/** A bound: a number, or a function of earlier parameters returning a tensor broadcastable to the value. */
export type Bound = number | ((params: BoundContext) => Tensor);

export interface ForwardResult {
  /** Constrained value, [chains, ...S] ([chains, 1] for scalars). */
  readonly value: Tensor;
  /** log |det d value / d unconstrained|, [chains]. */
  readonly logDetJacobian: Tensor1D;
}

export interface Bijector {
  readonly name: string;
  /** Number of unconstrained coordinates for event shape S. */
  unconstrainedSize(shape: readonly number[]): number;
  /** Unconstrained [chains, n] to constrained value and log-Jacobian. */
  forward(unconstrained: Tensor2D, shape: readonly number[], context: BoundContext): ForwardResult;
  /** Constrained [chains, ...S] (scalars [chains, 1]) back to unconstrained [chains, n]. */
  inverse(value: Tensor, shape: readonly number[], context: BoundContext): Tensor2D;
  /** The same map elementwise on the host in float64, where the bijector is elementwise with constant bounds. */
  readonly host?: HostElementwise;
}
