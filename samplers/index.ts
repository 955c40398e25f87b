/**
 * The sampler layer: NUTS and static HMC on a LogDensity (src/ppl/logDensity.ts), float64 on the
 * host, all chains batched into one evaluate call per leapfrog step, warmed up by a strategy behind
 * one adapter interface (Stan's windows per chain or pooled, the staged dense plan, nutpie's
 * diagonal or low-rank Fisher adaptation, or none). Start with `sample` (sample.ts) and its
 * options (types.ts).
 */
export { sample } from './sample.js';
export type {
  AdaptationOptions,
  Algorithm,
  CheckpointOptions,
  InitOptions,
  KernelOptions,
  NoAdaptationOptions,
  NutpieAdaptationOptions,
  NutpieDiagAdaptationOptions,
  NutpieLowRankAdaptationOptions,
  NutsKernelOptions,
  NutsSampleOptions,
  Phase,
  SampleOptions,
  SampleProgress,
  SampleResult,
  StagedAdaptationOptions,
  StagedWarmupLengths,
  StageResult,
  StageWarmup,
  StanAdaptationOptions,
  StaticHmcAdaptationOptions,
  StaticHmcOptions,
  StaticHmcSampleOptions,
  StepSizeAdaptationOptions,
  WarmupResult,
  WarmupStageInfo,
} from './types.js';
export { resolveSampleOptions, maxTreeDepthOf } from './resolve.js';
export { runPlan, runPlanSync, runPlanAsync } from './plan.js';
export type { PlanStage, ResolvedRun, StageRun, StageStart, WarmupPlan } from './plan.js';
export { runStage, requestChainIds } from './stage.js';
export { SNAPSHOT_VERSION, SamplingInterrupted, mergeStageSnapshots, stageSnapshotFor, replayAdapter } from './checkpoint.js';
export type { AdapterCall, ChainBoundary, ChainSnapshot, GroupLog, RunSnapshot, StageCheckpointing, StageHooks, StageSnapshot } from './checkpoint.js';
export type { InitSpec, MetricSpec, StageRequest } from './stage.js';
export { stagedPlan, stagedWarmupLengths, STAGE1_TAIL_FRACTION, MIN_STAGED_WARMUP } from './staged.js';
export type { StagedPlanSettings } from './staged.js';
export { runChain, keptDraws } from './chain.js';
export type { ChainOutput, ChainProgram, ChainSettings, IterationListener } from './chain.js';
export { transition, withStepSize } from './kernel.js';
export type { KernelParameters, KernelSpec, TrajectoryLength, TransitionKernel } from './kernel.js';
export type { AdaptationDraw, AdapterInstruction, StepSizeSearch, WarmupAdapter } from './adaptation/adapter.js';
export { fixedAdapter, forEachChain, geometricMean } from './adaptation/adapter.js';
export { AdaptationCoordinator } from './adaptation/groups.js';
export type { AdapterGroup, AdaptationReplies, AdaptationReply, AdaptationRequest } from './adaptation/groups.js';
export { adapterGroups, isCrossChain } from './adaptation/strategies.js';
export type { AdapterContext, AdapterSpec } from './adaptation/strategies.js';
export { stanAdapter } from './adaptation/stanAdapter.js';
export type { StanAdapterOptions } from './adaptation/stanAdapter.js';
export { nutpieAdapter, nutpieDualAveraging, isGoodDraw } from './adaptation/nutpieAdapter.js';
export type { NutpieAdapter, NutpieAdapterOptions, NutpieAdaptationInfo, NutpieSettings } from './adaptation/nutpieAdapter.js';
export { nutpiePhases, nutpieScheduleSettings, nutpieScheduleStep, startNutpieSchedule, metricChanged } from './adaptation/nutpieSchedule.js';
export type { NutpiePhases, NutpieScheduleSettings, NutpieScheduleState, NutpieScheduleStep } from './adaptation/nutpieSchedule.js';
export { FisherWindow, initialInverseMassDiag, inverseMassFromGradient } from './adaptation/fisherDiagonal.js';
export { lowRankFisher, LowRankWindows, nutpieLowRankSettings, spdGeometricMean } from './adaptation/lowRankFisher.js';
export type { ChainWindow, LowRankFisherSettings } from './adaptation/lowRankFisher.js';
export { doublingStepSizeSearch } from './adaptation/stepSizeSearch.js';
export type { StepSizeSearchSettings } from './adaptation/stepSizeSearch.js';
export { lowRankMetric } from './lowRankMetric.js';
export type { LowRankFactors, LowRankMetric } from './lowRankMetric.js';
export { symmetricEigen, symmetricFunction, householderQR, multiply, gram } from '../src/linalg/index.js';
export type { SymmetricEigen, ThinQR } from '../src/linalg/index.js';
export { shrinkageCovariance } from './adaptation/shrinkageCovariance.js';
export { pooledChainCovariance } from './adaptation/pooledCovariance.js';
export { progressBar, formatProgress } from './progress.js';
export type { ProgressBarOptions } from './progress.js';
export type { DrawStats } from './recorder.js';
export type { ChainState, PhasePoint, Transition, TransitionInfo } from './state.js';
export { hamiltonian } from './state.js';
export type { Evaluating, PointEvaluation } from './evaluation.js';
export { runLockstep, runCoordinated, runSingle, createEvaluationCounter } from './lockstep.js';
export type { Coordinator, CoordinatedProgram, EvaluationCounter } from './lockstep.js';
export { createMetric, diagonalMetric, denseMetric } from './metric.js';
export { cholesky } from '../src/linalg/index.js';
export type { EuclideanMetric, MetricKind } from './metric.js';
export { leapfrog } from './integrator.js';
export { nutsTransition, defaultNutsSettings } from './nuts.js';
export type { NutsSettings } from './nuts.js';
export { hmcTransition, hmcSteps } from './hmc.js';
export type { HmcSettings } from './hmc.js';
export { initialStepSize, jitteredStepSize } from './stepSize.js';
export { initialState, defaultInitSettings } from './initialize.js';
export type { InitSettings } from './initialize.js';
export { adaptationSchedule, stanWindowSettings } from './adaptation/windows.js';
export type { AdaptationSchedule, SlowWindow, WindowSettings } from './adaptation/windows.js';
export {
  startDualAveraging,
  updateDualAveraging,
  finalDualAveragingStepSize,
  stanDualAveragingSettings,
} from './adaptation/dualAveraging.js';
export type { DualAveragingConstants, DualAveragingSettings, DualAveragingState } from './adaptation/dualAveraging.js';
export { WelfordVariance, WelfordCovariance } from './adaptation/welford.js';
export { MetricAdaptation, regularizedVariance, regularizedCovariance } from './adaptation/metricAdaptation.js';
export { WindowedAdaptation, stanAdaptationSettings } from './adaptation/windowedAdaptation.js';
export type { AdaptationSettings, AdaptationStep } from './adaptation/windowedAdaptation.js';
