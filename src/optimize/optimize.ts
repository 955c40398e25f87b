/**
 * Fixed-budget allocation under posterior uncertainty: maximize an objective over the draws of the
 * planning window's KPI (objectives.ts: posterior mean, a lower quantile, CVaR, mean - lambda sd)
 * subject to the total budget, per-entry lower / upper bounds (bounds.ts; fixed entries have
 * lower = upper) and non-negativity, by projected gradient ascent (projectedGradient.ts) with
 * gradients through the response model (tfjs autodiff by default, tensorResponse.ts; float64
 * values from hostResponse.ts). The planning-window convention is window.ts's.
 *
 * - The optimizer works on `maxDraws` evenly thinned draws (default 500; the tensor model holds
 *   [D, G, C, N] arrays); every reported distribution uses every draw.
 * - Multi-start (the response is not concave where Hill slopes exceed 1): the current plan scaled
 *   to the budget, the middle of the box and `starts` seeded random points, all projected onto the
 *   budget set and advanced in one batch; the best is kept. When the current plan itself is
 *   feasible (its total is the budget and it is within the bounds) and scores better over all
 *   draws, it is returned instead, so the result is never worse than the current plan.
 * - Decision uncertainty: P(plan beats current) and the uplift distribution from the paired draws
 *   (scenario.ts), and the spread of the per-draw optimal allocation: for `decisionDraws` draws
 *   (default 100) the plan that maximizes that draw's KPI, all found in one batched ascent
 *   started from the optimized plan; each entry's optimal budget share is summarized over them.
 * - Response curves per channel with bands, current and proposed points, mROI at both (curves.ts).
 */
import type { MmmModelConfig, MmmDesign } from '../../models/mmm/index.js';
import { summarizeValues, type DrawSummary } from '../analysis/index.js';
import type { Posterior } from '../ppl/index.js';
import { createRng } from '../tensor/index.js';
import { formatMoney } from './amounts.js';
import { resolveBounds, type BoundsSpec } from './bounds.js';
import { channelPointRows, responseCurveRows, type CurvePointRow, type ResponseCurveRow } from './curves.js';
import { hostResponseModel, type HostResponseModel } from './hostResponse.js';
import { checkObjective, describeObjective, evaluateObjective, MEAN_OBJECTIVE, objectiveValue, type Objective } from './objectives.js';
import { projectedGradientAscent, type AscentStatus, type BatchedProblem, type BudgetSet } from './projectedGradient.js';
import { checkBudgetSet } from './projection.js';
import { hybridResponseModel, type ResponseModel } from './responseModel.js';
import { comparePlans, pairedDifference, type PlanComparison } from './scenario.js';
import { tensorResponseModel } from './tensorResponse.js';
import { entryLabel, planningWindow, planTotal, type PlanEntry, type PlanningWindow, type WindowOptions } from './window.js';
import { subsetWindowDraws, windowDraws, type EffectivenessWindow, type OutcomeUnit, type WindowDraws } from './windowDraws.js';

export interface OptimizeOptions extends WindowOptions {
  /** Total spend over the window (default: the current plan's total). */
  readonly budget?: number;
  /** Default: +/-30% of the current spend of every entry. */
  readonly bounds?: BoundsSpec;
  /** Where the bounds came from, for messages (e.g. the bounds file; default "bounds"). */
  readonly boundsSource?: string;
  /** Default: the posterior mean. */
  readonly objective?: Objective;
  readonly unit?: OutcomeUnit;
  /** Draws the optimizer uses (evenly thinned; default 500). */
  readonly maxDraws?: number;
  /** Gradients by tfjs autodiff ('tensor', default) or the float64 analytic host gradient. */
  readonly gradient?: 'tensor' | 'host';
  /** Seeded random starts besides the current plan and the middle of the box (default 3). */
  readonly starts?: number;
  readonly seed?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Draws for the per-draw optimal allocations (default 100; 0 skips them). */
  readonly decisionDraws?: number;
  /** Points per response curve (default 41; 0 skips the curves). */
  readonly curvePoints?: number;
  /** Draws for the response curves (default 500). */
  readonly curveDraws?: number;
  /**
   * Reach and frequency channels planned at these average frequencies (by channel; e.g. the optimal
   * frequency, analysis/optimalFrequency.ts) with the reach impressions / f, instead of the data's
   * frequency (windowDraws.ts); the current plan is then evaluated at the same frequency.
   */
  readonly atFrequency?: Readonly<Record<string, number>>;
}

export interface OptimalShareRow {
  readonly channel: string;
  readonly geo?: string;
  /** The entry's share of the budget in the optimized plan and the current plan. */
  readonly planShare: number;
  readonly currentShare: number;
  /** The entry's share of the budget in the per-draw optimal plans. */
  readonly optimalShare: DrawSummary;
  /** Fraction of draws whose optimal plan gives the entry more than its current spend. */
  readonly probabilityIncrease: number;
}

export interface ConvergenceInfo {
  /** Draws the optimizer used. */
  readonly draws: number;
  readonly starts: number;
  readonly iterations: number;
  readonly status: AscentStatus;
  readonly gradient: 'tensor' | 'host';
  /** Per-draw optimizations that ended 'stationary' or 'noImprovement' (vs the iteration limit). */
  readonly perDrawConverged?: number;
}

export interface OptimizationResult {
  readonly objective: Objective;
  readonly objectiveDescription: string;
  readonly budget: number;
  readonly entries: readonly PlanEntry[];
  readonly current: Float64Array;
  readonly plan: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** The objective over every draw at the optimized and the current plan. */
  readonly objectiveValue: { readonly plan: number; readonly current: number };
  /** Optimized vs current plan on every draw: KPI, uplift, P(beats current), per-entry rows. */
  readonly comparison: PlanComparison;
  /**
   * When the budget differs from the current total: the current allocation scaled to the budget,
   * and the optimized plan's uplift over it.
   */
  readonly sameBudget?: { readonly reference: Float64Array; readonly uplift: DrawSummary; readonly probabilityBeats: number };
  readonly optimalShares?: readonly OptimalShareRow[];
  readonly curves?: { readonly rows: readonly ResponseCurveRow[]; readonly points: readonly CurvePointRow[] };
  readonly convergence: ConvergenceInfo;
  readonly warnings: readonly string[];
  /** With time-varying channels: the latest fitted periods whose mean effectiveness planned them. */
  readonly effectiveness?: EffectivenessWindow;
}

/** Largest [D, G, C, N] tensor the tfjs response model is built with (2^24 float32 values, 64 MB per array). */
export const TENSOR_MAX_VALUES = 1 << 24;

/** Evenly thinned positions 0..total-1 (at most `count`). */
export function thinPositions(total: number, count: number): Int32Array {
  const n = Math.min(total, count);
  return Int32Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}

/** Per-draw values of the last plan evaluated (the line search's accepted point is not evaluated twice). */
function lastEvaluation(model: ResponseModel) {
  let plan: Float64Array | undefined;
  let values: Float64Array | undefined;
  return (x: Float64Array): Float64Array => {
    if (plan && values && plan.length === x.length && plan.every((v, i) => v === x[i])) return values;
    plan = Float64Array.from(x);
    values = model.evaluate(x);
    return values;
  };
}

/** The objective on a shared plan over a model's draws, as K plans advanced in one batch. */
export function sharedPlanProblem(model: ResponseModel, objective: Objective, problems: number): BatchedProblem {
  const P = model.planSize;
  const evaluate = Array.from({ length: problems }, () => lastEvaluation(model));
  return {
    problems,
    dim: P,
    value(x, active) {
      const out = new Float64Array(problems).fill(NaN);
      for (let k = 0; k < problems; k++) if (active[k]) out[k] = objectiveValue(objective, evaluate[k](x.subarray(k * P, (k + 1) * P)));
      return out;
    },
    valueAndGradient(x, active) {
      const value = new Float64Array(problems).fill(NaN);
      const gradient = new Float64Array(problems * P);
      for (let k = 0; k < problems; k++) {
        if (!active[k]) continue;
        const plan = x.subarray(k * P, (k + 1) * P);
        const evaluation = evaluateObjective(objective, evaluate[k](plan));
        value[k] = evaluation.value;
        gradient.set(model.gradient(plan, evaluation.weights), k * P);
      }
      return { value, gradient };
    },
  };
}

/** Each draw's own KPI on its own plan: D problems in one batch (per-draw optimal allocations). */
export function perDrawProblem(model: ResponseModel): BatchedProblem {
  const ones = new Float64Array(model.drawCount).fill(1);
  const evaluate = lastEvaluation(model);
  return {
    problems: model.drawCount,
    dim: model.planSize,
    value: (x) => evaluate(x),
    valueAndGradient: (x) => ({ value: evaluate(x), gradient: model.gradient(x, ones) }),
  };
}

/** Everything a fixed- or flexible-budget optimization shares: window, bounds, draws, models. */
export interface OptimizationContext {
  readonly window: PlanningWindow;
  readonly labels: readonly string[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly objective: Objective;
  /** Every draw, float64. */
  readonly allDraws: WindowDraws;
  readonly all: HostResponseModel;
  /** The optimizer's draws: float64 values, gradients per options.gradient. */
  readonly optimizerHost: HostResponseModel;
  readonly optimizer: ResponseModel;
  readonly gradient: 'tensor' | 'host';
  readonly options: OptimizeOptions;
  /** Notes about how the optimization was set up (reported with the result). */
  readonly warnings: readonly string[];
  dispose(): void;
}

export async function createOptimizationContext(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: OptimizeOptions = {}): Promise<OptimizationContext> {
  const objective = checkObjective(options.objective ?? MEAN_OBJECTIVE);
  const window = planningWindow(design, options);
  const labels = window.entries.map(entryLabel);
  const { lower, upper } = resolveBounds(window, options.bounds, options.boundsSource);
  const allDraws = windowDraws(design, config, posterior, window, { unit: options.unit, atFrequency: options.atFrequency, effectivenessPeriods: options.effectivenessPeriods });
  const all = hostResponseModel(allDraws);
  const maxDraws = options.maxDraws ?? 500;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new Error(`optimize: maxDraws must be a positive integer, got ${maxDraws}`);
  const warnings: string[] = [];
  const fixed = Object.entries(options.atFrequency ?? {});
  if (fixed.length > 0) {
    warnings.push(
      `reach and frequency channel(s) planned at a fixed frequency with reach = impressions / frequency: ${fixed.map(([name, f]) => `${name} at ${f}`).join(', ')} ` +
        '(the current plan is evaluated at the same frequency, so the uplift is that of the spend split alone)',
    );
  }
  // saturation-first channels have no tensor form of their response (tensorResponse.ts): the host's exact gradient
  const saturationFirst = allDraws.saturationFirst.some((first) => first);
  if (saturationFirst && options.gradient === 'tensor') {
    throw new Error(`optimize: gradient "tensor" does not handle saturation-first or reach and frequency channels (${window.channelNames.filter((_, c) => allDraws.saturationFirst[c]).join(', ')}); use gradient "host"`);
  }
  const gradient = options.gradient ?? (saturationFirst ? 'host' : 'tensor');
  const cellPeriods = window.geoNames.length * window.channelNames.length * window.periods;
  let draws = Math.min(maxDraws, all.drawCount);
  if (gradient === 'tensor' && draws * cellPeriods > TENSOR_MAX_VALUES) {
    draws = Math.max(1, Math.floor(TENSOR_MAX_VALUES / cellPeriods));
    warnings.push(`the optimizer uses ${draws} draws (not ${Math.min(maxDraws, all.drawCount)}) to keep its tensors under ${TENSOR_MAX_VALUES} values per array; every reported distribution still uses every draw`);
  }
  const positions = thinPositions(all.drawCount, draws);
  const optimizerData = positions.length === all.drawCount ? allDraws : subsetWindowDraws(allDraws, positions);
  const optimizerHost = positions.length === all.drawCount ? all : hostResponseModel(optimizerData);
  const optimizer = gradient === 'tensor' ? hybridResponseModel(optimizerHost, await tensorResponseModel(optimizerData)) : optimizerHost;
  return { window, labels, lower, upper, objective, allDraws, all, optimizerHost, optimizer, gradient, options, warnings, dispose: () => optimizer.dispose() };
}

export interface FixedBudgetSolution {
  readonly plan: Float64Array;
  /** The objective on the optimizer's draws. */
  readonly value: number;
  readonly iterations: number;
  readonly status: AscentStatus;
  readonly starts: number;
}

/** Starting points: the current plan scaled to the budget, the middle of the box, random points. */
function startingPoints(context: OptimizationContext, budget: number, extra: readonly Float64Array[], randomStarts: number, seed: number): Float64Array[] {
  const { window, lower, upper } = context;
  const P = window.entries.length;
  const total = planTotal(window.current);
  const starts: Float64Array[] = [...extra.map((x) => Float64Array.from(x))];
  starts.push(total > 0 ? window.current.map((x) => (x * budget) / total) : lower.map((l, p) => (l + upper[p]) / 2));
  starts.push(lower.map((l, p) => (l + upper[p]) / 2));
  const rng = createRng(seed, 'optimize-starts');
  for (let r = 0; r < randomStarts; r++) starts.push(Float64Array.from({ length: P }, (_, p) => lower[p] + rng.uniform() * (upper[p] - lower[p])));
  return starts;
}

/** The best plan for one budget (on the optimizer's draws). */
export function solveFixedBudget(context: OptimizationContext, budget: number, options: { readonly warmStarts?: readonly Float64Array[]; readonly randomStarts?: number } = {}): FixedBudgetSolution {
  const { lower, upper, labels } = context;
  checkBudgetSet(lower, upper, budget, labels);
  const P = lower.length;
  const starts = startingPoints(context, budget, options.warmStarts ?? [], options.randomStarts ?? context.options.starts ?? 3, context.options.seed ?? 1);
  const K = starts.length;
  const start = new Float64Array(K * P);
  starts.forEach((x, k) => start.set(x, k * P));
  const set: BudgetSet = { lower, upper, budget };
  const result = projectedGradientAscent(sharedPlanProblem(context.optimizer, context.objective, K), set, start, {
    maxIterations: context.options.maxIterations,
    tolerance: context.options.tolerance,
  });
  let best = 0;
  for (let k = 1; k < K; k++) if (result.value[k] > result.value[best]) best = k;
  return {
    plan: Float64Array.from(result.x.subarray(best * P, (best + 1) * P)),
    value: result.value[best],
    iterations: result.iterations[best],
    status: result.status[best],
    starts: K,
  };
}

/** d objective / d budget at a plan: the best marginal return among entries that can still grow (float64). */
export function budgetMarginalReturn(context: OptimizationContext, plan: Float64Array): number {
  const host = context.optimizerHost;
  const evaluation = evaluateObjective(context.objective, host.evaluate(plan));
  const gradient = host.gradient(plan, evaluation.weights);
  let best = -Infinity;
  for (let p = 0; p < plan.length; p++) {
    const room = context.upper[p] - plan[p];
    if (room > 1e-9 * Math.max(1, context.upper[p])) best = Math.max(best, gradient[p]);
  }
  return best;
}

function isFeasible(context: OptimizationContext, plan: Float64Array, budget: number): boolean {
  const total = planTotal(plan);
  if (Math.abs(total - budget) > 1e-9 * Math.max(1, budget)) return false;
  return plan.every((x, p) => x >= context.lower[p] - 1e-9 * Math.max(1, context.lower[p]) && x <= context.upper[p] + 1e-9 * Math.max(1, context.upper[p]));
}

/** Per-draw optimal allocations on `count` draws, started from `plan`. */
async function optimalShares(context: OptimizationContext, budget: number, plan: Float64Array, count: number): Promise<{ rows: OptimalShareRow[]; converged: number }> {
  const { window, lower, upper } = context;
  const P = window.entries.length;
  const cellPeriods = window.geoNames.length * window.channelNames.length * window.periods;
  const fit = context.gradient === 'tensor' ? Math.max(1, Math.floor(TENSOR_MAX_VALUES / cellPeriods)) : count;
  const positions = thinPositions(context.all.drawCount, Math.min(count, fit));
  const data = subsetWindowDraws(context.allDraws, positions);
  const host = hostResponseModel(data);
  const model = context.gradient === 'tensor' ? hybridResponseModel(host, await tensorResponseModel(data)) : host;
  try {
    const D = model.drawCount;
    const start = new Float64Array(D * P);
    for (let d = 0; d < D; d++) start.set(plan, d * P);
    const result = projectedGradientAscent(perDrawProblem(model), { lower, upper, budget }, start, {
      maxIterations: context.options.maxIterations,
      tolerance: context.options.tolerance,
    });
    const total = planTotal(window.current);
    const scratch = new Float64Array(D);
    const rows = window.entries.map((entry, p) => {
      const shares = Float64Array.from({ length: D }, (_, d) => (budget > 0 ? result.x[d * P + p] / budget : NaN));
      let increase = 0;
      for (let d = 0; d < D; d++) if (result.x[d * P + p] > window.current[p] * (1 + 1e-9)) increase++;
      return {
        channel: entry.channel,
        ...(entry.geo !== undefined ? { geo: entry.geo } : {}),
        planShare: budget > 0 ? plan[p] / budget : NaN,
        currentShare: total > 0 ? window.current[p] / total : NaN,
        optimalShare: summarizeValues(shares, scratch),
        probabilityIncrease: increase / D,
      };
    });
    return { rows, converged: result.status.filter((s) => s !== 'maxIterations').length };
  } finally {
    model.dispose();
  }
}

/** Curves on a channel-level model over `curveDraws` draws, with the current and proposed points. */
function curvesFor(context: OptimizationContext, design: MmmDesign, config: MmmModelConfig, posterior: Posterior, plan: Float64Array) {
  const points = context.options.curvePoints ?? 41;
  const positions = thinPositions(context.all.drawCount, context.options.curveDraws ?? 500);
  const sub = positions.length === context.all.drawCount ? context.allDraws : subsetWindowDraws(context.allDraws, positions);
  const planModel = sub === context.allDraws ? context.all : hostResponseModel(sub);
  let channelModel = planModel;
  if (context.window.level !== 'channel') {
    const window = planningWindow(design, { periods: context.window.periods, level: 'channel', future: context.window.future });
    channelModel = hostResponseModel(
      windowDraws(design, config, posterior, window, { unit: context.allDraws.unit, drawIndices: sub.drawIndices, atFrequency: context.options.atFrequency, effectivenessPeriods: context.options.effectivenessPeriods }),
    );
  }
  const C = context.window.channelNames.length;
  const byChannel = (values: Float64Array) => {
    const out = new Float64Array(C);
    context.window.entries.forEach((e, p) => (out[e.channelIndex] += values[p]));
    return out;
  };
  const current = byChannel(context.window.current);
  const proposed = byChannel(plan);
  const upper = byChannel(context.upper);
  const maxSpend = current.map((x, c) => Math.max(2 * x, 1.2 * proposed[c], upper[c]));
  return {
    rows: responseCurveRows(channelModel, maxSpend, points),
    points: [...channelPointRows(planModel, context.window.current, 'current'), ...channelPointRows(planModel, plan, 'proposed')],
  };
}

/** Report a plan found for `budget`: every-draw comparison, decision uncertainty, curves. */
export async function finishOptimization(
  context: OptimizationContext,
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  budget: number,
  solution: FixedBudgetSolution,
  extraWarnings: readonly string[] = [],
): Promise<OptimizationResult> {
  const { window, objective, all } = context;
  const warnings = [...window.warnings, ...context.warnings, ...extraWarnings];
  let plan = solution.plan;
  const currentValue = objectiveValue(objective, all.evaluate(window.current));
  let planValue = objectiveValue(objective, all.evaluate(plan));
  if (isFeasible(context, window.current, budget) && currentValue > planValue) {
    warnings.push('over every draw the current plan scores better than the optimized one (which was found on a subsample of draws); the current plan is returned');
    plan = Float64Array.from(window.current);
    planValue = currentValue;
  }
  if (solution.status === 'maxIterations') warnings.push(`the optimizer stopped at its iteration limit (${solution.iterations} iterations) before converging`);
  const comparison = comparePlans(all, plan);
  const currentTotal = planTotal(window.current);
  let sameBudget: OptimizationResult['sameBudget'];
  if (currentTotal > 0 && Math.abs(currentTotal - budget) > 1e-9 * Math.max(1, budget)) {
    const reference = window.current.map((x) => (x * budget) / currentTotal);
    const difference = pairedDifference(comparison.perDraw.plan, all.evaluate(reference));
    sameBudget = { reference, uplift: difference.summary, probabilityBeats: difference.probabilityAbove };
  }
  const decisionDraws = context.options.decisionDraws ?? 100;
  let shares: { rows: OptimalShareRow[]; converged: number } | undefined;
  if (decisionDraws > 0) shares = await optimalShares(context, budget, plan, decisionDraws);
  const curves = (context.options.curvePoints ?? 41) > 0 ? curvesFor(context, design, config, posterior, plan) : undefined;
  return {
    objective,
    objectiveDescription: describeObjective(objective),
    budget,
    entries: window.entries,
    current: Float64Array.from(window.current),
    plan,
    lower: context.lower,
    upper: context.upper,
    objectiveValue: { plan: planValue, current: currentValue },
    comparison,
    ...(sameBudget ? { sameBudget } : {}),
    ...(shares ? { optimalShares: shares.rows } : {}),
    ...(curves ? { curves } : {}),
    convergence: {
      draws: context.optimizer.drawCount,
      starts: solution.starts,
      iterations: solution.iterations,
      status: solution.status,
      gradient: context.gradient,
      ...(shares ? { perDrawConverged: shares.converged } : {}),
    },
    warnings,
    ...(context.allDraws.effectiveness ? { effectiveness: context.allDraws.effectiveness } : {}),
  };
}

export function checkBudget(budget: number): number {
  if (typeof budget !== 'number' || !Number.isFinite(budget)) throw new Error(`budget must be a finite number, got ${String(budget)}`);
  if (budget < 0) throw new Error(`budget must be >= 0, got ${formatMoney(budget)}`);
  return budget;
}

/** The best split of a fixed budget over the planning window (see the module comment). */
export async function optimizeBudget(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: OptimizeOptions = {}): Promise<OptimizationResult> {
  if (options.budget !== undefined) {
    // Bad budgets and bounds fail before any per-draw work.
    checkBudget(options.budget);
    const window = planningWindow(design, options);
    const { lower, upper } = resolveBounds(window, options.bounds, options.boundsSource);
    checkBudgetSet(lower, upper, options.budget, window.entries.map(entryLabel));
  }
  const context = await createOptimizationContext(design, config, posterior, options);
  try {
    const budget = options.budget ?? planTotal(context.window.current);
    const solution = solveFixedBudget(context, budget);
    return await finishOptimization(context, design, config, posterior, budget, solution);
  } finally {
    context.dispose();
  }
}
