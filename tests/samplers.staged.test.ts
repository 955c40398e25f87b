/**
 * The staged dense warmup (samplers/staged.ts, a plan run by samplers/plan.ts) and its covariance estimator
 * (samplers/adaptation/shrinkageCovariance.ts): the estimator against a brute-force computation of
 * Schafer & Strimmer's formula, positive definite with fewer draws than dimensions; the plan on a
 * strongly correlated 12-d Gaussian: it learns the covariance, samples it correctly, reports the work
 * of all stages, and is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { sample } from '../samplers/sample.js';
import { cholesky } from '../src/linalg/index.js';
import { shrinkageCovariance } from '../samplers/adaptation/shrinkageCovariance.js';
import { pooledChainCovariance } from '../samplers/adaptation/pooledCovariance.js';
import { stagedWarmupLengths } from '../samplers/staged.js';
import { createRng } from '../src/tensor/rng.js';
import { batchMeansMcse, multivariateNormalTarget } from './support/targets.js';

function randomDraws(n: number, dim: number, seed: number): Float64Array[] {
  const rng = createRng(seed, 'draws');
  return Array.from({ length: n }, () => {
    const shared = rng.normal();
    return Float64Array.from({ length: dim }, (_, i) => (i + 1) * (0.8 * shared + 0.6 * rng.normal()));
  });
}

describe('shrinkageCovariance (Schafer & Strimmer 2005, target D)', () => {
  it('matches the formula computed term by term', () => {
    const dim = 4;
    const draws = randomDraws(30, dim, 1);
    const n = draws.length;
    const mean = Array.from({ length: dim }, (_, i) => draws.reduce((s, x) => s + x[i], 0) / n);
    const sd = Array.from({ length: dim }, (_, i) => Math.sqrt(draws.reduce((s, x) => s + (x[i] - mean[i]) ** 2, 0) / (n - 1)));
    const z = draws.map((x) => Array.from(x, (v, i) => (v - mean[i]) / sd[i]));
    let varSum = 0;
    let sqSum = 0;
    const r: number[][] = [];
    for (let i = 0; i < dim; i++) {
      r.push([]);
      for (let j = 0; j < dim; j++) {
        const w = z.map((zk) => zk[i] * zk[j]);
        const wBar = w.reduce((a, b) => a + b, 0) / n;
        r[i][j] = (n / (n - 1)) * wBar;
        if (i !== j) {
          varSum += (n / (n - 1) ** 3) * w.reduce((s, v) => s + (v - wBar) ** 2, 0);
          sqSum += r[i][j] ** 2;
        }
      }
    }
    const lambda = Math.min(1, Math.max(0, varSum / sqSum));
    const result = shrinkageCovariance(draws, dim);
    expect(result.lambda).toBeCloseTo(lambda, 12);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        const expected = i === j ? sd[i] ** 2 : (1 - lambda) * r[i][j] * sd[i] * sd[j];
        expect(result.covariance[i * dim + j]).toBeCloseTo(expected, 10);
      }
    }
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThan(0.2);
  });

  it('is positive definite from fewer draws than dimensions, and rejects a coordinate that never moved', () => {
    const dim = 40;
    const draws = randomDraws(20, dim, 2);
    const result = shrinkageCovariance(draws, dim);
    expect(result.lambda).toBeGreaterThan(0);
    expect(() => cholesky(result.covariance, dim)).not.toThrow();
    const stuck = draws.map((x) => Float64Array.from(x, (v, i) => (i === 3 ? 1 : v)));
    expect(() => shrinkageCovariance(stuck, dim)).toThrow(/coordinate 3 has variance 0/);
  });
});

describe('pooledChainCovariance', () => {
  it('centres each chain on its own mean: chains far apart do not inflate the estimate', () => {
    const dim = 3;
    const a = randomDraws(40, dim, 3);
    const b = randomDraws(40, dim, 4).map((x) => Float64Array.from(x, (v) => v + 100));
    const pooled = pooledChainCovariance([a, b], dim);
    expect(pooled.estimator).toBe('plain');
    expect(pooled.count).toBe(80);
    // By hand: within-chain sums of squares over n - chains degrees of freedom.
    const ss = (draws: Float64Array[], i: number, j: number) => {
      const mi = draws.reduce((s, x) => s + x[i], 0) / draws.length;
      const mj = draws.reduce((s, x) => s + x[j], 0) / draws.length;
      return draws.reduce((s, x) => s + (x[i] - mi) * (x[j] - mj), 0);
    };
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        const within = (ss(a, i, j) + ss(b, i, j)) / 78;
        expect(pooled.covariance[i * dim + j]).toBeCloseTo(within, 10);
      }
    }
    // Variances of coordinate i are about (i+1)^2; the 100 offset would have added 2500.
    expect(pooled.covariance[0]).toBeLessThan(3);
  });

  it('uses the shrinkage estimate when there are fewer than 2 x dim draws', () => {
    const dim = 30;
    const pooled = pooledChainCovariance([randomDraws(20, dim, 5), randomDraws(20, dim, 6)], dim);
    expect(pooled.estimator).toBe('shrinkage');
    expect(() => cholesky(pooled.covariance, dim)).not.toThrow();
  });
});

describe('staged dense warmup', () => {
  it('splits the warmup 50% / 30% / 20% and refuses a warmup too short to split', () => {
    expect(stagedWarmupLengths(500)).toEqual({ diag: 250, dense: 150, final: 100 });
    expect(stagedWarmupLengths(101)).toEqual({ diag: 50, dense: 30, final: 21 });
    expect(() => stagedWarmupLengths(99)).toThrow(/warmup >= 100/);
  });

  it('takes explicit stage lengths that add up to the warmup', () => {
    expect(stagedWarmupLengths(700, { diag: 200, dense: 300, final: 200 })).toEqual({ diag: 200, dense: 300, final: 200 });
    expect(() => stagedWarmupLengths(700, { diag: 200, dense: 300, final: 100 })).toThrow(/200 \+ 300 \+ 100 = 600 must add up to warmup = 700/);
    expect(() => stagedWarmupLengths(700, { diag: 10, dense: 490, final: 200 })).toThrow(/stage "diag" needs an integer >= 20/);
    expect(stagedWarmupLengths(700, { diag: 200, dense: [100, 200], final: 200 })).toEqual({ diag: 200, dense: [100, 200], final: 200 });
    expect(() => stagedWarmupLengths(700, { diag: 200, dense: [100, 10], final: 200 })).toThrow(/stage "dense\[1\]" needs an integer >= 20/);
    expect(() => stagedWarmupLengths(700, { diag: 200, dense: [], final: 200 })).toThrow(/at least one dense window/);
  });

  it('takes no metric, no pooling and no static HMC: the types rule them out, and untyped callers get an error naming the option', () => {
    const { target } = correlated(3);
    const run = { chains: 2, warmup: 200, draws: 10, seed: 1 } as const;
    // @ts-expect-error the staged plan always adapts a dense metric
    expect(() => sample(target, { ...run, adaptation: { kind: 'staged', metric: 'diag' } })).toThrow(
      /adaptation\.metric is not an option of adaptation kind 'staged' \(the staged warmup always adapts a dense metric\)/,
    );
    // @ts-expect-error the staged plan pools the chains for its dense estimates already
    expect(() => sample(target, { ...run, adaptation: { kind: 'staged', pooled: true } })).toThrow(/already pools the chains/);
    // @ts-expect-error the staged plan learns its own metric
    expect(() => sample(target, { ...run, adaptation: { kind: 'staged', initialInverseMetric: new Float64Array(3) } })).toThrow(/learns its own metric/);
    // @ts-expect-error the staged plan is implemented for NUTS
    expect(() => sample(target, { ...run, kernel: { algorithm: 'hmc', steps: 5 }, adaptation: { kind: 'staged' } })).toThrow(/implemented for NUTS/);
  });

  // 12-d Gaussian, scales 0.1 .. 10, every pair correlated 0.95 (condition number ~1e5): a diagonal
  // metric needs long trajectories; the learned dense metric makes it nearly isotropic.
  const dim = 12;
  const { target, covariance } = correlated(dim);
  const options = { chains: 4, warmup: 400, draws: 500, seed: 11, adaptation: { kind: 'staged' } } as const;
  const result = sample(target, options);

  it('learns the covariance: the final metric is within 25% of the truth on the diagonal and in the correlations', () => {
    const learned = result.warmup.inverseMetric[0];
    expect(learned).toHaveLength(dim * dim);
    for (let i = 0; i < dim; i++) {
      // 4 chains x 120 stage-2 draws, ESS ~ 400: a variance has relative SE ~ sqrt(2/400) = 7%;
      // 25% is over 3 SE.
      expect(learned[i * dim + i] / covariance[i * dim + i]).toBeGreaterThan(0.75);
      expect(learned[i * dim + i] / covariance[i * dim + i]).toBeLessThan(1.25);
      for (let j = 0; j < i; j++) {
        const rho = learned[i * dim + j] / Math.sqrt(learned[i * dim + i] * learned[j * dim + j]);
        expect(Math.abs(rho - 0.95)).toBeLessThan(0.05);
      }
    }
    // With the metric learned, trajectories are short (a diagonal metric needs depth 7-8 here).
    const depths = result.stats.flatMap((s) => Array.from(s.treeDepth));
    expect(depths.reduce((a, b) => a + b, 0) / depths.length).toBeLessThan(4);
  });

  it('samples the target: means within 5 MCSE of 0 and variances within 5 MCSE', () => {
    expect(result.numDraws).toBe(500);
    for (let i = 0; i < dim; i++) {
      let meanSum = 0;
      let meanVar = 0;
      let sqSum = 0;
      let sqVar = 0;
      for (const draws of result.draws) {
        const x = Float64Array.from({ length: 500 }, (_, t) => draws[t * dim + i]);
        const squares = x.map((v) => v * v);
        meanSum += x.reduce((a, b) => a + b, 0) / 500;
        sqSum += squares.reduce((a, b) => a + b, 0) / 500;
        meanVar += batchMeansMcse(x, 25) ** 2;
        sqVar += batchMeansMcse(squares, 25) ** 2;
      }
      // Five MCSE (batch means of 25 draws, 4 chains): a correct sampler fails one of these 24
      // checks with probability < 1e-4.
      expect(Math.abs(meanSum / 4)).toBeLessThan((5 * Math.sqrt(meanVar)) / 4);
      expect(Math.abs(sqSum / 4 - covariance[i * dim + i])).toBeLessThan((5 * Math.sqrt(sqVar)) / 4);
    }
  });

  it('counts the work of every stage and is reproducible bit for bit', () => {
    const plain = sample(target, { chains: 4, warmup: 0, draws: 0, seed: 11 });
    expect(result.gradientEvaluations).toBeGreaterThan(plain.gradientEvaluations);
    const progress: number[] = [];
    const gradients: number[] = [];
    const again = sample(target, { ...options, saveWarmup: true, onProgress: (p) => {
      progress.push(p.completed);
      gradients.push(p.gradients);
    } });
    expect(Array.from(again.draws[2])).toEqual(Array.from(result.draws[2]));
    expect(again.gradientEvaluations).toBe(result.gradientEvaluations);
    // Warmup draws of all three stages, progress over the whole run.
    expect(again.warmup.draws![0]).toHaveLength(400 * dim);
    expect(again.warmup.stats![0].treeDepth).toHaveLength(400);
    expect(progress[progress.length - 1]).toBe(4 * 900);
    expect(progress.every((value, i) => i === 0 || value > progress[i - 1])).toBe(true);
    // Gradients continue across the stages (each stage's count starts after the previous stages' gradients).
    expect(gradients.every((value, i) => i === 0 || value >= gradients[i - 1])).toBe(true);
    const leapfrog = (c: number) => [...again.warmup.stats![c].nLeapfrog, ...again.stats[c].nLeapfrog].reduce((a, b) => a + b, 0);
    expect(gradients.at(-1)!).toBeGreaterThanOrEqual([0, 1, 2, 3].reduce((n, c) => n + leapfrog(c), 0));
    expect(gradients.at(-1)!).toBeLessThanOrEqual(again.gradientEvaluations);
    // The per-stage record: 200 / 120 / 80 iterations, gradients summing to the total.
    const stages = again.warmup.stages!;
    expect(stages.map((s) => [s.stage, s.iterations])).toEqual([['diag', 200], ['dense', 120], ['final', 80]]);
    expect(stages.reduce((n, s) => n + s.gradientEvaluations, 0)).toBe(again.gradientEvaluations);
    expect(stages.every((s) => s.stepSize > 0 && s.divergences >= 0)).toBe(true);
  });

  it('caps the tree depth of stage 1 only when asked, with explicit stage lengths', () => {
    const capped = sample(target, {
      ...options,
      saveWarmup: true,
      adaptation: { kind: 'staged', lengths: { diag: 150, dense: 150, final: 100 }, diagMaxTreeDepth: 3 },
    });
    const depths = capped.warmup.stats![0].treeDepth;
    expect(Math.max(...Array.from(depths.subarray(0, 150)))).toBeLessThanOrEqual(3);
    // Unconstrained: the diagonal stage of this target runs deeper than 3 (see the depth note above).
    expect(Math.max(...Array.from(defaultRunWithWarmup().warmup.stats![0].treeDepth.subarray(0, 200)))).toBeGreaterThan(3);
    expect(capped.warmup.stages!.map((s) => s.iterations)).toEqual([150, 150, 100]);
    expect(capped.numDraws).toBe(500);
    expect(() => sample(target, { ...options, adaptation: { kind: 'staged', lengths: { diag: 150, dense: 150, final: 50 } } })).toThrow(/must add up to warmup = 400/);
  });

  it('takes a stage-1-only target acceptance: a lower one gives stage 1 a larger step size and leaves the later stages their own', () => {
    const strict = { ...options, adaptation: { kind: 'staged', targetAcceptance: 0.95, lengths: { diag: 150, dense: 150, final: 100 } } } as const;
    const base = sample(target, strict);
    const relaxed = sample(target, { ...strict, adaptation: { ...strict.adaptation, diagTargetAcceptance: 0.6 } });
    const [baseDiag, relaxedDiag] = [base.warmup.stages![0], relaxed.warmup.stages![0]];
    // Dual averaging to a lower acceptance target settles on a larger step (a deterministic run: same seed).
    expect(relaxedDiag.stepSize).toBeGreaterThan(1.2 * baseDiag.stepSize);
    // The dense and final stages adapt to the run's 0.95 again: their step sizes end within 30% of the strict run's.
    for (const k of [1, 2]) expect(Math.abs(Math.log(relaxed.warmup.stages![k].stepSize / base.warmup.stages![k].stepSize))).toBeLessThan(Math.log(1.3));
    expect(() => sample(target, { ...strict, adaptation: { ...strict.adaptation, diagTargetAcceptance: 1 } })).toThrow(
      /adaptation\.diagTargetAcceptance must be in \(0, 1\), got 1/,
    );
  });

  it('runs several dense windows, each with the metric of the previous one, and still samples the target', () => {
    const windowed = sample(target, { ...options, saveWarmup: true, adaptation: { kind: 'staged', lengths: { diag: 150, dense: [60, 90], final: 100 } } });
    expect(windowed.warmup.stages!.map((s) => [s.stage, s.iterations])).toEqual([['diag', 150], ['dense', 60], ['dense', 90], ['final', 100]]);
    expect(windowed.warmup.draws![1]).toHaveLength(400 * dim);
    expect(windowed.warmup.stages!.reduce((n, s) => n + s.gradientEvaluations, 0)).toBe(windowed.gradientEvaluations);
    // The learned metric: variances within 25% of the truth (as above: over 3 SE).
    const learned = windowed.warmup.inverseMetric[0];
    for (let i = 0; i < dim; i++) {
      expect(learned[i * dim + i] / covariance[i * dim + i]).toBeGreaterThan(0.75);
      expect(learned[i * dim + i] / covariance[i * dim + i]).toBeLessThan(1.25);
    }
  });
});

let savedRun: ReturnType<typeof sample> | undefined;
/** The default staged run of the block above with warmup saved (computed once). */
function defaultRunWithWarmup(): ReturnType<typeof sample> {
  const { target } = correlated(12);
  savedRun ??= sample(target, { chains: 4, warmup: 400, draws: 500, seed: 11, adaptation: { kind: 'staged' }, saveWarmup: true });
  return savedRun;
}

function correlated(dim: number): { target: ReturnType<typeof multivariateNormalTarget>; covariance: number[] } {
  const scales = Array.from({ length: dim }, (_, i) => 0.1 * Math.pow(100, i / Math.max(1, dim - 1)));
  const covariance: number[] = [];
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) covariance.push((i === j ? 1 : 0.95) * scales[i] * scales[j]);
  return { target: multivariateNormalTarget(covariance), covariance };
}
