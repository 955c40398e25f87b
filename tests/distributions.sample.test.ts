/**
 * Host sampling: moments (and, where moments do not exist or the algorithm splits, distribution
 * functions) of `sample()` draws against exact values, with fixed seeds.
 *
 * Tolerance: 4.5 standard errors. For the mean the standard error is sqrt(variance / n) with the exact
 * variance; for the variance it is sqrt((m4 - s^4) / n) with the sample fourth central moment m4
 * (every case below has a finite eighth moment, so this estimate is itself stable); for a
 * distribution-function value F it is sqrt(F (1 - F) / n). With about 100 such checks at 4.5 s.e.,
 * a false failure has probability below 1e-3 for a fresh seed, and the seeds are fixed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, tf } from '../src/tensor/index.js';
import {
  BernoulliLogit,
  Beta,
  Binomial,
  BinomialLogit,
  Cauchy,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  LogNormal,
  MultivariateNormalCholesky,
  Normal,
  Poisson,
  PoissonLog,
  StudentT,
  Uniform,
  logChoose,
  logGamma,
  type SampleableDistribution,
} from '../src/distributions/index.js';

beforeAll(async () => {
  await initBackend();
});

const DRAWS = 20000;
const SE_MULTIPLE = 4.5;

function moments(draws: Float64Array): { mean: number; variance: number; fourth: number } {
  const n = draws.length;
  let mean = 0;
  for (const x of draws) mean += x;
  mean /= n;
  let second = 0;
  let fourth = 0;
  for (const x of draws) {
    const d = x - mean;
    second += d * d;
    fourth += d * d * d * d;
  }
  return { mean, variance: second / (n - 1), fourth: fourth / n };
}

function checkMoments(draws: Float64Array, mean: number, variance: number, label: string): void {
  const n = draws.length;
  const sample = moments(draws);
  const meanError = Math.abs(sample.mean - mean);
  expect(meanError, `${label} mean ${sample.mean} vs ${mean}`).toBeLessThan(SE_MULTIPLE * Math.sqrt(variance / n));
  const varianceSe = Math.sqrt(Math.max(sample.fourth - sample.variance * sample.variance, 0) / n);
  expect(Math.abs(sample.variance - variance), `${label} variance ${sample.variance} vs ${variance}`).toBeLessThan(
    SE_MULTIPLE * varianceSe,
  );
}

function checkCdf(draws: Float64Array, points: Array<[number, number]>, label: string): void {
  const n = draws.length;
  for (const [x, cdf] of points) {
    let below = 0;
    for (const d of draws) if (d <= x) below++;
    const se = Math.sqrt((cdf * (1 - cdf)) / n);
    expect(Math.abs(below / n - cdf), `${label} F(${x}) = ${below / n} vs ${cdf}`).toBeLessThan(SE_MULTIPLE * se);
  }
}

function draw(distribution: SampleableDistribution, seed: number): Float64Array {
  return distribution.sample(createRng(seed, `test:${distribution.name}`), DRAWS);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('sample() moments', () => {
  const cases: Array<[string, SampleableDistribution, number, number]> = [
    ['Normal(1, 2)', new Normal(1, 2), 1, 4],
    ['HalfNormal(2)', new HalfNormal(2), 2 * Math.sqrt(2 / Math.PI), 4 * (1 - 2 / Math.PI)],
    ['LogNormal(0.3, 0.5)', new LogNormal(0.3, 0.5), Math.exp(0.3 + 0.125), Math.expm1(0.25) * Math.exp(0.6 + 0.25)],
    ['Beta(2, 3)', new Beta(2, 3), 0.4, 0.04],
    ['Beta(0.5, 0.5)', new Beta(0.5, 0.5), 0.5, 0.125],
    ['Gamma(3, 2)', new Gamma(3, 2), 1.5, 0.75],
    ['Gamma(0.4, 1)', new Gamma(0.4, 1), 0.4, 0.4],
    ['InverseGamma(10, 2)', new InverseGamma(10, 2), 2 / 9, 4 / (81 * 8)],
    ['Exponential(2)', new Exponential(2), 0.5, 0.25],
    ['StudentT(10, 1, 2)', new StudentT(10, 1, 2), 1, 5],
    ['Uniform(-1, 3)', new Uniform(-1, 3), 1, 16 / 12],
    ['BernoulliLogit(0.7)', new BernoulliLogit(0.7), sigmoid(0.7), sigmoid(0.7) * (1 - sigmoid(0.7))],
    ['BinomialLogit(30, -0.4)', new BinomialLogit(30, -0.4), 30 * sigmoid(-0.4), 30 * sigmoid(-0.4) * sigmoid(0.4)],
    ['Binomial(1000, 0.3)', new Binomial(1000, 0.3), 300, 210],
    ['Binomial(200, 0.02)', new Binomial(200, 0.02), 4, 3.92],
    ['PoissonLog(log 3)', new PoissonLog(Math.log(3)), 3, 3],
    ['Poisson(45.5)', new Poisson(45.5), 45.5, 45.5],
    ['Poisson(250)', new Poisson(250), 250, 250],
  ];
  cases.forEach(([label, distribution, mean, variance], index) => {
    it(`${label}: mean and variance`, () => {
      checkMoments(draw(distribution, 100 + index), mean, variance, label);
    });
  });
});

describe('sample() distribution functions', () => {
  it('Cauchy and HalfCauchy quantiles (no moments)', () => {
    checkCdf(draw(new Cauchy(1, 2), 7), [[-1, 0.25], [1, 0.5], [3, 0.75], [1 + 2 * Math.tan(0.4 * Math.PI), 0.9]], 'Cauchy');
    checkCdf(draw(new HalfCauchy(2), 8), [[2 * Math.tan(Math.PI / 8), 0.25], [2, 0.5], [2 * Math.tan((3 * Math.PI) / 8), 0.75]], 'HalfCauchy');
  });

  it('Binomial and Poisson splitting paths match the exact distribution functions', () => {
    const binomialCdf = (k: number, n: number, p: number) => {
      let total = 0;
      for (let j = 0; j <= k; j++) total += Math.exp(logChoose(n, j) + j * Math.log(p) + (n - j) * Math.log1p(-p));
      return total;
    };
    const poissonCdf = (k: number, rate: number) => {
      let total = 0;
      for (let j = 0; j <= k; j++) total += Math.exp(j * Math.log(rate) - rate - logGamma(j + 1));
      return total;
    };
    checkCdf(
      draw(new Binomial(1000, 0.3), 9),
      [280, 295, 300, 310, 325].map((k) => [k, binomialCdf(k, 1000, 0.3)]),
      'Binomial(1000, 0.3)',
    );
    checkCdf(
      draw(new Poisson(250), 10),
      [225, 240, 250, 262, 280].map((k) => [k, poissonCdf(k, 250)]),
      'Poisson(250)',
    );
  });

  it('MultivariateNormalCholesky: mean vector and covariance L L^T', () => {
    const lower = [
      [1.5, 0, 0],
      [0.3, 0.8, 0],
      [-0.6, 0.4, 2.1],
    ];
    const loc = [0.5, -1, 2];
    const draws = new MultivariateNormalCholesky(loc, lower).sample(createRng(11, 'mvn'), DRAWS);
    expect(draws.length).toBe(DRAWS * 3);
    const covariance = (i: number, j: number) => lower[i].reduce((s, v, k) => s + v * lower[j][k], 0);
    const mean = [0, 1, 2].map((i) => {
      let total = 0;
      for (let d = 0; d < DRAWS; d++) total += draws[d * 3 + i];
      return total / DRAWS;
    });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(mean[i] - loc[i])).toBeLessThan(SE_MULTIPLE * Math.sqrt(covariance(i, i) / DRAWS));
      for (let j = 0; j <= i; j++) {
        let total = 0;
        for (let d = 0; d < DRAWS; d++) total += (draws[d * 3 + i] - mean[i]) * (draws[d * 3 + j] - mean[j]);
        // Gaussian: var of the sample covariance is (S_ii S_jj + S_ij^2) / n.
        const se = Math.sqrt((covariance(i, i) * covariance(j, j) + covariance(i, j) ** 2) / DRAWS);
        expect(Math.abs(total / (DRAWS - 1) - covariance(i, j))).toBeLessThan(SE_MULTIPLE * se);
      }
    }
  });
});

describe('sample() contract', () => {
  it('is reproducible for a seed and stream, and differs across streams', () => {
    const distribution = new Gamma(2, 1);
    const a = distribution.sample(createRng(5, 's'), 10);
    const b = distribution.sample(createRng(5, 's'), 10);
    const c = distribution.sample(createRng(5, 't'), 10);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('refuses tensor parameters', () => {
    const scale = tf.scalar(1);
    expect(() => new Normal(0, scale).sample(createRng(1), 3)).toThrow(/scale is a tensor/);
    expect(() => new MultivariateNormalCholesky(tf.tensor1d([0]), [[1]]).sample(createRng(1), 3)).toThrow(/number arrays/);
    scale.dispose();
  });
});
