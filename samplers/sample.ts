/**
 * The sampler's entry point: run several chains of NUTS (or static HMC) on a LogDensity with Stan's
 * warmup, all chains batched into one `evaluate` call per leapfrog step (lockstep.ts). Chain c draws
 * its randomness from createRng(seed, 'chain:' + c), so a chain's draws do not depend on how many
 * chains run beside it, and the same seed gives bit-identical results. Adaptation is per chain by
 * default (as Stan); `pooledAdaptation` shares one step size and metric across chains (pooled.ts).
 * Defaults follow Stan: diag metric, adapt_delta 0.8, max tree depth 10, max energy error 1000,
 * init radius 2, initial step size 1, no step-size jitter, warmup windows 75 / 25 / 50.
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { stanAdaptationSettings, type AdaptationSettings } from './adaptation/warmupAdapter.js';
import { keptDraws, runChain, type ChainOutput, type ChainSettings, type Phase } from './chain.js';
import { hmcKernel } from './hmc.js';
import { createEvaluationCounter, runLockstep, withChainLabel } from './lockstep.js';
import type { MetricKind } from './metric.js';
import { nutsKernel } from './nuts.js';
import { runPooled } from './pooled.js';
import { runStagedSync, type StagedWarmupSettings, type WarmupStageInfo } from './staged.js';
import type { DrawStats } from './recorder.js';
import type { TransitionInfo, TransitionKernel } from './state.js';

export type Algorithm = 'nuts' | 'hmc';
export type WarmupPlan = 'stan' | 'staged';

export interface SampleOptions {
  readonly chains: number;
  /** Warmup iterations per chain. */
  readonly warmup: number;
  /** Sampling iterations per chain (Stan's num_samples); ceil(draws / thin) draws are kept. */
  readonly draws: number;
  readonly seed: number | string;
  /** Default 'nuts'. */
  readonly algorithm?: Algorithm;
  /** Default 'diag'. */
  readonly metric?: MetricKind;
  /** Target acceptance statistic for step-size adaptation, default 0.8. */
  readonly adaptDelta?: number;
  /** NUTS maximum tree depth, default 10. */
  readonly maxTreeDepth?: number;
  /** Energy error that flags a divergence, default 1000. */
  readonly maxDeltaH?: number;
  /** Initial step size (the fixed one when not adapting), default 1. */
  readonly stepSize?: number;
  /** Step-size jitter in [0, 1), default 0. */
  readonly stepSizeJitter?: number;
  /** Initial inverse metric: diagonal [dim], or dense [dim*dim] (its diagonal [dim] also accepted). */
  readonly inverseMetric?: Float64Array;
  /** Adapt step size and metric during warmup, default true. */
  readonly adapt?: boolean;
  /**
   * 'stan' (default): Stan's windowed adaptation per chain. 'staged': the staged dense warmup
   * (staged.ts; needs metric 'dense'): stage 1 Stan's diagonal windows, then a dense metric from all
   * chains' draws pooled, re-estimated once.
   */
  readonly warmupPlan?: WarmupPlan;
  /** With warmupPlan 'staged': explicit stage lengths, stage 1's maximum tree depth and target acceptance (staged.ts). */
  readonly stagedWarmup?: StagedWarmupSettings;
  /** Share one step size and metric across chains during warmup, default false (per chain, as Stan). */
  readonly pooledAdaptation?: boolean;
  /** Dual averaging and window settings beyond adaptDelta (gamma, t0, kappa, initBuffer, termBuffer, baseWindow). */
  readonly adaptation?: Partial<Omit<AdaptationSettings, 'targetAcceptance'>>;
  /** Random inits are uniform(-initRadius, initRadius) per unconstrained coordinate, default 2. */
  readonly initRadius?: number;
  /** Initial positions: [dim] for every chain, or [chains * dim] one row per chain. */
  readonly init?: Float64Array;
  /** Keep every thin-th sampling iteration, default 1. */
  readonly thin?: number;
  /** Keep warmup draws and statistics too, default false. */
  readonly saveWarmup?: boolean;
  /** Static HMC: fixed number of leapfrog steps. */
  readonly hmcSteps?: number;
  /**
   * Static HMC: integration time; steps = max(1, floor(hmcPathLength / stepSize)).
   * Default 2 * pi (Stan's int_time) when hmcSteps is not given.
   */
  readonly hmcPathLength?: number;
  /** Index of the first chain (its RNG stream is 'chain:' + index), default 0; lets chains be split across workers. */
  readonly chainOffset?: number;
  readonly onProgress?: (progress: SampleProgress) => void;
}

export interface SampleProgress {
  readonly chains: number;
  /** The chain that just finished an iteration. */
  readonly chain: number;
  /** Iterations that chain has finished (warmup + sampling). */
  readonly iteration: number;
  /** warmup + draws. */
  readonly iterationsPerChain: number;
  readonly phase: Phase;
  /** Iterations finished over all chains. */
  readonly completed: number;
  /** chains * iterationsPerChain. */
  readonly total: number;
  /** Divergent transitions after warmup so far, over all chains. */
  readonly divergences: number;
  /** Divergent transitions during warmup so far, over all chains. */
  readonly warmupDivergences: number;
}

export interface WarmupResult {
  /** Adapted step size per chain (the step size used for sampling). */
  readonly stepSize: Float64Array;
  /** Adapted inverse metric per chain: diagonal [dim] or dense row-major [dim, dim]. */
  readonly inverseMetric: Float64Array[];
  /** Divergent warmup transitions per chain. */
  readonly divergences: Int32Array;
  /** With saveWarmup: warmup draws per chain, row-major [warmup, dim]. */
  readonly draws?: Float64Array[];
  readonly stats?: DrawStats[];
  /** With warmupPlan 'staged': what each stage cost. */
  readonly stages?: readonly WarmupStageInfo[];
}

export interface SampleResult {
  readonly dim: number;
  readonly chains: number;
  /** Kept draws per chain. */
  readonly numDraws: number;
  readonly algorithm: Algorithm;
  readonly metric: MetricKind;
  /** Unconstrained draws per chain, row-major [numDraws, dim]. */
  readonly draws: Float64Array[];
  /** Per-draw sampler statistics per chain. */
  readonly stats: DrawStats[];
  readonly warmup: WarmupResult;
  /** Divergent transitions after warmup, over all chains (kept or thinned away). */
  readonly divergences: number;
  /** Chain-gradients evaluated in total (initialization, heuristics, warmup, sampling). */
  readonly gradientEvaluations: number;
  /** Batched `evaluate` calls. */
  readonly evaluateCalls: number;
}

/** Run the sampler. */
export function sample(target: LogDensity, options: SampleOptions): SampleResult {
  const plan = options.warmupPlan ?? 'stan';
  if (plan === 'staged') return runStagedSync(options, (stage) => sample(target, stage));
  if (plan !== 'stan') throw new Error(`unknown warmup plan "${String(plan)}"; plans: stan, staged`);
  const dim = target.dim;
  const chains = options.chains;
  checkInteger('chains', chains, 1);
  checkInteger('warmup', options.warmup, 0);
  checkInteger('draws', options.draws, 0);
  checkInteger('dim', dim, 1);
  const thin = options.thin ?? 1;
  checkInteger('thin', thin, 1);
  const chainOffset = options.chainOffset ?? 0;
  checkInteger('chainOffset', chainOffset, 0);
  const algorithm = options.algorithm ?? 'nuts';
  const metricKind = options.metric ?? 'diag';
  if (algorithm !== 'nuts' && algorithm !== 'hmc') throw new Error(`unknown algorithm "${String(algorithm)}"`);
  if (metricKind !== 'diag' && metricKind !== 'dense') throw new Error(`unknown metric "${String(metricKind)}"`);
  const adaptDelta = options.adaptDelta ?? stanAdaptationSettings.targetAcceptance;
  if (!(adaptDelta > 0 && adaptDelta < 1)) throw new Error(`adaptDelta must be in (0, 1), got ${adaptDelta}`);
  const maxTreeDepth = options.maxTreeDepth ?? 10;
  checkInteger('maxTreeDepth', maxTreeDepth, 1);
  const maxDeltaH = options.maxDeltaH ?? 1000;
  if (!(maxDeltaH > 0)) throw new Error(`maxDeltaH must be > 0, got ${maxDeltaH}`);
  const stepSize = options.stepSize ?? 1;
  if (!(stepSize > 0 && Number.isFinite(stepSize))) throw new Error(`stepSize must be finite and > 0, got ${stepSize}`);
  const stepSizeJitter = options.stepSizeJitter ?? 0;
  if (!(stepSizeJitter >= 0 && stepSizeJitter < 1)) throw new Error(`stepSizeJitter must be in [0, 1), got ${stepSizeJitter}`);
  const initRadius = options.initRadius ?? 2;
  if (!(initRadius >= 0 && Number.isFinite(initRadius))) throw new Error(`initRadius must be finite and >= 0, got ${initRadius}`);
  if (options.inverseMetric !== undefined) {
    const length = options.inverseMetric.length;
    const ok = metricKind === 'diag' ? length === dim : length === dim || length === dim * dim;
    if (!ok) throw new Error(`inverseMetric has length ${length}, which does not fit a ${metricKind} metric of dim ${dim}`);
  }

  let kernel: TransitionKernel;
  if (algorithm === 'nuts') {
    kernel = nutsKernel({ maxTreeDepth, maxDeltaH });
  } else if (options.hmcSteps !== undefined) {
    checkInteger('hmcSteps', options.hmcSteps, 1);
    kernel = hmcKernel({ steps: options.hmcSteps, maxDeltaH });
  } else {
    const pathLength = options.hmcPathLength ?? 2 * Math.PI;
    if (!(pathLength > 0 && Number.isFinite(pathLength))) throw new Error(`hmcPathLength must be finite and > 0`);
    kernel = hmcKernel({ pathLength, maxDeltaH });
  }

  const inits: (Float64Array | undefined)[] = [];
  for (let k = 0; k < chains; k++) {
    const init = options.init;
    if (init === undefined) inits.push(undefined);
    else if (init.length === dim) inits.push(init);
    else if (init.length === chains * dim) inits.push(init.subarray(k * dim, (k + 1) * dim));
    else throw new Error(`init has length ${init.length}; expected ${dim} or chains * dim = ${chains * dim}`);
  }

  const settings: ChainSettings = {
    dim,
    kernel,
    metricKind,
    initialInverseMass: options.inverseMetric,
    initialStepSize: stepSize,
    stepSizeJitter,
    warmup: options.warmup,
    draws: options.draws,
    thin,
    adapt: options.adapt ?? true,
    adaptation: { ...stanAdaptationSettings, ...options.adaptation, targetAcceptance: adaptDelta },
    init: { radius: initRadius, maxTries: 100 },
    saveWarmup: options.saveWarmup ?? false,
  };

  const chainIds = Array.from({ length: chains }, (_, k) => chainOffset + k);
  const rngs = chainIds.map((c) => createRng(options.seed, `chain:${c}`));
  const counter = createEvaluationCounter();
  const progress = new ProgressTracker(chainIds.length, options.warmup + options.draws, options.onProgress);
  const onIteration = (chain: number, iteration: number, phase: Phase, info: TransitionInfo) =>
    progress.iterationDone(chain, iteration, phase, info);

  let outputs: ChainOutput[];
  if (options.pooledAdaptation) {
    outputs = runPooled(target, settings, chainIds, rngs, inits, counter, onIteration);
  } else {
    outputs = runLockstep(
      target,
      chainIds.map((c, k) => withChainLabel(c, runChain(settings, c, rngs[k], inits[k], onIteration))),
      counter,
    );
  }

  const saveWarmup = settings.saveWarmup;
  return {
    dim,
    chains,
    numDraws: keptDraws(options.draws, thin),
    algorithm,
    metric: metricKind,
    draws: outputs.map((output) => output.draws),
    stats: outputs.map((output) => output.stats),
    warmup: {
      stepSize: Float64Array.from(outputs.map((output) => output.stepSize)),
      inverseMetric: outputs.map((output) => output.inverseMetric),
      divergences: Int32Array.from(outputs.map((output) => output.warmupDivergences)),
      ...(saveWarmup
        ? {
            draws: outputs.map((output) => output.warmupDraws as Float64Array),
            stats: outputs.map((output) => output.warmupStats as DrawStats),
          }
        : {}),
    },
    divergences: progress.divergences,
    gradientEvaluations: counter.gradientEvaluations,
    evaluateCalls: counter.evaluateCalls,
  };
}

class ProgressTracker {
  divergences = 0;
  warmupDivergences = 0;
  private completed = 0;

  constructor(
    private readonly chains: number,
    private readonly iterationsPerChain: number,
    private readonly onProgress?: (progress: SampleProgress) => void,
  ) {}

  iterationDone(chain: number, iteration: number, phase: Phase, info: TransitionInfo): void {
    if (info.divergent) {
      if (phase === 'warmup') this.warmupDivergences += 1;
      else this.divergences += 1;
    }
    this.completed += 1;
    this.onProgress?.({
      chains: this.chains,
      chain,
      iteration: iteration + 1,
      iterationsPerChain: this.iterationsPerChain,
      phase,
      completed: this.completed,
      total: this.chains * this.iterationsPerChain,
      divergences: this.divergences,
      warmupDivergences: this.warmupDivergences,
    });
  }
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`);
}
