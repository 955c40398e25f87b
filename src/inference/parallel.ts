/**
 * Run the chains of one fit on several cores: the chains are split into contiguous groups, each
 * sampled in its own worker thread (sampleWorker.ts) with its own tfjs engine and, inside a worker,
 * batched as usual; the groups' results are merged in chain order. Chain k always draws from the
 * RNG stream 'chain:k' (samplers/sample.ts, `chainOffset`), and per-chain adaptation is independent
 * of the other chains, so on a model whose evaluation is per chain (the host path, src/ppl/hostPath.ts)
 * the draws are bit-identical to a one-process run with the same seed, whatever the worker count.
 * Pooled adaptation shares statistics across chains and so runs in one worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runStagedAsync, type SampleOptions, type SampleProgress, type SampleResult } from '../../samplers/index.js';
import type { BackendName } from '../tensor/index.js';
import type { ModelSource } from './modelSource.js';
import type { WorkerMessage, WorkerRequest } from './sampleWorker.js';

export interface ParallelOptions {
  /** Worker threads (at most one per chain); default: the machine's available parallelism. */
  readonly workers?: number;
  readonly backend?: BackendName;
  /** Progress messages from a worker at most this often, ms (default 200). */
  readonly progressMs?: number;
  /**
   * The target's dimension. Needed only to split a per-chain `init` ([chains * dim], as the staged
   * warmup passes between stages) over the workers; an init of length dim goes to every chain.
   */
  readonly dim?: number;
}

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

/** Merge per-group results (in chain order) into one. */
export function mergeSampleResults(parts: readonly SampleResult[]): SampleResult {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const withWarmupDraws = parts.every((p) => p.warmup.draws);
  return {
    dim: first.dim,
    chains: parts.reduce((n, p) => n + p.chains, 0),
    numDraws: first.numDraws,
    algorithm: first.algorithm,
    metric: first.metric,
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

/**
 * Sample the model named by `source` with its chains split over worker threads. A staged warmup
 * (samplers/staged.ts) runs stage by stage, each stage across the workers, the pooled metric
 * estimated here between stages.
 */
export async function sampleParallel(source: ModelSource, options: SampleOptions, parallel: ParallelOptions = {}): Promise<SampleResult> {
  if (options.warmupPlan === 'staged') return runStagedAsync(options, (stage) => sampleParallelOnce(source, stage, parallel));
  return sampleParallelOnce(source, options, parallel);
}

/** A per-chain init ([chains * dim]) sliced to one group's rows; an init of length dim is shared. */
function initOfGroup(init: Float64Array, chains: number, dim: number | undefined, offset: number, count: number): Float64Array {
  // Without the dimension the init goes through as given (sample() checks it against the group).
  if (dim === undefined || init.length !== chains * dim || chains === 1) return init;
  return init.slice(offset * dim, (offset + count) * dim);
}

async function sampleParallelOnce(source: ModelSource, options: SampleOptions, parallel: ParallelOptions): Promise<SampleResult> {
  const workers = options.pooledAdaptation ? 1 : workerCount(options.chains, parallel.workers);
  const baseOffset = options.chainOffset ?? 0;
  const groups = chainGroups(options.chains, workers);
  const { onProgress, ...sampleOptions } = options;
  const latest: (SampleProgress | undefined)[] = groups.map(() => undefined);
  const iterationsPerChain = options.warmup + options.draws;
  const report = (group: number, progress: SampleProgress) => {
    latest[group] = progress;
    if (!onProgress) return;
    let completed = 0;
    let divergences = 0;
    let warmupDivergences = 0;
    for (const p of latest) {
      if (!p) continue;
      completed += p.completed;
      divergences += p.divergences;
      warmupDivergences += p.warmupDivergences;
    }
    onProgress({
      chains: options.chains,
      chain: progress.chain - baseOffset,
      iteration: progress.iteration,
      iterationsPerChain,
      phase: progress.phase,
      completed,
      total: options.chains * iterationsPerChain,
      divergences,
      warmupDivergences,
    });
  };
  const running: Worker[] = [];
  try {
    const results = await Promise.all(
      groups.map(
        (group, index) =>
          new Promise<SampleResult>((resolve, reject) => {
            const request: WorkerRequest & { entry: string } = {
              entry: WORKER_ENTRY,
              source,
              options: {
                ...sampleOptions,
                chains: group.count,
                chainOffset: baseOffset + group.offset,
                ...(options.init !== undefined
                  ? { init: initOfGroup(options.init, options.chains, parallel.dim, group.offset, group.count) }
                  : {}),
              },
              backend: parallel.backend,
              progressMs: parallel.progressMs ?? 200,
            };
            const worker = new Worker(WORKER_BOOTSTRAP, { workerData: request });
            running.push(worker);
            let settled = false;
            worker.on('message', (message: WorkerMessage) => {
              if (message.type === 'progress') report(index, message.progress);
              else if (message.type === 'done') {
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
    return mergeSampleResults(results);
  } finally {
    await Promise.all(running.map((worker) => worker.terminate()));
  }
}
