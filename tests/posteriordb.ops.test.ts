/**
 * The host-side ops behind the posteriordb models: the float64 Cholesky factorisation and its
 * reverse-mode rule (Murray 2016) against finite differences, the two Cholesky tensor ops'
 * gradients, and the host recursions (GARCH, ARMA, HMM forward algorithm, each with a hand-written
 * forward-mode gradient) against tfjs autodiff of the per-step tensor form of the same model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type ModelDefinition } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount, tf, type Tensor2D, type Tensor3D } from '../src/tensor/index.js';
import { choleskyBackward, choleskyLower, choleskyOp, squaredExponentialCholeskyOp, squaredExponentialKernel } from '../models/posteriordb/cholesky.js';
import { arma, garch, hmmExample, type PosteriorData, type RecursionOptions } from '../models/posteriordb/index.js';

beforeAll(async () => {
  await initBackend();
});

/** A random symmetric positive definite n x n matrix B B^T + n I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed, 'spd');
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = i === j ? n : 0;
      for (let k = 0; k < n; k++) sum += b[i * n + k] * b[j * n + k];
      a[i * n + j] = sum;
    }
  }
  return a;
}

/** sum_ij W_ij chol(A)_ij: a scalar loss of the factor with random weights W. */
function weightedFactor(a: Float64Array, weights: Float64Array, n: number): number {
  const lower = choleskyLower(a, n);
  if (!lower) throw new Error('not positive definite');
  return lower.reduce((sum, value, i) => sum + value * weights[i], 0);
}

describe('host Cholesky', () => {
  it('factors A = L L^T with a lower-triangular L', () => {
    const n = 6;
    const a = randomSpd(n, 1);
    const lower = choleskyLower(a, n)!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) expect(lower[i * n + j]).toBe(0);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += lower[i * n + k] * lower[j * n + k];
        expect(sum).toBeCloseTo(a[i * n + j], 10);
      }
    }
    expect(choleskyLower(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined();
  });

  it('backward pass matches central differences along symmetric perturbations', () => {
    const n = 5;
    const a = randomSpd(n, 2);
    const rng = createRng(2, 'weights');
    const weights = Float64Array.from({ length: n * n }, () => rng.normal());
    const lower = choleskyLower(a, n)!;
    const grad = choleskyBackward(lower, weights, n);
    const h = 1e-6;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        // Perturb A_ij and A_ji together: the derivative is grad_ij + grad_ji (grad_ii once).
        const up = Float64Array.from(a);
        const down = Float64Array.from(a);
        up[i * n + j] += h;
        down[i * n + j] -= h;
        if (i !== j) {
          up[j * n + i] += h;
          down[j * n + i] -= h;
        }
        const numeric = (weightedFactor(up, weights, n) - weightedFactor(down, weights, n)) / (2 * h);
        const analytic = i === j ? grad[i * n + i] : grad[i * n + j] + grad[j * n + i];
        // Central differences of an O(1) smooth function: error ~1e-9.
        expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 * (1 + Math.abs(numeric)));
      }
    }
  });

  it('choleskyOp: value and gradient through tfjs match the host rule', () => {
    const n = 4;
    const a = randomSpd(n, 3);
    const rng = createRng(3, 'weights');
    const weights = Float64Array.from({ length: n * n }, () => rng.normal());
    const before = liveTensorCount();
    // A(t) = A + t (E + E^T) with E random: the derivative of the loss in t at t = 0.
    const direction = Float64Array.from({ length: n * n }, () => rng.normal());
    const symmetric = Float64Array.from({ length: n * n }, (_, k) => direction[k] + direction[(k % n) * n + Math.floor(k / n)]);
    const [value, slope] = tf.tidy(() => {
      const base = tf.tensor3d(Float32Array.from(a), [1, n, n]);
      const step = tf.tensor3d(Float32Array.from(symmetric), [1, n, n]);
      const w = tf.tensor3d(Float32Array.from(weights), [1, n, n]);
      const loss = (t: tf.Tensor) => tf.sum(tf.mul(choleskyOp(tf.add(base, tf.mul(t, step)) as Tensor3D), w));
      const { value: v, grad } = tf.valueAndGrad(loss)(tf.scalar(0));
      return [v.dataSync()[0], grad.dataSync()[0]];
    });
    expect(liveTensorCount()).toBe(before);
    const h = 1e-6;
    const shifted = (t: number) => Float64Array.from(a, (v, k) => v + t * symmetric[k]);
    const numeric = (weightedFactor(shifted(h), weights, n) - weightedFactor(shifted(-h), weights, n)) / (2 * h);
    expect(value).toBeCloseTo(weightedFactor(a, weights, n), 3);
    // float32 input and output: relative error ~1e-6.
    expect(Math.abs(slope - numeric)).toBeLessThan(1e-4 * (1 + Math.abs(numeric)));
  });

  it('squared-exponential Cholesky op: gradients in alpha and rho match central differences', () => {
    const x = Float64Array.from([-10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10]);
    const n = x.length;
    const rng = createRng(4, 'weights');
    const weights = Float64Array.from({ length: n * n }, () => rng.normal());
    const op = squaredExponentialCholeskyOp(x, 1e-10);
    const hyper = [
      [1.3, 6.2],
      [0.7, 2.5],
      [2.0, 4.0],
    ];
    const before = liveTensorCount();
    const grads = tf.tidy(() => {
      const w = tf.tensor3d(Float32Array.from(weights), [1, n, n]);
      const loss = (h: tf.Tensor) => tf.sum(tf.mul(op(h as Tensor2D), w));
      return tf.grad(loss)(tf.tensor2d(hyper)).arraySync() as number[][];
    });
    expect(liveTensorCount()).toBe(before);
    const f = (alpha: number, rho: number) => weightedFactor(squaredExponentialKernel(x, alpha, rho, 1e-10), weights, n);
    hyper.forEach(([alpha, rho], c) => {
      const h = 1e-6;
      const dAlpha = (f(alpha + h, rho) - f(alpha - h, rho)) / (2 * h);
      const dRho = (f(alpha, rho + h) - f(alpha, rho - h)) / (2 * h);
      // The long length scale (rho 6.2) makes the factor ill-conditioned: the host gradient is float64
      // but returned as float32, and the central difference loses ~1e-16 |f| / h; 1e-3 relative is ample.
      expect(Math.abs(grads[c][0] - dAlpha)).toBeLessThan(1e-3 * (1 + Math.abs(dAlpha)));
      expect(Math.abs(grads[c][1] - dRho)).toBeLessThan(1e-3 * (1 + Math.abs(dRho)));
    });
  });
});

type Factory = (data: PosteriorData, options: RecursionOptions) => ModelDefinition;

function syntheticSeries(length: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed, 'series');
  const out: number[] = [];
  let level = 0;
  for (let t = 0; t < length; t++) {
    level = 0.7 * level + scale * rng.normal();
    out.push(level);
  }
  return out;
}

const recursions: [string, Factory, PosteriorData][] = [
  ['garch', garch, { T: 40, y: syntheticSeries(40, 5), sigma1: 0.5 }],
  ['arma', arma, { T: 40, y: syntheticSeries(40, 6) }],
  ['hmm', hmmExample, { N: 30, K: 2, y: syntheticSeries(30, 7, 3).map((v) => Math.abs(v) + 2) }],
];

describe('host recursions against tfjs autodiff of the per-step tensor form', () => {
  for (const [label, factory, data] of recursions) {
    it(`${label}: same log density and gradient`, () => {
      const before = liveTensorCount();
      const host = compile(factory(data, { recursion: 'host' }));
      const tensor = compile(factory(data, { recursion: 'tensor' }));
      const rng = createRng(8, label);
      const chains = 5;
      const positions = Float64Array.from({ length: chains * host.dim }, () => 3 * rng.uniform() - 1.5);
      const a = host.evaluate(positions, chains);
      const b = tensor.evaluate(positions, chains);
      for (let c = 0; c < chains; c++) {
        // float32 tensor recursion over <= 40 steps vs float64 host: relative 1e-5 is the float32 budget.
        expect(Math.abs(a.logDensity[c] - b.logDensity[c])).toBeLessThan(1e-5 * Math.abs(b.logDensity[c]) + 1e-3);
        let scale = 0;
        for (let d = 0; d < host.dim; d++) scale = Math.max(scale, Math.abs(b.gradient[c * host.dim + d]));
        for (let d = 0; d < host.dim; d++) {
          const i = c * host.dim + d;
          expect(Math.abs(a.gradient[i] - b.gradient[i]), `chain ${c} coordinate ${d}`).toBeLessThan(1e-4 * scale + 1e-3);
        }
      }
      host.dispose();
      tensor.dispose();
      expect(liveTensorCount()).toBe(before);
    });
  }
});
