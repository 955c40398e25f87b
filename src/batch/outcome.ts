/**
 * The summary of one finished batch fit: timing, the data it saw, sampler settings and health, the
 * health check (worst level, counts, the flags that are not ok), headline ROI per channel (mean,
 * median, 90% interval) and fit metrics (in-sample and holdout). It is written into the fit's run
 * directory as `batch-fit.json` (the marker that the output is complete, with the fit's
 * fingerprint), sent back to the pool or stored on the queue job, and collected in batch.json.
 */
import type { HealthFlag, HealthLevel } from '../analysis/index.js';
import type { MmmFit } from '../mmm/fit.js';
import type { MmmReport } from '../mmm/report.js';
import type { FitTask, SeriesInfo } from './plan.js';

export const OUTCOME_FORMAT = 'mixwell-batch-fit/1';
/** File name of the marker in a fit's run directory. */
export const OUTCOME_FILE = 'batch-fit.json';

export interface HealthSummary {
  /** Worst level over the flags. */
  readonly level: HealthLevel;
  readonly counts: Readonly<Record<HealthLevel, number>>;
  /** Flags that are not ok: code, level and message. */
  readonly flags: readonly { readonly level: HealthLevel; readonly code: string; readonly message: string }[];
}

export interface RoiHeadline {
  readonly channel: string;
  readonly mean: number;
  readonly median: number;
  readonly q05: number;
  readonly q95: number;
}

export interface FitMetricHeadline {
  readonly n: number;
  readonly r2: number;
  readonly mape: number;
  readonly wmape: number;
}

/** Who ran the fit, where, and its memory (bytes). */
export interface WorkerInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly attempt: number;
  /** Resident set size at the end of the fit and the process's peak so far. */
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  /** Fits this worker process had run, this one included. */
  readonly fitsInProcess: number;
  /** The attempt continued an earlier one's checkpoint, which had got this far. */
  readonly resumedFrom?: string;
}

export interface FitOutcome {
  readonly format: typeof OUTCOME_FORMAT;
  readonly id: string;
  readonly fingerprint: string;
  readonly dataSha256: string;
  readonly series: SeriesInfo | null;
  readonly started: string;
  readonly finished: string;
  readonly seconds: { readonly total: number; readonly sampling: number; readonly report: number };
  readonly data: { readonly file: string; readonly geos: number; readonly periods: number; readonly channels: readonly string[]; readonly from: string; readonly to: string; readonly rows: number; readonly fileRows: number };
  readonly sampler: { readonly chains: number; readonly warmup: number; readonly draws: number; readonly seed: number; readonly backend: string; readonly divergences: number; readonly maxRhat: number; readonly minEssBulk: number };
  readonly health: HealthSummary;
  readonly roi: readonly RoiHeadline[];
  readonly fitMetrics: { readonly inSample?: FitMetricHeadline; readonly holdout?: FitMetricHeadline };
  readonly worker: WorkerInfo;
}

const ORDER: Readonly<Record<HealthLevel, number>> = { ok: 0, warning: 1, error: 2 };

export function healthSummary(flags: readonly Pick<HealthFlag, 'level' | 'code' | 'message'>[]): HealthSummary {
  const counts: Record<HealthLevel, number> = { ok: 0, warning: 0, error: 0 };
  let level: HealthLevel = 'ok';
  for (const flag of flags) {
    counts[flag.level]++;
    if (ORDER[flag.level] > ORDER[level]) level = flag.level;
  }
  return { level, counts, flags: flags.filter((f) => f.level !== 'ok').map((f) => ({ level: f.level, code: f.code, message: f.message })) };
}

function metricHeadline(row: { n: number; r2: number; mape: number; wmape: number } | undefined): FitMetricHeadline | undefined {
  return row ? { n: row.n, r2: row.r2, mape: row.mape, wmape: row.wmape } : undefined;
}

/** The outcome of a finished fit. */
export function fitOutcome(task: FitTask, fit: MmmFit, report: MmmReport, timing: { started: Date; samplingSeconds: number; reportSeconds: number }, worker: WorkerInfo): FitOutcome {
  const finished = new Date();
  const health = fit.result.health;
  const inSample = report.fitMetrics.find((r) => r.subset === 'inSample') ?? report.fitMetrics.find((r) => r.subset === 'all');
  return {
    format: OUTCOME_FORMAT,
    id: task.id,
    fingerprint: task.fingerprint,
    dataSha256: task.dataSha256,
    series: task.series ?? null,
    started: timing.started.toISOString(),
    finished: finished.toISOString(),
    seconds: { total: (finished.getTime() - timing.started.getTime()) / 1000, sampling: timing.samplingSeconds, report: timing.reportSeconds },
    data: {
      file: task.data,
      geos: fit.data.G,
      periods: fit.data.T,
      channels: [...fit.data.channelNames],
      from: fit.data.dates[0],
      to: fit.data.dates[fit.data.T - 1],
      rows: fit.data.provenance.rowCount,
      fileRows: fit.data.provenance.fileRowCount,
    },
    sampler: {
      chains: fit.sampler.chains,
      warmup: fit.sampler.warmup,
      draws: fit.sampler.draws,
      seed: fit.sampler.seed,
      backend: fit.backend.name,
      divergences: health.divergences,
      maxRhat: health.maxRhat,
      minEssBulk: health.minEssBulk,
    },
    health: healthSummary(report.health),
    roi: report.media.channels
      .filter((row) => row.metric === 'roi' && row.channel !== undefined)
      .map((row) => ({ channel: row.channel!, mean: row.mean, median: row.median, q05: row.q05, q95: row.q95 })),
    fitMetrics: { inSample: metricHeadline(inSample), holdout: metricHeadline(report.fitMetrics.find((r) => r.subset === 'holdout')) },
    worker,
  };
}

/** "tv 1.71 [1.37, 2.02]  search 0.82 [...]" */
export function formatRoi(roi: readonly RoiHeadline[], digits = 2): string {
  return roi.map((r) => `${r.channel} ${r.median.toFixed(digits)} [${r.q05.toFixed(digits)}, ${r.q95.toFixed(digits)}]`).join('  ');
}

/** "ok", "warning (rhat, essBulk)", "error (rhat)" */
export function formatHealth(health: HealthSummary): string {
  if (health.level === 'ok') return 'ok';
  return `${health.level} (${[...new Set(health.flags.filter((f) => f.level === health.level).map((f) => f.code))].join(', ')})`;
}
