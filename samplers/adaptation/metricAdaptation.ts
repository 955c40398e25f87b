/**
 * Windowed metric adaptation (Stan's var_adaptation / covar_adaptation; Stan Reference Manual,
 * "Euclidean metric" adaptation). During each slow window the positions are fed to a Welford
 * estimator; at the window's end the new inverse metric is the sample (co)variance shrunk toward
 * 1e-3 times the identity with Stan's regularization
 *   (n / (n + 5)) * Sigma + 1e-3 * (5 / (n + 5)) * I
 * and the estimator restarts. With fewer than two samples the current inverse metric is shrunk
 * instead, as Stan does. Several positions per iteration may be given (pooled, cross-chain adaptation).
 */
import type { MetricKind } from '../metric.js';
import { allFinite } from '../math.js';
import { inSlowWindow, isWindowEnd, type AdaptationSchedule } from './windows.js';
import { WelfordCovariance, WelfordVariance } from './welford.js';

/** Stan's shrinkage of a variance estimate from n samples toward 1e-3. */
export function regularizedVariance(variance: Float64Array, n: number): Float64Array {
  const out = new Float64Array(variance.length);
  for (let i = 0; i < variance.length; i++) out[i] = (n / (n + 5.0)) * variance[i] + 1e-3 * (5.0 / (n + 5.0));
  return out;
}

/** Stan's shrinkage of a covariance estimate (row-major [dim, dim]) from n samples toward 1e-3 * I. */
export function regularizedCovariance(covariance: Float64Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      out[i * dim + j] = (n / (n + 5.0)) * covariance[i * dim + j] + (i === j ? 1e-3 * (5.0 / (n + 5.0)) : 0);
    }
  }
  return out;
}

export class MetricAdaptation {
  private readonly estimator: WelfordVariance | WelfordCovariance;

  constructor(
    readonly kind: MetricKind,
    readonly dim: number,
    readonly schedule: AdaptationSchedule,
  ) {
    this.estimator = kind === 'diag' ? new WelfordVariance(dim) : new WelfordCovariance(dim);
  }

  /**
   * Learn from warmup iteration `iteration`'s position(s). At the end of a slow window return the new
   * inverse metric (diagonal [dim] or dense [dim, dim], like `currentInverseMass`); otherwise null.
   */
  learn(iteration: number, positions: readonly Float64Array[], currentInverseMass: Float64Array): Float64Array | null {
    if (inSlowWindow(this.schedule, iteration)) for (const position of positions) this.estimator.add(position);
    if (!isWindowEnd(this.schedule, iteration)) return null;
    const n = this.estimator.count;
    let updated: Float64Array;
    if (this.estimator instanceof WelfordVariance) {
      updated = regularizedVariance(this.estimator.sampleVariance() ?? currentInverseMass, n);
    } else {
      updated = regularizedCovariance(this.estimator.sampleCovariance() ?? currentInverseMass, n, this.dim);
    }
    if (!allFinite(updated)) {
      throw new Error(
        'Numerical overflow in metric adaptation. This occurs when the sampler encounters extreme values on the ' +
          'unconstrained space; the posterior may be too wide or improper.',
      );
    }
    this.estimator.reset();
    return updated;
  }
}
