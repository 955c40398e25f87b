import { describe, expect, it } from 'vitest';
import { leapfrog } from '../samplers/integrator.js';
import { runSingle } from '../samplers/lockstep.js';
import { createMetric, denseMetric, diagonalMetric, type EuclideanMetric } from '../samplers/metric.js';
import { cholesky } from '../src/linalg/index.js';
import { hamiltonian, type PhasePoint } from '../samplers/state.js';
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { correlatedGaussian2d, gaussianTarget } from './support/targets.js';

function startPoint(target: LogDensity, position: number[], momentum: number[]): PhasePoint {
  const q = Float64Array.from(position);
  const result = target.evaluate(q, 1);
  return { position: q, momentum: Float64Array.from(momentum), logDensity: result.logDensity[0], gradient: result.gradient };
}

function integrate(target: LogDensity, point: PhasePoint, stepSize: number, steps: number, metric: EuclideanMetric) {
  const path: PhasePoint[] = [point];
  let current = point;
  for (let s = 0; s < steps; s++) {
    current = runSingle(target, leapfrog(current, stepSize, metric));
    path.push(current);
  }
  return path;
}

function maxEnergyError(path: PhasePoint[], metric: EuclideanMetric): number {
  const h0 = hamiltonian(path[0], metric);
  return Math.max(...path.map((p) => Math.abs(hamiltonian(p, metric) - h0)));
}

describe('leapfrog integrator', () => {
  const target = gaussianTarget([1, 2, 0.5]);
  const metric = diagonalMetric(Float64Array.from([1, 1, 1]));
  const start = startPoint(target, [0.7, -1.2, 0.3], [0.5, 1.1, -0.8]);

  it('conserves energy to O(stepSize^2) over a fixed integration time', () => {
    // Same time T = 1.6 with step sizes h and h/2: the global energy error of leapfrog is O(h^2),
    // so halving h divides the maximal error by ~4 (we accept 3.5..4.5).
    const coarse = maxEnergyError(integrate(target, start, 0.1, 16, metric), metric);
    const fine = maxEnergyError(integrate(target, start, 0.05, 32, metric), metric);
    expect(coarse).toBeLessThan(0.05);
    expect(coarse / fine).toBeGreaterThan(3.5);
    expect(coarse / fine).toBeLessThan(4.5);
  });

  it('is reversible: flip the momentum, integrate back, arrive at the start', () => {
    for (const m of [metric, createMetric('dense', 3, Float64Array.from([2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5]))]) {
      const forward = integrate(target, start, 0.13, 40, m);
      const end = forward[forward.length - 1];
      const flipped: PhasePoint = { ...end, momentum: end.momentum.map((p) => -p) };
      const back = integrate(target, flipped, 0.13, 40, m);
      const home = back[back.length - 1];
      // Exact in real arithmetic; in float64 only rounding (~1e-16 per operation) remains.
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(home.position[i] - start.position[i])).toBeLessThan(1e-12);
        expect(Math.abs(-home.momentum[i] - start.momentum[i])).toBeLessThan(1e-12);
      }
    }
  });

  it('integrates backwards with a negative step size exactly like a flipped forward step', () => {
    const backwards = integrate(target, start, -0.1, 5, metric);
    const flippedStart: PhasePoint = { ...start, momentum: start.momentum.map((p) => -p) };
    const flippedForward = integrate(target, flippedStart, 0.1, 5, metric);
    const a = backwards[5];
    const b = flippedForward[5];
    for (let i = 0; i < 3; i++) {
      expect(a.position[i]).toBe(b.position[i]);
      expect(a.momentum[i]).toBe(-b.momentum[i]);
    }
  });
});

describe('Euclidean metrics', () => {
  it('diagonal: kinetic energy, velocity and momentum draws N(0, M)', () => {
    const inverseMass = Float64Array.from([4, 0.25]);
    const metric = diagonalMetric(inverseMass);
    const p = Float64Array.from([1, 2]);
    expect(metric.kineticEnergy(p)).toBeCloseTo(0.5 * (4 * 1 + 0.25 * 4), 14);
    expect(Array.from(metric.velocity(p))).toEqual([4, 0.5]);
    const rng = createRng(1, 'metric');
    const n = 20000;
    const sumSquares = [0, 0];
    for (let k = 0; k < n; k++) {
      const draw = metric.drawMomentum(rng);
      sumSquares[0] += draw[0] ** 2;
      sumSquares[1] += draw[1] ** 2;
    }
    // Var(p_i) = M_ii = 1 / inverseMass_i; the sample variance of n normals has relative sd sqrt(2/n) = 1%,
    // so 5% is five standard errors.
    expect(sumSquares[0] / n / 0.25).toBeGreaterThan(0.95);
    expect(sumSquares[0] / n / 0.25).toBeLessThan(1.05);
    expect(sumSquares[1] / n / 4).toBeGreaterThan(0.95);
    expect(sumSquares[1] / n / 4).toBeLessThan(1.05);
  });

  it('dense: Cholesky, kinetic energy p^T M^-1 p / 2, and momentum covariance M = (M^-1)^-1', () => {
    const { covariance } = correlatedGaussian2d(1, 3, 0.9);
    const inverseMass = Float64Array.from(covariance);
    const lower = cholesky(inverseMass, 2);
    expect(lower[0] * lower[0]).toBeCloseTo(covariance[0], 14);
    expect(lower[2] * lower[0]).toBeCloseTo(covariance[2], 14);
    expect(lower[2] ** 2 + lower[3] ** 2).toBeCloseTo(covariance[3], 14);
    expect(lower[1]).toBe(0);

    const metric = denseMetric(inverseMass, 2);
    const p = Float64Array.from([0.3, -0.7]);
    const v = metric.velocity(p);
    expect(v[0]).toBeCloseTo(covariance[0] * 0.3 + covariance[1] * -0.7, 14);
    expect(metric.kineticEnergy(p)).toBeCloseTo(0.5 * (p[0] * v[0] + p[1] * v[1]), 14);

    // Empirical covariance of the momentum draws should be M = inverse of the covariance above.
    const det = covariance[0] * covariance[3] - covariance[1] * covariance[2];
    const mass = [covariance[3] / det, -covariance[1] / det, -covariance[2] / det, covariance[0] / det];
    const rng = createRng(2, 'metric');
    const n = 40000;
    const acc = [0, 0, 0];
    for (let k = 0; k < n; k++) {
      const draw = metric.drawMomentum(rng);
      acc[0] += draw[0] * draw[0];
      acc[1] += draw[0] * draw[1];
      acc[2] += draw[1] * draw[1];
    }
    // Relative standard errors are below 1%; 5% tolerance.
    expect(acc[0] / n / mass[0]).toBeCloseTo(1, 1);
    expect(acc[1] / n / mass[1]).toBeCloseTo(1, 1);
    expect(acc[2] / n / mass[3]).toBeCloseTo(1, 1);
    expect(Math.abs(acc[0] / n / mass[0] - 1)).toBeLessThan(0.05);
    expect(Math.abs(acc[2] / n / mass[3] - 1)).toBeLessThan(0.05);
  });

  it('rejects invalid inverse metrics', () => {
    expect(() => diagonalMetric(Float64Array.from([1, 0]))).toThrow(/finite and > 0/);
    expect(() => denseMetric(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
    expect(() => denseMetric(Float64Array.from([1, 0.5, 0.4, 1]), 2)).toThrow(/symmetric/);
  });
});
