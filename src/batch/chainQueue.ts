/**
 * One fit's chains on the queue (`mixwell fit --queue`): each stage of the sampler's warmup plan
 * (samplers/plan.ts) is split into one job per chain (one job for all chains when the strategy
 * pools them), which any `mixwell worker` takes (queueWorker.ts) and runs with the same stage
 * runner as a local fit's worker threads (src/inference/parallel.ts `runStageInThreads`); the
 * results come back as the jobs' return values and are merged in chain order, so the draws equal a
 * local fit's with the same seed and settings (chain k always draws from the stream 'chain:k').
 *
 * The model and the stage request travel in the job as Node's structured serialization (v8,
 * base64), the result likewise. Job ids are derived from the fit (its data, config, sampler
 * settings and output folder), the stage and the chain: running the same `mixwell fit --queue`
 * again after the coordinating process died picks up the same jobs, finished or not.
 *
 * Each chain job checkpoints (samplers/checkpoint.ts) to `<out>/.chains/s<stage>-c<chain>.checkpoint`,
 * which must be on storage every worker sees at the same path: a worker killed mid-chain stops
 * renewing the job's lock, another worker's stalled-job check puts the job back in the queue, and
 * the next attempt continues the chain from its checkpoint.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Queue, QueueEvents } from 'bullmq';
import { isCrossChain, type StageResult, type StageRun } from '../../samplers/index.js';
import { chainGroups, mergeStageResults, type StageRunner } from '../inference/index.js';
import type { ModelSource } from '../ppl/modelSource.js';
import { connectionOptions, type QueueTarget } from './queue.js';

export const CHAIN_JOB_FORMAT = 'mixwell-chain-job/1';

/** What a chain job carries. */
export interface ChainJobData {
  readonly format: typeof CHAIN_JOB_FORMAT;
  /** The fit's id (module comment) and the stage's index, for messages. */
  readonly fit: string;
  readonly stage: number;
  /** The chains this job runs: "0" or "0-3". */
  readonly chains: string;
  /** v8-serialized, base64: the model source and the stage request (with its part). */
  readonly source: string;
  readonly request: string;
  /** The chain's checkpoint file (absolute), under the output folder. */
  readonly checkpoint: string;
  readonly checkpointSeconds: number;
  readonly backend?: string;
}

export interface ChainQueueOptions {
  /** Identifies the fit (a hash of its inputs and output folder): the same fit gives the same job ids. */
  readonly fitId: string;
  /** The fit's output folder (checkpoints go to its `.chains` folder). */
  readonly out: string;
  readonly backend?: string;
  /** Attempts per chain job (default 3). */
  readonly attempts?: number;
  /** Each chain's checkpoint at most this often, seconds (default 60). */
  readonly checkpointSeconds?: number;
  /** A line per chain job as it is queued and done. */
  readonly onLine?: (line: string) => void;
}

export const encode = (value: unknown): string => serialize(value).toString('base64');
export const decode = <T>(text: string): T => deserialize(Buffer.from(text, 'base64')) as T;

/** The fit id of `mixwell fit --queue`: a hash of what makes the fit (module comment). */
export function chainFitId(parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(serialize(part));
  return hash.digest('hex').slice(0, 16);
}

/** A stage runner that runs each stage's chains as queue jobs; `close` when the fit is done. */
export function queueStageRunner(target: QueueTarget, options: ChainQueueOptions): { runStage: StageRunner; close(): Promise<void> } {
  const prefix = target.prefix ? { prefix: target.prefix } : {};
  const queue = new Queue<ChainJobData, string>(target.name, { connection: connectionOptions(target), ...prefix });
  const events = new QueueEvents(target.name, { connection: connectionOptions(target, true), ...prefix });
  queue.on('error', () => {});
  events.on('error', () => {});
  let stageIndex = 0;
  const runStage: StageRunner = async (source: ModelSource, stage: StageRun): Promise<StageResult> => {
    const { request } = stage;
    const s = stageIndex++;
    const groups = isCrossChain(request.adaptation) ? [{ offset: 0, count: request.chains }] : chainGroups(request.chains, request.chains);
    await events.waitUntilReady();
    const encodedSource = encode(source);
    const jobs = await Promise.all(
      groups.map(async (group) => {
        const first = request.firstChain + group.offset;
        const chains = group.count === 1 ? String(first) : `${first}-${first + group.count - 1}`;
        const data: ChainJobData = {
          format: CHAIN_JOB_FORMAT,
          fit: options.fitId,
          stage: s,
          chains,
          source: encodedSource,
          request: encode({ ...request, part: { first, count: group.count } }),
          checkpoint: join(options.out, '.chains', `s${s}-c${chains}.checkpoint`),
          checkpointSeconds: options.checkpointSeconds ?? 60,
          ...(options.backend ? { backend: options.backend } : {}),
        };
        const job = await queue.add(`chain ${chains}`, data, {
          jobId: `${options.fitId}-s${s}-c${chains}`,
          attempts: options.attempts ?? 3,
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
        options.onLine?.(`stage ${s}: chain ${chains} queued (job ${job.id})`);
        return job;
      }),
    );
    const results = await Promise.all(
      jobs.map(async (job, k) => {
        const encoded = (await job.waitUntilFinished(events)) as string;
        options.onLine?.(`stage ${s}: chain ${jobs[k].data.chains} done`);
        return decode<StageResult>(encoded);
      }),
    );
    return mergeStageResults(results);
  };
  return {
    runStage,
    async close() {
      await events.close();
      await queue.close();
    },
  };
}
