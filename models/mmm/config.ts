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

/**
 * Channel name -> how the sampler moves that channel's geo media effects: 'centered',
 * 'noncentered', or a partial-centering weight w in [0, 1] (src/ppl/centering.ts).
 */
export type MediaCenteringByChannel = Readonly<Record<string, Parameterization | number>>;

/** The centering weight of a channel's form: 1 centered, 0 non-centered, or the weight given. */
export function centeringWeight(form: Parameterization | number | undefined): number {
  if (form === 'centered') return 1;
  if (form === undefined || form === 'noncentered') return 0;
  return form;
}

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

/**
 * A lift test (a randomized geo or time experiment on one channel) used as a likelihood term: the
 * model's own counterfactual incremental KPI for the test, carryover included, is tied to the
 * measured one (models/mmm/liftTests.ts states the definitions).
 */
export interface LiftExperiment {
  /** Label in reports (default: "<channel> <from>..<to>"). */
  readonly name?: string;
  readonly channel: string;
  /** Geos whose spend was changed (the test cells), or every geo. */
  readonly geos: readonly string[] | 'all';
  /** First and last period (inclusive, ISO dates of the data) during which spend was changed. */
  readonly from: string;
  readonly to: string;
  /**
   * The spend change, test minus control condition, exactly one of: an absolute change per geo and
   * period in the spend's currency (e.g. -5000 for a go-dark of 5000 a week), or a multiplier of
   * the control spend (0.5 = half, 2 = double; 0 = go-dark, only with dataIncludesTest false).
   */
  readonly spendDelta?: number;
  readonly spendMultiplier?: number;
  /** True (default): the data's spend in the test geos and window is the test condition's. */
  readonly dataIncludesTest: boolean;
  /** The periods the measured lift covers (default from..to); may extend past `to` to include carryover. */
  readonly measuredFrom: string;
  readonly measuredTo: string;
  /** Measured incremental KPI (test minus control) over the measured periods and geos, original KPI units, and its standard error. */
  readonly liftKpi?: number;
  readonly liftSe?: number;
  /** Instead: one measured lift and standard error per measured period (summed over the geos). */
  readonly liftKpiByWeek?: readonly number[];
  readonly liftSeByWeek?: readonly number[];
  readonly likelihood: 'normal' | 'studentT';
  /** Degrees of freedom of the Student-t likelihood (default 5). */
  readonly df?: number;
}

export interface MmmModelConfig {
  readonly adstock: { readonly type: AdstockType; readonly maxLag: number };
  readonly saturation: { readonly type: SaturationType; /** Hill only: a fixed slope instead of a free one. */ readonly fixedSlope?: number };
  /**
   * Geo effects: centered or non-centered intercepts; media coefficients varying by geo or pooled.
   * `media` may also map channel names to 'centered' / 'noncentered' (unlisted channels:
   * non-centered): the model stays non-centered (u) and the sampler moves the listed channels'
   * effects in centered coordinates log beta[g,c] = m_c + eta_c u[g,c] (src/ppl/centering.ts).
   */
  readonly geo: {
    readonly intercept: Parameterization;
    readonly media: Parameterization | 'pooled' | MediaCenteringByChannel;
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
  /** Lift tests entering the likelihood (absent or empty: none). */
  readonly experiments?: readonly LiftExperiment[];
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
