/**
 * The benchmark's models: the geo MMM with the reference config (models/mmm/config.ts,
 * DEFAULT_MODEL_CONFIG = shared/reference-model.md) on the bundled example data and on the Stan
 * peer's simulated data (../shared/bench/stan/data, the reference benchmark sizes). The Stan files
 * use `geo`, `week`, `spend_<channel>`, `control_<name>` and `sales`, which src/data's role
 * detection recognizes; the geo, date and KPI columns are still named explicitly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadMmmData, scaleData, type MmmData, type PartialDataSpec } from '../../src/data/index.js';
import { compile, type CompiledModel } from '../../src/ppl/index.js';
import { DEFAULT_MODEL_CONFIG, designFromData, createGeoMmm } from '../../models/mmm/index.js';

export interface BenchModel {
  /** Short id used on the command line and in results. */
  readonly id: string;
  /** Path relative to the project root. */
  readonly file: string;
  /** Where the file comes from; shared files may be absent. */
  readonly source: 'examples' | 'shared';
  /** Key in ../shared/bench/stan/results/gradbench.json with the same data, if any. */
  readonly stanSize?: string;
  /** Only run when asked (--geo-100). */
  readonly optIn?: boolean;
  readonly spec: () => PartialDataSpec;
}

const STAN_SPEC: PartialDataSpec = { geo: 'geo', date: 'week', kpi: 'sales' };

function exampleSpec(name: string, root: string): PartialDataSpec {
  const config = JSON.parse(readFileSync(join(root, 'examples', `${name}.config.json`), 'utf8')) as { data: PartialDataSpec };
  return config.data;
}

export const SHARED_DIR = '../shared';
export const STAN_GRADBENCH = `${SHARED_DIR}/bench/stan/results/gradbench.json`;

export function benchModels(root: string): readonly BenchModel[] {
  return [
    { id: 'national-example', file: 'examples/national.csv', source: 'examples', spec: () => exampleSpec('national', root) },
    { id: 'geo-example', file: 'examples/geo.csv', source: 'examples', spec: () => exampleSpec('geo', root) },
    { id: 'national', file: `${SHARED_DIR}/bench/stan/data/national.csv`, source: 'shared', stanSize: 'national', spec: () => STAN_SPEC },
    { id: 'geo-20', file: `${SHARED_DIR}/bench/stan/data/geo-20.csv`, source: 'shared', stanSize: 'geo-20', spec: () => STAN_SPEC },
    { id: 'geo-100', file: `${SHARED_DIR}/bench/stan/data/geo-100.csv`, source: 'shared', stanSize: 'geo-100', optIn: true, spec: () => STAN_SPEC },
  ];
}

export function modelFileExists(root: string, model: BenchModel): boolean {
  return existsSync(resolve(root, model.file));
}

export interface LoadedModel {
  readonly data: MmmData;
  readonly compiled: CompiledModel;
}

/** Load the data, build the reference geo MMM and compile its log density. */
export async function loadBenchModel(root: string, model: BenchModel): Promise<LoadedModel> {
  const data = await loadMmmData(resolve(root, model.file), model.spec());
  const design = designFromData(data, scaleData(data));
  const compiled = compile(createGeoMmm(design, DEFAULT_MODEL_CONFIG).definition);
  return { data, compiled };
}
