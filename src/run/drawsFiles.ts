/**
 * Posterior draws on disk, in formats pandas and ArviZ read:
 * - `draws.arrow`: one Apache Arrow IPC file (Feather v2; `pandas.read_feather`,
 *   `pyarrow.feather.read_table`), columns chain, draw, the sampler statistics and every scalar
 *   (flat Stan names such as `u[3,2]`);
 * - `draws/chain-<k>.csv`: CmdStan's CSV layout per chain (comment header, `lp__` ...
 *   `energy__`, then parameters with dotted names `u.3.2`), which `arviz.from_cmdstan` reads.
 * Reading back gives the same Posterior (chain-major draws).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { Posterior, type PosteriorVariable } from '../ppl/index.js';
import { elementCount, flatNames } from '../ppl/names.js';
import type { SampleResult } from '../../samplers/index.js';

const STAT_COLUMNS = ['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__'] as const;

function statColumns(samples: SampleResult): Record<(typeof STAT_COLUMNS)[number], Float64Array> {
  const n = samples.chains * samples.numDraws;
  const out = Object.fromEntries(STAT_COLUMNS.map((name) => [name, new Float64Array(n)])) as Record<(typeof STAT_COLUMNS)[number], Float64Array>;
  samples.stats.forEach((stats, c) => {
    const offset = c * samples.numDraws;
    for (let d = 0; d < samples.numDraws; d++) {
      out.lp__[offset + d] = stats.logDensity[d];
      out.accept_stat__[offset + d] = stats.acceptStat[d];
      out.stepsize__[offset + d] = stats.stepSize[d];
      out.treedepth__[offset + d] = stats.treeDepth[d];
      out.n_leapfrog__[offset + d] = stats.nLeapfrog[d];
      out.divergent__[offset + d] = stats.divergent[d];
      out.energy__[offset + d] = stats.energy[d];
    }
  });
  return out;
}

/** Scalar columns of every posterior variable, chain-major. */
function scalarColumns(posterior: Posterior): { names: string[]; columns: Float64Array[] } {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (const variable of posterior.variables) {
    const size = elementCount(variable.shape);
    const flat = flatNames(variable.name, variable.shape);
    for (let e = 0; e < size; e++) {
      const column = new Float64Array(posterior.chains * posterior.drawsPerChain);
      for (let i = 0; i < column.length; i++) column[i] = variable.values[i * size + e];
      names.push(flat[e]);
      columns.push(column);
    }
  }
  return { names, columns };
}

/** Write draws.arrow and draws/chain-<k>.csv into `dir`. */
export function writeDraws(dir: string, posterior: Posterior, samples: SampleResult, header: Readonly<Record<string, string | number>>): void {
  const chains = posterior.chains;
  const perChain = posterior.drawsPerChain;
  const stats = statColumns(samples);
  const { names, columns } = scalarColumns(posterior);
  const chainColumn = Int32Array.from({ length: chains * perChain }, (_, i) => Math.floor(i / perChain) + 1);
  const drawColumn = Int32Array.from({ length: chains * perChain }, (_, i) => (i % perChain) + 1);
  const arrays: Record<string, Int32Array | Float64Array> = { chain: chainColumn, draw: drawColumn, ...stats };
  names.forEach((name, i) => (arrays[name] = columns[i]));
  const table = tableFromArrays(arrays);
  writeFileSync(join(dir, 'draws.arrow'), tableToIPC(table, 'file'));
  writeFileSync(
    join(dir, 'variables.json'),
    JSON.stringify(posterior.variables.map((v) => ({ name: v.name, shape: v.shape, kind: v.kind })), null, 1),
  );

  mkdirSync(join(dir, 'draws'), { recursive: true });
  const dotted = names.map((name) => name.replace(/\[(.*)\]$/, (_, idx: string) => '.' + idx.split(',').join('.')));
  for (let c = 0; c < chains; c++) {
    const lines: string[] = [
      '# Mixwell posterior draws in CmdStan CSV layout',
      '# method = sample (Default)',
      '#   sample',
      ...Object.entries(header).map(([key, value]) => `#     ${key} = ${value}`),
      `#   chain_id = ${c + 1}`,
      [...STAT_COLUMNS, ...dotted].join(','),
    ];
    for (let d = 0; d < perChain; d++) {
      const i = c * perChain + d;
      const row = STAT_COLUMNS.map((s) => formatNumber(stats[s][i]));
      for (const column of columns) row.push(formatNumber(column[i]));
      lines.push(row.join(','));
    }
    writeFileSync(join(dir, 'draws', `chain-${c + 1}.csv`), lines.join('\n') + '\n');
  }
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Number.isFinite(x) ? x.toPrecision(9) : x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
}

/** Read draws.arrow (and variables.json) back into a Posterior. */
export function readDraws(dir: string): Posterior {
  const table = tableFromIPC(readFileSync(join(dir, 'draws.arrow')));
  const variables = JSON.parse(readFileSync(join(dir, 'variables.json'), 'utf8')) as { name: string; shape: number[]; kind: PosteriorVariable['kind'] }[];
  const chainColumn = table.getChild('chain')!.toArray() as Int32Array;
  const rows = table.numRows;
  let chains = 0;
  for (let i = 0; i < rows; i++) chains = Math.max(chains, chainColumn[i]);
  const perChain = rows / chains;
  const out: PosteriorVariable[] = variables.map((v) => {
    const size = elementCount(v.shape);
    const values = new Float64Array(rows * size);
    flatNames(v.name, v.shape).forEach((flat, e) => {
      const column = table.getChild(flat);
      if (!column) throw new Error(`${join(dir, 'draws.arrow')}: no column "${flat}"`);
      const data = column.toArray() as Float64Array;
      for (let i = 0; i < rows; i++) values[i * size + e] = data[i];
    });
    return { name: v.name, shape: v.shape, kind: v.kind, values };
  });
  return new Posterior(chains, perChain, out);
}
