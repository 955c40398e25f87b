/** The bundled example data (examples/<name>.csv) loaded with the data section of its config. */
import { readFileSync } from 'node:fs';
import { loadMmmData, type MmmData } from '../../src/data/index.js';

export function loadExample(name: 'geo' | 'national'): Promise<MmmData> {
  return loadMmmData(`examples/${name}.csv`, JSON.parse(readFileSync(`examples/${name}.config.json`, 'utf8')).data);
}
