/**
 * Fit a mediation model end to end: data file (or validated data) and mediation run config in;
 * posterior, direct / indirect / total effects per channel and path effects out. Steps: load and
 * validate the data (src/data; national data only), resolve the mediation graph against the
 * channels (models/mediation/structure.ts), scale, build the joint model (models/mediation/model.ts),
 * sample (src/inference), and compute the effects per draw (src/analysis/mediationEffects.ts).
 */
import { ConfigError } from '../config/index.js';
import { loadMmmData, scaleData, type MmmData, type ScaledData } from '../data/index.js';
import { sampleModel, type FitResult } from '../inference/index.js';
import { describeBackend, initBackend, type BackendInfo, type BackendName } from '../tensor/index.js';
import { progressBar, type SampleProgress } from '../../samplers/index.js';
import { designFromData, type MmmDesign } from '../../models/mmm/index.js';
import { createMediationModel, resolveStructure, type MediationModel, type MediationStructure } from '../../models/mediation/index.js';
import { mediationEffects, type MediationEffects } from '../analysis/mediationEffects.js';
import { samplerOptions, withSamplerOverrides, type SamplerConfig } from '../mmm/config.js';
import { loadMediationConfig, parseMediationConfig, type MediationRunConfig } from './config.js';

export interface MediationFitOptions extends Partial<SamplerConfig> {
  /** Force a tfjs backend (else MIXWELL_BACKEND, else the order of choice). */
  readonly backend?: BackendName;
  /** Report progress on stderr (a bar on a TTY, a line per 10% or per minute otherwise; samplers/progress.ts). Default true. */
  readonly progress?: boolean;
  readonly onProgress?: (progress: SampleProgress) => void;
  /** Print the backend line on stderr. Default true. */
  readonly verbose?: boolean;
  /** Overrides the config's effects.maxDraws. */
  readonly maxDraws?: number;
}

export interface MediationFit {
  readonly config: MediationRunConfig;
  readonly configFile?: string;
  readonly data: MmmData;
  readonly scaled: ScaledData;
  readonly design: MmmDesign;
  readonly structure: MediationStructure;
  readonly model: MediationModel;
  readonly result: FitResult;
  readonly sampler: SamplerConfig;
  readonly backend: BackendInfo;
  /** Direct, indirect and total effects per channel (rows) and path effects. */
  readonly effects: MediationEffects;
}

export type MediationConfigInput = MediationRunConfig | string | Record<string, unknown>;

function isRunConfig(config: object): config is MediationRunConfig {
  const c = config as Partial<MediationRunConfig>;
  return typeof c.model === 'object' && c.model !== null && 'mediators' in c.model && typeof c.sampler === 'object' && typeof c.effects === 'object';
}

function resolveConfig(config: MediationConfigInput): { config: MediationRunConfig; file?: string } {
  if (typeof config === 'string') return { config: loadMediationConfig(config), file: config };
  if (isRunConfig(config)) return { config };
  return { config: parseMediationConfig(config, 'config') };
}

/** Fit: `data` is a CSV path or validated data; `config` a path, a JSON object or a parsed MediationRunConfig. */
export async function fitMediation(data: string | MmmData, config: MediationConfigInput, options: MediationFitOptions = {}): Promise<MediationFit> {
  const { config: runConfig, file } = resolveConfig(config);
  const backend = await initBackend(options.backend);
  if (options.verbose ?? true) process.stderr.write(`${describeBackend(backend)}\n`);
  const mmmData = typeof data === 'string' ? await loadMmmData(data, runConfig.data, { impute: runConfig.impute }) : data;
  if (mmmData.G !== 1) throw new ConfigError(file ?? 'config', 'data.geo', `mediation supports national data only (one geo); the data has ${mmmData.G} geos`);
  const structure = resolveStructure(runConfig.model, mmmData.channelNames, file);
  const scaled = scaleData(mmmData, { populationScaling: runConfig.scaling.populationScaling });
  const design = designFromData(mmmData, scaled);
  const model = createMediationModel(design, runConfig.model, structure);
  const sampler: SamplerConfig = withSamplerOverrides(runConfig.sampler, options);
  const bar = (options.progress ?? true) ? progressBar() : undefined;
  const onProgress = options.onProgress || bar ? (p: SampleProgress) => { options.onProgress?.(p); bar?.(p); } : undefined;
  let result: FitResult;
  try {
    result = sampleModel(model.definition, { ...samplerOptions(sampler), onProgress });
  } finally {
    model.definition.dispose?.();
  }
  const effects = mediationEffects(model, result.posterior, {
    maxDraws: options.maxDraws ?? runConfig.effects.maxDraws,
    marginalStep: runConfig.effects.marginalStep,
  });
  return { config: runConfig, configFile: file, data: mmmData, scaled, design, structure, model, result, sampler, backend, effects };
}
