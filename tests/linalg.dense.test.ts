/**
 * Small dense linear algebra (src/linalg: cholesky.ts, eigen.ts, qr.ts, products.ts) against known answers and slow references: the
 * inverse from a Cholesky factor against n solves with unit vectors and A A^-1 = I; the
 * Jacobi eigendecomposition of matrices built from chosen eigenvalues and a random orthogonal basis
 * (from a modified Gram-Schmidt written out here), with repeated eigenvalues and zeros; Householder
 * QR against Gram-Schmidt's columns and on rank-deficient input; matrix functions; the SPD geometric
 * mean against its defining equation and against nuts-rs's diagonal example. Tolerances are a few
 * hundred ulps of the matrices' norms: these are direct float64 computations.
 */
import { describe, expect, it } from 'vitest';
import { choleskyInto, gram, householderQR, inverseFromCholesky, multiply, solveCholesky, symmetricEigen, symmetricFunction } from '../src/linalg/index.js';
import { spdGeometricMean } from '../samplers/adaptation/lowRankFisher.js';
import { createRng } from '../src/tensor/rng.js';

/** Modified Gram-Schmidt on the columns of a row-major [rows, cols] matrix (the slow reference). */
function gramSchmidt(a: Float64Array, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += q[i * cols + k] * q[i * cols + j];
      for (let i = 0; i < rows; i++) q[i * cols + j] -= dot * q[i * cols + k];
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) q[i * cols + j] /= norm;
  }
  return q;
}

function randomMatrix(rows: number, cols: number, seed: string): Float64Array {
  const rng = createRng(7, seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const identity = (n: number) => Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));

/** V diag(values) V^T. */
function compose(vectors: Float64Array, values: readonly number[], n: number): Float64Array {
  const scaled = Float64Array.from(vectors, (v, k) => v * values[k % n]);
  return multiply(scaled, transpose(vectors, n, n), n, n, n);
}

describe('inverseFromCholesky', () => {
  for (const n of [1, 2, 7, 40, 161]) {
    it(`equals n solves with unit vectors and gives A A^-1 = I (n = ${n})`, () => {
      const b = randomMatrix(n, n, `inverse${n}`);
      const a = multiply(b, transpose(b, n, n), n, n, n);
      for (let i = 0; i < n; i++) a[i * n + i] += n;
      const lower = new Float64Array(n * n);
      expect(choleskyInto(a, n, lower)).toBe(true);
      const inverse = inverseFromCholesky(lower, n, new Float64Array(n * n).fill(NaN));
      // the slow reference: column j of A^-1 solves A x = e_j
      const reference = new Float64Array(n * n);
      const column = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        column.fill(0);
        column[j] = 1;
        solveCholesky(lower, n, column, column);
        for (let i = 0; i < n; i++) reference[i * n + j] = column[i];
      }
      const scale = Math.max(...Array.from(reference, Math.abs));
      // a few hundred ulps of the inverse's largest entry: both are direct float64 computations
      expect(maxAbsDifference(inverse, reference)).toBeLessThan(1e-13 * scale * n);
      expect(maxAbsDifference(multiply(a, inverse, n, n, n), identity(n))).toBeLessThan(1e-12 * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
    });
  }
});

describe('symmetricEigen (cyclic Jacobi)', () => {
  for (const [n, values] of [
    [1, [3]],
    [2, [-1, 4]],
    [5, [0.001, 0.5, 2, 2, 1000]],
    [12, [0, 0, 1e-6, 0.1, 0.2, 0.3, 1, 1, 1, 5, 50, 500]],
    [30, Array.from({ length: 30 }, (_, k) => Math.exp(k / 3) - 4)],
  ] as [number, number[]][]) {
    it(`recovers chosen eigenvalues and an orthonormal basis (n = ${n}, repeated and zero eigenvalues included)`, () => {
      const basis = gramSchmidt(randomMatrix(n, n, `basis:${n}`), n, n);
      const a = compose(basis, values, n);
      const eigen = symmetricEigen(a, n);
      const norm = Math.max(...values.map(Math.abs));
      const sortedValues = [...values].sort((x, y) => x - y);
      expect(maxAbsDifference(eigen.values, sortedValues)).toBeLessThan(1e-12 * norm * n);
      // A V = V Lambda and V^T V = I.
      const av = multiply(a, eigen.vectors, n, n, n);
      const vl = Float64Array.from(eigen.vectors, (v, k) => v * eigen.values[k % n]);
      expect(maxAbsDifference(av, vl)).toBeLessThan(1e-12 * norm * n);
      expect(maxAbsDifference(multiply(transpose(eigen.vectors, n, n), eigen.vectors, n, n, n), identity(n))).toBeLessThan(1e-13 * n);
      // The reconstruction.
      expect(maxAbsDifference(compose(eigen.vectors, Array.from(eigen.values), n), a)).toBeLessThan(1e-12 * norm * n);
    });
  }

  it('handles the zero matrix and rejects non-finite input', () => {
    const eigen = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(eigen.values)).toEqual([0, 0, 0]);
    expect(() => symmetricEigen(Float64Array.from([1, NaN, NaN, 1]), 2)).toThrow(/entry \(0, 1\) is NaN/);
  });

  it('gives matrix functions: sqrt(A)^2 = A and A^-1/2 A A^-1/2 = I for an SPD A', () => {
    const n = 8;
    const x = randomMatrix(n, 3 * n, 'spd');
    const a = gram(x, n, 3 * n);
    const eigen = symmetricEigen(a, n);
    const root = symmetricFunction(eigen, n, Math.sqrt);
    expect(maxAbsDifference(multiply(root, root, n, n, n), a)).toBeLessThan(1e-11 * Math.max(...eigen.values));
    const inverseRoot = symmetricFunction(eigen, n, (v) => 1 / Math.sqrt(v));
    expect(maxAbsDifference(multiply(multiply(inverseRoot, a, n, n, n), inverseRoot, n, n, n), identity(n))).toBeLessThan(1e-10);
  });
});

describe('householderQR', () => {
  it('equals Gram-Schmidt (up to column signs) on a full-rank matrix, with QR = A and R upper triangular', () => {
    const [rows, cols] = [20, 7];
    const a = randomMatrix(rows, cols, 'qr');
    const { q, r } = householderQR(a, rows, cols);
    expect(maxAbsDifference(multiply(q, r, rows, cols, cols), a)).toBeLessThan(1e-13);
    for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(r[i * cols + j]).toBe(0);
    const reference = gramSchmidt(a, rows, cols);
    for (let j = 0; j < cols; j++) {
      const sign = Math.sign(q[j] * reference[j]) || 1;
      for (let i = 0; i < rows; i++) expect(q[i * cols + j]).toBeCloseTo(sign * reference[i * cols + j], 12);
    }
  });

  it('keeps Q orthonormal when A is rank deficient (repeated and zero columns)', () => {
    const [rows, cols] = [10, 6];
    const a = randomMatrix(rows, cols, 'deficient');
    for (let i = 0; i < rows; i++) {
      a[i * cols + 2] = a[i * cols + 0] - a[i * cols + 1];
      a[i * cols + 4] = 0;
    }
    const { q, r } = householderQR(a, rows, cols);
    expect(maxAbsDifference(multiply(transpose(q, rows, cols), q, cols, rows, cols), identity(cols))).toBeLessThan(1e-13);
    expect(maxAbsDifference(multiply(q, r, rows, cols, cols), a)).toBeLessThan(1e-13);
  });
});

describe('spdGeometricMean', () => {
  it("solves S B S = A, and for diagonal matrices is sqrt(a / b) (nuts-rs's test: [1, 4, 8], [1, 1, 0.5] -> [1, 2, 4])", () => {
    const diag = (values: number[]) => Float64Array.from({ length: values.length ** 2 }, (_, k) => (k % (values.length + 1) === 0 ? values[k / (values.length + 1)] : 0));
    const s = spdGeometricMean(diag([1, 4, 8]), diag([1, 1, 0.5]), 3);
    expect(maxAbsDifference(s, diag([1, 2, 4]))).toBeLessThan(1e-12);
    const n = 6;
    const a = gram(randomMatrix(n, 10, 'a'), n, 10);
    const b = gram(randomMatrix(n, 10, 'b'), n, 10);
    const mean = spdGeometricMean(a, b, n);
    expect(maxAbsDifference(multiply(multiply(mean, b, n, n, n), mean, n, n, n), a)).toBeLessThan(1e-9 * Math.max(...a));
    // Symmetric positive definite.
    expect(maxAbsDifference(mean, transpose(mean, n, n))).toBeLessThan(1e-10 * Math.max(...mean));
    expect(symmetricEigen(mean, n).values[0]).toBeGreaterThan(0);
  });
});
