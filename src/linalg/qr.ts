/** The thin QR factorization in float64 by Householder reflections (Golub & Van Loan, "Matrix Computations", 4th ed., section 5.2.1); row-major. */

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
