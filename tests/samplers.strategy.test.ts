/**
 * Warmup strategies behind one adapter interface (samplers/adaptation/adapter.ts): the coordinator
 * answers a per-chain group at once and a cross-chain group only when every chain has asked; a
 * strategy written against the interface alone drives the one chain loop (samplers/chain.ts); plans
 * are data (samplers/plan.ts); and the transition info that adapters read (where in the trajectory
 * the selected point lies, the symmetric acceptance statistic) is right.
 */
import { describe, expect, it } from 'vitest';
import { fixedAdapter, type AdaptationDraw, type WarmupAdapter } from '../samplers/adaptation/adapter.js';
import { AdaptationCoordinator, type AdaptationRequest } from '../samplers/adaptation/groups.js';
import { runChain, type ChainOutput } from '../samplers/chain.js';
import { hmcTransition } from '../samplers/hmc.js';
import { leapfrog } from '../samplers/integrator.js';
import { withStepSize, type KernelParameters } from '../samplers/kernel.js';
import { createEvaluationCounter, runCoordinated, runSingle } from '../samplers/lockstep.js';
import { createMetric, diagonalMetric } from '../samplers/metric.js';
import { nutsTransition } from '../samplers/nuts.js';
import { resolveSampleOptions } from '../samplers/resolve.js';
import { initialStepSize } from '../samplers/stepSize.js';
import type { ChainState, PhasePoint } from '../samplers/state.js';
import { createRng } from '../src/tensor/rng.js';
import { correlatedGaussian2d, funnelTarget, gaussianTarget } from './support/targets.js';

const nuts = (metric = diagonalMetric(Float64Array.from([1, 1]))): KernelParameters => ({
  stepSize: 0.5,
  metric,
  trajectory: { kind: 'nuts', maxTreeDepth: 10 },
  maxDeltaH: 1000,
  stepSizeJitter: 0,
});

describe('AdaptationCoordinator', () => {
  const state: ChainState = { position: new Float64Array(2), logDensity: 0, gradient: new Float64Array(2) };
  const init = (): AdaptationRequest => ({ kind: 'init', state });

  it('answers a per-chain group at once and a cross-chain group when all of its chains have asked', () => {
    const parameters = nuts();
    const coordinator = new AdaptationCoordinator(
      [
        { members: [0], adapter: fixedAdapter([parameters]) },
        { members: [1, 2, 3], adapter: fixedAdapter([parameters, parameters, parameters]) },
      ],
      4,
    );
    expect(coordinator.submit(0, init()).map(([m]) => m)).toEqual([0]);
    expect(coordinator.submit(2, init())).toEqual([]);
    expect(coordinator.submit(1, init())).toEqual([]);
    const released = coordinator.submit(3, init());
    expect(released.map(([m]) => m)).toEqual([1, 2, 3]);
    expect(released.every(([, reply]) => reply !== null && 'kind' in reply && reply.kind === 'continue')).toBe(true);
  });

  it('refuses groups that do not cover the chains and chains that get out of step', () => {
    const parameters = nuts();
    expect(() => new AdaptationCoordinator([{ members: [0], adapter: fixedAdapter([parameters]) }], 2)).toThrow(/chain 1 is in no adapter group/);
    expect(() => new AdaptationCoordinator([{ members: [0, 1], adapter: fixedAdapter([parameters]) }], 2)).toThrow(/2 chains, but its adapter serves 1/);
    const coordinator = new AdaptationCoordinator([{ members: [0, 1], adapter: fixedAdapter([parameters, parameters]) }], 2);
    coordinator.submit(0, init());
    expect(() => coordinator.submit(1, { kind: 'final' })).toThrow(/out of step: init, final/);
  });
});

/**
 * A toy cross-chain strategy written against the interface only: it records what it is shown,
 * halves the shared step size every 10 iterations, and after iteration 14 installs a new metric
 * and asks each chain for a step-size search.
 */
function recordingAdapter(chains: number, initial: KernelParameters) {
  const seen: { iteration: number; draws: readonly AdaptationDraw[] }[] = [];
  let searchedWith: readonly number[] = [];
  let parameters = initial;
  const all = <T>(value: T) => Array.from({ length: chains }, () => value);
  const adapter: WarmupAdapter = {
    chains,
    init: () => all({ kind: 'continue', parameters }),
    update(iteration, draws) {
      seen.push({ iteration, draws });
      if (iteration === 14) {
        parameters = withStepSize(parameters, parameters.stepSize, createMetric('diag', 2, Float64Array.from([2, 0.5])));
        return all({ kind: 'searchStepSize', parameters, search: initialStepSize });
      }
      if ((iteration + 1) % 10 === 0) parameters = withStepSize(parameters, parameters.stepSize / 2);
      return all({ kind: 'continue', parameters });
    },
    searched(stepSizes) {
      searchedWith = stepSizes;
      parameters = withStepSize(parameters, Math.min(...stepSizes));
      return all(parameters);
    },
    final: () => all(parameters),
  };
  return { adapter, seen, searched: () => searchedWith };
}

describe('a strategy plugs into the one chain loop through the adapter interface', () => {
  it('sees every chain at each warmup iteration (position, gradient, transition info); its parameters and searches reach the chains', () => {
    const target = gaussianTarget([1, 2]);
    const chains = 3;
    const toy = recordingAdapter(chains, nuts());
    const programs = Array.from({ length: chains }, (_, k) =>
      runChain({ chain: k, dim: 2, rng: createRng(5, `chain:${k}`), init: { radius: 2, maxTries: 100 }, warmup: 30, draws: 5, thin: 1, saveWarmup: true }),
    );
    const counter = createEvaluationCounter();
    const outputs: ChainOutput[] = runCoordinated(target, programs, new AdaptationCoordinator([{ members: [0, 1, 2], adapter: toy.adapter }], chains), counter);
    expect(toy.seen.map((s) => s.iteration)).toEqual(Array.from({ length: 30 }, (_, t) => t));
    for (const { draws } of toy.seen) {
      expect(draws).toHaveLength(chains);
      for (const draw of draws) {
        // The draw's gradient is the target's at its position: -x / sd^2.
        expect(draw.state.gradient[1]).toBeCloseTo(-draw.state.position[1] / 4, 12);
        expect(draw.info.acceptStatSymmetric).toBeGreaterThanOrEqual(0);
        expect(draw.info.acceptStatSymmetric).toBeLessThanOrEqual(1);
        expect(Number.isInteger(draw.info.stepsFromStart)).toBe(true);
      }
    }
    // The saved warmup draws of chain 1 are the positions the adapter saw.
    expect(Array.from(outputs[1].warmupDraws!.subarray(2 * 7, 2 * 8))).toEqual(Array.from(toy.seen[7].draws[1].state.position));
    // Step sizes: 0.5 for iterations 0-9, 0.25 for 10-14, then the smallest searched one.
    const warmupSteps = outputs[0].warmupStats!.stepSize;
    expect(warmupSteps[9]).toBe(0.5);
    expect(warmupSteps[10]).toBe(0.25);
    expect(toy.searched()).toHaveLength(chains);
    expect(warmupSteps[15]).toBe(Math.min(...toy.searched()));
    expect(outputs.every((o) => o.parameters.metric.inverseMass[0] === 2)).toBe(true);
    expect(counter.gradientEvaluations).toBeGreaterThan(0);
  });
});

describe('plans are data', () => {
  it("Stan's warmup is one stage; the staged plan's stages carry their lengths, seeds, caps and starts", () => {
    const stan = resolveSampleOptions({ chains: 2, warmup: 300, draws: 10, seed: 4, adaptation: { kind: 'stan', pooled: true, metric: 'dense' } }, 3);
    expect(stan.plan.stages).toHaveLength(1);
    expect(stan.plan.stages[0]).toMatchObject({ name: 'warmup', iterations: 300, seedSuffix: '', metric: 'dense', adaptation: { kind: 'stan', pooled: true }, start: { from: 'run' } });
    const staged = resolveSampleOptions(
      {
        chains: 2,
        warmup: 400,
        draws: 10,
        seed: 4,
        adaptation: { kind: 'staged', lengths: { diag: 150, dense: [60, 90], final: 100 }, diagMaxTreeDepth: 6, targetAcceptance: 0.9, diagTargetAcceptance: 0.7 },
      },
      3,
    );
    expect(staged.plan.stages.map((s) => [s.name, s.iterations, s.seedSuffix, s.maxTreeDepth, s.metric, s.start])).toEqual([
      ['diag', 150, '', 6, 'diag', { from: 'run' }],
      ['dense', 60, ':stage-2', undefined, 'dense', { from: 'previous', tailFraction: 0.6 }],
      ['dense', 90, ':stage-3', undefined, 'dense', { from: 'previous', tailFraction: 1 }],
      ['final', 100, ':stage-4', undefined, 'dense', { from: 'previous', tailFraction: 1 }],
    ]);
    const settings = staged.plan.stages.map((s) => (s.adaptation.kind === 'stan' ? [s.adaptation.settings.targetAcceptance, s.adaptation.settings.adaptMetric] : null));
    expect(settings).toEqual([[0.7, undefined], [0.9, false], [0.9, false], [0.9, false]]);
    // Plain data: it survives a structured clone (what a worker thread receives).
    expect(structuredClone(staged.plan)).toEqual(staged.plan);
  });
});

describe('what a transition tells adapters', () => {
  it('NUTS: the selected point is stepsFromStart leapfrog steps from the start along the drawn momentum', () => {
    const target = funnelTarget(4);
    const metric = createMetric('diag', 4, Float64Array.from([2, 1, 1, 0.5]));
    let moved = 0;
    let backwards = 0;
    for (let k = 0; k < 60; k++) {
      const start = runSingle(target, (function* () {
        const position = Float64Array.from([0.3 * Math.sin(k), 0.2, -0.4, 0.1 * k - 3]);
        const evaluation = yield position;
        return { position, ...evaluation };
      })());
      const stepSize = 0.4;
      const t = runSingle(target, nutsTransition(start, stepSize, metric, createRng(12, `t:${k}`)));
      // The transition's first random draw is its momentum.
      const momentum = metric.drawMomentum(createRng(12, `t:${k}`));
      let point: PhasePoint = { ...start, momentum };
      const steps = t.info.stepsFromStart;
      for (let s = 0; s < Math.abs(steps); s++) point = runSingle(target, leapfrog(point, Math.sign(steps) * stepSize, metric));
      expect(Array.from(t.state.position)).toEqual(Array.from(point.position));
      if (steps !== 0) moved += 1;
      if (steps < 0) backwards += 1;
      expect(t.info.acceptStatSymmetric).toBeGreaterThan(0);
      expect(t.info.acceptStatSymmetric).toBeLessThanOrEqual(1);
    }
    expect(moved).toBeGreaterThan(40);
    expect(backwards).toBeGreaterThan(5);
  });

  it('static HMC: stepsFromStart is the number of steps when accepted and 0 when rejected; the symmetric statistic is 2 / (1 + exp|dH|)', () => {
    const { target } = correlatedGaussian2d(1, 3, 0.8);
    const metric = diagonalMetric(Float64Array.from([1, 1]));
    let rejected = 0;
    for (let k = 0; k < 80; k++) {
      const position = Float64Array.from([0.5, -1]);
      const start = runSingle(target, (function* () {
        const evaluation = yield position;
        return { position, ...evaluation };
      })());
      const t = runSingle(target, hmcTransition(start, 0.9, metric, createRng(3, `hmc:${k}`), { steps: 5, maxDeltaH: 1000 }));
      const stayed = t.state.position === start.position;
      if (stayed) rejected += 1;
      expect(t.info.stepsFromStart).toBe(stayed ? 0 : 5);
      // acceptStat = min(1, exp(-dH)): recover |dH| and check the symmetric statistic.
      const absDeltaH = t.info.acceptStat < 1 ? -Math.log(t.info.acceptStat) : null;
      if (absDeltaH !== null) expect(t.info.acceptStatSymmetric).toBeCloseTo(2 / (1 + Math.exp(absDeltaH)), 12);
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
