/**
 * Run one batch fit in this process: read the data file (checking it is the file that was
 * planned), apply the fit's filter before validation, fit (src/mmm/fit.ts), build the report,
 * write the run directory and commit it atomically: everything is written into a
 * `<out>.partial-<host>-<pid>-<time>` sibling, the marker `batch-fit.json` last, and only then is
 * the old output (if any) removed and the partial directory renamed to `<out>`. A fit killed at
 * any point leaves either the previous complete output or none (outputState.ts), never a
 * half-written one that looks complete. Worker processes (fitProcess.ts) call this; so can tests.
 * While it samples, the fit checkpoints to `<out>.checkpoint` (src/mmm/fitCheckpoint.ts), and an
 * attempt that finds one continues from it: a retry after a crash or a killed process (here or, on
 * a shared file system, on another machine) redoes only what came after the last checkpoint, with
 * the draws of an uninterrupted fit. A checkpoint of another fit or a damaged one is set aside.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/index.js';
import type { SampleProgress } from '../../samplers/index.js';
import { buildMmmData, DataValidationError, loadCsvSource } from '../data/index.js';
import { removeCheckpointFile } from '../inference/checkpointFile.js';
import { fitMmm } from '../mmm/fit.js';
import { buildReport } from '../mmm/report.js';
import { writeRun } from '../run/index.js';
import { filterRoles, FilterError, filterSource, isEmptyFilter } from './filter.js';
import { appendJournal } from './journal.js';
import { fitOutcome, OUTCOME_FILE, type FitOutcome } from './outcome.js';
import { partialPrefix, removePartials } from './outputState.js';
import type { FitTask } from './plan.js';

/** The input is wrong (data, filter, config): retrying cannot help. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Errors that fail a fit for good (bad input); anything else (a crash, a killed worker) is retried. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof InputError || error instanceof DataValidationError || error instanceof ConfigError || error instanceof FilterError);
}

export interface FitContext {
  readonly workerId: string;
  readonly attempt: number;
  /** Fits this process has run, this one included. */
  readonly fitsInProcess: number;
  /** Journal file to record the commit in (journal.ts). */
  readonly journal?: string;
  readonly onProgress?: (progress: SampleProgress) => void;
  /** Called at safe points (every sampler iteration and before the commit); throws or exits to abandon the attempt. */
  readonly checkAlive?: () => void;
  /** The fit's checkpoint at most this often, seconds (default 60). */
  readonly checkpointSeconds?: number;
}

/** Where a fit's checkpoint lives: beside its output, which is replaced as a whole at the commit. */
export function checkpointPath(out: string): string {
  return `${out}.checkpoint`;
}

/** Run, write and commit one fit; returns its outcome (also written as the marker). */
export async function runFitTask(task: FitTask, context: FitContext): Promise<FitOutcome> {
  const started = new Date();
  const source = await loadCsvSource(task.data).catch((error: Error) => {
    throw new InputError(`${task.data}: cannot read the data file (${error.message})`);
  });
  if (source.sha256 !== task.dataSha256) throw new InputError(`${task.data}: the data file changed since the batch was planned (sha256 ${source.sha256.slice(0, 12)}..., planned ${task.dataSha256.slice(0, 12)}...); rerun the batch to plan it again`);
  const filtered = isEmptyFilter(task.filter) ? source : filterSource(source, filterRoles(source, task.config.data), task.filter);
  const data = buildMmmData(filtered, task.config.data, { impute: task.config.impute });
  context.checkAlive?.();
  const checkpoint = checkpointPath(task.out);
  const fit = await fitMmm(data, task.config, {
    backend: task.backend,
    progress: false,
    verbose: false,
    // a retried attempt (after a crash, an OOM kill, a lost machine) continues from the last checkpoint
    checkpoint: { file: checkpoint, resume: 'if-present', ...(context.checkpointSeconds !== undefined ? { seconds: context.checkpointSeconds } : {}) },
    onProgress: (progress) => {
      context.checkAlive?.();
      context.onProgress?.(progress);
    },
  });
  const reportStarted = performance.now();
  const report = buildReport(fit);
  const reportSeconds = (performance.now() - reportStarted) / 1000;

  removePartials(task.out);
  const host = hostname();
  const partial = join(dirname(task.out), `${partialPrefix(task.out)}${host}-${process.pid}-${Date.now()}`);
  mkdirSync(dirname(task.out), { recursive: true });
  try {
    await writeRun(partial, fit, report);
    const usage = process.memoryUsage();
    const outcome = fitOutcome(task, fit, report, { started, samplingSeconds: fit.result.seconds.sampling, reportSeconds }, {
      id: context.workerId,
      host,
      pid: process.pid,
      attempt: context.attempt,
      rssBytes: usage.rss,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      fitsInProcess: context.fitsInProcess,
      ...(fit.checkpoint?.resumedFrom ? { resumedFrom: fit.checkpoint.resumedFrom } : {}),
    });
    writeFileSync(join(partial, OUTCOME_FILE), JSON.stringify(outcome, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1) + '\n');
    context.checkAlive?.();
    rmSync(task.out, { recursive: true, force: true });
    renameSync(partial, task.out);
    removeCheckpointFile(checkpoint);
    if (context.journal) appendJournal(context.journal, { event: 'committed', fit: task.id, attempt: context.attempt, worker: context.workerId, host, pid: process.pid });
    return outcome;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
