/** The probabilistic-programming layer: model definitions compiled to the log-density contract. */
export * from './logDensity.js';
export * from './model.js';
export * from './compile.js';
export * from './names.js';
export * from './centering.js';
export * from './hostKernel.js';
