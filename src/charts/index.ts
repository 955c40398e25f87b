/**
 * Charts: pure functions from tidy rows (computed in src/analysis, or given by the caller) to
 * Vega-Lite specs with their data inlined, rendered to SVG in Node with Vega (no browser, no
 * canvas), and checked against the Vega-Lite schema. No fitting, no analysis, no files: the report
 * and the files of charts are src/report. All user-visible wording lives in text.ts.
 */
export { VEGA_LITE_SCHEMA, channelColors, channelScale, inlineRows, type Chart, type ChartSpec } from './spec.js';
export { TEXT, findingText, formatShort, formatNumber, formatPercent } from './text.js';
export { compileSpec, renderSvg } from './render.js';
export { schemaErrors, vegaLiteSchemaPath } from './validate.js';

export { modelFitSpec } from './modelFit.js';
export { timeEffectSpec } from './timeEffect.js';
export { contributionAreaSpec, waterfallSpec } from './contributions.js';
export { roiSpec } from './roi.js';
export { priorPosteriorSpec } from './priorPosterior.js';
export { responseCurveSpec, adstockSpec, saturationSpec, type MediaLevel } from './curves.js';
export { geoRoiSpec } from './geoRoi.js';
export { effectivenessSpec } from './effectiveness.js';
export { periodRoiSpec } from './periodRoi.js';
export { optimalFrequencySpec } from './optimalFrequency.js';
export { budgetSpec, type BudgetAllocation } from './budget.js';
export { tradeoffSpec, type TradeoffChart, type TradeoffChartRow } from './tradeoff.js';
export { convergenceSpec, samplerSpec, variableOf, DEFAULT_CONVERGENCE_THRESHOLDS, type ConvergenceThresholds } from './diagnostics.js';
export { spendKpiSpec, zeroSpendSpec, spendShareSpec, correlationSpec, vifSpec, seasonalitySpec } from './dataCharts.js';
export { mediationEffectsSpec } from './mediation.js';
export { stabilitySpec, STABILITY_TEXT, type StabilityChartRow, type StabilityChartSummary } from './stability.js';
export { sbcEcdfSpec } from './sbc.js';
