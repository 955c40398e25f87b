/**
 * Small dense linear algebra in float64 for the low-rank metric estimator
 * (adaptation/lowRankFisher.ts): the symmetric eigendecomposition by the cyclic Jacobi method
 * (Golub & Van Loan, "Matrix Computations", 4th ed., section 8.5.2, with the rotation of Rutishauser
 * 1966 / Numerical Recipes 3rd ed. section 11.1), functions of a symmetric matrix through it
 * (square root, inverse square root), the thin QR factorization by Householder reflections (Golub &
 * Van Loan section 5.2.1) and plain products. Matrices are row-major Float64Arrays. Sizes here are
 * at most a few hundred, where Jacobi's O(n^3) per sweep is fine and its accuracy (small relative
 * errors in the eigenvalues) is the best available.
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

/** The product A B of row-major [m, k] and [k, n] matrices. */
export function multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  if (a.length !== m * k || b.length !== k * n) throw new Error(`multiply: shapes [${m}, ${k}] x [${k}, ${n}] do not fit ${a.length} and ${b.length} entries`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l];
      if (ail === 0) continue;
      const bRow = l * n;
      for (let j = 0; j < n; j++) out[row + j] += ail * b[bRow + j];
    }
  }
  return out;
}

/** A A^T of a row-major [m, k] matrix, [m, m]. */
export function gram(a: Float64Array, m: number, k: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let sum = 0;
      for (let l = 0; l < k; l++) sum += a[i * k + l] * a[j * k + l];
      out[i * m + j] = sum;
      out[j * m + i] = sum;
    }
  }
  return out;
}

export interface ThinQR {
  /** Orthonormal columns, row-major [rows, cols]. */
  readonly q: Float64Array;
  /** Upper triangular, row-major [cols, cols]. */
  readonly r: Float64Array;
}

/**
 * Thin QR of a row-major [rows, cols] matrix with rows >= cols by Householder reflections: A = Q R,
 * Q [rows, cols] with orthonormal columns (also when A is rank deficient), R [cols, cols] upper
 * triangular.
 */
export function householderQR(matrix: Float64Array, rows: number, cols: number): ThinQR {
  if (matrix.length !== rows * cols) throw new Error(`householderQR: expected ${rows * cols} entries, got ${matrix.length}`);
  if (rows < cols) throw new Error(`householderQR: needs rows >= cols, got [${rows}, ${cols}]`);
  const a = Float64Array.from(matrix);
  // Householder vectors, one per column, each [rows] (zero above its column index).
  const reflectors: Float64Array[] = [];
  for (let j = 0; j < cols; j++) {
    let norm = 0;
    for (let i = j; i < rows; i++) norm += a[i * cols + j] * a[i * cols + j];
    norm = Math.sqrt(norm);
    const u = new Float64Array(rows);
    if (norm === 0) {
      // A zero column: reflect e_j onto -e_j, which keeps Q orthonormal.
      u[j] = 1;
    } else {
      const alpha = a[j * cols + j] >= 0 ? -norm : norm;
      for (let i = j; i < rows; i++) u[i] = a[i * cols + j];
      u[j] -= alpha;
    }
    let uNorm = 0;
    for (let i = j; i < rows; i++) uNorm += u[i] * u[i];
    uNorm = Math.sqrt(uNorm);
    for (let i = j; i < rows; i++) u[i] /= uNorm;
    // A <- (I - 2 u u^T) A on columns j..
    for (let c = j; c < cols; c++) {
      let dot = 0;
      for (let i = j; i < rows; i++) dot += u[i] * a[i * cols + c];
      for (let i = j; i < rows; i++) a[i * cols + c] -= 2 * u[i] * dot;
    }
    reflectors.push(u);
  }
  const r = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) for (let c = i; c < cols; c++) r[i * cols + c] = a[i * cols + c];
  // Q = H_0 H_1 ... H_{cols-1} applied to the first cols columns of the identity.
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < cols; i++) q[i * cols + i] = 1;
  for (let j = cols - 1; j >= 0; j--) {
    const u = reflectors[j];
    for (let c = 0; c < cols; c++) {
      let dot = 0;
      for (let i = j; i < rows; i++) dot += u[i] * q[i * cols + c];
      for (let i = j; i < rows; i++) q[i * cols + c] -= 2 * u[i] * dot;
    }
  }
  return { q, r };
}
