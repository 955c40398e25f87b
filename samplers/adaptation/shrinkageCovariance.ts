/**
 * A well-conditioned covariance estimate from pooled draws: the sample covariance with its
 * correlations shrunk toward zero by the data-driven intensity of Schäfer & Strimmer (2005), "A
 * shrinkage approach to large-scale covariance matrix estimation and implications for functional
 * genomics", Stat. Appl. Genet. Mol. Biol. 4(1), target "D" (diagonal, unequal variance), section 3
 * and appendix A:
 *   r*_ij = (1 - lambda) r_ij,   lambda = sum_{i != j} Var(r_ij) / sum_{i != j} r_ij^2  (clipped to [0, 1]),
 * with Var(r_ij) estimated from the standardized draws w_kij = x_ki x_kj as
 *   n / (n - 1)^3 * sum_k (w_kij - mean_k w_kij)^2.
 * The variances themselves are kept. The estimate is positive definite whenever every variance is
 * positive and lambda > 0, or the draws span the space. Used to turn a few hundred warmup draws of
 * a ~150-dimensional posterior into a dense metric (staged.ts).
 */

export interface ShrinkageCovariance {
  /** Row-major [dim, dim]. */
  readonly covariance: Float64Array;
  /** The shrinkage intensity applied to the correlations, in [0, 1]. */
  readonly lambda: number;
  readonly mean: Float64Array;
  readonly count: number;
}

/** Shrinkage covariance of `draws` (each a [dim] position; at least 3 draws). */
export function shrinkageCovariance(draws: readonly Float64Array[], dim: number): ShrinkageCovariance {
  const n = draws.length;
  if (n < 3) throw new Error(`shrinkageCovariance: need at least 3 draws, got ${n}`);
  const mean = new Float64Array(dim);
  for (const x of draws) {
    if (x.length !== dim) throw new Error(`shrinkageCovariance: a draw has length ${x.length}, expected ${dim}`);
    for (let i = 0; i < dim; i++) mean[i] += x[i];
  }
  for (let i = 0; i < dim; i++) mean[i] /= n;
  const sd = new Float64Array(dim);
  for (const x of draws) for (let i = 0; i < dim; i++) sd[i] += (x[i] - mean[i]) ** 2;
  for (let i = 0; i < dim; i++) {
    sd[i] = Math.sqrt(sd[i] / (n - 1));
    if (!(sd[i] > 0 && Number.isFinite(sd[i]))) {
      throw new Error(`shrinkageCovariance: coordinate ${i} has variance ${sd[i] ** 2} over ${n} draws; the chains did not move`);
    }
  }
  // Standardized draws, row-major [n, dim].
  const z = new Float64Array(n * dim);
  for (let k = 0; k < n; k++) for (let i = 0; i < dim; i++) z[k * dim + i] = (draws[k][i] - mean[i]) / sd[i];
  // Sums of w_kij and w_kij^2 over k, upper triangle.
  const sumW = new Float64Array(dim * dim);
  const sumW2 = new Float64Array(dim * dim);
  for (let k = 0; k < n; k++) {
    const row = k * dim;
    for (let i = 0; i < dim; i++) {
      const zi = z[row + i];
      const base = i * dim;
      for (let j = i + 1; j < dim; j++) {
        const w = zi * z[row + j];
        sumW[base + j] += w;
        sumW2[base + j] += w * w;
      }
    }
  }
  let varianceSum = 0;
  let squareSum = 0;
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) {
      const s = sumW[i * dim + j];
      const r = s / (n - 1);
      // sum_k (w - wbar)^2 = sum w^2 - (sum w)^2 / n
      const spread = sumW2[i * dim + j] - (s * s) / n;
      varianceSum += (n / (n - 1) ** 3) * spread;
      squareSum += r * r;
    }
  }
  const lambda = squareSum > 0 ? Math.min(1, Math.max(0, varianceSum / squareSum)) : 1;
  const covariance = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    covariance[i * dim + i] = sd[i] * sd[i];
    for (let j = i + 1; j < dim; j++) {
      const value = (1 - lambda) * (sumW[i * dim + j] / (n - 1)) * sd[i] * sd[j];
      covariance[i * dim + j] = value;
      covariance[j * dim + i] = value;
    }
  }
  return { covariance, lambda, mean, count: n };
}
