/**
 * A batch on a distributed queue: BullMQ on Redis (https://docs.bullmq.io). `enqueueBatch` adds
 * one job per fit whose output is not already complete (outputState.ts); any number of
 * `mixwell worker` processes on any machines (queueWorker.ts) take jobs, run them in fit worker
 * processes and write the outputs to the fits' directories, which must be on storage every
 * machine sees at the same path; the fit's summary (outcome.ts) is also stored as the job's return
 * value. Retries are the job's `attempts` (the fit's `retries` + 1); a worker that dies mid-fit
 * stops renewing the job's lock and another worker's stalled-job check puts the job back in the
 * queue. Job ids are derived from the batch (manifest path and batch directory) and the fit id, so
 * enqueueing the same manifest again adds only what is missing: jobs still queued or running are
 * left alone; finished jobs whose output is not complete (failed, or output removed) are replaced.
 * `queueStatus` reads the jobs back into the batch record (batch.json); `waitForBatch` follows
 * them until none is queued or running.
 */
import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { batchRecord, emptyFitRecord, fitRecordFromOutcome, writeBatchRecord, type AttemptError, type BatchRecord, type FitRecord } from './batchRecord.js';
import type { FitOutcome } from './outcome.js';
import { outputState } from './outputState.js';
import type { BatchPlan, FitTask } from './plan.js';
import type { BatchEvent } from './pool.js';
import { describeConnectionError, parseQueueUrl, redactUrl, redisOptions, type QueueTls } from './redisUrl.js';

export { parseQueueUrl };

export const DEFAULT_QUEUE_NAME = 'mixwell';
export const JOB_FORMAT = 'mixwell-batch-job/1';

export interface QueueTarget {
  /** redis://[user:password@]host:port[/db] or rediss://... (TLS) */
  readonly url: string;
  readonly name: string;
  /** BullMQ's key prefix (default "bull"): queues under different prefixes never see each other's jobs. */
  readonly prefix?: string;
  readonly tls?: QueueTls;
}

/** What a job carries: the fit and where its batch lives. */
export interface FitJobData {
  readonly format: typeof JOB_FORMAT;
  readonly batch: { readonly id: string; readonly name: string; readonly out: string; readonly manifest: string };
  readonly task: FitTask;
}

/** Progress stored on a running job. */
export interface JobProgressValue {
  readonly fraction: number;
  readonly phase: string;
  readonly worker: string;
  readonly attempt: number;
}

/** The URL with any password hidden, for messages and batch.json (redisUrl.ts). */
export const displayUrl = (text: string): string => redactUrl(text).replace(/\/$/, '');

/**
 * Connection options for BullMQ (ioredis), from the URL (user, password, db, TLS; redisUrl.ts).
 * Workers keep reconnecting (Redis may restart under them) and need maxRetriesPerRequest null;
 * the enqueuer and status fail after a few seconds with the connection error instead of waiting
 * forever.
 */
export function connectionOptions(target: Pick<QueueTarget, 'url' | 'tls'>, forWorker = false): ConnectionOptions {
  const base: Record<string, unknown> = { ...redisOptions(target.url, target.tls) };
  if (forWorker) return { ...base, maxRetriesPerRequest: null };
  return { ...base, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: (times: number) => (times > 3 ? null : 500) };
}

/**
 * Connect once, authenticate and PING, within a few seconds: the first connection of the CLI
 * (enqueue, status, a worker's start) fails with a named error (unreachable, authentication, TLS)
 * with the URL redacted, instead of retrying forever or printing the password.
 */
export async function checkConnection(target: Pick<QueueTarget, 'url' | 'tls'>, timeoutMs = 5000): Promise<void> {
  const client = new Redis({ ...redisOptions(target.url, target.tls), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: unknown;
  client.on('error', (error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(describeConnectionError(target.url, lastError ?? error));
  } finally {
    client.disconnect();
  }
}

/** The job id of a fit in a batch: stable across runs of the same manifest. */
export function fitJobId(plan: Pick<BatchPlan, 'batchId'>, taskId: string): string {
  const hash = createHash('sha256').update(taskId).digest('hex').slice(0, 8);
  return `${plan.batchId}-${hash}-${taskId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

function openQueue(target: QueueTarget): Queue<FitJobData, FitOutcome> {
  const queue = new Queue<FitJobData, FitOutcome>(target.name, { connection: connectionOptions(target), ...(target.prefix ? { prefix: target.prefix } : {}) });
  // Connection errors surface as rejected calls (with the reason); without a listener they would crash the process.
  queue.on('error', () => {});
  return queue;
}

async function ready(queue: Queue, target: QueueTarget): Promise<void> {
  try {
    await queue.waitUntilReady();
  } catch (error) {
    throw new Error(describeConnectionError(target.url, error));
  }
}

/** A permission error (an ACL user limited to other keys, e.g. another team's prefix) in words, with the URL redacted; other errors as they are. */
function queueError(target: QueueTarget, error: unknown): unknown {
  if (error instanceof Error && /^NOPERM/.test(error.message)) return new Error(`${describeConnectionError(target.url, error)}${target.prefix !== undefined ? ` (keys under the prefix "${target.prefix}:")` : ' (keys under the default prefix "bull:")'}`);
  return error;
}

/** How long Redis keeps a finished (completed or failed) fit job: 30 days. */
export const FINISHED_JOB_RETENTION_SECONDS = 30 * 24 * 3600;

const LIVE_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'wait', 'paused'];

export interface EnqueueResult {
  readonly record: BatchRecord;
  readonly added: number;
  readonly alreadyQueued: number;
  readonly skipped: number;
}

/** Add the batch's unfinished fits to the queue (see the module comment); writes batch.json. */
export async function enqueueBatch(plan: BatchPlan, target: QueueTarget, options: { readonly force?: boolean; readonly retries?: number } = {}): Promise<EnqueueResult> {
  const started = new Date();
  const queue = openQueue(target);
  try {
    await ready(queue, target);
    const records: FitRecord[] = [];
    const toAdd: { name: string; data: FitJobData; opts: JobsOptions }[] = [];
    let alreadyQueued = 0;
    let skipped = 0;
    for (const task of plan.tasks) {
      const jobId = fitJobId(plan, task.id);
      const state = options.force ? ({ complete: false, reason: 'redone (--force)' } as const) : outputState(task);
      const existing = await queue.getJob(jobId);
      const existingState = existing ? await existing.getState() : undefined;
      if (existing && existingState && LIVE_STATES.includes(existingState)) {
        if (existingState !== 'active' && existing.data?.task?.fingerprint !== task.fingerprint) {
          await existing.remove();
        } else {
          alreadyQueued++;
          records.push(emptyFitRecord(task, existingState === 'active' ? 'running' : 'queued', 'already in the queue'));
          continue;
        }
      }
      if (state.complete) {
        skipped++;
        records.push(fitRecordFromOutcome(task, state.outcome, 'skipped', 0, [], 'output complete for the same data, filter and config'));
        continue;
      }
      if (existing && existingState && !LIVE_STATES.includes(existingState)) await existing.remove();
      const attempts = (options.retries ?? task.retries) + 1;
      toAdd.push({
        name: 'fit',
        data: { format: JOB_FORMAT, batch: { id: plan.batchId, name: plan.name, out: plan.out, manifest: plan.manifest }, task },
        opts: {
          jobId,
          attempts,
          backoff: { type: 'fixed', delay: 1000 },
          // Finished jobs stay for `mixwell batch --status` for a while, then Redis drops them; the
          // status of a fit without a job falls back to its output directory.
          removeOnComplete: { age: FINISHED_JOB_RETENTION_SECONDS },
          removeOnFail: { age: FINISHED_JOB_RETENTION_SECONDS },
        },
      });
      records.push(emptyFitRecord(task, 'queued', state.reason));
    }
    if (toAdd.length > 0) await queue.addBulk(toAdd);
    const record = batchRecord(plan, records, { mode: 'queue', started, queue: { url: displayUrl(target.url), name: target.name, ...(target.prefix ? { prefix: target.prefix } : {}) } });
    writeBatchRecord(record);
    return { record, added: toAdd.length, alreadyQueued, skipped };
  } catch (error) {
    throw queueError(target, error);
  } finally {
    await queue.close();
  }
}

function errorsOf(job: Job<FitJobData, FitOutcome>): AttemptError[] {
  return (job.stacktrace ?? []).map((stack, k) => ({ attempt: k + 1, kind: 'error', message: firstParagraph(stack) }));
}

function firstParagraph(stack: string): string {
  return stack.split('\n').filter((line) => !/^\s+at /.test(line)).join('\n').replace(/^(Unrecoverable)?Error: /, '');
}

/** One fit's record from its job (or its output when it has no job). */
async function fitRecordFromJob(task: FitTask, job: Job<FitJobData, FitOutcome> | undefined): Promise<FitRecord> {
  if (!job) {
    const state = outputState(task);
    return state.complete ? fitRecordFromOutcome(task, state.outcome, 'skipped', 0, [], 'output complete; not in the queue') : emptyFitRecord(task, 'pending', `not in the queue (${state.reason})`);
  }
  const state = await job.getState();
  const attempts = Math.max(job.attemptsMade, job.attemptsStarted ?? 0);
  if (state === 'completed' && job.returnvalue) return fitRecordFromOutcome(task, job.returnvalue, 'done', attempts, errorsOf(job));
  if (state === 'failed') {
    const errors = errorsOf(job);
    if (errors.length === 0 && job.failedReason) errors.push({ attempt: attempts, kind: 'error', message: job.failedReason });
    return { ...emptyFitRecord(task, 'failed', job.failedReason), attempts, errors, finished: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined };
  }
  if (state === 'active') {
    const progress = job.progress as Partial<JobProgressValue> | number | undefined;
    const value = typeof progress === 'object' && progress !== null ? progress : undefined;
    return {
      ...emptyFitRecord(task, 'running'),
      attempts,
      errors: errorsOf(job),
      started: job.processedOn ? new Date(job.processedOn).toISOString() : undefined,
      progress: { fraction: value?.fraction ?? 0, phase: value?.phase ?? 'starting' },
      note: value?.worker ? `on ${value.worker}` : undefined,
    };
  }
  return { ...emptyFitRecord(task, 'queued', state), attempts, errors: errorsOf(job) };
}

/** The batch's state from its jobs; writes batch.json. */
export async function queueStatus(plan: BatchPlan, target: QueueTarget, options: { readonly write?: boolean } = {}): Promise<BatchRecord> {
  const queue = openQueue(target);
  try {
    await ready(queue, target);
    const jobs = await Promise.all(plan.tasks.map((task) => queue.getJob(fitJobId(plan, task.id))));
    const fits = await Promise.all(plan.tasks.map((task, k) => fitRecordFromJob(task, jobs[k])));
    const stamps = jobs.flatMap((job) => (job ? [job.timestamp] : []));
    const finishedStamps = jobs.flatMap((job) => (job?.finishedOn ? [job.finishedOn] : []));
    const open = fits.some((f) => f.status === 'queued' || f.status === 'running');
    const started = new Date(stamps.length ? Math.min(...stamps) : Date.now());
    const finished = !open && finishedStamps.length ? new Date(Math.max(...finishedStamps)) : undefined;
    const record = batchRecord(plan, fits, { mode: 'queue', started, finished, queue: { url: displayUrl(target.url), name: target.name, ...(target.prefix ? { prefix: target.prefix } : {}) } });
    if (options.write ?? true) writeBatchRecord(record);
    return record;
  } catch (error) {
    throw queueError(target, error);
  } finally {
    await queue.close();
  }
}

/** Counts of every job in the queue, whatever batch it belongs to. */
export async function queueCounts(target: QueueTarget): Promise<Record<string, number>> {
  const queue = openQueue(target);
  try {
    await ready(queue, target);
    return await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed');
  } catch (error) {
    throw queueError(target, error);
  } finally {
    await queue.close();
  }
}

/**
 * Follow a queued batch until no fit is queued or running, turning what changes between polls into
 * the pool's events (for the progress view); writes batch.json on every change and at the end.
 */
export async function waitForBatch(plan: BatchPlan, target: QueueTarget, options: { readonly onEvent?: (event: BatchEvent) => void; readonly pollMs?: number; readonly signal?: AbortSignal } = {}): Promise<BatchRecord> {
  const emit = options.onEvent ?? (() => {});
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const previous = new Map<string, FitRecord>();
  let first = true;
  for (;;) {
    const record = await queueStatus(plan, target);
    if (first) {
      emit({ type: 'plan', total: plan.tasks.length, toRun: record.fits.filter((f) => f.status !== 'skipped' && f.status !== 'done').length, skipped: record.counts.skipped, workers: 0 });
      first = false;
    }
    for (const fit of record.fits) {
      const task = byId.get(fit.id)!;
      const before = previous.get(fit.id);
      previous.set(fit.id, fit);
      if (fit.status !== 'failed') {
        for (const error of fit.errors.slice(before?.errors.length ?? 0)) emit({ type: 'retry', task, error, attemptsLeft: task.retries + 1 - error.attempt });
      }
      const changed = before?.status !== fit.status || before.attempts !== fit.attempts;
      if (fit.status === 'running') {
        if (changed) emit({ type: 'start', task, attempt: fit.attempts, pid: 0, worker: fit.note ?? '' });
        if (fit.progress) emit({ type: 'progress', task, attempt: fit.attempts, progress: { completed: fit.progress.fraction * 1000, total: 1000, phase: fit.progress.phase, divergences: 0 } });
      } else if (changed && fit.status === 'done') emit({ type: 'done', task, record: fit });
      else if (changed && fit.status === 'failed') emit({ type: 'failed', task, record: fit });
      else if (changed && fit.status === 'skipped' && !before) emit({ type: 'skipped', task, record: fit });
    }
    if (record.counts.queued === 0 && record.counts.running === 0) {
      emit({ type: 'end', record });
      return record;
    }
    if (options.signal?.aborted) return record;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}
