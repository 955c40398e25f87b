/**
 * The model-comparison files of a run directory (written by runDirectory.ts `writeRun`):
 *
 *   log_lik.arrow          pointwise log-likelihood of the fitted KPI cells per draw: Arrow IPC (Feather
 *                          v2), columns chain, draw (1-based) and one float32 column `log_lik[g,t]`
 *                          per fitted cell (geo g, period t, 1-based, geo-major), the layout of
 *                          draws.arrow; `az.loo` reads it once reshaped to [chain, draw, cell]
 *   log_lik_holdout.arrow  the same for the held-out cells (only with a holdout)
 *   loo_pointwise.csv      per cell: column, geo, date, set (fit | holdout), kpi (original units),
 *                          lpd, elpd_loo, p_loo, pareto_k (the last three blank for holdout cells)
 *
 * The log-likelihood is float64 in memory (analysis/logLikelihood.ts) and stored as float32 to
 * halve the size (draws x cells x 4 bytes; the absolute rounding, about 1e-7 of a value of order
 * 1-10, is far below any elpd difference worth reading); `writeRun(..., { logLik: false })` leaves
 * the two .arrow files out. PSIS-LOO is computed in float64 before rounding and stored per cell in
 * loo_pointwise.csv (small), which is what `mixwell compare` reads.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { actualKpi, holdoutLpd, kpiLogLikelihood, type CellLogLik, type KpiLogLikelihood } from '../analysis/index.js';
import { psisLoo, type LooResult } from '../diagnostics/index.js';
import type { Posterior } from '../ppl/index.js';
import type { MmmModelConfig, MmmDesign } from '../../models/mmm/index.js';
import { csvNumber, csvToRows } from './csvRead.js';
import { rowsToCsv } from './csvWrite.js';

export const LOG_LIK_FILE = 'log_lik.arrow';
export const LOG_LIK_HOLDOUT_FILE = 'log_lik_holdout.arrow';
export const LOO_POINTWISE_FILE = 'loo_pointwise.csv';

/** One row of loo_pointwise.csv. */
export interface LooPointwiseRow {
  /** Column name in log_lik.arrow / log_lik_holdout.arrow, `log_lik[g,t]`. */
  readonly column: string;
  readonly geo: string;
  readonly date: string;
  readonly set: 'fit' | 'holdout';
  /** Actual KPI, original units. */
  readonly kpi: number;
  readonly lpd: number;
  /** NaN for holdout cells. */
  readonly elpdLoo: number;
  readonly pLoo: number;
  readonly paretoK: number;
}

function columnName(cell: number, periods: number): string {
  return `log_lik[${Math.floor(cell / periods) + 1},${(cell % periods) + 1}]`;
}

function writeLogLikArrow(path: string, cells: CellLogLik, drawIndices: Int32Array, drawsPerChain: number, periods: number): void {
  const S = cells.matrix.draws;
  const arrays: Record<string, Int32Array | Float32Array> = {
    chain: Int32Array.from(drawIndices, (i) => Math.floor(i / drawsPerChain) + 1),
    draw: Int32Array.from(drawIndices, (i) => (i % drawsPerChain) + 1),
  };
  cells.cells.forEach((cell, row) => (arrays[columnName(cell, periods)] = Float32Array.from(cells.matrix.values.subarray(row * S, (row + 1) * S))));
  writeFileSync(path, tableToIPC(tableFromArrays(arrays), 'file'));
}

/** Rows of loo_pointwise.csv from the log-likelihood and its LOO. */
export function looPointwiseRows(design: MmmDesign, logLik: KpiLogLikelihood, loo: LooResult): LooPointwiseRow[] {
  const T = design.dates.length;
  const actual = actualKpi(design);
  const held = holdoutLpd(logLik);
  const row = (cell: number, set: 'fit' | 'holdout', lpd: number, elpdLoo: number, pLoo: number, paretoK: number): LooPointwiseRow => ({
    column: columnName(cell, T),
    geo: design.geoNames[Math.floor(cell / T)],
    date: design.dates[cell % T],
    set,
    kpi: actual[cell],
    lpd,
    elpdLoo,
    pLoo,
    paretoK,
  });
  const rows = Array.from(logLik.fitted.cells, (cell, i) => row(cell, 'fit', loo.pointwise.lpd[i], loo.pointwise.elpdLoo[i], loo.pointwise.pLoo[i], loo.pointwise.paretoK[i]));
  if (held) logLik.holdout.cells.forEach((cell, i) => rows.push(row(cell, 'holdout', held.pointwise[i], NaN, NaN, NaN)));
  return rows;
}

export interface LogLikFileOptions {
  /** Write log_lik.arrow (and log_lik_holdout.arrow); default true. loo_pointwise.csv is always written. */
  readonly logLik?: boolean;
}

/** Write log_lik.arrow, log_lik_holdout.arrow and loo_pointwise.csv into `dir`. */
export function writeLooFiles(dir: string, design: MmmDesign, drawsPerChain: number, logLik: KpiLogLikelihood, loo: LooResult, options: LogLikFileOptions = {}): void {
  const T = design.dates.length;
  for (const file of [LOG_LIK_FILE, LOG_LIK_HOLDOUT_FILE]) rmSync(join(dir, file), { force: true });
  if (options.logLik ?? true) {
    writeLogLikArrow(join(dir, LOG_LIK_FILE), logLik.fitted, logLik.drawIndices, drawsPerChain, T);
    if (logLik.holdout.cells.length > 0) writeLogLikArrow(join(dir, LOG_LIK_HOLDOUT_FILE), logLik.holdout, logLik.drawIndices, drawsPerChain, T);
  }
  writeFileSync(join(dir, LOO_POINTWISE_FILE), rowsToCsv(looPointwiseRows(design, logLik, loo), ['column', 'geo', 'date', 'set', 'kpi', 'lpd', 'elpdLoo', 'pLoo', 'paretoK']));
}

/** loo_pointwise.csv of a run directory, or undefined when the run has none (fitted by an older Mixwell). */
export function readLooPointwise(dir: string): LooPointwiseRow[] | undefined {
  const path = join(dir, LOO_POINTWISE_FILE);
  if (!existsSync(path)) return undefined;
  return csvToRows(readFileSync(path, 'utf8'), path).map((r, i) => {
    if (r.set !== 'fit' && r.set !== 'holdout') throw new Error(`${path}: row ${i + 2}, column set: expected "fit" or "holdout", got "${r.set}"`);
    const number = (key: string) => {
      try {
        return csvNumber(r[key] ?? '');
      } catch (error) {
        throw new Error(`${path}: row ${i + 2}, column ${key}: ${(error as Error).message}`);
      }
    };
    return { column: r.column, geo: r.geo, date: r.date, set: r.set, kpi: number('kpi'), lpd: number('lpd'), elpdLoo: number('elpdLoo'), pLoo: number('pLoo'), paretoK: number('paretoK') };
  });
}

/** The pointwise LOO rows recomputed from a run's draws (for runs without loo_pointwise.csv). */
export function computeLooPointwise(design: MmmDesign, config: MmmModelConfig, posterior: Posterior): LooPointwiseRow[] {
  const logLik = kpiLogLikelihood(design, config, posterior);
  return looPointwiseRows(design, logLik, psisLoo(logLik.fitted.matrix));
}
