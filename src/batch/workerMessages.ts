/**
 * The messages between a batch parent (workerProcess.ts) and a fit worker process (fitProcess.ts)
 * over the IPC channel (JSON serialization).
 */
import type { FitOutcome } from './outcome.js';
import type { FitTask } from './plan.js';

export interface RunContext {
  readonly workerId: string;
  readonly attempt: number;
  readonly journal?: string;
  /** Checkpoint the fit at most this often, seconds (runFit.ts; default 60). */
  readonly checkpointSeconds?: number;
}

export type ParentMessage =
  | { readonly type: 'run'; readonly task: FitTask; readonly context: RunContext }
  | { readonly type: 'exit' };

export type ChildMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'progress'; readonly completed: number; readonly total: number; readonly phase: string; readonly divergences: number }
  | { readonly type: 'done'; readonly outcome: FitOutcome }
  | { readonly type: 'failed'; readonly name: string; readonly message: string; readonly stack?: string; readonly retryable: boolean };

/** Exit code of a worker process that stopped because its parent is gone. */
export const ORPHAN_EXIT_CODE = 75;
