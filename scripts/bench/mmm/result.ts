/** The result line a bench:mmm fit process prints (fitOne.ts) and the orchestrator reads (bench-mmm.ts). */
import type { WarmupStageInfo } from '../../../samplers/index.js';
import type { Agreement } from './agreement.js';

export const RESULT_PREFIX = 'BENCH_MMM_RESULT ';

export interface MixwellRun {
  readonly size: string;
  readonly mode: string;
  readonly description: string;
  readonly workers: number;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number | string;
  readonly metric: string;
  readonly warmupPlan: string;
  readonly adaptDelta: number;
  /** Whether the linear block was integrated out or sampled. */
  readonly linearBlock: 'integrated' | 'sampled';
  readonly wallSeconds: number;
  readonly samplingSeconds: number;
  readonly cpuSeconds: number;
  readonly gradientEvaluations: number;
  readonly cpuMicrosecondsPerGradient: number;
  readonly leapfrogPerDraw: number;
  readonly meanTreeDepth: number;
  readonly stepSize: readonly number[];
  /** Partial-centering weights per channel chosen by the fit's pilot (absent: the model's coordinates). */
  readonly centeringWeights?: Readonly<Record<string, number>>;
  /** Staged warmup only: iterations, gradients, divergences and step size of each stage. */
  readonly warmupStages?: readonly WarmupStageInfo[];
  /** The sampler coordinates whose divergent draws sit furthest from the mean (posterior sds), largest first. */
  readonly divergenceShifts?: readonly { readonly coordinate: string; readonly shift: number }[];
  readonly minBulkEss: number;
  readonly minBulkEssParam: string;
  readonly minTailEss: number;
  readonly minTailEssParam: string;
  readonly minBulkEssPerSecond: number;
  readonly maxRhat: number;
  readonly maxRhatParam: string;
  readonly divergences: number;
  readonly treeDepthHits: number;
  readonly peakRssMb: number;
  readonly agreement?: Agreement;
}
