/**
 * End to end through src/ppl, samplers/ and src/diagnostics on a conjugate model with a known
 * posterior: y_i ~ Normal(mu, 2), mu ~ Normal(1, 3), plus a positive scale parameter with an
 * LogNormal(0, 1) prior and no likelihood (its posterior is its prior). Checks the posterior moments,
 * the diagnostics record, bit-identical reruns, and that no tensors leak across a fit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { positive } from '../src/bijectors/index.js';
import { LogNormal, Normal } from '../src/distributions/index.js';
import { sampleModel } from '../src/inference/index.js';
import { defineModel } from '../src/ppl/index.js';
import { initBackend, liveTensorCount, tf } from '../src/tensor/index.js';

const y = [2.1, 0.4, 3.3, 1.7, 2.9, 0.8, 1.1, 2.5];
const sigma = 2;
const priorMean = 1;
const priorSd = 3;
const precision = 1 / priorSd ** 2 + y.length / sigma ** 2;
const postMean = (priorMean / priorSd ** 2 + y.reduce((a, b) => a + b, 0) / sigma ** 2) / precision;
const postSd = Math.sqrt(1 / precision);

function model() {
  let data: tf.Tensor | undefined;
  return defineModel({
    name: 'conjugate-normal',
    parameters: {
      mu: { prior: new Normal(priorMean, priorSd) },
      scale: { constraint: positive(), prior: new LogNormal(0, 1) },
    },
    logDensity: ({ mu }) => {
      data ??= tf.keep(tf.tensor2d([y]));
      return new Normal(mu, sigma).logProb(tf.broadcastTo(data, [mu.shape[0], y.length]));
    },
    generated: ({ mu, scale }) => ({ muPlusScale: mu[0] + scale[0] }),
    dispose: () => data?.dispose(),
  });
}

describe('sampleModel', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('recovers a known posterior with healthy diagnostics and no tensor leaks', () => {
    const before = liveTensorCount();
    const definition = model();
    const fit = sampleModel(definition, { chains: 4, warmup: 400, draws: 600, seed: 11 });
    definition.dispose?.();
    expect(liveTensorCount()).toBe(before);

    const mu = fit.summary.find((row) => row.name === 'mu')!;
    const scale = fit.summary.find((row) => row.name === 'scale')!;
    // 4.5 MCSE on the means: a false failure has probability < 1e-5; sd within 10% (ESS > 1000
    // gives a relative sd error of about 2%, so 10% is about 5 standard errors).
    expect(Math.abs(mu.mean - postMean)).toBeLessThan(4.5 * mu.mcseMean);
    expect(Math.abs(mu.sd / postSd - 1)).toBeLessThan(0.1);
    expect(Math.abs(scale.mean - Math.exp(0.5))).toBeLessThan(4.5 * scale.mcseMean);
    expect(fit.posterior.scalarNames()).toEqual(['mu', 'scale', 'muPlusScale']);
    const derived = fit.posterior.pooled('muPlusScale');
    const muDraws = fit.posterior.pooled('mu');
    const scaleDraws = fit.posterior.pooled('scale');
    derived.forEach((v, i) => expect(v).toBeCloseTo(muDraws[i] + scaleDraws[i], 5));
    expect(fit.health.maxRhat).toBeLessThan(1.01);
    expect(fit.health.minEssBulk).toBeGreaterThan(400);
    expect(fit.health.divergences).toBe(0);
    expect(fit.health.warnings).toEqual([]);
    expect(fit.samples.gradientEvaluations).toBeGreaterThan(0);
  });

  it('gives bit-identical draws for the same seed and different draws for another', () => {
    const a = sampleModel(model(), { chains: 2, warmup: 50, draws: 50, seed: 3 });
    const b = sampleModel(model(), { chains: 2, warmup: 50, draws: 50, seed: 3 });
    const c = sampleModel(model(), { chains: 2, warmup: 50, draws: 50, seed: 4 });
    expect(Array.from(a.posterior.pooled('mu'))).toEqual(Array.from(b.posterior.pooled('mu')));
    expect(Array.from(a.posterior.pooled('mu'))).not.toEqual(Array.from(c.posterior.pooled('mu')));
  });

  it('starts from given constrained initial values', () => {
    const fit = sampleModel(model(), { chains: 1, warmup: 0, draws: 1, seed: 1, adaptation: { kind: 'none', stepSize: 1e-8 }, initialValues: { mu: 5, scale: 2 } });
    expect(fit.posterior.pooled('mu')[0]).toBeCloseTo(5, 4);
    expect(fit.posterior.pooled('scale')[0]).toBeCloseTo(2, 4);
  });
});
