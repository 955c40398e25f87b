/**
 * The geo MMM's public entry point: everything code outside models/mmm uses (src/analysis,
 * src/optimize, src/mmm, the run directory and report, models/mediation, scripts) comes from here,
 * so the model's internals can change behind these names. Every name is listed (no `export *`).
 */
export {
  DEFAULT_MODEL_CONFIG,
  DEFAULT_PRIORS,
  PRIOR_PARAMETERS,
  centeringWeight,
  priorSpec,
  type LiftExperiment,
  type MediaCenteringByChannel,
  type MmmModelConfig,
  type Parameterization,
  type PriorName,
  type PriorSpec,
  type PriorValue,
  type RoiPriorWindow,
} from './config.js';
export { designDims, designFromData, withHoldout, type MmmDesign } from './design.js';
export { createGeoMmm, fourierNames, type GeoMmmModel, type GeoMmmOptions } from './geoModel.js';
export { geoMmmSource, type GeoMmmSourceArgs } from './workerModel.js';
export { meanKpiHost, mediaCoefficientsHost, saturatedMediaHost, type DrawValues } from './hostModel.js';
export { adstockWeights, applyAdstock, saturate, type AdstockParameters, type AdstockType, type SaturationParameters, type SaturationType } from './transforms.js';
export { buildPrior, resolvePriorValue, type BuiltPrior } from './priors.js';
export { priorLogPdf, referenceLogDensity } from './referenceDensity.js';
export { checkExperiments, checkModelConfigAgainstData, parseModelConfig, parsePrior } from './parseConfig.js';
export { priorParameters, replicateKpi, samplePriorPredictive, type PriorParameter, type PriorPredictiveOptions } from './priorPredictive.js';
export {
  impliedLiftHost,
  liftCells,
  liftLogLikelihoodHost,
  resolveLiftTests,
  type LiftCells,
  type LiftObservation,
  type LiftTests,
  type ResolvedExperiment,
} from './liftTests.js';
