/** Shapes shared by the memory benchmark's parent (scripts/bench-memory.ts) and its per-case process (runCase.ts). */
export interface MemoryCase {
  readonly id: string;
  readonly geos: number;
  readonly weeks: number;
  readonly channels: number;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  /** Lowered for the largest case to bound its time (memory does not depend on it). */
  readonly maxTreeDepth?: number;
  readonly workers: number;
  /** Peak RSS target, MB (undefined: none). */
  readonly targetMb?: number;
  /** Checkpoint the fit this often, seconds, as `mixwell fit` does by default (undefined: no checkpoints). */
  readonly checkpointSeconds?: number;
}

export interface PhaseMemory {
  /** start (data simulated), sampled, fit (constrained + derived), analysis (buildReport), run directory (writeRun), report (writeReport). */
  readonly phase: string;
  /** Resident set size after the phase (after a full GC when run with --expose-gc). */
  readonly rssMb: number;
  /** The process's peak RSS so far (getrusage maxrss; every thread). */
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  readonly arrayBuffersMb: number;
  /** CPU seconds (user + system, every thread) since the process started. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}
