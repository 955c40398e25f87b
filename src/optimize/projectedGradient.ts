/**
 * Projected gradient ascent on the budget set { sum x = budget, lower <= x <= upper }, for K
 * independent problems advanced in lockstep (one batched value / gradient call per step, so K
 * multi-starts or K per-draw optima cost one tfjs backward pass per iteration).
 *
 * Method: the spectral projected gradient method (Birgin, Martinez & Raydan 2000, "Nonmonotone
 * spectral projected gradient methods on convex sets", SIAM J. Optim. 10(4), algorithm SPG2) with
 * a monotone line search (memory M = 1): the trial point is P(x + t g) with the Barzilai-Borwein
 * step t = s's / s'y (Barzilai & Borwein 1988, "Two-point step size gradient methods", IMA J.
 * Numer. Anal. 8; y the change of the gradient of -f), backtracked along the projection arc until
 * the Armijo condition f(P(x + t g)) >= f(x) + 1e-4 g'(P(x + t g) - x) holds (Bertsekas 1976,
 * "On the Goldstein-Levitin-Polyak gradient projection method", IEEE Trans. Autom. Control 21).
 * Every accepted step improves the objective, so the result is never worse than the start.
 *
 * Stops per problem when the scaled projected gradient ||P(x + tau g) - x||_inf / budget with
 * tau = budget / ||g||_inf over entries not held fixed (the largest relative gradient imbalance
 * between entries that can still trade spend) is below the tolerance ('stationary'), when no step along the arc improves the
 * objective (the precision limit of the gradient, or a kink of a quantile objective:
 * 'noImprovement'), or after maxIterations.
 */
import { projectOntoBudgetSet } from './projection.js';

export interface BatchedProblem {
  /** Number of independent problems K. */
  readonly problems: number;
  /** Dimension P of each. */
  readonly dim: number;
  /** Objective values [K] at x [K * P]; problems with active[k] = 0 may be skipped (any value). */
  value(x: Float64Array, active: Uint8Array): Float64Array;
  /** Values [K] and gradients [K * P] at x. */
  valueAndGradient(x: Float64Array, active: Uint8Array): { value: Float64Array; gradient: Float64Array };
}

export interface BudgetSet {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly budget: number;
}

export interface AscentOptions {
  /** Default 500. */
  readonly maxIterations?: number;
  /** Scaled projected-gradient tolerance (default 1e-6). */
  readonly tolerance?: number;
  /** Halvings of the step before giving up on a line search (default 30). */
  readonly maxBacktracks?: number;
}

export type AscentStatus = 'stationary' | 'noImprovement' | 'maxIterations';

export interface AscentResult {
  /** [K * P] final points. */
  readonly x: Float64Array;
  /** [K] objective values there. */
  readonly value: Float64Array;
  readonly iterations: Int32Array;
  readonly status: AscentStatus[];
}

const ARMIJO = 1e-4;

export function projectedGradientAscent(problem: BatchedProblem, set: BudgetSet, start: Float64Array, options: AscentOptions = {}): AscentResult {
  const K = problem.problems;
  const P = problem.dim;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-6;
  const maxBacktracks = options.maxBacktracks ?? 30;
  if (start.length !== K * P) throw new Error(`projectedGradientAscent: start needs ${K} x ${P} values, got ${start.length}`);
  const { lower, upper, budget } = set;
  const scale = budget > 0 ? budget : Math.max(1, ...upper);

  const x = new Float64Array(K * P);
  for (let k = 0; k < K; k++) projectOntoBudgetSet(start.subarray(k * P, (k + 1) * P), lower, upper, budget, x.subarray(k * P, (k + 1) * P));
  const all = new Uint8Array(K).fill(1);
  let { value: f, gradient: g } = problem.valueAndGradient(x, all);
  f = Float64Array.from(f);
  g = Float64Array.from(g);
  const step = new Float64Array(K);
  const iterations = new Int32Array(K);
  const status: AscentStatus[] = new Array(K).fill('maxIterations');
  const active = new Uint8Array(K).fill(1);
  const trial = new Float64Array(K * P);
  const probe = new Float64Array(P);
  const row = (a: Float64Array, k: number) => a.subarray(k * P, (k + 1) * P);
  // Gradient norms over entries that can move (lower < upper): a held entry's gradient, however
  // large, must not shrink the step or the stationarity scale of the others.
  const movable = Uint8Array.from(lower, (l, i) => (l < upper[i] ? 1 : 0));
  const infNorm = (a: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < a.length; i++) if (movable[i]) m = Math.max(m, Math.abs(a[i]));
    return m;
  };
  for (let k = 0; k < K; k++) {
    const gk = infNorm(row(g, k));
    step[k] = gk > 0 ? (0.05 * scale) / gk : 1;
  }
  const stepBounds = Float64Array.from(step);

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // Stationarity.
    for (let k = 0; k < K; k++) {
      if (!active[k]) continue;
      const gk = row(g, k);
      const xk = row(x, k);
      const norm = infNorm(gk);
      if (!(norm > 0)) {
        active[k] = 0;
        status[k] = 'stationary';
        continue;
      }
      const tau = scale / norm;
      for (let i = 0; i < P; i++) probe[i] = xk[i] + tau * gk[i];
      projectOntoBudgetSet(probe, lower, upper, budget, probe);
      let move = 0;
      for (let i = 0; i < P; i++) move = Math.max(move, Math.abs(probe[i] - xk[i]));
      if (move / scale <= tolerance) {
        active[k] = 0;
        status[k] = 'stationary';
      }
    }
    if (!active.some((a) => a)) break;

    // Line search along the projection arc, all searching problems per batched evaluation.
    const searching = Uint8Array.from(active);
    const accepted = new Uint8Array(K);
    const predicted = new Float64Array(K);
    const trialValue = new Float64Array(K);
    trial.set(x);
    for (let back = 0; back <= maxBacktracks && searching.some((s) => s); back++) {
      for (let k = 0; k < K; k++) {
        if (!searching[k]) continue;
        const xk = row(x, k);
        const gk = row(g, k);
        const tk = row(trial, k);
        for (let i = 0; i < P; i++) tk[i] = xk[i] + step[k] * gk[i];
        projectOntoBudgetSet(tk, lower, upper, budget, tk);
        let dot = 0;
        let move = 0;
        for (let i = 0; i < P; i++) {
          dot += gk[i] * (tk[i] - xk[i]);
          move = Math.max(move, Math.abs(tk[i] - xk[i]));
        }
        predicted[k] = dot;
        // Give up when the step no longer moves the plan or the predicted gain is below float64
        // resolution of the objective: no improvement could be seen.
        if (move <= 1e-15 * scale || !(dot > 1e-14 * Math.abs(f[k]))) {
          searching[k] = 0;
          tk.set(xk);
        }
      }
      if (!searching.some((s) => s)) break;
      const values = problem.value(trial, searching);
      for (let k = 0; k < K; k++) {
        if (!searching[k]) continue;
        if (values[k] >= f[k] + ARMIJO * predicted[k] && values[k] > f[k]) {
          accepted[k] = 1;
          searching[k] = 0;
          trialValue[k] = values[k];
        } else {
          step[k] *= 0.5;
        }
      }
    }
    for (let k = 0; k < K; k++) {
      if (active[k] && !accepted[k]) {
        active[k] = 0;
        status[k] = 'noImprovement';
        row(trial, k).set(row(x, k));
      }
    }
    if (!accepted.some((a) => a)) break;

    const next = problem.valueAndGradient(trial, accepted);
    for (let k = 0; k < K; k++) {
      if (!accepted[k]) continue;
      iterations[k]++;
      const xk = row(x, k);
      const tk = row(trial, k);
      const gOld = row(g, k);
      const gNew = next.gradient.subarray(k * P, (k + 1) * P);
      // Barzilai-Borwein step for minimizing -f: s's / s'y with y = -(gNew - gOld).
      let ss = 0;
      let sy = 0;
      for (let i = 0; i < P; i++) {
        const s = tk[i] - xk[i];
        ss += s * s;
        sy -= s * (gNew[i] - gOld[i]);
      }
      const bb = sy > 0 ? ss / sy : stepBounds[k] * 1e10;
      step[k] = Math.min(stepBounds[k] * 1e10, Math.max(stepBounds[k] * 1e-10, bb));
      xk.set(tk);
      gOld.set(gNew);
      f[k] = trialValue[k];
    }
  }
  return { x, value: f, iterations, status };
}
