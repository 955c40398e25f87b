/** Fitting models: sampler + constrained posterior + diagnostics. */
export * from './posterior.js';
export * from './sampleModel.js';
