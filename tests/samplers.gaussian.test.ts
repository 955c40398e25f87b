import { describe, expect, it } from 'vitest';
import { sample } from '../samplers/sample.js';
import { batchMeansMcse, correlatedGaussian2d, gaussianTarget } from './support/targets.js';

/** Column i of a chain's flat [n, dim] draws. */
function column(draws: Float64Array, dim: number, i: number): Float64Array {
  const out = new Float64Array(draws.length / dim);
  for (let k = 0; k < out.length; k++) out[k] = draws[k * dim + i];
  return out;
}

describe('sample() on a 10-d anisotropic Gaussian (scales 0.01 .. 100)', () => {
  const scales = Array.from({ length: 10 }, (_, i) => 0.01 * Math.pow(10, (4 * i) / 9));
  const target = gaussianTarget(scales);
  const result = sample(target, { chains: 4, warmup: 1000, draws: 1000, seed: 2024 });

  it('recovers means and variances within 5 Monte Carlo standard errors', () => {
    expect(result.numDraws).toBe(1000);
    expect(result.draws).toHaveLength(4);
    for (let i = 0; i < 10; i++) {
      // MCSE from batch means (batches of 50 draws) within each chain, combined over 4 chains.
      let meanSum = 0;
      let meanVar = 0;
      let sqSum = 0;
      let sqVar = 0;
      for (const draws of result.draws) {
        const x = column(draws, 10, i);
        const squares = x.map((v) => v * v);
        meanSum += x.reduce((a, b) => a + b, 0) / x.length;
        sqSum += squares.reduce((a, b) => a + b, 0) / x.length;
        meanVar += batchMeansMcse(x, 50) ** 2;
        sqVar += batchMeansMcse(squares, 50) ** 2;
      }
      const mean = meanSum / 4;
      const meanSquare = sqSum / 4;
      const mcseMean = Math.sqrt(meanVar) / 4;
      const mcseSquare = Math.sqrt(sqVar) / 4;
      // Five MCSE: a correct sampler fails one of these 20 checks with probability < 1e-5.
      expect(Math.abs(mean)).toBeLessThan(5 * mcseMean);
      expect(Math.abs(meanSquare - scales[i] ** 2)).toBeLessThan(5 * mcseSquare);
      // And the MCSE itself is small: the chains mix (about 1% of the scale for 4000 draws).
      expect(mcseMean / scales[i]).toBeLessThan(0.05);
    }
  });

  it('adapts the inverse metric to the true variances and keeps the target acceptance', () => {
    for (let c = 0; c < 4; c++) {
      const inverseMetric = result.warmup.inverseMetric[c];
      for (let i = 0; i < 10; i++) {
        // The last window has 500 draws (relative SE of a variance ~ sqrt(2/ESS) ~ 7-10%), and Stan's
        // shrinkage adds 1e-3 * 5/505 ~ 1e-5 (10% of the smallest variance 1e-4): accept 0.7 .. 1.4.
        const ratio = inverseMetric[i] / scales[i] ** 2;
        expect(ratio).toBeGreaterThan(0.7);
        expect(ratio).toBeLessThan(1.4);
      }
      const accept = result.stats[c].acceptStat.reduce((a, b) => a + b, 0) / 1000;
      expect(accept).toBeGreaterThan(0.7);
      expect(accept).toBeLessThan(0.97);
      expect(result.warmup.stepSize[c]).toBeGreaterThan(0.2);
    }
    expect(result.divergences).toBe(0);
    expect(result.gradientEvaluations).toBeGreaterThan(4 * 2000);
    // Lockstep: far fewer batched calls than chain-gradients.
    expect(result.evaluateCalls).toBeLessThan(result.gradientEvaluations / 2);
  });

  it('fills the per-draw statistics', () => {
    const stats = result.stats[0];
    expect(stats.treeDepth.every((d) => d >= 1 && d <= 10)).toBe(true);
    expect(stats.nLeapfrog.every((n, k) => n >= 2 ** stats.treeDepth[k] - 1)).toBe(true);
    expect(stats.stepSize.every((s) => s === result.warmup.stepSize[0])).toBe(true);
    expect(stats.energy.every(Number.isFinite)).toBe(true);
    // lp__ of the 10-d Gaussian: logDensity = -chi2_10 / 2, mean -5.
    const meanLp = stats.logDensity.reduce((a, b) => a + b, 0) / 1000;
    expect(meanLp).toBeGreaterThan(-6);
    expect(meanLp).toBeLessThan(-4);
  });
});

describe('sample() with a dense metric on a strongly correlated 2-D Gaussian', () => {
  it('adapts the inverse metric to the covariance', () => {
    const { target, covariance } = correlatedGaussian2d(1, 10, 0.95);
    const result = sample(target, { chains: 2, warmup: 1000, draws: 1000, seed: 7, adaptation: { kind: 'stan', metric: 'dense' } });
    for (let c = 0; c < 2; c++) {
      const m = result.warmup.inverseMetric[c];
      expect(m).toHaveLength(4);
      // Variances within 30% (last window 500 draws), correlation within 0.03 of 0.95.
      expect(m[0] / covariance[0]).toBeGreaterThan(0.7);
      expect(m[0] / covariance[0]).toBeLessThan(1.3);
      expect(m[3] / covariance[3]).toBeGreaterThan(0.7);
      expect(m[3] / covariance[3]).toBeLessThan(1.3);
      expect(Math.abs(m[1] / Math.sqrt(m[0] * m[3]) - 0.95)).toBeLessThan(0.03);
      expect(m[1]).toBe(m[2]);
      // With the covariance learned, the posterior looks isotropic: short trees, large steps.
      const meanDepth = result.stats[c].treeDepth.reduce((a, b) => a + b, 0) / 1000;
      expect(meanDepth).toBeLessThan(3);
      expect(result.warmup.stepSize[c]).toBeGreaterThan(0.4);
    }
  });
});
