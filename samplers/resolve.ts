/**
 * SampleOptions (types.ts) checked and resolved into a run: defaults filled in (Stan's), the kernel
 * as data (kernel.ts), and the warmup strategy as a plan of stages (plan.ts). The types already
 * rule out invalid combinations; the checks here repeat that for callers without types (JSON, old
 * code) and check the values, each error naming the option and what is wrong.
 */
import { stanDualAveragingSettings, type DualAveragingConstants, type DualAveragingSettings } from './adaptation/dualAveraging.js';
import { nutpieLowRankSettings, type LowRankFisherSettings } from './adaptation/lowRankFisher.js';
import { nutpieDualAveraging, type NutpieSettings } from './adaptation/nutpieAdapter.js';
import { nutpieScheduleSettings, type NutpieScheduleSettings } from './adaptation/nutpieSchedule.js';
import { stanAdaptationSettings, type AdaptationSettings } from './adaptation/windowedAdaptation.js';
import type { WindowSettings } from './adaptation/windows.js';
import type { KernelSpec } from './kernel.js';
import type { MetricKind } from './metric.js';
import type { ResolvedRun, WarmupPlan } from './plan.js';
import { stagedPlan, stagedWarmupLengths } from './staged.js';
import type { InitSpec } from './stage.js';
import type { AdaptationOptions, Algorithm, CheckpointOptions, KernelOptions, SampleOptions } from './types.js';
import { SNAPSHOT_VERSION } from './checkpoint.js';

/** Options of the flat form used before the warmup strategy became `adaptation`, with where they went. */
const MOVED_OPTIONS: Readonly<Record<string, string>> = {
  algorithm: 'kernel.algorithm',
  maxTreeDepth: 'kernel.maxTreeDepth',
  maxDeltaH: 'kernel.maxDeltaH',
  stepSizeJitter: 'kernel.stepSizeJitter',
  hmcSteps: "kernel: { algorithm: 'hmc', steps }",
  hmcPathLength: "kernel: { algorithm: 'hmc', pathLength }",
  metric: 'adaptation.metric',
  adaptDelta: 'adaptation.targetAcceptance',
  stepSize: "adaptation.initialStepSize (or adaptation: { kind: 'none', stepSize })",
  inverseMetric: "adaptation.initialInverseMetric (or the inverseMetric of adaptation kinds 'stepSize' and 'none')",
  adapt: "adaptation: { kind: 'none' } for no adaptation",
  warmupPlan: "adaptation.kind ('stan', 'staged', ...)",
  stagedWarmup: "adaptation: { kind: 'staged', lengths, diagMaxTreeDepth, diagTargetAcceptance }",
  pooledAdaptation: "adaptation: { kind: 'stan', pooled: true }",
  initRadius: 'init: { radius }',
};

const ADAPTATION_KEYS: Readonly<Record<AdaptationOptions['kind'], readonly string[]>> = {
  stan: ['kind', 'metric', 'pooled', 'targetAcceptance', 'initialStepSize', 'initialInverseMetric', 'windows', 'dualAveraging'],
  stepSize: ['kind', 'metric', 'inverseMetric', 'targetAcceptance', 'initialStepSize', 'dualAveraging'],
  staged: ['kind', 'targetAcceptance', 'initialStepSize', 'dualAveraging', 'windows', 'lengths', 'diagMaxTreeDepth', 'diagTargetAcceptance'],
  nutpie: ['kind', 'metric', 'pooled', 'targetAcceptance', 'initialStepSize', 'initialInverseMetric', 'dualAveraging', 'schedule', 'lowRank'],
  none: ['kind', 'stepSize', 'metric', 'inverseMetric'],
};

/** Why a key is not an option of an adaptation kind, where that is worth saying. */
const NOT_FOR: Readonly<Record<string, string>> = {
  'staged.metric': 'the staged warmup always adapts a dense metric',
  'staged.initialInverseMetric': 'the staged warmup learns its own metric',
  'staged.pooled': 'the staged warmup already pools the chains for its dense estimates',
  'nutpie.windows': "nutpie's windows are set by adaptation.schedule",
  'none.targetAcceptance': 'nothing adapts',
  'none.initialStepSize': "without adaptation the step size is 'stepSize'",
};

/** Resolve `options` for a target of dimension `dim` (when known: then lengths are checked here too). */
export function resolveSampleOptions(options: SampleOptions, dim?: number): ResolvedRun {
  for (const key of Object.keys(options)) {
    const moved = MOVED_OPTIONS[key];
    if (moved !== undefined) throw new Error(`sample: option "${key}" is no longer a top-level option; use ${moved}`);
  }
  checkInteger('chains', options.chains, 1);
  checkInteger('warmup', options.warmup, 0);
  checkInteger('draws', options.draws, 0);
  if (dim !== undefined) checkInteger('dim', dim, 1);
  const thin = options.thin ?? 1;
  checkInteger('thin', thin, 1);
  const firstChain = options.chainOffset ?? 0;
  checkInteger('chainOffset', firstChain, 0);
  if (typeof options.seed !== 'number' && typeof options.seed !== 'string') throw new Error(`seed must be a number or a string, got ${String(options.seed)}`);

  const { kernel, algorithm } = resolveKernel(options.kernel);
  const adaptation: AdaptationOptions = options.adaptation ?? { kind: 'stan' };
  const resolved = resolveAdaptation(adaptation, options.warmup, kernel, dim);
  return {
    seed: options.seed,
    firstChain,
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    thin,
    saveWarmup: options.saveWarmup ?? false,
    algorithm,
    kernel,
    init: resolveInit(options.init, options.chains, dim),
    ...resolved,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.checkpoint ? { checkpoint: resolveCheckpoint(options.checkpoint) } : {}),
  };
}

function resolveCheckpoint(checkpoint: CheckpointOptions): CheckpointOptions & { readonly seconds: number } {
  const seconds = checkpoint.seconds ?? 60;
  if (!(Number.isFinite(seconds) && seconds >= 0)) throw new Error(`checkpoint.seconds must be a number >= 0, got ${seconds}`);
  if (typeof checkpoint.onSnapshot !== 'function') throw new Error('checkpoint.onSnapshot must be a function');
  const resume = checkpoint.resume;
  if (resume !== undefined && resume.version !== SNAPSHOT_VERSION) throw new Error(`checkpoint: snapshot version ${String(resume.version)}, this sampler reads version ${SNAPSHOT_VERSION}`);
  return { ...checkpoint, seconds };
}

/**
 * The maximum tree depth of a run's sampling iterations, for the tree-depth saturation check: the
 * NUTS kernel's (default 10); 10 for static HMC, whose tree depth is always 0.
 */
export function maxTreeDepthOf(options: Pick<SampleOptions, 'kernel'>): number {
  const kernel = options.kernel;
  return kernel?.algorithm === 'nuts' ? (kernel.maxTreeDepth ?? 10) : 10;
}

function resolveKernel(options: KernelOptions | undefined): { kernel: KernelSpec; algorithm: Algorithm } {
  const kernel = options ?? { algorithm: 'nuts' };
  const maxDeltaH = kernel.maxDeltaH ?? 1000;
  if (!(maxDeltaH > 0)) throw new Error(`kernel.maxDeltaH must be > 0, got ${maxDeltaH}`);
  const stepSizeJitter = kernel.stepSizeJitter ?? 0;
  if (!(stepSizeJitter >= 0 && stepSizeJitter < 1)) throw new Error(`kernel.stepSizeJitter must be in [0, 1), got ${stepSizeJitter}`);
  if (kernel.algorithm === 'nuts') {
    checkKeys(kernel, ['algorithm', 'maxTreeDepth', 'maxDeltaH', 'stepSizeJitter'], 'kernel', 'of NUTS');
    const maxTreeDepth = kernel.maxTreeDepth ?? 10;
    checkInteger('kernel.maxTreeDepth', maxTreeDepth, 1);
    return { kernel: { trajectory: { kind: 'nuts', maxTreeDepth }, maxDeltaH, stepSizeJitter }, algorithm: 'nuts' };
  }
  if (kernel.algorithm === 'hmc') {
    checkKeys(kernel, ['algorithm', 'steps', 'pathLength', 'maxDeltaH', 'stepSizeJitter'], 'kernel', 'of static HMC');
    if (kernel.steps !== undefined) {
      if (kernel.pathLength !== undefined) throw new Error('kernel: give static HMC either steps or pathLength, not both');
      checkInteger('kernel.steps', kernel.steps, 1);
      return { kernel: { trajectory: { kind: 'steps', steps: kernel.steps }, maxDeltaH, stepSizeJitter }, algorithm: 'hmc' };
    }
    const pathLength = kernel.pathLength ?? 2 * Math.PI;
    if (!(pathLength > 0 && Number.isFinite(pathLength))) throw new Error(`kernel.pathLength must be finite and > 0, got ${pathLength}`);
    return { kernel: { trajectory: { kind: 'pathLength', pathLength }, maxDeltaH, stepSizeJitter }, algorithm: 'hmc' };
  }
  throw new Error(`kernel.algorithm must be 'nuts' or 'hmc', got ${JSON.stringify((kernel as { algorithm: unknown }).algorithm)}`);
}

function resolveAdaptation(
  adaptation: AdaptationOptions,
  warmup: number,
  kernel: KernelSpec,
  dim: number | undefined,
): Pick<ResolvedRun, 'plan' | 'stepSize' | 'inverseMetric'> {
  const kind = adaptation.kind;
  if (!(kind in ADAPTATION_KEYS)) {
    throw new Error(`adaptation.kind must be one of ${Object.keys(ADAPTATION_KEYS).map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(kind)}`);
  }
  for (const key of Object.keys(adaptation)) {
    if (!ADAPTATION_KEYS[kind].includes(key)) {
      const why = NOT_FOR[`${kind}.${key}`];
      throw new Error(`adaptation.${key} is not an option of adaptation kind '${kind}'${why ? ` (${why})` : ''}; its options: ${ADAPTATION_KEYS[kind].join(', ')}`);
    }
  }
  const oneStage = (metric: MetricKind, adapter: WarmupPlan['stages'][number]['adaptation']): WarmupPlan => ({
    name: kind,
    stages: [{ name: 'warmup', iterations: warmup, seedSuffix: '', metric, adaptation: adapter, start: { from: 'run' } }],
  });
  switch (adaptation.kind) {
    case 'none': {
      const metric = metricKind(adaptation.metric);
      const stepSize = positiveStepSize(adaptation.stepSize ?? 1, 'adaptation.stepSize');
      checkInverseMetric(adaptation.inverseMetric, metric, dim, 'adaptation.inverseMetric');
      return { plan: oneStage(metric, { kind: 'none' }), stepSize, ...given(adaptation.inverseMetric) };
    }
    case 'stan': {
      const metric = metricKind(adaptation.metric);
      const pooled = adaptation.pooled ?? false;
      if (typeof pooled !== 'boolean') throw new Error(`adaptation.pooled must be true or false, got ${JSON.stringify(pooled)}`);
      checkInverseMetric(adaptation.initialInverseMetric, metric, dim, 'adaptation.initialInverseMetric');
      const settings = adaptationSettings(adaptation.targetAcceptance, adaptation.dualAveraging, adaptation.windows, 'adaptation');
      return {
        plan: oneStage(metric, { kind: 'stan', pooled, settings }),
        stepSize: positiveStepSize(adaptation.initialStepSize ?? 1, 'adaptation.initialStepSize'),
        ...given(adaptation.initialInverseMetric),
      };
    }
    case 'stepSize': {
      const metric = metricKind(adaptation.metric);
      checkInverseMetric(adaptation.inverseMetric, metric, dim, 'adaptation.inverseMetric');
      const settings = { ...adaptationSettings(adaptation.targetAcceptance, adaptation.dualAveraging, undefined, 'adaptation'), adaptMetric: false };
      return {
        plan: oneStage(metric, { kind: 'stan', pooled: false, settings }),
        stepSize: positiveStepSize(adaptation.initialStepSize ?? 1, 'adaptation.initialStepSize'),
        ...given(adaptation.inverseMetric),
      };
    }
    case 'nutpie': {
      if (kernel.trajectory.kind !== 'nuts') throw new Error("adaptation kind 'nutpie' is implemented for NUTS: drop the static HMC kernel");
      const metric = adaptation.metric ?? 'diag';
      if (metric !== 'diag' && metric !== 'lowRank') throw new Error(`adaptation.metric of kind 'nutpie' must be 'diag' or 'lowRank', got ${JSON.stringify(metric)}`);
      if (metric !== 'lowRank' && 'lowRank' in adaptation) throw new Error("adaptation.lowRank applies to metric 'lowRank' only");
      const pooled = adaptation.metric === 'lowRank' ? adaptation.pooled ?? false : false;
      if (metric === 'diag' && 'pooled' in adaptation && (adaptation as { pooled?: unknown }).pooled) throw new Error("adaptation.pooled of kind 'nutpie' applies to metric 'lowRank' only: the diagonal metric adapts per chain");
      const initialInverseMetric = adaptation.metric === 'lowRank' ? undefined : adaptation.initialInverseMetric;
      if (metric === 'lowRank' && 'initialInverseMetric' in adaptation) throw new Error("adaptation.initialInverseMetric of kind 'nutpie' applies to metric 'diag' only");
      checkInverseMetric(initialInverseMetric, 'diag', dim, 'adaptation.initialInverseMetric');
      const settings: NutpieSettings = {
        metric,
        pooled,
        dualAveraging: dualAveragingSettings(nutpieDualAveraging, adaptation.targetAcceptance, adaptation.dualAveraging, 'adaptation'),
        schedule: nutpieSchedule(metric, adaptation.schedule),
        lowRank: lowRankSettings(adaptation.metric === 'lowRank' ? adaptation.lowRank : undefined),
        initialMetric: initialInverseMetric === undefined ? 'gradient' : 'given',
      };
      return {
        plan: oneStage(metric, { kind: 'nutpie', settings }),
        stepSize: positiveStepSize(adaptation.initialStepSize ?? 1, 'adaptation.initialStepSize'),
        ...given(initialInverseMetric),
      };
    }
    case 'staged': {
      if (kernel.trajectory.kind !== 'nuts') throw new Error("adaptation kind 'staged' is implemented for NUTS: drop the static HMC kernel");
      const lengths = stagedWarmupLengths(warmup, adaptation.lengths);
      const dense = adaptationSettings(adaptation.targetAcceptance, adaptation.dualAveraging, adaptation.windows, 'adaptation');
      const diagTargetAcceptance = adaptation.diagTargetAcceptance ?? dense.targetAcceptance;
      checkProbability('adaptation.diagTargetAcceptance', diagTargetAcceptance);
      if (adaptation.diagMaxTreeDepth !== undefined) checkInteger('adaptation.diagMaxTreeDepth', adaptation.diagMaxTreeDepth, 1);
      return {
        plan: stagedPlan({
          lengths,
          diag: { ...dense, targetAcceptance: diagTargetAcceptance },
          dense,
          ...(adaptation.diagMaxTreeDepth !== undefined ? { diagMaxTreeDepth: adaptation.diagMaxTreeDepth } : {}),
        }),
        stepSize: positiveStepSize(adaptation.initialStepSize ?? 1, 'adaptation.initialStepSize'),
      };
    }
  }
}

/** Stan's adaptation settings with the given target, dual-averaging constants and windows. */
function adaptationSettings(
  targetAcceptance: number | undefined,
  dualAveraging: Partial<DualAveragingConstants> | undefined,
  windows: Partial<Omit<WindowSettings, 'adaptMetric'>> | undefined,
  path: string,
): AdaptationSettings {
  const averaging = dualAveragingSettings(stanDualAveragingSettings, targetAcceptance, dualAveraging, path);
  if (windows !== undefined) {
    checkKeys(windows, ['initBuffer', 'termBuffer', 'baseWindow'], `${path}.windows`, "of Stan's windows");
    for (const [key, value] of Object.entries(windows)) checkInteger(`${path}.windows.${key}`, value as number, key === 'baseWindow' ? 1 : 0);
  }
  return { ...stanAdaptationSettings, ...windows, ...averaging };
}

/** Dual-averaging settings: `defaults` with the given target and constants. */
function dualAveragingSettings(
  defaults: DualAveragingSettings,
  targetAcceptance: number | undefined,
  dualAveraging: Partial<DualAveragingConstants> | undefined,
  path: string,
): DualAveragingSettings {
  const target = targetAcceptance ?? defaults.targetAcceptance;
  checkProbability(`${path}.targetAcceptance`, target);
  if (dualAveraging !== undefined) {
    checkKeys(dualAveraging, ['gamma', 't0', 'kappa', 'maxStepSize'], `${path}.dualAveraging`, 'of dual averaging');
    for (const [key, value] of Object.entries(dualAveraging)) {
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new Error(`${path}.dualAveraging.${key} must be a finite number > 0, got ${value}`);
    }
  }
  return { ...defaults, ...dualAveraging, targetAcceptance: target };
}

/** nutpie's schedule with the given overrides (the metric update interval depends on the metric). */
function nutpieSchedule(metric: 'diag' | 'lowRank', schedule: Partial<NutpieScheduleSettings> | undefined): NutpieScheduleSettings {
  const path = 'adaptation.schedule';
  const out: NutpieScheduleSettings = { ...nutpieScheduleSettings, updateEvery: metric === 'diag' ? 1 : 20, ...schedule };
  if (schedule !== undefined) checkKeys(schedule, Object.keys(out), path, "of nutpie's schedule");
  for (const key of ['earlyFraction', 'stepSizeFraction'] as const) {
    const value = out[key];
    if (!(typeof value === 'number' && value >= 0 && value < 1)) throw new Error(`${path}.${key} must be in [0, 1), got ${value}`);
  }
  if (!(out.earlyFraction + out.stepSizeFraction < 1)) throw new Error(`${path}: earlyFraction + stepSizeFraction must be < 1, got ${out.earlyFraction} + ${out.stepSizeFraction}`);
  for (const key of ['earlyWindow', 'mainWindow', 'updateEvery'] as const) checkInteger(`${path}.${key}`, out[key], 1);
  if (!(typeof out.windowGrowth === 'number' && out.windowGrowth >= 1 && Number.isFinite(out.windowGrowth))) {
    throw new Error(`${path}.windowGrowth must be a finite number >= 1, got ${out.windowGrowth}`);
  }
  return out;
}

function lowRankSettings(lowRank: Partial<LowRankFisherSettings> | undefined): LowRankFisherSettings {
  const out = { ...nutpieLowRankSettings, ...lowRank };
  if (lowRank !== undefined) checkKeys(lowRank, Object.keys(nutpieLowRankSettings), 'adaptation.lowRank', 'of the low-rank estimator');
  if (!(out.gamma > 0 && Number.isFinite(out.gamma))) throw new Error(`adaptation.lowRank.gamma must be finite and > 0, got ${out.gamma}`);
  if (!(out.eigenvalueCutoff >= 1 && Number.isFinite(out.eigenvalueCutoff))) {
    throw new Error(`adaptation.lowRank.eigenvalueCutoff must be finite and >= 1, got ${out.eigenvalueCutoff}`);
  }
  return out;
}

function resolveInit(init: SampleOptions['init'], chains: number, dim: number | undefined): InitSpec {
  if (init === undefined) return { radius: 2 };
  if ('positions' in init) {
    checkKeys(init, ['positions'], 'init', 'with positions');
    const { positions } = init;
    if (!(positions instanceof Float64Array)) throw new Error('init.positions must be a Float64Array');
    if (dim !== undefined && positions.length !== dim && positions.length !== chains * dim) {
      throw new Error(`init.positions has length ${positions.length}; expected dim = ${dim} or chains * dim = ${chains * dim}`);
    }
    return { radius: 2, positions };
  }
  checkKeys(init, ['radius'], 'init', 'with a radius');
  const { radius } = init;
  if (!(typeof radius === 'number' && radius >= 0 && Number.isFinite(radius))) throw new Error(`init.radius must be finite and >= 0, got ${radius}`);
  return { radius };
}

function metricKind(metric: string | undefined): 'diag' | 'dense' {
  const kind = metric ?? 'diag';
  if (kind !== 'diag' && kind !== 'dense') throw new Error(`adaptation.metric must be 'diag' or 'dense', got ${JSON.stringify(kind)}`);
  return kind;
}

function checkInverseMetric(inverseMetric: Float64Array | undefined, metric: MetricKind, dim: number | undefined, path: string): void {
  if (inverseMetric === undefined) return;
  if (!(inverseMetric instanceof Float64Array)) throw new Error(`${path} must be a Float64Array`);
  if (dim === undefined) return;
  const length = inverseMetric.length;
  const fits = metric === 'diag' ? length === dim : length === dim || length === dim * dim;
  if (!fits) throw new Error(`${path} has length ${length}, which does not fit a ${metric} metric of dim ${dim}`);
}

function given(inverseMetric: Float64Array | undefined): { inverseMetric?: Float64Array } {
  return inverseMetric === undefined ? {} : { inverseMetric };
}

function positiveStepSize(value: number, path: string): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) throw new Error(`${path} must be finite and > 0, got ${value}`);
  return value;
}

function checkProbability(path: string, value: number): void {
  if (!(typeof value === 'number' && value > 0 && value < 1)) throw new Error(`${path} must be in (0, 1), got ${value}`);
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`);
}

function checkKeys(object: object, allowed: readonly string[], path: string, what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new Error(`${path}.${key} is not an option ${what}; its options: ${allowed.join(', ')}`);
  }
}
