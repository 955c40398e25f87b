import { describe, expect, it } from 'vitest';
import {
  finalDualAveragingStepSize,
  startDualAveraging,
  updateDualAveraging,
} from '../samplers/adaptation/dualAveraging.js';
import { MetricAdaptation, regularizedCovariance, regularizedVariance } from '../samplers/adaptation/metricAdaptation.js';
import { WelfordCovariance, WelfordVariance } from '../samplers/adaptation/welford.js';
import { stanWindowSettings, adaptationSchedule, inSlowWindow, isWindowEnd } from '../samplers/adaptation/windows.js';
import { runSingle } from '../samplers/lockstep.js';
import { diagonalMetric } from '../samplers/metric.js';
import { nutsTransition } from '../samplers/nuts.js';
import type { ChainState } from '../samplers/state.js';
import { createRng } from '../src/tensor/rng.js';
import { gaussianTarget } from './support/targets.js';

const ends = (numWarmup: number) => adaptationSchedule(numWarmup).windows.map((w) => [w.start, w.end]);

describe("Stan's warmup windows", () => {
  it('warmup 1000: 75 fast, slow windows 25, 50, 100, 200, 500 (last stretched), 50 fast', () => {
    const schedule = adaptationSchedule(1000);
    expect(schedule.rescaled).toBe(false);
    expect(ends(1000)).toEqual([
      [75, 99],
      [100, 149],
      [150, 249],
      [250, 449],
      [450, 949],
    ]);
    expect(inSlowWindow(schedule, 74)).toBe(false);
    expect(inSlowWindow(schedule, 75)).toBe(true);
    expect(inSlowWindow(schedule, 949)).toBe(true);
    expect(inSlowWindow(schedule, 950)).toBe(false);
    expect(isWindowEnd(schedule, 99)).toBe(true);
    expect(isWindowEnd(schedule, 100)).toBe(false);
  });

  it('other fitting warmups follow the doubling-and-stretch rule', () => {
    expect(ends(150)).toEqual([[75, 99]]);
    expect(ends(200)).toEqual([
      [75, 99],
      [100, 149],
    ]);
    expect(ends(300)).toEqual([
      [75, 99],
      [100, 149],
      [150, 249],
    ]);
    expect(ends(500)).toEqual([
      [75, 99],
      [100, 149],
      [150, 249],
      [250, 449],
    ]);
    // 2000: 75 + 25 + 50 + 100 + 200 + 400 + (the 800 window stretched to 1150) + 50.
    expect(ends(2000).at(-1)).toEqual([850, 1949]);
  });

  it('small warmups: rescaled to 15% / 75% / 10%, and no metric adaptation below 20', () => {
    const s100 = adaptationSchedule(100);
    expect(s100.rescaled).toBe(true);
    expect([s100.initBuffer, s100.baseWindow, s100.termBuffer]).toEqual([15, 75, 10]);
    expect(ends(100)).toEqual([[15, 89]]);
    expect(ends(149)).toEqual([[22, 134]]);
    expect(ends(20)).toEqual([[3, 17]]);
    const s19 = adaptationSchedule(19);
    expect(s19.adaptMetric).toBe(false);
    expect(s19.windows).toEqual([]);
    expect(inSlowWindow(s19, 5)).toBe(false);
    // Custom buffers, as Stan's var_adaptation unit test: warmup 30, buffers 0, window 10.
    const custom = adaptationSchedule(30, { initBuffer: 0, termBuffer: 0, baseWindow: 10 });
    expect(custom.windows.map((w) => w.end)).toEqual([9, 29]);
    // adaptMetric false: step size only, the initial metric kept (the staged warmup's later stages).
    const fixed = adaptationSchedule(1000, { ...stanWindowSettings, adaptMetric: false });
    expect(fixed.adaptMetric).toBe(false);
    expect(fixed.windows).toEqual([]);
    expect(inSlowWindow(fixed, 500)).toBe(false);
  });
});

describe('Welford estimators and regularization', () => {
  it('match the two-pass sample variance and covariance', () => {
    const rng = createRng(11, 'welford');
    const rows = Array.from({ length: 200 }, () => {
      const a = rng.normal();
      return Float64Array.from([3 + a, -1 + 0.5 * a + 0.2 * rng.normal(), 1e3 + 1e-2 * rng.normal()]);
    });
    const variance = new WelfordVariance(3);
    const covariance = new WelfordCovariance(3);
    for (const row of rows) {
      variance.add(row);
      covariance.add(row);
    }
    const mean = [0, 1, 2].map((j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
    const cov = (i: number, j: number) => rows.reduce((a, r) => a + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / (rows.length - 1);
    const v = variance.sampleVariance() as Float64Array;
    const c = covariance.sampleCovariance() as Float64Array;
    for (let i = 0; i < 3; i++) {
      expect(v[i] / cov(i, i)).toBeCloseTo(1, 10);
      for (let j = 0; j < 3; j++) {
        expect(c[i * 3 + j]).toBeCloseTo(cov(i, j), 10);
        expect(c[i * 3 + j]).toBe(c[j * 3 + i]);
      }
    }
    variance.reset();
    expect(variance.count).toBe(0);
    expect(variance.sampleVariance()).toBeNull();
  });

  it("apply Stan's shrinkage n/(n+5) * Sigma + 1e-3 * 5/(n+5) * I", () => {
    expect(Array.from(regularizedVariance(Float64Array.from([2, 0]), 45))).toEqual([
      (45 / 50) * 2 + 1e-3 * (5 / 50),
      1e-3 * (5 / 50),
    ]);
    const shrunk = regularizedCovariance(Float64Array.from([2, 1, 1, 3]), 15, 2);
    expect(Array.from(shrunk)).toEqual([0.75 * 2 + 1e-3 * 0.25, 0.75, 0.75, 0.75 * 3 + 1e-3 * 0.25]);
  });

  it('metric adaptation updates only at window ends, from that window only', () => {
    const schedule = adaptationSchedule(30, { initBuffer: 0, termBuffer: 0, baseWindow: 10 });
    const adaptation = new MetricAdaptation('diag', 1, schedule);
    const current = Float64Array.from([1]);
    // Stan's var_adaptation test: ten zero positions give exactly 1e-3 * 5 / 15.
    for (let i = 0; i < 9; i++) expect(adaptation.learn(i, [Float64Array.from([0])], current)).toBeNull();
    expect(Array.from(adaptation.learn(9, [Float64Array.from([0])], current) as Float64Array)).toEqual([(1e-3 * 5) / 15]);
    // Second window: positions alternate +-2, variance 4 * 20/19.
    let update: Float64Array | null = null;
    for (let i = 10; i < 30; i++) update = adaptation.learn(i, [Float64Array.from([i % 2 === 0 ? 2 : -2])], current);
    const n = 20;
    expect((update as Float64Array)[0]).toBeCloseTo((n / (n + 5)) * ((4 * 20) / 19) + 1e-3 * (5 / (n + 5)), 12);
  });
});

describe('dual averaging (Hoffman & Gelman 2014, section 3.2.1)', () => {
  it('follows the update equations with Stan constants', () => {
    const start = startDualAveraging(1);
    expect(start.mu).toBeCloseTo(Math.log(10), 15);
    const { state, stepSize } = updateDualAveraging(start, 0.5);
    // t = 1: eta = 1/11, sBar = (0.8 - 0.5)/11, x = mu - sBar * 1 / 0.05, xBar = x.
    const sBar = 0.3 / 11;
    expect(state.sBar).toBeCloseTo(sBar, 15);
    expect(Math.log(stepSize)).toBeCloseTo(Math.log(10) - sBar / 0.05, 12);
    expect(state.xBar).toBeCloseTo(Math.log(stepSize), 12);
    // An acceptance statistic above 1 is capped at 1.
    expect(updateDualAveraging(start, 1.7).state.sBar).toBeCloseTo(-0.2 / 11, 15);
  });

  it('converges to the step size whose acceptance equals the target (deterministic acceptance curve)', () => {
    // acceptance(eps) = 1 / (1 + eps^2): the target 0.8 is reached at eps = 0.5.
    let state = startDualAveraging(1);
    let eps = 1;
    for (let t = 0; t < 5000; t++) ({ state, stepSize: eps } = updateDualAveraging(state, 1 / (1 + eps * eps)));
    expect(finalDualAveragingStepSize(state)).toBeCloseTo(0.5, 2);
  });

  it('reaches the target mean acceptance of NUTS on a Gaussian', () => {
    const target = gaussianTarget([1, 2, 4, 0.5, 3]);
    const metric = diagonalMetric(Float64Array.from([1, 1, 1, 1, 1]));
    const rng = createRng(12, 'chain:0');
    const start = Float64Array.from([0.1, 0.2, -0.3, 0.1, 0.5]);
    const evaluated = target.evaluate(start, 1);
    let state: ChainState = { position: start, logDensity: evaluated.logDensity[0], gradient: evaluated.gradient };
    let da = startDualAveraging(1);
    let eps = 1;
    const adaptAccept: number[] = [];
    for (let t = 0; t < 3000; t++) {
      const transition = runSingle(target, nutsTransition(state, eps, metric, rng));
      state = transition.state;
      adaptAccept.push(transition.info.acceptStat);
      ({ state: da, stepSize: eps } = updateDualAveraging(da, transition.info.acceptStat));
    }
    // Dual averaging drives the running mean of (delta - accept) to zero: the mean acceptance over the
    // second half of adaptation is 0.8 (SE of a 1500-draw mean of accept stats is ~0.005; we allow 0.03).
    const secondHalf = adaptAccept.slice(1500);
    const mean = secondHalf.reduce((a, b) => a + b, 0) / secondHalf.length;
    expect(Math.abs(mean - 0.8)).toBeLessThan(0.03);
    // With the averaged step size fixed, the acceptance stays near the target (averaging over
    // iterates makes it slightly smaller, hence acceptance slightly higher, as in Stan).
    const fixed = finalDualAveragingStepSize(da);
    let sum = 0;
    for (let t = 0; t < 1500; t++) {
      const transition = runSingle(target, nutsTransition(state, fixed, metric, rng));
      state = transition.state;
      sum += transition.info.acceptStat;
    }
    expect(sum / 1500).toBeGreaterThan(0.75);
    expect(sum / 1500).toBeLessThan(0.9);
  });
});
