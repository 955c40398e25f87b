/** The bundled example data (examples/<name>.csv) loaded with the data section of its config. */
import { readFileSync } from 'node:fs';
import { loadMmmData, type MmmData, type PartialDataSpec } from '../../src/data/index.js';

export function loadExample(name: 'geo' | 'national'): Promise<MmmData> {
  return loadExampleWith(name, (spec) => spec);
}

/** The bundled example with its config's data section changed by `edit` (e.g. a channel made organic). */
export function loadExampleWith(name: 'geo' | 'national', edit: (spec: PartialDataSpec) => PartialDataSpec): Promise<MmmData> {
  return loadMmmData(`examples/${name}.csv`, edit(JSON.parse(readFileSync(`examples/${name}.config.json`, 'utf8')).data as PartialDataSpec));
}
