/**
 * A stored run shown to people: the self-contained report.html with its charts (rows from the run
 * directory, specs from src/charts, the page, the budget section of an optimization result and
 * a two-channel trade-off), the data inspection page, the terminal summaries of a run and of a
 * data check, posterior probability statements recomputed from stored draws, and the comparison
 * of several runs.
 */
export { reportData, roiTableRows, type ReportData, type ReportDataOptions, type RoiTableRow, type HealthFlagRow } from './reportData.js';
export { reportCharts, dataCheckCharts, tradeoffChart, type ReportChart, type SectionKey } from './reportCharts.js';
export { htmlPage, htmlTable, readEmbedScripts, type EmbedScripts, type PageInput, type PageSection } from './page.js';
export { escapeHtml } from './escapeHtml.js';
export { scriptJson, scriptSource } from './scriptJson.js';
export { reportPage, inspectPage, findingsHtml, dataTablesHtml } from './reportPage.js';
export { probabilitiesHtml, modelComparisonHtml, type StoredHoldoutScore } from './probabilityTable.js';
export { budgetHtml, tradeoffHtml } from './budgetSection.js';
export {
  readBudgetAllocation,
  budgetAllocationFromJson,
  allocationMismatch,
  allocationCoversData,
  allocationOlderThanRun,
  windowMismatch,
  defaultAllocationPath,
  reportBudget,
  ALLOCATION_FILE,
  type ReportBudgetOptions,
} from './allocationFile.js';
export {
  readTradeoff,
  tradeoffChartFromJson,
  tradeoffMismatch,
  reportTradeoff,
  defaultTradeoffPath,
  TRADEOFF_FILE,
  type ReportTradeoffOptions,
} from './tradeoffFile.js';
export { writeCharts, writeReport, writeInspection, type WrittenPage, type WrittenReport, type WriteReportOptions } from './write.js';
export { formatDataChecks } from './inspectText.js';
export { formatRunSummary, formatProbabilities, formatModelComparison, type RunSummaryOptions } from './summaryText.js';
export { formatLiftTests } from './liftSummaryText.js';
export { formatTimeVarying } from './timeVaryingSummaryText.js';
export { runProbabilities } from './runProbabilities.js';
export { compareRuns, formatComparison, type Comparison, type ComparisonRow } from './compareRuns.js';
