/**
 * Staged dense warmup: a warmup plan (plan.ts) that learns a dense metric from the draws of all
 * chains pooled, in three stages, each continuing from the previous stage's last positions and step
 * size.
 *
 *   1. `diag` (50% of the warmup): Stan's windowed diagonal adaptation per chain (init buffer,
 *      doubling windows, term buffer) from the random inits: the chains find the typical set and the
 *      scales. Its maximum tree depth and target acceptance may be set apart from the run's.
 *   2. `dense` (30%): a dense metric from stage 1's later draws (the last 60%) of every chain, pooled
 *      (adaptation/pooledCovariance.ts: each chain centred on its own mean, so a chain that has not
 *      joined the others does not inflate the estimate); the step size adapts by dual averaging, the
 *      metric stays fixed.
 *   3. `final` (20%) + sampling: the dense metric re-estimated from all of stage 2's draws (which mix
 *      far better than stage 1's), step size adapted again, then the draws.
 *
 * Stage 2 may be split into several windows (`lengths.dense` as a list), each with the metric
 * re-estimated from the previous window's draws: when stage 1 was short, its estimate is rough and
 * the first dense window's trees are long; a short first window replaces it sooner.
 *
 * Why: on badly conditioned posteriors (the geo MMM's correlation condition number is ~1e5) a
 * diagonal metric needs hundreds of leapfrog steps per draw; Stan's dense adaptation estimates a
 * dim x dim covariance per chain from windows of 25-100 draws, fewer draws than dimensions, and
 * fails. Pooling chains gives stage 2 chains x 150 draws from the start. The same idea as
 * cross-chain warmup in TFP / Hoffman et al. (2021, "An adaptive MCMC scheme for setting trajectory
 * lengths in HMC", section 3) and the pooled adaptation of Stan's campfire prototype.
 *
 * Each stage's RNG streams are distinct (the seed gets a ':stage-k' suffix after stage 1). Stage 1
 * caps: its diagonal-metric trees are the longest of the run (on the geo MMM about 600 leapfrog steps
 * per iteration against about 200 with the dense metric), so a lower `diagMaxTreeDepth` makes it
 * cheaper at the price of more correlated draws for the first dense estimate, which stage 3
 * replaces; likewise `diagTargetAcceptance`: stage 1's draws only find the typical set and feed the
 * first dense estimate, so a run that needs a high target acceptance against divergences in its
 * draws (e.g. 0.98) need not pay for it in the diagonal stage.
 */
import type { AdaptationSettings } from './adaptation/windowedAdaptation.js';
import type { PlanStage, WarmupPlan } from './plan.js';
import type { StagedWarmupLengths } from './types.js';

/** Fraction of stage 1's draws, from its end, that the first dense estimate uses. */
export const STAGE1_TAIL_FRACTION = 0.6;
/** The smallest total warmup the staged plan accepts. */
export const MIN_STAGED_WARMUP = 100;

/** Split a total warmup into the three stages (50% / 30% / the rest), or check explicit lengths. */
export function stagedWarmupLengths(warmup: number, explicit?: StagedWarmupLengths): StagedWarmupLengths {
  if (!Number.isInteger(warmup) || warmup < MIN_STAGED_WARMUP) {
    throw new Error(`the staged dense warmup needs warmup >= ${MIN_STAGED_WARMUP} iterations, got ${warmup}`);
  }
  if (explicit !== undefined) {
    const { diag, dense, final } = explicit;
    const windows = denseWindows(dense);
    if (windows.length === 0) throw new Error('staged warmup: give at least one dense window');
    const named: [string, number][] = [['diag', diag], ...windows.map((w, i): [string, number] => [windows.length > 1 ? `dense[${i}]` : 'dense', w]), ['final', final]];
    for (const [name, value] of named) {
      if (!Number.isInteger(value) || value < 20) throw new Error(`staged warmup: stage "${name}" needs an integer >= 20 iterations, got ${value}`);
    }
    const total = named.reduce((n, [, value]) => n + value, 0);
    if (total !== warmup) {
      throw new Error(`staged warmup: the stage lengths ${named.map(([, value]) => value).join(' + ')} = ${total} must add up to warmup = ${warmup}`);
    }
    return { diag, dense: typeof dense === 'number' ? dense : [...dense], final };
  }
  const diag = Math.floor(0.5 * warmup);
  const dense = Math.floor(0.3 * warmup);
  return { diag, dense, final: warmup - diag - dense };
}

export interface StagedPlanSettings {
  readonly lengths: StagedWarmupLengths;
  /** Stage 1's adaptation (Stan's windows and dual averaging, with stage 1's target acceptance). */
  readonly diag: AdaptationSettings;
  /** The dense stages' dual averaging (the metric is fixed within a stage). */
  readonly dense: AdaptationSettings;
  /** Stage 1's maximum tree depth, when it differs from the kernel's. */
  readonly diagMaxTreeDepth?: number;
}

/** The staged plan as data. */
export function stagedPlan(settings: StagedPlanSettings): WarmupPlan {
  const { lengths } = settings;
  const stepSizeOnly = { kind: 'stan', pooled: false, settings: { ...settings.dense, adaptMetric: false } } as const;
  const windows = [...denseWindows(lengths.dense), lengths.final];
  const later = windows.map(
    (iterations, w): PlanStage => ({
      name: w === windows.length - 1 ? 'final' : 'dense',
      iterations,
      seedSuffix: `:stage-${w + 2}`,
      metric: 'dense',
      adaptation: stepSizeOnly,
      start: { from: 'previous', tailFraction: w === 0 ? STAGE1_TAIL_FRACTION : 1 },
    }),
  );
  return {
    name: 'staged',
    stages: [
      {
        name: 'diag',
        iterations: lengths.diag,
        seedSuffix: '',
        ...(settings.diagMaxTreeDepth !== undefined ? { maxTreeDepth: settings.diagMaxTreeDepth } : {}),
        metric: 'diag',
        adaptation: { kind: 'stan', pooled: false, settings: settings.diag },
        start: { from: 'run' },
      },
      ...later,
    ],
  };
}

/** The dense stage's windows: one length, or several in order. */
function denseWindows(dense: StagedWarmupLengths['dense']): readonly number[] {
  return typeof dense === 'number' ? [dense] : dense;
}
