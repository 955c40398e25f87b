/**
 * Mixwell's public API. Fit an MMM (`fitMmm`), build its report (`buildReport`), write or read a run
 * directory; or, lower down, define any model with the ppl and sample it (`defineModel`,
 * `sampleModel`).
 */
export { fitMmm, type MmmFit, type MmmFitOptions } from './mmm/fit.js';
export { buildReport, type MmmReport, type ReportOptions } from './mmm/report.js';
export { writeRun, readRun, readLooPointwise, type StoredRun, type WriteRunOptions, type LooPointwiseRow } from './run/index.js';
export { compareRuns, formatComparison, formatRunSummary, type Comparison, type ComparisonRow } from './report/index.js';
export { fitMediation, type MediationFit, type MediationFitOptions } from './mediation/fit.js';
export { writeMediationRun, type WrittenMediationRun } from './mediation/runDirectory.js';
export { parseMediationConfig, loadMediationConfig, type MediationRunConfig } from './mediation/config.js';
export { formatMediationEffects } from './mediation/format.js';
export { mediationEffects, type MediationEffects, type MediationEffectRow, type MediationPathRow } from './analysis/mediationEffects.js';
export { parseRunConfig, loadRunConfig, DEFAULT_SAMPLER, type RunConfig, type SamplerConfig } from './mmm/config.js';
export {
  DEFAULT_MODEL_CONFIG,
  DEFAULT_PRIORS,
  createGeoMmm,
  designFromData,
  withHoldout,
  type KnotChoice,
  type LiftExperiment,
  type MmmModelConfig,
  type TimeConfig,
  type PriorSpec,
  type MmmDesign,
} from '../models/mmm/index.js';
export { loadMmmData, parseMmmData, scaleData, DataValidationError, type MmmData, type DataSpec, type PartialDataSpec } from './data/index.js';
export { defineModel, compile, Posterior, type ModelDefinition, type CompiledModel, type LogDensity } from './ppl/index.js';
export { sampleModel, type FitResult, type FitOptions } from './inference/index.js';
export { sample, type SampleOptions, type SampleResult } from '../samplers/index.js';
export * as distributions from './distributions/index.js';
export * as constraints from './bijectors/index.js';
export * as diagnostics from './diagnostics/index.js';
export * as analysis from './analysis/index.js';
export * as optimize from './optimize/index.js';
export * as charts from './api/charts.js';
export { initBackend, describeBackend, type BackendName } from './tensor/index.js';
export * as batch from './batch/index.js';
