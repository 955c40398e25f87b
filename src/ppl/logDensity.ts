/**
 * The log-density contract: the only thing samplers see. A target has `dim` unconstrained
 * coordinates and evaluates, for a batch of chains at once, the log density (up to a constant)
 * and its gradient. Positions and results live on the host in float64; an implementation may compute
 * in float32 tensors but sums its partial log-density terms in float64 (see src/tensor/index.ts).
 */
export interface LogDensityResult {
  /** Log density per chain, [chains]. Non-finite where the density is zero or undefined. */
  readonly logDensity: Float64Array;
  /** Gradient, row-major [chains, dim]. */
  readonly gradient: Float64Array;
}

export interface LogDensity {
  readonly dim: number;
  /** Evaluate at `positions`, row-major [chains, dim]. */
  evaluate(positions: Float64Array, chains: number): LogDensityResult;
}
