/** Fitting models: sampler + constrained posterior + diagnostics. */
export * from './sampleModel.js';
export { sampleParallel, runStageInThreads, mergeStageResults, workerCount, chainGroups, type ParallelOptions, type StageRunner } from './parallel.js';
export { lastDraws, pilotCenteringWeights, pilotFinalPositions, pilotInverseMetric, pilotLength, MIN_CENTERING_WEIGHT, MIN_WARMUP_FOR_PILOT, type PilotLength } from './centeringPilot.js';
