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

/**
 * The data with channel `channel` made a reach and frequency channel: its media read as the reach,
 * and a synthetic average frequency (1 to 5, fixed seed) where the reach is positive (0 elsewhere).
 */
export function withRfChannel(data: MmmData, channel: string, seed = 3, kind: 'rf' | 'organicRf' = 'rf'): MmmData {
  const c = data.channelNames.indexOf(channel);
  if (c < 0) throw new Error(`withRfChannel: no channel ${channel}`);
  const C = data.channelNames.length;
  const cells = data.media.length / C;
  const frequency = data.rfFrequency ? Float64Array.from(data.rfFrequency) : new Float64Array(data.media.length);
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let n = 0; n < cells; n++) if (data.media[n * C + c] > 0) frequency[n * C + c] = 1 + 4 * uniform();
  return { ...data, channelKinds: data.channelKinds.map((k, i) => (i === c ? kind : k)), rfFrequency: frequency };
}
