/**
 * The files of a run directory the report reads (runDirectory.ts describes them): the run
 * itself through `readRun` (config, design, draws, summary, health), plus provenance.json, the
 * per-chain sampler statistics kept in draws.arrow (divergent__, treedepth__) and fit_metrics.csv.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { chainStatsRows, type ChainStatsRow, type FitMetricRow } from '../analysis/index.js';
import { readRun, type StoredRun } from './runDirectory.js';

export interface RunFiles {
  readonly run: StoredRun;
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly chainStats: ChainStatsRow[];
  /** From fit_metrics.csv (absent when the file is missing). */
  readonly fitMetrics?: FitMetricRow[];
}

/** Divergences and maximum-tree-depth hits per chain from draws.arrow. */
export function chainStatsFromDraws(path: string, maxTreeDepth: number): ChainStatsRow[] {
  const table = tableFromIPC(readFileSync(path));
  const chain = table.getChild('chain')?.toArray() as Int32Array | undefined;
  const divergent = table.getChild('divergent__')?.toArray() as Float64Array | undefined;
  const treeDepth = table.getChild('treedepth__')?.toArray() as Float64Array | undefined;
  if (!chain) throw new Error(`${path}: no "chain" column`);
  return chainStatsRows({ chain, divergent, treeDepth }, maxTreeDepth);
}

/** fit_metrics.csv (written by rowsToCsv: plain header, numbers, subset names). */
export function readFitMetricsCsv(path: string): FitMetricRow[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, unknown> = {};
    header.forEach((key, i) => (row[key] = key === 'subset' ? cells[i] : cells[i] === '' ? NaN : Number(cells[i])));
    return row as unknown as FitMetricRow;
  });
}

function readJson(path: string): Record<string, unknown> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

export function readRunFiles(dir: string): RunFiles {
  const run = readRun(dir);
  const maxTreeDepth = run.config.sampler?.maxTreeDepth ?? 10;
  const fitPath = join(dir, 'fit_metrics.csv');
  return {
    run,
    provenance: readJson(join(dir, 'provenance.json')),
    chainStats: chainStatsFromDraws(join(dir, 'draws.arrow'), maxTreeDepth),
    fitMetrics: existsSync(fitPath) ? readFitMetricsCsv(fitPath) : undefined,
  };
}
