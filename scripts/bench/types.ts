/**
 * Shapes of the gradient benchmark's results: what a backend's child process reports (one JSON
 * object on stdout) and what `npm run bench` records in bench/gradient-<date>.json.
 */

/** Summary of per-call wall times, microseconds. */
export interface CallTimes {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly mean: number;
  readonly min: number;
}

/** One (model, backend, chains) measurement. */
export interface CaseResult {
  readonly model: string;
  readonly file: string;
  readonly G: number;
  readonly T: number;
  readonly C: number;
  readonly K: number;
  readonly dim: number;
  readonly chains: number;
  readonly warmupCalls: number;
  readonly calls: number;
  /** Wall seconds of the timed calls (warm-up excluded). */
  readonly seconds: number;
  readonly usPerCall: CallTimes;
  /** Median microseconds per call divided by the number of chains. */
  readonly usPerChainGradient: number;
  /** Process CPU microseconds per call (mean over the timed calls), and divided by the number of chains. */
  readonly cpuUsPerCall: number;
  readonly cpuUsPerChainGradient: number;
  /** Kernels run by one `evaluate` call (forward, backward, and the packing of value and gradient). */
  readonly kernelsPerGradient: number;
  /** Kernels of the forward pass alone (log density terms, no tape). */
  readonly forwardKernels: number;
  /** Live tensors with the model built: before the first call, after the last, after dispose (vs before the model). */
  readonly liveTensors: { readonly beforeModel: number; readonly before: number; readonly after: number; readonly afterDispose: number };
  /** True when every chain's log density and gradient were finite at the benchmark point. */
  readonly finite: boolean;
}

/** Phase of a kernel within one value-and-gradient call. */
export type KernelPhase = 'forward' | 'tape' | 'backward';

export interface PhaseTotals {
  readonly kernels: number;
  /** Summed median kernel time, microseconds. */
  readonly us: number;
}

export interface KernelByName {
  readonly name: string;
  /** Kernels of this name per gradient, in total and per phase. */
  readonly count: number;
  readonly forward: number;
  readonly tape: number;
  readonly backward: number;
  /** Summed median kernel time per gradient, microseconds. */
  readonly us: number;
  /** Share of the summed kernel time. */
  readonly share: number;
}

export interface KernelInstance {
  /** Position in the gradient's kernel sequence. */
  readonly index: number;
  readonly phase: KernelPhase;
  readonly name: string;
  readonly inputShapes: readonly (readonly number[] | null)[];
  readonly outputShapes: readonly (readonly number[])[];
  readonly us: number;
}

/**
 * Where the time of one gradient goes, from repeated tf.profile runs. Phases: 'forward' are the
 * kernels of the log density itself (matched against a tape-free forward pass), 'tape' the
 * Identity copies the gradient tape makes of tensors it saves for the backward pass (interleaved
 * with the forward pass), 'backward' everything after the forward pass (gradients, and the final
 * concat that packs value and gradient).
 */
export interface ProfileResult {
  readonly model: string;
  readonly backend: string;
  readonly chains: number;
  readonly dim: number;
  readonly runs: number;
  readonly kernels: number;
  /** Kernels of a tape-free forward pass (logDensityTerms in tf.tidy). */
  readonly forwardPassKernels: number;
  /** Median wall time of an unprofiled call, microseconds. */
  readonly wallUs: number;
  /** Median wall time of a profiled call (per-kernel timers add overhead), microseconds. */
  readonly profiledWallUs: number;
  /** Sum over kernels of the median per-kernel time, microseconds. */
  readonly kernelUs: number;
  readonly phases: Readonly<Record<KernelPhase, PhaseTotals>>;
  /** Kernels whose every input and output has at most chains x dim elements (overhead-bound), and the rest. */
  readonly parameterSized: PhaseTotals;
  readonly dataSized: PhaseTotals;
  readonly byName: readonly KernelByName[];
  readonly topInstances: readonly KernelInstance[];
}

/** What one backend's child process reports. */
export interface BackendRun {
  readonly backend: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly tfjsVersion?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
  readonly results: readonly CaseResult[];
  readonly errors: readonly { readonly model: string; readonly chains?: number; readonly message: string }[];
  readonly skippedModels: readonly { readonly model: string; readonly reason: string }[];
  readonly profile?: ProfileResult;
}

export interface StanGradient {
  readonly size: string;
  readonly G: number;
  readonly T: number;
  readonly C: number;
  readonly K: number;
  readonly dim: number;
  readonly usPerGradientCpu: number;
}

export interface Comparison {
  readonly model: string;
  readonly stan: StanGradient;
  readonly dim: number;
  readonly rows: readonly {
    readonly backend: string;
    readonly chains: number;
    readonly usPerChainGradient: number;
    readonly cpuUsPerChainGradient: number;
    /** Wall-time (median) per chain-gradient over Stan's CPU time per gradient. */
    readonly ratioToStan: number;
    /** CPU time per chain-gradient over Stan's CPU time per gradient. */
    readonly cpuRatioToStan: number;
  }[];
}

/** The file bench/gradient-<date>.json. */
export interface GradientBenchRecord {
  readonly kind: 'gradient';
  readonly date: string;
  readonly quick: boolean;
  readonly command: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly platform: string;
    readonly tfjs: string;
    readonly memoryGiB: number;
    readonly loadAverageStart: readonly number[];
    readonly loadAverageEnd: readonly number[];
  };
  readonly git?: { readonly commit: string; readonly dirty: boolean };
  readonly methodology: string;
  readonly backends: readonly BackendRun[];
  readonly skippedModels: readonly { readonly model: string; readonly reason: string }[];
  readonly comparisons: readonly Comparison[];
}
