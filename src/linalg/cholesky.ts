/**
 * Small dense symmetric positive-definite linear algebra in float64 on the host (row-major n x n):
 * the Cholesky factor A = L L^T (Golub & Van Loan, "Matrix Computations", 4th ed., algorithm 4.2.1),
 * triangular solves with L and L^T, and A^{-1} from L. For the blocks of a model (the MMM's
 * integrated linear block, a GP's kernel matrix) and the sampler's metrics, where n is tens to a
 * few hundred and allocation per call must be avoidable (the `Into` forms write into given arrays).
 */

/** L (lower, row-major, upper triangle zero) with L L^T = A into `lower`; false when A is not positive definite. */
export function choleskyInto(matrix: ArrayLike<number>, n: number, lower: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      if (i === j) {
        if (!(sum > 0 && Number.isFinite(sum))) return false;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j];
      }
    }
    for (let j = i + 1; j < n; j++) lower[i * n + j] = 0;
  }
  return true;
}

/** L with L L^T = A; throws when A is not positive definite. */
export function cholesky(matrix: ArrayLike<number>, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  if (!choleskyInto(matrix, n, lower)) throw new Error(`cholesky: the ${n} x ${n} matrix is not positive definite`);
  return lower;
}

/** x with L x = b (forward substitution); x may be b. */
export function solveLower(lower: ArrayLike<number>, n: number, b: ArrayLike<number>, x: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= lower[i * n + k] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}

/** x with L^T x = b (back substitution); x may be b. */
export function solveLowerTransposed(lower: ArrayLike<number>, n: number, b: ArrayLike<number>, x: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}

/** x with A x = b, A = L L^T; x may be b. */
export function solveCholesky(lower: ArrayLike<number>, n: number, b: ArrayLike<number>, x: Float64Array): Float64Array {
  return solveLowerTransposed(lower, n, solveLower(lower, n, b, x), x);
}

/** L^{-1} for `inverseFromCholesky`, kept between calls (grown as needed) so that a call allocates nothing. */
let inverseFactor = new Float64Array(0);

/**
 * A^{-1} (symmetric) from L into `inverse`: M = L^{-1} row by row (row i of M is (e_i - sum_{k<i}
 * L_ik row_k(M)) / L_ii), then A^{-1} = M^T M accumulated over M's rows (the lower triangle, then
 * mirrored): about n^3 / 3 multiply-adds over contiguous rows (LAPACK's dpotri does the same two
 * steps, dtrtri and dlauum), against 2 n^3 for n solves with unit vectors. `scratch` is unused (kept
 * for callers that pass one).
 */
export function inverseFromCholesky(lower: ArrayLike<number>, n: number, inverse: Float64Array, scratch?: Float64Array): Float64Array {
  void scratch;
  if (inverseFactor.length < n * n) inverseFactor = new Float64Array(n * n);
  const m = inverseFactor;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j <= i; j++) m[row + j] = 0;
    for (let k = 0; k < i; k++) {
      const a = lower[row + k];
      if (a === 0) continue;
      const rowK = k * n;
      for (let j = 0; j <= k; j++) m[row + j] += a * m[rowK + j];
    }
    const d = 1 / lower[row + i];
    for (let j = 0; j < i; j++) m[row + j] *= -d;
    m[row + i] = d;
  }
  inverse.fill(0, 0, n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let a = 0; a <= k; a++) {
      const ma = m[rowK + a];
      if (ma === 0) continue;
      const rowA = a * n;
      for (let b = 0; b <= a; b++) inverse[rowA + b] += ma * m[rowK + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) inverse[b * n + a] = inverse[a * n + b];
  return inverse;
}

/** log |A| = 2 sum_i log L_ii. */
export function logDeterminantFromCholesky(lower: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.log(lower[i * n + i]);
  return 2 * total;
}
