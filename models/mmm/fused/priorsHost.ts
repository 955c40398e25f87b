/**
 * Prior log densities of the geo MMM and their derivatives in float64 on the host, for the fused op
 * when it also evaluates the priors (likelihoodHost.ts with `priors: true`). The formulas are those
 * of referenceDensity.ts (normalized, -Infinity outside the support); the derivative in the value x:
 *   normal(loc, scale): -z / scale, z = (x - loc) / scale        halfNormal(scale): -x / scale^2
 *   logNormal(mu, sigma): -(1 + z / sigma) / x, z = (log x - mu) / sigma
 *   beta(a, b): (a - 1) / x - (b - 1) / (1 - x)                   gamma(shape, rate): (shape - 1) / x - rate
 *   exponential(rate): -rate       halfCauchy(scale): -2 x / (scale^2 + x^2)       uniform: 0
 *   studentT(df, loc, scale): -(df + 1) z / (scale (df + z^2))
 * Outside the support the log density is -Infinity and the derivative 0.
 */
import { logBeta, logGamma } from '../../../src/distributions/index.js';
import { PRIOR_PARAMETERS, type PriorSpec, type PriorValue } from '../config.js';
import { resolvePriorValue } from '../priors.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export type PriorDistribution = PriorSpec['dist'];

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
  const keys = PRIOR_PARAMETERS[spec.dist];
  if (!keys) throw new Error(`${where}: unknown distribution "${(spec as { dist: string }).dist}"`);
  const given = spec as unknown as Record<string, PriorValue>;
  const columns = keys.map((key) => {
    if (given[key] === undefined) throw new Error(`${where}: ${spec.dist} needs "${key}"`);
    const resolved = resolvePriorValue(given[key], names, `${where}.${key}`);
    return typeof resolved === 'number' ? new Float64Array(names.length).fill(resolved) : resolved;
  });
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

/** The standard normal prior of the non-centered geo effects (u, v). */
export function standardNormalPrior(elements: number): ResolvedPrior {
  return resolvePrior({ dist: 'normal', loc: 0, scale: 1 }, Array.from({ length: elements }, (_, i) => `e${i}`), 'standard normal');
}

/** log density of element i at x. */
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
