/**
 * Cholesky factorisation with gradients, computed on the host in float64 (tfjs 4.22 has no Cholesky
 * op): `choleskyLower` (the Cholesky-Banachiewicz recurrence, Golub & Van Loan, "Matrix
 * Computations", 4th ed., Algorithm 4.2.1), and `choleskyBackward`, the reverse-mode rule of Murray
 * (2016), "Differentiation of the Cholesky decomposition", section 3 (eq. 10): with
 * Phi(X) = lower triangle of X with its diagonal halved,
 *
 *   dL = L Phi(L^-1 dA L^-T)   so   Abar = L^-T Phi(L^T Lbar) L^-1,
 *
 * returned symmetrised, (Abar + Abar^T) / 2, the gradient for symmetric perturbations dA.
 *
 * Two tensor ops wrap them (tf.customGrad, batched over a leading axis): `choleskyOp` factors a
 * [B, n, n] symmetric float32 matrix, and `squaredExponentialCholeskyOp` builds the kernel
 * C[i, j] = alpha^2 exp(-(x_i - x_j)^2 / (2 rho^2)) + jitter [i = j] (Rasmussen & Williams 2006,
 * "Gaussian Processes for Machine Learning", eq. 2.16) in float64 from (alpha, rho) and factors it,
 * so an ill-conditioned kernel (long length scale) is not first rounded to float32, where rounding
 * (relative 6e-8) exceeds a 1e-10 jitter and breaks positive definiteness.
 */
import { choleskyInto } from '../../src/linalg/index.js';
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../../src/tensor/index.js';

/** Lower Cholesky factor of the symmetric n x n row-major `matrix` (lower triangle read); undefined if not positive definite. */
export function choleskyLower(matrix: ArrayLike<number>, n: number): Float64Array | undefined {
  const lower = new Float64Array(n * n);
  return choleskyInto(matrix, n, lower) ? lower : undefined;
}

/** Solve L^T X = B in place of B (n x m row-major), L lower triangular n x n. */
function solveUpperTransposed(lower: Float64Array, n: number, rhs: Float64Array, m: number): void {
  for (let i = n - 1; i >= 0; i--) {
    for (let col = 0; col < m; col++) {
      let sum = rhs[i * m + col];
      for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * rhs[k * m + col];
      rhs[i * m + col] = sum / lower[i * n + i];
    }
  }
}

/**
 * Gradient of a scalar loss with respect to the symmetric input A of the Cholesky factorisation,
 * given L = chol(A) and Lbar = d loss / d L (only its lower triangle is used). Returns the
 * symmetric n x n matrix Abar with d loss = sum_ij Abar_ij dA_ij for symmetric dA.
 */
export function choleskyBackward(lower: Float64Array, lowerBar: ArrayLike<number>, n: number): Float64Array {
  // P = Phi(L^T Lbar), Lbar restricted to its lower triangle.
  const phi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += lower[k * n + i] * lowerBar[k * n + j]; // L[k, i] = 0 for k < i; Lbar[k, j] lower needs k >= j
      phi[i * n + j] = i === j ? 0.5 * sum : sum;
    }
  }
  // X = L^-T P, then S = X L^-1, i.e. S^T = L^-T X^T.
  solveUpperTransposed(lower, n, phi, n);
  const transposed = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) transposed[j * n + i] = phi[i * n + j];
  solveUpperTransposed(lower, n, transposed, n); // now S^T
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * (transposed[i * n + j] + transposed[j * n + i]);
  return out;
}

type SaveTensors = (tensors: Tensor[]) => void;

/** Factor each [n, n] matrix of a [B, n, n] batch (NaN factor where not positive definite). */
function factorBatch(flat: ArrayLike<number>, batch: number, n: number): { lowers: (Float64Array | undefined)[]; out: Float32Array } {
  const out = new Float32Array(batch * n * n);
  const lowers: (Float64Array | undefined)[] = [];
  for (let b = 0; b < batch; b++) {
    const matrix = Float64Array.from({ length: n * n }, (_, i) => flat[b * n * n + i]);
    const lower = choleskyLower(matrix, n);
    lowers.push(lower);
    if (lower) out.set(lower, b * n * n);
    else out.fill(NaN, b * n * n, (b + 1) * n * n);
  }
  return { lowers, out };
}

/** Matrix gradients Abar for a batch, from dy [B, n, n]. */
function backwardBatch(lowers: readonly (Float64Array | undefined)[], dy: ArrayLike<number>, n: number): Float64Array[] {
  return lowers.map((lower, b) => {
    if (!lower) return new Float64Array(n * n).fill(NaN);
    const lowerBar = Float64Array.from({ length: n * n }, (_, i) => dy[b * n * n + i]);
    return choleskyBackward(lower, lowerBar, n);
  });
}

/**
 * Lower Cholesky factor of each symmetric matrix of a [B, n, n] tensor (float64 on the host). The
 * gradient is the symmetric one, valid when the input is built symmetrically.
 */
export function choleskyOp(matrices: Tensor3D): Tensor3D {
  const op = tf.customGrad((...args: Array<Tensor | SaveTensors>) => {
    const input = args[0] as Tensor3D;
    const [batch, n, m] = input.shape;
    if (n !== m) throw new Error(`choleskyOp: matrices must be square, got [${input.shape.join(', ')}]`);
    const { lowers, out } = factorBatch(input.dataSync(), batch, n);
    return {
      value: tf.tensor3d(out, [batch, n, n]),
      gradFunc: (dy: Tensor) => {
        const grads = backwardBatch(lowers, dy.dataSync(), n);
        const flat = new Float32Array(batch * n * n);
        grads.forEach((g, b) => flat.set(g, b * n * n));
        return tf.tensor3d(flat, [batch, n, n]);
      },
    };
  });
  return op(matrices) as Tensor3D;
}

/** The squared-exponential kernel matrix at inputs x in float64 (row-major n x n). */
export function squaredExponentialKernel(x: ArrayLike<number>, alpha: number, rho: number, jitter: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = x[i] - x[j];
      out[i * n + j] = alpha * alpha * Math.exp(-(d * d) / (2 * rho * rho)) + (i === j ? jitter : 0);
    }
  }
  return out;
}

/**
 * Op from [chains, 2] = (alpha, rho) to the [chains, n, n] Cholesky factor of the squared-exponential
 * kernel at inputs x plus jitter on the diagonal. Gradients: Abar (Murray 2016) contracted with
 * dC/dalpha = 2 alpha k(d) and dC/drho = alpha^2 k(d) d^2 / rho^3, k(d) = exp(-d^2 / (2 rho^2)).
 */
export function squaredExponentialCholeskyOp(x: ArrayLike<number>, jitter: number): (hyper: Tensor2D) => Tensor3D {
  const n = x.length;
  const inputs = Float64Array.from(x);
  const op = tf.customGrad((...args: Array<Tensor | SaveTensors>) => {
    const hyper = args[0] as Tensor2D;
    if (hyper.rank !== 2 || hyper.shape[1] !== 2) throw new Error(`squaredExponentialCholeskyOp: expected [chains, 2], got [${hyper.shape.join(', ')}]`);
    const chains = hyper.shape[0];
    const values = hyper.dataSync();
    const out = new Float32Array(chains * n * n);
    const lowers: (Float64Array | undefined)[] = [];
    for (let c = 0; c < chains; c++) {
      const lower = choleskyLower(squaredExponentialKernel(inputs, values[2 * c], values[2 * c + 1], jitter), n);
      lowers.push(lower);
      if (lower) out.set(lower, c * n * n);
      else out.fill(NaN, c * n * n, (c + 1) * n * n);
    }
    return {
      value: tf.tensor3d(out, [chains, n, n]),
      gradFunc: (dy: Tensor) => {
        const matrixGrads = backwardBatch(lowers, dy.dataSync(), n);
        const grad = new Float32Array(chains * 2);
        for (let c = 0; c < chains; c++) {
          const alpha = values[2 * c];
          const rho = values[2 * c + 1];
          let dAlpha = 0;
          let dRho = 0;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const d2 = (inputs[i] - inputs[j]) ** 2;
              const k = Math.exp(-d2 / (2 * rho * rho));
              const s = matrixGrads[c][i * n + j];
              dAlpha += s * 2 * alpha * k;
              dRho += (s * alpha * alpha * k * d2) / (rho * rho * rho);
            }
          }
          grad[2 * c] = dAlpha;
          grad[2 * c + 1] = dRho;
        }
        return tf.tensor2d(grad, [chains, 2]);
      },
    };
  });
  return (hyper: Tensor2D) => op(hyper) as Tensor3D;
}
