/**
 * Elementwise bijectors on the host, in float64, with the derivatives a hand-written gradient needs:
 * for value = f(u), the log-Jacobian term log f'(u) and the two derivatives f'(u) and
 * d/du log f'(u). Used by src/ppl's host path (hostPath.ts), which evaluates a model's whole log
 * density without tensors when every constraint has one of these and the model supplies a host log
 * density. Same transforms as the tensor bijectors (Stan Reference Manual, "Constraint Transforms").
 */

export interface HostElementwise {
  /** value = f(u). */
  value(u: number): number;
  /** log f'(u), the log-Jacobian term of one coordinate. */
  logDerivative(u: number): number;
  /** f'(u). */
  derivative(u: number): number;
  /** d/du log f'(u). */
  logDerivativeSlope(u: number): number;
  /** u = f^-1(value). */
  inverse(value: number): number;
}

/** The identity. */
export const hostIdentity: HostElementwise = {
  value: (u) => u,
  logDerivative: () => 0,
  derivative: () => 1,
  logDerivativeSlope: () => 0,
  inverse: (value) => value,
};

/** value = lower + exp(u) (lower = 0: Stan's positive constraint). */
export function hostLowerBound(lower: number): HostElementwise {
  return {
    value: (u) => lower + Math.exp(u),
    logDerivative: (u) => u,
    derivative: (u) => Math.exp(u),
    logDerivativeSlope: () => 1,
    inverse: (value) => Math.log(value - lower),
  };
}

/** value = upper - exp(u). */
export function hostUpperBound(upper: number): HostElementwise {
  return {
    value: (u) => upper - Math.exp(u),
    logDerivative: (u) => u,
    derivative: (u) => -Math.exp(u),
    logDerivativeSlope: () => 1,
    inverse: (value) => Math.log(upper - value),
  };
}

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + exp(-x)) without overflow. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** value = lower + (upper - lower) sigmoid(u); log f' = log(upper - lower) - softplus(u) - softplus(-u). */
export function hostInterval(lower: number, upper: number): HostElementwise {
  const width = upper - lower;
  const logWidth = Math.log(width);
  return {
    value: (u) => lower + width * sigmoid(u),
    logDerivative: (u) => logWidth - softplus(u) - softplus(-u),
    derivative: (u) => {
      const s = sigmoid(u);
      return width * s * (1 - s);
    },
    logDerivativeSlope: (u) => 1 - 2 * sigmoid(u),
    inverse: (value) => Math.log(value - lower) - Math.log(upper - value),
  };
}

/** value = offset + multiplier u. */
export function hostAffine(offset: number, multiplier: number): HostElementwise {
  const logMultiplier = Math.log(multiplier);
  return {
    value: (u) => offset + multiplier * u,
    logDerivative: () => logMultiplier,
    derivative: () => multiplier,
    logDerivativeSlope: () => 0,
    inverse: (value) => (value - offset) / multiplier,
  };
}
