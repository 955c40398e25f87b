/**
 * Checkpoints of the sampler (samplers/checkpoint.ts): a run continued from any of its snapshots,
 * under every warmup strategy (per chain and pooled, one stage and the staged plan), ends with
 * draws, statistics and adapted parameters bit-identical to the uninterrupted run; snapshots survive
 * Node's structured serializer (what the checkpoint file and worker threads use); a run asked to stop
 * reports a snapshot and throws SamplingInterrupted; and the RNG state round-trips.
 */
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { sample, SamplingInterrupted, type RunSnapshot, type SampleOptions, type SampleResult } from '../samplers/index.js';
import { createRng, restoreRng } from '../src/tensor/rng.js';
import { funnelTarget, gaussianTarget } from './support/targets.js';

const target = gaussianTarget([1, 3, 0.5, 2]);

const strategies: Record<string, SampleOptions['adaptation']> = {
  'stan per chain': { kind: 'stan' },
  'stan pooled': { kind: 'stan', pooled: true, metric: 'dense' },
  'nutpie diag': { kind: 'nutpie' },
  'nutpie low-rank pooled': { kind: 'nutpie', metric: 'lowRank', pooled: true },
  staged: { kind: 'staged' },
};

function run(options: SampleOptions, snapshots?: RunSnapshot[], resume?: RunSnapshot): SampleResult {
  return sample(target, {
    ...options,
    checkpoint: { seconds: 0, onSnapshot: (s) => snapshots?.push(s), ...(resume ? { resume } : {}) },
  });
}

function expectSameRun(actual: SampleResult, expected: SampleResult): void {
  expect(actual.draws).toEqual(expected.draws);
  expect(actual.stats).toEqual(expected.stats);
  expect(actual.warmup.stepSize).toEqual(expected.warmup.stepSize);
  expect(actual.warmup.inverseMetric).toEqual(expected.warmup.inverseMetric);
  expect(actual.warmup.divergences).toEqual(expected.warmup.divergences);
  expect(actual.divergences).toBe(expected.divergences);
  expect(actual.gradientEvaluations).toBe(expected.gradientEvaluations);
}

describe('sampler checkpoints', () => {
  for (const [name, adaptation] of Object.entries(strategies)) {
    it(`${name}: a run continued from snapshots in warmup and in sampling equals the uninterrupted run`, () => {
      const options: SampleOptions = { chains: 3, warmup: name === 'staged' ? 150 : 120, draws: 60, seed: 11, thin: 2, adaptation };
      const plain = sample(target, options);
      const snapshots: RunSnapshot[] = [];
      const checkpointed = run(options, snapshots);
      // taking snapshots does not change the run
      expectSameRun(checkpointed, plain);
      expect(snapshots.length).toBeGreaterThan(50);
      // a few snapshots spread over the run: early warmup, mid warmup, later stages, sampling
      const picks = [1, Math.floor(snapshots.length * 0.3), Math.floor(snapshots.length * 0.6), snapshots.length - 2];
      for (const k of picks) {
        const resumed = run(options, undefined, deserialize(serialize(snapshots[k])) as RunSnapshot);
        expectSameRun(resumed, plain);
      }
      const phases = new Set(picks.map((k) => snapshots[k].current.chains.map((c) => c.phase).join()));
      expect(phases.size).toBeGreaterThan(1);
    });
  }

  it('saveWarmup keeps the warmup draws across a resume; divergent runs keep their counts', () => {
    const funnel = funnelTarget(5);
    const options: SampleOptions = { chains: 2, warmup: 80, draws: 80, seed: 3, saveWarmup: true, adaptation: { kind: 'nutpie' } };
    const plain = sample(funnel, options);
    const snapshots: RunSnapshot[] = [];
    sample(funnel, { ...options, checkpoint: { seconds: 0, onSnapshot: (s) => snapshots.push(s) } });
    const resumed = sample(funnel, { ...options, checkpoint: { seconds: 0, onSnapshot: () => {}, resume: deserialize(serialize(snapshots[Math.floor(snapshots.length / 2)])) as RunSnapshot } });
    expectSameRun(resumed, plain);
    expect(resumed.warmup.draws).toEqual(plain.warmup.draws);
    expect(resumed.warmup.stats).toEqual(plain.warmup.stats);
  });

  it('a run asked to stop reports a snapshot and throws SamplingInterrupted; resuming from it finishes the run', () => {
    const options: SampleOptions = { chains: 2, warmup: 100, draws: 100, seed: 5, adaptation: { kind: 'nutpie' } };
    const plain = sample(target, options);
    let rounds = 0;
    let last: RunSnapshot | undefined;
    expect(() =>
      sample(target, { ...options, checkpoint: { seconds: 1e9, onSnapshot: (s) => (last = s), shouldStop: () => ++rounds > 700 } }),
    ).toThrow(SamplingInterrupted);
    expect(last).toBeDefined();
    expectSameRun(sample(target, { ...options, checkpoint: { onSnapshot: () => {}, resume: last } }), plain);
  });

  it('a snapshot of another version is refused', () => {
    expect(() => sample(target, { chains: 1, warmup: 10, draws: 10, seed: 1, checkpoint: { onSnapshot: () => {}, resume: { version: 99, stage: 0, completed: [], current: { chains: [], groups: [] } } } })).toThrow(
      /snapshot version 99/,
    );
  });
});

describe('RNG state', () => {
  it('restoreRng(rng.state()) continues the stream, including the spare normal', () => {
    const rng = createRng(7, 'chain:0');
    rng.normal();
    rng.uniform();
    rng.normal(); // leaves a spare
    const copy = restoreRng(deserialize(serialize(rng.state())));
    for (let i = 0; i < 100; i++) {
      expect(copy.normal()).toBe(rng.normal());
      expect(copy.uniform()).toBe(rng.uniform());
    }
  });
});
