/**
 * Test targets implementing the LogDensity contract in plain float64 JavaScript, so sampler tests
 * are exact, deterministic and fast: an anisotropic Gaussian, a general multivariate normal (e.g. a
 * strongly correlated 2-D Gaussian), Neal's funnel, and wrappers that restrict the support or record
 * the batch sizes the sampler asks for. Also exact Gaussian draws and a standard normal CDF.
 */
import type { LogDensity, LogDensityResult } from '../../src/ppl/logDensity.js';
import type { Rng } from '../../src/tensor/rng.js';

/** A LogDensity that also records how it was called. */
export interface RecordingTarget extends LogDensity {
  /** Batch size of every evaluate call, in order. */
  readonly batchSizes: number[];
}

function makeTarget(
  dim: number,
  logDensityAndGradient: (position: Float64Array, offset: number, gradient: Float64Array) => number,
): RecordingTarget {
  const batchSizes: number[] = [];
  return {
    dim,
    batchSizes,
    evaluate(positions: Float64Array, chains: number): LogDensityResult {
      batchSizes.push(chains);
      const logDensity = new Float64Array(chains);
      const gradient = new Float64Array(chains * dim);
      for (let c = 0; c < chains; c++) {
        logDensity[c] = logDensityAndGradient(positions, c * dim, gradient);
      }
      return { logDensity, gradient };
    },
  };
}

/** Independent Gaussian with the given standard deviations (and means, default 0). */
export function gaussianTarget(scales: readonly number[], means?: readonly number[]): RecordingTarget {
  const dim = scales.length;
  const mu = means ?? new Array<number>(dim).fill(0);
  const precision = scales.map((s) => 1 / (s * s));
  return makeTarget(dim, (x, offset, gradient) => {
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      const centred = x[offset + i] - mu[i];
      sum += centred * centred * precision[i];
      gradient[offset + i] = -centred * precision[i];
    }
    return -0.5 * sum;
  });
}

/** Multivariate normal N(mean, covariance); covariance row-major [dim, dim]. */
export function multivariateNormalTarget(covariance: readonly number[], means?: readonly number[]): RecordingTarget {
  const dim = Math.round(Math.sqrt(covariance.length));
  if (dim * dim !== covariance.length) throw new Error('covariance must be square');
  const precision = invertSymmetric(covariance, dim);
  const mu = means ?? new Array<number>(dim).fill(0);
  const centred = new Float64Array(dim);
  return makeTarget(dim, (x, offset, gradient) => {
    for (let i = 0; i < dim; i++) centred[i] = x[offset + i] - mu[i];
    let quadratic = 0;
    for (let i = 0; i < dim; i++) {
      let row = 0;
      for (let j = 0; j < dim; j++) row += precision[i * dim + j] * centred[j];
      gradient[offset + i] = -row;
      quadratic += centred[i] * row;
    }
    return -0.5 * quadratic;
  });
}

/** 2-D Gaussian with standard deviations sd1, sd2 and correlation rho; returns the target and its covariance. */
export function correlatedGaussian2d(sd1: number, sd2: number, rho: number): { target: RecordingTarget; covariance: number[] } {
  const covariance = [sd1 * sd1, rho * sd1 * sd2, rho * sd1 * sd2, sd2 * sd2];
  return { target: multivariateNormalTarget(covariance), covariance };
}

/**
 * Neal's funnel: v ~ N(0, scale^2) (scale 3: Neal's), x_i | v ~ N(0, exp(v / 2)^2), i = 1..dim-1;
 * coordinate 0 is v.
 */
export function funnelTarget(dim: number, scale = 3): RecordingTarget {
  const vPrecision = 1 / (scale * scale);
  return makeTarget(dim, (x, offset, gradient) => {
    const v = x[offset];
    const precision = Math.exp(-v);
    let sumSquares = 0;
    for (let i = 1; i < dim; i++) {
      const xi = x[offset + i];
      sumSquares += xi * xi;
      gradient[offset + i] = -xi * precision;
    }
    const n = dim - 1;
    gradient[offset] = -v * vPrecision + 0.5 * sumSquares * precision - 0.5 * n;
    return -0.5 * v * v * vPrecision - 0.5 * sumSquares * precision - 0.5 * n * v;
  });
}

/** `inner` restricted to where `inSupport(position)` holds; -inf (and NaN gradient) elsewhere. */
export function restrictedTarget(inner: LogDensity, inSupport: (position: Float64Array) => boolean): RecordingTarget {
  const dim = inner.dim;
  const batchSizes: number[] = [];
  return {
    dim,
    batchSizes,
    evaluate(positions, chains) {
      batchSizes.push(chains);
      const result = inner.evaluate(positions, chains);
      const logDensity = Float64Array.from(result.logDensity);
      const gradient = Float64Array.from(result.gradient);
      for (let c = 0; c < chains; c++) {
        if (!inSupport(positions.subarray(c * dim, (c + 1) * dim))) {
          logDensity[c] = Number.NEGATIVE_INFINITY;
          gradient.fill(Number.NaN, c * dim, (c + 1) * dim);
        }
      }
      return { logDensity, gradient };
    },
  };
}

/** Inverse of a symmetric positive-definite matrix by Gauss–Jordan elimination (small dims only). */
export function invertSymmetric(matrix: readonly number[], dim: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inverse = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) inverse[i * dim + i] = 1;
  for (let col = 0; col < dim; col++) {
    let pivot = col;
    for (let r = col + 1; r < dim; r++) if (Math.abs(a[r * dim + col]) > Math.abs(a[pivot * dim + col])) pivot = r;
    for (let k = 0; k < dim; k++) {
      [a[col * dim + k], a[pivot * dim + k]] = [a[pivot * dim + k], a[col * dim + k]];
      [inverse[col * dim + k], inverse[pivot * dim + k]] = [inverse[pivot * dim + k], inverse[col * dim + k]];
    }
    const diagonal = a[col * dim + col];
    for (let k = 0; k < dim; k++) {
      a[col * dim + k] /= diagonal;
      inverse[col * dim + k] /= diagonal;
    }
    for (let r = 0; r < dim; r++) {
      if (r === col) continue;
      const factor = a[r * dim + col];
      for (let k = 0; k < dim; k++) {
        a[r * dim + k] -= factor * a[col * dim + k];
        inverse[r * dim + k] -= factor * inverse[col * dim + k];
      }
    }
  }
  return inverse;
}

/** An exact draw from N(0, diag(scales^2)). */
export function drawGaussian(rng: Rng, scales: readonly number[]): Float64Array {
  return Float64Array.from(scales, (s) => s * rng.normal());
}

/** Standard normal CDF (erfc via Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
export function standardNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/** One-sample Kolmogorov–Smirnov statistic D_n = sup |F_n(x) - F(x)|. */
export function ksStatistic(samples: readonly number[] | Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Monte Carlo standard error of the mean of a chain by non-overlapping batch means. */
export function batchMeansMcse(values: Float64Array | readonly number[], batchSize: number): number {
  const batches = Math.floor(values.length / batchSize);
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = 0; i < batchSize; i++) sum += values[b * batchSize + i];
    means.push(sum / batchSize);
  }
  const grand = means.reduce((a, b) => a + b, 0) / batches;
  const variance = means.reduce((a, m) => a + (m - grand) ** 2, 0) / (batches - 1);
  return Math.sqrt(variance / batches);
}
