/**
 * Special functions: the float64 host logGamma against exact values, and the float32 tensor
 * functions (lgamma, log1p, log1mExp, logSumExp) and their gradients against float64 host values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, liveTensorCount, tf, type Tensor } from '../src/tensor/index.js';
import {
  lgamma,
  lbeta,
  lgammaHalfStepCorrection,
  lgammaHalfStepCorrectionHost,
  log1mExp,
  log1mExpHost,
  log1p,
  logBeta,
  logChoose,
  logGamma,
  logSumExp,
  logSumExpHost,
} from '../src/distributions/index.js';

beforeAll(async () => {
  await initBackend();
});

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('logGamma (host, float64)', () => {
  it('matches exact values', () => {
    const factorial9 = 362880;
    const cases: Array<[number, number]> = [
      [1, 0],
      [2, 0],
      [0.5, 0.5 * Math.log(Math.PI)],
      [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
      [10, Math.log(factorial9)],
      [100, 359.13420536957539878],
      [-0.5, Math.log(2 * Math.sqrt(Math.PI))],
      [-1.5, Math.log((4 / 3) * Math.sqrt(Math.PI))],
    ];
    for (const [x, expected] of cases) expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    // lgamma(x) = -log(x) - EulerGamma x + O(x^2) near 0.
    const eulerGamma = 0.5772156649015329;
    expect(logGamma(1e-9)).toBeCloseTo(-Math.log(1e-9) - eulerGamma * 1e-9, 12);
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
  });

  it('satisfies the recurrence lgamma(x + 1) = lgamma(x) + log x', () => {
    for (const x of [1e-6, 0.01, 0.3, 0.77, 1.25, 3.5, 12.1, 150.5, 3e4, 1e7]) {
      const difference = logGamma(x + 1) - logGamma(x) - Math.log(x);
      expect(Math.abs(difference)).toBeLessThan(1e-13 * Math.max(1, Math.abs(logGamma(x + 1))));
    }
  });

  it('lgammaHalfStepCorrectionHost switches to its series where the float64 difference is still exact', () => {
    for (const x of [10, 12.5, 30, 100, 700]) {
      const difference = logGamma(x + 0.5) - logGamma(x) - 0.5 * Math.log(x);
      // Difference of two float64 logGammas of size < 4000: good to about 1e-12.
      expect(Math.abs(lgammaHalfStepCorrectionHost(x) - difference)).toBeLessThan(2e-12);
    }
  });

  it('gives log Beta and log binomial coefficients', () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
    expect(logChoose(10, 3)).toBeCloseTo(Math.log(120), 12);
    expect(logChoose(5, 0)).toBeCloseTo(0, 13);
  });
});

describe('lgamma (tensor, float32)', () => {
  // Tolerance: |error| <= 4e-6 + 4e-7 |lgamma(x)|. float32 keeps about 7 digits; the Stirling sum at
  // z = x + 4 and the shift log(x(x+1)(x+2)(x+3)) are each about 5..15 near x = 1..3, so their
  // rounding leaves a few 1e-7 * 10 absolute, and large arguments carry a few ulps relative.
  it('matches the float64 host logGamma from 1e-6 to 1e7', () => {
    const xs: number[] = [];
    for (let exponent = -6; exponent <= 7; exponent += 0.02) xs.push(Math.fround(Math.pow(10, exponent)));
    for (let x = 0.5; x <= 4; x += 0.01) xs.push(Math.fround(x));
    const got = tf.tidy(() => values(lgamma(tf.tensor1d(xs))));
    let worst = 0;
    xs.forEach((x, i) => {
      const expected = logGamma(x);
      worst = Math.max(worst, Math.abs(got[i] - expected) / (4e-6 + 4e-7 * Math.abs(expected)));
    });
    expect(worst).toBeLessThan(1);
  });

  it('differentiates to the digamma function', () => {
    const xs = [0.001, 0.2, 0.5, 1, 2, 3.7, 10, 250, 1e5];
    const grad = tf.tidy(() => values(tf.grad((x: Tensor) => tf.sum(lgamma(x)))(tf.tensor1d(xs))));
    xs.forEach((x, i) => {
      const x32 = Math.fround(x);
      const h = 1e-5 * x32;
      const digamma = (logGamma(x32 + h) - logGamma(x32 - h)) / (2 * h);
      // float32 autodiff: about 1e-6 relative to the terms log z and 1/x that digamma sums.
      expect(Math.abs(grad[i] - digamma)).toBeLessThan(2e-6 * (Math.abs(Math.log(x32 + 4)) + 1 / x32) + 1e-6);
    });
  });

  it('lgammaHalfStepCorrection = lgamma(x + 1/2) - lgamma(x) - log(x)/2 keeps accuracy where the difference cancels', () => {
    const xs: number[] = [];
    for (let exponent = -3; exponent <= 6; exponent += 0.05) xs.push(Math.fround(Math.pow(10, exponent)));
    xs.push(4.999, 5, 5.001);
    const [got, grad] = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [values(lgammaHalfStepCorrection(x)), values(tf.grad((t: Tensor) => tf.sum(lgammaHalfStepCorrection(t)))(x))];
    });
    xs.forEach((x, i) => {
      const expected = lgammaHalfStepCorrectionHost(x);
      // Below the switch at 5: lgamma's absolute error (a few 1e-6); above: the series, relative 1e-6.
      expect(Math.abs(got[i] - expected)).toBeLessThan(x < 5 ? 5e-6 : 1e-6 * Math.abs(expected));
      const h = 1e-5 * x;
      const derivative = (lgammaHalfStepCorrectionHost(x + h) - lgammaHalfStepCorrectionHost(x - h)) / (2 * h);
      expect(Math.abs(grad[i] - derivative)).toBeLessThan(x < 5 ? 2e-5 * (1 + 1 / x) : 1e-5 * Math.abs(derivative));
    });
  });

  it('lbeta matches the host value', () => {
    const got = tf.tidy(() => values(lbeta(tf.tensor1d([0.5, 2, 7.5]), tf.tensor1d([0.5, 3, 1.25]))));
    [logBeta(0.5, 0.5), logBeta(2, 3), logBeta(7.5, 1.25)].forEach((expected, i) => expect(Math.abs(got[i] - expected)).toBeLessThan(1e-5));
  });
});

describe('log1p, log1mExp', () => {
  it('log1p is accurate for tiny arguments (tf.log1p on wasm is not) and has gradient 1 / (1 + x)', () => {
    const xs = [1e-10, -3e-8, 1e-5, -1e-3, 0.5, -0.75, 3, 1e6];
    const [got, grad] = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [values(log1p(x)), values(tf.grad((t: Tensor) => tf.sum(log1p(t)))(x))];
    });
    xs.forEach((x, i) => {
      const x32 = Math.fround(x);
      // float32 relative accuracy: a few ulps.
      expect(Math.abs(got[i] - Math.log1p(x32))).toBeLessThanOrEqual(3e-7 * Math.abs(Math.log1p(x32)));
      expect(Math.abs(grad[i] - 1 / (1 + x32))).toBeLessThanOrEqual(3e-7 / (1 + x32));
    });
    expect(tf.tidy(() => values(log1p(tf.tensor1d([-1])))[0])).toBe(-Infinity);
  });

  it('log1mExp matches log(1 - exp(x)) on both sides of -log 2, with finite gradients', () => {
    const xs = [-1e-7, -1e-3, -0.5, -0.7, -1, -5, -30, -100];
    const [got, grad] = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [values(log1mExp(x)), values(tf.grad((t: Tensor) => tf.sum(log1mExp(t)))(x))];
    });
    xs.forEach((x, i) => {
      const x32 = Math.fround(x);
      const expected = log1mExpHost(x32);
      expect(Math.abs(got[i] - expected)).toBeLessThanOrEqual(1e-6 * Math.abs(expected) + 1e-30);
      // d/dx log(1 - e^x) = -e^x / (1 - e^x) = -1 / expm1(-x).
      const derivative = -1 / Math.expm1(-x32);
      expect(Math.abs(grad[i] - derivative)).toBeLessThanOrEqual(1e-5 * Math.abs(derivative) + 1e-30);
    });
  });
});

describe('logSumExp', () => {
  it('matches the host value, handles -Infinity rows, and keeps dims on request', () => {
    const rows = [
      [1, 2, 3],
      [-1000, -1000.5, -999],
      [-Infinity, -Infinity, -Infinity],
      [800, 800, -Infinity],
    ];
    const [got, kept] = tf.tidy(() => {
      const x = tf.tensor2d(rows);
      return [values(logSumExp(x, 1)), logSumExp(x, 1, true).shape];
    });
    rows.forEach((row, i) => {
      const expected = logSumExpHost(row);
      if (expected === -Infinity) expect(got[i]).toBe(-Infinity);
      else expect(Math.abs(got[i] - expected)).toBeLessThan(2e-7 * Math.max(1, Math.abs(expected)));
    });
    expect(kept).toEqual([4, 1]);
  });

  it('has the softmax as its gradient (0 for an all -Infinity row), over any axis', () => {
    const rows = [
      [1, 2, 3],
      [-Infinity, -Infinity, -Infinity],
      [800, 800, -Infinity],
    ];
    const grad = tf.tidy(() => tf.grad((x: Tensor) => tf.sum(tf.mul(logSumExp(x, 0), tf.tensor1d([1, 2, 3]))))(tf.transpose(tf.tensor2d(rows))).arraySync() as number[][]);
    // grad is [3 (within-row), 3 (rows)], scaled by the row weights 1, 2, 3.
    const expected = [
      [0.09003057317038046, 0, 0.5],
      [0.24472847105479764, 0, 0.5],
      [0.6652409557748219, 0, 0],
    ].map((row) => row.map((entry, column) => entry * (column + 1)));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(grad[i][j] - expected[i][j])).toBeLessThan(1e-6);
  });

  it('leaks no tensors', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = liveTensorCount();
    const result = logSumExp(x, 1);
    const g = tf.grad((t: Tensor) => tf.sum(logSumExp(t, 1)))(x);
    const h = lgamma(x);
    const k = log1p(x);
    expect(liveTensorCount()).toBe(before + 4);
    tf.dispose([result, g, h, k, x]);
  });
});
