/**
 * The chain loop, the one for every warmup strategy (Stan's run_adaptive_sampler, generalized):
 * initialize, ask the warmup adapter what to do (adaptation/adapter.ts), run the warmup transitions,
 * showing each selected point and its transition info to the adapter and following its instruction
 * (continue with new kernel parameters, or first search a step size), take the adapter's final
 * parameters, then sample, keeping every `thin`-th draw.
 *
 * A chain's run is one program for the lockstep driver (lockstep.ts): it yields the positions it
 * needs evaluated and its adaptation requests. The adapter groups (adaptation/groups.ts) answer a
 * per-chain adapter's request at once, so chains drift apart in iteration count and every batched
 * evaluation stays as full as possible; a cross-chain adapter answers when all its chains have
 * asked. All of a chain's randomness comes from its own `rng`.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { AdapterInstruction } from './adaptation/adapter.js';
import type { AdaptationReplies, AdaptationReply, AdaptationRequest } from './adaptation/groups.js';
import type { Evaluating, PointEvaluation } from './evaluation.js';
import { initialState, type InitSettings } from './initialize.js';
import { transition, type KernelParameters } from './kernel.js';
import type { CoordinatedProgram } from './lockstep.js';
import { DrawRecorder, type DrawStats } from './recorder.js';
import type { ChainState, TransitionInfo } from './state.js';
import type { Phase } from './types.js';

/** A chain's program: yields positions to evaluate and adaptation requests. */
export type ChainProgram<T> = CoordinatedProgram<T, AdaptationRequest, AdaptationReply>;

/** Called after every iteration of a chain; `iteration` counts from 0 over warmup then sampling. */
export type IterationListener = (chain: number, iteration: number, phase: Phase, info: TransitionInfo) => void;

export interface ChainSettings {
  /** The chain's id (its RNG stream is 'chain:' + id); names it in progress and errors. */
  readonly chain: number;
  readonly dim: number;
  readonly rng: Rng;
  readonly init: InitSettings;
  /** A given initial position, else a random one. */
  readonly initPosition?: Float64Array;
  readonly warmup: number;
  /** Sampling iterations (Stan's num_samples); ceil(draws / thin) are kept. */
  readonly draws: number;
  readonly thin: number;
  readonly saveWarmup: boolean;
  readonly onIteration?: IterationListener;
  /** Called at every iteration boundary (right before a transition), for checkpoints (checkpoint.ts). */
  readonly onBoundary?: (position: ChainPosition) => void;
  /** Continue from a checkpoint's boundary instead of initializing. */
  readonly resume?: ChainResume;
}

/** Where a chain is at an iteration boundary; its recorders hold its draws so far. */
export interface ChainPosition {
  readonly phase: Phase;
  /** The next iteration of `phase`, 0-based. */
  readonly iteration: number;
  readonly state: ChainState;
  readonly warmupDivergences: number;
  readonly samplingDivergences: number;
  /** Positions evaluated for this chain so far. */
  readonly gradients: number;
  readonly warmupRecorder: DrawRecorder;
  readonly recorder: DrawRecorder;
}

/** A boundary to continue from, with the kernel parameters the chain held there and its draws so far. */
export interface ChainResume {
  readonly phase: Phase;
  readonly iteration: number;
  readonly state: ChainState;
  readonly parameters: KernelParameters;
  readonly warmupDivergences: number;
  readonly samplingDivergences: number;
  readonly gradients: number;
  readonly draws: Float64Array;
  readonly stats: DrawStats;
  readonly warmupDraws?: Float64Array;
  readonly warmupStats?: DrawStats;
}

export interface ChainOutput {
  /** Kept draws, row-major [numDraws, dim]. */
  readonly draws: Float64Array;
  readonly stats: DrawStats;
  /** The kernel parameters used for sampling (after adaptation). */
  readonly parameters: KernelParameters;
  readonly warmupDivergences: number;
  /** Warmup draws and stats when saveWarmup is set. */
  readonly warmupDraws?: Float64Array;
  readonly warmupStats?: DrawStats;
}

/** Number of draws kept from `draws` sampling iterations with thinning `thin` (Stan keeps iteration m when m % thin == 0). */
export function keptDraws(draws: number, thin: number): number {
  return Math.ceil(draws / thin);
}

/** One chain's run: init, warmup as its adapter instructs, sampling (or the rest of them, from a checkpoint). */
export function* runChain(settings: ChainSettings): ChainProgram<ChainOutput> {
  const { chain, dim, rng, resume } = settings;
  const counter = { gradients: resume?.gradients ?? 0 };
  const warmupRecorder = new DrawRecorder(dim, settings.saveWarmup ? settings.warmup : 0);
  const recorder = new DrawRecorder(dim, keptDraws(settings.draws, settings.thin));
  let warmupDivergences = resume?.warmupDivergences ?? 0;
  let samplingDivergences = resume?.samplingDivergences ?? 0;
  let state: ChainState;
  let parameters: KernelParameters;
  if (resume) {
    state = resume.state;
    parameters = resume.parameters;
    if (settings.saveWarmup && resume.warmupDraws && resume.warmupStats) warmupRecorder.prefill(resume.warmupDraws, resume.warmupStats);
    recorder.prefill(resume.draws, resume.stats);
  } else {
    state = yield* evaluating(initialState(dim, rng, settings.init, settings.initPosition), counter);
    parameters = yield* follow(yield* ask({ kind: 'init', state }), state, rng, counter);
  }
  const boundary = (phase: Phase, iteration: number): void =>
    settings.onBoundary?.({ phase, iteration, state, warmupDivergences, samplingDivergences, gradients: counter.gradients, warmupRecorder, recorder });

  const sampling = resume?.phase === 'sampling';
  for (let iteration = sampling ? settings.warmup : (resume?.iteration ?? 0); iteration < settings.warmup; iteration++) {
    boundary('warmup', iteration);
    const next = yield* evaluating(transition(state, parameters, rng), counter);
    state = next.state;
    if (next.info.divergent) warmupDivergences += 1;
    if (settings.saveWarmup) warmupRecorder.record(state.position, next.info);
    const instruction = (yield { kind: 'update', iteration, draw: next }) as AdaptationReplies['update'];
    parameters = instruction.kind === 'continue' ? instruction.parameters : yield* follow(instruction, state, rng, counter);
    settings.onIteration?.(chain, iteration, 'warmup', next.info);
  }
  if (!sampling) parameters = yield* ask({ kind: 'final' });

  for (let iteration = sampling ? resume.iteration : 0; iteration < settings.draws; iteration++) {
    boundary('sampling', iteration);
    const next = yield* evaluating(transition(state, parameters, rng), counter);
    state = next.state;
    if (next.info.divergent) samplingDivergences += 1;
    if (iteration % settings.thin === 0) recorder.record(state.position, next.info);
    settings.onIteration?.(chain, settings.warmup + iteration, 'sampling', next.info);
    yield { kind: 'sampled' };
  }

  return {
    draws: recorder.draws,
    stats: recorder.stats,
    parameters,
    warmupDivergences,
    ...(settings.saveWarmup ? { warmupDraws: warmupRecorder.draws, warmupStats: warmupRecorder.stats } : {}),
  };
}

/** Do what the adapter says; returns the parameters for the next transition. */
function* follow(instruction: AdapterInstruction, state: ChainState, rng: Rng, counter: { gradients: number }): ChainProgram<KernelParameters> {
  if (instruction.kind === 'continue') return instruction.parameters;
  const { parameters, search } = instruction;
  const stepSize = yield* evaluating(search(state, parameters.stepSize, parameters.metric, rng), counter);
  return yield* ask({ kind: 'searched', stepSize });
}

/** Ask the adapter; the driver answers each kind of request with its kind of reply. */
function* ask<R extends AdaptationRequest>(request: R): ChainProgram<AdaptationReplies[R['kind']]> {
  return (yield request) as AdaptationReplies[R['kind']];
}

/** Run an evaluation program inside a chain program; the driver answers its positions with their evaluations. */
function* evaluating<T>(program: Evaluating<T>, counter: { gradients: number }): ChainProgram<T> {
  let step = program.next();
  while (!step.done) {
    counter.gradients += 1;
    step = program.next((yield step.value) as PointEvaluation);
  }
  return step.value;
}
