/** Fitting models: sampler + constrained posterior + diagnostics. */
export * from './posterior.js';
export * from './sampleModel.js';
export * from './modelSource.js';
export { sampleParallel, mergeStageResults, workerCount, chainGroups, type ParallelOptions } from './parallel.js';
