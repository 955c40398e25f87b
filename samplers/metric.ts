/**
 * Euclidean metrics for HMC: the Gaussian kinetic energy K(p) = p^T M^-1 p / 2 with a diagonal or a
 * dense inverse mass matrix M^-1 (Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte
 * Carlo", section 4.2; Stan's diag_e_metric / dense_e_metric). Provides the kinetic energy, the
 * velocity dK/dp = M^-1 p (Betancourt's "sharp" momentum p#, Stan's dtau_dp), and momentum draws
 * p ~ N(0, M). Dense draws follow Stan: with M^-1 = L L^T (Cholesky), p solves L^T p = z, z ~ N(0, I),
 * so Cov(p) = L^-T L^-1 = M.
 */
import type { Rng } from '../src/tensor/rng.js';
import { cholesky } from '../src/linalg/index.js';
import { lowRankMetric } from './lowRankMetric.js';
import { dot } from './math.js';

/** Diagonal, dense, or low-rank plus diagonal (lowRankMetric.ts). */
export type MetricKind = 'diag' | 'dense' | 'lowRank';

export interface EuclideanMetric {
  readonly kind: MetricKind;
  readonly dim: number;
  /** Inverse mass matrix: the diagonal [dim] for 'diag', row-major [dim, dim] for 'dense' and 'lowRank'. */
  readonly inverseMass: Float64Array;
  /** K(p) = p^T M^-1 p / 2. */
  kineticEnergy(momentum: Float64Array): number;
  /** K(p) from p and its velocity M^-1 p: the same arithmetic as kineticEnergy without the product. */
  kineticEnergyFromVelocity(momentum: Float64Array, velocity: Float64Array): number;
  /** M^-1 p, written to `out` (a new array by default; must not alias `momentum`). */
  velocity(momentum: Float64Array, out?: Float64Array): Float64Array;
  /** A momentum drawn from N(0, M), a new array. */
  drawMomentum(rng: Rng): Float64Array;
}

/** Diagonal Euclidean metric from the diagonal of M^-1 (every entry finite and > 0). */
export function diagonalMetric(inverseMassDiag: Float64Array): EuclideanMetric {
  const dim = inverseMassDiag.length;
  const inverseMass = Float64Array.from(inverseMassDiag);
  const inverseSqrtMass = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const value = inverseMass[i];
    if (!(Number.isFinite(value) && value > 0)) {
      throw new Error(`diagonalMetric: inverse mass entry ${i} must be finite and > 0, got ${value}`);
    }
    inverseSqrtMass[i] = Math.sqrt(value);
  }
  return {
    kind: 'diag',
    dim,
    inverseMass,
    kineticEnergy(momentum) {
      let sum = 0;
      for (let i = 0; i < dim; i++) sum += momentum[i] * (inverseMass[i] * momentum[i]);
      return 0.5 * sum;
    },
    kineticEnergyFromVelocity: (momentum, velocity) => 0.5 * dot(momentum, velocity),
    velocity(momentum, out = new Float64Array(dim)) {
      for (let i = 0; i < dim; i++) out[i] = inverseMass[i] * momentum[i];
      return out;
    },
    drawMomentum(rng) {
      const out = new Float64Array(dim);
      for (let i = 0; i < dim; i++) out[i] = rng.normal() / inverseSqrtMass[i];
      return out;
    },
  };
}

/** Dense Euclidean metric from a symmetric positive-definite M^-1, row-major [dim, dim]. */
export function denseMetric(inverseMassMatrix: Float64Array, dim: number): EuclideanMetric {
  if (inverseMassMatrix.length !== dim * dim) {
    throw new Error(`denseMetric: expected ${dim * dim} entries for dim ${dim}, got ${inverseMassMatrix.length}`);
  }
  const inverseMass = Float64Array.from(inverseMassMatrix);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      const a = inverseMass[i * dim + j];
      const b = inverseMass[j * dim + i];
      if (!(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)))) {
        throw new Error(`denseMetric: inverse mass matrix is not symmetric at (${i}, ${j})`);
      }
    }
  }
  const lower = cholesky(inverseMass, dim);
  const velocity = (momentum: Float64Array, out = new Float64Array(dim)): Float64Array => {
    // Two rows per pass share the loads of the momentum; each row's sum keeps its order.
    let i = 0;
    for (; i + 1 < dim; i += 2) {
      let sum0 = 0;
      let sum1 = 0;
      const row0 = i * dim;
      const row1 = row0 + dim;
      for (let j = 0; j < dim; j++) {
        const p = momentum[j];
        sum0 += inverseMass[row0 + j] * p;
        sum1 += inverseMass[row1 + j] * p;
      }
      out[i] = sum0;
      out[i + 1] = sum1;
    }
    if (i < dim) {
      let sum = 0;
      const row = i * dim;
      for (let j = 0; j < dim; j++) sum += inverseMass[row + j] * momentum[j];
      out[i] = sum;
    }
    return out;
  };
  const kineticEnergyFromVelocity = (momentum: Float64Array, v: Float64Array): number => 0.5 * dot(momentum, v);
  return {
    kind: 'dense',
    dim,
    inverseMass,
    kineticEnergy: (momentum) => kineticEnergyFromVelocity(momentum, velocity(momentum)),
    kineticEnergyFromVelocity,
    velocity,
    drawMomentum(rng) {
      const standard = new Float64Array(dim);
      for (let i = 0; i < dim; i++) standard[i] = rng.normal();
      // Back substitution for L^T p = z (L^T is upper triangular with (L^T)[i][j] = L[j][i]).
      const out = new Float64Array(dim);
      for (let i = dim - 1; i >= 0; i--) {
        let sum = standard[i];
        for (let j = i + 1; j < dim; j++) sum -= lower[j * dim + i] * out[j];
        out[i] = sum / lower[i * dim + i];
      }
      return out;
    },
  };
}

/**
 * The metric of the given kind from its inverse mass (diagonal [dim] or dense [dim*dim]); a
 * low-rank metric from a diagonal one (no low-rank part yet: its adapter supplies that).
 */
export function createMetric(kind: MetricKind, dim: number, inverseMass?: Float64Array): EuclideanMetric {
  if (kind === 'lowRank') {
    const diag = inverseMass ?? new Float64Array(dim).fill(1);
    if (diag.length !== dim) throw new Error(`lowRank metric: expected its diagonal, ${dim} entries, got ${diag.length}`);
    return lowRankMetric({ scales: Float64Array.from(diag, Math.sqrt), eigenvalues: new Float64Array(0), eigenvectors: [] });
  }
  if (kind === 'diag') {
    const diag = inverseMass ?? new Float64Array(dim).fill(1);
    if (diag.length !== dim) throw new Error(`diag metric: expected ${dim} inverse-mass entries, got ${diag.length}`);
    return diagonalMetric(diag);
  }
  if (inverseMass === undefined) return denseMetric(identity(dim), dim);
  // A dense metric may be given by its diagonal only.
  if (inverseMass.length === dim && dim > 1) {
    const full = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) full[i * dim + i] = inverseMass[i];
    return denseMetric(full, dim);
  }
  return denseMetric(inverseMass, dim);
}

export function identity(dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) out[i * dim + i] = 1;
  return out;
}

