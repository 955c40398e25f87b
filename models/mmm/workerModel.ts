/**
 * The geo MMM as a model source for worker threads (src/inference/parallel.ts): a worker imports
 * this module and calls `geoMmmDefinition` with the design and model config (plain data, cloned
 * into the worker) to build its own copy of the model.
 */
import type { ModelDefinition } from '../../src/ppl/index.js';
import type { ModelSource } from '../../src/ppl/index.js';
import type { MmmModelConfig } from './config.js';
import type { MmmDesign } from './design.js';
import { createGeoMmm } from './model.js';

export interface GeoMmmSourceArgs {
  readonly design: MmmDesign;
  readonly config: MmmModelConfig;
}

export function geoMmmDefinition(args: unknown): ModelDefinition {
  const { design, config } = args as GeoMmmSourceArgs;
  return createGeoMmm(design, config).definition;
}

/** The source a worker builds the same geo MMM from. */
export function geoMmmSource(design: MmmDesign, config: MmmModelConfig): ModelSource {
  const args: GeoMmmSourceArgs = { design, config };
  return { module: import.meta.url, exportName: 'geoMmmDefinition', args };
}
