/**
 * The geo MMM's public entry point: everything code outside models/mmm uses (src/analysis,
 * src/optimize, src/mmm, the run directory and report, models/mediation, scripts) comes from here,
 * so the model's internals can change behind these names. Every name is listed (no `export *`).
 */
export {
  DEFAULT_MODEL_CONFIG,
  PRIOR_PARAMETERS,
  centeringWeight,
  TRANSFORM_ORDERS,
  type AdstockSpec,
  DEFAULT_KPI_SHARE,
  byChannel,
  mediaPriorWindows,
  type AdstockType,
  type KpiShare,
  type MediaPrior,
  type MediaPriorType,
  type LiftExperiment,
  type LinearEffectForm,
  type MediaCenteringByChannel,
  type MmmModelConfig,
  type Parameterization,
  type PriorName,
  type PriorSpec,
  type PriorValue,
  type RoiPriorWindow,
  type SaturationSpec,
  type SaturationType,
  type KnotSpec,
  type TimeConfig,
  type TimeVaryingConfig,
  type TransformOrder,
} from './config.js';
export { DEFAULT_PRIORS, defaultPrior, mmmParameters, priorNames, priorSpec, type MmmParameter, type ParameterPrior, type Support } from './parameters.js';
export { designDims, designFromData, isPaidChannel, withHoldout, type MmmDesign } from './design.js';
export { createGeoMmm, mediaCentering, type GeoMmmModel } from './model.js';
export { geoMmmSource, type GeoMmmSourceArgs } from './workerModel.js';
export { meanKpiHost, mediaCoefficientsHost, mediaEffectivenessHost, rfFrequencyOf, saturatedMediaHost, type DrawValues } from './hostModel.js';
export { referenceLogDensity, referencePriorLogDensity } from './referenceDensity.js';
export { checkExperiments, checkKnots, checkModelConfigAgainstData, checkPriors, parseModelConfig, parsePrior } from './parseConfig.js';
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
export { modelOptionsMarkdown, withModelOptions } from './docs.js';
// Components: the media transform kinds and their registries, for the analysis layer, the optimizer
// and the mediation model, which are built on the same components.
export {
  ADSTOCK_KINDS,
  ADSTOCK_TYPES,
  adstockKind,
  applyAdstock,
  geometric,
  type AdstockKind,
} from './components/adstock/index.js';
export {
  SATURATION_KINDS,
  SATURATION_TYPES,
  hill,
  saturationKind,
  type SaturationCurve,
  type SaturationKind,
  type SaturationOptions,
} from './components/saturation/index.js';
export { adstockSeries, channelTransform, saturateLevel, saturationSlope, transformSeries, type ChannelTransform } from './components/mediaTransform.js';
export { channelTransformKinds, checkRfChannels, withRfChannels, type ChannelTransformKinds } from './components/transformKinds.js';
export { describeMediaPrior, kpiSharePrior, mediaPriorLabel, MROI_STEP, totalOutcome } from './components/coefficients.js';
export { cellCoefficientHost, fourierNames, geoVarying, linearTerms, linearTermsHost, timeTermRow, type GeoVaryingParameter, type LinearTerm } from './components/linearTerms.js';
export { evenlySpacedKnots, knotWeights, knotWeightsRow } from './components/knots.js';
export { describeKnots, timeKnots, type KnotCandidate, type KnotChoice, type KnotSelection } from './components/knotSelection.js';
export { baselineGeoIndex, interceptHost } from './components/intercepts.js';
export { geoSigma } from './components/likelihood.js';
export { constraintOf, describeSupport, inSupport } from './components/types.js';
export { logEffectivenessHost, timeVaryingBasisSize, timeVaryingChannels, timeVaryingLayout, type TimeVaryingLayout } from './components/timeVarying.js';
