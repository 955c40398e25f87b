/**
 * Model options of the geo MMM and their defaults. The defaults are exactly the reference model of
 * shared/reference-model.md (geometric adstock with max lag 8, Hill saturation with free slope,
 * log-normal geo media effects, geo intercepts, linear trend, Fourier seasonality of order 2,
 * Normal likelihood, the priors stated there), so that Mixwell and the Stan peer fit the same
 * posterior. Every prior can be replaced from a JSON config.
 */
import type { AdstockType, SaturationType } from './transforms.js';

/** A prior's parameter: one number for all channels, one per channel (array), or by channel name. */
export type PriorValue = number | readonly number[] | Readonly<Record<string, number>>;

export type PriorSpec =
  | { readonly dist: 'normal'; readonly loc: PriorValue; readonly scale: PriorValue }
  | { readonly dist: 'halfNormal'; readonly scale: PriorValue }
  | { readonly dist: 'logNormal'; readonly mu: PriorValue; readonly sigma: PriorValue }
  | { readonly dist: 'beta'; readonly a: PriorValue; readonly b: PriorValue }
  | { readonly dist: 'gamma'; readonly shape: PriorValue; readonly rate: PriorValue }
  | { readonly dist: 'exponential'; readonly rate: PriorValue }
  | { readonly dist: 'halfCauchy'; readonly scale: PriorValue }
  | { readonly dist: 'studentT'; readonly df: PriorValue; readonly loc: PriorValue; readonly scale: PriorValue }
  | { readonly dist: 'uniform'; readonly lower: PriorValue; readonly upper: PriorValue };

/** The parameters of each prior distribution, in constructor order. */
export const PRIOR_PARAMETERS: Readonly<Record<PriorSpec['dist'], readonly string[]>> = {
  normal: ['loc', 'scale'],
  halfNormal: ['scale'],
  logNormal: ['mu', 'sigma'],
  beta: ['a', 'b'],
  gamma: ['shape', 'rate'],
  exponential: ['rate'],
  halfCauchy: ['scale'],
  studentT: ['df', 'loc', 'scale'],
  uniform: ['lower', 'upper'],
};

export type Parameterization = 'centered' | 'noncentered';

/** Names of the model's parameters that take a prior (reference-model names where they exist). */
export type PriorName =
  | 'alpha' | 'theta' | 'weibullShape' | 'weibullScale'
  | 'k' | 's' | 'lambda'
  | 'm' | 'eta' | 'roi'
  | 'tau0' | 'sigma_tau'
  | 'delta' | 'phi' | 'gamma' | 'xi'
  | 'sigma' | 'nu';

export interface RoiPriorWindow {
  /** First and last date (inclusive, ISO) of the window the ROI refers to, e.g. an experiment's. */
  readonly from: string;
  readonly to: string;
}

export interface MmmModelConfig {
  readonly adstock: { readonly type: AdstockType; readonly maxLag: number };
  readonly saturation: { readonly type: SaturationType; /** Hill only: a fixed slope instead of a free one. */ readonly fixedSlope?: number };
  /** Geo effects: centered or non-centered intercepts; media coefficients varying by geo or pooled. */
  readonly geo: {
    readonly intercept: Parameterization;
    readonly media: Parameterization | 'pooled';
  };
  readonly trend: boolean;
  readonly seasonality: { readonly order: number; readonly period: number };
  readonly likelihood: 'normal' | 'studentT';
  /**
   * 'coefficient': the prior is on m (log median media coefficient). 'roi': the prior is on each
   * channel's ROI and m is derived from it per draw (Meridian's ROI prior), optionally over a window.
   */
  readonly mediaPrior: { readonly type: 'coefficient' } | { readonly type: 'roi'; readonly window?: Readonly<Record<string, RoiPriorWindow>> };
  readonly priors: Readonly<Partial<Record<PriorName, PriorSpec>>>;
}

/** Default priors; theta (the delayed adstock's peak lag) defaults to Uniform(0, maxLag - 1). */
export const DEFAULT_PRIORS: Readonly<Record<Exclude<PriorName, 'theta'>, PriorSpec>> = {
  alpha: { dist: 'beta', a: 2, b: 2 },
  weibullShape: { dist: 'gamma', shape: 2, rate: 1 },
  weibullScale: { dist: 'gamma', shape: 2, rate: 1 },
  k: { dist: 'logNormal', mu: 0, sigma: 0.5 },
  s: { dist: 'logNormal', mu: 0, sigma: 0.3 },
  lambda: { dist: 'gamma', shape: 3, rate: 1 },
  m: { dist: 'normal', loc: -1.5, scale: 1 },
  eta: { dist: 'halfNormal', scale: 0.3 },
  // Meridian's default ROI prior: LogNormal(0.2, 0.9).
  roi: { dist: 'logNormal', mu: 0.2, sigma: 0.9 },
  tau0: { dist: 'normal', loc: 0.5, scale: 0.5 },
  sigma_tau: { dist: 'halfNormal', scale: 0.3 },
  delta: { dist: 'normal', loc: 0, scale: 0.5 },
  phi: { dist: 'normal', loc: 0, scale: 0.3 },
  gamma: { dist: 'normal', loc: 0, scale: 0.3 },
  xi: { dist: 'normal', loc: 0, scale: 0.3 },
  sigma: { dist: 'halfNormal', scale: 0.3 },
  nu: { dist: 'gamma', shape: 2, rate: 0.1 },
};

export const DEFAULT_MODEL_CONFIG: MmmModelConfig = {
  adstock: { type: 'geometric', maxLag: 8 },
  saturation: { type: 'hill' },
  geo: { intercept: 'noncentered', media: 'noncentered' },
  trend: true,
  seasonality: { order: 2, period: 52 },
  likelihood: 'normal',
  mediaPrior: { type: 'coefficient' },
  priors: {},
};

/** The prior of a parameter: the config's, else the default. */
export function priorSpec(config: MmmModelConfig, name: PriorName): PriorSpec {
  const given = config.priors[name];
  if (given) return given;
  if (name === 'theta') return { dist: 'uniform', lower: 0, upper: config.adstock.maxLag - 1 };
  return DEFAULT_PRIORS[name];
}
