/**
 * Prior log densities and their derivatives in float64 on the host, for models whose whole density
 * is a host kernel (the geo MMM, the mediation model): a config prior (priorSpec.ts) resolved per
 * element once, then evaluated element by element without allocation. Normalized (constants
 * included); -Infinity outside the support, where the derivative is 0. Derivatives in the value x:
 *   normal(loc, scale): -(x - loc) / scale^2             halfNormal(scale): -x / scale^2
 *   logNormal(mu, sigma): -(1 + (log x - mu) / sigma^2) / x
 *   beta(a, b): (a - 1) / x - (b - 1) / (1 - x)           gamma(shape, rate): (shape - 1) / x - rate
 *   exponential(rate): -rate       halfCauchy(scale): -2 x / (scale^2 + x^2)       uniform: 0
 *   studentT(df, loc, scale): -(df + 1) z / (scale (df + z^2)), z = (x - loc) / scale
 * tests/distributions.hostPrior.test.ts checks value and derivative against the tensor
 * distributions' logProb and finite differences. `priorSampler` gives the host sampler of one
 * element's prior (prior predictive simulation).
 */
import { Beta } from './beta.js';
import { Exponential } from './exponential.js';
import { Gamma } from './gamma.js';
import { HalfCauchy } from './halfCauchy.js';
import { HalfNormal } from './halfNormal.js';
import { LogNormal } from './logNormal.js';
import { Normal } from './normal.js';
import { priorParameterColumns, type PriorDistribution, type PriorSpec } from './priorSpec.js';
import { logBeta, logGamma } from './special.js';
import { StudentT } from './studentT.js';
import type { SampleableDistribution } from './types.js';
import { Uniform } from './uniform.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** A prior with its parameters resolved per element (in PRIOR_PARAMETERS order) and its log normalizer. */
export interface ResolvedPrior {
  readonly dist: PriorDistribution;
  readonly first: Float64Array;
  readonly second: Float64Array;
  readonly third: Float64Array;
  readonly logNormalizer: Float64Array;
}

/** Resolve a prior for a parameter whose elements are named `names`. */
export function resolvePrior(spec: PriorSpec, names: readonly string[], where: string): ResolvedPrior {
  const columns = priorParameterColumns(spec, names, where);
  const empty = new Float64Array(names.length);
  const [first, second = empty, third = empty] = columns;
  const logNormalizer = Float64Array.from(names, (_, i) => {
    const a = first[i];
    const b = second[i];
    switch (spec.dist) {
      case 'normal': return -Math.log(b) - LOG_SQRT_2PI;
      case 'halfNormal': return Math.LN2 - Math.log(a) - LOG_SQRT_2PI;
      case 'logNormal': return -Math.log(b) - LOG_SQRT_2PI;
      case 'beta': return -logBeta(a, b);
      case 'gamma': return a * Math.log(b) - logGamma(a);
      case 'exponential': return Math.log(a);
      case 'halfCauchy': return Math.log(2 / (Math.PI * a));
      case 'studentT': return logGamma((a + 1) / 2) - logGamma(a / 2) - 0.5 * Math.log(a * Math.PI) - Math.log(third[i]);
      case 'uniform': return -Math.log(b - a);
    }
  });
  return { dist: spec.dist, first, second, third, logNormalizer };
}

/** The standard normal prior of `elements` elements (non-centered effects). */
export function standardNormalPrior(elements: number): ResolvedPrior {
  return resolvePrior({ dist: 'normal', loc: 0, scale: 1 }, Array.from({ length: elements }, (_, i) => `e${i}`), 'standard normal');
}

/** Log density of element i at x. */
export function priorLogDensity(prior: ResolvedPrior, i: number, x: number): number {
  const a = prior.first[i];
  const b = prior.second[i];
  const constant = prior.logNormalizer[i];
  switch (prior.dist) {
    case 'normal': {
      const z = (x - a) / b;
      return constant - 0.5 * z * z;
    }
    case 'halfNormal': {
      if (x < 0) return -Infinity;
      const z = x / a;
      return constant - 0.5 * z * z;
    }
    case 'logNormal': {
      if (x <= 0) return -Infinity;
      const logX = Math.log(x);
      const z = (logX - a) / b;
      return constant - 0.5 * z * z - logX;
    }
    case 'beta':
      if (x < 0 || x > 1) return -Infinity;
      return constant + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x);
    case 'gamma':
      if (x < 0) return -Infinity;
      return constant + (a - 1) * Math.log(x) - b * x;
    case 'exponential':
      if (x < 0) return -Infinity;
      return constant - a * x;
    case 'halfCauchy': {
      if (x < 0) return -Infinity;
      const z = x / a;
      return constant - Math.log1p(z * z);
    }
    case 'studentT': {
      const z = (x - b) / prior.third[i];
      return constant - 0.5 * (a + 1) * Math.log1p((z * z) / a);
    }
    case 'uniform':
      return x < a || x > b ? -Infinity : constant;
  }
}

/** d/dx of the log density of element i at x (0 outside the support). */
export function priorDerivative(prior: ResolvedPrior, i: number, x: number): number {
  const a = prior.first[i];
  const b = prior.second[i];
  switch (prior.dist) {
    case 'normal':
      return -(x - a) / (b * b);
    case 'halfNormal':
      return x < 0 ? 0 : -x / (a * a);
    case 'logNormal':
      return x <= 0 ? 0 : -(1 + (Math.log(x) - a) / (b * b)) / x;
    case 'beta':
      return x < 0 || x > 1 ? 0 : (a - 1) / x - (b - 1) / (1 - x);
    case 'gamma':
      return x < 0 ? 0 : (a - 1) / x - b;
    case 'exponential':
      return x < 0 ? 0 : -a;
    case 'halfCauchy':
      return x < 0 ? 0 : (-2 * x) / (a * a + x * x);
    case 'studentT': {
      const scale = prior.third[i];
      const z = (x - b) / scale;
      return (-(a + 1) * z) / (scale * (a + z * z));
    }
    case 'uniform':
      return 0;
  }
}

/** Sum of the log densities of all elements of `values` (x[j] = values[offset + j]). */
export function priorLogDensitySum(prior: ResolvedPrior, values: ArrayLike<number>, offset = 0): number {
  let total = 0;
  for (let j = 0; j < prior.first.length; j++) total += priorLogDensity(prior, j, values[offset + j]);
  return total;
}

/** Host sampler of element i's prior. */
export function priorSampler(prior: ResolvedPrior, i: number): SampleableDistribution {
  const a = prior.first[i];
  const b = prior.second[i];
  switch (prior.dist) {
    case 'normal': return new Normal(a, b);
    case 'halfNormal': return new HalfNormal(a);
    case 'logNormal': return new LogNormal(a, b);
    case 'beta': return new Beta(a, b);
    case 'gamma': return new Gamma(a, b);
    case 'exponential': return new Exponential(a);
    case 'halfCauchy': return new HalfCauchy(a);
    case 'studentT': return new StudentT(a, b, prior.third[i]);
    case 'uniform': return new Uniform(a, b);
  }
}
