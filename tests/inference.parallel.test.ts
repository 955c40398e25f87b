/**
 * Chains split over worker threads (src/inference/parallel.ts): the chain groups, the merge, and
 * the property that matters: on the host path the draws of a fit with 2 workers are bit-identical
 * to the same fit in one thread (chain k draws from RNG stream 'chain:k' wherever it runs, and
 * adaptation is per chain or pooled from the merged chains), under every warmup strategy. A model source that cannot be loaded fails with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { fitMmm } from '../src/mmm/fit.js';
import { chainGroups, sampleParallel, workerCount } from '../src/inference/index.js';

describe('parallel chains', () => {
  it('splits chains into contiguous groups, at most one worker per chain', () => {
    expect(chainGroups(4, 2)).toEqual([{ offset: 0, count: 2 }, { offset: 2, count: 2 }]);
    expect(chainGroups(5, 2)).toEqual([{ offset: 0, count: 3 }, { offset: 3, count: 2 }]);
    expect(chainGroups(2, 2)).toEqual([{ offset: 0, count: 1 }, { offset: 1, count: 1 }]);
    expect(workerCount(3, 8)).toBe(3);
    expect(workerCount(1)).toBe(1);
    expect(() => workerCount(4, 0)).toThrow(/workers must be an integer >= 1/);
  });

  it('a fit with 2 workers gives the same draws, step sizes and sampler statistics as one thread', async () => {
    const settings = { chains: 3, warmup: 40, draws: 30, seed: 5, progress: false, verbose: false } as const;
    const one = await fitMmm('examples/national.csv', 'examples/national.config.json', { ...settings, workers: 1 });
    const progress: number[] = [];
    const gradients: number[] = [];
    const two = await fitMmm('examples/national.csv', 'examples/national.config.json', {
      ...settings,
      workers: 2,
      onProgress: (p) => {
        progress.push(p.completed);
        gradients.push(p.gradients);
      },
    });
    const a = one.result.samples;
    const b = two.result.samples;
    expect(b.chains).toBe(3);
    for (let c = 0; c < 3; c++) {
      expect(Array.from(b.draws[c])).toEqual(Array.from(a.draws[c]));
      expect(Array.from(b.stats[c].treeDepth)).toEqual(Array.from(a.stats[c].treeDepth));
    }
    expect(Array.from(b.warmup.stepSize)).toEqual(Array.from(a.warmup.stepSize));
    expect(b.gradientEvaluations).toBe(a.gradientEvaluations);
    expect(two.result.summary).toEqual(one.result.summary);
    // Progress arrives from both workers and ends at the total.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(3 * 70);
    // Gradients summed over the workers' chains: never decreasing, ending at the run's leapfrog steps
    // (at least the kept draws' own, at most every gradient evaluated, step-size searches included).
    expect(gradients.every((g, i) => i === 0 || g >= gradients[i - 1])).toBe(true);
    const sampled = b.stats.reduce((n, stats) => n + Array.from(stats.nLeapfrog).reduce((x, y) => x + y, 0), 0);
    expect(gradients.at(-1)!).toBeGreaterThan(sampled);
    expect(gradients.at(-1)!).toBeLessThanOrEqual(b.gradientEvaluations);
  });

  it('the staged dense warmup gives the same draws with 2 workers as in one thread (pooled estimate from merged chains)', async () => {
    const settings = { chains: 2, warmup: 100, draws: 20, seed: 9, metric: 'dense', warmupPlan: 'staged', progress: false, verbose: false } as const;
    const one = await fitMmm('examples/national.csv', 'examples/national.config.json', { ...settings, workers: 1 });
    const two = await fitMmm('examples/national.csv', 'examples/national.config.json', { ...settings, workers: 2 });
    const a = one.result.samples;
    const b = two.result.samples;
    for (let c = 0; c < 2; c++) expect(Array.from(b.draws[c])).toEqual(Array.from(a.draws[c]));
    expect(Array.from(b.warmup.inverseMetric[1])).toEqual(Array.from(a.warmup.inverseMetric[1]));
    expect(b.warmup.inverseMetric[0]).toHaveLength(a.dim * a.dim);
    expect(b.gradientEvaluations).toBe(a.gradientEvaluations);
  });

  it("nutpie's warmup gives the same draws with 2 workers as in one thread: per chain (diag), and pooled (lowRank, whose stage runs in one worker)", async () => {
    for (const metric of ['diag', 'lowRank'] as const) {
      const settings = { chains: 2, warmup: 60, draws: 20, seed: 10, warmupPlan: 'nutpie', metric, progress: false, verbose: false } as const;
      const one = await fitMmm('examples/national.csv', 'examples/national.config.json', { ...settings, workers: 1 });
      const two = await fitMmm('examples/national.csv', 'examples/national.config.json', { ...settings, workers: 2 });
      const a = one.result.samples;
      const b = two.result.samples;
      expect(b.metric).toBe(metric);
      for (let c = 0; c < 2; c++) expect(Array.from(b.draws[c]), `${metric} chain ${c}`).toEqual(Array.from(a.draws[c]));
      expect(Array.from(b.warmup.stepSize)).toEqual(Array.from(a.warmup.stepSize));
      expect(b.gradientEvaluations).toBe(a.gradientEvaluations);
    }
  });

  it('reports a model source that cannot be loaded', async () => {
    const source = { module: new URL('../models/mmm/workerModel.ts', import.meta.url).href, exportName: 'noSuchFactory', args: {} };
    await expect(sampleParallel(source, { chains: 2, warmup: 1, draws: 1, seed: 1 }, { workers: 2 })).rejects.toThrow(/no exported function "noSuchFactory"/);
  });
});
