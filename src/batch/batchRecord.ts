/**
 * `batch.json`, the record of a batch in its directory: per fit its status, attempts and errors,
 * timing, the health check summary and headline ROI (from the fit's outcome, outcome.ts), the
 * worker that ran it and its memory; plus counts and timing of the whole batch. It is rewritten
 * atomically (temporary file, then rename) after every change of a fit's status, so a batch
 * killed at any moment leaves a readable record; the fits' own output directories remain the
 * ground truth for resuming (outputState.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FitMetricHeadline, FitOutcome, HealthSummary, RoiHeadline } from './outcome.js';
import type { BatchPlan, FitTask, SeriesInfo } from './plan.js';

export const BATCH_FORMAT = 'mixwell-batch/1';
export const BATCH_FILE = 'batch.json';

/**
 * pending: not started; queued: waiting in the distributed queue; running; done: fitted in this
 * run; skipped: its output was already complete; failed: out of attempts or bad input;
 * interrupted: the batch stopped while it ran (it is redone next time).
 */
export type FitStatus = 'pending' | 'queued' | 'running' | 'done' | 'skipped' | 'failed' | 'interrupted';
export const FIT_STATUSES: readonly FitStatus[] = ['pending', 'queued', 'running', 'done', 'skipped', 'failed', 'interrupted'];

export interface AttemptError {
  readonly attempt: number;
  readonly kind: string;
  readonly message: string;
}

export interface FitRecord {
  readonly id: string;
  readonly out: string;
  readonly status: FitStatus;
  readonly attempts: number;
  readonly series: SeriesInfo | null;
  readonly errors: readonly AttemptError[];
  /** Why a fit was not skipped (the state of its output when the batch started), or the skip reason. */
  readonly note?: string;
  readonly started?: string;
  readonly finished?: string;
  readonly seconds?: { readonly total: number; readonly sampling: number };
  readonly health?: HealthSummary;
  readonly roi?: readonly RoiHeadline[];
  readonly fitMetrics?: { readonly inSample?: FitMetricHeadline; readonly holdout?: FitMetricHeadline };
  readonly worker?: { readonly id: string; readonly host: string; readonly pid: number; readonly rssMb: number; readonly peakRssMb: number; readonly resumedFrom?: string };
  /** Progress of a running fit (0-1) and its sampler phase. */
  readonly progress?: { readonly fraction: number; readonly phase: string };
}

export interface BatchRecord {
  readonly format: typeof BATCH_FORMAT;
  readonly name: string;
  readonly manifest: string;
  readonly out: string;
  readonly mode: 'local' | 'queue';
  readonly started: string;
  readonly updated: string;
  readonly finished: string | null;
  readonly seconds: number;
  /** Local pool size, or the queue it ran on. */
  readonly workers?: number;
  readonly queue?: { readonly url: string; readonly name: string; readonly prefix?: string };
  readonly counts: Readonly<Record<FitStatus, number>>;
  readonly fits: readonly FitRecord[];
}

const MB = 1024 * 1024;

/** The per-fit part of batch.json from a finished fit's outcome. */
export function fitRecordFromOutcome(task: FitTask, outcome: FitOutcome, status: 'done' | 'skipped', attempts: number, errors: readonly AttemptError[] = [], note?: string): FitRecord {
  return {
    id: task.id,
    out: task.out,
    status,
    attempts,
    series: task.series ?? null,
    errors,
    note,
    started: outcome.started,
    finished: outcome.finished,
    seconds: { total: outcome.seconds.total, sampling: outcome.seconds.sampling },
    health: outcome.health,
    roi: outcome.roi,
    fitMetrics: outcome.fitMetrics,
    worker: { id: outcome.worker.id, host: outcome.worker.host, pid: outcome.worker.pid, rssMb: outcome.worker.rssBytes / MB, peakRssMb: outcome.worker.peakRssBytes / MB, ...(outcome.worker.resumedFrom ? { resumedFrom: outcome.worker.resumedFrom } : {}) },
  };
}

export function emptyFitRecord(task: FitTask, status: FitStatus = 'pending', note?: string): FitRecord {
  return { id: task.id, out: task.out, status, attempts: 0, series: task.series ?? null, errors: [], note };
}

export function countStatuses(fits: readonly Pick<FitRecord, 'status'>[]): Record<FitStatus, number> {
  const counts = Object.fromEntries(FIT_STATUSES.map((s) => [s, 0])) as Record<FitStatus, number>;
  for (const fit of fits) counts[fit.status]++;
  return counts;
}

export function batchRecord(plan: BatchPlan, fits: readonly FitRecord[], fields: { mode: 'local' | 'queue'; started: Date; finished?: Date; workers?: number; queue?: { url: string; name: string; prefix?: string } }): BatchRecord {
  const now = new Date();
  return {
    format: BATCH_FORMAT,
    name: plan.name,
    manifest: plan.manifest,
    out: plan.out,
    mode: fields.mode,
    started: fields.started.toISOString(),
    updated: now.toISOString(),
    finished: fields.finished ? fields.finished.toISOString() : null,
    seconds: ((fields.finished ?? now).getTime() - fields.started.getTime()) / 1000,
    workers: fields.workers,
    queue: fields.queue,
    counts: countStatuses(fits),
    fits,
  };
}

export function batchFilePath(dir: string): string {
  return join(dir, BATCH_FILE);
}

/** Write batch.json atomically (a reader never sees half a file). */
export function writeBatchRecord(record: BatchRecord): string {
  mkdirSync(record.out, { recursive: true });
  const path = batchFilePath(record.out);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1) + '\n');
  renameSync(tmp, path);
  return path;
}

export function readBatchRecord(dir: string): BatchRecord {
  const path = batchFilePath(dir);
  if (!existsSync(path)) throw new Error(`${path}: no batch record (run the batch first)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BatchRecord;
  } catch (error) {
    throw new Error(`${path}: cannot read the batch record (${(error as Error).message})`);
  }
}
