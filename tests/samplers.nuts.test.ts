import { describe, expect, it } from 'vitest';
import { hmcTransition } from '../samplers/hmc.js';
import { runLockstep, runSingle } from '../samplers/lockstep.js';
import { createMetric, diagonalMetric } from '../samplers/metric.js';
import { nutsTransition } from '../samplers/nuts.js';
import type { ChainState, Transition } from '../samplers/state.js';
import { initialStepSize } from '../samplers/stepSize.js';
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { correlatedGaussian2d, drawGaussian, gaussianTarget, ksStatistic, standardNormalCdf } from './support/targets.js';

function stateAt(target: LogDensity, position: Float64Array): ChainState {
  const result = target.evaluate(position, 1);
  return { position, logDensity: result.logDensity[0], gradient: result.gradient };
}

/**
 * Kolmogorov's asymptotic critical value of D_n at level 0.001: 1.9495 / sqrt(n). We test three
 * marginals, so the chance that a correct sampler fails one is below 0.3% (and the seeds are fixed).
 */
const ksCritical = (n: number) => 1.9495 / Math.sqrt(n);

describe('NUTS transition', () => {
  it('keeps an exact Gaussian sample Gaussian (one transition from each of 5000 exact draws, KS test)', () => {
    const scales = [1, 1.5, 3];
    const target = gaussianTarget(scales);
    const metric = diagonalMetric(Float64Array.from([1, 1, 1]));
    const n = 5000;
    const starts = Array.from({ length: n }, (_, k) => stateAt(target, drawGaussian(createRng(7, `exact:${k}`), scales)));
    // Step size 1.1 with a unit metric: the scale-1 coordinate is integrated coarsely, so acceptance
    // is far from 1 and the multinomial weights matter.
    const transitions = runLockstep(
      target,
      starts.map((state, k) => nutsTransition(state, 1.1, metric, createRng(7, `chain:${k}`))),
    );
    const meanAccept = transitions.reduce((a, t) => a + t.info.acceptStat, 0) / n;
    expect(meanAccept).toBeLessThan(0.95);
    for (let i = 0; i < scales.length; i++) {
      const standardized = transitions.map((t) => t.state.position[i] / scales[i]);
      expect(ksStatistic(standardized, standardNormalCdf)).toBeLessThan(ksCritical(n));
      // The transition must actually move the chains (not the trivial identity kernel).
      const moved = transitions.filter((t, k) => t.state.position[i] !== starts[k].position[i]).length;
      expect(moved / n).toBeGreaterThan(0.5);
    }
  });

  it('keeps a correlated Gaussian invariant with a dense metric (KS on whitened coordinates)', () => {
    const { target, covariance } = correlatedGaussian2d(1, 4, 0.95);
    const metric = createMetric('dense', 2, Float64Array.from([1, 0.5, 0.5, 2]));
    const n = 4000;
    // Exact draws via the Cholesky factor of the covariance.
    const l00 = Math.sqrt(covariance[0]);
    const l10 = covariance[2] / l00;
    const l11 = Math.sqrt(covariance[3] - l10 * l10);
    const starts = Array.from({ length: n }, (_, k) => {
      const rng = createRng(8, `exact:${k}`);
      const z0 = rng.normal();
      const z1 = rng.normal();
      return stateAt(target, Float64Array.from([l00 * z0, l10 * z0 + l11 * z1]));
    });
    const transitions = runLockstep(target, starts.map((s, k) => nutsTransition(s, 0.8, metric, createRng(8, `chain:${k}`))));
    const whitened0 = transitions.map((t) => t.state.position[0] / l00);
    const whitened1 = transitions.map((t) => (t.state.position[1] - l10 * (t.state.position[0] / l00)) / l11);
    expect(ksStatistic(whitened0, standardNormalCdf)).toBeLessThan(ksCritical(n));
    expect(ksStatistic(whitened1, standardNormalCdf)).toBeLessThan(ksCritical(n));
  });

  it('with a tiny step size never U-turns: the tree depth saturates at maxTreeDepth', () => {
    const target = gaussianTarget([1, 2]);
    const metric = diagonalMetric(Float64Array.from([1, 1]));
    const state = stateAt(target, Float64Array.from([0.5, -0.5]));
    const t = runSingle(target, nutsTransition(state, 1e-4, metric, createRng(3, 'tiny'), { maxTreeDepth: 6, maxDeltaH: 1000 }));
    expect(t.info.treeDepth).toBe(6);
    expect(t.info.nLeapfrog).toBe(63);
    expect(t.info.divergent).toBe(false);
    expect(t.info.acceptStat).toBeGreaterThan(0.999);
  });

  it('with a huge step size flags a divergence and stays put', () => {
    const target = gaussianTarget([1, 2]);
    const metric = diagonalMetric(Float64Array.from([1, 1]));
    const state = stateAt(target, Float64Array.from([0.5, -0.5]));
    const t = runSingle(target, nutsTransition(state, 1000, metric, createRng(3, 'huge')));
    expect(t.info.divergent).toBe(true);
    expect(t.info.treeDepth).toBe(0);
    expect(t.info.nLeapfrog).toBe(1);
    expect(t.info.acceptStat).toBeLessThan(1e-100);
    expect(Array.from(t.state.position)).toEqual([0.5, -0.5]);
    // The maxDeltaH option moves the threshold: with a modest step the energy error is small but > 0.
    const moderate = runSingle(target, nutsTransition(state, 1.9, metric, createRng(3, 'moderate'), { maxTreeDepth: 10, maxDeltaH: 1e-9 }));
    expect(moderate.info.divergent).toBe(true);
  });

  it('reports Stan-style statistics: energy is H at the selected point, logDensity matches the state', () => {
    const target = gaussianTarget([1, 2, 3]);
    const metric = diagonalMetric(Float64Array.from([1, 4, 9]));
    let state = stateAt(target, Float64Array.from([0.1, 0.2, 0.3]));
    for (let k = 0; k < 50; k++) {
      const t: Transition = runSingle(target, nutsTransition(state, 0.7, metric, createRng(4, `stats:${k}`)));
      expect(t.info.logDensity).toBe(t.state.logDensity);
      expect(t.info.energy).toBeGreaterThanOrEqual(-t.state.logDensity);
      expect(t.info.nLeapfrog).toBeGreaterThanOrEqual(2 ** t.info.treeDepth - 1);
      expect(t.info.nLeapfrog).toBeLessThanOrEqual(2 ** (t.info.treeDepth + 1) - 1);
      expect(t.info.acceptStat).toBeGreaterThan(0);
      expect(t.info.acceptStat).toBeLessThanOrEqual(1);
      state = t.state;
    }
  });
});

describe('static HMC transition', () => {
  it('keeps an exact Gaussian sample Gaussian (KS) and accepts by min(1, exp(H0 - H))', () => {
    const scales = [1, 2];
    const target = gaussianTarget(scales);
    const metric = diagonalMetric(Float64Array.from([1, 1]));
    const n = 4000;
    const starts = Array.from({ length: n }, (_, k) => stateAt(target, drawGaussian(createRng(9, `exact:${k}`), scales)));
    const transitions = runLockstep(
      target,
      starts.map((s, k) => hmcTransition(s, 1.3, metric, createRng(9, `chain:${k}`), { steps: 7, maxDeltaH: 1000 })),
    );
    expect(transitions.every((t) => t.info.nLeapfrog === 7 && t.info.treeDepth === 0)).toBe(true);
    const rejected = transitions.filter((t, k) => t.state.position[0] === starts[k].position[0]).length;
    expect(rejected).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      const standardized = transitions.map((t) => t.state.position[i] / scales[i]);
      expect(ksStatistic(standardized, standardNormalCdf)).toBeLessThan(ksCritical(n));
    }
  });

  it('uses floor(pathLength / stepSize) steps, at least one', () => {
    const target = gaussianTarget([1]);
    const metric = diagonalMetric(Float64Array.from([1]));
    const state = stateAt(target, Float64Array.from([0.3]));
    const a = runSingle(target, hmcTransition(state, 0.3, metric, createRng(1), { pathLength: 1, maxDeltaH: 1000 }));
    expect(a.info.nLeapfrog).toBe(3);
    const b = runSingle(target, hmcTransition(state, 2, metric, createRng(1), { pathLength: 1, maxDeltaH: 1000 }));
    expect(b.info.nLeapfrog).toBe(1);
  });
});

describe('initial step-size heuristic (Stan init_stepsize)', () => {
  it('doubles or halves until the one-step acceptance crosses 0.8', () => {
    const target = gaussianTarget([0.01, 0.02]);
    const metric = diagonalMetric(Float64Array.from([1, 1]));
    const state = stateAt(target, Float64Array.from([0.005, 0.01]));
    const found = runSingle(target, initialStepSize(state, 1, metric, createRng(5)));
    // Halving from 1 by powers of two; for scale 0.01 a stable, acceptable step is O(0.01).
    expect(Number.isInteger(Math.log2(found))).toBe(true);
    expect(found).toBeLessThan(0.05);
    expect(found).toBeGreaterThan(0.001);
    const wide = gaussianTarget([100, 200]);
    const grown = runSingle(wide, initialStepSize(stateAt(wide, Float64Array.from([50, 20])), 1, metric, createRng(5)));
    expect(grown).toBeGreaterThan(10);
  });
});
