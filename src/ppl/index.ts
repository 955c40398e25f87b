/**
 * The probabilistic-programming layer: model definitions compiled to the log-density contract, and
 * the two contracts a model shares with inference and analysis: the posterior by variable
 * (posterior.ts) and the source a worker thread rebuilds a model from (modelSource.ts).
 */
export * from './logDensity.js';
export * from './model.js';
export * from './compile.js';
export * from './names.js';
export * from './centering.js';
export * from './hostKernel.js';
export * from './posterior.js';
export * from './modelSource.js';
