/**
 * The geo MMM as a model source for worker threads (src/inference/parallel.ts): a worker imports
 * this module and calls `geoMmmDefinition` with the design and model config (plain data, cloned
 * into the worker) to build its own copy of the model.
 */
import type { ModelDefinition } from '../../src/ppl/index.js';
import type { ModelSource } from '../../src/ppl/index.js';
import type { MmmModelConfig } from './config.js';
import type { MmmDesign } from './design.js';
import { createGeoMmm, type GeoMmmOptions } from './geoModel.js';

export interface GeoMmmSourceArgs {
  readonly design: MmmDesign;
  readonly config: MmmModelConfig;
  readonly options?: GeoMmmOptions;
}

export function geoMmmDefinition(args: unknown): ModelDefinition {
  const { design, config, options } = args as GeoMmmSourceArgs;
  return createGeoMmm(design, config, options).definition;
}

/** The source a worker builds the same geo MMM from. */
export function geoMmmSource(design: MmmDesign, config: MmmModelConfig, options?: GeoMmmOptions): ModelSource {
  const args: GeoMmmSourceArgs = { design, config, options };
  return { module: import.meta.url, exportName: 'geoMmmDefinition', args };
}
