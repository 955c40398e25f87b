/**
 * nutpie's low-rank metric estimator (nuts-rs src/transform/adapt/low_rank.rs; Seyboldt, Carlson &
 * Carpenter 2026, arXiv 2603.18845), from a window of draws x and their gradients g, pooled across
 * chains with each chain centred on its own means:
 *
 *   1. sigma_j = (Var x_j / Var g_j)^(1/4); x~ = (x - mean x) / sigma, g~ = (g - mean g) sigma.
 *   2. Q: an orthonormal basis of the span of x~ and g~ (nuts-rs takes both sets of left singular
 *      vectors and a pivoted QR; Householder QR of [x~ g~] spans the same space, and its Q stays
 *      orthonormal when they are rank deficient). With 2n >= dim the span is the whole space and
 *      Q = I: the estimate is then the dense Fisher metric.
 *   3. Cx = (Q^T x~)(Q^T x~)^T / gamma + I and Cg likewise (gamma = 1e-5 on the un-normalized sums).
 *   4. S, the SPD geometric mean solving S Cg S = Cx: S = Cg^-1/2 (Cg^1/2 Cx Cg^1/2)^1/2 Cg^-1/2.
 *   5. Eigenpairs of S; keep those with lambda > c or lambda < 1/c (c = 2 in nuts-rs).
 *   6. M^-1 = diag(sigma) (I + U (Lambda - I) U^T) diag(sigma), U = Q V_kept (lowRankMetric.ts).
 *
 * For a Gaussian, g~ = -A x~ with A = diag(sigma) Sigma^-1 diag(sigma), so Cg = A Cx A and S = A^-1
 * (gamma -> 0): with draws spanning the space the full S is exact and M^-1 = Sigma. Outside span Q,
 * Cx = Cg = I and S = I (eigenvalue 1, never kept), which is why the projection changes nothing.
 * Linear algebra: linalg.ts (Jacobi eigendecompositions, Householder QR).
 */
import { gram, householderQR, multiply, symmetricEigen, symmetricFunction } from '../../src/linalg/index.js';
import type { LowRankFactors } from '../lowRankMetric.js';

export interface LowRankFisherSettings {
  /** Regularization of the un-normalized sums (nuts-rs gamma), default 1e-5. */
  readonly gamma: number;
  /** Eigenvalues within [1/c, c] are dropped (nuts-rs eigval_cutoff), default 2. */
  readonly eigenvalueCutoff: number;
}

export const nutpieLowRankSettings: LowRankFisherSettings = { gamma: 1e-5, eigenvalueCutoff: 2 };

/** One chain's window: its draws and their gradients, in order. */
export interface ChainWindow {
  readonly draws: readonly Float64Array[];
  readonly gradients: readonly Float64Array[];
}

/**
 * The low-rank estimate from the chains' windows, or null when it cannot be formed (fewer than 2
 * degrees of freedom, a coordinate that never moved or whose gradient never changed, a non-finite
 * value).
 */
export function lowRankFisher(windows: readonly ChainWindow[], dim: number, settings: LowRankFisherSettings = nutpieLowRankSettings): LowRankFactors | null {
  const n = windows.reduce((count, w) => count + w.draws.length, 0);
  const degreesOfFreedom = windows.reduce((count, w) => count + Math.max(0, w.draws.length - 1), 0);
  if (degreesOfFreedom < 2) return null;
  // Centred draws and gradients, row-major [dim, n] (column t is draw t of the chains in order).
  const x = new Float64Array(dim * n);
  const g = new Float64Array(dim * n);
  let column = 0;
  for (const window of windows) {
    const m = window.draws.length;
    if (window.gradients.length !== m) throw new Error(`lowRankFisher: ${m} draws but ${window.gradients.length} gradients`);
    if (m === 0) continue;
    for (let j = 0; j < dim; j++) {
      let xMean = 0;
      let gMean = 0;
      for (let t = 0; t < m; t++) {
        xMean += window.draws[t][j];
        gMean += window.gradients[t][j];
      }
      xMean /= m;
      gMean /= m;
      for (let t = 0; t < m; t++) {
        x[j * n + column + t] = window.draws[t][j] - xMean;
        g[j * n + column + t] = window.gradients[t][j] - gMean;
      }
    }
    column += m;
  }
  // 1. Scales, and the standardized draws and gradients.
  const scales = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    let xx = 0;
    let gg = 0;
    for (let t = 0; t < n; t++) {
      xx += x[j * n + t] * x[j * n + t];
      gg += g[j * n + t] * g[j * n + t];
    }
    const sigma = Math.sqrt(Math.sqrt(xx / gg));
    if (!(Number.isFinite(sigma) && sigma > 0)) return null;
    scales[j] = sigma;
    for (let t = 0; t < n; t++) {
      x[j * n + t] /= sigma;
      g[j * n + t] *= sigma;
    }
  }
  // 2. The subspace, and the draws and gradients in its coordinates, [q, n].
  let q: number;
  let basis: Float64Array | null; // [dim, q], or null for the identity
  let px: Float64Array;
  let pg: Float64Array;
  if (2 * n >= dim) {
    q = dim;
    basis = null;
    px = x;
    pg = g;
  } else {
    q = 2 * n;
    const both = new Float64Array(dim * q);
    for (let j = 0; j < dim; j++) {
      both.set(x.subarray(j * n, (j + 1) * n), j * q);
      both.set(g.subarray(j * n, (j + 1) * n), j * q + n);
    }
    basis = householderQR(both, dim, q).q;
    const basisT = transpose(basis, dim, q);
    px = multiply(basisT, x, q, dim, n);
    pg = multiply(basisT, g, q, dim, n);
  }
  // 3. Regularized second moments.
  const cx = gram(px, q, n);
  const cg = gram(pg, q, n);
  for (let i = 0; i < q * q; i++) {
    cx[i] /= settings.gamma;
    cg[i] /= settings.gamma;
  }
  for (let i = 0; i < q; i++) {
    cx[i * q + i] += 1;
    cg[i * q + i] += 1;
  }
  // Early windows can hold draws far out in the tails whose second moments overflow: no estimate
  // then (the caller keeps its current metric), as nuts-rs keeps the old value on a non-finite one.
  if (!cx.every(Number.isFinite) || !cg.every(Number.isFinite)) return null;
  // 4-5. The geometric mean and its eigenpairs outside [1/c, c].
  const s = spdGeometricMean(cx, cg, q);
  if (!s.every(Number.isFinite)) return null;
  const eigen = symmetricEigen(s, q);
  if (!eigen.values.every(Number.isFinite)) return null;
  const c = settings.eigenvalueCutoff;
  const eigenvalues: number[] = [];
  const eigenvectors: Float64Array[] = [];
  for (let k = 0; k < q; k++) {
    const lambda = eigen.values[k];
    if (!(lambda > c || lambda < 1 / c)) continue;
    if (!(Number.isFinite(lambda) && lambda > 0)) return null;
    const v = Float64Array.from({ length: q }, (_, i) => eigen.vectors[i * q + k]);
    // 6. Back to the original coordinates: u = Q v.
    const u = basis === null ? v : multiply(basis, v, dim, q, 1);
    if (!u.every(Number.isFinite)) return null;
    eigenvalues.push(lambda);
    eigenvectors.push(u);
  }
  return { scales, eigenvalues: Float64Array.from(eigenvalues), eigenvectors };
}

/** The SPD S with S B S = A for SPD A and B: B^-1/2 (B^1/2 A B^1/2)^1/2 B^-1/2. */
export function spdGeometricMean(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const eigenB = symmetricEigen(b, n);
  const bHalf = symmetricFunction(eigenB, n, Math.sqrt);
  const bInverseHalf = symmetricFunction(eigenB, n, (v) => 1 / Math.sqrt(v));
  const inner = multiply(multiply(bHalf, a, n, n, n), bHalf, n, n, n);
  // B nearly singular (its smallest eigenvalues rounded to <= 0): no mean; the caller keeps its metric
  if (!inner.every(Number.isFinite) || !bInverseHalf.every(Number.isFinite)) return new Float64Array(n * n).fill(NaN);
  const innerHalf = symmetricFunction(symmetricEigen(inner, n), n, (v) => Math.sqrt(Math.max(0, v)));
  return multiply(multiply(bInverseHalf, innerHalf, n, n, n), bInverseHalf, n, n, n);
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/**
 * The stored windows of nutpie's low-rank adaptation, per chain: every good draw goes into the
 * foreground (all stored draws) and the background (those since the last switch); at a switch the
 * draws before the background are dropped (nuts-rs's deque with its background split).
 */
export class LowRankWindows {
  private readonly windows: { draws: Float64Array[]; gradients: Float64Array[]; split: number }[];

  constructor(readonly chains: number) {
    this.windows = Array.from({ length: chains }, () => ({ draws: [], gradients: [], split: 0 }));
  }

  /** Store a draw (its arrays are kept, not copied: the sampler never modifies them). */
  add(chain: number, position: Float64Array, gradient: Float64Array): void {
    this.windows[chain].draws.push(position);
    this.windows[chain].gradients.push(gradient);
  }

  /** The background becomes the foreground; a new background starts empty. */
  switchWindows(): void {
    for (const w of this.windows) {
      w.draws.splice(0, w.split);
      w.gradients.splice(0, w.split);
      w.split = w.draws.length;
    }
  }

  /** Draws in the background, over all chains. */
  get backgroundCount(): number {
    return this.windows.reduce((n, w) => n + w.draws.length - w.split, 0);
  }

  /** Draws in the foreground, over all chains. */
  get foregroundCount(): number {
    return this.windows.reduce((n, w) => n + w.draws.length, 0);
  }

  get foreground(): readonly ChainWindow[] {
    return this.windows;
  }
}
