/**
 * Prior predictive simulation of the geo MMM (Gelman et al., "Bayesian Data Analysis", 3rd ed.,
 * section 1.3; Gabry, Simpson, Vehtari, Betancourt & Gelman 2019, "Visualization in Bayesian
 * workflow", section 3): draw every parameter from its prior (config.ts priors, per-channel values
 * resolved as the model does), in float64 on the host with a seeded createRng stream per chain,
 * then the KPI y_rep = mu + noise (Normal or Student-t as the likelihood). Under an ROI prior, roi
 * is drawn and m is derived per draw from the observed data's saturated media (hostModel.ts), and
 * is returned as a derived variable. The draws come back as a `Posterior` (variables named and
 * shaped as the model's parameters), so the analysis layer works on them unchanged, e.g. for the
 * ROI implied by a coefficient prior.
 *
 * A prior that puts mass outside a parameter's support (e.g. a normal prior on k) is truncated to
 * the support by rejection, which is the prior the model's constrained parameterization implies.
 */
import {
  Beta,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  LogNormal,
  Normal,
  StudentT,
  Uniform,
  type SampleableDistribution,
} from '../../src/distributions/index.js';
import { Posterior, type PosteriorVariable } from '../../src/ppl/index.js';
import { createRng, gammaVariate, type Rng } from '../../src/tensor/index.js';
import { priorSpec, type MmmModelConfig, type PriorName, type PriorSpec } from './config.js';
import { designDims, type MmmDesign } from './design.js';
import { fourierNames } from './geoModel.js';
import { mediaCoefficientsHost, meanKpiHost, saturatedMediaHost, type DrawValues } from './hostModel.js';
import { resolvePriorValue } from './priors.js';

export interface PriorPredictiveOptions {
  /** Draws per chain. */
  readonly draws: number;
  /** Default 1. Each chain has its own random stream. */
  readonly chains?: number;
  /** Default 0. */
  readonly seed?: number | string;
  /** Also simulate the KPI (derived variable `y_rep` [G, T], scaled KPI). Default true. */
  readonly kpi?: boolean;
}

type Support = 'real' | 'positive' | 'unit' | 'lag';

/** One parameter of the model as the prior predictive samples it. */
export interface PriorParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly support: Support;
  /** Prior per element (number parameters), or a hierarchical rule given earlier values. */
  readonly sample: (rng: Rng, values: Readonly<Record<string, Float64Array>>, out: Float64Array) => void;
}

function hostDistribution(spec: PriorSpec, names: readonly string[], element: number, where: string): SampleableDistribution {
  const value = (v: unknown, key: string): number => {
    const resolved = resolvePriorValue(v as number, names, `${where}.${key}`);
    return typeof resolved === 'number' ? resolved : resolved[element];
  };
  switch (spec.dist) {
    case 'normal': return new Normal(value(spec.loc, 'loc'), value(spec.scale, 'scale'));
    case 'halfNormal': return new HalfNormal(value(spec.scale, 'scale'));
    case 'logNormal': return new LogNormal(value(spec.mu, 'mu'), value(spec.sigma, 'sigma'));
    case 'beta': return new Beta(value(spec.a, 'a'), value(spec.b, 'b'));
    case 'gamma': return new Gamma(value(spec.shape, 'shape'), value(spec.rate, 'rate'));
    case 'exponential': return new Exponential(value(spec.rate, 'rate'));
    case 'halfCauchy': return new HalfCauchy(value(spec.scale, 'scale'));
    case 'studentT': return new StudentT(value(spec.df, 'df'), value(spec.loc, 'loc'), value(spec.scale, 'scale'));
    case 'uniform': return new Uniform(value(spec.lower, 'lower'), value(spec.upper, 'upper'));
    default: throw new Error(`${where}: unknown distribution "${(spec as { dist: string }).dist}"`);
  }
}

const MAX_REJECTIONS = 10_000;

function inSupport(support: Support, x: number, maxLag: number): boolean {
  switch (support) {
    case 'real': return Number.isFinite(x);
    case 'positive': return x > 0 && Number.isFinite(x);
    case 'unit': return x > 0 && x < 1;
    case 'lag': return x >= 0 && x <= maxLag - 1;
  }
}

/** The model's parameters (as models/mmm/geoModel.ts declares them, same order) with their priors. */
export function priorParameters(design: MmmDesign, config: MmmModelConfig): PriorParameter[] {
  const { geos: G, channels: C, controls: K, events: E } = designDims(design);
  const S = config.seasonality.order;
  const L = config.adstock.maxLag;
  const mediaByGeo = G > 1 && config.geo.media !== 'pooled';
  const roiPrior = config.mediaPrior.type === 'roi';
  const list: PriorParameter[] = [];
  const fromPrior = (name: PriorName, names: readonly string[], shape: readonly number[], support: Support) => {
    const where = `model config: priors.${name}`;
    const distributions = names.map((_, i) => hostDistribution(priorSpec(config, name), names, i, where));
    list.push({
      name,
      shape,
      support,
      sample: (rng, _values, out) => {
        distributions.forEach((distribution, i) => {
          for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
            const x = distribution.sample(rng, 1)[0];
            if (inSupport(support, x, L)) {
              out[i] = x;
              return;
            }
          }
          throw new Error(`${where}: the prior puts almost no mass on the parameter's support (${support}); ${MAX_REJECTIONS} draws rejected`);
        });
      },
    });
  };
  const standardNormal = (name: string, shape: readonly number[]) =>
    list.push({ name, shape, support: 'real', sample: (rng, _values, out) => { for (let i = 0; i < out.length; i++) out[i] = rng.normal(); } });

  const channels = design.channelNames;
  const adstock = config.adstock.type;
  if (adstock === 'geometric' || adstock === 'delayed') fromPrior('alpha', channels, [C], 'unit');
  if (adstock === 'delayed') fromPrior('theta', channels, [C], 'lag');
  if (adstock === 'weibull') {
    fromPrior('weibullShape', channels, [C], 'positive');
    fromPrior('weibullScale', channels, [C], 'positive');
  }
  const saturation = config.saturation.type;
  if (saturation === 'hill' || saturation === 'michaelisMenten') fromPrior('k', channels, [C], 'positive');
  if (saturation === 'hill' && config.saturation.fixedSlope === undefined) fromPrior('s', channels, [C], 'positive');
  if (saturation === 'logistic') fromPrior('lambda', channels, [C], 'positive');
  if (roiPrior) fromPrior('roi', channels, [C], 'positive');
  else fromPrior('m', channels, [C], 'real');
  if (mediaByGeo) {
    fromPrior('eta', channels, [C], 'positive');
    if (config.geo.media === 'centered') {
      list.push({
        name: 'log_beta',
        shape: [G, C],
        support: 'real',
        sample: (rng, values, out) => {
          for (let i = 0; i < G * C; i++) out[i] = values.m[i % C] + values.eta[i % C] * rng.normal();
        },
      });
    } else {
      standardNormal('u', [G, C]);
    }
  }
  fromPrior('tau0', ['tau0'], [], 'real');
  if (G > 1) {
    fromPrior('sigma_tau', ['sigma_tau'], [], 'positive');
    if (config.geo.intercept === 'centered') {
      list.push({
        name: 'tau',
        shape: [G],
        support: 'real',
        sample: (rng, values, out) => {
          for (let g = 0; g < G; g++) out[g] = values.tau0[0] + values.sigma_tau[0] * rng.normal();
        },
      });
    } else {
      standardNormal('v', [G]);
    }
  }
  if (config.trend) fromPrior('delta', ['delta'], [], 'real');
  if (S > 0) fromPrior('phi', fourierNames(S), [2 * S], 'real');
  if (K > 0) fromPrior('gamma', design.controlNames, [K], 'real');
  if (E > 0) fromPrior('xi', design.eventNames, [E], 'real');
  fromPrior('sigma', ['sigma'], [], 'positive');
  if (config.likelihood === 'studentT') fromPrior('nu', ['nu'], [], 'positive');
  return list;
}

/** y_rep = mean + sigma * noise (standard Normal, or Student-t with nu), scaled KPI, written to `out`. */
export function replicateKpi(config: MmmModelConfig, values: DrawValues, mean: ArrayLike<number>, rng: Rng, out: Float64Array = new Float64Array(mean.length)): Float64Array {
  const sigma = values.sigma[0];
  if (config.likelihood === 'normal') {
    for (let n = 0; n < mean.length; n++) out[n] = mean[n] + sigma * rng.normal();
  } else {
    const nu = values.nu[0];
    for (let n = 0; n < mean.length; n++) {
      const chiSquared = 2 * gammaVariate(rng, nu / 2);
      out[n] = mean[n] + (sigma * rng.normal()) / Math.sqrt(chiSquared / nu);
    }
  }
  return out;
}

/** Log median media coefficient m [C] of one draw (derived from roi under an ROI prior). */
function derivedM(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, channels: C } = designDims(design);
  const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
  const mediaByGeo = G > 1 && config.geo.media !== 'pooled';
  return Float64Array.from({ length: C }, (_, c) => Math.log(beta[c]) - (mediaByGeo ? values.eta[c] * values.u[c] : 0));
}

/** Prior (predictive) draws as a Posterior: parameters, `m` (derived, ROI prior) and `y_rep` [G, T] (derived). */
export function samplePriorPredictive(design: MmmDesign, config: MmmModelConfig, options: PriorPredictiveOptions): Posterior {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const chains = options.chains ?? 1;
  const draws = options.draws;
  if (!(Number.isInteger(draws) && draws >= 1)) throw new Error(`samplePriorPredictive: draws must be a positive integer, got ${draws}`);
  if (!(Number.isInteger(chains) && chains >= 1)) throw new Error(`samplePriorPredictive: chains must be a positive integer, got ${chains}`);
  const parameters = priorParameters(design, config);
  const sizes = parameters.map((p) => p.shape.reduce((a, b) => a * b, 1));
  const storage = parameters.map((_, i) => new Float64Array(chains * draws * sizes[i]));
  const roiPrior = config.mediaPrior.type === 'roi';
  const mDraws = roiPrior ? new Float64Array(chains * draws * C) : undefined;
  const withKpi = options.kpi ?? true;
  const kpiDraws = withKpi ? new Float64Array(chains * draws * G * T) : undefined;
  const seed = options.seed ?? 0;
  for (let chain = 0; chain < chains; chain++) {
    const rng = createRng(seed, `prior-predictive:chain:${chain}`);
    for (let draw = 0; draw < draws; draw++) {
      const index = chain * draws + draw;
      const values: Record<string, Float64Array> = {};
      parameters.forEach((p, i) => {
        const out = storage[i].subarray(index * sizes[i], (index + 1) * sizes[i]);
        p.sample(rng, values, out);
        values[p.name] = out;
      });
      if (mDraws) mDraws.set(derivedM(design, config, values), index * C);
      if (kpiDraws) replicateKpi(config, values, meanKpiHost(design, config, values), rng, kpiDraws.subarray(index * G * T, (index + 1) * G * T));
    }
  }
  const variables: PosteriorVariable[] = parameters.map((p, i) => ({ name: p.name, shape: p.shape, kind: 'parameter', values: storage[i] }));
  if (mDraws) variables.push({ name: 'm', shape: [C], kind: 'derived', values: mDraws });
  if (kpiDraws) variables.push({ name: 'y_rep', shape: [G, T], kind: 'derived', values: kpiDraws });
  return new Posterior(chains, draws, variables);
}
