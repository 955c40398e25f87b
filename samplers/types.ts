/**
 * The sampler's public types: what `sample` takes (SampleOptions) and returns (SampleResult), and
 * its progress reports. The options are built so that invalid combinations cannot be written: the
 * warmup strategy is a discriminated union (`adaptation.kind`), each variant carrying only the
 * settings that mean something for it (the staged plan always adapts a dense metric and takes no
 * initial metric; nutpie's low-rank settings exist only with its low-rank metric; no adaptation
 * means a fixed step size and metric), and a static HMC kernel pairs only with the strategies
 * written for it (not the staged plan nor nutpie's, which are NUTS only). Defaults follow Stan (Stan Reference Manual, "MCMC
 * sampling"; CmdStan's sample method): NUTS, max tree depth 10, max energy error 1000, no step-size
 * jitter, init radius 2, Stan's windowed adaptation per chain of a diagonal metric, target acceptance
 * 0.8, initial step size 1, windows 75 / 25... / 50.
 */
import type { DualAveragingConstants } from './adaptation/dualAveraging.js';
import type { LowRankFisherSettings } from './adaptation/lowRankFisher.js';
import type { NutpieScheduleSettings } from './adaptation/nutpieSchedule.js';
import type { WindowSettings } from './adaptation/windows.js';
import type { MetricKind } from './metric.js';
import type { RunSnapshot } from './checkpoint.js';
import type { DrawStats } from './recorder.js';

export type Algorithm = 'nuts' | 'hmc';

/** Settings every kernel has. */
interface KernelCommon {
  /** Energy error above which a transition counts as divergent (Stan's max_deltaH), default 1000. */
  readonly maxDeltaH?: number;
  /** Step-size jitter in [0, 1) (Stan's stepsize_jitter), default 0. */
  readonly stepSizeJitter?: number;
}

/** The No-U-Turn Sampler (the default kernel). */
export interface NutsKernelOptions extends KernelCommon {
  readonly algorithm: 'nuts';
  /** Maximum number of tree doublings (Stan's max_depth), default 10. */
  readonly maxTreeDepth?: number;
}

/** Static HMC with a fixed number of leapfrog steps. */
export interface StaticHmcStepsOptions extends KernelCommon {
  readonly algorithm: 'hmc';
  readonly steps: number;
  readonly pathLength?: never;
}

/** Static HMC with a fixed integration time: max(1, floor(pathLength / stepSize)) steps (Stan's int_time, default 2 pi). */
export interface StaticHmcPathOptions extends KernelCommon {
  readonly algorithm: 'hmc';
  readonly pathLength?: number;
  readonly steps?: never;
}

export type StaticHmcOptions = StaticHmcStepsOptions | StaticHmcPathOptions;
export type KernelOptions = NutsKernelOptions | StaticHmcOptions;

/** Settings of the step-size dual averaging every adapting strategy shares. */
interface StepSizeAdaptation {
  /** Target acceptance statistic of the step-size adaptation (Stan's adapt_delta), default 0.8. */
  readonly targetAcceptance?: number;
  /** Step size at the start of warmup, default 1 (Stan's stepsize). */
  readonly initialStepSize?: number;
  /** Dual averaging constants beyond the target (Stan's gamma 0.05, t0 10, kappa 0.75; no step-size cap, nutpie's pi). */
  readonly dualAveraging?: Partial<DualAveragingConstants>;
}

/**
 * Stan's windowed adaptation (adaptation/stanAdapter.ts): dual averaging of the step size and a
 * Welford estimate of a diagonal or dense metric over doubling windows, per chain as Stan does, or
 * pooled: one step size and metric learned from all chains together (they then run in one process).
 */
export interface StanAdaptationOptions extends StepSizeAdaptation {
  readonly kind: 'stan';
  /** Default 'diag'. */
  readonly metric?: 'diag' | 'dense';
  /** Share one step size and metric across chains, default false (per chain, as Stan). */
  readonly pooled?: boolean;
  /** Inverse metric at the start: diagonal [dim], or dense [dim * dim] (its diagonal [dim] also accepted); identity by default. */
  readonly initialInverseMetric?: Float64Array;
  /** Window lengths (Stan's init_buffer 75, window 25, term_buffer 50). */
  readonly windows?: Partial<Omit<WindowSettings, 'adaptMetric'>>;
}

/** Step size only: Stan's dual averaging with the metric kept as given (Stan's windows without slow windows). */
export interface StepSizeAdaptationOptions extends StepSizeAdaptation {
  readonly kind: 'stepSize';
  /** Default 'diag'. */
  readonly metric?: 'diag' | 'dense';
  /** The metric: diagonal [dim], or dense [dim * dim] (or its diagonal); identity by default. */
  readonly inverseMetric?: Float64Array;
}

/** Lengths of the staged plan's stages (staged.ts). */
export interface StagedWarmupLengths {
  readonly diag: number;
  /** One dense window, or several: each re-estimates the metric from the previous window's draws. */
  readonly dense: number | readonly number[];
  readonly final: number;
}

/**
 * The staged dense warmup (staged.ts): Stan's diagonal windows per chain, then a dense metric
 * estimated from all chains' draws pooled, re-estimated after each dense window. NUTS only; it
 * learns its own dense metric.
 */
export interface StagedAdaptationOptions extends StepSizeAdaptation {
  readonly kind: 'staged';
  /** Explicit stage lengths summing to the warmup (default 50% / 30% / 20%). */
  readonly lengths?: StagedWarmupLengths;
  /** Maximum tree depth of stage 1 only (default: the kernel's). */
  readonly diagMaxTreeDepth?: number;
  /** Target acceptance of stage 1 only (default: targetAcceptance). */
  readonly diagTargetAcceptance?: number;
  /** Stage 1's window lengths (Stan's). */
  readonly windows?: Partial<Omit<WindowSettings, 'adaptMetric'>>;
}

/** Settings both of nutpie's metrics share. */
interface NutpieCommonOptions extends StepSizeAdaptation {
  readonly kind: 'nutpie';
  /** The window schedule (nuts-rs defaults: 30% early windows of 10, main windows from 80 growing x1.5, final 15% step size only). */
  readonly schedule?: Partial<NutpieScheduleSettings>;
}

/**
 * nutpie's adaptation with its diagonal Fisher metric, per chain (adaptation/nutpieAdapter.ts):
 * M^-1 = sqrt(Var x / Var grad) over windows that switch early and often, the step size searched
 * again at the first metric change. NUTS only; the warmup's length is the run's `warmup`
 * (nutpie's default is 400).
 */
export interface NutpieDiagAdaptationOptions extends NutpieCommonOptions {
  readonly metric?: 'diag';
  /**
   * Start from this diagonal inverse metric instead of nutpie's 1 / |gradient| at the initial
   * points (e.g. variances from a pilot run); the first window's estimate replaces it as usual.
   */
  readonly initialInverseMetric?: Float64Array;
  readonly lowRank?: never;
  readonly pooled?: never;
}

/**
 * nutpie's adaptation with its low-rank Fisher metric (adaptation/lowRankFisher.ts), estimated per
 * chain from its own windows (as nutpie; the chains may run on separate threads), or with `pooled`
 * from all chains' windows pooled (the chains then run in one process and share one step size).
 */
export interface NutpieLowRankAdaptationOptions extends NutpieCommonOptions {
  readonly metric: 'lowRank';
  /** Pool the chains' windows for one shared metric (default false: per chain, as nutpie). */
  readonly pooled?: boolean;
  /** gamma 1e-5 and the eigenvalue cutoff 2 of nuts-rs. */
  readonly lowRank?: Partial<LowRankFisherSettings>;
}

export type NutpieAdaptationOptions = NutpieDiagAdaptationOptions | NutpieLowRankAdaptationOptions;

/** No adaptation: warmup iterations (if any) and sampling use this step size and metric. */
export interface NoAdaptationOptions {
  readonly kind: 'none';
  /** Default 1. */
  readonly stepSize?: number;
  /** Default 'diag'. */
  readonly metric?: 'diag' | 'dense';
  /** Diagonal [dim], or dense [dim * dim] (or its diagonal); identity by default. */
  readonly inverseMetric?: Float64Array;
}

/** Every warmup strategy; the default is `{ kind: 'stan' }`. */
export type AdaptationOptions =
  | StanAdaptationOptions
  | StepSizeAdaptationOptions
  | StagedAdaptationOptions
  | NutpieAdaptationOptions
  | NoAdaptationOptions;

/** The strategies a static HMC kernel can be warmed up with. */
export type StaticHmcAdaptationOptions = StanAdaptationOptions | StepSizeAdaptationOptions | NoAdaptationOptions;

/** Where chains start. */
export type InitOptions =
  /** Each unconstrained coordinate uniform in (-radius, radius), retried while not finite (Stan's init; default radius 2). */
  | { readonly radius: number }
  /** Given positions: [dim] for every chain, or [chains * dim] one row per chain. */
  | { readonly positions: Float64Array };

interface RunOptions {
  readonly chains: number;
  /** Warmup iterations per chain (the strategy's whole length, e.g. all stages of the staged plan). */
  readonly warmup: number;
  /** Sampling iterations per chain (Stan's num_samples); ceil(draws / thin) draws are kept. */
  readonly draws: number;
  readonly seed: number | string;
  readonly init?: InitOptions;
  /** Keep every thin-th sampling iteration, default 1. */
  readonly thin?: number;
  /** Keep warmup draws and statistics too, default false. */
  readonly saveWarmup?: boolean;
  /** Index of the first chain (its RNG stream is 'chain:' + index), default 0: chains can be split across processes. */
  readonly chainOffset?: number;
  readonly onProgress?: (progress: SampleProgress) => void;
  /** Take checkpoints, and maybe continue from one (checkpoint.ts). */
  readonly checkpoint?: CheckpointOptions;
}

/**
 * Checkpoints of a run: snapshots (plain data with typed arrays) at most every `seconds`, and at the
 * start of each later stage of a warmup plan; a run given one of them as `resume`, with the same
 * target, seed and settings, continues to the draws an uninterrupted run gives (checkpoint.ts).
 */
export interface CheckpointOptions {
  /** At most this often, seconds; default 60. 0 takes one between every two lockstep rounds (tests). */
  readonly seconds?: number;
  readonly onSnapshot: (snapshot: RunSnapshot) => void;
  readonly resume?: RunSnapshot;
  /** Polled between rounds: true takes a snapshot, reports it and stops the run with SamplingInterrupted. */
  readonly shouldStop?: () => boolean;
}

/** NUTS (the default kernel) with any warmup strategy. */
export interface NutsSampleOptions extends RunOptions {
  readonly kernel?: NutsKernelOptions;
  readonly adaptation?: AdaptationOptions;
}

/** Static HMC with a strategy that does not need NUTS. */
export interface StaticHmcSampleOptions extends RunOptions {
  readonly kernel: StaticHmcOptions;
  readonly adaptation?: StaticHmcAdaptationOptions;
}

export type SampleOptions = NutsSampleOptions | StaticHmcSampleOptions;

export type Phase = 'warmup' | 'sampling';

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
  /**
   * Leapfrog steps so far over all chains, i.e. chain-gradient evaluations of the transitions
   * (a step-size search's few are not counted): with the elapsed time, the gradients per second.
   */
  readonly gradients: number;
}

/** What each stage of a multi-stage plan cost: an info record for benchmarks and logs. */
export interface WarmupStageInfo {
  readonly stage: 'diag' | 'dense' | 'final';
  /** Warmup iterations per chain in the stage (the final stage's draws are not counted). */
  readonly iterations: number;
  /** Chain-gradients of the stage over all chains (the final stage's include its draws). */
  readonly gradientEvaluations: number;
  /** Divergent warmup transitions over all chains. */
  readonly divergences: number;
  /** Geometric mean over chains of the adapted step size. */
  readonly stepSize: number;
}

export interface StageWarmup {
  /** Adapted step size per chain (the step size used for sampling). */
  readonly stepSize: Float64Array;
  /** Adapted inverse metric per chain: diagonal [dim] or dense row-major [dim, dim]. */
  readonly inverseMetric: Float64Array[];
  /** Divergent warmup transitions per chain. */
  readonly divergences: Int32Array;
  /** With saveWarmup: warmup draws per chain, row-major [warmup, dim]. */
  readonly draws?: Float64Array[];
  readonly stats?: DrawStats[];
}

/** The result of one stage of a plan, for some of the run's chains (stage.ts). */
export interface StageResult {
  readonly dim: number;
  readonly chains: number;
  /** Kept draws per chain. */
  readonly numDraws: number;
  /** Unconstrained draws per chain, row-major [numDraws, dim]. */
  readonly draws: Float64Array[];
  /** Per-draw sampler statistics per chain. */
  readonly stats: DrawStats[];
  readonly warmup: StageWarmup;
  /** Divergent transitions after warmup, over all chains (kept or thinned away). */
  readonly divergences: number;
  /** Chain-gradients evaluated in total (initialization, heuristics, warmup, sampling). */
  readonly gradientEvaluations: number;
  /** Batched `evaluate` calls. */
  readonly evaluateCalls: number;
}

export interface WarmupResult extends StageWarmup {
  /** With a multi-stage plan (staged): what each stage cost. */
  readonly stages?: readonly WarmupStageInfo[];
}

export interface SampleResult extends StageResult {
  readonly algorithm: Algorithm;
  readonly metric: MetricKind;
  readonly warmup: WarmupResult;
}
