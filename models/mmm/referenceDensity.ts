/**
 * The geo MMM's log density in plain float64 loops on constrained parameter values: the slow,
 * obviously-right reference the tensor model (geoModel.ts) is tested against. It follows
 * shared/reference-model.md term by term, plus the options of config.ts. Priors and likelihood are
 * normalized (constants included); no Jacobian terms (those belong to the unconstrained density).
 * Lift tests (config.experiments) add their likelihood term (liftTests.ts, from whole series).
 */
import { logGamma } from '../../src/distributions/index.js';
import { priorSpec, type MmmModelConfig, type PriorName, type PriorSpec } from './config.js';
import { designDims, type MmmDesign } from './design.js';
import { resolvePriorValue } from './priors.js';
import { meanKpiHost } from './hostModel.js';
import { liftLogLikelihoodHost } from './liftTests.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Normalized log density of a prior at x (element i of a parameter whose elements are `names`), float64. */
export function priorLogPdf(spec: PriorSpec, x: number, i: number, names: readonly string[]): number {
  const value = (v: unknown): number => {
    const resolved = resolvePriorValue(v as number, names, 'prior');
    return typeof resolved === 'number' ? resolved : resolved[i];
  };
  switch (spec.dist) {
    case 'normal': {
      const z = (x - value(spec.loc)) / value(spec.scale);
      return -0.5 * z * z - Math.log(value(spec.scale)) - LOG_SQRT_2PI;
    }
    case 'halfNormal': {
      const z = x / value(spec.scale);
      return x < 0 ? -Infinity : Math.log(2) - 0.5 * z * z - Math.log(value(spec.scale)) - LOG_SQRT_2PI;
    }
    case 'logNormal': {
      if (x <= 0) return -Infinity;
      const z = (Math.log(x) - value(spec.mu)) / value(spec.sigma);
      return -0.5 * z * z - Math.log(value(spec.sigma)) - LOG_SQRT_2PI - Math.log(x);
    }
    case 'beta': {
      const a = value(spec.a);
      const b = value(spec.b);
      return (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
    }
    case 'gamma': {
      const shape = value(spec.shape);
      const rate = value(spec.rate);
      return shape * Math.log(rate) - logGamma(shape) + (shape - 1) * Math.log(x) - rate * x;
    }
    case 'exponential':
      return Math.log(value(spec.rate)) - value(spec.rate) * x;
    case 'halfCauchy': {
      const scale = value(spec.scale);
      return Math.log(2 / (Math.PI * scale)) - Math.log1p((x / scale) ** 2);
    }
    case 'studentT': {
      const nu = value(spec.df);
      const z = (x - value(spec.loc)) / value(spec.scale);
      return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(value(spec.scale)) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
    }
    case 'uniform': {
      const lower = value(spec.lower);
      const upper = value(spec.upper);
      return x < lower || x > upper ? -Infinity : -Math.log(upper - lower);
    }
  }
}

function normalLogPdf(x: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  return -0.5 * z * z - Math.log(scale) - LOG_SQRT_2PI;
}

/** Log posterior density (priors + likelihood, no Jacobians) at constrained values, float64. */
export function referenceLogDensity(design: MmmDesign, config: MmmModelConfig, values: Readonly<Record<string, ArrayLike<number>>>): number {
  const { geos: G, periods: T, channels: C, controls: K, events: E } = designDims(design);
  const S = config.seasonality.order;
  let total = 0;
  const addPrior = (name: PriorName, names: readonly string[]) => {
    const spec = priorSpec(config, name);
    const x = values[name];
    for (let i = 0; i < names.length; i++) total += priorLogPdf(spec, x[i], i, names);
  };
  const channels = design.channelNames;
  for (const name of ['alpha', 'theta', 'weibullShape', 'weibullScale', 'k', 's', 'lambda', 'roi', 'm'] as const) {
    if (values[name] !== undefined) addPrior(name, channels);
  }
  const byGeo = G > 1 && config.geo.media !== 'pooled';
  if (byGeo) {
    addPrior('eta', channels);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        total += config.geo.media === 'centered'
          ? normalLogPdf(values.log_beta[g * C + c], values.m[c], values.eta[c])
          : normalLogPdf(values.u[g * C + c], 0, 1);
      }
    }
  }
  addPrior('tau0', ['tau0']);
  if (G > 1) {
    addPrior('sigma_tau', ['sigma_tau']);
    for (let g = 0; g < G; g++) {
      total += config.geo.intercept === 'centered' ? normalLogPdf(values.tau[g], values.tau0[0], values.sigma_tau[0]) : normalLogPdf(values.v[g], 0, 1);
    }
  }
  if (config.trend) addPrior('delta', ['delta']);
  if (S > 0) addPrior('phi', Array.from({ length: 2 * S }, (_, j) => `f${j}`));
  if (K > 0) addPrior('gamma', design.controlNames);
  if (E > 0) addPrior('xi', design.eventNames);
  addPrior('sigma', ['sigma']);
  if (config.likelihood === 'studentT') addPrior('nu', ['nu']);

  const mean = meanKpiHost(design, config, values);
  const sigma = values.sigma[0];
  for (let n = 0; n < G * T; n++) {
    if (design.observed && design.observed[n] === 0) continue;
    if (config.likelihood === 'normal') total += normalLogPdf(design.kpi[n], mean[n], sigma);
    else {
      const nu = values.nu[0];
      const z = (design.kpi[n] - mean[n]) / sigma;
      total += logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
    }
  }
  total += liftLogLikelihoodHost(design, config, values);
  return total;
}
