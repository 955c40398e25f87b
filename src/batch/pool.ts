/**
 * The local batch runner: a pool of fit worker processes on this machine (size: the core count,
 * or `concurrency`). Fits whose output is already complete for the same inputs are skipped
 * (outputState.ts), so rerunning a manifest resumes it. Every other fit runs in a worker process
 * of its own (a fresh process per fit unless `fitsPerWorker` says otherwise), so each fit has its
 * own tfjs engine and all of its memory is returned when the process exits. A failed attempt (a
 * crash, a killed process, a timeout) is retried up to the fit's `retries` without stopping the
 * others; bad input (data validation, filter, config) fails at once, since a retry would fail the
 * same way. batch.json is rewritten after every change (batchRecord.ts) and the journal records
 * every attempt (journal.ts). With `root`, the batch directory, its journal and every fit's data
 * and output folder must stay in that folder (pathRoot.ts): a path outside stops the batch before
 * anything is written (the manifest's `root` option has already checked them before planning; this
 * catches a plan built by hand and a journal that is a link). Without it, no confinement.
 */
import { availableParallelism, hostname } from 'node:os';
import { appendJournal, journalPath } from './journal.js';
import { batchRecord, emptyFitRecord, fitRecordFromOutcome, writeBatchRecord, type AttemptError, type BatchRecord, type FitRecord } from './batchRecord.js';
import { outputState, removePartials } from './outputState.js';
import { confineBatchDir, confineTask, openRoot } from './pathRoot.js';
import type { BatchPlan, FitTask } from './plan.js';
import { FitWorkerProcess, type FitProgress } from './workerProcess.js';

export type BatchEvent =
  | { readonly type: 'plan'; readonly total: number; readonly toRun: number; readonly skipped: number; readonly workers: number }
  | { readonly type: 'skipped'; readonly task: FitTask; readonly record: FitRecord }
  | { readonly type: 'start'; readonly task: FitTask; readonly attempt: number; readonly pid: number; readonly worker: string }
  | { readonly type: 'progress'; readonly task: FitTask; readonly attempt: number; readonly progress: FitProgress }
  | { readonly type: 'done'; readonly task: FitTask; readonly record: FitRecord }
  | { readonly type: 'retry'; readonly task: FitTask; readonly error: AttemptError; readonly attemptsLeft: number }
  | { readonly type: 'failed'; readonly task: FitTask; readonly record: FitRecord }
  | { readonly type: 'end'; readonly record: BatchRecord };

export interface LocalBatchOptions {
  /** Worker processes at once (default: the number of cores). */
  readonly concurrency?: number;
  /** Retries per fit, overriding the manifest's. */
  readonly retries?: number;
  /** Fits a worker process runs before it is replaced (default 1: a fresh process per fit). */
  readonly fitsPerWorker?: number;
  /** Redo every fit, even those whose output is complete. */
  readonly force?: boolean;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Stop the batch: running fits are killed and recorded as interrupted. */
  readonly signal?: AbortSignal;
  /** Write batch.json and the journal (default true). */
  readonly write?: boolean;
  /** Folder every path of the batch must stay in (pathRoot.ts); default: none (no confinement). */
  readonly root?: string;
  /** A fit's checkpoint (`<out>.checkpoint`, resumed by its retry) at most this often, seconds; default 60. */
  readonly checkpointSeconds?: number;
}

interface Pending {
  readonly task: FitTask;
  attempts: number;
  readonly errors: AttemptError[];
}

/** Run a planned batch on this machine; resolves with the final batch record. */
export async function runLocalBatch(plan: BatchPlan, options: LocalBatchOptions = {}): Promise<BatchRecord> {
  const started = new Date();
  const emit = options.onEvent ?? (() => {});
  const write = options.write ?? true;
  if (options.root !== undefined) {
    const root = openRoot(options.root, 'root');
    const hint = "keep the manifest's paths under the root, or give a --root that holds them";
    confineBatchDir(root, plan.out, plan.manifest, hint);
    for (const task of plan.tasks) confineTask(root, task, plan.manifest, hint);
  }
  const journal = journalPath(plan.out);
  const records = new Map<string, FitRecord>();
  const queue: Pending[] = [];
  let skipped = 0;
  for (const task of plan.tasks) {
    const state = options.force ? ({ complete: false, reason: 'redone (--force)' } as const) : outputState(task);
    if (state.complete) {
      const record = fitRecordFromOutcome(task, state.outcome, 'skipped', 0, [], 'output complete for the same data, filter and config');
      records.set(task.id, record);
      skipped++;
    } else {
      // Leftovers of attempts killed in an earlier run (no other process writes them: one local batch per directory).
      if (write) removePartials(task.out);
      records.set(task.id, emptyFitRecord(task, 'pending', state.reason));
      queue.push({ task, attempts: 0, errors: [] });
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), Math.max(1, queue.length)));
  const snapshot = (finished?: Date) => batchRecord(plan, plan.tasks.map((t) => records.get(t.id)!), { mode: 'local', started, finished, workers });
  const save = (finished?: Date) => {
    const record = snapshot(finished);
    if (write) writeBatchRecord(record);
    return record;
  };
  save();
  emit({ type: 'plan', total: plan.tasks.length, toRun: queue.length, skipped, workers });
  for (const task of plan.tasks) {
    const record = records.get(task.id)!;
    if (record.status === 'skipped') emit({ type: 'skipped', task, record });
  }

  const live = new Set<FitWorkerProcess>();
  let aborted = options.signal?.aborted ?? false;
  const onAbort = () => {
    aborted = true;
    for (const proc of live) proc.kill();
  };
  options.signal?.addEventListener('abort', onAbort);
  const fitsPerWorker = Math.max(1, options.fitsPerWorker ?? 1);

  const lane = async (laneIndex: number) => {
    const workerId = `${hostname()}:${process.pid}/${laneIndex + 1}`;
    let proc: FitWorkerProcess | undefined;
    let used = 0;
    while (!aborted) {
      const item = queue.shift();
      if (!item) break;
      const { task } = item;
      if (!proc || !proc.alive) {
        proc = FitWorkerProcess.start();
        live.add(proc);
        used = 0;
      }
      item.attempts++;
      const attempt = item.attempts;
      const startedAt = new Date().toISOString();
      records.set(task.id, { ...records.get(task.id)!, status: 'running', attempts: attempt, errors: [...item.errors], started: startedAt });
      save();
      if (write) appendJournal(journal, { event: 'start', fit: task.id, attempt, worker: workerId, host: hostname(), pid: proc.pid });
      emit({ type: 'start', task, attempt, pid: proc.pid, worker: workerId });
      const result = await proc.run(task, { workerId, attempt, journal: write ? journal : undefined, ...(options.checkpointSeconds !== undefined ? { checkpointSeconds: options.checkpointSeconds } : {}) }, {
        timeoutSeconds: task.timeoutSeconds,
        onProgress: (progress) => {
          const current = records.get(task.id)!;
          records.set(task.id, { ...current, progress: { fraction: progress.total > 0 ? progress.completed / progress.total : 0, phase: progress.phase } });
          emit({ type: 'progress', task, attempt, progress });
        },
      });
      used++;
      if (!proc.alive || used >= fitsPerWorker) {
        await proc.stop();
        live.delete(proc);
        proc = undefined;
      }
      if (result.ok) {
        const record = fitRecordFromOutcome(task, result.outcome, 'done', attempt, [...item.errors]);
        records.set(task.id, record);
        save();
        emit({ type: 'done', task, record });
        continue;
      }
      if (aborted) {
        records.set(task.id, { ...records.get(task.id)!, status: 'interrupted', progress: undefined, note: 'the batch was stopped while this fit ran' });
        save();
        break;
      }
      const error: AttemptError = { attempt, kind: result.kind, message: result.message };
      item.errors.push(error);
      if (write) appendJournal(journal, { event: 'failed', fit: task.id, attempt, worker: workerId, host: hostname(), pid: result.pid, message: result.message });
      const maxAttempts = (options.retries ?? task.retries) + 1;
      if (result.retryable && attempt < maxAttempts) {
        records.set(task.id, { ...records.get(task.id)!, status: 'pending', errors: [...item.errors], progress: undefined });
        save();
        emit({ type: 'retry', task, error, attemptsLeft: maxAttempts - attempt });
        queue.push(item);
      } else {
        const note = result.retryable ? `failed after ${attempt} attempt${attempt === 1 ? '' : 's'}` : 'bad input: not retried';
        const record: FitRecord = { ...records.get(task.id)!, status: 'failed', errors: [...item.errors], progress: undefined, finished: new Date().toISOString(), note };
        records.set(task.id, record);
        save();
        emit({ type: 'failed', task, record });
      }
    }
    if (proc) {
      await proc.stop();
      live.delete(proc);
    }
  };

  try {
    await Promise.all(Array.from({ length: workers }, (_, k) => lane(k)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const proc of live) proc.kill();
  }
  const record = save(new Date());
  emit({ type: 'end', record });
  return record;
}
