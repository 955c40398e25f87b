/**
 * A queue worker (`mixwell worker`): a BullMQ Worker that takes fit jobs (queue.ts) and runs each
 * in a fresh fit worker process (workerProcess.ts), `concurrency` at a time. The job's progress
 * is the sampler's; its return value is the fit's outcome (outcome.ts), and the outputs go to the
 * fit's directory. Bad input fails the job at once (BullMQ UnrecoverableError); anything else
 * fails the attempt and BullMQ retries it while attempts remain. If this process dies, its fit
 * processes stop on their own (fitProcess.ts) and the jobs' locks expire after `lockDurationMs`;
 * the stalled-job check of any live worker (every `stalledIntervalMs`) then puts them back in the
 * queue, up to `maxStalledCount` times (BullMQ "Stalled Jobs", https://docs.bullmq.io/guide/jobs/stalled).
 *
 * A worker is confined to its `root` (required; pathRoot.ts): a job carries the paths the worker
 * reads (the data file) and writes (the batch directory's journal, the fit's output folder), and
 * anyone who can add jobs to the queue chooses them. Before it starts a fit process or writes a
 * line, the worker resolves those paths (links followed, `..` applied) and fails a job that leaves
 * the root at once (not retried), with a message naming the job, its batch and manifest, the key
 * (`fits[2].out`), the fit and the root; the worker goes on with the next job. The fit then runs
 * on the real paths that were checked. The root is required rather than defaulting to the working
 * directory: a worker started by a service manager often runs in `/`, which would silently confine
 * it to nothing; `root: "/"` is the explicit way to allow everything. The job's manifest path and
 * config file are only recorded, never read by the worker, so they are not checked.
 *
 * The same worker also takes the chain jobs of `mixwell fit --queue` (chainQueue.ts, chainJob.ts):
 * one stage of one fit for some of its chains, run in a worker thread of this process.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { appendJournal } from './journal.js';
import type { FitOutcome } from './outcome.js';
import { confineBatchDir, confineTask, describeRoot, openRoot, PathRootError } from './pathRoot.js';
import type { FitTask } from './plan.js';
import { checkConnection, connectionOptions, JOB_FORMAT, type FitJobData, type JobProgressValue, type QueueTarget } from './queue.js';
import { redactIn } from './redisUrl.js';
import { FitWorkerProcess } from './workerProcess.js';
import { runChainJob } from './chainJob.js';
import { CHAIN_JOB_FORMAT, type ChainJobData } from './chainQueue.js';

export interface QueueWorkerOptions {
  /**
   * The folder this worker's jobs must read and write in (absolute or relative to the working
   * directory); jobs whose paths leave it fail at once. Required: see the module comment.
   */
  readonly root: string;
  /** Fits at once (default 1). */
  readonly concurrency?: number;
  /** How long a job's lock lasts without renewal (BullMQ lockDuration; default 30 s). */
  readonly lockDurationMs?: number;
  /** How often stalled jobs are looked for (default 30 s). */
  readonly stalledIntervalMs?: number;
  /** How many times a job may stall before it fails (default 2). */
  readonly maxStalledCount?: number;
  readonly onEvent?: (event: QueueWorkerEvent) => void;
  /** A fit's checkpoint (`<out>.checkpoint`, resumed when the job is retried, here or by another worker) at most this often, seconds; default 60. */
  readonly checkpointSeconds?: number;
}

export type QueueWorkerEvent =
  | { readonly type: 'ready'; readonly worker: string; readonly root: string }
  | { readonly type: 'start'; readonly worker: string; readonly jobId: string; readonly fit: string; readonly attempt: number; readonly pid: number }
  | { readonly type: 'done'; readonly worker: string; readonly jobId: string; readonly fit: string; readonly seconds: number }
  | { readonly type: 'failed'; readonly worker: string; readonly jobId: string; readonly fit: string; readonly message: string; readonly retryable: boolean }
  | { readonly type: 'stalled'; readonly worker: string; readonly jobId: string }
  /** A chain job of `mixwell fit --queue` (chainJob.ts): started, continued from a checkpoint, done. */
  | { readonly type: 'chain'; readonly worker: string; readonly jobId: string; readonly line: string }
  | { readonly type: 'error'; readonly worker: string; readonly message: string }
  | { readonly type: 'closed'; readonly worker: string };

export interface QueueWorkerHandle {
  readonly id: string;
  /** Jobs being processed now. */
  active(): number;
  /** Stop taking jobs; with `force`, kill running fits (their jobs stall and go to other workers). */
  close(force?: boolean): Promise<void>;
}

/**
 * Start a worker on the queue; resolves once it is connected. The first connection is checked
 * within a few seconds (an unreachable server, a wrong password or a TLS error is an error, with
 * the URL redacted); after that the worker reconnects for as long as it runs.
 */
export async function startQueueWorker(target: QueueTarget, options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  if (typeof options?.root !== 'string') throw new Error('startQueueWorker: options.root is required: the folder the jobs\' data and outputs must stay in ("/" allows any path)');
  const root = openRoot(options.root, 'root');
  await checkConnection(target);
  const id = `${hostname()}:${process.pid}`;
  const emit = options.onEvent ?? (() => {});
  const processes = new Set<FitWorkerProcess>();
  let active = 0;

  const processor = async (anyJob: Job<FitJobData | ChainJobData, FitOutcome | string>): Promise<FitOutcome | string> => {
    if (anyJob.data?.format === CHAIN_JOB_FORMAT) return chainJob(anyJob as Job<ChainJobData, string>);
    const job = anyJob as Job<FitJobData, FitOutcome>;
    const data = job.data;
    if (data?.format !== JOB_FORMAT) throw new UnrecoverableError(`job ${job.id} is not a Mixwell fit job (format ${JSON.stringify(data?.format)}, expected ${JOB_FORMAT})`);
    const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
    const source = `job ${job.id} (batch ${JSON.stringify(data.batch?.name)}, manifest ${data.batch?.manifest})`;
    const hint = `this worker runs only jobs under its root: submit batches whose data and outputs are there (mixwell batch --root ${root.dir}), or start the worker with a --root that holds them`;
    let journal: string | undefined;
    let task: FitTask;
    if (typeof data.task !== 'object' || data.task === null) throw new UnrecoverableError(`${source}: carries no fit (its "task" is ${JSON.stringify(data.task)})`);
    try {
      journal = confineBatchDir(root, data.batch?.out as string, source, hint).journal;
      task = confineTask(root, data.task, source, hint);
    } catch (error) {
      if (!(error instanceof PathRootError)) throw error;
      const fit = typeof data.task?.id === 'string' ? data.task.id : '?';
      if (journal) appendJournal(journal, { event: 'failed', fit, attempt, worker: id, host: hostname(), message: error.message });
      emit({ type: 'failed', worker: id, jobId: job.id!, fit, message: error.message, retryable: false });
      throw new UnrecoverableError(error.message);
    }
    const proc = FitWorkerProcess.start();
    processes.add(proc);
    active++;
    try {
      appendJournal(journal, { event: 'start', fit: task.id, attempt, worker: id, host: hostname(), pid: proc.pid });
      emit({ type: 'start', worker: id, jobId: job.id!, fit: task.id, attempt, pid: proc.pid });
      let lastUpdate = 0;
      const result = await proc.run(task, { workerId: id, attempt, journal, ...(options.checkpointSeconds !== undefined ? { checkpointSeconds: options.checkpointSeconds } : {}) }, {
        timeoutSeconds: task.timeoutSeconds,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastUpdate < 1000 && progress.completed !== progress.total) return;
          lastUpdate = now;
          const value: JobProgressValue = { fraction: progress.total > 0 ? progress.completed / progress.total : 0, phase: progress.phase, worker: id, attempt };
          job.updateProgress(value as unknown as object).catch(() => {});
        },
      });
      if (result.ok) {
        emit({ type: 'done', worker: id, jobId: job.id!, fit: task.id, seconds: result.outcome.seconds.total });
        return result.outcome;
      }
      appendJournal(journal, { event: 'failed', fit: task.id, attempt, worker: id, host: hostname(), pid: result.pid, message: result.message });
      emit({ type: 'failed', worker: id, jobId: job.id!, fit: task.id, message: result.message, retryable: result.retryable });
      throw result.retryable ? new Error(result.message) : new UnrecoverableError(result.message);
    } finally {
      active--;
      await proc.stop();
      processes.delete(proc);
    }
  };

  // One stage of a fit for some of its chains (`mixwell fit --queue`, chainQueue.ts), in a thread of this process.
  const chainJob = async (job: Job<ChainJobData, string>): Promise<string> => {
    const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
    emit({ type: 'chain', worker: id, jobId: job.id!, line: `start chain job ${job.id} (fit ${job.data.fit}, stage ${job.data.stage}, chains ${job.data.chains}, attempt ${attempt})` });
    active++;
    try {
      const result = await runChainJob(job, root, (line) => emit({ type: 'chain', worker: id, jobId: job.id!, line }));
      emit({ type: 'chain', worker: id, jobId: job.id!, line: `done chain job ${job.id}` });
      return result;
    } catch (error) {
      if (error instanceof PathRootError) throw new UnrecoverableError(error.message);
      throw error;
    } finally {
      active--;
    }
  };

  const worker = new Worker<FitJobData | ChainJobData, FitOutcome | string>(target.name, processor, {
    connection: connectionOptions(target, true),
    ...(target.prefix ? { prefix: target.prefix } : {}),
    concurrency: Math.max(1, options.concurrency ?? 1),
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    name: id,
    autorun: false,
  });
  worker.on('stalled', (jobId) => emit({ type: 'stalled', worker: id, jobId }));
  // ioredis errors carry no password, but redact them anyway: they go to the log.
  worker.on('error', (error) => emit({ type: 'error', worker: id, message: redactIn(error.message, target.url) }));
  worker.run().catch((error: Error) => emit({ type: 'error', worker: id, message: redactIn(error.message, target.url) }));
  await worker.waitUntilReady();
  emit({ type: 'ready', worker: id, root: describeRoot(root) });

  return {
    id,
    active: () => active,
    async close(force = false) {
      if (force) for (const proc of processes) proc.kill();
      await worker.close(force);
      emit({ type: 'closed', worker: id });
    },
  };
}
