/**
 * The Hilbert-space approximation of a one-dimensional Gaussian process with the squared-exponential
 * kernel (Riutort-Mayol, Bürkner, Andersen, Solin & Vehtari 2023, "Practical Hilbert space
 * approximate Bayesian Gaussian processes for probabilistic programming", Statistics and Computing
 * 33:17; Solin & Särkkä 2020): on the domain [-L, L] the kernel is approximated by the first m
 * Laplacian eigenfunctions with Dirichlet boundaries,
 *
 *   phi_j(x) = sqrt(1 / L) sin(pi j (x + L) / (2 L)),   sqrt(lambda_j) = pi j / (2 L),
 *   k(x, x') ~ sum_j S(sqrt(lambda_j)) phi_j(x) phi_j(x'),
 *   S(w) = amplitude^2 sqrt(2 pi) lengthScale exp(-lengthScale^2 w^2 / 2),
 *
 * so f(x) = sum_j sqrt(S(sqrt(lambda_j))) phi_j(x) z_j with z_j ~ N(0, 1) is a GP draw with a fixed
 * basis (precomputed once per design) and m standard-normal weights: cheap to sample with HMC. The
 * inputs are scaled to [-1, 1] (S = 1); L = boundary * 1. The groundwork of issue 22's time-varying
 * media effect w_c(t); `basisCount` is the paper's rule for the squared-exponential kernel
 * (m >= 1.75 c / (l / S), with c >= max(1.2, 3.2 l / S)), and `covarianceError` measures what the
 * approximation leaves out.
 */

export interface HsgpBasis {
  /** Number of inputs (e.g. periods) and of basis functions. */
  readonly n: number;
  readonly m: number;
  /** L: the half-width of the approximation's domain (inputs are scaled to [-1, 1]). */
  readonly halfWidth: number;
  /** phi_j(x_i), row-major [n, m]. */
  readonly phi: Float64Array;
  /** sqrt(lambda_j), [m]. */
  readonly sqrtLambda: Float64Array;
  /** How an input was scaled: x = (t - center) / scale; and the scaled inputs, [n]. */
  readonly center: number;
  readonly scale: number;
  readonly x: Float64Array;
}

/** The basis at `inputs` (e.g. the periods 0..T-1), scaled to [-1, 1], with m functions and boundary factor c. */
export function hsgpBasis(inputs: ArrayLike<number>, m: number, boundary: number): HsgpBasis {
  if (!Number.isInteger(m) || m < 1) throw new Error(`hsgpBasis: m must be an integer >= 1, got ${m}`);
  if (!(boundary > 1)) throw new Error(`hsgpBasis: the boundary factor must be > 1, got ${boundary}`);
  const n = inputs.length;
  if (n < 2) throw new Error('hsgpBasis: needs at least 2 inputs');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, inputs[i]);
    hi = Math.max(hi, inputs[i]);
  }
  if (!(hi > lo)) throw new Error('hsgpBasis: the inputs must not all be equal');
  const center = (lo + hi) / 2;
  const scale = (hi - lo) / 2;
  const halfWidth = boundary;
  const phi = new Float64Array(n * m);
  const sqrtLambda = new Float64Array(m);
  const scaled = new Float64Array(n);
  const norm = Math.sqrt(1 / halfWidth);
  for (let j = 0; j < m; j++) sqrtLambda[j] = (Math.PI * (j + 1)) / (2 * halfWidth);
  for (let i = 0; i < n; i++) {
    const x = (inputs[i] - center) / scale;
    scaled[i] = x;
    for (let j = 0; j < m; j++) phi[i * m + j] = norm * Math.sin(sqrtLambda[j] * (x + halfWidth));
  }
  return { n, m, halfWidth, phi, sqrtLambda, center, scale, x: scaled };
}

/** The squared-exponential kernel's spectral density at frequency w (length scale in scaled units). */
export function seSpectralDensity(w: number, amplitude: number, lengthScale: number): number {
  return amplitude * amplitude * Math.sqrt(2 * Math.PI) * lengthScale * Math.exp(-0.5 * lengthScale * lengthScale * w * w);
}

/**
 * The paper's rule for the squared-exponential kernel: the boundary factor c >= max(1.2, 3.2 l / S) and
 * m >= 1.75 c / (l / S) basis functions for length scales down to `minLengthScale` (in units of the
 * inputs' half range S). Returns both, rounded up.
 */
export function basisCount(minLengthScale: number, boundary?: number): { m: number; boundary: number } {
  if (!(minLengthScale > 0)) throw new Error(`basisCount: the length scale must be > 0, got ${minLengthScale}`);
  const c = Math.max(boundary ?? 0, 1.2, 3.2 * minLengthScale);
  return { m: Math.ceil((1.75 * c) / minLengthScale), boundary: c };
}

/**
 * The paper's rule for a range of length scales [minLengthScale, maxLengthScale] (units of the
 * inputs' half range S): the boundary factor from the largest, c = max(1.2, 3.2 max), and the basis
 * count from the smallest, m = ceil(1.75 c / min). With c from the smallest length scale instead,
 * long length scales are badly approximated (at 78 periods and c = 1.5 a 26-period length scale's
 * centred covariance is 30% off; `centredCovarianceError`).
 */
export function basisForRange(minLengthScale: number, maxLengthScale: number): { m: number; boundary: number } {
  if (!(minLengthScale > 0) || !(maxLengthScale >= minLengthScale)) throw new Error(`basisForRange: need 0 < min <= max length scale, got ${minLengthScale}, ${maxLengthScale}`);
  const boundary = Math.max(1.2, 3.2 * maxLengthScale);
  // the 1e-9 keeps a product that is an integer in exact arithmetic from rounding up
  return { m: Math.ceil((1.75 * boundary) / minLengthScale - 1e-9), boundary };
}

/** f at every input for weights z ([m]): sum_j sqrt(S(sqrt(lambda_j))) phi_j(x_i) z_j. */
export function hsgpValues(basis: HsgpBasis, z: ArrayLike<number>, amplitude: number, lengthScale: number, out = new Float64Array(basis.n)): Float64Array {
  const { n, m, phi, sqrtLambda } = basis;
  const weights = new Float64Array(m);
  for (let j = 0; j < m; j++) weights[j] = Math.sqrt(seSpectralDensity(sqrtLambda[j], amplitude, lengthScale)) * z[j];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += phi[i * m + j] * weights[j];
    out[i] = sum;
  }
  return out;
}

/**
 * The largest absolute difference between the exact and the approximate covariance of the process
 * centred over the inputs (f minus its mean over them, as the time-varying effect uses it), relative
 * to the exact centred process's largest variance: the centring removes the constant that the
 * approximation's boundary conditions distort most at long length scales.
 */
export function centredCovarianceError(basis: HsgpBasis, lengthScale: number): number {
  const { n, m, phi, sqrtLambda, x } = basis;
  const spectral = Array.from(sqrtLambda, (w) => seSpectralDensity(w, 1, lengthScale));
  const exact = new Float64Array(n * n);
  const approx = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      exact[a * n + b] = Math.exp(-((x[a] - x[b]) ** 2) / (2 * lengthScale * lengthScale));
      let sum = 0;
      for (let j = 0; j < m; j++) sum += spectral[j] * phi[a * m + j] * phi[b * m + j];
      approx[a * n + b] = sum;
    }
  }
  const centre = (K: Float64Array): Float64Array => {
    const rowMean = new Float64Array(n);
    let all = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) rowMean[a] += K[a * n + b] / n;
    for (let a = 0; a < n; a++) all += rowMean[a] / n;
    // K symmetric: the column means are the row means
    return Float64Array.from(K, (v, i) => v - rowMean[Math.floor(i / n)] - rowMean[i % n] + all);
  };
  const e = centre(exact);
  const q = centre(approx);
  let worst = 0;
  let variance = 0;
  for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(e[i] - q[i]));
  for (let a = 0; a < n; a++) variance = Math.max(variance, e[a * n + a]);
  return worst / variance;
}

/**
 * The largest absolute difference between the exact kernel amplitude^2 exp(-(x - x')^2 / (2 l^2)) and
 * its approximation over every pair of the basis's inputs, relative to amplitude^2.
 */
export function covarianceError(basis: HsgpBasis, lengthScale: number): number {
  const { n, m, phi, sqrtLambda, x } = basis;
  const spectral = Array.from(sqrtLambda, (w) => seSpectralDensity(w, 1, lengthScale));
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let approx = 0;
      for (let j = 0; j < m; j++) approx += spectral[j] * phi[a * m + j] * phi[b * m + j];
      const exact = Math.exp(-((x[a] - x[b]) ** 2) / (2 * lengthScale * lengthScale));
      worst = Math.max(worst, Math.abs(exact - approx));
    }
  }
  return worst;
}
