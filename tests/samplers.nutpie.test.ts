/**
 * nutpie's adaptation (samplers/adaptation/nutpieAdapter.ts and its parts): the diagonal Fisher
 * estimator is exact for a Gaussian from two draws and matches a slow two-pass computation; the
 * low-rank estimator matches a slow dense computation without the subspace projection and recovers
 * a correlated Gaussian's covariance exactly from enough draws; the low-rank metric's O(dim r)
 * algebra matches dense matrices (M^-1 M = I, velocity, energy, leapfrog, momentum covariance); the
 * window schedule switches where its rules say, and the adapter follows it on a real run; NUTS
 * warmed up this way samples standard targets (fixed seeds; tolerances in MCSEs); and the options
 * and run config reject what does not make a strategy.
 */
import { describe, expect, it } from 'vitest';
import { FisherWindow, initialInverseMassDiag, inverseMassFromGradient } from '../samplers/adaptation/fisherDiagonal.js';
import { AdaptationCoordinator } from '../samplers/adaptation/groups.js';
import { lowRankFisher, spdGeometricMean, type ChainWindow } from '../samplers/adaptation/lowRankFisher.js';
import { isGoodDraw, nutpieAdapter, nutpieDualAveraging, type NutpieAdapter } from '../samplers/adaptation/nutpieAdapter.js';
import { nutpiePhases, nutpieScheduleSettings, nutpieScheduleStep, startNutpieSchedule, metricChanged } from '../samplers/adaptation/nutpieSchedule.js';
import { nutpieLowRankSettings } from '../samplers/adaptation/lowRankFisher.js';
import { runChain } from '../samplers/chain.js';
import { leapfrog } from '../samplers/integrator.js';
import type { KernelParameters } from '../samplers/kernel.js';
import { gram, multiply, symmetricEigen } from '../src/linalg/index.js';
import { runCoordinated, runSingle } from '../samplers/lockstep.js';
import { lowRankMetric } from '../samplers/lowRankMetric.js';
import { denseMetric, diagonalMetric } from '../samplers/metric.js';
import { sample } from '../samplers/sample.js';
import type { SampleResult } from '../samplers/types.js';
import { mcseMean, pooledMean, pooledSd, mcseSd } from '../src/diagnostics/index.js';
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { funnelTarget, gaussianTarget, invertSymmetric, multivariateNormalTarget } from './support/targets.js';

function evaluate(target: LogDensity, position: Float64Array): { logDensity: number; gradient: Float64Array } {
  const result = target.evaluate(position, 1);
  return { logDensity: result.logDensity[0], gradient: Float64Array.from(result.gradient) };
}

/** A covariance with scales 0.1 .. 10 and every pair correlated `rho`. */
function correlatedCovariance(dim: number, rho: number): number[] {
  const scales = Array.from({ length: dim }, (_, i) => 0.1 * Math.pow(100, i / Math.max(1, dim - 1)));
  const covariance: number[] = [];
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) covariance.push((i === j ? 1 : rho) * scales[i] * scales[j]);
  return covariance;
}

/** Exact draws of N(0, covariance) by its Cholesky factor. */
function gaussianDraws(covariance: readonly number[], dim: number, n: number, seed: string): Float64Array[] {
  const lower = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = covariance[i * dim + j];
      for (let k = 0; k < j; k++) sum -= lower[i * dim + k] * lower[j * dim + k];
      lower[i * dim + j] = i === j ? Math.sqrt(sum) : sum / lower[j * dim + j];
    }
  }
  const rng = createRng(3, seed);
  return Array.from({ length: n }, () => {
    const z = Float64Array.from({ length: dim }, () => rng.normal());
    return Float64Array.from({ length: dim }, (_, i) => {
      let sum = 0;
      for (let k = 0; k <= i; k++) sum += lower[i * dim + k] * z[k];
      return sum;
    });
  });
}

/** The largest |actual - expected| / |expected| over the entries. */
function relativeErrors(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]));
  return worst;
}

/** The largest |actual - expected| relative to the largest |expected|. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

describe('diagonal Fisher estimator', () => {
  it('is exact for a Gaussian with independent coordinates from 2 draws: M^-1 = the variances', () => {
    const scales = [0.01, 0.3, 1, 7, 250];
    const target = gaussianTarget(scales, [1, -2, 0, 3, 100]);
    const window = new FisherWindow(5, 1);
    for (const x of [Float64Array.from([0.5, 1, 2, -1, 0]), Float64Array.from([2, -3, 0.1, 4, 50])]) window.add(0, x, evaluate(target, x).gradient);
    expect(window.inverseMassDiag(new Float64Array(5).fill(1))).toBeNull(); // 1 degree of freedom
    const third = Float64Array.from([1, 1, 1, 1, 1]);
    window.add(0, third, evaluate(target, third).gradient);
    const variances = scales.map((s) => s * s);
    expect(relativeErrors(window.inverseMassDiag(new Float64Array(5).fill(1))!, variances)).toBeLessThan(1e-12);
    // With exactly two draws (here two chains of two draws each, pooled within chains), too.
    const pooled = new FisherWindow(5, 2);
    const draws = gaussianDraws(correlatedCovariance(5, 0), 5, 4, 'two');
    draws.forEach((x, k) => pooled.add(k % 2, x, evaluate(target, x).gradient));
    expect(relativeErrors(pooled.inverseMassDiag(new Float64Array(5).fill(1))!, variances)).toBeLessThan(1e-12);
  });

  it('matches a slow two-pass computation, pooled within chains, and keeps the old value where the ratio is not finite', () => {
    const dim = 4;
    const rng = createRng(9, 'fisher');
    const chains = [7, 3, 12].map((n) => Array.from({ length: n }, () => ({ x: Float64Array.from({ length: dim }, () => rng.normal()), g: Float64Array.from({ length: dim }, () => rng.normal() * 3) })));
    // Coordinate 3 never moves in the draws: its ratio is 0 and the current value stays.
    for (const chain of chains) for (const d of chain) d.x[3] = 5;
    const window = new FisherWindow(dim, 3);
    chains.forEach((chain, c) => chain.forEach((d) => window.add(c, d.x, d.g)));
    const sumsOfSquares = (pick: (d: { x: Float64Array; g: Float64Array }) => Float64Array, j: number) =>
      chains.reduce((total, chain) => {
        const mean = chain.reduce((s, d) => s + pick(d)[j], 0) / chain.length;
        return total + chain.reduce((s, d) => s + (pick(d)[j] - mean) ** 2, 0);
      }, 0);
    const current = Float64Array.from([9, 9, 9, 9]);
    const estimate = window.inverseMassDiag(current)!;
    for (let j = 0; j < 3; j++) expect(estimate[j]).toBeCloseTo(Math.sqrt(sumsOfSquares((d) => d.x, j) / sumsOfSquares((d) => d.g, j)), 12);
    expect(estimate[3]).toBe(9);
    expect(window.count).toBe(22);
  });

  it('starts from 1 / |gradient| (clamped, 1 where not finite), the geometric mean over pooled chains', () => {
    expect(Array.from(inverseMassFromGradient(Float64Array.from([-4, 0.5, 0, Number.NaN, 1e30])))).toEqual([0.25, 2, 1e20, 1, 1e-20]);
    const states = [Float64Array.from([1, 4]), Float64Array.from([4, 1])].map((gradient) => ({ position: new Float64Array(2), logDensity: 0, gradient }));
    const combined = initialInverseMassDiag(states);
    expect(combined[0]).toBeCloseTo(0.5, 14);
    expect(combined[1]).toBeCloseTo(0.5, 14);
  });
});

/** The low-rank estimate computed the slow way: everything as dense [dim, dim] matrices, no subspace. */
function slowLowRankInverseMass(windows: readonly ChainWindow[], dim: number, gamma: number, cutoff: number): Float64Array {
  const centred = (pick: 'draws' | 'gradients') =>
    windows.flatMap((w) => {
      const rows = w[pick];
      const mean = Float64Array.from({ length: dim }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
      return rows.map((r) => Float64Array.from(r, (v, j) => v - mean[j]));
    });
  const x = centred('draws');
  const g = centred('gradients');
  const sigma = Float64Array.from({ length: dim }, (_, j) => Math.pow(x.reduce((s, r) => s + r[j] ** 2, 0) / g.reduce((s, r) => s + r[j] ** 2, 0), 0.25));
  const moments = (rows: Float64Array[], scale: (j: number) => number) => {
    const m = new Float64Array(dim * dim);
    for (const r of rows) for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) m[i * dim + j] += (r[i] * scale(i) * r[j] * scale(j)) / gamma;
    for (let i = 0; i < dim; i++) m[i * dim + i] += 1;
    return m;
  };
  const s = spdGeometricMean(moments(x, (j) => 1 / sigma[j]), moments(g, (j) => sigma[j]), dim);
  const eigen = symmetricEigen(s, dim);
  const inner = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) inner[i * dim + i] = 1;
  for (let k = 0; k < dim; k++) {
    const lambda = eigen.values[k];
    if (!(lambda > cutoff || lambda < 1 / cutoff)) continue;
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) inner[i * dim + j] += (lambda - 1) * eigen.vectors[i * dim + k] * eigen.vectors[j * dim + k];
  }
  return Float64Array.from(inner, (v, k) => v * sigma[Math.floor(k / dim)] * sigma[k % dim]);
}

describe('low-rank Fisher estimator', () => {
  const dim = 14;
  const covariance = correlatedCovariance(dim, 0.9);
  const target = multivariateNormalTarget(covariance, Array.from({ length: dim }, (_, i) => i - 3));
  /** Draws of the target, with its gradients, split into chains (each chain offset, as chains that have not met). */
  const windowsOf = (sizes: readonly number[], seed: string): ChainWindow[] =>
    sizes.map((n, c) => {
      const draws = gaussianDraws(covariance, dim, n, `${seed}:${c}`).map((x) => Float64Array.from(x, (v, i) => v + i - 3 + 0.3 * c));
      return { draws, gradients: draws.map((x) => evaluate(target, x).gradient) };
    });

  for (const [label, sizes] of [
    ['2n < dim: the estimate lives in the span of the draws and gradients', [3, 2]],
    ['2n >= dim: the dense Fisher metric', [9, 11, 6]],
  ] as const) {
    it(`matches the slow dense computation (${label})`, () => {
      const windows = windowsOf(sizes, label);
      // Tolerances: with nuts-rs's gamma = 1e-5 the matrices of the geometric mean have eigenvalues
      // spanning ~1e6 or more, so two correct computations in different bases agree to about
      // cond x eps ~ 1e-5 relative; with gamma = 1e-2 they are well conditioned.
      for (const [gamma, tolerance] of [
        [1e-2, 1e-10],
        [nutpieLowRankSettings.gamma, 1e-4],
      ]) {
        const settings = { ...nutpieLowRankSettings, gamma };
        const fast = lowRankMetric(lowRankFisher(windows, dim, settings)!).inverseMass;
        const slow = slowLowRankInverseMass(windows, dim, gamma, settings.eigenvalueCutoff);
        expect(relativeError(fast, slow), `gamma ${gamma}`).toBeLessThan(tolerance);
      }
      const factors = lowRankFisher(windows, dim)!;
      expect(factors.eigenvalues.length).toBeGreaterThan(0);
      // Kept eigenvalues lie outside [1/2, 2]; eigenvectors are orthonormal.
      for (const lambda of factors.eigenvalues) expect(lambda > 2 || lambda < 0.5).toBe(true);
      for (const [a, u] of factors.eigenvectors.entries()) {
        for (const [b, v] of factors.eigenvectors.entries()) expect(u.reduce((s, ui, i) => s + ui * v[i], 0)).toBeCloseTo(a === b ? 1 : 0, 10);
      }
    });
  }

  it('recovers a correlated Gaussian covariance exactly from dim + 2 draws when it keeps every eigenpair', () => {
    // dim + 2 draws in 2 chains leave dim degrees of freedom: the draws span the space.
    const windows = windowsOf([8, 8], 'exact');
    const factors = lowRankFisher(windows, dim, { gamma: 1e-14, eigenvalueCutoff: 1 })!;
    expect(relativeError(lowRankMetric(factors).inverseMass, covariance)).toBeLessThan(1e-6);
  });

  it('gives no estimate with fewer than 2 degrees of freedom or a coordinate that never moved', () => {
    expect(lowRankFisher(windowsOf([2], 'few'), dim)).toBeNull();
    expect(lowRankFisher(windowsOf([1, 1, 1], 'few'), dim)).toBeNull();
    const stuck = windowsOf([5, 5], 'stuck').map((w) => ({ draws: w.draws.map((x) => Float64Array.from(x, (v, i) => (i === 2 ? 1 : v))), gradients: w.gradients }));
    expect(lowRankFisher(stuck, dim)).toBeNull();
  });
});

describe('low-rank metric algebra against dense matrices', () => {
  const dim = 7;
  const rng = createRng(4, 'lowrank');
  // Three orthonormal directions (Gram-Schmidt of random vectors), eigenvalues on both sides of 1.
  const vectors: Float64Array[] = [];
  for (let k = 0; k < 3; k++) {
    const v = Float64Array.from({ length: dim }, () => rng.normal());
    for (const u of vectors) {
      const dot = u.reduce((s, ui, i) => s + ui * v[i], 0);
      for (let i = 0; i < dim; i++) v[i] -= dot * u[i];
    }
    const norm = Math.sqrt(v.reduce((s, vi) => s + vi * vi, 0));
    vectors.push(v.map((vi) => vi / norm));
  }
  const factors = { scales: Float64Array.from([0.5, 1, 2, 3, 0.1, 10, 1.5]), eigenvalues: Float64Array.from([25, 0.04, 3]), eigenvectors: vectors };
  const metric = lowRankMetric(factors);
  const inverseMass = metric.inverseMass;
  // M = D^-1 (I + U (Lambda^-1 - I) U^T) D^-1, written out.
  const mass = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let inner = i === j ? 1 : 0;
      factors.eigenvalues.forEach((lambda, k) => (inner += (1 / lambda - 1) * vectors[k][i] * vectors[k][j]));
      mass[i * dim + j] = inner / (factors.scales[i] * factors.scales[j]);
    }
  }

  it('M^-1 M = I, and M^-1 = D (I + U (Lambda - I) U^T) D', () => {
    const product = multiply(inverseMass, mass, dim, dim, dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) expect(product[i * dim + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        let inner = i === j ? 1 : 0;
        factors.eigenvalues.forEach((lambda, k) => (inner += (lambda - 1) * vectors[k][i] * vectors[k][j]));
        expect(inverseMass[i * dim + j]).toBeCloseTo(inner * factors.scales[i] * factors.scales[j], 10);
      }
    }
  });

  it('velocity, kinetic energy and a leapfrog step equal the dense metric with the same M^-1', () => {
    const dense = denseMetric(inverseMass, dim);
    const p = Float64Array.from({ length: dim }, () => rng.normal());
    expect(relativeError(metric.velocity(p), dense.velocity(p))).toBeLessThan(1e-13);
    expect(metric.kineticEnergy(p)).toBeCloseTo(dense.kineticEnergy(p), 10);
    const target = multivariateNormalTarget(correlatedCovariance(dim, 0.5));
    const position = Float64Array.from({ length: dim }, () => rng.normal());
    const start = { position, ...evaluate(target, position), momentum: p };
    const a = runSingle(target, leapfrog(start, 0.05, metric));
    const b = runSingle(target, leapfrog(start, 0.05, dense));
    expect(relativeError(a.position, b.position)).toBeLessThan(1e-12);
    expect(relativeError(a.momentum, b.momentum)).toBeLessThan(1e-12);
  });

  it('draws momenta with covariance M (40000 draws; each entry within 5 standard errors)', () => {
    const n = 40000;
    const draws = createRng(5, 'momenta');
    const sums = new Float64Array(dim * dim);
    for (let t = 0; t < n; t++) {
      const p = metric.drawMomentum(draws);
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) sums[i * dim + j] += p[i] * p[j];
    }
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        // Var(p_i p_j) = M_ii M_jj + M_ij^2 for a zero-mean Gaussian.
        const se = Math.sqrt((mass[i * dim + i] * mass[j * dim + j] + mass[i * dim + j] ** 2) / n);
        expect(Math.abs(sums[i * dim + j] / n - mass[i * dim + j])).toBeLessThan(5 * se);
      }
    }
  });
});

/** The schedule run by itself: which draws switch, given which draws are good (x0 counts as one). */
function simulateSchedule(warmup: number, updateEvery: number, good: (draw: number) => boolean = () => true) {
  const settings = { ...nutpieScheduleSettings, updateEvery };
  const phases = nutpiePhases(warmup, settings);
  let state = startNutpieSchedule(settings);
  let background = 1;
  const switches: number[] = [];
  let firstLate: number | null = null;
  for (let draw = 0; draw < phases.finalStart; draw++) {
    const before = background;
    if (good(draw)) background += 1;
    const step = nutpieScheduleStep(settings, phases, state, draw, before, background);
    state = step.state;
    if (step.switchWindows) {
      switches.push(draw);
      background = 0;
    }
    if (step.updateMetric) state = metricChanged(state, draw);
    if (step.late && firstLate === null) firstLate = draw;
  }
  return { switches, firstLate, finalStart: phases.finalStart };
}

describe("nutpie's window schedule", () => {
  const every10 = (from: number, to: number) => Array.from({ length: (to - from) / 10 + 1 }, (_, k) => from + 10 * k);

  it('switches where its rules say: 400 warmup draws (nutpie\'s default length)', () => {
    // Early phase: draws 0-119 (30%); x0 and 9 good draws fill the first window: switches at 8,
    // 18, ..., 118. Main phase from 120: W = max(80, 1) = 80, full at draw 198; the next window
    // (120) would end after the final window's start (340), so 198 is the last switch, and from
    // 199 on (180 + draw > 340 once W = 120) the step size adapts on the symmetric statistic.
    expect(simulateSchedule(400, 1)).toEqual({ switches: [...every10(8, 118), 198], firstLate: 199, finalStart: 340 });
  });

  it('switches where its rules say: 1000 warmup draws', () => {
    // Early to 299; main windows 80 (full at 378), 120 (at 498), then 180 would end at 678 and the
    // next (270) past 850, so no third; late from 581 (270 + draw > 850).
    expect(simulateSchedule(1000, 20)).toEqual({ switches: [...every10(8, 298), 378, 498], firstLate: 581, finalStart: 850 });
  });

  it('counts only good draws: a window with a bad draw switches one draw later', () => {
    expect(simulateSchedule(400, 1, (draw) => draw !== 3).switches.slice(0, 2)).toEqual([9, 19]);
  });
});

describe('the nutpie adapter follows its schedule on a real run', () => {
  it('switches windows where the schedule says for the good draws it saw, and searches the step size at init and at the first metric change', () => {
    const target = gaussianTarget([0.1, 1, 10, 3]);
    const initial: KernelParameters = { stepSize: 1, metric: diagonalMetric(new Float64Array(4).fill(1)), trajectory: { kind: 'nuts', maxTreeDepth: 10 }, maxDeltaH: 1000, stepSizeJitter: 0 };
    const adapter: NutpieAdapter = nutpieAdapter({
      initial,
      dim: 4,
      warmup: 300,
      chains: 1,
      settings: { metric: 'diag', pooled: false, dualAveraging: nutpieDualAveraging, schedule: { ...nutpieScheduleSettings, updateEvery: 1 }, lowRank: nutpieLowRankSettings },
    });
    const good: boolean[] = [];
    const recording = { ...adapter, update: (iteration: number, draws: Parameters<NutpieAdapter['update']>[1]) => (good.push(isGoodDraw(draws[0])), adapter.update(iteration, draws)) };
    const program = runChain({ chain: 0, dim: 4, rng: createRng(8, 'chain:0'), init: { radius: 2, maxTries: 100 }, warmup: 300, draws: 10, thin: 1, saveWarmup: false });
    const [output] = runCoordinated(target, [program], new AdaptationCoordinator([{ members: [0], adapter: recording }], 1));
    const info = adapter.info();
    const expected = simulateSchedule(300, 1, (draw) => good[draw]);
    expect(info.switches).toEqual(expected.switches);
    expect(info.firstLate).toBe(expected.firstLate);
    expect(info.stepSizeSearches).toEqual([-1, info.metricUpdates[0]]);
    // The first metric change comes as soon as the foreground has 3 draws (x0 and two good ones).
    expect(info.metricUpdates[0]).toBe(good.indexOf(true, good.indexOf(true) + 1));
    // The learned metric: the variances (0.01, 1, 100, 9) within 30% (the last window holds 100+ draws).
    const learned = output.parameters.metric.inverseMass;
    [0.01, 1, 100, 9].forEach((variance, j) => expect(Math.abs(Math.log(learned[j] / variance))).toBeLessThan(Math.log(1.3)));
  });
});

/** Means and second moments of each coordinate within `sigmas` MCSEs of the truth. */
function expectMoments(result: SampleResult, means: readonly number[], variances: readonly number[], sigmas: number): void {
  const dim = result.dim;
  for (let i = 0; i < dim; i++) {
    const chains = result.draws.map((d) => Float64Array.from({ length: result.numDraws }, (_, t) => d[t * dim + i]));
    const centredSquares = chains.map((c) => c.map((v) => (v - means[i]) ** 2));
    expect(Math.abs(pooledMean(chains) - means[i]), `mean ${i}`).toBeLessThan(sigmas * mcseMean(chains));
    expect(Math.abs(pooledMean(centredSquares) - variances[i]), `variance ${i}`).toBeLessThan(sigmas * mcseMean(centredSquares));
  }
}

describe('NUTS warmed up by nutpie samples standard targets (fixed seeds; 5 MCSEs: a correct sampler fails one of these checks with probability < 1e-4 each)', () => {
  it('diagonal metric, a Gaussian with scales 0.01 .. 100', () => {
    const scales = [0.01, 0.1, 1, 10, 100];
    const result = sample(gaussianTarget(scales, [0, 1, -1, 5, 50]), { chains: 4, warmup: 400, draws: 1000, seed: 12, adaptation: { kind: 'nutpie' } });
    expectMoments(result, [0, 1, -1, 5, 50], scales.map((s) => s * s), 5);
    // The metric is the variances (within 30%), so trajectories are short.
    result.warmup.inverseMetric.forEach((m) => scales.forEach((s, j) => expect(Math.abs(Math.log(m[j] / (s * s)))).toBeLessThan(Math.log(1.3))));
    const leapfrog = result.stats.flatMap((s) => Array.from(s.nLeapfrog));
    expect(leapfrog.reduce((a, b) => a + b, 0) / leapfrog.length).toBeLessThan(8);
    expect(result.metric).toBe('diag');
  });

  function expectLowRankNearCovariance(inverseMetric: Float64Array, covariance: readonly number[], dim: number): void {
    // The metric is close to the covariance: M Sigma has eigenvalues near 1.
    const product = multiply(Float64Array.from(invertSymmetric(Array.from(inverseMetric), dim)), Float64Array.from(covariance), dim, dim, dim);
    const symmetrized = Float64Array.from(product, (v, k) => 0.5 * (v + product[(k % dim) * dim + Math.floor(k / dim)]));
    const values = symmetricEigen(symmetrized, dim).values;
    expect(values[0]).toBeGreaterThan(0.5);
    expect(values[dim - 1]).toBeLessThan(2);
  }

  for (const pooled of [true, false]) {
    it(`low-rank metric ${pooled ? 'pooled across chains' : 'per chain (as nutpie)'}, a 12-d Gaussian with every pair correlated 0.95 (condition number ~1e5)`, () => {
      const dim = 12;
      const covariance = correlatedCovariance(dim, 0.95);
      const result = sample(multivariateNormalTarget(covariance), { chains: 4, warmup: 400, draws: 1000, seed: 13, adaptation: { kind: 'nutpie', metric: 'lowRank', pooled } });
      expectMoments(result, new Array(dim).fill(0), Array.from({ length: dim }, (_, i) => covariance[i * dim + i]), 5);
      expect(result.metric).toBe('lowRank');
      if (pooled) {
        // One shared step size and metric.
        for (let c = 1; c < 4; c++) expect(result.warmup.stepSize[c]).toBe(result.warmup.stepSize[0]);
        expectLowRankNearCovariance(result.warmup.inverseMetric[0], covariance, dim);
      } else {
        // Each chain learns its own metric, each close to the covariance.
        expect(new Set(result.warmup.stepSize).size).toBe(4);
        for (const inverseMetric of result.warmup.inverseMetric) expectLowRankNearCovariance(inverseMetric, covariance, dim);
      }
      const leapfrog = result.stats.flatMap((s) => Array.from(s.nLeapfrog));
      expect(leapfrog.reduce((a, b) => a + b, 0) / leapfrog.length).toBeLessThan(10);
    });
  }

  it("diagonal metric, Neal's funnel of scale 1 (v ~ N(0, 1), 4 x's): v's mean and sd and an x's mean within 5 MCSEs", () => {
    // (With Neal's scale 3 no Euclidean metric, Stan's included, samples the neck without bias.)
    const dim = 5;
    const result = sample(funnelTarget(dim, 1), { chains: 4, warmup: 500, draws: 1000, seed: 1, adaptation: { kind: 'nutpie' } });
    const coordinate = (i: number) => result.draws.map((d) => Float64Array.from({ length: result.numDraws }, (_, t) => d[t * dim + i]));
    const v = coordinate(0);
    expect(Math.abs(pooledMean(v))).toBeLessThan(5 * mcseMean(v));
    expect(Math.abs(pooledSd(v) - 1)).toBeLessThan(5 * mcseSd(v));
    expect(Math.abs(pooledMean(coordinate(1)))).toBeLessThan(5 * mcseMean(coordinate(1)));
    expect(result.divergences).toBeLessThan(0.01 * 4000);
  });

  it('is reproducible bit for bit, and a chain does not depend on the chains beside it (diagonal metric: per chain)', () => {
    const target = gaussianTarget([1, 2, 0.5]);
    const options = { chains: 3, warmup: 100, draws: 50, seed: 4, adaptation: { kind: 'nutpie' } } as const;
    const a = sample(target, options);
    const b = sample(target, options);
    const alone = sample(target, { ...options, chains: 1, chainOffset: 2 });
    expect(Array.from(b.draws[1])).toEqual(Array.from(a.draws[1]));
    expect(Array.from(alone.draws[0])).toEqual(Array.from(a.draws[2]));
    expect(alone.warmup.stepSize[0]).toBe(a.warmup.stepSize[2]);
  });
});

describe('nutpie options', () => {
  const target = gaussianTarget([1, 2]);
  const run = { chains: 1, warmup: 20, draws: 5, seed: 1 } as const;

  it('rule out what does not make a strategy: the types say so, and untyped callers get an error naming the option', () => {
    // @ts-expect-error nutpie's adaptation is written for NUTS
    expect(() => sample(target, { ...run, kernel: { algorithm: 'hmc', steps: 3 }, adaptation: { kind: 'nutpie' } })).toThrow(/adaptation kind 'nutpie' is implemented for NUTS/);
    // @ts-expect-error the low-rank settings exist only with the low-rank metric
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', lowRank: { gamma: 1e-3 } } })).toThrow(/adaptation\.lowRank applies to metric 'lowRank' only/);
    // @ts-expect-error nutpie has no dense metric
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', metric: 'dense' } })).toThrow(/metric of kind 'nutpie' must be 'diag' or 'lowRank', got "dense"/);
    // @ts-expect-error the diagonal metric adapts per chain; only the low-rank one can pool the chains
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', pooled: true } })).toThrow(/adaptation\.pooled of kind 'nutpie' applies to metric 'lowRank' only/);
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', schedule: { earlyFraction: 0.9 } } })).toThrow(/earlyFraction \+ stepSizeFraction must be < 1/);
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', schedule: { mainWindow: 0 } } })).toThrow(/adaptation\.schedule\.mainWindow must be an integer >= 1, got 0/);
  });

  it('start from a given diagonal metric (e.g. a pilot run\'s) instead of 1 / |gradient|, for the diagonal metric only', () => {
    // One warmup draw: no window has switched and no update is due, so the metric is still the initial one.
    const given = sample(target, { ...run, warmup: 1, adaptation: { kind: 'nutpie', initialInverseMetric: Float64Array.from([0.5, 7]) } });
    expect(Array.from(given.warmup.inverseMetric[0])).toEqual([0.5, 7]);
    const fromGradients = sample(target, { ...run, warmup: 1, adaptation: { kind: 'nutpie' } });
    expect(Array.from(fromGradients.warmup.inverseMetric[0])).not.toEqual([0.5, 7]);
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', initialInverseMetric: Float64Array.from([1]) } })).toThrow(
      /adaptation\.initialInverseMetric has length 1, which does not fit a diag metric of dim 2/,
    );
    // @ts-expect-error the low-rank metric starts from the gradients
    expect(() => sample(target, { ...run, adaptation: { kind: 'nutpie', metric: 'lowRank', initialInverseMetric: Float64Array.from([1, 1]) } })).toThrow(
      /initialInverseMetric of kind 'nutpie' applies to metric 'diag' only/,
    );
  });

  it('take the warmup length from the run (nutpie\'s 400 is only its default) and a warmup of 0 keeps the initial step size', () => {
    const short = sample(target, { ...run, adaptation: { kind: 'nutpie', initialStepSize: 0.3 }, warmup: 0 });
    expect(short.warmup.stepSize[0]).toBe(0.3);
    const long = sample(target, { ...run, warmup: 60, saveWarmup: true, adaptation: { kind: 'nutpie' } });
    expect(long.warmup.stats![0].stepSize).toHaveLength(60);
  });
});
