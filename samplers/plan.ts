/**
 * Warmup plans as data, and the one driver that runs them. A plan is a list of stages; each stage
 * runs the chains for some warmup iterations under one strategy (adaptation/strategies.ts), with
 * its own kernel overrides, starting either from the run's options or from the previous stage: its
 * chains' last positions, the geometric mean of their adapted step sizes, and a dense metric
 * estimated from their warmup draws pooled across chains (adaptation/pooledCovariance.ts). The last
 * stage also draws. Stan's warmup is the plan of one stage; the staged dense plan (staged.ts) has
 * three or more.
 *
 * The driver is a generator: it yields each stage's request (plain data) and receives the stage's
 * result, so the same stage loop runs in-process (`runPlanSync` with stage.ts's `runStage`) and
 * across worker threads (`runPlanAsync`, src/inference/parallel.ts). Whatever runs a stage returns
 * its result merged in chain order, and the estimates between stages are computed here from it,
 * so the draws do not depend on how the chains were split.
 */
import { geometricMean } from './adaptation/adapter.js';
import { pooledChainCovariance } from './adaptation/pooledCovariance.js';
import type { AdapterSpec } from './adaptation/strategies.js';
import type { KernelSpec } from './kernel.js';
import type { MetricKind } from './metric.js';
import { SNAPSHOT_VERSION, type RunSnapshot, type StageHooks, type StageSnapshot } from './checkpoint.js';
import type { DrawStats } from './recorder.js';
import type { InitSpec, MetricSpec, StageRequest } from './stage.js';
import type { Algorithm, CheckpointOptions, SampleProgress, SampleResult, StageResult, WarmupStageInfo } from './types.js';

/** How a stage's chains, step size and metric start. */
export type StageStart =
  /** From the run: its init, initial step size and initial metric (of the stage's metric kind). */
  | { readonly from: 'run' }
  /**
   * From the previous stage: its chains' last positions, the geometric mean of their step sizes and
   * a dense metric from the pooled within-chain covariance of the last `tailFraction` of its warmup
   * draws (rows from floor((1 - tailFraction) * iterations)).
   */
  | { readonly from: 'previous'; readonly tailFraction: number };

export interface PlanStage {
  /** 'warmup' for a one-stage plan; the staged plan's stage names otherwise. */
  readonly name: 'warmup' | WarmupStageInfo['stage'];
  readonly iterations: number;
  /** Appended to the run's seed for this stage's RNG streams ('' keeps the run's seed). */
  readonly seedSuffix: string;
  /** This stage's maximum tree depth, when it differs from the kernel's. */
  readonly maxTreeDepth?: number;
  readonly metric: MetricKind;
  readonly adaptation: AdapterSpec;
  readonly start: StageStart;
}

export interface WarmupPlan {
  readonly name: string;
  readonly stages: readonly PlanStage[];
}

/** A whole run: the options resolved (resolve.ts) with its plan. */
export interface ResolvedRun {
  readonly seed: number | string;
  readonly firstChain: number;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly thin: number;
  readonly saveWarmup: boolean;
  readonly algorithm: Algorithm;
  readonly kernel: KernelSpec;
  readonly init: InitSpec;
  /** Step size before warmup. */
  readonly stepSize: number;
  /** Inverse metric before warmup, when given. */
  readonly inverseMetric?: Float64Array;
  readonly plan: WarmupPlan;
  readonly onProgress?: (progress: SampleProgress) => void;
  readonly checkpoint?: CheckpointOptions & { readonly seconds: number };
}

/** A stage to run, with where to report its progress (already mapped to the whole run's) and its snapshots (as the whole run's). */
export interface StageRun {
  readonly request: StageRequest;
  readonly onProgress?: (progress: SampleProgress) => void;
  /** With checkpoints: where the stage reports snapshots and is asked to stop. */
  readonly hooks?: StageHooks;
}

/** The stage loop: yields each stage, receives its result (all of the run's chains, in order), returns the run's result. */
export function* runPlan(run: ResolvedRun): Generator<StageRun, SampleResult, StageResult> {
  const { stages } = run.plan;
  if (stages.length === 0) throw new Error(`warmup plan "${run.plan.name}" has no stages`);
  const total = stages.reduce((n, stage) => n + stage.iterations, 0);
  if (total !== run.warmup) throw new Error(`warmup plan "${run.plan.name}": its stages add up to ${total} iterations, not warmup = ${run.warmup}`);
  const results: StageResult[] = [];
  let iterationsBefore = 0;
  let divergencesBefore = 0;
  let gradientsBefore = 0;
  const checkpoint = run.checkpoint;
  const resume = checkpoint?.resume;
  if (resume && (resume.stage >= stages.length || resume.completed.length !== resume.stage)) {
    throw new Error(`checkpoint: stage ${resume.stage} with ${resume.completed.length} completed, but the warmup plan "${run.plan.name}" has ${stages.length} stages`);
  }
  for (const [k, stage] of stages.entries()) {
    const isLast = k === stages.length - 1;
    if (resume && k < resume.stage) {
      // done before the checkpoint
      const result = resume.completed[k];
      if (result.chains !== run.chains) throw new Error(`checkpoint: stage ${k} has ${result.chains} chains, expected ${run.chains}`);
      results.push(result);
      iterationsBefore += stage.iterations;
      divergencesBefore += sum(result.warmup.divergences);
      gradientsBefore += result.gradientEvaluations;
      continue;
    }
    const snapshotOf = (current: StageSnapshot): RunSnapshot => ({ version: SNAPSHOT_VERSION, stage: k, completed: results.slice(), current });
    // a later stage starts with the earlier ones on record
    if (checkpoint && k > 0 && !(resume && k === resume.stage)) checkpoint.onSnapshot(snapshotOf({ chains: [], groups: [] }));
    const start = stage.start.from === 'run' ? runStart(run, stage.metric) : previousStart(results[k - 1], stages[k - 1], stage, stage.start.tailFraction, run.init);
    const request: StageRequest = {
      seed: stage.seedSuffix === '' ? run.seed : `${String(run.seed)}${stage.seedSuffix}`,
      firstChain: run.firstChain,
      chains: run.chains,
      warmup: stage.iterations,
      draws: isLast ? run.draws : 0,
      thin: run.thin,
      saveWarmup: isLast ? run.saveWarmup : true,
      kernel: withMaxTreeDepth(run.kernel, stage.maxTreeDepth),
      adaptation: stage.adaptation,
      ...start,
      ...(checkpoint ? { checkpoint: { seconds: checkpoint.seconds, ...(resume && k === resume.stage ? { resume: resume.current } : {}) } } : {}),
    };
    const hooks: StageHooks | undefined = checkpoint && {
      onSnapshot: (current) => checkpoint.onSnapshot(snapshotOf(current)),
      ...(checkpoint.shouldStop ? { shouldStop: checkpoint.shouldStop } : {}),
    };
    const result: StageResult = yield { request, onProgress: stageProgress(run, iterationsBefore, divergencesBefore, gradientsBefore), ...(hooks ? { hooks } : {}) };
    if (result.chains !== run.chains) throw new Error(`stage ${k} returned ${result.chains} chains, expected ${run.chains}`);
    results.push(result);
    iterationsBefore += stage.iterations;
    divergencesBefore += sum(result.warmup.divergences);
    gradientsBefore += result.gradientEvaluations;
  }
  const last = results[results.length - 1];
  const metric = stages[stages.length - 1].metric;
  if (stages.length === 1) return { ...last, algorithm: run.algorithm, metric };
  return {
    ...last,
    algorithm: run.algorithm,
    metric,
    warmup: {
      stages: stages.map((stage, k) => stageInfo(stage, results[k])),
      stepSize: last.warmup.stepSize,
      inverseMetric: last.warmup.inverseMetric,
      divergences: Int32Array.from(last.warmup.divergences, (_, c) => results.reduce((n, r) => n + r.warmup.divergences[c], 0)),
      ...(run.saveWarmup
        ? {
            draws: last.warmup.draws!.map((_, c) => concatDraws(results.map((r) => r.warmup.draws![c]))),
            stats: last.warmup.stats!.map((_, c) => concatStats(results.map((r) => r.warmup.stats![c]))),
          }
        : {}),
    },
    gradientEvaluations: results.reduce((n, r) => n + r.gradientEvaluations, 0),
    evaluateCalls: results.reduce((n, r) => n + r.evaluateCalls, 0),
  };
}

/** Run a plan with a synchronous stage runner (in-process). */
export function runPlanSync(run: ResolvedRun, runStage: (stage: StageRun) => StageResult): SampleResult {
  const plan = runPlan(run);
  let step = plan.next();
  while (!step.done) step = plan.next(runStage(step.value));
  return step.value;
}

/** Run a plan with an asynchronous stage runner (worker threads). */
export async function runPlanAsync(run: ResolvedRun, runStage: (stage: StageRun) => Promise<StageResult>): Promise<SampleResult> {
  const plan = runPlan(run);
  let step = plan.next();
  while (!step.done) step = plan.next(await runStage(step.value));
  return step.value;
}

function runStart(run: ResolvedRun, metric: MetricKind): Pick<StageRequest, 'stepSize' | 'metric' | 'init'> {
  const spec: MetricSpec = run.inverseMetric === undefined ? { kind: metric } : { kind: metric, inverseMass: run.inverseMetric };
  return { stepSize: run.stepSize, metric: spec, init: run.init };
}

function previousStart(
  previous: StageResult,
  previousStage: PlanStage,
  stage: PlanStage,
  tailFraction: number,
  init: InitSpec,
): Pick<StageRequest, 'stepSize' | 'metric' | 'init'> {
  if (stage.metric !== 'dense') throw new Error(`stage "${stage.name}": a metric estimated from the previous stage is dense, not ${stage.metric}`);
  const from = Math.floor((1 - tailFraction) * previousStage.iterations);
  const estimate = pooledChainCovariance(warmupDrawsFrom(previous, from), previous.dim);
  return {
    stepSize: geometricMean(previous.warmup.stepSize),
    metric: { kind: 'dense', inverseMass: estimate.covariance },
    init: { radius: init.radius, positions: lastWarmupPositions(previous) },
  };
}

function withMaxTreeDepth(kernel: KernelSpec, maxTreeDepth: number | undefined): KernelSpec {
  if (maxTreeDepth === undefined) return kernel;
  if (kernel.trajectory.kind !== 'nuts') throw new Error('a stage maximum tree depth needs the NUTS kernel');
  return { ...kernel, trajectory: { kind: 'nuts', maxTreeDepth } };
}

function stageInfo(stage: PlanStage, result: StageResult): WarmupStageInfo {
  if (stage.name === 'warmup') throw new Error('a multi-stage plan names its stages diag, dense or final');
  return {
    stage: stage.name,
    iterations: stage.iterations,
    gradientEvaluations: result.gradientEvaluations,
    divergences: sum(result.warmup.divergences),
    stepSize: geometricMean(result.warmup.stepSize),
  };
}

/** Progress of one stage reported as progress of the whole run. */
function stageProgress(run: ResolvedRun, iterationsBefore: number, warmupDivergencesBefore: number, gradientsBefore: number): ((progress: SampleProgress) => void) | undefined {
  const onProgress = run.onProgress;
  if (!onProgress) return undefined;
  const iterationsPerChain = run.warmup + run.draws;
  return (p) =>
    onProgress({
      ...p,
      iteration: iterationsBefore + p.iteration,
      iterationsPerChain,
      completed: p.chains * iterationsBefore + p.completed,
      total: p.chains * iterationsPerChain,
      warmupDivergences: warmupDivergencesBefore + p.warmupDivergences,
      gradients: gradientsBefore + p.gradients,
    });
}

/** Last position of each chain's saved warmup draws, row-major [chains, dim]. */
function lastWarmupPositions(result: StageResult): Float64Array {
  const dim = result.dim;
  const draws = result.warmup.draws;
  if (!draws) throw new Error('warmup plan: a stage did not save its warmup draws');
  const out = new Float64Array(result.chains * dim);
  draws.forEach((chain, k) => out.set(chain.subarray(chain.length - dim), k * dim));
  return out;
}

/** Rows `from..` of each chain's warmup draws, per chain in chain order. */
function warmupDrawsFrom(result: StageResult, from: number): Float64Array[][] {
  const dim = result.dim;
  return (result.warmup.draws ?? []).map((chain) => {
    const rows: Float64Array[] = [];
    for (let t = from; t < chain.length / dim; t++) rows.push(chain.subarray(t * dim, (t + 1) * dim));
    return rows;
  });
}

function sum(values: Int32Array): number {
  return values.reduce((a, b) => a + b, 0);
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
