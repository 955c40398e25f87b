/**
 * The run directory of a fit: everything needed to read, check, chart and reuse it without refitting.
 *
 *   config.json          the resolved run config (data roles as used, model, sampler, holdout)
 *   provenance.json      data file and sha256 fingerprint, imputations, warnings, backend, seed,
 *                        versions, timings
 *   summary.json         every scalar parameter and derived quantity (mean, sd, q05, q50, q95, rhat,
 *                        essBulk, essTail, mcseMean), ROI and mROI with the same, sampler health
 *   roi.csv              per channel: ROI, mROI, contribution, share, cost per KPI (mean, median, 90%)
 *   contributions.csv    per geo, date and channel: contribution, baseline, prediction
 *   contributions_by_date.csv  the same summed over geos
 *   roi.parquet, contributions.parquet, contributions_by_date.parquet   the same three tables as Parquet
 *                        (parquetTables.ts: numbers DOUBLE with NaN kept, text UTF8, absent values null)
 *   fit_metrics.csv, health.json, predictive.json
 *   time_effect.csv      per component (trend or knots, seasonality, their sum) and date: the baseline's
 *                        time effect summed over geos (analysis/timeEffect.ts); summary.json and
 *                        provenance.json have `timeKnots` (the knots and, for "auto", the BIC selection)
 *   optimal_frequency.csv  reach and frequency channels: the optimal frequency f* with the 90% interval
 *                        of the per-draw argmax, ROI at f* and at the data's frequencies
 *                        (analysis/optimalFrequency.ts); roi_by_frequency.csv the ROI over the grid
 *                        (only with reach and frequency channels)
 *   roi_by_period.csv, effectiveness.csv  time-varying channels (model.timeVarying): ROI and mROI per
 *                        paid channel and quarter, each time-varying channel's effectiveness per date;
 *                        summary.json has them too (`roiByPeriod` with `periodGrouping`, `effectiveness`)
 *                        for the run summary (report/summaryText.ts)
 *   probabilities.csv    posterior probability statements with MCSE (analysis/probabilities.ts):
 *                        kind, statement, channel, versus, threshold, probability, mcse, ess, draws
 *   log_lik.arrow, log_lik_holdout.arrow, loo_pointwise.csv   pointwise log-likelihood (float32) and
 *                        PSIS-LOO per cell (looFiles.ts); summary.json has `loo` and `holdoutLpd`
 *   design.json          the scaled design the model saw (so analysis needs no refit or data file)
 *   scaling.json         the scaling constants of the fit (src/data/scaling.ts `Scaling`: KPI, spend
 *                        and media means, control and treatment means and sds, population), so new
 *                        data (future periods) can be put on the fit's scale
 *   draws.arrow, variables.json, draws/chain-<k>.csv   posterior draws (drawsFiles.ts)
 *   idata.nc             the fit as ArviZ InferenceData in one netCDF-4 file (inferenceData.ts): posterior,
 *                        sample_stats, log_likelihood, posterior_predictive, observed_data, constant_data
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scaling } from '../data/index.js';
import type { SummaryRow } from '../diagnostics/index.js';
import type { Posterior } from '../ppl/index.js';
import type { KnotChoice, MmmModelConfig, MmmDesign } from '../../models/mmm/index.js';
import type { RunConfig } from '../mmm/config.js';
import { rowsToCsv } from './csvWrite.js';
import { readDraws, writeDraws } from './drawsFiles.js';
import type { MmmFit } from '../mmm/fit.js';
import { writeLooFiles } from './looFiles.js';
import { IDATA_FILE, writeInferenceData } from './inferenceData.js';
import { writeParquetTable } from './parquetTables.js';
import { versions } from './versions.js';
import type { MmmReport } from '../mmm/report.js';
import type { LiftCheckRow, PeriodGrouping, ProbabilityRow, QuantityRow } from '../analysis/index.js';
import type { LooEstimates } from '../diagnostics/index.js';

/** JSON text of a run file: non-finite numbers as strings, Float64Arrays as arrays. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v instanceof Float64Array ? Array.from(v) : v), 1) + '\n';
}

/** JSON with non-finite numbers as strings and Float64Arrays as arrays. */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, jsonText(value));
}

function storedHoldout(holdout: StoredHoldoutLpd): StoredHoldoutLpd {
  return { observations: holdout.observations, lpd: holdout.lpd, se: holdout.se, lpdPerObservation: holdout.lpdPerObservation };
}

function designToJson(design: MmmDesign): Record<string, unknown> {
  return { ...design };
}

function designFromJson(json: Record<string, unknown>): MmmDesign {
  const arrays = ['media', 'spend', 'rfFrequency', 'controls', 'events', 'treatments', 'treatmentBaselines', 'kpi', 'kpiUnit', 'kpiValue', 'mediaUnit', 'population', 'geoPopulation', 'observed'];
  const out: Record<string, unknown> = { ...json };
  for (const key of arrays) if (Array.isArray(json[key])) out[key] = Float64Array.from(json[key] as number[]);
  return out as unknown as MmmDesign;
}

function scalingFromJson(json: Record<string, unknown>): Scaling {
  const arrays = ['population', 'spendMean', 'mediaMean', 'controlMean', 'controlSd', 'treatmentMean', 'treatmentSd'];
  const out: Record<string, unknown> = { ...json };
  for (const key of arrays) if (Array.isArray(json[key])) out[key] = Float64Array.from(json[key] as number[]);
  return out as unknown as Scaling;
}

export interface WriteRunOptions {
  /** Write the pointwise log-likelihood files log_lik.arrow / log_lik_holdout.arrow and idata.nc's log_likelihood group (default true). */
  readonly logLik?: boolean;
  /** Write idata.nc, the fit as ArviZ InferenceData (default true). */
  readonly idata?: boolean;
  /** Write roi.parquet, contributions.parquet and contributions_by_date.parquet next to their CSVs (default true). */
  readonly parquet?: boolean;
}

/** The holdout's log predictive density as stored in summary.json (no pointwise values). */
export interface StoredHoldoutLpd {
  readonly observations: number;
  readonly lpd: number;
  readonly se: number;
  readonly lpdPerObservation: number;
}

/**
 * Write the run directory of a fit and its report. Every file but idata.nc is written before the
 * returned promise's first wait (idata.nc needs h5wasm, loaded asynchronously on first use).
 */
export async function writeRun(dir: string, fit: MmmFit, report: MmmReport, options: WriteRunOptions = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { result } = fit;
  const created = new Date().toISOString();
  const configText = jsonText({ ...fit.config, data: fit.data.spec, sampler: fit.sampler });
  writeFileSync(join(dir, 'config.json'), configText);
  writeJson(join(dir, 'provenance.json'), {
    created,
    data: fit.data.provenance,
    dataWarnings: fit.data.warnings,
    configFile: fit.configFile ?? null,
    backend: fit.backend.name,
    workers: fit.workers,
    seed: fit.sampler.seed,
    linearBlock: fit.model.linearBlock,
    centering: fit.centering,
    timeKnots: fit.knots ?? null,
    versions: versions(),
    seconds: result.seconds,
    // The centering pilot's included (it is the first part of the warmup).
    gradientEvaluations: result.samples.gradientEvaluations + (fit.centering.kind === 'pilot' ? fit.centering.pilot.gradientEvaluations : 0),
  });
  const health = result.health;
  writeJson(join(dir, 'summary.json'), {
    model: result.model.name,
    chains: result.posterior.chains,
    drawsPerChain: result.posterior.drawsPerChain,
    sampler: {
      divergences: health.divergences,
      treeDepthSaturated: health.treeDepthSaturated,
      maxRhat: health.maxRhat,
      minEssBulk: health.minEssBulk,
      minEssTail: health.minEssTail,
      ebfmi: health.ebfmi,
      stepSize: Array.from(result.samples.warmup.stepSize),
      warnings: health.warnings,
    },
    parameters: result.summary,
    roi: report.roiSummary,
    media: report.media.channels,
    totals: report.media.totals,
    probabilities: report.probabilities,
    loo: report.loo.estimates,
    holdoutLpd: report.holdoutLpd ? storedHoldout(report.holdoutLpd) : null,
    liftTests: report.liftTests,
    // the knots of the time effect (positions are 0-based period indices) and, for "auto", the BIC selection
    timeKnots: fit.knots ?? null,
    // reach and frequency channels (absent without them)
    ...(report.optimalFrequency.optimal.length > 0 ? { optimalFrequency: report.optimalFrequency.optimal } : {}),
    // time-varying channels (absent without them): ROI and mROI per period group, effectiveness per date
    ...(report.media.byPeriod.length > 0 ? { roiByPeriod: report.media.byPeriod, periodGrouping: report.media.periodGrouping } : {}),
    ...(report.media.effectiveness.length > 0 ? { effectiveness: report.media.effectiveness } : {}),
  });
  writeFileSync(join(dir, 'probabilities.csv'), rowsToCsv(report.probabilities, ['kind', 'statement', 'channel', 'versus', 'threshold', 'probability', 'mcse', 'ess', 'draws']));
  writeLooFiles(dir, fit.design, result.posterior.drawsPerChain, report.logLik, report.loo, { logLik: options.logLik });
  const tidyTables: [string, readonly object[], readonly string[]][] = [
    ['roi', report.media.channels, ['channel', 'metric', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']],
    ['contributions', report.media.byGeoDate, ['geo', 'date', 'channel', 'metric', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']],
    ['contributions_by_date', report.media.byDate, ['date', 'channel', 'metric', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']],
    // time-varying channels (model.timeVarying): ROI and mROI per quarter, effectiveness per date
    ...(report.media.byPeriod.length > 0 ? [['roi_by_period', report.media.byPeriod, ['period', 'channel', 'metric', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']] as [string, readonly object[], readonly string[]]] : []),
    ...(report.media.effectiveness.length > 0 ? [['effectiveness', report.media.effectiveness, ['date', 'channel', 'metric', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']] as [string, readonly object[], readonly string[]]] : []),
  ];
  for (const [name, rows, columns] of tidyTables) {
    writeFileSync(join(dir, `${name}.csv`), rowsToCsv(rows, columns));
    // A rerun without Parquet leaves no stale copy behind.
    rmSync(join(dir, `${name}.parquet`), { force: true });
    if (options.parquet ?? true) writeParquetTable(join(dir, `${name}.parquet`), rows, columns);
  }
  writeFileSync(join(dir, 'fit_metrics.csv'), rowsToCsv(report.fitMetrics));
  if (report.optimalFrequency.optimal.length > 0) {
    writeFileSync(
      join(dir, 'optimal_frequency.csv'),
      rowsToCsv(report.optimalFrequency.optimal, ['channel', 'optimalFrequency', 'q05', 'q95', 'roiAtOptimal', 'roiAtCurrent', 'currentFrequency', 'unit']),
    );
    writeFileSync(join(dir, 'roi_by_frequency.csv'), rowsToCsv(report.optimalFrequency.curve, ['channel', 'frequency', 'optimal', 'mean', 'median', 'q05', 'q95', 'sd']));
  }
  writeFileSync(join(dir, 'time_effect.csv'), rowsToCsv(report.timeEffect, ['component', 'date', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']));
  writeJson(join(dir, 'health.json'), report.health);
  writeJson(join(dir, 'predictive.json'), { pValues: report.pValues, autocorrelation: report.autocorrelation, priorRoi: report.priorRoi });
  writeJson(join(dir, 'design.json'), designToJson(fit.design));
  writeJson(join(dir, 'scaling.json'), fit.scaled.scaling);
  writeDraws(dir, result.posterior, result.samples, {
    num_samples: fit.sampler.draws,
    num_warmup: fit.sampler.warmup,
    seed: fit.sampler.seed,
    adapt_delta: fit.sampler.adaptDelta,
    max_depth: fit.sampler.maxTreeDepth,
    // CmdStan's names; nutpie's low-rank metric is a dense matrix (diagonal plus low rank), so dense_e.
    metric: fit.sampler.metric === 'diag' ? 'diag_e' : 'dense_e',
  });
  rmSync(join(dir, IDATA_FILE), { force: true });
  if (options.idata ?? true) {
    await writeInferenceData(join(dir, IDATA_FILE), fit, report, { logLik: options.logLik, createdAt: created, configSha256: createHash('sha256').update(configText).digest('hex') });
  }
}

/** What a run directory holds, read back. */
export interface StoredRun {
  readonly dir: string;
  readonly config: RunConfig;
  readonly model: MmmModelConfig;
  readonly design: MmmDesign;
  /** The fit's scaling constants (scaling.json; absent in runs written before it was stored). */
  readonly scaling?: Scaling;
  readonly posterior: Posterior;
  readonly summary: {
    readonly parameters: readonly SummaryRow[];
    readonly roi: readonly SummaryRow[];
    readonly media: readonly Record<string, unknown>[];
    readonly sampler: Record<string, unknown>;
    /** Absent in runs written before these were stored. */
    readonly probabilities?: readonly ProbabilityRow[];
    readonly loo?: LooEstimates;
    readonly holdoutLpd?: StoredHoldoutLpd | null;
    /** Lift tests: measured vs model-implied lift (absent in older runs). */
    readonly liftTests?: readonly LiftCheckRow[];
    /** The knots of the time effect (null without knots; absent in older runs). */
    readonly timeKnots?: KnotChoice | null;
    /** Time-varying channels: ROI and mROI per period group and the grouping, effectiveness per date (absent without them). */
    readonly roiByPeriod?: readonly QuantityRow[];
    readonly periodGrouping?: PeriodGrouping;
    readonly effectiveness?: readonly QuantityRow[];
  };
  readonly health: readonly { level: string; code: string; message: string }[];
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read run file (${(error as Error).message}); is this a Mixwell run directory?`);
  }
}

export function readRun(dir: string): StoredRun {
  const config = readJson(join(dir, 'config.json')) as RunConfig;
  return {
    dir,
    config,
    model: config.model,
    design: designFromJson(readJson(join(dir, 'design.json')) as Record<string, unknown>),
    ...(existsSync(join(dir, 'scaling.json')) ? { scaling: scalingFromJson(readJson(join(dir, 'scaling.json')) as Record<string, unknown>) } : {}),
    posterior: readDraws(dir),
    summary: readJson(join(dir, 'summary.json')) as StoredRun['summary'],
    health: readJson(join(dir, 'health.json')) as StoredRun['health'],
  };
}
