/**
 * Staged dense warmup: a warmup plan that learns a dense metric from the draws of all chains
 * pooled, in three stages, each one ordinary `sample` call that continues from the previous
 * stage's last positions and step size.
 *
 *   1. `diag` (50% of the warmup): Stan's windowed diagonal adaptation (init buffer, doubling
 *      windows, term buffer) from the random inits: the chains find the typical set and the scales.
 *   2. `dense` (30%): a dense metric from stage 1's later draws (the last 60%) of every chain, pooled
 *      (adaptation/pooledCovariance.ts: each chain centred on its own mean, so a chain that has not
 *      joined the others does not inflate the estimate); the step size adapts by dual averaging, the
 *      metric stays fixed.
 *   3. `final` (20%) + sampling: the dense metric re-estimated from all of stage 2's draws (which mix
 *      far better than stage 1's), step size adapted again, then the draws.
 *
 * Stage 2 may be split into several windows (`stagedWarmup.lengths.dense` as a list), each with the
 * metric re-estimated from the previous window's draws: when stage 1 was short, its estimate is
 * rough and the first dense window's trees are long; a short first window replaces it sooner.
 *
 * Why: on badly conditioned posteriors (the geo MMM's correlation condition number is ~1e5) a
 * diagonal metric needs hundreds of leapfrog steps per draw; Stan's dense adaptation estimates a
 * dim x dim covariance per chain from windows of 25-100 draws, fewer draws than dimensions, and
 * fails. Pooling chains gives stage 2 chains x 150 draws from the start. The same idea as
 * cross-chain warmup in TFP / Hoffman et al. (2021, "An adaptive MCMC scheme for setting trajectory
 * lengths in HMC", section 3) and the pooled adaptation of Stan's campfire prototype.
 *
 * The plan is a generator that yields each stage's SampleOptions and receives its SampleResult, so
 * one driver runs the stages in-process (`sample`) and another across worker threads; the pooled
 * estimate is computed from the merged draws in chain order, so the draws do not depend on how the
 * chains were split. Each stage's RNG streams are distinct (the seed gets a ':stage-k' suffix after
 * stage 1).
 */
import { pooledChainCovariance } from './adaptation/pooledCovariance.js';
import type { DrawStats } from './recorder.js';
import type { SampleOptions, SampleProgress, SampleResult } from './sample.js';

export interface StagedWarmupLengths {
  readonly diag: number;
  /** One dense window, or several: each re-estimates the metric from the previous window's draws. */
  readonly dense: number | readonly number[];
  readonly final: number;
}

/**
 * Optional settings of the staged plan: explicit stage lengths (all three, summing to the warmup;
 * default 50% / 30% / 20%) and a lower maximum tree depth for stage 1 only. Stage 1 runs with the
 * diagonal metric from random inits, where trees are longest (on the geo MMM about 600 leapfrog
 * steps per iteration against about 200 with the dense metric): capping its depth makes it cheaper,
 * at the price of more correlated draws for the first dense estimate, which stage 3 replaces.
 * Likewise a lower target acceptance for stage 1 only (`diagAdaptDelta`).
 */
export interface StagedWarmupSettings {
  readonly lengths?: StagedWarmupLengths;
  readonly diagMaxTreeDepth?: number;
  /**
   * Target acceptance of stage 1 only (default: the run's adaptDelta). Stage 1's draws only find the
   * typical set and feed the first dense estimate, and its divergences are warmup transitions: a
   * run that needs a high adaptDelta against divergences in its draws (e.g. 0.98) need not pay
   * for it in the diagonal stage, where the trees are longest.
   */
  readonly diagAdaptDelta?: number;
}

/** What each stage cost: an info record for benchmarks and logs. */
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

/** Fraction of stage 1's draws, from its end, that the first dense estimate uses. */
export const STAGE1_TAIL_FRACTION = 0.6;
/** The smallest total warmup the staged plan accepts. */
export const MIN_STAGED_WARMUP = 100;

/** Split a total warmup into the three stages (50% / 30% / the rest), or check explicit lengths. */
export function stagedWarmupLengths(warmup: number, explicit?: StagedWarmupLengths): StagedWarmupLengths {
  if (!Number.isInteger(warmup) || warmup < MIN_STAGED_WARMUP) {
    throw new Error(`the staged dense warmup needs warmup >= ${MIN_STAGED_WARMUP} iterations, got ${warmup}`);
  }
  if (explicit !== undefined) {
    const { diag, dense, final } = explicit;
    const windows = denseWindows(dense);
    if (windows.length === 0) throw new Error('staged warmup: give at least one dense window');
    const named: [string, number][] = [['diag', diag], ...windows.map((w, i): [string, number] => [windows.length > 1 ? `dense[${i}]` : 'dense', w]), ['final', final]];
    for (const [name, value] of named) {
      if (!Number.isInteger(value) || value < 20) throw new Error(`staged warmup: stage "${name}" needs an integer >= 20 iterations, got ${value}`);
    }
    const total = named.reduce((n, [, value]) => n + value, 0);
    if (total !== warmup) {
      throw new Error(`staged warmup: the stage lengths ${named.map(([, value]) => value).join(' + ')} = ${total} must add up to warmup = ${warmup}`);
    }
    return { diag, dense: typeof dense === 'number' ? dense : [...dense], final };
  }
  const diag = Math.floor(0.5 * warmup);
  const dense = Math.floor(0.3 * warmup);
  return { diag, dense, final: warmup - diag - dense };
}

/** Last position of each chain's saved warmup draws, row-major [chains, dim]. */
function lastWarmupPositions(result: SampleResult): Float64Array {
  const dim = result.dim;
  const draws = result.warmup.draws;
  if (!draws) throw new Error('staged warmup: a stage did not save its warmup draws');
  const out = new Float64Array(result.chains * dim);
  draws.forEach((chain, k) => out.set(chain.subarray(chain.length - dim), k * dim));
  return out;
}

/** Rows `from..` of each chain's warmup draws, per chain in chain order. */
function warmupDrawsFrom(result: SampleResult, from: number): Float64Array[][] {
  const dim = result.dim;
  return (result.warmup.draws ?? []).map((chain) => {
    const rows: Float64Array[] = [];
    for (let t = from; t < chain.length / dim; t++) rows.push(chain.subarray(t * dim, (t + 1) * dim));
    return rows;
  });
}

function geometricMean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += Math.log(value);
  return Math.exp(sum / values.length);
}

function concatDraws(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function concatStats(parts: readonly DrawStats[]): DrawStats {
  const join = <K extends keyof DrawStats>(key: K): DrawStats[K] => {
    const first = parts[0][key];
    const Ctor = first.constructor as new (n: number) => DrawStats[K];
    const out = new Ctor(parts.reduce((n, p) => n + p[key].length, 0));
    let offset = 0;
    for (const part of parts) {
      (out as unknown as { set(a: ArrayLike<number>, o: number): void }).set(part[key], offset);
      offset += part[key].length;
    }
    return out;
  };
  return {
    treeDepth: join('treeDepth'),
    nLeapfrog: join('nLeapfrog'),
    divergent: join('divergent'),
    energy: join('energy'),
    acceptStat: join('acceptStat'),
    stepSize: join('stepSize'),
    logDensity: join('logDensity'),
  };
}

/** Progress of one stage reported as progress of the whole run. */
function stageProgress(
  options: SampleOptions,
  iterationsBefore: number,
  warmupDivergencesBefore: number,
): ((progress: SampleProgress) => void) | undefined {
  const onProgress = options.onProgress;
  if (!onProgress) return undefined;
  const iterationsPerChain = options.warmup + options.draws;
  return (p) =>
    onProgress({
      ...p,
      iteration: iterationsBefore + p.iteration,
      iterationsPerChain,
      completed: p.chains * iterationsBefore + p.completed,
      total: p.chains * iterationsPerChain,
      warmupDivergences: warmupDivergencesBefore + p.warmupDivergences,
    });
}

/**
 * The staged dense warmup as a plan: yields the options of each stage's `sample` call, receives
 * its result, and returns the whole run's result (stage 3's draws; work summed over the stages).
 */
export function* stagedSampling(options: SampleOptions): Generator<SampleOptions, SampleResult, SampleResult> {
  if (options.metric !== 'dense') throw new Error("the staged warmup adapts a dense metric: set metric 'dense'");
  if (options.pooledAdaptation) throw new Error('the staged warmup already pools the chains; do not set pooledAdaptation');
  if (options.adapt === false) throw new Error('the staged warmup needs adapt (it is a warmup plan)');
  if (options.inverseMetric !== undefined) throw new Error('the staged warmup learns its own metric; do not pass inverseMetric');
  if ((options.algorithm ?? 'nuts') !== 'nuts') throw new Error('the staged warmup is implemented for NUTS');
  const settings = options.stagedWarmup ?? {};
  const lengths = stagedWarmupLengths(options.warmup, settings.lengths);
  const diagMaxTreeDepth = settings.diagMaxTreeDepth ?? options.maxTreeDepth;
  if (diagMaxTreeDepth !== undefined && !(Number.isInteger(diagMaxTreeDepth) && diagMaxTreeDepth >= 1)) {
    throw new Error(`staged warmup: diagMaxTreeDepth must be an integer >= 1, got ${diagMaxTreeDepth}`);
  }
  const diagAdaptDelta = settings.diagAdaptDelta ?? options.adaptDelta;
  if (diagAdaptDelta !== undefined && !(diagAdaptDelta > 0 && diagAdaptDelta < 1)) {
    throw new Error(`staged warmup: diagAdaptDelta must be in (0, 1), got ${diagAdaptDelta}`);
  }
  const common: SampleOptions = { ...options, warmupPlan: 'stan', stagedWarmup: undefined };
  const stageSeed = (stage: number) => `${String(options.seed)}:stage-${stage}`;
  const fixedMetric = { ...options.adaptation, adaptMetric: false };

  const stage1: SampleResult = yield {
    ...common,
    warmup: lengths.diag,
    draws: 0,
    metric: 'diag',
    maxTreeDepth: diagMaxTreeDepth,
    adaptDelta: diagAdaptDelta,
    saveWarmup: true,
    onProgress: stageProgress(options, 0, 0),
  };
  const tailStart = Math.floor((1 - STAGE1_TAIL_FRACTION) * lengths.diag);
  let estimate = pooledChainCovariance(warmupDrawsFrom(stage1, tailStart), stage1.dim);
  const stages: SampleResult[] = [stage1];
  const infos: WarmupStageInfo[] = [stageInfo('diag', stage1, lengths.diag)];
  let iterationsBefore = lengths.diag;
  let divergencesBefore = infos[0].divergences;
  // Dense windows, then the final stage (which also draws): each continues from the previous stage's
  // last positions and mean step size, with the metric estimated from the previous stage's draws.
  const windows = [...denseWindows(lengths.dense), lengths.final];
  for (let w = 0; w < windows.length; w++) {
    const isFinal = w === windows.length - 1;
    const previous = stages[stages.length - 1];
    const stage: SampleResult = yield {
      ...common,
      seed: stageSeed(w + 2),
      warmup: windows[w],
      ...(isFinal ? {} : { draws: 0 }),
      metric: 'dense',
      inverseMetric: estimate.covariance,
      init: lastWarmupPositions(previous),
      stepSize: geometricMean(previous.warmup.stepSize),
      adaptation: fixedMetric,
      saveWarmup: isFinal ? (options.saveWarmup ?? false) : true,
      onProgress: stageProgress(options, iterationsBefore, divergencesBefore),
    };
    stages.push(stage);
    infos.push(stageInfo(isFinal ? 'final' : 'dense', stage, windows[w]));
    iterationsBefore += windows[w];
    divergencesBefore += infos[infos.length - 1].divergences;
    if (!isFinal) estimate = pooledChainCovariance(warmupDrawsFrom(stage, 0), stage.dim);
  }

  const last = stages[stages.length - 1];
  const keepWarmup = options.saveWarmup ?? false;
  return {
    ...last,
    warmup: {
      stages: infos,
      stepSize: last.warmup.stepSize,
      inverseMetric: last.warmup.inverseMetric,
      divergences: Int32Array.from(last.warmup.divergences, (_, k) => stages.reduce((n, s) => n + s.warmup.divergences[k], 0)),
      ...(keepWarmup
        ? {
            draws: last.warmup.draws!.map((_, k) => concatDraws(stages.map((s) => s.warmup.draws![k]))),
            stats: last.warmup.stats!.map((_, k) => concatStats(stages.map((s) => s.warmup.stats![k]))),
          }
        : {}),
    },
    gradientEvaluations: stages.reduce((n, s) => n + s.gradientEvaluations, 0),
    evaluateCalls: stages.reduce((n, s) => n + s.evaluateCalls, 0),
  };
}

function stageInfo(stage: WarmupStageInfo['stage'], result: SampleResult, iterations: number): WarmupStageInfo {
  return {
    stage,
    iterations,
    gradientEvaluations: result.gradientEvaluations,
    divergences: result.warmup.divergences.reduce((a, b) => a + b, 0),
    stepSize: geometricMean(result.warmup.stepSize),
  };
}

/** The dense stage's windows: one length, or several in order. */
function denseWindows(dense: StagedWarmupLengths['dense']): readonly number[] {
  return typeof dense === 'number' ? [dense] : dense;
}

/** Run the staged plan with a synchronous stage runner (in-process `sample`). */
export function runStagedSync(options: SampleOptions, runStage: (stage: SampleOptions) => SampleResult): SampleResult {
  const plan = stagedSampling(options);
  let step = plan.next();
  while (!step.done) step = plan.next(runStage(step.value));
  return step.value;
}

/** Run the staged plan with an asynchronous stage runner (worker threads). */
export async function runStagedAsync(options: SampleOptions, runStage: (stage: SampleOptions) => Promise<SampleResult>): Promise<SampleResult> {
  const plan = stagedSampling(options);
  let step = plan.next();
  while (!step.done) step = plan.next(await runStage(step.value));
  return step.value;
}
