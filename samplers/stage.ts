/**
 * One stage of a warmup plan (plan.ts) for some of the run's chains: build each chain's program
 * (chain.ts) and the strategy's adapter groups (adaptation/strategies.ts), run them in lockstep with
 * one batched evaluation per round (lockstep.ts), and collect draws, statistics and the adapted
 * kernel parameters. A stage is described by a `StageRequest`, plain data, so the same function runs
 * a stage in-process (`sample`) and in a worker thread on that worker's share of the chains
 * (src/inference/parallel.ts). Chain c draws its randomness from createRng(seed, 'chain:' + c), so
 * a chain's draws do not depend on which chains run beside it unless its strategy pools them.
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng } from '../src/tensor/rng.js';
import { AdaptationCoordinator } from './adaptation/groups.js';
import { adapterGroups, type AdapterSpec } from './adaptation/strategies.js';
import { keptDraws, runChain, type ChainOutput } from './chain.js';
import type { KernelParameters, KernelSpec } from './kernel.js';
import { createEvaluationCounter, runCoordinated, withChainLabel } from './lockstep.js';
import { createMetric, type MetricKind } from './metric.js';
import type { TransitionInfo } from './state.js';
import type { Phase, SampleProgress, StageResult } from './types.js';

/** The metric a stage starts from. */
export interface MetricSpec {
  readonly kind: MetricKind;
  /** Diagonal [dim], or dense [dim * dim] (or its diagonal); identity when absent. */
  readonly inverseMass?: Float64Array;
}

/** Where a stage's chains start. */
export interface InitSpec {
  /** Random inits are uniform(-radius, radius) per coordinate (used when `positions` is absent). */
  readonly radius: number;
  /** [dim] for every chain, or [chains * dim] one row per chain of the run. */
  readonly positions?: Float64Array;
}

export interface StageRequest {
  readonly seed: number | string;
  /** The run's chains: ids firstChain .. firstChain + chains - 1. */
  readonly firstChain: number;
  readonly chains: number;
  /** The chains this request runs (ids, a contiguous part of the run's; default all of them). */
  readonly part?: { readonly first: number; readonly count: number };
  readonly warmup: number;
  /** Sampling iterations; ceil(draws / thin) are kept. */
  readonly draws: number;
  readonly thin: number;
  readonly saveWarmup: boolean;
  readonly kernel: KernelSpec;
  /** Nominal step size at the start. */
  readonly stepSize: number;
  readonly metric: MetricSpec;
  readonly adaptation: AdapterSpec;
  readonly init: InitSpec;
}

/** The chain ids a request runs. */
export function requestChainIds(request: StageRequest): number[] {
  const part = request.part ?? { first: request.firstChain, count: request.chains };
  return Array.from({ length: part.count }, (_, k) => part.first + k);
}

/** Run one stage on `target`. */
export function runStage(target: LogDensity, request: StageRequest, onProgress?: (progress: SampleProgress) => void): StageResult {
  const dim = target.dim;
  const chainIds = requestChainIds(request);
  const lastId = request.firstChain + request.chains - 1;
  if (chainIds.some((c) => c < request.firstChain || c > lastId)) {
    throw new Error(`stage request: chains ${chainIds[0]}..${chainIds[chainIds.length - 1]} are not among the run's ${request.firstChain}..${lastId}`);
  }
  const initial: KernelParameters = { ...request.kernel, stepSize: request.stepSize, metric: initialMetric(request.metric, dim) };
  const progress = new ProgressTracker(chainIds.length, request.warmup + request.draws, onProgress);
  const onIteration = (chain: number, iteration: number, phase: Phase, info: TransitionInfo) => progress.iterationDone(chain, iteration, phase, info);
  const programs = chainIds.map((c) =>
    withChainLabel(
      c,
      runChain({
        chain: c,
        dim,
        rng: createRng(request.seed, `chain:${c}`),
        init: { radius: request.init.radius, maxTries: 100 },
        initPosition: initPosition(request, c, dim),
        warmup: request.warmup,
        draws: request.draws,
        thin: request.thin,
        saveWarmup: request.saveWarmup,
        onIteration,
      }),
    ),
  );
  const groups = adapterGroups(request.adaptation, { dim, warmup: request.warmup, chains: chainIds.length, initial });
  const counter = createEvaluationCounter();
  const outputs: ChainOutput[] = runCoordinated(target, programs, new AdaptationCoordinator(groups, programs.length), counter);

  return {
    dim,
    chains: chainIds.length,
    numDraws: keptDraws(request.draws, request.thin),
    draws: outputs.map((output) => output.draws),
    stats: outputs.map((output) => output.stats),
    warmup: {
      stepSize: Float64Array.from(outputs.map((output) => output.parameters.stepSize)),
      inverseMetric: outputs.map((output) => Float64Array.from(output.parameters.metric.inverseMass)),
      divergences: Int32Array.from(outputs.map((output) => output.warmupDivergences)),
      ...(request.saveWarmup
        ? {
            draws: outputs.map((output) => output.warmupDraws as Float64Array),
            stats: outputs.map((output) => output.warmupStats!),
          }
        : {}),
    },
    divergences: progress.divergences,
    gradientEvaluations: counter.gradientEvaluations,
    evaluateCalls: counter.evaluateCalls,
  };
}

function initialMetric(spec: MetricSpec, dim: number) {
  const given = spec.inverseMass;
  if (given !== undefined) {
    const fits = spec.kind === 'diag' ? given.length === dim : given.length === dim || given.length === dim * dim;
    if (!fits) throw new Error(`the initial inverse metric has length ${given.length}, which does not fit a ${spec.kind} metric of dim ${dim}`);
  }
  return createMetric(spec.kind, dim, given);
}

function initPosition(request: StageRequest, chain: number, dim: number): Float64Array | undefined {
  const positions = request.init.positions;
  if (positions === undefined) return undefined;
  if (positions.length === dim) return positions;
  if (positions.length === request.chains * dim) {
    const row = chain - request.firstChain;
    return positions.subarray(row * dim, (row + 1) * dim);
  }
  throw new Error(`init.positions has length ${positions.length}; expected dim = ${dim} or chains * dim = ${request.chains * dim}`);
}

/** Progress of a stage's chains, and its divergence counts. */
class ProgressTracker {
  divergences = 0;
  warmupDivergences = 0;
  gradients = 0;
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
    this.gradients += info.nLeapfrog;
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
      gradients: this.gradients,
    });
  }
}
