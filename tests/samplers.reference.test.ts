import { describe, expect, it } from 'vitest';
import { createMetric, type MetricKind } from '../samplers/metric.js';
import { referenceChain, ReferenceNuts } from '../samplers/reference/recursiveNuts.js';
import { sample } from '../samplers/sample.js';
import type { SampleResult } from '../samplers/types.js';
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { correlatedGaussian2d, funnelTarget, gaussianTarget } from './support/targets.js';

/** Exact (Object.is) equality of two float arrays, with a helpful first mismatch. */
function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}: entry ${i} is ${actual[i]}, reference has ${expected[i]}`);
    }
  }
}

function compareFixedStepRun(target: LogDensity, kind: Exclude<MetricKind, 'lowRank'>, inverseMass: Float64Array, stepSize: number, inits: number[][]) {
  const chains = inits.length;
  const dim = target.dim;
  const draws = 200;
  const result: SampleResult = sample(target, {
    chains,
    warmup: 0,
    draws,
    seed: 'reference',
    kernel: { algorithm: 'nuts', maxTreeDepth: 8 },
    adaptation: { kind: 'none', metric: kind, inverseMetric: inverseMass, stepSize },
    init: { positions: Float64Array.from(inits.flat()) },
  });
  let referenceGradients = 0;
  for (let c = 0; c < chains; c++) {
    const nuts = new ReferenceNuts(target, createMetric(kind, dim, inverseMass), createRng('reference', `chain:${c}`), stepSize, 8);
    let q: Float64Array = Float64Array.from(inits[c]);
    let current = nuts.evaluate(q);
    const referenceDraws = new Float64Array(draws * dim);
    const stats = { treeDepth: [] as number[], nLeapfrog: [] as number[], divergent: [] as number[], energy: [] as number[], acceptStat: [] as number[], logDensity: [] as number[] };
    for (let k = 0; k < draws; k++) {
      const next = nuts.transition(q, current.logDensity, current.gradient);
      q = next.q;
      current = next;
      referenceDraws.set(q, k * dim);
      stats.treeDepth.push(next.info.treeDepth);
      stats.nLeapfrog.push(next.info.nLeapfrog);
      stats.divergent.push(next.info.divergent ? 1 : 0);
      stats.energy.push(next.info.energy);
      stats.acceptStat.push(next.info.acceptStat);
      stats.logDensity.push(next.info.logDensity);
    }
    referenceGradients += nuts.gradientEvaluations;
    expectSameBits(result.draws[c], referenceDraws, `chain ${c} draws`);
    expectSameBits(result.stats[c].treeDepth, stats.treeDepth, `chain ${c} treeDepth`);
    expectSameBits(result.stats[c].nLeapfrog, stats.nLeapfrog, `chain ${c} nLeapfrog`);
    expectSameBits(result.stats[c].divergent, stats.divergent, `chain ${c} divergent`);
    expectSameBits(result.stats[c].energy, stats.energy, `chain ${c} energy`);
    expectSameBits(result.stats[c].acceptStat, stats.acceptStat, `chain ${c} acceptStat`);
    expectSameBits(result.stats[c].logDensity, stats.logDensity, `chain ${c} logDensity`);
  }
  expect(result.gradientEvaluations).toBe(referenceGradients);
  return result;
}

describe('batched lockstep NUTS equals the recursive one-chain reference bit for bit', () => {
  it('fixed step size, diagonal metric, on a funnel (varied tree depths and divergences)', () => {
    const result = compareFixedStepRun(funnelTarget(5), 'diag', Float64Array.from([2, 1, 1, 0.5, 1]), 0.5, [
      [-4, 0.01, -0.02, 0.03, 0],
      [-1, 1, 0.5, -0.5, 0.2],
      [1.5, -1, 1, 2, -2],
      [0, 0, 0, 0, 0.1],
    ]);
    const depths = new Set(result.stats.flatMap((s) => Array.from(s.treeDepth)));
    expect(depths.size).toBeGreaterThan(3);
    expect(result.divergences).toBeGreaterThan(0);
  });

  it('fixed step size, dense metric, on a correlated Gaussian', () => {
    const { target } = correlatedGaussian2d(1, 5, 0.9);
    compareFixedStepRun(target, 'dense', Float64Array.from([1.2, 0.4, 0.4, 3]), 0.6, [
      [0.1, 0.2],
      [-1, 3],
      [2, -4],
    ]);
  });

  it('full adaptive runs (init, step-size heuristic, windowed warmup, sampling) match chain by chain', () => {
    for (const [target, kind] of [
      [gaussianTarget([0.1, 1, 10, 3]), 'diag'],
      [correlatedGaussian2d(1, 10, 0.95).target, 'dense'],
      [funnelTarget(4), 'diag'],
    ] as const) {
      const result = sample(target, { chains: 3, warmup: 300, draws: 150, seed: 31, adaptation: { kind: 'stan', metric: kind, targetAcceptance: 0.85 } });
      let referenceGradients = 0;
      for (let c = 0; c < 3; c++) {
        const reference = referenceChain(target, { seed: 31, chain: c, warmup: 300, draws: 150, metric: kind, adaptDelta: 0.85 });
        referenceGradients += reference.gradientEvaluations;
        expect(result.warmup.stepSize[c]).toBe(reference.stepSize);
        expectSameBits(result.warmup.inverseMetric[c], reference.inverseMetric, `${kind} chain ${c} inverse metric`);
        expectSameBits(result.draws[c], reference.draws, `${kind} chain ${c} draws`);
        expectSameBits(result.stats[c].acceptStat, reference.infos.map((i) => i.acceptStat), `${kind} chain ${c} acceptStat`);
      }
      expect(result.gradientEvaluations).toBe(referenceGradients);
    }
  });
});
