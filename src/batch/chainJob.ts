/**
 * A queue worker's side of `mixwell fit --queue` (chainQueue.ts): run one chain job, i.e. one
 * stage of a fit for some of its chains, in a worker thread of this process (the same stage runner
 * as a local fit's, src/inference/parallel.ts), checkpointing to the job's file and continuing from
 * it when an earlier attempt left one (a worker killed mid-chain). The checkpoint file must stay in
 * the worker's root (pathRoot.ts); its first line names the fit, stage and chains, and one of
 * another job is set aside. The result goes back as the job's return value.
 */
import { existsSync } from 'node:fs';
import type { Job } from 'bullmq';
import type { SampleProgress, StageRequest, StageSnapshot } from '../../samplers/index.js';
import { CheckpointFileError, readCheckpointFile, removeCheckpointFile, writeCheckpointFile } from '../inference/checkpointFile.js';
import { runStageInThreads } from '../inference/index.js';
import type { ModelSource } from '../ppl/modelSource.js';
import type { BackendName } from '../tensor/index.js';
import { CHAIN_JOB_FORMAT, decode, encode, type ChainJobData } from './chainQueue.js';
import { confinePath, type PathRoot } from './pathRoot.js';

/** Run a chain job; returns the stage result (encoded) and how far a checkpoint it continued from had got. */
export async function runChainJob(job: Job<ChainJobData, string>, root: PathRoot, onLine: (line: string) => void): Promise<string> {
  const data = job.data;
  if (data.format !== CHAIN_JOB_FORMAT) throw new Error(`job ${job.id} is not a chain job`);
  const source = `job ${job.id} (fit ${data.fit}, stage ${data.stage}, chains ${data.chains})`;
  const file = confinePath(root, data.checkpoint, {
    source,
    key: 'checkpoint',
    access: 'writes',
    hint: 'run `mixwell fit --queue` with --out under this worker\'s root, or start the worker with a --root that holds it',
  });
  const identity = { fit: data.fit, stage: data.stage, chains: data.chains };
  let resume: StageSnapshot | undefined;
  if (existsSync(file)) {
    try {
      const { header, state } = readCheckpointFile<StageSnapshot>(file);
      if (header.fit === identity.fit && header.stage === identity.stage && header.chains === identity.chains) {
        resume = state;
        onLine(`${source}: continuing from its checkpoint (${String(header.progress)})`);
      } else onLine(`${source}: ${file} belongs to another job; set aside`);
    } catch (error) {
      if (!(error instanceof CheckpointFileError)) throw error;
      onLine(`${source}: ${error.message}; set aside`);
    }
  }
  const request = decode<StageRequest>(data.request);
  let lastProgress = 0;
  const onProgress = (progress: SampleProgress) => {
    const now = Date.now();
    if (now - lastProgress < 1000 && progress.completed !== progress.total) return;
    lastProgress = now;
    job.updateProgress({ fraction: progress.total > 0 ? progress.completed / progress.total : 0, phase: progress.phase }).catch(() => {});
  };
  const result = await runStageInThreads(
    decode<ModelSource>(data.source),
    {
      request: { ...request, checkpoint: { seconds: data.checkpointSeconds, ...(resume ? { resume } : {}) } },
      onProgress,
      hooks: {
        onSnapshot: (snapshot) =>
          writeCheckpointFile(file, { ...identity, progress: snapshot.chains.map((c) => `chain ${c.chain} ${c.phase} ${c.iteration}`).join(', ') }, snapshot),
      },
    },
    { workers: 1, ...(data.backend ? { backend: data.backend as BackendName } : {}) },
  );
  removeCheckpointFile(file);
  return encode(result);
}
