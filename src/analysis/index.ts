/**
 * The analysis layer of the geo MMM ("Outputs"): per-draw contributions, baseline, ROI, mROI and
 * cost per KPI; response, adstock and saturation curves; fit metrics and posterior predictive
 * checks; prior ROI by prior predictive simulation; a health check; posterior probability statements
 * (probabilities.ts) and the pointwise log-likelihood for PSIS-LOO and holdout scores. Every function returns tidy
 * rows (plain objects), never charts. Works on any `Posterior` whose variables are the model's
 * parameters, including prior draws (models/mmm/priorPredictive.ts).
 */
export { summarizeValues, selectDraws, drawAt, totalDrawCount, type DrawSummary } from './drawSummary.js';
export { ALL_MEDIA, type Metric, type Unit, type QuantityRow } from './rows.js';
export { timeFeatures, baselineScaled, geoIntercept, type TimeFeatures } from './baseline.js';
export { channelTransform, adstockedSeries, saturatedSeries, saturateLevel, seriesScratch, type ChannelTransform, type SeriesScratch } from './channelResponse.js';
export { analyzeMedia, spendTotals, type MediaAnalysis, type MediaAnalysisOptions, type PerDrawMetrics } from './mediaAnalysis.js';
export {
  spendResponseCurves,
  adstockCurves,
  saturationCurves,
  DEFAULT_MULTIPLIERS,
  type SpendResponseRow,
  type SpendResponseOptions,
  type AdstockCurveRow,
  type SaturationCurveRow,
  type SaturationCurveOptions,
} from './responseCurves.js';
export {
  fitMetrics,
  posteriorFitMetrics,
  residualAutocorrelation,
  holdoutMask,
  actualKpi,
  type FitMetricRow,
  type AutocorrelationRow,
} from './fitMetrics.js';
export {
  posteriorPredictiveCheck,
  lag1Autocorrelation,
  type Discrepancy,
  type PValueRow,
  type PosteriorPredictiveCheck,
  type PosteriorPredictiveOptions,
} from './posteriorPredictive.js';
export { priorRoiRanges, type PriorRoiRow, type PriorRoiOptions } from './priorRoi.js';
export {
  healthCheck,
  DEFAULT_HEALTH_THRESHOLDS,
  type HealthFlag,
  type HealthLevel,
  type HealthCode,
  type HealthThresholds,
  type HealthCheckInput,
} from './healthCheck.js';
export {
  probabilityStatements,
  type ProbabilityRow,
  type ProbabilityKind,
  type ProbabilityOptions,
  type ChainLayout,
} from './probabilities.js';
export { liftTestCheck, type LiftCheckRow, type LiftCheckOptions } from './liftCheck.js';
export { kpiLogLikelihood, holdoutLpd, type KpiLogLikelihood, type CellLogLik, type HoldoutLpd, type LogLikelihoodOptions } from './logLikelihood.js';
