/**
 * The host prior densities (src/distributions/hostPrior.ts) that the MMM and mediation kernels,
 * the reference densities and prior predictive sampling share: for every distribution with
 * per-element parameters given as a number, an array and an object by name, the float64 log density
 * equals the tensor distribution's logProb (an independent float32 implementation: 1e-5 relative),
 * its derivative matches central differences (float64: 1e-6), it is -Infinity with derivative 0
 * outside the support, bad specs are named errors, and the host sampler of an element has that
 * element's parameters. Also digamma, which the Student-t likelihood's gradient uses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Beta,
  digamma,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  logGamma,
  LogNormal,
  Normal,
  priorDerivative,
  priorLogDensity,
  priorSampler,
  resolvePrior,
  StudentT,
  Uniform,
  type Distribution,
  type PriorSpec,
} from '../src/distributions/index.js';
import { createRng, initBackend, tf } from '../src/tensor/index.js';

const names = ['tv', 'search', 'social'];

/** Each spec, the tensor distribution of element i, and test points per element. */
const cases: [PriorSpec, (i: number) => Distribution, readonly number[]][] = [
  [{ dist: 'normal', loc: [0, 1, -2], scale: 0.5 }, (i) => new Normal([0, 1, -2][i], 0.5), [-1.2, 0.3, 2.5]],
  [{ dist: 'halfNormal', scale: { tv: 0.3, search: 1, social: 2 } }, (i) => new HalfNormal([0.3, 1, 2][i]), [0.05, 0.7, 3]],
  [{ dist: 'logNormal', mu: 0.2, sigma: [0.9, 0.5, 1.5] }, (i) => new LogNormal(0.2, [0.9, 0.5, 1.5][i]), [0.4, 1.3, 6]],
  [{ dist: 'beta', a: 2, b: [2, 5, 0.7] }, (i) => new Beta(2, [2, 5, 0.7][i]), [0.1, 0.45, 0.93]],
  [{ dist: 'gamma', shape: [2, 3, 0.8], rate: 0.1 }, (i) => new Gamma([2, 3, 0.8][i], 0.1), [0.5, 12, 40]],
  [{ dist: 'exponential', rate: [1, 0.2, 5] }, (i) => new Exponential([1, 0.2, 5][i]), [0.3, 4, 0.01]],
  [{ dist: 'halfCauchy', scale: 2.5 }, () => new HalfCauchy(2.5), [0.1, 2, 30]],
  [{ dist: 'studentT', df: [3, 7, 30], loc: 1, scale: 0.4 }, (i) => new StudentT([3, 7, 30][i], 1, 0.4), [-0.5, 1.2, 2.9]],
  [{ dist: 'uniform', lower: 0, upper: [1, 7, 2] }, (i) => new Uniform(0, [1, 7, 2][i]), [0.3, 6.5, 1.9]],
];

describe('host prior densities', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const [spec, tensorDistribution, points] of cases) {
    it(`${spec.dist}: float64 log density equals the tensor logProb; derivative matches central differences`, () => {
      const prior = resolvePrior(spec, names, 'test');
      points.forEach((x, i) => {
        const host = priorLogDensity(prior, i, x);
        const tensor = tf.tidy(() => tensorDistribution(i).logProb(tf.scalar(x)).dataSync()[0]);
        expect(Math.abs(host - tensor), `${spec.dist}[${i}] at ${x}: ${host} vs ${tensor}`).toBeLessThan(1e-5 * (Math.abs(host) + 1));
        const h = 1e-6 * Math.max(1, Math.abs(x));
        const numeric = (priorLogDensity(prior, i, x + h) - priorLogDensity(prior, i, x - h)) / (2 * h);
        expect(Math.abs(priorDerivative(prior, i, x) - numeric)).toBeLessThan(1e-6 * (Math.abs(numeric) + 1));
      });
    });
  }

  it('is -Infinity with derivative 0 outside the support', () => {
    for (const [spec, x] of [[{ dist: 'halfNormal', scale: 1 }, -0.1], [{ dist: 'logNormal', mu: 0, sigma: 1 }, 0], [{ dist: 'beta', a: 2, b: 2 }, 1.5], [{ dist: 'gamma', shape: 2, rate: 1 }, -1], [{ dist: 'uniform', lower: 0, upper: 1 }, 2]] as [PriorSpec, number][]) {
      const prior = resolvePrior(spec, ['x'], 'test');
      expect(priorLogDensity(prior, 0, x)).toBe(-Infinity);
      expect(priorDerivative(prior, 0, x)).toBe(0);
    }
  });

  it('names what is wrong with a spec', () => {
    expect(() => resolvePrior({ dist: 'normal', loc: 0 } as unknown as PriorSpec, names, 'model.priors.m')).toThrow(/model\.priors\.m: normal needs "scale"/);
    expect(() => resolvePrior({ dist: 'normal', loc: 0, scale: 1, rate: 2 } as unknown as PriorSpec, names, 'p')).toThrow(/normal has no parameter "rate"/);
    expect(() => resolvePrior({ dist: 'normal', loc: [0, 1], scale: 1 }, names, 'p')).toThrow(/p\.loc: has 2 values, expected one per element \(3: tv, search, social\)/);
    expect(() => resolvePrior({ dist: 'normal', loc: { radio: 1 }, scale: 1 }, names, 'p')).toThrow(/unknown name "radio"/);
    expect(() => resolvePrior({ dist: 'wide' } as unknown as PriorSpec, names, 'p')).toThrow(/unknown distribution "wide"/);
  });

  it("samples element i with element i's parameters", () => {
    const prior = resolvePrior({ dist: 'normal', loc: [0, 10, -10], scale: 0.1 }, names, 'test');
    const rng = createRng(3, 'host prior');
    // mean of 400 draws: sd 0.1 / 20 = 0.005, so 0.03 is 6 standard errors
    [0, 10, -10].forEach((loc, i) => {
      const draws = priorSampler(prior, i).sample(rng, 400);
      expect(Math.abs(draws.reduce((a, b) => a + b, 0) / 400 - loc)).toBeLessThan(0.03);
    });
  });

  it('digamma is the derivative of logGamma', () => {
    for (const x of [0.05, 0.3, 1, 2.5, 5.9, 6, 17, 250, 1e4]) {
      const h = 1e-5 * x;
      const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-7 * (Math.abs(numeric) + 1));
    }
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
  });
});
