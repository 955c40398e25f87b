/**
 * The run config of a mediation fit, as one JSON file: data roles (src/data), scaling, the model
 * (models/mediation/config.ts: `model` and `mediators`), how the effects are computed, sampler
 * settings and explicit imputation. Every key is checked; unknown keys and wrong types are errors
 * naming the file and the key path (the shared keys through the MMM's own parser, src/mmm/config.ts).
 *
 *   { "data": {...roles...}, "model": {...}, "mediators": {"search": {"drivenBy": ["social", "tv"]}},
 *     "effects": {"maxDraws": 1000, "marginalStep": 0.01}, "sampler": {...} }
 */
import type { PartialDataSpec } from '../data/index.js';
import { ConfigError, readJsonConfig } from '../config/index.js';
import { parseRunConfig, type SamplerConfig } from '../mmm/config.js';
import { parseMediationModel, type MediationModelConfig } from '../../models/mediation/index.js';

export interface MediationRunConfig {
  readonly data: PartialDataSpec;
  readonly scaling: { readonly populationScaling: boolean };
  readonly model: MediationModelConfig;
  readonly effects: { readonly maxDraws?: number; readonly marginalStep: number };
  readonly sampler: SamplerConfig;
  readonly impute: Readonly<Record<string, 'zero' | 'linear' | 'mean'>>;
}

const TOP_KEYS = ['data', 'scaling', 'model', 'mediators', 'effects', 'sampler', 'impute'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mediation run config from parsed JSON. */
export function parseMediationConfig(json: unknown, file = 'config'): MediationRunConfig {
  if (!isObject(json)) throw new ConfigError(file, '(top level)', 'expected a JSON object');
  for (const key of Object.keys(json)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(file, key, `unknown key (allowed: ${TOP_KEYS.join(', ')})`);
  }
  // data, scaling, sampler and impute follow the MMM run config's rules.
  const shared = parseRunConfig({ data: json.data, scaling: json.scaling, sampler: json.sampler, impute: json.impute }, file);
  const model = parseMediationModel(json.model, json.mediators, file);
  let maxDraws: number | undefined;
  let marginalStep = 0.01;
  if (json.effects !== undefined) {
    if (!isObject(json.effects)) throw new ConfigError(file, 'effects', 'expected an object');
    for (const [key, v] of Object.entries(json.effects)) {
      if (key === 'maxDraws') {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(file, 'effects.maxDraws', `expected an integer >= 1, got ${JSON.stringify(v)}`);
        maxDraws = v;
      } else if (key === 'marginalStep') {
        if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new ConfigError(file, 'effects.marginalStep', `expected a number in (0, 1], got ${JSON.stringify(v)}`);
        marginalStep = v;
      } else {
        throw new ConfigError(file, `effects.${key}`, 'unknown key (allowed: maxDraws, marginalStep)');
      }
    }
  }
  return {
    data: shared.data,
    scaling: shared.scaling,
    model,
    effects: maxDraws === undefined ? { marginalStep } : { maxDraws, marginalStep },
    sampler: shared.sampler,
    impute: shared.impute,
  };
}

/** Read and parse a mediation run config file. */
export function loadMediationConfig(path: string): MediationRunConfig {
  return parseMediationConfig(readJsonConfig(path), path);
}
