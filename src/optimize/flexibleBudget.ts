/**
 * Flexible budgets, each a one-dimensional search over the budget B in [sum lower, sum upper] with
 * the fixed-budget optimum (optimize.ts) inside:
 *
 * - target KPI: the smallest budget whose optimized objective (e.g. the posterior mean of the
 *   window's total KPI, or its 10% quantile) reaches the target. The optimal value V(B) does not
 *   decrease with B (more budget can always go to an entry below its upper bound, and the
 *   response increases with spend), so bisection applies.
 * - target marginal ROI: the largest budget whose marginal return, dV/dB, stays at or above the
 *   target. dV/dB is the budget constraint's multiplier (envelope theorem; Bertsekas 1999,
 *   "Nonlinear Programming", 2nd ed., section 3.2): at the optimum, the largest objective
 *   gradient among entries below their upper bound. With the mean objective this is the usual
 *   marginal ROI (KPI, or revenue, per currency unit). A grid of budgets finds the last one at or
 *   above the target and bisection refines the crossing after it; with S-shaped responses (Hill
 *   slope > 1) dV/dB can rise before it falls, which the grid guards against at its resolution.
 *
 * Budgets outside the bounds' range are never used: a target that the bounds cannot reach is an
 * error that says what the bounds allow.
 */
import type { MmmModelConfig, MmmDesign } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { formatMoney } from './amounts.js';
import {
  budgetMarginalReturn,
  createOptimizationContext,
  finishOptimization,
  solveFixedBudget,
  type FixedBudgetSolution,
  type OptimizationContext,
  type OptimizationResult,
  type OptimizeOptions,
} from './optimize.js';
import { planTotal } from './window.js';

export interface FlexibleBudgetInfo {
  readonly kind: 'targetKpi' | 'targetMroi';
  readonly target: number;
  /** The objective (targetKpi) or the marginal return of the budget (targetMroi) at the budget found. */
  readonly achieved: number;
  /** Set when the search hit the range the bounds allow. */
  readonly limitedBy?: 'lowerBounds' | 'upperBounds';
  /** Fixed-budget optimizations run. */
  readonly solves: number;
}

export interface FlexibleBudgetResult extends OptimizationResult {
  readonly flexible: FlexibleBudgetInfo;
}

export interface FlexibleBudgetOptions extends Omit<OptimizeOptions, 'budget'> {
  /** Relative budget tolerance of the search (default 1e-4 of the bounds' range). */
  readonly budgetTolerance?: number;
}

function budgetRange(context: OptimizationContext): [number, number] {
  return [planTotal(context.lower), planTotal(context.upper)];
}

function solver(context: OptimizationContext) {
  let solves = 0;
  let last: FixedBudgetSolution | undefined;
  const solve = (budget: number, fresh = false): FixedBudgetSolution => {
    solves++;
    // Warm start from the last solution rescaled to the budget; random starts only on fresh solves.
    const warm: Float64Array[] = [];
    if (last) {
      const total = planTotal(last.plan);
      warm.push(total > 0 ? last.plan.map((x) => (x * budget) / total) : Float64Array.from(last.plan));
    }
    last = solveFixedBudget(context, budget, { warmStarts: warm, randomStarts: fresh ? undefined : 0 });
    return last;
  };
  return { solve, count: () => solves };
}

/** The smallest budget whose optimized objective reaches `targetKpi`. */
export async function budgetForTargetKpi(
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  targetKpi: number,
  options: FlexibleBudgetOptions = {},
): Promise<FlexibleBudgetResult> {
  if (!Number.isFinite(targetKpi)) throw new Error(`target KPI must be a finite number, got ${targetKpi}`);
  const context = await createOptimizationContext(design, config, posterior, options);
  try {
    const [low, high] = budgetRange(context);
    const { solve, count } = solver(context);
    const atHigh = solve(high, true);
    if (atHigh.value < targetKpi) {
      throw new Error(
        `target KPI ${formatMoney(targetKpi)} cannot be reached within the bounds: the best plan at the largest budget they allow (${formatMoney(high)}) reaches ${formatMoney(atHigh.value)} (${context.objective.type}); widen the upper bounds`,
      );
    }
    const atLow = solve(low, true);
    if (atLow.value >= targetKpi) {
      const result = await finishOptimization(context, design, config, posterior, low, atLow);
      return { ...result, flexible: { kind: 'targetKpi', target: targetKpi, achieved: atLow.value, limitedBy: 'lowerBounds', solves: count() } };
    }
    let lo = low;
    let hi = high;
    let best = atHigh;
    const tolerance = (options.budgetTolerance ?? 1e-4) * Math.max(high - low, 1e-12);
    while (hi - lo > tolerance) {
      const mid = (lo + hi) / 2;
      const solution = solve(mid);
      if (solution.value >= targetKpi) {
        hi = mid;
        best = solution;
      } else lo = mid;
    }
    const result = await finishOptimization(context, design, config, posterior, hi, best);
    return { ...result, flexible: { kind: 'targetKpi', target: targetKpi, achieved: best.value, solves: count() } };
  } finally {
    context.dispose();
  }
}

/** The largest budget whose marginal return (d objective / d budget) stays at or above `targetMroi`. */
export async function budgetForMarginalRoi(
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  targetMroi: number,
  options: FlexibleBudgetOptions & { readonly gridPoints?: number } = {},
): Promise<FlexibleBudgetResult> {
  if (!Number.isFinite(targetMroi)) throw new Error(`target marginal ROI must be a finite number, got ${targetMroi}`);
  const context = await createOptimizationContext(design, config, posterior, options);
  try {
    const [low, high] = budgetRange(context);
    const { solve, count } = solver(context);
    const gridPoints = options.gridPoints ?? 9;
    const budgets = Array.from({ length: gridPoints }, (_, i) => low + ((high - low) * i) / (gridPoints - 1));
    const solutions = budgets.map((budget) => solve(budget, true));
    const marginal = solutions.map((s) => budgetMarginalReturn(context, s.plan));
    let last = -1;
    for (let i = 0; i < gridPoints; i++) if (marginal[i] >= targetMroi) last = i;
    if (last < 0) {
      throw new Error(
        `the marginal ROI is below the target ${targetMroi} at every budget the bounds allow (${formatMoney(low)} .. ${formatMoney(high)}; at the smallest it is ${marginal[0].toPrecision(4)}); lower the lower bounds or the target`,
      );
    }
    if (last === gridPoints - 1) {
      const result = await finishOptimization(context, design, config, posterior, high, solutions[last]);
      return { ...result, flexible: { kind: 'targetMroi', target: targetMroi, achieved: marginal[last], limitedBy: 'upperBounds', solves: count() } };
    }
    let lo = budgets[last];
    let hi = budgets[last + 1];
    let best = solutions[last];
    let bestMarginal = marginal[last];
    const tolerance = (options.budgetTolerance ?? 1e-4) * Math.max(high - low, 1e-12);
    while (hi - lo > tolerance) {
      const mid = (lo + hi) / 2;
      const solution = solve(mid);
      const m = budgetMarginalReturn(context, solution.plan);
      if (m >= targetMroi) {
        lo = mid;
        best = solution;
        bestMarginal = m;
      } else hi = mid;
    }
    const result = await finishOptimization(context, design, config, posterior, lo, best);
    return { ...result, flexible: { kind: 'targetMroi', target: targetMroi, achieved: bestMarginal, solves: count() } };
  } finally {
    context.dispose();
  }
}
