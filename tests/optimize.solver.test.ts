/**
 * The constrained optimizer of src/optimize: the projection onto the budget set, the objectives
 * over draws and their weights, projected gradient ascent on a problem with a known solution, and
 * fixed-budget optimization on a two-channel MMM with known response curves checked against a
 * brute-force grid over the one free direction (x_a + x_b = budget), for the mean and the
 * risk-aware objectives, with tfjs autodiff and host gradients; per-draw optima likewise.
 * Hand-made draws, no sampling.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { quantileOfSorted } from '../src/diagnostics/index.js';
import {
  createOptimizationContext,
  evaluateObjective,
  objectiveValue,
  parseObjective,
  perDrawProblem,
  planTotal,
  projectedGradientAscent,
  projectOntoBudgetSet,
  solveFixedBudget,
  tensorResponseModel,
  hybridResponseModel,
  hostResponseModel,
  subsetWindowDraws,
  type BatchedProblem,
  type Objective,
  type OptimizationContext,
} from '../src/optimize/index.js';
import type { Posterior } from '../src/ppl/index.js';
import { createRng } from '../src/tensor/index.js';
import { designFromSpend, posteriorFromDraws, SMALL_CONFIG } from './fixtures/optimize/smallModels.js';

describe('projection onto the budget set', () => {
  const rng = createRng(11, 'projection-test');
  const random = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * (rng.uniform() - 0.3));

  it('meets the budget and the bounds and is the nearest point of the set', () => {
    for (let trial = 0; trial < 200; trial++) {
      const P = 1 + Math.floor(rng.uniform() * 6);
      const lower = Float64Array.from({ length: P }, () => (rng.uniform() < 0.3 ? 0 : 10 * rng.uniform()));
      const upper = lower.map((l) => (rng.uniform() < 0.2 ? l : l + 20 * rng.uniform()));
      const low = planTotal(lower);
      const budget = low + rng.uniform() * (planTotal(upper) - low);
      const y = random(P, 40);
      const x = projectOntoBudgetSet(y, lower, upper, budget);
      expect(Math.abs(planTotal(x) - budget)).toBeLessThanOrEqual(1e-12 * Math.max(1, budget));
      x.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(lower[i]);
        expect(v).toBeLessThanOrEqual(upper[i]);
      });
      // Nearest point: no feasible point (random convex combinations of projected points) is closer.
      const distance = (z: Float64Array) => z.reduce((s, v, i) => s + (v - y[i]) ** 2, 0);
      for (let k = 0; k < 20; k++) {
        const z = projectOntoBudgetSet(random(P, 40), lower, upper, budget);
        expect(distance(x)).toBeLessThanOrEqual(distance(z) + 1e-9);
      }
    }
  });

  it('keeps entries with lower = upper fixed and is the identity on feasible points', () => {
    const lower = Float64Array.of(0, 5, 0);
    const upper = Float64Array.of(10, 5, 10);
    const x = projectOntoBudgetSet(Float64Array.of(100, -3, 1), lower, upper, 12);
    expect(x[1]).toBe(5);
    expect(Array.from(x)).toEqual([7, 5, 0]);
    const feasible = Float64Array.of(3, 5, 4);
    expect(Array.from(projectOntoBudgetSet(feasible, lower, upper, 12))).toEqual([3, 5, 4]);
  });
});

describe('objectives over draws', () => {
  const rng = createRng(4, 'objective-test');
  const values = Float64Array.from({ length: 37 }, () => 100 + 10 * rng.normal());

  it('compute the mean, the type-7 quantile, CVaR and mean - lambda sd', () => {
    const sorted = Float64Array.from(values).sort();
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    expect(objectiveValue({ type: 'mean' }, values)).toBeCloseTo(mean, 12);
    expect(objectiveValue({ type: 'quantile', level: 0.1 }, values)).toBeCloseTo(quantileOfSorted(sorted, 0.1), 12);
    expect(objectiveValue({ type: 'meanSd', riskAversion: 2 }, values)).toBeCloseTo(mean - 2 * sd, 12);
    // CVaR at 10% of 37 draws: 3.7 worst draws, the 4th with weight 0.7.
    const cvar = (sorted[0] + sorted[1] + sorted[2] + 0.7 * sorted[3]) / 3.7;
    expect(objectiveValue({ type: 'cvar', level: 0.1 }, values)).toBeCloseTo(cvar, 12);
    expect(objectiveValue({ type: 'cvar', level: 0.01 }, values)).toBe(sorted[0]);
  });

  it('weights are the derivatives with respect to each draw (finite differences, no ties)', () => {
    const objectives: Objective[] = [{ type: 'mean' }, { type: 'quantile', level: 0.1 }, { type: 'cvar', level: 0.2 }, { type: 'meanSd', riskAversion: 1.5 }];
    for (const objective of objectives) {
      const { weights } = evaluateObjective(objective, values);
      for (let d = 0; d < values.length; d++) {
        const h = 1e-6;
        const up = Float64Array.from(values);
        const down = Float64Array.from(values);
        up[d] += h;
        down[d] -= h;
        const numeric = (objectiveValue(objective, up) - objectiveValue(objective, down)) / (2 * h);
        expect(Math.abs(numeric - weights[d])).toBeLessThan(1e-6);
      }
    }
  });

  it('parse from command-line names and reject others', () => {
    expect(parseObjective('mean')).toEqual({ type: 'mean' });
    expect(parseObjective('q10')).toEqual({ type: 'quantile', level: 0.1 });
    expect(parseObjective('q5')).toEqual({ type: 'quantile', level: 0.05 });
    expect(parseObjective('cvar')).toEqual({ type: 'cvar', level: 0.1 });
    expect(parseObjective('CVaR25')).toEqual({ type: 'cvar', level: 0.25 });
    expect(parseObjective('meansd', 0.5)).toEqual({ type: 'meanSd', riskAversion: 0.5 });
    expect(() => parseObjective('q0')).toThrow(/unknown objective "q0"/);
    expect(() => parseObjective('max')).toThrow(/expected mean, q<NN>/);
  });
});

describe('projected gradient ascent', () => {
  it('solves a concave quadratic with bounds exactly (the projection of its maximizer)', () => {
    // f(x) = -sum (x - c)^2 / 2: the constrained maximizer is the projection of c.
    const c = Float64Array.of(3, -1, 8, 4);
    const lower = Float64Array.of(0, 0, 1, 2);
    const upper = Float64Array.of(5, 5, 6, 2);
    const problem: BatchedProblem = {
      problems: 2,
      dim: 4,
      value: (x) => Float64Array.from({ length: 2 }, (_, k) => -x.subarray(4 * k, 4 * k + 4).reduce((s, v, i) => s + (v - c[i]) ** 2 / 2, 0)),
      valueAndGradient(x, active) {
        return { value: this.value(x, active), gradient: x.map((v, i) => c[i % 4] - v) };
      },
    };
    const result = projectedGradientAscent(problem, { lower, upper, budget: 10 }, Float64Array.of(1, 1, 1, 1, 0, 5, 3, 2));
    const expected = projectOntoBudgetSet(c, lower, upper, 10);
    for (let k = 0; k < 2; k++) {
      expect(result.status[k]).toBe('stationary');
      for (let i = 0; i < 4; i++) expect(result.x[4 * k + i]).toBeCloseTo(expected[i], 6);
    }
  });
});

/** Maximum of f on [low, high]: a grid of 1000 steps, refined by 1000 steps over the best step's neighbours. */
function gridMaximum(f: (x: number) => number, low: number, high: number): { best: number; bestX: number } {
  let best = -Infinity;
  let bestX = low;
  const scan = (from: number, to: number, steps: number) => {
    for (let i = 0; i <= steps; i++) {
      const x = from + ((to - from) * i) / steps;
      const value = f(x);
      if (value > best) {
        best = value;
        bestX = x;
      }
    }
  };
  scan(low, high, 1000);
  const step = (high - low) / 1000;
  scan(Math.max(low, bestX - 2 * step), Math.min(high, bestX + 2 * step), 1000);
  return { best, bestX };
}

/** Two channels with known (hand-set) adstock and Hill curves; 60 draws. */
function twoChannelPosterior(slopeA: number, spread: number, seed = 3): Posterior {
  const rng = createRng(seed, 'two-channel');
  const draws: Record<string, (number | number[])[]> = { alpha: [], k: [], s: [], m: [], tau0: [], sigma: [] };
  for (let d = 0; d < 60; d++) {
    draws.alpha.push([0.5 + 0.05 * spread * rng.normal(), 0.2]);
    draws.k.push([0.8 * Math.exp(0.2 * spread * rng.normal()), 1.5 * Math.exp(0.2 * spread * rng.normal())]);
    draws.s.push([slopeA, 1]);
    draws.m.push([Math.log(0.6) + 0.3 * spread * rng.normal(), Math.log(0.5) + 0.3 * spread * rng.normal()]);
    draws.tau0.push(1 + 0.05 * rng.normal());
    draws.sigma.push(0.1);
  }
  return posteriorFromDraws(draws);
}

describe('fixed budget on two channels vs a brute-force grid', () => {
  const T = 24;
  const design = designFromSpend(
    [[Array.from({ length: T }, (_, t) => 1000 + 400 * Math.sin(t / 2)), Array.from({ length: T }, (_, t) => 600 + 100 * (t % 4))]],
    { channels: ['a', 'b'] },
  );
  const cases: { label: string; slopeA: number; spread: number; objective: string; gradient: 'tensor' | 'host' }[] = [
    { label: 'concave, mean, tfjs gradients', slopeA: 1, spread: 1, objective: 'mean', gradient: 'tensor' },
    { label: 'concave, mean, host gradients', slopeA: 1, spread: 1, objective: 'mean', gradient: 'host' },
    { label: 'S-shaped, mean', slopeA: 2.5, spread: 1, objective: 'mean', gradient: 'tensor' },
    { label: 'concave, q10', slopeA: 1, spread: 2, objective: 'q10', gradient: 'tensor' },
    { label: 'concave, cvar', slopeA: 1, spread: 2, objective: 'cvar', gradient: 'tensor' },
    { label: 'concave, mean - sd', slopeA: 1, spread: 2, objective: 'meansd', gradient: 'tensor' },
    { label: 'S-shaped, q10', slopeA: 2.5, spread: 2, objective: 'q10', gradient: 'tensor' },
  ];
  const contexts: OptimizationContext[] = [];
  afterAll(() => contexts.forEach((c) => c.dispose()));

  for (const { label, slopeA, spread, objective, gradient } of cases) {
    it(`matches the grid optimum (${label})`, async () => {
      const context = await createOptimizationContext(design, SMALL_CONFIG, twoChannelPosterior(slopeA, spread), {
        periods: 8,
        objective: parseObjective(objective),
        gradient,
        bounds: { default: { lower: 0, upper: 20000 } },
      });
      contexts.push(context);
      const budget = planTotal(context.window.current);
      const solution = solveFixedBudget(context, budget);
      // Grid over x_a in [0, budget], x_b = budget - x_a: 1000 steps, then 1000 steps over the
      // best coarse cell and its neighbours (spacing 4e-6 of the budget).
      const value = (x: number) => objectiveValue(context.objective, context.optimizerHost.evaluate(Float64Array.of(x, budget - x)));
      const { best, bestX } = gridMaximum(value, 0, budget);
      // Never worse than the grid's best (beyond float64 rounding of a sum of ~1e4), and at the same
      // place within 1e-4 of the budget (objectives are flat at the optimum: a plan error of 1e-4
      // changes a smooth objective by ~1e-8 relative, near float32 gradient precision).
      expect(solution.value).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
      expect(Math.abs(solution.plan[0] - bestX) / budget).toBeLessThan(1e-4);
      expect(solution.plan[0] + solution.plan[1]).toBeCloseTo(budget, 8);
      // The grid's optimum is interior here, so the bounds are not what decides it.
      expect(bestX / budget).toBeGreaterThan(0.05);
      expect(bestX / budget).toBeLessThan(0.95);
    });
  }

  it('is not stopped early by a held channel with a far larger marginal return', async () => {
    const three = designFromSpend(
      [[Array.from({ length: T }, (_, t) => 1000 + 400 * Math.sin(t / 2)), Array.from({ length: T }, (_, t) => 600 + 100 * (t % 4)), Array.from({ length: T }, () => 50)]],
      { channels: ['a', 'b', 'held'] },
    );
    const base = twoChannelPosterior(1, 1);
    const draws = posteriorFromDraws({
      alpha: Array.from({ length: 60 }, (_, d) => [...Array.from(base.drawValues(0, d).alpha), 0.3]),
      k: Array.from({ length: 60 }, (_, d) => [...Array.from(base.drawValues(0, d).k), 1]),
      s: Array.from({ length: 60 }, () => [1, 1, 1]),
      m: Array.from({ length: 60 }, (_, d) => [...Array.from(base.drawValues(0, d).m), Math.log(500)]),
      tau0: Array.from({ length: 60 }, () => 1),
      sigma: Array.from({ length: 60 }, () => 0.1),
    });
    const context = await createOptimizationContext(three, SMALL_CONFIG, draws, { periods: 8, bounds: { default: { lower: 0, upper: 20000 }, channels: { held: 'fixed' } } });
    contexts.push(context);
    const budget = planTotal(context.window.current);
    const held = context.window.current[2];
    const solution = solveFixedBudget(context, budget);
    const marginal = context.optimizerHost.marginalReturns(solution.plan);
    const meanMarginal = (p: number) => marginal.filter((_, i) => i % 3 === p).reduce((a, b) => a + b, 0) / 60;
    expect(meanMarginal(2)).toBeGreaterThan(50 * meanMarginal(0));
    expect(solution.plan[2]).toBe(held);
    const value = (x: number) => objectiveValue(context.objective, context.optimizerHost.evaluate(Float64Array.of(x, budget - held - x, held)));
    const { best, bestX } = gridMaximum(value, 0, budget - held);
    expect(solution.value).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
    expect(Math.abs(solution.plan[0] - bestX) / budget).toBeLessThan(1e-4);
  });

  it('finds every per-draw optimum in one batch (grid per draw)', async () => {
    const context = await createOptimizationContext(design, SMALL_CONFIG, twoChannelPosterior(1, 2), { periods: 8, bounds: { default: { lower: 0, upper: 20000 } } });
    contexts.push(context);
    const budget = planTotal(context.window.current);
    const positions = Int32Array.from({ length: 12 }, (_, i) => i * 5);
    const data = subsetWindowDraws(context.allDraws, positions);
    const host = hostResponseModel(data);
    const model = hybridResponseModel(host, await tensorResponseModel(data));
    const D = model.drawCount;
    const start = new Float64Array(D * 2);
    for (let d = 0; d < D; d++) start.set(context.window.current, d * 2);
    const result = projectedGradientAscent(perDrawProblem(model), { lower: context.lower, upper: context.upper, budget }, start);
    model.dispose();
    const plans = new Float64Array(D * 2);
    for (let d = 0; d < D; d++) {
      const value = (x: number) => {
        for (let e = 0; e < D; e++) plans.set([x, budget - x], e * 2);
        return host.evaluate(plans)[d];
      };
      const { best, bestX } = gridMaximum(value, 0, budget);
      expect(result.value[d]).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
      expect(Math.abs(result.x[d * 2] - bestX) / budget).toBeLessThan(1e-4);
    }
  });
});
