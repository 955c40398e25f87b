/**
 * Entry point of a fit worker process (started by workerProcess.ts with `child_process.fork`): it
 * receives fits over the IPC channel, runs each with runFit.ts, streams sampler progress and sends
 * back the outcome or the error. Each process has its own tfjs engine; the pool starts a fresh
 * process per fit by default, so all memory (tfjs, wasm heap, V8) is returned to the system
 * between fits. If the parent dies (killed batch or queue worker), the process stops at the next
 * sampler iteration without committing (its parent id changes when it is re-parented), so an
 * abandoned attempt can never finish a fit that another worker is redoing. SIGINT (Ctrl-C, sent to
 * the whole process group) is ignored: the parent decides what happens to running fits.
 */
import type { SampleProgress } from '../../samplers/index.js';
import { isRetryable, runFitTask, type FitContext } from './runFit.js';
import { ORPHAN_EXIT_CODE, type ChildMessage, type ParentMessage } from './workerMessages.js';

const parentPid = process.ppid;

function checkAlive(): void {
  if (process.ppid !== parentPid) process.exit(ORPHAN_EXIT_CODE);
}

function send(message: ChildMessage): void {
  if (process.connected) process.send!(message);
}

let fitsInProcess = 0;

async function run(message: Extract<ParentMessage, { type: 'run' }>): Promise<void> {
  fitsInProcess++;
  let lastSent = 0;
  let lastPhase = '';
  const onProgress = (p: SampleProgress) => {
    const now = Date.now();
    if (now - lastSent < 250 && p.phase === lastPhase && p.completed !== p.total) return;
    lastSent = now;
    lastPhase = p.phase;
    send({ type: 'progress', completed: p.completed, total: p.total, phase: p.phase, divergences: p.divergences });
  };
  const context: FitContext = { ...message.context, fitsInProcess, onProgress, checkAlive };
  try {
    const outcome = await runFitTask(message.task, context);
    send({ type: 'done', outcome });
  } catch (error) {
    const err = error as Error;
    send({ type: 'failed', name: err.name ?? 'Error', message: err.message ?? String(error), stack: err.stack, retryable: isRetryable(error) });
  }
}

if (!process.send) {
  process.stderr.write('fitProcess.ts is started by the batch pool (child_process.fork), not directly\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(ORPHAN_EXIT_CODE));
// Ctrl-C reaches the whole process group: the parent decides (the pool kills its fits, a queue
// worker lets them finish), so a fit process does not die of it on its own.
process.on('SIGINT', () => {});
let busy: Promise<void> = Promise.resolve();
process.on('message', (message: ParentMessage) => {
  if (message.type === 'run') busy = busy.then(() => run(message));
  else if (message.type === 'exit') busy.then(() => process.exit(0));
});
send({ type: 'ready', pid: process.pid });
