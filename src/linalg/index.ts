/** Small dense linear algebra in float64 on the host (no tensors). */
export { cholesky, choleskyInto, inverseFromCholesky, logDeterminantFromCholesky, solveCholesky, solveLower, solveLowerTransposed } from './cholesky.js';
