import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSimulatedSize, simulatedData } from './simulated.js';

/**
 * The sampling modes `npm run bench:mmm` compares with Stan. Each mode fits the same posterior (the
 * reference model of shared/reference-model.md); they differ in parameterization and sampler
 * settings only. `stan` is Stan runner's exact settings; the others are the faster-converging modes,
 * stated here so the figures can be reproduced.
 */
export interface BenchMode {
  readonly id: string;
  readonly description: string;
  /** Model config overrides (parameterization only: the posterior is the same). */
  readonly model: Readonly<Record<string, unknown>>;
  /** Sampler settings over the run config's defaults (DEFAULT_SAMPLER: 4 chains x 1000 + 1000 ...). */
  readonly sampler: {
    readonly chains?: number;
    readonly warmup?: number;
    readonly draws?: number;
    readonly metric?: 'diag' | 'dense' | 'lowRank';
    readonly warmupPlan?: 'stan' | 'staged' | 'nutpie';
    readonly pooledAdaptation?: boolean;
    /** The centering pilot (src/inference/centeringPilot.ts); off by default, on in mode `pilot`. */
    readonly adaptiveCentering?: boolean;
    readonly adaptDelta?: number;
    readonly maxTreeDepth?: number;
    readonly stagedWarmup?: {
      readonly lengths?: { readonly diag: number; readonly dense: number | readonly number[]; readonly final: number };
      readonly diagMaxTreeDepth?: number;
      readonly diagAdaptDelta?: number;
    };
  };
}

/** The staged-p family's parameterization: tv centered, search half-way (w = 0.5), the rest non-centered. */
const TV_CENTERED_SEARCH_HALF: BenchMode['model'] = { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 0.5 } } };
/** The joint model: the linear block sampled with the rest, as every mode before the block was integrated out. */
const JOINT: BenchMode['model'] = { linearBlock: 'sample' };

export const BENCH_MODES: readonly BenchMode[] = [
  {
    id: 'default',
    description: 'what `mixwell fit` does with no model or sampler options (the linear block integrated out where it can be; DEFAULT_SAMPLER)',
    model: {},
    sampler: {},
  },
  {
    id: 'ad90',
    description: 'the default with a target acceptance of 0.9 instead of 0.8 (sampler.adaptDelta: 0.9; bench/README.md finding 23: no fewer divergences, 1.1-1.8x the gradients)',
    model: {},
    sampler: { adaptDelta: 0.9 },
  },
  {
    id: 'pilot',
    description: 'the default with the centering pilot (sampler.adaptiveCentering: each channel\'s partial-centering weight from the first 25% of the warmup)',
    model: {},
    sampler: { adaptiveCentering: true },
  },
  {
    id: 'stan',
    description: "the linear block integrated out (as mmm_collapsed.stan), Stan runner's sampler settings: diagonal metric, Stan's windows, 4 chains x 1000 warmup + 1000 draws, adapt delta 0.8, max tree depth 10",
    model: { linearBlock: 'integrate' },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'diag', warmupPlan: 'stan' },
  },
  {
    id: 'stan-joint',
    description: "Stan runner's settings on the joint model (as mmm.stan): non-centered geo intercepts and media effects, the linear block sampled, diagonal metric, 4 chains x 1000 warmup + 1000 draws",
    model: JOINT,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'diag' },
  },
  {
    id: 'dense',
    description: 'joint model, non-centered (as mmm.stan), dense metric (Stan windows adapt the full covariance), 4 chains x 1000 warmup + 1000 draws',
    model: JOINT,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense' },
  },
  {
    id: 'staged',
    description: 'joint model, non-centered (as mmm.stan), dense metric learned by the staged warmup (samplers/staged.ts: Stan diag windows, then a dense metric from all chains pooled), adapt delta 0.95, 4 chains x 1000 warmup (500 diag / 300 dense / 200 dense) + 1000 draws',
    model: JOINT,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95 },
  },
  {
    id: 'staged-0.8',
    description: 'as staged, adapt delta 0.8 (Stan default)',
    model: JOINT,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged' },
  },
  {
    id: 'staged-c12',
    description: 'as staged, but the sampler moves the media effects of tv and search (eta[1], eta[2], well identified) centered, log beta = m + eta u (geo.media by channel, src/ppl/centering.ts; same posterior and parameters); social, display, radio non-centered',
    model: { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 'centered' } } },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95 },
  },
  {
    id: 'staged-p',
    description: 'as staged-c12, but search (eta[2] = 0.38 +- 0.15: between identified and not) partially centered with weight 0.5, the sampler moving 0.5 m + eta^0.5 u (src/ppl/centering.ts); tv centered, social, display, radio non-centered',
    model: TV_CENTERED_SEARCH_HALF,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95 },
  },
  {
    id: 'staged-p98',
    description: 'as staged-p with adapt delta 0.98 (smaller steps against the divergences)',
    model: TV_CENTERED_SEARCH_HALF,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.98 },
  },
  {
    id: 'staged-p98-d80',
    description: 'as staged-p98 with the diagonal first stage at adapt delta 0.8 (its warmup divergences do not reach the draws)',
    model: TV_CENTERED_SEARCH_HALF,
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.98, stagedWarmup: { diagAdaptDelta: 0.8 } },
  },
  {
    id: 'staged-p98-probe',
    description: 'a cost probe, not an ESS figure: staged-p98-d80 settings with 200 warmup (100 diag / 60 dense / 40 final) + 100 draws, for the per-gradient cost and tree depth on a size too slow to run in full (geo-100)',
    model: TV_CENTERED_SEARCH_HALF,
    sampler: { chains: 4, warmup: 200, draws: 100, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.98, stagedWarmup: { diagAdaptDelta: 0.8 } },
  },
  {
    id: 'staged-c12-w500',
    description: 'as staged-c12 with half the warmup: 500 iterations (250 diag / 150 dense / 100 dense) + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 'centered' } } },
    sampler: { chains: 4, warmup: 500, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95 },
  },
  {
    id: 'staged-c12-d7',
    description: 'as staged-c12 with a cheaper stage 1: warmup 700 = 200 diag iterations with tree depth <= 7 / 300 dense / 200 dense (the dense stages as staged-c12), + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 'centered' } } },
    sampler: {
      chains: 4, warmup: 700, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95,
      stagedWarmup: { lengths: { diag: 200, dense: 300, final: 200 }, diagMaxTreeDepth: 7 },
    },
  },
  {
    id: 'staged-c12-d7w',
    description: 'as staged-c12-d7, with the first dense stage split in two windows: warmup 700 = 200 diag (tree depth <= 7) / 100 dense / 200 dense (metric re-estimated from the 100) / 200 dense, + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 'centered' } } },
    sampler: {
      chains: 4, warmup: 700, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95,
      stagedWarmup: { lengths: { diag: 200, dense: [100, 200], final: 200 }, diagMaxTreeDepth: 7 },
    },
  },
  {
    id: 'staged-c12-w750',
    description: 'as staged-c12 with a shorter warmup and the dense stage in two windows: warmup 750 = 250 diag / 150 dense / 200 dense (metric re-estimated from the 150) / 150 dense, + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'noncentered', media: { tv: 'centered', search: 'centered' } } },
    sampler: {
      chains: 4, warmup: 750, draws: 1000, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.95,
      stagedWarmup: { lengths: { diag: 250, dense: [150, 200], final: 150 } },
    },
  },
  {
    id: 'centered-dense',
    description: 'centered geo intercepts (tau[g] ~ N(tau0, sigma_tau); same posterior), non-centered media, dense metric, 4 chains x 1000 warmup + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'centered', media: 'noncentered' } },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'dense' },
  },
  {
    id: 'centered',
    description: 'centered geo intercepts, non-centered media, diagonal metric, 4 chains x 1000 warmup + 1000 draws',
    model: { linearBlock: 'sample', geo: { intercept: 'centered', media: 'noncentered' } },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'diag' },
  },
  {
    id: 'nutpie',
    description: "the linear block integrated out, nutpie's adaptation with its diagonal Fisher metric per chain (samplers/adaptation/nutpieAdapter.ts), 4 chains x 1000 warmup + 1000 draws",
    model: { linearBlock: 'integrate' },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'diag', warmupPlan: 'nutpie' },
  },
  {
    id: 'nutpie-lowrank',
    description: "the linear block integrated out, nutpie's adaptation with its low-rank Fisher metric per chain (samplers/adaptation/lowRankFisher.ts; as nutpie), 4 chains x 1000 warmup + 1000 draws",
    model: { linearBlock: 'integrate' },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'lowRank', warmupPlan: 'nutpie' },
  },
  {
    id: 'nutpie-lowrank-pooled',
    description: "as nutpie-lowrank with the low-rank metric estimated from all chains' windows pooled (one shared metric and step size; the chains run in one thread)",
    model: { linearBlock: 'integrate' },
    sampler: { chains: 4, warmup: 1000, draws: 1000, metric: 'lowRank', warmupPlan: 'nutpie', pooledAdaptation: true },
  },
];

export function benchMode(id: string): BenchMode {
  const mode = BENCH_MODES.find((m) => m.id === id);
  if (!mode) throw new Error(`unknown mode "${id}"; modes: ${BENCH_MODES.map((m) => m.id).join(', ')}`);
  return mode;
}

/**
 * Modes run by default: what `mixwell fit` does with no options (`default`: the linear block
 * integrated out, nutpie's diagonal adaptation) and the same with the centering pilot (`pilot`).
 * The other modes leave adaptiveCentering at its default (off): the model's coordinates.
 */
export const DEFAULT_MODES: readonly string[] = ['default', 'pilot'];

/**
 * The data of a bench size and its run config (data spec, scaling, model options): the Stan peer's
 * simulated data (national, geo-20, geo-100; the reference model), Meridian's simulated geo data
 * (`meridian`: ../shared/datasets/meridian_simulated/geo_all_channels.csv, 40 geos x 156 weeks,
 * as scripts/validate/configs/meridian.json; no Stan peer), or other data from the Stan peer's
 * simulator (`sim-GxTxC-seed`, e.g. `sim-8x104x4-1`: G geos, T weeks, C channels, 2 controls;
 * simulated.ts writes it to the OS temp dir, nothing is copied into the project).
 */
export function benchData(shared: string, size: string): { readonly dataPath: string; readonly config: Record<string, unknown> } {
  const simulatedSize = parseSimulatedSize(size);
  if (simulatedSize) return { dataPath: simulatedData(shared, simulatedSize), config: { data: { geo: 'geo', date: 'week', kpi: 'sales' } } };
  if (size === 'meridian') {
    const config = JSON.parse(readFileSync(new URL('../../validate/configs/meridian.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    return { dataPath: join(shared, 'datasets', 'meridian_simulated', 'geo_all_channels.csv'), config };
  }
  return { dataPath: join(shared, 'bench', 'stan', 'data', `${size}.csv`), config: { data: { geo: 'geo', date: 'week', kpi: 'sales' } } };
}
