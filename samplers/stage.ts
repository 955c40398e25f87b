/**
 * One stage of a warmup plan (plan.ts) for some of the run's chains: build each chain's program
 * (chain.ts) and the strategy's adapter groups (adaptation/strategies.ts), run them in lockstep with
 * one batched evaluation per round (lockstep.ts), and collect draws, statistics and the adapted
 * kernel parameters. A stage is described by a `StageRequest`, plain data, so the same function runs
 * a stage in-process (`sample`) and in a worker thread on that worker's share of the chains
 * (src/inference/parallel.ts). Chain c draws its randomness from createRng(seed, 'chain:' + c), so
 * a chain's draws do not depend on which chains run beside it unless its strategy pools them.
 * With `request.checkpoint` the stage records each chain's latest iteration boundary and its adapter
 * groups' calls, reports snapshots between lockstep rounds, and can start from one (checkpoint.ts).
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import { createRng, restoreRng, type Rng } from '../src/tensor/rng.js';
import { AdaptationCoordinator, type AdapterGroup } from './adaptation/groups.js';
import { adapterGroups, type AdapterSpec } from './adaptation/strategies.js';
import { keptDraws, runChain, type ChainOutput, type ChainPosition, type ChainResume } from './chain.js';
import {
  recordedPrefix,
  replayAdapter,
  SamplingInterrupted,
  stageSnapshotFor,
  type AdapterCall,
  type ChainSnapshot,
  type StageCheckpointing,
  type StageHooks,
  type StageSnapshot,
} from './checkpoint.js';
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
  /** Take checkpoints (and maybe continue from one): checkpoint.ts. */
  readonly checkpoint?: StageCheckpointing;
}

/** The chain ids a request runs. */
export function requestChainIds(request: StageRequest): number[] {
  const part = request.part ?? { first: request.firstChain, count: request.chains };
  return Array.from({ length: part.count }, (_, k) => part.first + k);
}

/** Run one stage on `target`; with `request.checkpoint`, snapshots go to `hooks.onSnapshot` (checkpoint.ts). */
export function runStage(target: LogDensity, request: StageRequest, onProgress?: (progress: SampleProgress) => void, hooks: StageHooks = {}): StageResult {
  const dim = target.dim;
  const chainIds = requestChainIds(request);
  const lastId = request.firstChain + request.chains - 1;
  if (chainIds.some((c) => c < request.firstChain || c > lastId)) {
    throw new Error(`stage request: chains ${chainIds[0]}..${chainIds[chainIds.length - 1]} are not among the run's ${request.firstChain}..${lastId}`);
  }
  const checkpointing = request.checkpoint;
  const initial: KernelParameters = { ...request.kernel, stepSize: request.stepSize, metric: initialMetric(request.metric, dim) };
  const groups = adapterGroups(request.adaptation, { dim, warmup: request.warmup, chains: chainIds.length, initial });
  const restored = checkpointing?.resume ? restoreStage(stageSnapshotFor(checkpointing.resume, chainIds), chainIds, groups, dim) : undefined;
  const progress = new ProgressTracker(chainIds.length, request.warmup + request.draws, onProgress, request.warmup, restored?.chains);
  const onIteration = (chain: number, iteration: number, phase: Phase, info: TransitionInfo) => progress.iterationDone(chain, iteration, phase, info);
  const rngs: Rng[] = chainIds.map((c, k) => {
    const resume = restored?.chains[k];
    return resume ? restoreRng(resume.snapshot.rng) : createRng(request.seed, `chain:${c}`);
  });
  // Each chain's latest boundary, with its RNG state and its group's answered calls at that moment.
  const boundaries: (ChainBoundaryRecord | undefined)[] = chainIds.map(() => undefined);
  let coordinator: AdaptationCoordinator | undefined = undefined;
  const programs = chainIds.map((c, k) =>
    withChainLabel(
      c,
      runChain({
        chain: c,
        dim,
        rng: rngs[k],
        init: { radius: request.init.radius, maxTries: 100 },
        initPosition: initPosition(request, c, dim),
        warmup: request.warmup,
        draws: request.draws,
        thin: request.thin,
        saveWarmup: request.saveWarmup,
        onIteration,
        ...(restored?.chains[k] ? { resume: restored.chains[k]!.resume } : {}),
        ...(checkpointing
          ? { onBoundary: (position: ChainPosition) => (boundaries[k] = { position, rng: rngs[k].state(), adapterCalls: coordinator!.answeredCalls(k) }) }
          : {}),
      }),
    ),
  );
  coordinator = new AdaptationCoordinator(groups, programs.length, checkpointing ? groups.map((_, g) => [...(restored?.logs[g] ?? [])]) : undefined);
  const counter = createEvaluationCounter();
  counter.gradientEvaluations = restored ? restored.chains.reduce((n, chain) => n + (chain?.resume.gradients ?? 0), 0) : 0;
  let betweenRounds: (() => void) | undefined;
  if (checkpointing) {
    const snapshot = () => takeSnapshot(boundaries, chainIds, groups, coordinator!.logs!, dim, request.saveWarmup, request.thin);
    let last = performance.now();
    betweenRounds = () => {
      if (hooks.shouldStop?.()) {
        hooks.onSnapshot?.(snapshot());
        throw new SamplingInterrupted();
      }
      const now = performance.now();
      if (now - last < 1000 * checkpointing.seconds) return;
      last = now;
      hooks.onSnapshot?.(snapshot());
    };
  }
  const outputs: ChainOutput[] = runCoordinated(target, programs, coordinator, counter, betweenRounds);

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

interface ChainBoundaryRecord {
  readonly position: ChainPosition;
  readonly rng: ReturnType<Rng['state']>;
  readonly adapterCalls: number;
}

/** The snapshot of every chain at its latest boundary, with the prefixes of its group's log those boundaries need. */
function takeSnapshot(
  boundaries: readonly (ChainBoundaryRecord | undefined)[],
  chainIds: readonly number[],
  groups: readonly AdapterGroup[],
  logs: readonly (readonly AdapterCall[])[],
  dim: number,
  saveWarmup: boolean,
  thin: number,
): StageSnapshot {
  const chains: ChainSnapshot[] = [];
  boundaries.forEach((record, k) => {
    if (!record) return;
    const { position } = record;
    const warmupCount = position.phase === 'warmup' ? position.iteration : position.warmupRecorder.capacity;
    // the rows recorded by the boundary (a chain waiting on its group may have recorded one more since)
    const kept = position.phase === 'warmup' ? 0 : keptDraws(position.iteration, thin);
    const sampled = recordedPrefix(position.recorder.draws, position.recorder.stats, kept, dim);
    const warmup = saveWarmup ? recordedPrefix(position.warmupRecorder.draws, position.warmupRecorder.stats, warmupCount, dim) : undefined;
    chains.push({
      chain: chainIds[k],
      phase: position.phase,
      iteration: position.iteration,
      state: position.state,
      rng: record.rng,
      warmupDivergences: position.warmupDivergences,
      samplingDivergences: position.samplingDivergences,
      gradients: position.gradients,
      adapterCalls: record.adapterCalls,
      draws: sampled.draws,
      stats: sampled.stats,
      ...(warmup ? { warmupDraws: warmup.draws, warmupStats: warmup.stats } : {}),
    });
  });
  const groupLogs = groups.flatMap((group, g) => {
    const calls = Math.max(0, ...group.members.map((m) => boundaries[m]?.adapterCalls ?? 0));
    return calls === 0 ? [] : [{ chains: group.members.map((m) => chainIds[m]), calls: logs[g].slice(0, calls) }];
  });
  return { chains, groups: groupLogs };
}
/** A stage's chains and adapter groups put back from a snapshot (of this request's chains). */
interface RestoredStage {
  /** Per program: the chain's resume and its snapshot, or undefined to start afresh. */
  readonly chains: readonly ({ readonly resume: ChainResume; readonly snapshot: ChainSnapshot } | undefined)[];
  /** Per group: the calls replayed into its adapter (the start of its log). */
  readonly logs: readonly (readonly AdapterCall[])[];
}

function restoreStage(snapshot: StageSnapshot, chainIds: readonly number[], groups: readonly AdapterGroup[], dim: number): RestoredStage {
  const byChain = new Map(snapshot.chains.map((c) => [c.chain, c]));
  const chains: ({ resume: ChainResume; snapshot: ChainSnapshot } | undefined)[] = chainIds.map(() => undefined);
  const logs = groups.map((group) => {
    const ids = group.members.map((m) => chainIds[m]);
    const members = ids.map((id) => byChain.get(id));
    if (members.every((m) => m === undefined)) return [];
    if (members.some((m) => m === undefined) || members.some((m) => m!.adapterCalls !== members[0]!.adapterCalls)) {
      throw new Error(`checkpoint: the chains ${ids.join(', ')} adapt together but were saved at different points`);
    }
    const log = snapshot.groups.find((g) => g.chains.length === ids.length && g.chains.every((id, i) => id === ids[i]));
    if (!log || log.calls.length < members[0]!.adapterCalls) throw new Error(`checkpoint: the adaptation log of chains ${ids.join(', ')} is missing or short`);
    const calls = log.calls.slice(0, members[0]!.adapterCalls);
    const parameters = replayAdapter(group.adapter, calls);
    group.members.forEach((m, slot) => {
      const saved = members[slot]!;
      if (saved.state.position.length !== dim) throw new Error(`checkpoint: chain ${saved.chain} has a position of length ${saved.state.position.length}, the model's dimension is ${dim}`);
      chains[m] = {
        snapshot: saved,
        resume: {
          phase: saved.phase,
          iteration: saved.iteration,
          state: saved.state,
          parameters: parameters[slot],
          warmupDivergences: saved.warmupDivergences,
          samplingDivergences: saved.samplingDivergences,
          gradients: saved.gradients,
          draws: saved.draws,
          stats: saved.stats,
          ...(saved.warmupDraws && saved.warmupStats ? { warmupDraws: saved.warmupDraws, warmupStats: saved.warmupStats } : {}),
        },
      };
    });
    return calls;
  });
  return { chains, logs };
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
    warmup = 0,
    resumed?: RestoredStage['chains'],
  ) {
    for (const chain of resumed ?? []) {
      if (!chain) continue;
      const { resume } = chain;
      this.divergences += resume.samplingDivergences;
      this.warmupDivergences += resume.warmupDivergences;
      this.gradients += resume.gradients;
      this.completed += resume.phase === 'warmup' ? resume.iteration : warmup + resume.iteration;
    }
  }

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
