/**
 * Fit the geo MMM end to end: data file (or validated data) and run config in, posterior out.
 * Steps: load and validate the data (src/data), scale it, build the model's design (with the
 * holdout as a likelihood mask), create the model (models/mmm), sample (src/inference), and keep
 * everything the analysis and the run directory need. With `checkpoint`, sampling (the centering
 * pilot and the main run) takes checkpoints and can continue from one (fitCheckpoint.ts).
 */
import { loadMmmData, scaleData, type MmmData, type ScaledData } from '../data/index.js';
import { compile } from '../ppl/index.js';
import {
  MIN_WARMUP_FOR_PILOT,
  lastDraws,
  pilotCenteringWeights,
  pilotFinalPositions,
  pilotInverseMetric,
  pilotLength,
  fitFromSamples,
  sampleModel,
  sampleModelParallel,
  sampleParallel,
  workerCount,
  type FitOptions,
  type FitResult,
  type PilotLength,
  type StageRunner,
} from '../inference/index.js';
import { describeBackend, initBackend, type BackendInfo, type BackendName } from '../tensor/index.js';
import { progressBar, sample, type CheckpointOptions, type RunSnapshot, type SampleOptions, type SampleProgress, type SampleResult } from '../../samplers/index.js';
import {
  checkModelConfigAgainstData,
  withRfChannels,
  describeKnots,
  describeMediaPrior,
  designFromData,
  mediaPriorLabel,
  timeKnots,
  type KnotChoice,
  withHoldout,
  createGeoMmm,
  geoMmmSource,
  type MmmDesign,
  type GeoMmmModel,
  type MmmModelConfig,
  resolveLiftTests,
  checkPriors,
} from '../../models/mmm/index.js';
import { ConfigError } from '../config/index.js';
import { identificationWarnings, mediaIdentification } from '../analysis/identification.js';
import { FitCheckpoint, fitFingerprint, type FitCheckpointOptions, type FitCheckpointState } from './fitCheckpoint.js';
import { loadRunConfig, parseRunConfig, samplerOptions, withSamplerOverrides, type RunConfig, type SamplerConfig } from './config.js';

export interface MmmFitOptions extends Partial<SamplerConfig> {
  /** Force a tfjs backend (else MIXWELL_BACKEND, else the order of choice). */
  readonly backend?: BackendName;
  /** Report progress on stderr (a bar on a TTY, a line per 10% or per minute otherwise; samplers/progress.ts). Default true. */
  readonly progress?: boolean;
  readonly onProgress?: (progress: SampleProgress) => void;
  /** Print the backend line on stderr. Default true. */
  readonly verbose?: boolean;
  /**
   * Worker threads the chains are split over (src/inference/parallel.ts); default: the machine's
   * available parallelism, at most one per chain. 1 samples in this thread. The draws do not depend
   * on it (same seed, same draws).
   */
  readonly workers?: number;
  /**
   * Take checkpoints to a file, and maybe continue from one (fitCheckpoint.ts): a killed fit resumed
   * with the same data, config and settings gives the draws of an uninterrupted one. The chains then
   * run on worker threads even with `workers` 1 (same draws), so this thread stays free for signals.
   */
  readonly checkpoint?: FitCheckpointOptions;
  /**
   * Run the sampler's stages elsewhere (e.g. each chain as a queue job: src/batch/chainQueue.ts,
   * `mixwell fit --queue`) instead of on this machine's threads; same draws.
   */
  readonly stageRunner?: StageRunner;
}

export interface MmmFit {
  readonly config: RunConfig;
  readonly configFile?: string;
  readonly data: MmmData;
  readonly scaled: ScaledData;
  /** The design the model was fitted on (holdout masked). */
  readonly design: MmmDesign;
  readonly model: GeoMmmModel;
  readonly result: FitResult;
  readonly sampler: SamplerConfig;
  readonly backend: BackendInfo;
  /** Worker threads the chains ran on (1: this thread). */
  readonly workers: number;
  /** How the geo media effects' sampler coordinates were chosen (the posterior is the same either way). */
  readonly centering: CenteringChoice;
  /** The knots of the time effect (config `time`), with the BIC selection when "auto"; absent without knots. */
  readonly knots?: KnotChoice;
  /** With checkpoints: how far the checkpoint this fit continued from had got, and a checkpoint set aside (of another fit, damaged). */
  readonly checkpoint?: { readonly resumedFrom?: string; readonly setAside?: string };
}

export type ConfigInput = RunConfig | string | Record<string, unknown>;

function resolveConfig(config: ConfigInput | undefined): { config: RunConfig; file?: string } {
  if (config === undefined) return { config: parseRunConfig({}) };
  if (typeof config === 'string') return { config: loadRunConfig(config), file: config };
  if ('sampler' in config && 'model' in config && 'holdout' in config && 'scaling' in config && typeof (config as RunConfig).holdout?.periods === 'number') {
    return { config: config as RunConfig };
  }
  return { config: parseRunConfig(config, 'config') };
}

/** One line on how the fit treats the linear block (intercepts, trend or knots, seasonality, controls, events). */
export function describeLinearBlock(decision: GeoMmmModel['linearBlock']): string {
  return decision.integrate
    ? 'linear block (intercepts, trend or knots, seasonality, controls, events, treatments): integrated out, drawn exactly for every kept draw'
    : `linear block (intercepts, trend or knots, seasonality, controls, events, treatments): sampled with the other parameters (${decision.reason})`;
}

/**
 * Everything of a fit that comes before the model and the sampler, on the host: the model config
 * checked against the data (channels, geos, dates, knots, the priors' elements, the lift tests' spend changes), the
 * holdout against the periods, population scaling against the data, the scaling, the design with its holdout and the knots. A problem of
 * the config is a ConfigError naming `file` and the key.
 */
export function fitDesign(config: RunConfig, data: MmmData, file = 'config'): { runConfig: RunConfig; scaled: ScaledData; design: MmmDesign; knots?: KnotChoice } {
  // reach and frequency channels come from the data (their transform: models/mmm transformKinds.ts)
  const runConfig: RunConfig = { ...config, model: withRfChannels(config.model, data.channelNames, data.channelKinds) };
  const T = data.dates.length;
  const holdout = runConfig.holdout.periods;
  if (holdout > T - 2) {
    throw new ConfigError(file, 'holdout.periods', `${holdout} periods held out of the data's ${T}: at most ${Math.max(0, T - 2)}, so that at least 2 periods are fitted`);
  }
  if (runConfig.scaling.populationScaling && data.population === undefined) {
    throw new ConfigError(file, 'scaling.populationScaling', `true needs a population per geo, and the data has none: name its column in data.population, or set populationScaling to false`);
  }
  checkModelConfigAgainstData(runConfig.model, data.channelNames, file, { geoNames: data.geoNames, dates: data.dates, holdoutPeriods: holdout });
  const scaled = scaleData(data, { populationScaling: runConfig.scaling.populationScaling, kpi: runConfig.scaling.kpi });
  const design = withHoldout(designFromData(data, scaled), holdout);
  // the priors' elements and the lift tests against the data (a spend change that would make spend negative, ...), named in this config file
  checkPriors(design, runConfig.model, file);
  resolveLiftTests(design, runConfig.model, file);
  // "auto" knots are chosen here, before sampling, on the design (the same choice wherever the model is rebuilt from it)
  const knots = timeKnots(design, runConfig.model);
  return { runConfig, scaled, design, ...(knots ? { knots } : {}) };
}

/** Fit the MMM: `data` is a CSV path or validated data; `config` a path, a JSON object or a RunConfig. */
export async function fitMmm(data: string | MmmData, config?: ConfigInput, options: MmmFitOptions = {}): Promise<MmmFit> {
  const { config: givenConfig, file } = resolveConfig(config);
  // the data first: a missing or invalid file is reported before anything else starts
  const mmmData = typeof data === 'string' ? await loadMmmData(data, givenConfig.data, { impute: givenConfig.impute }) : data;
  // then the config against the data: a bad config is reported before the backend starts
  const { runConfig, scaled, design, knots } = fitDesign(givenConfig, mmmData, file);
  const backend = await initBackend(options.backend);
  if (options.verbose ?? true) process.stderr.write(`${describeBackend(backend)}\n`);
  const model = createGeoMmm(design, runConfig.model);
  if (options.verbose ?? true) process.stderr.write(`${describeLinearBlock(model.linearBlock)}\n${knots ? `${describeKnots(knots)}\n` : ''}`);
  const mediaPrior = describeMediaPrior(design, runConfig.model);
  if ((options.verbose ?? true) && mediaPrior) process.stderr.write(`${mediaPrior}\n`);
  // channels the data can hardly identify: said before sampling (the report's health check repeats it)
  if (options.verbose ?? true) for (const line of identificationWarnings(mediaIdentification(design))) process.stderr.write(`warning: ${line}\n`);
  const sampler: SamplerConfig = withSamplerOverrides(runConfig.sampler, options);
  const bar = (options.progress ?? true) ? progressBar() : undefined;
  const onProgress = options.onProgress || bar ? (p: SampleProgress) => { options.onProgress?.(p); bar?.(p); } : undefined;
  const fitOptions: FitOptions = { ...samplerOptions(sampler), onProgress };
  const workers = sampler.pooledAdaptation ? 1 : workerCount(sampler.chains, options.workers);
  // checkpoints: the state to continue from (checked against this fit's inputs), and where snapshots go
  const checkpoint = options.checkpoint && new FitCheckpoint(options.checkpoint, fitFingerprint({ data: mmmData, config: runConfig, sampler, backend: backend.name }));
  const saved: FitCheckpointState | undefined = checkpoint?.load();
  const threads = workers > 1 || checkpoint !== undefined || options.stageRunner !== undefined;
  const runStage = options.stageRunner ? { runStage: options.stageRunner } : {};
  if (checkpoint?.setAside && (options.verbose ?? true)) process.stderr.write(`checkpoint set aside, starting afresh: ${checkpoint.setAside}\n`);
  const checkpointInfo = (): Pick<MmmFit, 'checkpoint'> =>
    checkpoint ? { checkpoint: { ...(checkpoint.resumedFrom ? { resumedFrom: checkpoint.resumedFrom } : {}), ...(checkpoint.setAside ? { setAside: checkpoint.setAside } : {}) } } : {};
  const checkpointing = (phase: 'pilot' | 'main', pilotResult?: SampleResult): CheckpointOptions | undefined => {
    if (!checkpoint) return undefined;
    const resume: RunSnapshot | undefined = saved?.phase === phase ? saved.run : undefined;
    return {
      ...(options.checkpoint?.seconds !== undefined ? { seconds: options.checkpoint.seconds } : {}),
      ...(options.checkpoint?.shouldStop ? { shouldStop: options.checkpoint.shouldStop } : {}),
      ...(resume ? { resume } : {}),
      onSnapshot: (run) => checkpoint.save(phase === 'pilot' ? { phase, run } : { phase, run, ...(pilotResult ? { pilot: pilotResult } : {}) }),
    };
  };
  const run = async (definition: GeoMmmModel, modelConfig: MmmModelConfig, runOptions: FitOptions, pilotResult?: SampleResult): Promise<FitResult> => {
    // sampling done before the checkpoint: only what follows it is computed again
    if (saved?.phase === 'done') return fitFromSamples(compile(definition.definition), saved.samples, runOptions, 0);
    const ck = checkpointing('main', pilotResult);
    const withCheckpoint = ck ? { ...runOptions, checkpoint: ck } : runOptions;
    const result = threads
      ? await sampleModelParallel(compile(definition.definition), geoMmmSource(design, modelConfig), withCheckpoint, { workers, backend: backend.name, ...runStage })
      : sampleModel(definition.definition, withCheckpoint);
    checkpoint?.save({ phase: 'done', samples: result.samples, ...(pilotResult ? { pilot: pilotResult } : {}) });
    return result;
  };
  const plan = centeringPlan(model, runConfig.model, sampler);
  if (plan.kind !== 'pilot') {
    if (options.verbose ?? true) process.stderr.write(`${describeCentering(plan)}\n`);
    try {
      const result = await run(model, runConfig.model, fitOptions);
      return { config: runConfig, configFile: file, data: mmmData, scaled, design, model, result, sampler, backend, workers, centering: plan, ...(knots ? { knots } : {}), ...checkpointInfo() };
    } finally {
      model.definition.dispose?.();
    }
  }
  // The pilot: the model's own (non-centered) coordinates, the first part of the warmup.
  const { length } = plan;
  const iterationsPerChain = sampler.warmup + sampler.draws;
  // the main run's events continue the pilot's: iterations after its warmup, gradients after its gradients
  const shifted = (offset: number, gradientsBefore = 0) => (p: SampleProgress): void =>
    onProgress?.({ ...p, iteration: p.iteration + offset, iterationsPerChain, completed: p.completed + offset * p.chains, total: p.chains * iterationsPerChain, phase: offset === 0 ? 'warmup' : p.phase, gradients: gradientsBefore + p.gradients });
  const pilotStarted = performance.now();
  const channels = design.channelNames;
  const G = design.geoNames.length;
  const groups = channels.map((_, c) => Array.from({ length: G }, (_, g) => g * channels.length + c));
  let pilot: SampleResult;
  let weights: Record<string, number>;
  let mainConfig: MmmModelConfig;
  let main: GeoMmmModel;
  let init: { positions: Float64Array };
  let adaptation: FitOptions['adaptation'];
  try {
    // The pilot is warmup only (adapting all along); its warmup draws are kept for the variances.
    const pilotOptions: SampleOptions = {
      ...fitOptions,
      adaptation: pilotAdaptation(fitOptions.adaptation),
      warmup: length.warmup,
      draws: 0,
      saveWarmup: true,
      seed: `${sampler.seed}:centering-pilot`,
      onProgress: onProgress && shifted(0),
    };
    const pilotModel = compile(model.definition);
    if (saved && saved.phase !== 'pilot') {
      // the pilot finished before the checkpoint
      if (!saved.pilot) throw new Error(`${options.checkpoint!.file}: the checkpoint has no centering pilot, but this fit runs one`);
      pilot = saved.pilot;
    } else {
      const ck = checkpointing('pilot');
      const withCheckpoint: SampleOptions = ck ? { ...pilotOptions, checkpoint: ck } : pilotOptions;
      pilot = threads
        ? await sampleParallel(geoMmmSource(design, runConfig.model), withCheckpoint, { dim: pilotModel.dim, workers, backend: backend.name, ...runStage })
        : sample(pilotModel, withCheckpoint);
      checkpoint?.save({ phase: 'main', pilot });
    }
    const pilotDraws = pilot.warmup.draws;
    if (!pilotDraws) throw new Error('centering pilot: the sampler kept no warmup draws');
    const window = lastDraws(pilotDraws, pilotModel.dim, length.window);
    const chosen = pilotCenteringWeights(pilotModel, window, 'u', groups);
    weights = Object.fromEntries(channels.map((name, c) => [name, chosen[c]]));
    mainConfig = { ...runConfig.model, geo: { ...runConfig.model.geo, media: weights } };
    main = createGeoMmm(design, mainConfig);
    const mainModel = compile(main.definition);
    init = { positions: pilotFinalPositions(pilotModel, pilotDraws, mainModel) };
    adaptation = warmStart(fitOptions.adaptation, pilotInverseMetric(pilotModel, window, mainModel), pilot.warmup.stepSize);
  } finally {
    model.definition.dispose?.();
  }
  try {
    const centering: CenteringChoice = {
      kind: 'pilot',
      weights,
      pilot: {
        warmup: length.warmup,
        window: length.window,
        gradientEvaluations: pilot.gradientEvaluations,
        seconds: (performance.now() - pilotStarted) / 1000,
      },
    };
    if (options.verbose ?? true) process.stderr.write(`${describeCentering(centering)}\n`);
    const result = await run(
      main,
      mainConfig,
      {
        ...fitOptions,
        warmup: sampler.warmup - length.warmup,
        init,
        adaptation,
        onProgress: onProgress && shifted(length.warmup, pilot.gradientEvaluations),
      },
      pilot,
    );
    return { config: runConfig, configFile: file, data: mmmData, scaled, design, model: main, result, sampler, backend, workers, centering, ...(knots ? { knots } : {}), ...checkpointInfo() };
  } finally {
    main.definition.dispose?.();
  }
}

/**
 * The pilot stands for the first part of a full warmup, so with nutpie's schedule it runs that
 * part's early windows (10 draws each) throughout rather than a whole schedule squeezed into its
 * length, whose main window would otherwise hold its early transient (measured on simulated data:
 * such a pilot alone took 1.7x the gradients of a whole fit without one).
 */
function pilotAdaptation(adaptation: FitOptions['adaptation']): FitOptions['adaptation'] {
  if (adaptation?.kind !== 'nutpie') return adaptation;
  return { ...adaptation, schedule: { ...adaptation.schedule, earlyFraction: 0.99, stepSizeFraction: 0 } };
}

/**
 * The main warmup starts where the pilot left off: the pilot's variances (mapped to the new
 * coordinates) as the initial diagonal metric and its step sizes' geometric mean as the first step
 * size to search from, where the warmup strategy takes them (nutpie diag, Stan's windows); otherwise
 * as configured.
 */
function warmStart(adaptation: FitOptions['adaptation'], inverseMetric: Float64Array, stepSizes: Float64Array): FitOptions['adaptation'] {
  let logSum = 0;
  for (const stepSize of stepSizes) logSum += Math.log(stepSize);
  const initialStepSize = Math.exp(logSum / stepSizes.length);
  const start = Number.isFinite(initialStepSize) && initialStepSize > 0 ? { initialStepSize } : {};
  if (adaptation?.kind === 'nutpie' && adaptation.metric !== 'lowRank') return { ...adaptation, ...start, initialInverseMetric: inverseMetric };
  if (adaptation?.kind === 'stan') return { ...adaptation, ...start, initialInverseMetric: inverseMetric };
  return adaptation;
}

/**
 * How the sampler's coordinates for the geo media effects are chosen: a pilot picks each channel's
 * partial-centering weight (src/inference/centeringPilot.ts) when sampler.adaptiveCentering is on and
 * the model leaves the choice open (non-centered geo media effects under the coefficient prior, more
 * than one geo, a warmup long enough for a pilot); otherwise the model's coordinates as configured.
 */
export type CenteringChoice =
  | { readonly kind: 'pilot'; readonly weights: Readonly<Record<string, number>>; readonly pilot: PilotInfo }
  | { readonly kind: 'config'; readonly reason: string };

export interface PilotInfo {
  /** Warmup iterations the pilot ran (the first part of the fit's warmup). */
  readonly warmup: number;
  /** Its last iterations the variances were read from. */
  readonly window: number;
  readonly gradientEvaluations: number;
  readonly seconds: number;
}

type CenteringPlan = { readonly kind: 'pilot'; readonly length: PilotLength } | Extract<CenteringChoice, { kind: 'config' }>;

function centeringPlan(model: GeoMmmModel, config: MmmModelConfig, sampler: SamplerConfig): CenteringPlan {
  const configured = (reason: string): CenteringPlan => ({ kind: 'config', reason });
  if (!sampler.adaptiveCentering) return configured('sampler.adaptiveCentering is off');
  if (typeof config.geo.media === 'object') return configured('model.geo.media sets it per channel');
  if (config.geo.media !== 'noncentered') return configured(`model.geo.media is "${config.geo.media}"`);
  if (config.mediaPrior.type !== 'coefficient') return configured(`under ${mediaPriorLabel(config.mediaPrior.type)} m is derived, so the media effects stay non-centered`);
  if (!model.definition.parameters.u) return configured('one geo: no geo media effects');
  const length = pilotLength(sampler.warmup);
  if (!length) return configured(`a warmup of ${sampler.warmup} is too short for a centering pilot (at least ${MIN_WARMUP_FOR_PILOT})`);
  return { kind: 'pilot', length };
}

/** One line on the geo media effects' sampler coordinates. */
export function describeCentering(choice: CenteringChoice): string {
  if (choice.kind === 'config') return `geo media effects: sampled in the model's coordinates (${choice.reason})`;
  const weights = Object.entries(choice.weights).map(([name, w]) => `${name} ${w.toFixed(2)}`).join(', ');
  return `geo media effects: partial-centering weights from the first ${choice.pilot.warmup} warmup iterations (0 non-centered, 1 centered): ${weights}`;
}
