/**
 * Worker-thread entry of the parallel sampler (parallel.ts): builds the model from its source,
 * compiles it, runs one stage of the warmup plan on its share of the chains (samplers/stage.ts; the
 * request names the chain ids, so chain k draws from the same RNG stream as in a one-process run),
 * posts progress now and then and the stage's result at the end. Each worker has its own tfjs
 * engine and backend.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '../ppl/compile.js';
import { initBackend, type BackendName } from '../tensor/index.js';
import { runStage, type SampleProgress, type StageRequest, type StageResult } from '../../samplers/index.js';
import { loadModel, type ModelSource } from '../ppl/modelSource.js';

export interface WorkerRequest {
  readonly source: ModelSource;
  readonly request: StageRequest;
  readonly backend?: BackendName;
  /** Post progress at most every this many milliseconds. */
  readonly progressMs: number;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: SampleProgress }
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
    try {
      const result = runStage(model, work.request, (progress) => {
        const now = performance.now();
        if (now - last < work.progressMs && progress.completed < progress.total) return;
        last = now;
        port.postMessage({ type: 'progress', progress } satisfies WorkerMessage);
      });
      port.postMessage({ type: 'done', result } satisfies WorkerMessage);
    } finally {
      model.dispose();
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ type: 'error', message: e.message, stack: e.stack } satisfies WorkerMessage);
  }
}

void main(workerData as WorkerRequest);
