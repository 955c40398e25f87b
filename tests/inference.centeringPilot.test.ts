/**
 * Partial-centering weights from a pilot (src/inference/centeringPilot.ts): the rule on a Gaussian
 * hierarchy with one well-measured and one barely measured group, the pilot's last draws as starting
 * points in other coordinates, and the MMM fit that runs the pilot as the first part of its warmup.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { positive } from '../src/bijectors/index.js';
import { Normal } from '../src/distributions/index.js';
import { compile, defineModel, type CenteringBlock } from '../src/ppl/index.js';
import { MIN_CENTERING_WEIGHT, pilotCenteringWeights, pilotFinalPositions, pilotInverseMetric, pilotLength } from '../src/inference/index.js';
import { fitMmm } from '../src/mmm/fit.js';
import { initBackend, tf } from '../src/tensor/index.js';
import { sample } from '../samplers/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// theta_j = mu + tau z_j, y_j ~ N(theta_j, s_j): 20 elements measured with s = 0.1 (group A), 20 with s = 10 (group B).
const J = 40;
const s = Array.from({ length: J }, (_, j) => (j < 20 ? 0.1 : 10));
const y = Array.from({ length: J }, (_, j) => 0.5 + Math.sin(j));
const hierarchy = defineModel({
  name: 'gaussian-hierarchy',
  parameters: {
    mu: { prior: new Normal(0, 1) },
    tau: { constraint: positive(), prior: new Normal(1, 0.05) },
    z: { shape: [J], prior: new Normal(0, 1) },
  },
  logDensity: ({ mu, tau, z }) => tf.sum(new Normal(tf.add(mu, tf.mul(tau, z)), tf.tensor2d([s])).logProb(tf.tensor2d([y])), 1),
});

describe('centering weights from a pilot', () => {
  it('centres the well-measured group and leaves the barely measured one non-centered', () => {
    const model = compile(hierarchy);
    const pilot = sample(model, { chains: 4, warmup: 300, draws: 250, seed: 21, adaptation: { kind: 'nutpie' } });
    const groups = [Array.from({ length: 20 }, (_, j) => j), Array.from({ length: 20 }, (_, j) => 20 + j)];
    const [wellMeasured, barelyMeasured] = pilotCenteringWeights(model, pilot.draws, 'z', groups);
    // Expected: A: Var(z_j) = (s^2 + Var mu) / tau^2 with Var mu ~ 1/21, so w ~ 0.94; B: Var(z_j) ~ 0.99,
    // so w ~ 0.01. 250 draws per chain estimate a variance to ~ 10% (a few MCSE of the weight are < 0.15).
    expect(wellMeasured).toBeGreaterThan(0.85);
    expect(barelyMeasured).toBeLessThan(0.15);
    // Rounded to two decimals, in [0, 1].
    for (const w of [wellMeasured, barelyMeasured]) {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(1);
      expect(Math.round(w * 100) / 100).toBe(w);
    }
    model.dispose();
  });

  it('clamps the weight to [0, 1], sets weights below MIN_CENTERING_WEIGHT to 0 and refuses a constrained or unknown effect', () => {
    const model = compile(hierarchy);
    const dim = model.dim;
    // Two draws per chain: z[0] goes from -2 to 2 (within-chain variance 8, weight clamps to 0); z[1] is constant (weight 1);
    // z[2] has variance 0.32 (weight 0.68), z[3] variance 0.72 (0.28, below MIN_CENTERING_WEIGHT: 0).
    const draws = [0, 1].map(() => {
      const d = new Float64Array(2 * dim);
      const set = (element: number, first: number, second: number) => ((d[2 + element] = first), (d[dim + 2 + element] = second));
      set(0, -2, 2);
      set(1, 0.3, 0.3);
      set(2, -0.4, 0.4);
      set(3, -0.6, 0.6);
      return d;
    });
    expect(MIN_CENTERING_WEIGHT).toBe(0.5);
    expect(pilotCenteringWeights(model, draws, 'z', [[0], [1], [2], [3]])).toEqual([0, 1, 0.68, 0]);
    expect(() => pilotCenteringWeights(model, draws, 'tau', [[0]])).toThrow(/"tau" must be unconstrained/);
    expect(() => pilotCenteringWeights(model, draws, 'u', [[0]])).toThrow(/has no parameter "u"/);
    expect(() => pilotCenteringWeights(model, [draws[0].slice(0, dim)], 'z', [[0]])).toThrow(/at least two draws per chain/);
    model.dispose();
  });

  it("starts the main run at each pilot chain's last draw, mapped to the new coordinates", () => {
    const pilotModel = compile(hierarchy);
    const block: CenteringBlock = { effect: 'z', location: 'mu', scale: 'tau', elements: Array.from({ length: J }, (_, j) => ({ effect: j, location: 0, scale: 0, weight: j < 20 ? 0.9 : 0.1 })) };
    const target = compile(defineModel({ ...hierarchy, name: 'gaussian-hierarchy-partial', centering: [block] }));
    const pilot = sample(pilotModel, { chains: 3, warmup: 10, draws: 5, seed: 4 });
    const positions = pilotFinalPositions(pilotModel, pilot.draws, target);
    expect(positions.length).toBe(3 * target.dim);
    for (let c = 0; c < 3; c++) {
      const last = pilot.draws[c].slice(4 * pilot.dim, 5 * pilot.dim);
      const expected = pilotModel.constrain(last, 1);
      const mapped = target.constrain(positions.slice(c * target.dim, (c + 1) * target.dim), 1);
      for (const name of ['mu', 'tau', 'z']) mapped[name].forEach((v, i) => expect(v).toBeCloseTo(expected[name][i], 10));
    }
    pilotModel.dispose();
    target.dispose();
  });

  it('gives the main warmup a diagonal metric: per coordinate of the new coordinates, the median over chains of the within-chain variance', () => {
    const pilotModel = compile(hierarchy);
    const block: CenteringBlock = { effect: 'z', location: 'mu', scale: 'tau', elements: Array.from({ length: J }, (_, j) => ({ effect: j, location: 0, scale: 0, weight: 1 })) };
    const target = compile(defineModel({ ...hierarchy, name: 'gaussian-hierarchy-centred', centering: [block] }));
    const pilot = sample(pilotModel, { chains: 3, warmup: 10, draws: 12, seed: 5 });
    const metric = pilotInverseMetric(pilotModel, pilot.draws, target);
    expect(metric.length).toBe(target.dim);
    // A slow restatement: map every draw, then the variance per chain, then the median of three.
    const mapped = pilot.draws.map((chain) =>
      Array.from({ length: 12 }, (_, t) => target.unconstrain(pilotModel.constrain(chain.slice(t * pilot.dim, (t + 1) * pilot.dim), 1))),
    );
    for (let j = 0; j < target.dim; j++) {
      const variances = mapped
        .map((rows) => {
          const values = rows.map((row) => row[j]);
          const mean = values.reduce((a, b) => a + b, 0) / values.length;
          return values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
        })
        .sort((a, b) => a - b);
      expect(metric[j]).toBeCloseTo(variances[1], 10);
    }
    pilotModel.dispose();
    target.dispose();
  });

  it('takes 25% of a warmup of at least 200 iterations, reading the variances from its last 10%', () => {
    expect(pilotLength(1000)).toEqual({ warmup: 250, window: 100 });
    expect(pilotLength(200)).toEqual({ warmup: 50, window: 20 });
    expect(pilotLength(199)).toBeUndefined();
  });
});

describe('with sampler.adaptiveCentering, the MMM fit runs the pilot as the first part of its warmup', () => {
  const file = 'examples/geo.csv';
  const config = JSON.parse(readFileSync('examples/geo.config.json', 'utf8')) as Record<string, unknown>;

  it('chooses a weight per channel, keeps the warmup length and reruns bit for bit, whatever the worker count', async () => {
    const run = async (workers = 1) => {
      const progress: number[] = [];
      const gradients: number[] = [];
      const fit = await fitMmm(file, { ...config, sampler: { chains: 2, warmup: 200, draws: 10, seed: 9, adaptiveCentering: true } }, {
        progress: false,
        verbose: false,
        workers,
        onProgress: (p) => {
          progress.push(p.iteration);
          gradients.push(p.gradients);
        },
      });
      return { fit, progress, gradients };
    };
    const { fit, progress, gradients } = await run();
    expect(fit.centering.kind).toBe('pilot');
    if (fit.centering.kind !== 'pilot') return;
    expect(Object.keys(fit.centering.weights)).toEqual(fit.design.channelNames);
    for (const w of Object.values(fit.centering.weights)) expect(w >= 0 && w <= 1).toBe(true);
    expect(fit.centering.pilot).toMatchObject({ warmup: 50, window: 20 });
    // Iterations 1..210 per chain: the pilot's 50, then the main run's 150 warmup and 10 draws.
    expect(Math.max(...progress)).toBe(210);
    // The main run's gradients continue the pilot's.
    expect(gradients.at(-1)!).toBeGreaterThan(fit.centering.pilot.gradientEvaluations);
    expect(gradients.every((g, i) => i === 0 || g >= gradients[i - 1])).toBe(true);
    expect(fit.result.samples.numDraws).toBe(10);
    const again = await run();
    expect(again.fit.centering).toMatchObject({ weights: fit.centering.weights });
    expect(again.fit.result.samples.draws).toEqual(fit.result.samples.draws);
    // Two worker threads (one chain each, pilot and main run): the same weights and draws.
    const parallel = await run(2);
    expect(parallel.fit.workers).toBe(2);
    expect(parallel.fit.centering).toMatchObject({ weights: fit.centering.weights });
    expect(parallel.fit.result.samples.draws).toEqual(fit.result.samples.draws);
  }, 180_000);

  it('uses the configured coordinates where the model or the sampler settles them, and says why', async () => {
    const short = await fitMmm(file, { ...config, sampler: { chains: 1, warmup: 20, draws: 5, seed: 9, adaptiveCentering: true } }, { progress: false, verbose: false, workers: 1 });
    expect(short.centering).toEqual({ kind: 'config', reason: 'a warmup of 20 is too short for a centering pilot (at least 200)' });
    // Off by default.
    const off = await fitMmm(file, { ...config, sampler: { chains: 1, warmup: 200, draws: 5, seed: 9 } }, { progress: false, verbose: false, workers: 1 });
    expect(off.centering).toEqual({ kind: 'config', reason: 'sampler.adaptiveCentering is off' });
    const byChannel = await fitMmm(file, { ...config, model: { ...(config.model as object), geo: { media: { tv: 0.5 } } }, sampler: { chains: 1, warmup: 20, draws: 5, seed: 9, adaptiveCentering: true } }, { progress: false, verbose: false, workers: 1 });
    expect(byChannel.centering).toEqual({ kind: 'config', reason: 'model.geo.media sets it per channel' });
  }, 120_000);
});
