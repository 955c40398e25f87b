/** Small dense linear algebra in float64 on the host (no tensors). */
export { cholesky, choleskyInto, inverseFromCholesky, logDeterminantFromCholesky, solveCholesky, solveLower, solveLowerTransposed } from './cholesky.js';
export { symmetricEigen, symmetricFunction, type SymmetricEigen } from './eigen.js';
export { householderQR, type ThinQR } from './qr.js';
export { gram, multiply } from './products.js';
