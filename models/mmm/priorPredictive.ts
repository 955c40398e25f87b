/**
 * Prior predictive simulation of the geo MMM (Gelman et al., "Bayesian Data Analysis", 3rd ed.,
 * section 1.3; Gabry, Simpson, Vehtari, Betancourt & Gelman 2019, "Visualization in Bayesian
 * workflow", section 3): draw every parameter from its prior (the parameter table, parameters.ts:
 * the priors the model uses), in float64 on the host with a seeded createRng stream per chain,
 * then the KPI y_rep = mu + noise (Normal or Student-t as the likelihood). Under an ROI,
 * contribution or mROI prior, roi, contribution or mroi is drawn and m is derived per draw from the
 * observed data's media (components/coefficients.ts, through hostModel.ts), and is returned as a
 * derived variable when every channel's m is derived. The draws come back as a `Posterior` (variables named and
 * shaped as the model's parameters), so the analysis layer works on them unchanged, e.g. for the
 * ROI implied by a coefficient prior.
 *
 * A prior that puts mass outside a parameter's support (e.g. a normal prior on k) is truncated to
 * the support by rejection, which is the prior the model's constrained parameterization implies.
 */
import { priorSampler, resolvePrior } from '../../src/distributions/index.js';
import { Posterior, type PosteriorVariable } from '../../src/ppl/index.js';
import { createRng, gammaVariate, type Rng } from '../../src/tensor/index.js';
import type { MmmModelConfig } from './config.js';
import { describeSupport, inSupport, type Support } from './components/types.js';
import { designDims, type MmmDesign } from './design.js';
import { mediaCoefficientsHost, meanKpiHost, saturatedMediaHost, type DrawValues } from './hostModel.js';
import { mmmParameters } from './parameters.js';

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

/** One parameter of the model as the prior predictive samples it. */
export interface PriorParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly support: Support;
  /** Draw its elements into `out`, given the values of the parameters before it. */
  readonly sample: (rng: Rng, values: Readonly<Record<string, Float64Array>>, out: Float64Array) => void;
}

const MAX_REJECTIONS = 10_000;

/** The model's parameters (the parameter table, parameters.ts, in its order) with their priors. */
export function priorParameters(design: MmmDesign, config: MmmModelConfig): PriorParameter[] {
  return mmmParameters(design, config).map((row): PriorParameter => {
    const { name, shape, support, prior } = row;
    if (prior.kind === 'standardNormal') {
      return { name, shape, support, sample: (rng, _values, out) => { for (let i = 0; i < out.length; i++) out[i] = rng.normal(); } };
    }
    if (prior.kind === 'hierarchical') {
      const { loc, scale, locIndex } = prior;
      return {
        name,
        shape,
        support,
        sample: (rng, values, out) => {
          for (let i = 0; i < out.length; i++) out[i] = values[loc][locIndex[i]] + values[scale][locIndex[i]] * rng.normal();
        },
      };
    }
    const where = `model config: priors.${name}`;
    const resolved = resolvePrior(prior.spec, row.elementNames, where);
    const samplers = row.elementNames.map((_, i) => priorSampler(resolved, i));
    return {
      name,
      shape,
      support,
      sample: (rng, _values, out) => {
        samplers.forEach((distribution, i) => {
          for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
            const x = distribution.sample(rng, 1)[0];
            if (inSupport(support, x)) {
              out[i] = x;
              return;
            }
          }
          throw new Error(`${where}: the prior puts almost no mass on the parameter's support (${describeSupport(support)}); ${MAX_REJECTIONS} draws rejected`);
        });
      },
    };
  });
}

/**
 * y_rep = mean + sigma * noise (standard Normal, or Student-t with nu), scaled KPI [G, T] geo-major,
 * written to `out`; sigma is the cell's geo's with one per geo (sigma [G], model config sigmaByGeo).
 */
export function replicateKpi(config: MmmModelConfig, values: DrawValues, mean: ArrayLike<number>, rng: Rng, out: Float64Array = new Float64Array(mean.length)): Float64Array {
  const periods = mean.length / values.sigma.length;
  const sigmaAt = (n: number) => values.sigma[Math.floor(n / periods)];
  if (config.likelihood === 'normal') {
    for (let n = 0; n < mean.length; n++) out[n] = mean[n] + sigmaAt(n) * rng.normal();
  } else {
    const nu = values.nu[0];
    for (let n = 0; n < mean.length; n++) {
      const chiSquared = 2 * gammaVariate(rng, nu / 2);
      out[n] = mean[n] + (sigmaAt(n) * rng.normal()) / Math.sqrt(chiSquared / nu);
    }
  }
  return out;
}

/** Log median media coefficient m [C] of one draw (derived under a derived media prior). */
function derivedM(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, channels: C } = designDims(design);
  const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
  const mediaByGeo = G > 1 && config.geo.media !== 'pooled';
  return Float64Array.from({ length: C }, (_, c) => Math.log(beta[c]) - (mediaByGeo ? values.eta[c] * values.u[c] : 0));
}

/** Prior (predictive) draws as a Posterior: parameters, `m` (derived, derived media priors) and `y_rep` [G, T] (derived). */
export function samplePriorPredictive(design: MmmDesign, config: MmmModelConfig, options: PriorPredictiveOptions): Posterior {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const chains = options.chains ?? 1;
  const draws = options.draws;
  if (!(Number.isInteger(draws) && draws >= 1)) throw new Error(`samplePriorPredictive: draws must be a positive integer, got ${draws}`);
  if (!(Number.isInteger(chains) && chains >= 1)) throw new Error(`samplePriorPredictive: chains must be a positive integer, got ${chains}`);
  const parameters = priorParameters(design, config);
  const sizes = parameters.map((p) => p.shape.reduce((a, b) => a * b, 1));
  const storage = parameters.map((_, i) => new Float64Array(chains * draws * sizes[i]));
  // under a derived media prior m is derived per draw; where organic channels keep m as their parameter (ROI, mROI), the derived m is left out
  const derivedPrior = config.mediaPrior.type !== 'coefficient' && !parameters.some((p) => p.name === 'm');
  const mDraws = derivedPrior ? new Float64Array(chains * draws * C) : undefined;
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
