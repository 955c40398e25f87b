/**
 * Objectives over the posterior draws of a plan's KPI (the window's total KPI, baseline included:
 * the baseline does not depend on the plan, but it is correlated with the media effects across
 * draws, so risk measures of the total KPI are the ones a planner means). Each objective returns
 * its value and d value / d outcome_d per draw, so the optimizer's gradient is
 * sum_d weight_d grad outcome_d (one backward pass, responseModel.ts):
 *
 * - mean: the posterior mean; weights 1/D.
 * - quantile(p): the type-7 lower quantile (Hyndman & Fan 1996, as every interval Mixwell
 *   reports): Y_(i) + f (Y_(i+1) - Y_(i)), i = floor((D-1) p); weights 1 - f and f on those two
 *   draws (a subgradient where draws tie).
 * - cvar(p): expected shortfall, the mean of the worst fraction p of draws, with the fractional
 *   draw for p D not an integer (Acerbi & Tasche 2002, "On the coherence of expected shortfall",
 *   J. Banking & Finance 26, definition 2.6; Rockafellar & Uryasev 2000, "Optimization of
 *   conditional value-at-risk", J. Risk 2(3)); weights 1/(pD) on the worst draws.
 * - meanSd(lambda): mean - lambda sd (sd with n - 1; Markowitz 1952 mean-variance trade-off on
 *   the sd scale); weights 1/D - lambda (Y_d - mean) / ((D - 1) sd).
 * Quantile and CVaR are piecewise smooth in the plan (kinks where draws swap order); the
 * optimizer's line search keeps every accepted step an improvement regardless.
 */
export type Objective =
  | { readonly type: 'mean' }
  | { readonly type: 'quantile'; readonly level: number }
  | { readonly type: 'cvar'; readonly level: number }
  | { readonly type: 'meanSd'; readonly riskAversion: number };

export const MEAN_OBJECTIVE: Objective = { type: 'mean' };

export interface ObjectiveEvaluation {
  readonly value: number;
  /** d value / d outcome_d, [D]. */
  readonly weights: Float64Array;
}

export function checkObjective(objective: Objective): Objective {
  switch (objective.type) {
    case 'mean':
      return objective;
    case 'quantile':
    case 'cvar':
      if (!(objective.level > 0 && objective.level < 1)) throw new Error(`objective ${objective.type}: level must be in (0, 1), got ${objective.level}`);
      return objective;
    case 'meanSd':
      if (!(objective.riskAversion >= 0 && Number.isFinite(objective.riskAversion))) throw new Error(`objective meanSd: riskAversion must be a finite number >= 0, got ${objective.riskAversion}`);
      return objective;
    default:
      throw new Error(`unknown objective type "${(objective as { type: string }).type}"`);
  }
}

/** Draw order by outcome (ascending), ties by index. */
function ascendingOrder(values: Float64Array): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[a] - values[b] || a - b);
  return order;
}

export function evaluateObjective(objective: Objective, values: Float64Array): ObjectiveEvaluation {
  const D = values.length;
  if (D === 0) throw new Error('objective: no draws');
  const weights = new Float64Array(D);
  switch (objective.type) {
    case 'mean': {
      let total = 0;
      for (let d = 0; d < D; d++) total += values[d];
      weights.fill(1 / D);
      return { value: total / D, weights };
    }
    case 'quantile': {
      const order = ascendingOrder(values);
      const h = (D - 1) * objective.level;
      const lo = Math.floor(h);
      const fraction = h - lo;
      const hi = Math.min(lo + 1, D - 1);
      const value = values[order[lo]] + fraction * (values[order[hi]] - values[order[lo]]);
      weights[order[lo]] += 1 - fraction;
      weights[order[hi]] += fraction;
      return { value, weights };
    }
    case 'cvar': {
      const order = ascendingOrder(values);
      const tail = objective.level * D;
      if (tail <= 1) {
        weights[order[0]] = 1;
        return { value: values[order[0]], weights };
      }
      const whole = Math.floor(tail);
      let total = 0;
      for (let i = 0; i < whole; i++) {
        weights[order[i]] = 1 / tail;
        total += values[order[i]];
      }
      const rest = tail - whole;
      if (rest > 0 && whole < D) {
        weights[order[whole]] = rest / tail;
        total += rest * values[order[whole]];
      }
      return { value: total / tail, weights };
    }
    case 'meanSd': {
      let mean = 0;
      for (let d = 0; d < D; d++) mean += values[d];
      mean /= D;
      if (D < 2) {
        weights.fill(1);
        return { value: mean, weights };
      }
      let squares = 0;
      for (let d = 0; d < D; d++) squares += (values[d] - mean) ** 2;
      const sd = Math.sqrt(squares / (D - 1));
      const lambda = objective.riskAversion;
      for (let d = 0; d < D; d++) weights[d] = 1 / D - (sd > 0 ? (lambda * (values[d] - mean)) / ((D - 1) * sd) : 0);
      return { value: mean - lambda * sd, weights };
    }
  }
}

export function objectiveValue(objective: Objective, values: Float64Array): number {
  return evaluateObjective(objective, values).value;
}

/**
 * Objective from its command-line name: `mean`, `q<NN>` (lower quantile at NN%, e.g. q10),
 * `cvar` (10%) or `cvar<NN>`, `meansd` (mean - riskAversion x sd, default riskAversion 1).
 */
export function parseObjective(text: string, riskAversion = 1): Objective {
  const name = text.trim().toLowerCase();
  if (name === 'mean') return MEAN_OBJECTIVE;
  if (name === 'cvar') return { type: 'cvar', level: 0.1 };
  if (name === 'meansd') return checkObjective({ type: 'meanSd', riskAversion });
  const match = /^(q|cvar)(\d+(?:\.\d+)?)$/.exec(name);
  if (match) {
    const level = Number(match[2]) / 100;
    if (level > 0 && level < 1) return { type: match[1] === 'q' ? 'quantile' : 'cvar', level };
  }
  throw new Error(`unknown objective "${text}"; expected mean, q<NN> (e.g. q10), cvar or cvar<NN> (e.g. cvar5), or meansd`);
}

export function describeObjective(objective: Objective): string {
  switch (objective.type) {
    case 'mean':
      return 'posterior mean of the KPI';
    case 'quantile':
      return `${formatPercent(objective.level)} quantile of the KPI`;
    case 'cvar':
      return `expected KPI in the worst ${formatPercent(objective.level)} of draws (CVaR)`;
    case 'meanSd':
      return `mean - ${objective.riskAversion} x sd of the KPI`;
  }
}

function formatPercent(level: number): string {
  return `${Number((level * 100).toPrecision(6))}%`;
}
