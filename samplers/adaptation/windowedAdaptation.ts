/**
 * Stan's windowed adaptation state for one adaptive sampler (stan::mcmc::adapt_diag_e_nuts /
 * adapt_dense_e_nuts::transition and run_adaptive_sampler): after every warmup transition the step
 * size takes one dual-averaging step on the acceptance statistic and the metric estimator sees the
 * new position; when a slow window closes, the caller installs the new metric, re-runs the step-size
 * heuristic, and calls `restart` (mu = log(10 * eps), dual averaging restarted). At the end of warmup
 * the step size is the dual-averaged one.
 *
 * As in Stan's services, mu starts at log(10 * the user's initial step size), before the initial
 * heuristic runs. Pooled (cross-chain) adaptation is the same state fed with the mean acceptance
 * statistic and every chain's position. The warmup adapter built on it is stanAdapter.ts; the
 * recursive reference chain (reference/recursiveNuts.ts) drives it directly.
 */
import type { MetricKind } from '../metric.js';
import {
  finalDualAveragingStepSize,
  startDualAveraging,
  stanDualAveragingSettings,
  updateDualAveraging,
  type DualAveragingSettings,
  type DualAveragingState,
} from './dualAveraging.js';
import { MetricAdaptation } from './metricAdaptation.js';
import { adaptationSchedule, stanWindowSettings, type AdaptationSchedule, type WindowSettings } from './windows.js';

export interface AdaptationSettings extends DualAveragingSettings, WindowSettings {}

export const stanAdaptationSettings: AdaptationSettings = { ...stanDualAveragingSettings, ...stanWindowSettings };

export interface AdaptationStep {
  /** The nominal step size for the next iteration. */
  readonly stepSize: number;
  /** A new inverse metric when a slow window just closed, else null. */
  readonly inverseMass: Float64Array | null;
}

export class WindowedAdaptation {
  readonly schedule: AdaptationSchedule;
  private dualAveraging: DualAveragingState;
  private readonly metricAdaptation: MetricAdaptation;

  constructor(
    kind: MetricKind,
    dim: number,
    numWarmup: number,
    initialStepSize: number,
    private readonly settings: AdaptationSettings = stanAdaptationSettings,
  ) {
    this.schedule = adaptationSchedule(numWarmup, settings);
    this.metricAdaptation = new MetricAdaptation(kind, dim, this.schedule);
    this.dualAveraging = startDualAveraging(initialStepSize);
  }

  /** Learn from warmup iteration `iteration` (0-based). */
  learn(
    iteration: number,
    acceptStat: number,
    positions: readonly Float64Array[],
    currentInverseMass: Float64Array,
  ): AdaptationStep {
    const step = updateDualAveraging(this.dualAveraging, acceptStat, this.settings);
    this.dualAveraging = step.state;
    const inverseMass = this.metricAdaptation.learn(iteration, positions, currentInverseMass);
    return { stepSize: step.stepSize, inverseMass };
  }

  /** After a metric update and the step-size heuristic: shrink toward log(10 * stepSize), restart. */
  restart(stepSize: number): void {
    this.dualAveraging = startDualAveraging(stepSize);
  }

  /**
   * The step size for sampling: exp(xBar). If no dual-averaging step happened since the last restart
   * (a metric update on the last warmup iteration, e.g. termBuffer 0), Stan would return exp(0) = 1;
   * we keep `currentStepSize` (the heuristic's) instead.
   */
  finalStepSize(currentStepSize: number): number {
    if (this.dualAveraging.counter === 0) return currentStepSize;
    return finalDualAveragingStepSize(this.dualAveraging);
  }
}
