/**
 * Shared by the metric experiments (oracle.ts, metricQuality.ts): the reference model compiled for
 * geo-20 in a given parameterization, and Stan's stored posterior draws
 * (shared/bench/stan/results/SIZE.draws.csv.gz) mapped to Mixwell's unconstrained space (for centered
 * parameterizations tau = tau0 + sigma_tau v and log_beta = m + eta u are formed from Stan's draws).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadMmmData, scaleData } from '../../../../src/data/index.js';
import { designFromData, withHoldout, createGeoMmm } from '../../../../models/mmm/index.js';
import { parseRunConfig } from '../../../../src/mmm/config.js';
import { compile, type CompiledModel } from '../../../../src/ppl/index.js';
import { initBackend } from '../../../../src/tensor/index.js';
import { pooledChainCovariance } from '../../../../samplers/adaptation/pooledCovariance.js';

export async function referenceTarget(shared: string, size: string, model: Record<string, unknown> = {}): Promise<CompiledModel> {
  await initBackend();
  const config = parseRunConfig({ data: { geo: 'geo', date: 'week', kpi: 'sales' }, model });
  const data = await loadMmmData(join(shared, 'bench', 'stan', 'data', `${size}.csv`), config.data, {});
  const scaled = scaleData(data, { populationScaling: config.scaling.populationScaling });
  return compile(createGeoMmm(withHoldout(designFromData(data, scaled), 0), config.model).definition);
}

/** Stan's draws (chains concatenated, 1000 per chain) as unconstrained positions of `target`. */
export function stanDrawsUnconstrained(shared: string, size: string, target: CompiledModel): Float64Array[] {
  const file = join(shared, 'bench', 'stan', 'results', `${size}.draws.csv.gz`);
  const lines = gunzipSync(readFileSync(file)).toString().trim().split('\n');
  const column = new Map(lines[0].slice(1, -1).split('","').map((name, i) => [name, i]));
  const at = (row: number[], name: string) => {
    const index = column.get(name);
    if (index === undefined) throw new Error(`${file}: no column ${name}`);
    return row[index];
  };
  return lines.slice(1).map((line) => {
    const row = line.split(',').map(Number);
    const values: Record<string, number[]> = {};
    for (const p of target.layout) {
      const out: number[] = [];
      const [rows, cols] = [p.shape[0] ?? 1, p.shape[1] ?? 1];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (p.name === 'tau') out.push(at(row, 'tau0') + at(row, 'sigma_tau') * at(row, `v[${i + 1}]`));
          else if (p.name === 'log_beta') out.push(at(row, `m[${j + 1}]`) + at(row, `eta[${j + 1}]`) * at(row, `u[${i + 1},${j + 1}]`));
          else if (p.shape.length === 0) out.push(at(row, p.name));
          else if (p.shape.length === 1) out.push(at(row, `${p.name}[${i + 1}]`));
          else out.push(at(row, `${p.name}[${i + 1},${j + 1}]`));
        }
      }
      values[p.name] = out;
    }
    return target.unconstrain(values);
  });
}

/** Sample covariance of rows (row-major [dim, dim]): the pooled estimate with the rows as one chain. */
export function sampleCovariance(rows: readonly Float64Array[], dim: number): Float64Array {
  return pooledChainCovariance([rows], dim).covariance;
}
