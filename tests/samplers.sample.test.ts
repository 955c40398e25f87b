import { describe, expect, it } from 'vitest';
import { formatProgress, progressBar } from '../samplers/progress.js';
import { sample } from '../samplers/sample.js';
import type { SampleProgress } from '../samplers/types.js';
import { funnelTarget, gaussianTarget, restrictedTarget } from './support/targets.js';

describe('sample() determinism and chain independence', () => {
  const target = gaussianTarget([1, 2, 0.5]);
  const options = { chains: 3, warmup: 150, draws: 100, seed: 99 } as const;

  it('gives bit-identical draws for the same seed, different draws for another seed', () => {
    const a = sample(target, options);
    const b = sample(target, options);
    const c = sample(target, { ...options, seed: 100 });
    for (let k = 0; k < 3; k++) {
      expect(Array.from(a.draws[k])).toEqual(Array.from(b.draws[k]));
      expect(Array.from(a.stats[k].energy)).toEqual(Array.from(b.stats[k].energy));
      expect(a.warmup.stepSize[k]).toBe(b.warmup.stepSize[k]);
    }
    expect(Array.from(a.draws[0])).not.toEqual(Array.from(c.draws[0]));
    expect(a.gradientEvaluations).toBe(b.gradientEvaluations);
  });

  it("a chain's draws do not depend on how many chains run beside it", () => {
    const all = sample(target, options);
    const alone = sample(target, { ...options, chains: 1, chainOffset: 2 });
    expect(Array.from(alone.draws[0])).toEqual(Array.from(all.draws[2]));
    expect(Array.from(alone.stats[0].treeDepth)).toEqual(Array.from(all.stats[2].treeDepth));
  });

  it('batches every active chain into one evaluate call and drops finished chains', () => {
    const recording = gaussianTarget([1, 2, 0.5]);
    const result = sample(recording, options);
    expect(recording.batchSizes.length).toBe(result.evaluateCalls);
    expect(recording.batchSizes.reduce((a, b) => a + b, 0)).toBe(result.gradientEvaluations);
    expect(Math.max(...recording.batchSizes)).toBe(3);
    expect(recording.batchSizes.at(-1)).toBeLessThanOrEqual(3);
    // The total number of calls is at most the largest per-chain gradient count (plus none extra).
    const perChain = result.stats.map((s) => s.nLeapfrog.reduce((a, b) => a + b, 0));
    expect(result.evaluateCalls).toBeGreaterThanOrEqual(Math.max(...perChain));
  });

  it('thinning keeps every thin-th iteration of the same chain', () => {
    const full = sample(target, { ...options, chains: 1 });
    const thinned = sample(target, { ...options, chains: 1, thin: 3 });
    expect(thinned.numDraws).toBe(34);
    for (let k = 0; k < 34; k++) {
      expect(Array.from(thinned.draws[0].subarray(k * 3, k * 3 + 3))).toEqual(Array.from(full.draws[0].subarray(3 * k * 3, 3 * k * 3 + 3)));
    }
  });
});

describe('sample() options', () => {
  it('retries random inits on a non-finite density and fails clearly after 100 tries', () => {
    // Only x0 > 1.5 has positive density: a uniform(-2, 2) draw lands there with probability 1/8.
    const restricted = restrictedTarget(gaussianTarget([1, 1], [2, 0]), (x) => x[0] > 1.5);
    const result = sample(restricted, { chains: 2, warmup: 50, draws: 50, seed: 5 });
    expect(result.draws[0].every(Number.isFinite)).toBe(true);
    expect(restricted.batchSizes[0]).toBe(2);
    const nowhere = restrictedTarget(gaussianTarget([1]), () => false);
    expect(() => sample(nowhere, { chains: 1, warmup: 10, draws: 10, seed: 1 })).toThrow(
      /chain 0: could not find a finite log density and gradient after 100/,
    );
  });

  it('uses given initial positions, per chain or shared', () => {
    const target = gaussianTarget([1, 1]);
    const fixed = { kind: 'none', stepSize: 1e-6 } as const;
    const perChain = sample(target, { chains: 2, warmup: 0, draws: 1, seed: 1, init: { positions: Float64Array.from([5, 5, -5, -5]) }, adaptation: fixed });
    expect(perChain.draws[0][0]).toBeCloseTo(5, 1);
    expect(perChain.draws[1][0]).toBeCloseTo(-5, 1);
    const shared = sample(target, { chains: 2, warmup: 0, draws: 1, seed: 1, init: { positions: Float64Array.from([3, -3]) }, adaptation: fixed });
    expect(shared.draws[1][1]).toBeCloseTo(-3, 1);
    expect(() => sample(target, { chains: 2, warmup: 0, draws: 1, seed: 1, init: { positions: Float64Array.from([1, 2, 3]) } })).toThrow(
      /init\.positions has length 3; expected dim = 2 or chains \* dim = 4/,
    );
  });

  it('without warmup uses the given step size and inverse metric', () => {
    const target = gaussianTarget([1, 3]);
    const result = sample(target, { chains: 1, warmup: 0, draws: 20, seed: 3, adaptation: { kind: 'stan', initialStepSize: 0.25, initialInverseMetric: Float64Array.from([1, 9]) } });
    expect(result.warmup.stepSize[0]).toBe(0.25);
    expect(Array.from(result.warmup.inverseMetric[0])).toEqual([1, 9]);
    expect(result.stats[0].stepSize.every((s) => s === 0.25)).toBe(true);
  });

  it('jitters the step size when asked (off by default)', () => {
    const target = gaussianTarget([1]);
    const result = sample(target, { chains: 1, warmup: 0, draws: 50, seed: 3, kernel: { algorithm: 'nuts', stepSizeJitter: 0.5 }, adaptation: { kind: 'none', stepSize: 0.5 } });
    const steps = result.stats[0].stepSize;
    expect(new Set(steps).size).toBeGreaterThan(40);
    expect(steps.every((s) => s >= 0.25 && s <= 0.75)).toBe(true);
  });

  it('runs static HMC with step-size adaptation', () => {
    const target = gaussianTarget([1, 2]);
    const result = sample(target, { chains: 2, warmup: 300, draws: 400, seed: 4, kernel: { algorithm: 'hmc', pathLength: 3 } });
    const stats = result.stats[0];
    expect(stats.treeDepth.every((d) => d === 0)).toBe(true);
    const expectedSteps = Math.max(1, Math.floor(3 / result.warmup.stepSize[0]));
    expect(stats.nLeapfrog.every((n) => n === expectedSteps)).toBe(true);
    const accept = stats.acceptStat.reduce((a, b) => a + b, 0) / 400;
    expect(accept).toBeGreaterThan(0.65);
    const fixed = sample(target, { chains: 1, warmup: 0, draws: 5, seed: 4, kernel: { algorithm: 'hmc', steps: 4 }, adaptation: { kind: 'none', stepSize: 0.3 } });
    expect(fixed.stats[0].nLeapfrog.every((n) => n === 4)).toBe(true);
  });

  it('flags divergences in a funnel and counts them', () => {
    const result = sample(funnelTarget(10), { chains: 2, warmup: 200, draws: 300, seed: 11 });
    const flagged = result.stats.reduce((a, s) => a + s.divergent.reduce((x, y) => x + y, 0), 0);
    expect(flagged).toBe(result.divergences);
    expect(result.divergences + result.warmup.divergences.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('pooled adaptation shares one step size and metric across chains', () => {
    const scales = [0.1, 1, 10];
    const target = gaussianTarget(scales);
    const result = sample(target, { chains: 4, warmup: 500, draws: 300, seed: 8, adaptation: { kind: 'stan', pooled: true } });
    for (let c = 1; c < 4; c++) {
      expect(result.warmup.stepSize[c]).toBe(result.warmup.stepSize[0]);
      expect(Array.from(result.warmup.inverseMetric[c])).toEqual(Array.from(result.warmup.inverseMetric[0]));
    }
    for (let i = 0; i < 3; i++) {
      const ratio = result.warmup.inverseMetric[0][i] / scales[i] ** 2;
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.4);
    }
    const accept = result.stats.reduce((a, s) => a + s.acceptStat.reduce((x, y) => x + y, 0), 0) / 1200;
    expect(accept).toBeGreaterThan(0.7);
  });

  it('saves warmup draws when asked, and reports progress', () => {
    const events: SampleProgress[] = [];
    const target = gaussianTarget([1, 2]);
    const result = sample(target, { chains: 2, warmup: 30, draws: 20, seed: 1, saveWarmup: true, onProgress: (p) => events.push(p) });
    expect(result.warmup.draws?.[1]).toHaveLength(60);
    expect(result.warmup.stats?.[0].acceptStat).toHaveLength(30);
    expect(events).toHaveLength(100);
    expect(events.at(-1)).toMatchObject({ chains: 2, completed: 100, total: 100, phase: 'sampling', iterationsPerChain: 50 });
    expect(events.filter((e) => e.chain === 1).map((e) => e.iteration)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    expect(formatProgress(events[49])).toMatch(/^\[#+-*\]\s+50% (warmup|sampling)/);
    // gradients: the leapfrog steps of every transition so far, over both chains (the step-size searches' few are not counted)
    const leapfrog = (c: number) => Array.from(result.warmup.stats![c].nLeapfrog).concat(Array.from(result.stats[c].nLeapfrog)).reduce((a, b) => a + b, 0);
    expect(events.at(-1)!.gradients).toBe(leapfrog(0) + leapfrog(1));
    expect(events.at(-1)!.gradients).toBeLessThanOrEqual(result.gradientEvaluations);
  });

  it('progress: plain lines without a TTY (every 10% and at least every 60 s, with ETA), a bar with ETA on a TTY, nothing when quiet', () => {
    const event = (completed: number, total = 100): SampleProgress => ({ chains: 2, chain: 0, iteration: completed / 2, iterationsPerChain: total / 2, phase: completed < 50 ? 'warmup' : 'sampling', completed, total, divergences: 1, warmupDivergences: 3, gradients: 10 * completed });
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    let clock = 0;
    const lines = progressBar({ stream: stream(false), now: () => clock });
    for (let completed = 1; completed <= 100; completed++) {
      clock = completed * 1000; // one iteration per second
      lines(event(completed));
    }
    // 1% (the first), 10%, 20%, ..., 100%; and 60 s after the 50% line (at 110 s there is none: it ended at 100 s)
    expect(written).toHaveLength(11 + 0);
    expect(written[5]).toBe('progress: 50% sampling, iteration 25 of 50 per chain (2 chains), divergences 1 (warmup 3), 10 grad/s, 50 s elapsed, ETA 50 s\n');
    expect(written.at(-1)).toBe('progress: 100% sampling, iteration 50 of 50 per chain (2 chains), divergences 1 (warmup 3), 10 grad/s, 1 min 40 s elapsed\n');
    written.length = 0;
    clock = 0;
    const slow = progressBar({ stream: stream(false), now: () => clock });
    clock = 1000;
    slow(event(1, 1000));
    clock = 61_000;
    slow(event(2, 1000)); // still 0%, but a minute has passed
    clock = 62_000;
    slow(event(3, 1000));
    expect(written).toHaveLength(2);
    // before 1% is done the start-up would dominate the rate: no ETA yet
    expect(written[1]).toMatch(/^progress: 0% warmup, iteration 1 of 500 per chain .* 1 min 01 s elapsed, ETA \?\n$/);
    written.length = 0;
    progressBar({ stream: stream(false), quiet: true })(event(100));
    progressBar({ stream: stream(true), quiet: true })(event(100));
    expect(written).toEqual([]);
    clock = 0;
    const bar = progressBar({ stream: stream(true), now: () => clock });
    clock = 10_000;
    bar(event(50));
    expect(written.join('')).toMatch(/50% sampling .*divergences 1 \(warmup 3\)  5 it\/s  50 grad\/s  ETA 10 s/);
  });

  it('validates options', () => {
    const target = gaussianTarget([1]);
    const run = { chains: 1, warmup: 1, draws: 1, seed: 1 } as const;
    expect(() => sample(target, { ...run, chains: 0 })).toThrow(/chains must be an integer >= 1, got 0/);
    expect(() => sample(target, { ...run, adaptation: { kind: 'stan', targetAcceptance: 1 } })).toThrow(/adaptation\.targetAcceptance must be in \(0, 1\), got 1/);
    expect(() => sample(target, { ...run, adaptation: { kind: 'stan', initialInverseMetric: Float64Array.from([1, 2]) } })).toThrow(
      /adaptation\.initialInverseMetric has length 2, which does not fit a diag metric of dim 1/,
    );
    expect(() => sample(target, { ...run, kernel: { algorithm: 'nuts', maxTreeDepth: 0 } })).toThrow(/kernel\.maxTreeDepth must be an integer >= 1, got 0/);
    expect(() => sample(target, { ...run, adaptation: { kind: 'none', stepSize: -1 } })).toThrow(/adaptation\.stepSize must be finite and > 0, got -1/);
  });

  it('names the option when untyped callers combine what the types rule out', () => {
    const target = gaussianTarget([1]);
    const run = { chains: 1, warmup: 1, draws: 1, seed: 1 } as const;
    const untyped = (options: Record<string, unknown>) => () => sample(target, { ...run, ...options } as never);
    // The flat options of before the warmup strategy became `adaptation`.
    expect(untyped({ adaptDelta: 0.9 })).toThrow(/option "adaptDelta" is no longer a top-level option; use adaptation\.targetAcceptance/);
    expect(untyped({ pooledAdaptation: true })).toThrow(/use adaptation: \{ kind: 'stan', pooled: true \}/);
    // Settings of one strategy given to another.
    expect(untyped({ adaptation: { kind: 'none', targetAcceptance: 0.9 } })).toThrow(/adaptation\.targetAcceptance is not an option of adaptation kind 'none' \(nothing adapts\)/);
    expect(untyped({ adaptation: { kind: 'bogus' } })).toThrow(/adaptation\.kind must be one of 'stan', 'stepSize', 'staged', 'nutpie', 'none'/);
    expect(untyped({ kernel: { algorithm: 'hmc', steps: 3, maxTreeDepth: 5 } })).toThrow(/kernel\.maxTreeDepth is not an option of static HMC/);
    expect(untyped({ kernel: { algorithm: 'hmc', steps: 3, pathLength: 2 } })).toThrow(/either steps or pathLength, not both/);
    expect(untyped({ init: { radius: 1, positions: new Float64Array(1) } })).toThrow(/init\.radius is not an option with positions/);
  });
});
