/**
 * Two-channel trade-off rows (src/optimize/tradeoff.ts) on stored-style draws (no sampling): the
 * geo example's true parameters with seeded perturbations, and hand-made two-channel posteriors
 * whose best split is known from symmetry (equal channels: 50/50) or from the sign of the
 * difference in returns (a stronger channel gets more). Checked: the current split is the current
 * plan (uplift 0 in every draw, P(beats current) 0), every split keeps the pair's total and the
 * other channels, each row is what a scenario of that plan says on the same draws, the bounds
 * limit the splits, and bad input fails with a clear error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import type { Posterior } from '../src/ppl/index.js';
import { createRng } from '../src/tensor/index.js';
import { evaluateScenario, formatTradeoff, parseObjective, planningWindow, tradeoffJson, twoChannelTradeoff, type TradeoffResult } from '../src/optimize/index.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { designFromSpend, posteriorFromDraws, SMALL_CONFIG } from './fixtures/optimize/smallModels.js';

let design: MmmDesign;
let posterior: Posterior;

beforeAll(async () => {
  design = await loadGeoDesign();
  posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 20, 0.1, 7);
});

/**
 * Two channels with the same spend pattern (so the same response shape per currency unit) and
 * media coefficients exp(mA), exp(mB) per draw; `noise` adds seeded N(0, noise^2) to both logs.
 */
function pairModel(mA: number, mB: number, noise = 0, D = 100, seed = 11): { design: MmmDesign; posterior: Posterior } {
  const T = 30;
  const pattern = Array.from({ length: T }, (_, t) => 1000 + 300 * Math.sin(t / 3));
  const pairDesign = designFromSpend([[pattern, pattern, pattern.map((x) => 0.5 * x)]], { channels: ['strong', 'weak', 'other'] });
  const rng = createRng(seed, 'tradeoff-pair');
  const draws = { alpha: [] as number[][], k: [] as number[][], s: [] as number[][], m: [] as number[][], tau0: [] as number[], sigma: [] as number[] };
  for (let d = 0; d < D; d++) {
    draws.alpha.push([0.4, 0.4, 0.4]);
    draws.k.push([1, 1, 1]);
    draws.s.push([1, 1, 1]);
    draws.m.push([mA + noise * rng.normal(), mB + noise * rng.normal(), Math.log(0.3)]);
    draws.tau0.push(1);
    draws.sigma.push(0.1);
  }
  return { design: pairDesign, posterior: posteriorFromDraws(draws) };
}

describe('trade-off rows on the geo example', () => {
  let result: TradeoffResult;
  const periods = 13;

  beforeAll(() => {
    result = twoChannelTradeoff(design, DEFAULT_MODEL_CONFIG, posterior, ['tv', 'search'], { periods, points: 21 });
  });

  it('spans every split of the current tv + search total, sorted, with the current split marked once', () => {
    const window = planningWindow(design, { periods });
    const [tv, search] = [window.current[0], window.current[1]];
    expect(result.total).toBe(tv + search);
    expect(result.currentShare).toBe(tv / (tv + search));
    expect(result.shareRange).toEqual({ lower: 0, upper: 1 });
    expect(result.bounded).toBe(false);
    expect(result.draws).toBe(40);
    expect(result.window).toEqual({ level: 'channel', periods: 13, from: '2024-04-01', to: '2024-06-24' });
    const grid = result.rows.filter((r) => !r.isCurrent && !(r.isOptimum && result.optimum.refined));
    expect(grid).toHaveLength(21);
    grid.forEach((r, i) => expect(r.share).toBeCloseTo(i / 20, 12));
    for (let i = 1; i < result.rows.length; i++) expect(result.rows[i].share).toBeGreaterThan(result.rows[i - 1].share);
    for (const r of result.rows) {
      // shares sum right: A + B is the pair's total, A's share is A / total (relative 1e-12: float64 rounding)
      expect(Math.abs(r.spendA + r.spendB - result.total)).toBeLessThanOrEqual(1e-12 * result.total);
      expect(Math.abs(r.spendA / result.total - r.share)).toBeLessThanOrEqual(1e-12);
      expect(r.kpiQ05).toBeLessThanOrEqual(r.kpiMean);
      expect(r.kpiMean).toBeLessThanOrEqual(r.kpiQ95);
      expect(r.upliftQ05).toBeLessThanOrEqual(r.upliftQ95);
      expect(r.withinBounds).toBe(true);
    }
    const current = result.rows.filter((r) => r.isCurrent);
    expect(current).toHaveLength(1);
    expect(current[0].spendA).toBe(tv);
    expect(current[0].spendB).toBe(search);
  });

  it('the current split is the current plan: its KPI, uplift 0 in every draw, P(beats current) 0', () => {
    const current = result.rows.find((r) => r.isCurrent)!;
    const window = planningWindow(design, { periods });
    const scenario = evaluateScenario(design, DEFAULT_MODEL_CONFIG, posterior, window.current, { periods });
    // the same response model on the same draws: equal to rounding of the summation order
    expect(current.kpiMean).toBeCloseTo(scenario.kpi.current.mean, 6);
    expect(current.kpiQ05).toBeCloseTo(scenario.kpi.current.q05, 6);
    expect([current.upliftMean, current.upliftQ05, current.upliftQ95]).toEqual([0, 0, 0]);
    expect(current.pBeatsCurrent).toBe(0);
  });

  it('each split is the scenario of that plan on the same paired draws (other channels at the current plan)', () => {
    const window = planningWindow(design, { periods });
    for (const r of [result.rows[0], result.rows[7], result.rows[result.rows.length - 1]]) {
      const plan = Float64Array.from([r.spendA, r.spendB, window.current[2]]);
      const scenario = evaluateScenario(design, DEFAULT_MODEL_CONFIG, posterior, plan, { periods });
      expect(r.kpiMean).toBeCloseTo(scenario.kpi.plan.mean, 6);
      expect(r.upliftMean).toBeCloseTo(scenario.uplift.mean, 6);
      expect(r.upliftQ05).toBeCloseTo(scenario.uplift.q05, 6);
      expect(r.upliftQ95).toBeCloseTo(scenario.uplift.q95, 6);
      expect(r.pBeatsCurrent).toBe(scenario.probabilityBeatsCurrent);
    }
  });

  it('the optimum is the best posterior mean over the rows, at least as good as the current split', () => {
    const optimum = result.rows.filter((r) => r.isOptimum);
    expect(optimum).toHaveLength(1);
    // the objective (mean) and the summary's mean add the draws in another order: relative 1e-12
    for (const r of result.rows) expect(optimum[0].objective).toBeGreaterThanOrEqual(r.objective);
    expect(Math.abs(optimum[0].objective - optimum[0].kpiMean)).toBeLessThanOrEqual(1e-12 * optimum[0].kpiMean);
    expect(optimum[0].upliftMean).toBeGreaterThanOrEqual(0);
    expect(result.optimum.share).toBe(optimum[0].share);
    expect(formatTradeoff(result)).toMatch(/^Trade-off tv vs search over 13 periods \(2024-04-01 \.\. 2024-06-24\)/);
    const json = JSON.parse(JSON.stringify(tradeoffJson(result)));
    expect(json.rows).toHaveLength(result.rows.length);
    expect(json.channels).toEqual(['tv', 'search']);
  });

  it('respects the optimizer bounds: +/-30% by default when bounds are given, a point when one channel is fixed', () => {
    const window = planningWindow(design, { periods });
    const [tv, search] = [window.current[0], window.current[1]];
    const total = tv + search;
    const bounded = twoChannelTradeoff(design, DEFAULT_MODEL_CONFIG, posterior, ['tv', 'search'], { periods, points: 11, bounds: {} });
    expect(bounded.bounded).toBe(true);
    expect(bounded.shareRange.lower).toBeCloseTo(Math.max(0.7 * tv, total - 1.3 * search) / total, 12);
    expect(bounded.shareRange.upper).toBeCloseTo(Math.min(1.3 * tv, total - 0.7 * search) / total, 12);
    for (const r of bounded.rows) {
      expect(r.spendA).toBeGreaterThanOrEqual(0.7 * tv * (1 - 1e-12));
      expect(r.spendA).toBeLessThanOrEqual(1.3 * tv * (1 + 1e-12));
      expect(r.spendB).toBeGreaterThanOrEqual(0.7 * search * (1 - 1e-12));
      expect(r.spendB).toBeLessThanOrEqual(1.3 * search * (1 + 1e-12));
    }
    const fixed = twoChannelTradeoff(design, DEFAULT_MODEL_CONFIG, posterior, ['tv', 'search'], { periods, bounds: { channels: { search: 'fixed' } } });
    expect(fixed.rows).toHaveLength(1);
    expect(fixed.rows[0].isCurrent && fixed.rows[0].isOptimum).toBe(true);
    // geo-level bounds: each channel's range is the sum of its geo entries' bounds
    const geo = twoChannelTradeoff(design, DEFAULT_MODEL_CONFIG, posterior, ['tv', 'search'], { periods, points: 5, level: 'geo', bounds: { geos: { north: { tv: 'fixed' } } } });
    expect(geo.shareRange.lower).toBeGreaterThan(0);
    expect(geo.shareRange.upper).toBeLessThan(1);
  });

  it('rejects unknown, repeated or missing channels and bounds that allow no split', () => {
    const run = (channels: string[], options = {}) => () => twoChannelTradeoff(design, DEFAULT_MODEL_CONFIG, posterior, channels, { periods, ...options });
    expect(run(['tv', 'radio'])).toThrow(/unknown channel "radio"; the run's channels are tv, search, social/);
    expect(run(['tv', 'tv'])).toThrow(/channel "tv" is named twice/);
    expect(run(['tv'])).toThrow(/needs exactly two channels, got 1/);
    expect(run(['tv', 'search', 'social'])).toThrow(/needs exactly two channels, got 3/);
    expect(run(['tv', 'search'], { points: 1 })).toThrow(/points must be an integer >= 2/);
    expect(run(['tv', 'search'], { bounds: { channels: { tv: { lower: '+50%', upper: '+60%' }, search: 'fixed' } } })).toThrow(/allow no split of their current total/);
  });
});

describe('trade-off optimum on two channels of known ordering', () => {
  it('equal channels: the optimum is the even split (symmetry; the response is concave with Hill slope 1)', () => {
    const { design: pair, posterior: draws } = pairModel(Math.log(0.5), Math.log(0.5));
    const result = twoChannelTradeoff(pair, SMALL_CONFIG, draws, ['strong', 'weak'], { points: 21 });
    expect(result.currentShare).toBe(0.5);
    // golden-section search stops at a bracket of 1e-7; the grid already holds 0.5 exactly
    expect(Math.abs(result.optimum.share - 0.5)).toBeLessThan(1e-6);
    const byShare = (s: number) => result.rows.find((r) => Math.abs(r.share - s) < 1e-12)!;
    // symmetric in s <-> 1 - s (same draws, same shapes): to rounding
    for (const s of [0, 0.2, 0.35]) expect(byShare(s).kpiMean).toBeCloseTo(byShare(1 - s).kpiMean, 6);
  });

  it('a channel with four times the coefficient gets more of the pair, and beats the current split in most draws', () => {
    // fixed seed 11, 100 draws with log-coefficient noise sd 0.2: the coefficients' ratio is
    // 4 exp(N(0, 0.08)), below 2 with probability 0.7%, so nearly every draw gains from moving
    // spend to the strong channel; 0.95 leaves room for those few draws
    const { design: pair, posterior: draws } = pairModel(Math.log(1), Math.log(0.25), 0.2);
    const result = twoChannelTradeoff(pair, SMALL_CONFIG, draws, ['strong', 'weak'], { points: 41 });
    expect(result.optimum.share).toBeGreaterThan(0.6);
    const optimum = result.rows.find((r) => r.isOptimum)!;
    expect(optimum.upliftMean).toBeGreaterThan(0);
    expect(optimum.pBeatsCurrent).toBeGreaterThanOrEqual(0.95);
    // the pair's mean KPI rises toward the optimum and falls past it (concave slice)
    const means = result.rows.map((r) => r.kpiMean);
    const top = means.indexOf(Math.max(...means));
    for (let i = 1; i <= top; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    for (let i = top + 1; i < means.length; i++) expect(means[i]).toBeLessThanOrEqual(means[i - 1]);
    // the same pair named the other way round: the mirror image
    const mirrored = twoChannelTradeoff(pair, SMALL_CONFIG, draws, ['weak', 'strong'], { points: 41 });
    expect(mirrored.optimum.share).toBeCloseTo(1 - result.optimum.share, 5);
  });

  it('a risk-averse objective is what the optimum maximizes', () => {
    const { design: pair, posterior: draws } = pairModel(Math.log(0.5), Math.log(0.5), 0.3, 200, 3);
    const q10 = parseObjective('q10');
    const result = twoChannelTradeoff(pair, SMALL_CONFIG, draws, ['strong', 'weak'], { points: 21, objective: q10 });
    expect(result.objectiveDescription).toBe('10% quantile of the KPI');
    const optimum = result.rows.find((r) => r.isOptimum)!;
    for (const r of result.rows) expect(optimum.objective).toBeGreaterThanOrEqual(r.objective);
    expect(result.rows.some((r) => r.objective !== r.kpiMean)).toBe(true);
  });
});
