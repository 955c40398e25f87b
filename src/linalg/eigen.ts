/**
 * The symmetric eigendecomposition in float64 by the cyclic Jacobi method (Golub & Van Loan, "Matrix
 * Computations", 4th ed., section 8.5.2, with the rotation of Rutishauser 1966 / Numerical Recipes
 * 3rd ed. section 11.1), and functions of a symmetric matrix through it (square root, inverse square
 * root). Row-major Float64Arrays. Jacobi's O(n^3) per sweep suits n up to a few hundred (the
 * low-rank metric estimator, samplers/adaptation/lowRankFisher.ts); its accuracy (small relative
 * errors in the eigenvalues) is the best available, its cost is what makes the low-rank metric slow
 * above ~250 dimensions (bench/README.md finding 22).
 */

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Eigenvectors as the columns of a row-major [n, n] matrix, in the order of `values`. */
  readonly vectors: Float64Array;
}

/** Eigendecomposition A = V diag(values) V^T of a symmetric row-major [n, n] matrix (only its upper triangle is read). */
export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: expected ${n * n} entries for n = ${n}, got ${matrix.length}`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = matrix[i * n + j];
      if (!Number.isFinite(value)) throw new Error(`symmetricEigen: entry (${i}, ${j}) is ${value}`);
      a[i * n + j] = value;
      a[j * n + i] = value;
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let i = 0; i < n; i++) {
      diagonal += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) offDiagonal += a[i * n + j] * a[i * n + j];
    }
    if (offDiagonal === 0 || offDiagonal <= 1e-30 * diagonal) return sorted(a, v, n);
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // The rotation angle that zeroes a[p][q]: t = tan(theta), the smaller root of t^2 + 2 theta t - 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  throw new Error(`symmetricEigen: no convergence after ${maxSweeps} Jacobi sweeps`);
}

function sorted(a: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x * n + x] - a[y * n + y]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const from = order[k];
    for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + from];
  }
  return { values, vectors };
}

/** f(A) = V diag(f(values)) V^T of a symmetric matrix given by its eigendecomposition. */
export function symmetricFunction(eigen: SymmetricEigen, n: number, f: (value: number) => number): Float64Array {
  const fv = Float64Array.from(eigen.values, f);
  const v = eigen.vectors;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += v[i * n + k] * fv[k] * v[j * n + k];
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  }
  return out;
}
