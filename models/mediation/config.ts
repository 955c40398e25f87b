/**
 * Options of the mediation model (model.ts) and their defaults. A mediation model is two kinds of
 * equation fitted jointly (one log density):
 *
 * - the KPI equation: baseline + the direct effect of every channel, mediators included
 *   (adstock then saturation, as models/mmm/transforms.ts);
 * - one equation per mediator channel: its own activity (scaled media input) = baseline + the
 *   effects of the channels that drive it (`drivenBy`: adstock, optional saturation, a signed path
 *   coefficient), + noise.
 *
 * Every equation shares the baseline form (intercept, optional linear or piecewise-linear trend, Fourier seasonality,
 * controls, events) with its own coefficients, and the error model: independent Normal errors or
 * AR(1) errors (regression with autoregressive errors, exact Gaussian likelihood as Prais & Winsten
 * 1954), the latter for slowly wandering baselines that a trend and seasonality cannot follow.
 * This is the structural-equation view of mediation (Baron & Kenny 1986; Pearl 2001, "Direct and
 * indirect effects"), with MMM media transforms on the paths (as PyMC-Marketing's upper-funnel
 * example, "mmm_upper_funnel_causal_approach").
 */
import type { PriorSpec } from '../mmm/index.js';

/** Adstock of an equation's inputs: normalized geometric weights over maxLag lags, or none (lag 0 only). */
export type MediationAdstock = { readonly type: 'geometric'; readonly maxLag: number } | { readonly type: 'none' };

/** Saturation after adstock. 'none' (a linear path) is allowed for mediator equations only. */
export type MediationSaturation =
  | { readonly type: 'hill'; readonly fixedSlope?: number }
  | { readonly type: 'michaelisMenten' }
  | { readonly type: 'logistic' }
  | { readonly type: 'none' };

export type ErrorModel = 'iid' | 'ar1';

/** Names of the parameters that take a prior. */
export const MEDIATION_PRIOR_NAMES = [
  'alpha', 'k', 's', 'lambda', 'beta',
  'intercept', 'delta', 'phi', 'gamma', 'xi', 'sigma', 'rho',
  'pathAlpha', 'pathK', 'pathS', 'pathLambda', 'pathCoefficient',
  'mediatorIntercept', 'mediatorDelta', 'mediatorPhi', 'mediatorGamma', 'mediatorXi', 'mediatorSigma', 'mediatorRho',
] as const;
export type MediationPriorName = (typeof MEDIATION_PRIOR_NAMES)[number];

export interface MediatorSpec {
  /** Channels whose activity drives this mediator's activity. */
  readonly drivenBy: readonly string[];
}

export interface MediationModelConfig {
  /** KPI equation: adstock and saturation of every channel's direct effect. */
  readonly adstock: MediationAdstock;
  readonly saturation: Exclude<MediationSaturation, { type: 'none' }>;
  /** Mediator equations: adstock and saturation of each driving channel's path. */
  readonly mediatorAdstock: MediationAdstock;
  readonly mediatorSaturation: MediationSaturation;
  /** Baseline of every equation: a linear trend, with changes of slope at knots when asked. */
  readonly trend: boolean;
  /**
   * Interior knots of the KPI equation's piecewise-linear trend (evenly spaced; Taylor & Letham
   * 2018, Prophet's changepoints, here with a Normal prior on the slope changes): 0 = a straight line.
   */
  readonly trendKnots: number;
  /** The same for the mediator equations (with AR(1) errors a wandering baseline rarely needs them). */
  readonly mediatorTrendKnots: number;
  readonly seasonality: { readonly order: number; readonly period: number };
  /** Error model of every equation. */
  readonly errors: ErrorModel;
  /** Mediator channel name -> its drivers. At least one mediator. */
  readonly mediators: Readonly<Record<string, MediatorSpec>>;
  readonly priors: Readonly<Partial<Record<MediationPriorName, PriorSpec>>>;
}

/**
 * Default priors, on the scaled data (KPI / its mean, media / its channel mean). Direct effects
 * (beta) and path coefficients are signed (Normal priors): a channel may have no direct effect at
 * all, and the posterior should be free to say so; give a positive-support prior (halfNormal,
 * logNormal, gamma, exponential, halfCauchy) to constrain them positive.
 */
export const DEFAULT_MEDIATION_PRIORS: Readonly<Record<MediationPriorName, PriorSpec>> = {
  alpha: { dist: 'beta', a: 2, b: 2 },
  k: { dist: 'logNormal', mu: 0, sigma: 0.5 },
  s: { dist: 'logNormal', mu: 0, sigma: 0.3 },
  lambda: { dist: 'gamma', shape: 3, rate: 1 },
  beta: { dist: 'normal', loc: 0, scale: 0.5 },
  intercept: { dist: 'normal', loc: 0.5, scale: 0.5 },
  delta: { dist: 'normal', loc: 0, scale: 0.5 },
  phi: { dist: 'normal', loc: 0, scale: 0.3 },
  gamma: { dist: 'normal', loc: 0, scale: 0.3 },
  xi: { dist: 'normal', loc: 0, scale: 0.3 },
  sigma: { dist: 'halfNormal', scale: 0.3 },
  rho: { dist: 'uniform', lower: -1, upper: 1 },
  pathAlpha: { dist: 'beta', a: 2, b: 2 },
  pathK: { dist: 'logNormal', mu: 0, sigma: 0.5 },
  pathS: { dist: 'logNormal', mu: 0, sigma: 0.3 },
  pathLambda: { dist: 'gamma', shape: 3, rate: 1 },
  pathCoefficient: { dist: 'normal', loc: 0, scale: 1 },
  mediatorIntercept: { dist: 'normal', loc: 0.5, scale: 1 },
  mediatorDelta: { dist: 'normal', loc: 0, scale: 0.5 },
  mediatorPhi: { dist: 'normal', loc: 0, scale: 0.3 },
  mediatorGamma: { dist: 'normal', loc: 0, scale: 0.3 },
  mediatorXi: { dist: 'normal', loc: 0, scale: 0.3 },
  mediatorSigma: { dist: 'halfNormal', scale: 0.5 },
  mediatorRho: { dist: 'uniform', lower: -1, upper: 1 },
};

/** Defaults of everything but the mediators (which have no default). */
export const DEFAULT_MEDIATION_MODEL: Omit<MediationModelConfig, 'mediators'> = {
  adstock: { type: 'geometric', maxLag: 8 },
  saturation: { type: 'hill' },
  mediatorAdstock: { type: 'geometric', maxLag: 8 },
  mediatorSaturation: { type: 'none' },
  trend: true,
  trendKnots: 0,
  mediatorTrendKnots: 0,
  seasonality: { order: 2, period: 52 },
  errors: 'iid',
  priors: {},
};

export function mediationPrior(config: MediationModelConfig, name: MediationPriorName): PriorSpec {
  return config.priors[name] ?? DEFAULT_MEDIATION_PRIORS[name];
}

/** Lags of an adstock (1 when there is none). */
export function adstockLags(adstock: MediationAdstock): number {
  return adstock.type === 'none' ? 1 : adstock.maxLag;
}

/** Trend columns [T, 1 + knots] row-major: (t - 1) / (T - 1), then max(0, u - j / (knots + 1)) for j = 1..knots. */
export function trendColumns(T: number, knots: number): Float64Array {
  const width = 1 + knots;
  const out = new Float64Array(T * width);
  for (let t = 0; t < T; t++) {
    const u = T > 1 ? t / (T - 1) : 0;
    out[t * width] = u;
    for (let j = 1; j <= knots; j++) out[t * width + j] = Math.max(0, u - j / (knots + 1));
  }
  return out;
}

/** Names of the trend coefficients: slope, then the slope change at each knot. */
export function trendNames(knots: number): string[] {
  return ['slope', ...Array.from({ length: knots }, (_, j) => `knot${j + 1}`)];
}
