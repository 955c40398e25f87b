/** Fitting models: sampler + constrained posterior + diagnostics. */
export * from './sampleModel.js';
export { sampleParallel, mergeStageResults, workerCount, chainGroups, type ParallelOptions } from './parallel.js';
