/**
 * One chain's whole run as a single evaluation program (Stan's run_adaptive_sampler): initialize,
 * run the step-size heuristic, warm up with windowed adaptation (adaptation/warmupAdapter.ts), fix
 * the adapted step size and metric, then sample, keeping every `thin`-th draw. Because the whole run
 * is one program, the lockstep driver lets chains drift apart in iteration count: a chain that builds
 * short trees does not wait for one that builds long trees, and every batched evaluation stays as
 * full as possible. All of a chain's randomness comes from its own `rng`.
 */
import type { Rng } from '../src/tensor/rng.js';
import { stanAdaptationSettings, WarmupAdapter, type AdaptationSettings } from './adaptation/warmupAdapter.js';
import type { Evaluating } from './evaluation.js';
import { defaultInitSettings, initialState, type InitSettings } from './initialize.js';
import { createMetric, type EuclideanMetric, type MetricKind } from './metric.js';
import { DrawRecorder, type DrawStats } from './recorder.js';
import type { ChainState, TransitionInfo, TransitionKernel } from './state.js';
import { initialStepSize, jitteredStepSize } from './stepSize.js';

export type Phase = 'warmup' | 'sampling';

export interface ChainSettings {
  readonly dim: number;
  readonly kernel: TransitionKernel;
  readonly metricKind: MetricKind;
  /** Initial inverse metric (diagonal [dim], or dense [dim*dim] / its diagonal); identity by default. */
  readonly initialInverseMass?: Float64Array;
  /** Initial nominal step size (Stan's stepsize, default 1). */
  readonly initialStepSize: number;
  /** Step-size jitter in [0, 1) (Stan's stepsize_jitter, default 0). */
  readonly stepSizeJitter: number;
  readonly warmup: number;
  /** Sampling iterations (Stan's num_samples); ceil(draws / thin) are kept. */
  readonly draws: number;
  readonly thin: number;
  /** Adapt step size and metric during warmup (Stan's adapt engaged). */
  readonly adapt: boolean;
  readonly adaptation: AdaptationSettings;
  readonly init: InitSettings;
  readonly saveWarmup: boolean;
}

export const defaultChainSettings: Omit<ChainSettings, 'dim' | 'kernel' | 'warmup' | 'draws'> = {
  metricKind: 'diag',
  initialStepSize: 1,
  stepSizeJitter: 0,
  thin: 1,
  adapt: true,
  adaptation: stanAdaptationSettings,
  init: defaultInitSettings,
  saveWarmup: false,
};

export interface ChainOutput {
  /** Kept draws, row-major [numDraws, dim]. */
  readonly draws: Float64Array;
  readonly stats: DrawStats;
  /** Step size used for sampling (after adaptation). */
  readonly stepSize: number;
  /** Inverse metric used for sampling. */
  readonly inverseMetric: Float64Array;
  readonly warmupDivergences: number;
  /** Warmup draws and stats when saveWarmup is set. */
  readonly warmupDraws?: Float64Array;
  readonly warmupStats?: DrawStats;
}

/** Called after every iteration of a chain; `iteration` counts from 0 over warmup then sampling. */
export type IterationListener = (chain: number, iteration: number, phase: Phase, info: TransitionInfo) => void;

/** Number of draws kept from `draws` sampling iterations with thinning `thin` (Stan keeps iteration m when m % thin == 0). */
export function keptDraws(draws: number, thin: number): number {
  return Math.ceil(draws / thin);
}

/** One chain's run: init, warmup with adaptation, sampling. */
export function* runChain(
  settings: ChainSettings,
  chain: number,
  rng: Rng,
  initPosition?: Float64Array,
  onIteration?: IterationListener,
): Evaluating<ChainOutput> {
  const { dim, kernel, metricKind } = settings;
  let state: ChainState = yield* initialState(dim, rng, settings.init, initPosition);
  let metric: EuclideanMetric = createMetric(metricKind, dim, settings.initialInverseMass);
  let stepSize = settings.initialStepSize;

  const adapter =
    settings.adapt && settings.warmup > 0
      ? new WarmupAdapter(metricKind, dim, settings.warmup, stepSize, settings.adaptation)
      : null;
  if (adapter !== null) stepSize = yield* initialStepSize(state, stepSize, metric, rng);

  const warmupRecorder = new DrawRecorder(dim, settings.saveWarmup ? settings.warmup : 0);
  let warmupDivergences = 0;
  for (let iteration = 0; iteration < settings.warmup; iteration++) {
    const transition = yield* kernel(state, jitteredStepSize(stepSize, settings.stepSizeJitter, rng), metric, rng);
    state = transition.state;
    if (transition.info.divergent) warmupDivergences += 1;
    if (settings.saveWarmup) warmupRecorder.record(state.position, transition.info);
    if (adapter !== null) {
      const step = adapter.learn(iteration, transition.info.acceptStat, [state.position], metric.inverseMass);
      stepSize = step.stepSize;
      if (step.inverseMass !== null) {
        metric = createMetric(metricKind, dim, step.inverseMass);
        stepSize = yield* initialStepSize(state, stepSize, metric, rng);
        adapter.restart(stepSize);
      }
    }
    onIteration?.(chain, iteration, 'warmup', transition.info);
  }
  if (adapter !== null) stepSize = adapter.finalStepSize(stepSize);

  const recorder = new DrawRecorder(dim, keptDraws(settings.draws, settings.thin));
  for (let iteration = 0; iteration < settings.draws; iteration++) {
    const transition = yield* kernel(state, jitteredStepSize(stepSize, settings.stepSizeJitter, rng), metric, rng);
    state = transition.state;
    if (iteration % settings.thin === 0) recorder.record(state.position, transition.info);
    onIteration?.(chain, settings.warmup + iteration, 'sampling', transition.info);
  }

  return {
    draws: recorder.draws,
    stats: recorder.stats,
    stepSize,
    inverseMetric: Float64Array.from(metric.inverseMass),
    warmupDivergences,
    ...(settings.saveWarmup ? { warmupDraws: warmupRecorder.draws, warmupStats: warmupRecorder.stats } : {}),
  };
}
