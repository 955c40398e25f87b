/**
 * Run the chains of one fit on several cores: each stage of the warmup plan (samplers/plan.ts) is
 * split into contiguous groups of chains, each sampled in its own worker thread (sampleWorker.ts)
 * with its own tfjs engine and, inside a worker, batched as usual; the groups' results are merged in
 * chain order and handed back to the plan's driver, the same driver `sample` uses, which computes
 * any estimate between stages from the merged chains. Chain k always draws from the RNG stream
 * 'chain:k' (samplers/stage.ts), and per-chain adaptation is independent of the other chains, so on
 * a model whose evaluation is per chain (the host path, src/ppl/hostPath.ts) the draws are
 * bit-identical to a one-process run with the same seed, whatever the worker count. A stage whose
 * strategy shares statistics across chains (pooled adaptation) runs in one worker.
 *
 * With checkpoints (samplers/checkpoint.ts) each worker posts its chains' snapshots, which are
 * reported merged with the other workers' latest; `shouldStop` is polled here and passed to the
 * workers through a shared flag, each of which then posts a last snapshot and stops.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  isCrossChain,
  mergeStageSnapshots,
  resolveSampleOptions,
  runPlanAsync,
  SamplingInterrupted,
  stageSnapshotFor,
  type StageSnapshot,
  type SampleOptions,
  type SampleProgress,
  type SampleResult,
  type StageResult,
  type StageRun,
} from '../../samplers/index.js';
import type { BackendName } from '../tensor/index.js';
import type { ModelSource } from '../ppl/modelSource.js';
import type { WorkerMessage, WorkerRequest } from './sampleWorker.js';

export interface ParallelOptions {
  /** Worker threads (at most one per chain); default: the machine's available parallelism. */
  readonly workers?: number;
  readonly backend?: BackendName;
  /** Progress messages from a worker at most this often, ms (default 200). */
  readonly progressMs?: number;
  /** The target's dimension, when known: the options are then checked against it before any worker starts. */
  readonly dim?: number;
  /**
   * Run each stage elsewhere instead of on this machine's worker threads (e.g. as queue jobs,
   * src/batch/chainQueue.ts); it must return the stage's chains merged in chain order.
   */
  readonly runStage?: StageRunner;
}

/** Runs one stage of a plan for a model named by its source: all of the request's chains, merged in chain order. */
export type StageRunner = (source: ModelSource, stage: StageRun) => Promise<StageResult>;

/**
 * Worker count for `chains` chains: the request, else the environment's MIXWELL_WORKERS, else the
 * machine's available parallelism; capped at the chain count.
 */
export function workerCount(chains: number, requested?: number): number {
  const fromEnv = process.env.MIXWELL_WORKERS;
  const wanted = requested ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : availableParallelism());
  if (requested === undefined && fromEnv && !(Number.isInteger(wanted) && wanted >= 1)) {
    throw new Error(`MIXWELL_WORKERS must be an integer >= 1, got "${fromEnv}"`);
  }
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`workers must be an integer >= 1, got ${wanted}`);
  return Math.max(1, Math.min(chains, wanted));
}

/** Contiguous chain groups [offset, count] for `workers` workers. */
export function chainGroups(chains: number, workers: number): { offset: number; count: number }[] {
  const groups: { offset: number; count: number }[] = [];
  let offset = 0;
  for (let w = 0; w < workers; w++) {
    const count = Math.floor(chains / workers) + (w < chains % workers ? 1 : 0);
    if (count > 0) groups.push({ offset, count });
    offset += count;
  }
  return groups;
}

/** Merge per-group results of one stage (in chain order) into one. */
export function mergeStageResults(parts: readonly StageResult[]): StageResult {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const withWarmupDraws = parts.every((p) => p.warmup.draws);
  return {
    dim: first.dim,
    chains: parts.reduce((n, p) => n + p.chains, 0),
    numDraws: first.numDraws,
    draws: parts.flatMap((p) => p.draws),
    stats: parts.flatMap((p) => p.stats),
    warmup: {
      stepSize: Float64Array.from(parts.flatMap((p) => Array.from(p.warmup.stepSize))),
      inverseMetric: parts.flatMap((p) => p.warmup.inverseMetric),
      divergences: Int32Array.from(parts.flatMap((p) => Array.from(p.warmup.divergences))),
      ...(withWarmupDraws ? { draws: parts.flatMap((p) => p.warmup.draws!), stats: parts.flatMap((p) => p.warmup.stats!) } : {}),
    },
    divergences: parts.reduce((n, p) => n + p.divergences, 0),
    gradientEvaluations: parts.reduce((n, p) => n + p.gradientEvaluations, 0),
    evaluateCalls: parts.reduce((n, p) => n + p.evaluateCalls, 0),
  };
}

const WORKER_ENTRY = new URL(`./sampleWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
const WORKER_BOOTSTRAP = new URL('./workerBootstrap.mjs', import.meta.url);

/** Sample the model named by `source` with the chains of each stage split over worker threads. */
export async function sampleParallel(source: ModelSource, options: SampleOptions, parallel: ParallelOptions = {}): Promise<SampleResult> {
  const run = resolveSampleOptions(options, parallel.dim);
  // With checkpoints, the workers share a stop flag that the parent sets once `shouldStop` says so.
  const stopFlag = run.checkpoint ? new SharedArrayBuffer(4) : undefined;
  const shouldStop = run.checkpoint?.shouldStop;
  const poll = stopFlag && shouldStop ? setInterval(() => shouldStop() && Atomics.store(new Int32Array(stopFlag), 0, 1), 50) : undefined;
  try {
    const runStage = parallel.runStage ?? ((s: ModelSource, stage: StageRun) => runStageInThreads(s, stage, parallel, stopFlag));
    return await runPlanAsync(run, (stage) => runStage(source, stage));
  } finally {
    if (poll) clearInterval(poll);
  }
}

/** One stage of the plan, its chains split over worker threads, the results merged in chain order. */
export async function runStageInThreads(source: ModelSource, stage: StageRun, parallel: ParallelOptions = {}, stopFlag?: SharedArrayBuffer): Promise<StageResult> {
  const { request, onProgress } = stage;
  // a request for part of the run's chains (a queue job's, src/batch/chainJob.ts) runs that part in one thread
  const workers = isCrossChain(request.adaptation) || request.part ? 1 : workerCount(request.chains, parallel.workers);
  const groups = request.part ? [{ offset: request.part.first - request.firstChain, count: request.part.count }] : chainGroups(request.chains, workers);
  const groupChains = groups.map((group) => Array.from({ length: group.count }, (_, k) => request.firstChain + group.offset + k));
  // each group's latest snapshot (at first: its part of the snapshot it resumes from); reported merged
  const resume = request.checkpoint?.resume;
  const snapshots: StageSnapshot[] = groupChains.map((ids) => (resume ? stageSnapshotFor(resume, ids) : { chains: [], groups: [] }));
  const reportSnapshot = (group: number, snapshot: StageSnapshot) => {
    snapshots[group] = snapshot;
    stage.hooks?.onSnapshot?.(mergeStageSnapshots(snapshots));
  };
  let interrupted = false;
  const latest: (SampleProgress | undefined)[] = groups.map(() => undefined);
  const iterationsPerChain = request.warmup + request.draws;
  // the chains run here: all of the run's, or the request's part
  const chainsHere = groups.reduce((n, group) => n + group.count, 0);
  const report = (group: number, progress: SampleProgress) => {
    latest[group] = progress;
    if (!onProgress) return;
    let completed = 0;
    let divergences = 0;
    let warmupDivergences = 0;
    let gradients = 0;
    for (const p of latest) {
      if (!p) continue;
      completed += p.completed;
      divergences += p.divergences;
      warmupDivergences += p.warmupDivergences;
      gradients += p.gradients;
    }
    onProgress({
      chains: chainsHere,
      chain: progress.chain - request.firstChain,
      iteration: progress.iteration,
      iterationsPerChain,
      phase: progress.phase,
      completed,
      total: chainsHere * iterationsPerChain,
      divergences,
      warmupDivergences,
      gradients,
    });
  };
  const running: Worker[] = [];
  try {
    const results = await Promise.all(
      groups.map(
        (group, index) =>
          new Promise<StageResult | null>((resolve, reject) => {
            const part = { first: request.firstChain + group.offset, count: group.count };
            const checkpoint = request.checkpoint && { ...request.checkpoint, ...(resume ? { resume: snapshots[index] } : {}) };
            const workerRequest: WorkerRequest & { entry: string } = {
              entry: WORKER_ENTRY,
              source,
              request: { ...request, part, ...(checkpoint ? { checkpoint } : {}) },
              backend: parallel.backend,
              progressMs: parallel.progressMs ?? 200,
              ...(stopFlag ? { stopFlag } : {}),
            };
            const worker = new Worker(WORKER_BOOTSTRAP, { workerData: workerRequest });
            running.push(worker);
            let settled = false;
            worker.on('message', (message: WorkerMessage) => {
              if (message.type === 'progress') report(index, message.progress);
              else if (message.type === 'snapshot') reportSnapshot(index, message.snapshot);
              else if (message.type === 'interrupted') {
                settled = true;
                interrupted = true;
                resolve(null);
              } else if (message.type === 'done') {
                settled = true;
                resolve(message.result);
              } else {
                settled = true;
                const error = new Error(message.message);
                if (message.stack) error.stack = message.stack;
                reject(error);
              }
            });
            worker.on('error', (error) => {
              settled = true;
              reject(error);
            });
            worker.on('exit', (code) => {
              if (!settled) reject(new Error(`sampler worker for chains ${group.offset}-${group.offset + group.count - 1} exited with code ${code} before finishing`));
            });
          }),
      ),
    );
    if (interrupted) throw new SamplingInterrupted();
    return mergeStageResults(results as StageResult[]);
  } finally {
    await Promise.all(running.map((worker) => worker.terminate()));
  }
}
