/**
 * The sampler layer: NUTS and static HMC on a LogDensity (src/ppl/logDensity.ts), float64 on the
 * host, all chains batched into one evaluate call per leapfrog step, with Stan's warmup adaptation.
 * Start with `sample` (sample.ts).
 */
export { sample } from './sample.js';
export type { Algorithm, SampleOptions, SampleProgress, SampleResult, WarmupPlan, WarmupResult } from './sample.js';
export { stagedSampling, runStagedSync, runStagedAsync, stagedWarmupLengths } from './staged.js';
export type { StagedWarmupLengths, StagedWarmupSettings, WarmupStageInfo } from './staged.js';
export { shrinkageCovariance } from './adaptation/shrinkageCovariance.js';
export { progressBar, formatProgress } from './progress.js';
export type { ProgressBarOptions } from './progress.js';
export type { DrawStats } from './recorder.js';
export type { ChainState, PhasePoint, Transition, TransitionInfo, TransitionKernel } from './state.js';
export { hamiltonian } from './state.js';
export type { Evaluating, PointEvaluation } from './evaluation.js';
export { runLockstep, runSingle, createEvaluationCounter } from './lockstep.js';
export type { EvaluationCounter } from './lockstep.js';
export { createMetric, diagonalMetric, denseMetric, cholesky } from './metric.js';
export type { EuclideanMetric, MetricKind } from './metric.js';
export { leapfrog } from './integrator.js';
export { nutsTransition, nutsKernel, defaultNutsSettings } from './nuts.js';
export type { NutsSettings } from './nuts.js';
export { hmcTransition, hmcKernel, hmcSteps } from './hmc.js';
export type { HmcSettings } from './hmc.js';
export { initialStepSize, jitteredStepSize } from './stepSize.js';
export { initialState, defaultInitSettings } from './initialize.js';
export type { InitSettings } from './initialize.js';
export { runChain, keptDraws } from './chain.js';
export type { ChainOutput, ChainSettings, Phase } from './chain.js';
export { adaptationSchedule, stanWindowSettings } from './adaptation/windows.js';
export type { AdaptationSchedule, SlowWindow, WindowSettings } from './adaptation/windows.js';
export {
  startDualAveraging,
  updateDualAveraging,
  finalDualAveragingStepSize,
  stanDualAveragingSettings,
} from './adaptation/dualAveraging.js';
export type { DualAveragingSettings, DualAveragingState } from './adaptation/dualAveraging.js';
export { WelfordVariance, WelfordCovariance } from './adaptation/welford.js';
export { MetricAdaptation, regularizedVariance, regularizedCovariance } from './adaptation/metricAdaptation.js';
export { WarmupAdapter, stanAdaptationSettings } from './adaptation/warmupAdapter.js';
export type { AdaptationSettings, AdaptationStep } from './adaptation/warmupAdapter.js';
