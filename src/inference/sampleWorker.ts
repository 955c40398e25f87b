/**
 * Worker-thread entry of the parallel sampler (parallel.ts): builds the model from its source,
 * compiles it, runs one stage of the warmup plan on its share of the chains (samplers/stage.ts; the
 * request names the chain ids, so chain k draws from the same RNG stream as in a one-process run),
 * posts progress now and then and the stage's result at the end; with checkpoints, also its chains'
 * snapshots (samplers/checkpoint.ts), and it stops after one when the parent sets the shared stop
 * flag. Each worker has its own tfjs engine and backend.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../ppl/compile.js';
import { initBackend, type BackendName } from '../tensor/index.js';
import { runStage, SamplingInterrupted, type SampleProgress, type StageHooks, type StageRequest, type StageResult, type StageSnapshot } from '../../samplers/index.js';
import { loadModel, type ModelSource } from '../ppl/modelSource.js';

export interface WorkerRequest {
  readonly source: ModelSource;
  readonly request: StageRequest;
  readonly backend?: BackendName;
  /** Post progress at most every this many milliseconds. */
  readonly progressMs: number;
  /** With checkpoints: set to 1 by the parent to ask the stage to stop after a snapshot. */
  readonly stopFlag?: SharedArrayBuffer;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: SampleProgress }
  | { readonly type: 'snapshot'; readonly snapshot: StageSnapshot }
  | { readonly type: 'interrupted' }
  | { readonly type: 'done'; readonly result: StageResult }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };

async function main(work: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sampleWorker.ts must run in a worker thread');
  try {
    await initBackend(work.backend);
    const definition = await loadModel(work.source);
    const model = compile(definition);
    let last = 0;
    const stop = work.stopFlag ? new Int32Array(work.stopFlag) : undefined;
    const hooks: StageHooks = work.request.checkpoint
      ? {
          onSnapshot: (snapshot) => port.postMessage({ type: 'snapshot', snapshot } satisfies WorkerMessage),
          ...(stop ? { shouldStop: () => Atomics.load(stop, 0) !== 0 } : {}),
        }
      : {};
    try {
      const result = runStage(
        model,
        work.request,
        (progress) => {
          const now = performance.now();
          if (now - last < work.progressMs && progress.completed < progress.total) return;
          last = now;
          port.postMessage({ type: 'progress', progress } satisfies WorkerMessage);
        },
        hooks,
      );
      port.postMessage({ type: 'done', result } satisfies WorkerMessage);
    } catch (error) {
      if (!(error instanceof SamplingInterrupted)) throw error;
      port.postMessage({ type: 'interrupted' } satisfies WorkerMessage);
    } finally {
      model.dispose();
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies WorkerMessage);
  }
}

void main(workerData as WorkerRequest);
