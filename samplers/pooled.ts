/**
 * Pooled (cross-chain) warmup: all chains share one step size and one metric. Chains advance one
 * iteration at a time together (one batched evaluation per leapfrog step, finished trees drop out),
 * then a single adapter learns from the mean acceptance statistic over chains (one dual-averaging
 * step) and from every chain's position (one Welford estimator over all chains). After a metric
 * update each chain runs Stan's step-size heuristic from its own position and the shared step size
 * restarts from their geometric mean. Sampling then runs with the shared step size and metric.
 * The same building blocks as chain.ts; only the synchronization differs.
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import type { Rng } from '../src/tensor/rng.js';
import { WarmupAdapter } from './adaptation/warmupAdapter.js';
import { keptDraws, type ChainOutput, type ChainSettings, type IterationListener } from './chain.js';
import { initialState } from './initialize.js';
import { runLockstep, withChainLabel, type EvaluationCounter } from './lockstep.js';
import { createMetric, type EuclideanMetric } from './metric.js';
import { DrawRecorder } from './recorder.js';
import type { ChainState } from './state.js';
import { initialStepSize, jitteredStepSize } from './stepSize.js';

export function runPooled(
  target: LogDensity,
  settings: ChainSettings,
  chainIds: readonly number[],
  rngs: readonly Rng[],
  initPositions: readonly (Float64Array | undefined)[],
  counter: EvaluationCounter,
  onIteration?: IterationListener,
): ChainOutput[] {
  const { dim, kernel, metricKind } = settings;
  const n = chainIds.length;
  const indices = chainIds.map((_, k) => k);
  let states: ChainState[] = runLockstep(
    target,
    indices.map((k) => withChainLabel(chainIds[k], initialState(dim, rngs[k], settings.init, initPositions[k]))),
    counter,
  );
  let metric: EuclideanMetric = createMetric(metricKind, dim, settings.initialInverseMass);
  let stepSize = settings.initialStepSize;

  const pooledHeuristic = (start: number): number => {
    const found = runLockstep(
      target,
      indices.map((k) => withChainLabel(chainIds[k], initialStepSize(states[k], start, metric, rngs[k]))),
      counter,
    );
    let logSum = 0;
    for (const value of found) logSum += Math.log(value);
    return Math.exp(logSum / n);
  };

  const adapter =
    settings.adapt && settings.warmup > 0
      ? new WarmupAdapter(metricKind, dim, settings.warmup, stepSize, settings.adaptation)
      : null;
  if (adapter !== null) stepSize = pooledHeuristic(stepSize);

  const iterate = (iteration: number, phase: 'warmup' | 'sampling') => {
    const transitions = runLockstep(
      target,
      indices.map((k) =>
        withChainLabel(
          chainIds[k],
          kernel(states[k], jitteredStepSize(stepSize, settings.stepSizeJitter, rngs[k]), metric, rngs[k]),
        ),
      ),
      counter,
    );
    states = transitions.map((transition) => transition.state);
    for (let k = 0; k < n; k++) onIteration?.(chainIds[k], iteration, phase, transitions[k].info);
    return transitions;
  };

  const warmupRecorders = indices.map(() => new DrawRecorder(dim, settings.saveWarmup ? settings.warmup : 0));
  const warmupDivergences = new Array<number>(n).fill(0);
  for (let iteration = 0; iteration < settings.warmup; iteration++) {
    const transitions = iterate(iteration, 'warmup');
    let acceptSum = 0;
    for (let k = 0; k < n; k++) {
      const info = transitions[k].info;
      if (info.divergent) warmupDivergences[k] += 1;
      if (settings.saveWarmup) warmupRecorders[k].record(states[k].position, info);
      acceptSum += info.acceptStat > 1 ? 1 : info.acceptStat;
    }
    if (adapter !== null) {
      const positions = states.map((state) => state.position);
      const step = adapter.learn(iteration, acceptSum / n, positions, metric.inverseMass);
      stepSize = step.stepSize;
      if (step.inverseMass !== null) {
        metric = createMetric(metricKind, dim, step.inverseMass);
        stepSize = pooledHeuristic(stepSize);
        adapter.restart(stepSize);
      }
    }
  }
  if (adapter !== null) stepSize = adapter.finalStepSize(stepSize);

  const recorders = indices.map(() => new DrawRecorder(dim, keptDraws(settings.draws, settings.thin)));
  for (let iteration = 0; iteration < settings.draws; iteration++) {
    const transitions = iterate(settings.warmup + iteration, 'sampling');
    if (iteration % settings.thin === 0) {
      for (let k = 0; k < n; k++) recorders[k].record(states[k].position, transitions[k].info);
    }
  }

  return indices.map((k) => ({
    draws: recorders[k].draws,
    stats: recorders[k].stats,
    stepSize,
    inverseMetric: Float64Array.from(metric.inverseMass),
    warmupDivergences: warmupDivergences[k],
    ...(settings.saveWarmup ? { warmupDraws: warmupRecorders[k].draws, warmupStats: warmupRecorders[k].stats } : {}),
  }));
}
