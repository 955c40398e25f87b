/**
 * The low-rank Euclidean metric of nutpie's low-rank adaptation (nuts-rs src/transform/low_rank.rs;
 * Seyboldt, Carlson & Carpenter 2026, arXiv 2603.18845):
 *
 *   M^-1 = D (I + U (Lambda - I) U^T) D,   D = diag(sigma),
 *
 * with U [dim, r] orthonormal columns and Lambda their r eigenvalues (the directions where the
 * posterior's scale differs from the diagonal's by more than a cutoff). Since U^T U = I,
 * (I + U (Lambda - I) U^T)^-1 = I + U (Lambda^-1 - I) U^T, and its square root is
 * I + U (Lambda^1/2 - I) U^T, so every operation the sampler needs costs O(dim r):
 *   velocity       M^-1 p = D (y + U ((Lambda - I) (U^T y))),   y = D p
 *   kinetic energy p . M^-1 p / 2
 *   momentum       p = D^-1 (z + U ((Lambda^-1/2 - I) (U^T z))),   z ~ N(0, I),   so Cov(p) = M.
 * nuts-rs integrates in transformed coordinates with an identity mass; in the original coordinates
 * with this metric the dynamics are the same. The dense M^-1 (`inverseMass`) is formed only when
 * asked for (for reports), at O(dim^2 r).
 */
import type { Rng } from '../src/tensor/rng.js';
import { dot } from './math.js';
import type { EuclideanMetric } from './metric.js';

export interface LowRankFactors {
  /** sigma, [dim], every entry finite and > 0. */
  readonly scales: Float64Array;
  /** Lambda, [r], every entry finite and > 0. */
  readonly eigenvalues: Float64Array;
  /** U's columns, one [dim] array each (orthonormal). */
  readonly eigenvectors: readonly Float64Array[];
}

export interface LowRankMetric extends EuclideanMetric {
  readonly kind: 'lowRank';
  readonly factors: LowRankFactors;
}

/** The low-rank metric from its factors. */
export function lowRankMetric(factors: LowRankFactors): LowRankMetric {
  const { scales, eigenvalues, eigenvectors } = factors;
  const dim = scales.length;
  const rank = eigenvalues.length;
  if (eigenvectors.length !== rank) throw new Error(`lowRankMetric: ${rank} eigenvalues but ${eigenvectors.length} eigenvectors`);
  for (let i = 0; i < dim; i++) {
    if (!(Number.isFinite(scales[i]) && scales[i] > 0)) throw new Error(`lowRankMetric: scale ${i} must be finite and > 0, got ${scales[i]}`);
  }
  for (let k = 0; k < rank; k++) {
    if (!(Number.isFinite(eigenvalues[k]) && eigenvalues[k] > 0)) throw new Error(`lowRankMetric: eigenvalue ${k} must be finite and > 0, got ${eigenvalues[k]}`);
    if (eigenvectors[k].length !== dim) throw new Error(`lowRankMetric: eigenvector ${k} has length ${eigenvectors[k].length}, expected ${dim}`);
  }
  const sigma = Float64Array.from(scales);
  const vectors = eigenvectors.map((u) => Float64Array.from(u));
  const velocityFactor = Float64Array.from(eigenvalues, (l) => l - 1);
  const momentumFactor = Float64Array.from(eigenvalues, (l) => 1 / Math.sqrt(l) - 1);
  let dense: Float64Array | undefined;

  const projections = new Float64Array(rank);
  /** y + U (factor * (U^T y)), in place. */
  const lowRankUpdate = (y: Float64Array, factor: Float64Array): void => {
    for (let k = 0; k < rank; k++) {
      const u = vectors[k];
      let t = 0;
      for (let i = 0; i < dim; i++) t += u[i] * y[i];
      projections[k] = t * factor[k];
    }
    for (let k = 0; k < rank; k++) {
      const u = vectors[k];
      const t = projections[k];
      for (let i = 0; i < dim; i++) y[i] += t * u[i];
    }
  };
  const velocity = (momentum: Float64Array, out = new Float64Array(dim)): Float64Array => {
    for (let i = 0; i < dim; i++) out[i] = sigma[i] * momentum[i];
    lowRankUpdate(out, velocityFactor);
    for (let i = 0; i < dim; i++) out[i] *= sigma[i];
    return out;
  };
  const kineticEnergyFromVelocity = (momentum: Float64Array, v: Float64Array): number => 0.5 * dot(momentum, v);
  return {
    kind: 'lowRank',
    dim,
    factors: { scales: sigma, eigenvalues: Float64Array.from(eigenvalues), eigenvectors: vectors },
    get inverseMass(): Float64Array {
      dense ??= denseInverseMass(sigma, eigenvalues, vectors);
      return dense;
    },
    kineticEnergy: (momentum) => kineticEnergyFromVelocity(momentum, velocity(momentum)),
    kineticEnergyFromVelocity,
    velocity,
    drawMomentum(rng: Rng) {
      const out = new Float64Array(dim);
      for (let i = 0; i < dim; i++) out[i] = rng.normal();
      lowRankUpdate(out, momentumFactor);
      for (let i = 0; i < dim; i++) out[i] /= sigma[i];
      return out;
    },
  };
}

/** D (I + U (Lambda - I) U^T) D, row-major [dim, dim]. */
function denseInverseMass(sigma: Float64Array, eigenvalues: Float64Array, vectors: readonly Float64Array[]): Float64Array {
  const dim = sigma.length;
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) out[i * dim + i] = 1;
  vectors.forEach((u, k) => {
    const factor = eigenvalues[k] - 1;
    for (let i = 0; i < dim; i++) {
      const ui = factor * u[i];
      for (let j = 0; j < dim; j++) out[i * dim + j] += ui * u[j];
    }
  });
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) out[i * dim + j] *= sigma[i] * sigma[j];
  return out;
}
