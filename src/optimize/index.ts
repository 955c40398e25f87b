/**
 * Uncertainty-aware budget allocation and scenarios on a fitted MMM, written against a response
 * model (responseModel.ts), not the sampler: the KPI over a planning window (window.ts) as a
 * function of a spend plan, per posterior draw. Scenarios (scenario.ts), fixed-budget optimization
 * with risk-aware objectives (optimize.ts, objectives.ts, projectedGradient.ts), flexible budgets
 * (flexibleBudget.ts), decision uncertainty (per-draw optima, P(beats current)) and response
 * curves (curves.ts), two-channel trade-offs at a fixed pair total (tradeoff.ts), each over the
 * last periods of the data or over future periods from a file (future.ts, `future` in the
 * options). Inputs: the design, model config and posterior of a run (src/run readRun).
 */
export { loadFuturePeriods, futurePeriods, type FuturePeriods, type FuturePeriodsOptions, type FittedRun } from './future.js';
export { planningWindow, windowDesign, entryLabel, planTotal, channelTotals, type PlanningWindow, type PlanEntry, type PlanLevel, type WindowOptions } from './window.js';
export { windowDraws, subsetWindowDraws, defaultUnit, type WindowDraws, type WindowDrawsOptions, type OutcomeUnit } from './windowDraws.js';
export { hybridResponseModel, type ResponseModel } from './responseModel.js';
export { hostResponseModel, ADSTOCK_FLOOR, HOST_CACHE_VALUES, type HostResponseModel } from './hostResponse.js';
export { tensorResponseModel, type TensorResponseModel } from './tensorResponse.js';
export {
  evaluateObjective,
  objectiveValue,
  parseObjective,
  describeObjective,
  checkObjective,
  MEAN_OBJECTIVE,
  type Objective,
  type ObjectiveEvaluation,
} from './objectives.js';
export { projectOntoBudgetSet, checkBudgetSet } from './projection.js';
export { projectedGradientAscent, type BatchedProblem, type BudgetSet, type AscentOptions, type AscentResult, type AscentStatus } from './projectedGradient.js';
export { parseAmount, type Amount } from './amounts.js';
export { resolveBounds, readBoundsFile, parseBoundsSpec, DEFAULT_BOUND, type BoundsSpec, type BoundSpec, type BoundEntry, type ResolvedBounds } from './bounds.js';
export { resolvePlan, readPlanFile, parsePlanSpec, planFromCsv, type PlanSpec, type PlanMove } from './plan.js';
export {
  evaluateScenario,
  comparePlans,
  pairedDifference,
  futureSummary,
  type PlanComparison,
  type EntryComparisonRow,
  type ScenarioOptions,
  type WindowSummary,
  type FutureWindowSummary,
} from './scenario.js';
export { responseCurveRows, channelPointRows, type ResponseCurveRow, type CurvePointRow } from './curves.js';
export {
  optimizeBudget,
  createOptimizationContext,
  solveFixedBudget,
  finishOptimization,
  budgetMarginalReturn,
  sharedPlanProblem,
  perDrawProblem,
  thinPositions,
  checkBudget,
  TENSOR_MAX_VALUES,
  type OptimizeOptions,
  type OptimizationResult,
  type OptimizationContext,
  type OptimalShareRow,
  type ConvergenceInfo,
  type FixedBudgetSolution,
} from './optimize.js';
export { budgetForTargetKpi, budgetForMarginalRoi, type FlexibleBudgetResult, type FlexibleBudgetInfo, type FlexibleBudgetOptions } from './flexibleBudget.js';
export { twoChannelTradeoff, pairTradeoff, tradeoffChannels, TRADEOFF_DRAWS, type TradeoffOptions, type TradeoffRow, type TradeoffResult } from './tradeoff.js';
export { allocationRows, allocationJson, budgetChartData, scenarioRows, scenarioJson, formatAllocation, formatScenario, tradeoffJson, formatTradeoff, describeTimeEffects, type TableRow } from './report.js';
