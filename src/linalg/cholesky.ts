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

/** A^{-1} (symmetric) from L into `inverse`, using `column` (length n) as scratch. */
export function inverseFromCholesky(lower: ArrayLike<number>, n: number, inverse: Float64Array, column: Float64Array = new Float64Array(n)): Float64Array {
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    solveCholesky(lower, n, column, column);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i];
  }
  return inverse;
}

/** log |A| = 2 sum_i log L_ii. */
export function logDeterminantFromCholesky(lower: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.log(lower[i * n + i]);
  return 2 * total;
}
