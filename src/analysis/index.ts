/**
 * The analysis layer of the geo MMM ("Outputs"): per-draw contributions, baseline, ROI, mROI and
 * cost per KPI; response, adstock and saturation curves; fit metrics and posterior predictive
 * checks; prior ROI by prior predictive simulation; a health check; posterior probability statements
 * (probabilities.ts) and the pointwise log-likelihood for PSIS-LOO and holdout scores; and the rows
 * the charts draw (intervals, kernel densities, model fit, contributions, ROI, per-geo ROI, prior
 * vs posterior, response-curve marks, sampler statistics per chain, the pre-fit data checks). Every
 * function returns tidy rows (plain objects), never charts or files. Works on any `Posterior` whose
 * variables are the model's parameters, including prior draws (models/mmm priorPredictive).
 */
export { summarizeValues, selectDraws, drawAt, totalDrawCount, type DrawSummary } from './drawSummary.js';
export { ALL_MEDIA, type Metric, type Unit, type QuantityRow } from './rows.js';
export { timeFeatures, timeExtrapolation, baselineScaled, treatmentContributionScaled, type TimeFeatures, type TimeExtrapolation } from './baseline.js';
export { timeEffectRows, type TimeEffectComponent, type TimeEffectOptions, type TimeEffectRow } from './timeEffect.js';
export { channelTransform, adstockedSeries, saturatedSeries, saturatesFirst, saturateLevel, seriesScratch, type ChannelTransform, type SeriesScratch } from './channelResponse.js';
export { analyzeMedia, spendTotals, type MediaAnalysis, type MediaAnalysisOptions, type PerDrawMetrics } from './mediaAnalysis.js';
export { PERIOD_GROUPINGS, periodGroups, periodLabel, type PeriodGrouping, type PeriodGroups } from './periods.js';
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
export {
  mediaIdentification,
  identificationMessages,
  identificationWarnings,
  COLLINEAR_R,
  MIN_ACTIVE_PERIODS,
  MIN_ACTIVE_SHARE,
  type MediaIdentification,
  type FewActivePeriods,
  type CollinearMedia,
} from './identification.js';
export { liftTestCheck, type LiftCheckRow, type LiftCheckOptions } from './liftCheck.js';
export { kpiLogLikelihood, holdoutLpd, type KpiLogLikelihood, type CellLogLik, type HoldoutLpd, type LogLikelihoodOptions } from './logLikelihood.js';

// Rows of the charts and the report, computed from a fit, its posterior or its design.
export { intervalSummary, column, type IntervalSummary } from './intervals.js';
export { kernelDensity, silvermanBandwidth, type DensityPoint, type DensityOptions } from './density.js';
export { modelFitRows, type ModelFitRow, type ModelFitOptions, type KpiReplicates } from './modelFitRows.js';
export { contributionRows, contributionTotals, BASELINE, type ContributionRow, type ComponentTotal } from './contributionRows.js';
export { roiIntervalRows, roiDensityRows, type RoiIntervalRow, type RoiDensityRow, type RoiMetric } from './roiRows.js';
export { geoRoiRows, type GeoRoiRow, type GeoRoiOptions } from './geoRoi.js';
export { priorPosteriorRows, priorDraws, priorPosteriorParameters, supportBounds, type PriorPosteriorRow, type PriorPosteriorOptions } from './priorPosterior.js';
export { responseMarks, interpolateResponse, type ResponseMark, type AllocationRow } from './responseMarks.js';
export {
  dataChecks,
  inspectDataFromMmmData,
  inspectDataFromDesign,
  spendKpiRows,
  zeroSpendRows,
  spendShareRows,
  correlations,
  correlationRows,
  collinearPairs,
  varianceInflation,
  seasonalityRows,
  isoWeek,
  ALL_GEOS,
  KPI_SERIES,
  DEFAULT_INSPECT_THRESHOLDS,
  type InspectData,
  type DataChecks,
  type Finding,
  type InspectThresholds,
  type SeriesRow,
  type ZeroSpendRow,
  type SpendShareRow,
  type Correlations,
  type CorrelationRow,
  type CollinearPair,
  type VifRow,
  type SeasonalityRow,
} from './dataChecks.js';
export { chainStatsRows, type ChainStatsRow, type ChainStatsColumns } from './chainStats.js';
export { sbcRows, type SbcRanks, type SbcOptions, type SbcQuantityRow, type SbcEcdfRow, type SbcRows } from './sbcRows.js';
export { optimalFrequency, frequencyGrid, averageFrequency, type OptimalFrequency, type OptimalFrequencyOptions, type OptimalFrequencyRow, type FrequencyRoiRow } from './optimalFrequency.js';
