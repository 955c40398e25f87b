/**
 * Where a worker thread gets its model: worker threads share no functions with the main thread, so
 * a model that should be sampled in parallel is named by a module (file URL), the name of an
 * exported factory in it and the factory's arguments (structured-cloneable: plain objects, typed
 * arrays, strings). The factory returns the model definition; each worker builds its own.
 */
import type { ModelDefinition } from './model.js';

export interface ModelSource {
  /** URL of the module (e.g. `new URL('./model.ts', import.meta.url).href`). */
  readonly module: string;
  /** Name of the exported factory `(args) => ModelDefinition | Promise<ModelDefinition>`. */
  readonly exportName: string;
  readonly args: unknown;
}

export type ModelFactory = (args: unknown) => ModelDefinition | Promise<ModelDefinition>;

/** Import the source's module and build the model. */
export async function loadModel(source: ModelSource): Promise<ModelDefinition> {
  const module = (await import(source.module)) as Record<string, unknown>;
  const factory = module[source.exportName];
  if (typeof factory !== 'function') throw new Error(`model source ${source.module}: no exported function "${source.exportName}"`);
  return (factory as ModelFactory)(source.args);
}
