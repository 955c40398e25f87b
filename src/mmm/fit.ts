/**
 * Fit the geo MMM end to end: data file (or validated data) and run config in, posterior out.
 * Steps: load and validate the data (src/data), scale it, build the model's design (with the
 * holdout as a likelihood mask), create the model (models/mmm), sample (src/inference), and keep
 * everything the analysis and the run directory need.
 */
import { loadMmmData, scaleData, type MmmData, type ScaledData } from '../data/index.js';
import { compile } from '../ppl/index.js';
import { sampleModel, sampleModelParallel, workerCount, type FitOptions, type FitResult } from '../inference/index.js';
import { describeBackend, initBackend, type BackendInfo, type BackendName } from '../tensor/index.js';
import { progressBar, type SampleProgress } from '../../samplers/index.js';
import {
  checkModelConfigAgainstData,
  designFromData,
  withHoldout,
  createGeoMmm,
  geoMmmSource,
  type MmmDesign,
  type GeoMmmModel,
} from '../../models/mmm/index.js';
import { loadRunConfig, parseRunConfig, samplerOptions, type RunConfig, type SamplerConfig } from './config.js';

export interface MmmFitOptions extends Partial<SamplerConfig> {
  /** Force a tfjs backend (else MIXWELL_BACKEND, else the order of choice). */
  readonly backend?: BackendName;
  /** Draw a progress bar on stderr when it is a TTY. Default true. */
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

/** One line on how the fit treats the linear block (intercepts, trend, seasonality, controls, events). */
export function describeLinearBlock(decision: GeoMmmModel['linearBlock']): string {
  return decision.integrate
    ? 'linear block (intercepts, trend, seasonality, controls, events): integrated out, drawn exactly for every kept draw'
    : `linear block (intercepts, trend, seasonality, controls, events): sampled with the other parameters (${decision.reason})`;
}

/** Fit the MMM: `data` is a CSV path or validated data; `config` a path, a JSON object or a RunConfig. */
export async function fitMmm(data: string | MmmData, config?: ConfigInput, options: MmmFitOptions = {}): Promise<MmmFit> {
  const { config: runConfig, file } = resolveConfig(config);
  const backend = await initBackend(options.backend);
  if (options.verbose ?? true) process.stderr.write(`${describeBackend(backend)}\n`);
  const mmmData = typeof data === 'string' ? await loadMmmData(data, runConfig.data, { impute: runConfig.impute }) : data;
  checkModelConfigAgainstData(runConfig.model, mmmData.channelNames, file, mmmData);
  const scaled = scaleData(mmmData, { populationScaling: runConfig.scaling.populationScaling, kpi: runConfig.scaling.kpi });
  const design = withHoldout(designFromData(mmmData, scaled), runConfig.holdout.periods);
  const model = createGeoMmm(design, runConfig.model);
  if (options.verbose ?? true) process.stderr.write(`${describeLinearBlock(model.linearBlock)}\n`);
  const sampler: SamplerConfig = {
    ...runConfig.sampler,
    ...Object.fromEntries(Object.entries(options).filter(([key, v]) => v !== undefined && key in runConfig.sampler)),
  };
  const bar = (options.progress ?? true) ? progressBar() : undefined;
  const onProgress = options.onProgress || bar ? (p: SampleProgress) => { options.onProgress?.(p); bar?.(p); } : undefined;
  const fitOptions: FitOptions = { ...samplerOptions(sampler), onProgress };
  const workers = sampler.pooledAdaptation ? 1 : workerCount(sampler.chains, options.workers);
  try {
    const result =
      workers > 1
        ? await sampleModelParallel(compile(model.definition), geoMmmSource(design, runConfig.model), fitOptions, { workers, backend: backend.name })
        : sampleModel(model.definition, fitOptions);
    return { config: runConfig, configFile: file, data: mmmData, scaled, design, model, result, sampler, backend, workers };
  } finally {
    model.definition.dispose?.();
  }
}
