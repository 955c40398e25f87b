/**
 * The parent's handle on one fit worker process (fitProcess.ts, started with
 * `child_process.fork`: from source the .ts file through tsx, from the built package the compiled
 * fitProcess.js with no loader): send it a fit, follow its progress, and turn every way an
 * attempt can end into a result: the outcome; an error it reported (retryable or not); the
 * process dying (killed, out of memory, crashed), with the last lines it printed; or a timeout,
 * after which it is killed. Used by the local pool (pool.ts) and the queue worker
 * (queueWorker.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FitOutcome } from './outcome.js';
import type { FitTask } from './plan.js';
import { ORPHAN_EXIT_CODE, type ChildMessage, type ParentMessage, type RunContext } from './workerMessages.js';

export type AttemptResult =
  | { readonly ok: true; readonly outcome: FitOutcome; readonly pid: number }
  | {
      readonly ok: false;
      readonly kind: 'error' | 'crash' | 'timeout';
      readonly message: string;
      readonly retryable: boolean;
      readonly pid: number;
    };

export interface FitProgress {
  readonly completed: number;
  readonly total: number;
  readonly phase: string;
  readonly divergences: number;
}

export interface RunHooks {
  readonly onProgress?: (progress: FitProgress) => void;
  /** Kill the attempt after this many seconds. */
  readonly timeoutSeconds?: number;
}

/** Running from source (TypeScript through tsx) rather than the built JavaScript. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const FIT_PROCESS = fileURLToPath(new URL(FROM_SOURCE ? './fitProcess.ts' : './fitProcess.js', import.meta.url));
const TAIL_LINES = 12;

/** The worker's Node options: from source the tsx loader (a dev dependency), so it runs TypeScript like the parent; none from the build. */
function workerExecArgv(): string[] {
  return FROM_SOURCE ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
}

export class FitWorkerProcess {
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<void>;
  private busy = false;

  private constructor() {
    this.child = fork(FIT_PROCESS, [], {
      execArgv: workerExecArgv(),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.pid = this.child.pid ?? -1;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve();
      });
      this.child.once('error', (error) => {
        this.tail.push(`cannot start the worker process: ${error.message}`);
        this.exited ??= { code: null, signal: null };
        resolve();
      });
    });
  }

  /** Start a worker process (it is ready to take a fit at once; messages are queued). */
  static start(): FitWorkerProcess {
    return new FitWorkerProcess();
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  private describeExit(): string {
    const exit = this.exited;
    const how = !exit ? 'ended' : exit.signal ? `was killed by ${exit.signal}` : exit.code === ORPHAN_EXIT_CODE ? 'stopped (its parent went away)' : `exited with code ${exit.code}`;
    const tail = this.tail.filter((line) => !/^\s*at /.test(line)).slice(-4).join(' | ');
    return `worker process ${this.pid} ${how} during the fit${tail ? ` (last output: ${tail})` : ''}`;
  }

  /** Run one fit; resolves when the attempt ends, whichever way. */
  run(task: FitTask, context: RunContext, hooks: RunHooks = {}): Promise<AttemptResult> {
    if (this.busy) throw new Error(`worker process ${this.pid} is already running a fit`);
    if (!this.alive) return Promise.resolve({ ok: false, kind: 'crash', message: this.describeExit(), retryable: true, pid: this.pid });
    this.busy = true;
    return new Promise<AttemptResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        this.child.off('message', onMessage);
        this.busy = false;
        resolve(result);
      };
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'progress') hooks.onProgress?.(message);
        else if (message.type === 'done') finish({ ok: true, outcome: message.outcome, pid: this.pid });
        else if (message.type === 'failed') finish({ ok: false, kind: 'error', message: message.message, retryable: message.retryable, pid: this.pid });
      };
      this.child.on('message', onMessage);
      this.exitPromise.then(() => {
        if (settled) return;
        if (timedOut) finish({ ok: false, kind: 'timeout', message: `timed out after ${hooks.timeoutSeconds} s (worker process ${this.pid} killed)`, retryable: true, pid: this.pid });
        else finish({ ok: false, kind: 'crash', message: this.describeExit(), retryable: true, pid: this.pid });
      });
      if (hooks.timeoutSeconds !== undefined) {
        timer = setTimeout(() => {
          timedOut = true;
          this.child.kill('SIGKILL');
        }, hooks.timeoutSeconds * 1000);
      }
      const message: ParentMessage = { type: 'run', task, context };
      try {
        this.child.send(message);
      } catch (error) {
        finish({ ok: false, kind: 'crash', message: `cannot send the fit to worker process ${this.pid}: ${(error as Error).message}`, retryable: true, pid: this.pid });
      }
    });
  }

  /** Ask the process to exit after its current fit; kill it if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    try {
      this.child.send({ type: 'exit' } satisfies ParentMessage);
    } catch {
      // channel already closed
    }
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Resolves when the process has exited. */
  whenExited(): Promise<void> {
    return this.exitPromise;
  }
}
