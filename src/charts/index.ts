/**
 * Charts of a fit and of its data: pure functions from tidy rows (src/analysis, data/) to Vega-Lite
 * specs with their data inlined, rendered to SVG in Node with Vega (no browser, no canvas), and a
 * self-contained HTML report (`mixwell report DIR`) and data inspection (`mixwell inspect`). All
 * user-visible wording lives in text.ts.
 */
export { VEGA_LITE_SCHEMA, channelColors, channelScale, inlineRows, type Chart, type ChartSpec } from './spec.js';
export { TEXT, findingText, formatShort, formatNumber, formatPercent } from './text.js';
export { compileSpec, renderSvg } from './render.js';
export { schemaErrors, vegaLiteSchemaPath } from './validate.js';

export { modelFitSpec } from './modelFit.js';
export { contributionAreaSpec, waterfallSpec } from './contributions.js';
export { roiSpec } from './roi.js';
export { priorPosteriorSpec } from './priorPosterior.js';
export { responseCurveSpec, adstockSpec, saturationSpec, type MediaLevel } from './curves.js';
export { geoRoiSpec } from './geoRoi.js';
export { budgetSpec, type BudgetAllocation } from './budget.js';
export { convergenceSpec, samplerSpec, variableOf, DEFAULT_CONVERGENCE_THRESHOLDS, type ChainStatsRow, type ConvergenceThresholds } from './diagnostics.js';
export { spendKpiSpec, zeroSpendSpec, spendShareSpec, correlationSpec, vifSpec, seasonalitySpec } from './dataCharts.js';

export { intervalSummary, column, type IntervalSummary } from './data/intervals.js';
export { kernelDensity, silvermanBandwidth, type DensityPoint, type DensityOptions } from './data/density.js';
export { modelFitRows, type ModelFitRow, type ModelFitOptions, type KpiReplicates } from './data/modelFit.js';
export { contributionRows, contributionTotals, BASELINE, type ContributionRow, type ComponentTotal } from './data/contributions.js';
export { roiIntervalRows, roiDensityRows, type RoiIntervalRow, type RoiDensityRow, type RoiMetric } from './data/roi.js';
export { geoRoiRows, type GeoRoiRow, type GeoRoiOptions } from './data/geoRoi.js';
export { priorPosteriorRows, priorDraws, parameterBounds, KEY_PARAMETERS, type PriorPosteriorRow, type PriorPosteriorOptions } from './data/priorPosterior.js';
export { responseMarks, interpolateResponse, type ResponseMark, type AllocationRow } from './data/responseMarks.js';
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
} from './data/dataChecks.js';

export { reportData, roiTableRows, type ReportData, type ReportDataOptions, type RoiTableRow } from './reportData.js';
export { readRunFiles, chainStatsFromDraws, readFitMetricsCsv, type RunFiles } from './runFiles.js';
export { reportCharts, dataCheckCharts, type ReportChart, type SectionKey } from './reportCharts.js';
export { htmlPage, readEmbedScripts, escapeHtml, type EmbedScripts, type PageInput, type PageSection } from './page.js';
export { reportPage, inspectPage } from './reportPage.js';
export { formatDataChecks } from './inspectText.js';
export { writeCharts, writeReport, writeInspection, type WrittenPage, type WrittenReport, type WriteReportOptions } from './write.js';
export {
  readBudgetAllocation,
  budgetAllocationFromJson,
  allocationMismatch,
  allocationCoversData,
  defaultAllocationPath,
  reportBudget,
  ALLOCATION_FILE,
  type ReportBudgetOptions,
} from './allocationFile.js';
export { budgetHtml } from './budgetSection.js';
