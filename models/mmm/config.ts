/**
 * Model options of the geo MMM and their defaults. The defaults are exactly the reference model of
 * shared/reference-model.md (geometric adstock with max lag 8, Hill saturation with free slope,
 * log-normal geo media effects, geo intercepts, linear trend, Fourier seasonality of order 2,
 * Normal likelihood, the priors stated there), so that Mixwell and the Stan peer fit the same
 * posterior. Every prior can be replaced from a JSON config.
 */
import type { PriorSpec } from '../../src/distributions/index.js';
import type { AdstockType } from './components/adstock/index.js';
import type { SaturationType } from './components/saturation/index.js';
import type { KnotSpec } from './components/knots.js';

export type { PriorSpec, PriorValue } from '../../src/distributions/index.js';
export { PRIOR_PARAMETERS } from '../../src/distributions/index.js';
export type { AdstockType } from './components/adstock/index.js';
export type { SaturationType } from './components/saturation/index.js';
export type { KnotSpec } from './components/knots.js';

export type Parameterization = 'centered' | 'noncentered';

/** Controls' or non-media treatments' coefficients: one for all geos, or one per geo around it. */
export type LinearEffectForm = 'pooled' | 'hierarchical';

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

/**
 * Names of the model's parameters that take a prior from `model.priors`: the parameters of every
 * registered adstock and saturation kind (components/adstock, components/saturation) and of the
 * other components (reference-model names where they exist); parameters.ts `priorNames` lists them.
 */
export type PriorName = string;

export interface RoiPriorWindow {
  /** First and last date (inclusive, ISO) of the window the ROI refers to, e.g. an experiment's. */
  readonly from: string;
  readonly to: string;
}

/**
 * Meridian's ROI prior from the share of the outcome media explains (prior_distribution.py
 * `_get_total_media_contribution_prior`): "all media together explain mean +- sd of the total
 * outcome" turned into one LogNormal prior on every paid channel's ROI (components/coefficients.ts
 * `kpiSharePrior`). Meridian's constants: 0.4 and 0.2.
 */
export interface KpiShare {
  readonly mean: number;
  readonly sd: number;
}

export const DEFAULT_KPI_SHARE: KpiShare = { mean: 0.4, sd: 0.2 };

export type MediaPrior =
  | { readonly type: 'coefficient' }
  | { readonly type: 'roi'; readonly window?: Readonly<Record<string, RoiPriorWindow>>; readonly kpiShare?: KpiShare }
  | { readonly type: 'contribution'; readonly window?: Readonly<Record<string, RoiPriorWindow>> }
  | { readonly type: 'mroi' };

export type MediaPriorType = MediaPrior['type'];

/**
 * A config's entry for a channel in a record by channel name (byChannel overrides, prior windows,
 * geo.media), or undefined: own keys only, so a channel named "constructor" or "toString" does not
 * find Object.prototype's members.
 */
export function byChannel<T>(record: Readonly<Record<string, T>> | undefined, channel: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, channel) ? record[channel] : undefined;
}

/** The windows of a media prior by channel (ROI and contribution priors; none for the others). */
export function mediaPriorWindows(prior: MediaPrior): Readonly<Record<string, RoiPriorWindow>> {
  return prior.type === 'roi' || prior.type === 'contribution' ? prior.window ?? {} : {};
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

/** One channel's adstock kind (its window is the global maxLag). */
export interface AdstockSpec {
  readonly type: AdstockType;
}

/** One channel's saturation kind. */
export interface SaturationSpec {
  readonly type: SaturationType;
  /** Hill only: a fixed slope instead of a free one. */
  readonly fixedSlope?: number;
}

/**
 * 'adstockThenSaturation': h(adstock(x)) (the reference model); 'saturationThenAdstock':
 * adstock(r h(x)) with r = 1 per cell (Meridian's hill_before_adstock; components/mediaTransform.ts).
 */
export type TransformOrder = 'adstockThenSaturation' | 'saturationThenAdstock';

export const TRANSFORM_ORDERS: readonly TransformOrder[] = ['adstockThenSaturation', 'saturationThenAdstock'];

export interface MmmModelConfig {
  /**
   * The adstock kind of every channel, and `byChannel` overrides of the kind for named channels
   * (components/transformKinds.ts). One window maxLag for all channels.
   */
  readonly adstock: { readonly type: AdstockType; readonly maxLag: number; readonly byChannel?: Readonly<Record<string, AdstockSpec>> };
  /** The saturation kind of every channel, and `byChannel` overrides (a whole spec: type and fixedSlope) for named channels. */
  readonly saturation: SaturationSpec & { readonly byChannel?: Readonly<Record<string, SaturationSpec>> };
  /**
   * The order of the media transforms: adstock then saturation (default, the reference model) or
   * saturation then adstock (Meridian's hill_before_adstock), for all channels, with `byChannel`
   * overrides. Absent: adstock then saturation for every channel.
   */
  readonly order?: { readonly type: TransformOrder; readonly byChannel?: Readonly<Record<string, TransformOrder>> };
  /**
   * Geo effects: centered or non-centered intercepts (hierarchical around tau0 with sd sigma_tau), or
   * 'fixed' intercepts around a baseline geo (Meridian's geo fixed effects): tau_baseline = tau0,
   * tau_g = tau0 + tau_offset_g for the others, independent priors, no sigma_tau. `baselineGeo` (only
   * with 'fixed'): the baseline's name; default the geo with the largest population (the data's
   * population column, scaled or not), or the first geo without one (components/intercepts.ts).
   * Media coefficients varying by geo or pooled.
   * `media` may also map channel names to 'centered' / 'noncentered' (unlisted channels:
   * non-centered): the model stays non-centered (u) and the sampler moves the listed channels'
   * effects in centered coordinates log beta[g,c] = m_c + eta_c u[g,c] (src/ppl/centering.ts).
   * `controls` / `treatments`: 'pooled' (default, the reference model: one coefficient per control,
   * gamma_k, or per non-media treatment) or 'hierarchical' (Meridian's geo-varying gamma_gc, gamma_gn:
   * geo g's coefficient gamma_k + gamma_sd_k gamma_dev[g,k], gamma_dev ~ N(0, 1); the same with
   * treatment, treatment_sd, treatment_dev; components/linearTerms.ts). With one geo they change nothing.
   */
  readonly geo: {
    readonly intercept: Parameterization | 'fixed';
    readonly baselineGeo?: string;
    readonly media: Parameterization | 'pooled' | MediaCenteringByChannel;
    readonly controls?: LinearEffectForm;
    readonly treatments?: LinearEffectForm;
  };
  readonly trend: boolean;
  readonly seasonality: { readonly order: number; readonly period: number };
  /**
   * The baseline's time effect. Absent (the default, the reference model): the linear trend and
   * Fourier seasonality above. {type: 'knots'}: Meridian's knots (components/knots.ts), a
   * piecewise-linear time effect shared by the geos, instead of the trend (trend must be false:
   * a linear trend lies in the knots' span); Fourier seasonality may be added unless there is a
   * knot at every period. `knots`: a count (evenly spaced), period indices, 'all' (one per period)
   * or 'auto' (the count chosen by BIC, components/knotSelection.ts); absent: 'all' with more than
   * one geo, 'auto' with one (a knot per period on one series would be the KPI itself).
   */
  readonly time?: TimeConfig;
  readonly likelihood: 'normal' | 'studentT';
  /**
   * One noise scale per geo (Meridian's unique_sigma_for_each_geo): sigma is [G], each with the
   * prior of `sigma`. Default false: one sigma shared by the geos (the reference model).
   */
  readonly sigmaByGeo?: boolean;
  /**
   * What the media prior is on (Meridian's media_prior_type; components/coefficients.ts):
   * 'coefficient': m (log median media coefficient). The others put the prior on a quantity of the
   * model and derive m from it per draw in closed form: 'roi' each paid channel's ROI (optionally
   * over a window, and optionally with one ROI prior for all channels from `kpiShare`),
   * 'contribution' each channel's share of the total outcome (optionally over a window), 'mroi' each
   * paid channel's marginal ROI.
   */
  readonly mediaPrior: MediaPrior;
  readonly priors: Readonly<Record<PriorName, PriorSpec>>;
  /** Lift tests entering the likelihood (absent or empty: none). */
  readonly experiments?: readonly LiftExperiment[];
  /**
   * The linear-Gaussian block (intercepts, trend or knots, seasonality, controls, events, treatments): 'integrate' it out
   * and draw it exactly per kept draw (components/linearBlock.ts), 'sample' it with the rest, or
   * 'auto' (default): integrate when the likelihood and the block's priors are normal, else sample.
   */
  readonly linearBlock?: 'auto' | 'integrate' | 'sample';
  /**
   * The reach and frequency channels (data order), from the data's channel kinds (`withRfChannels`,
   * set when a fit reads its data; never parsed from the JSON config). Each is transformed as
   * Meridian's adstock_hill_rf: Hill on the frequency (parameters k_rf, s_rf), times the scaled
   * reach, then adstocked (components/transformKinds.ts). Absent: none.
   */
  readonly rfChannels?: readonly string[];
  /** Time-varying media effectiveness for some channels (absent: every channel static). */
  readonly timeVarying?: TimeVaryingConfig;
}

/**
 * `model.timeVarying` (components/timeVarying.ts): the channels whose effectiveness varies over time,
 * beta[g,c,t] = exp(m_c + dev[g,c] + w_c(t)) with w_c a centred Hilbert-space GP over the periods,
 * and the basis's options.
 */
export interface TimeVaryingConfig {
  /** Channel names, or 'all'. */
  readonly channels: readonly string[] | 'all';
  /** The process: 'hsgp' (default, a Hilbert-space GP) or 'randomWalk' (a random walk on a coarse grid). */
  readonly method?: 'hsgp' | 'randomWalk';
  /** Random walk: periods between grid knots (default 13). */
  readonly gridPeriods?: number;
  /** Boundary factor c of the basis (default 1.5). */
  readonly boundary?: number;
  /** The smallest length scale (periods) the basis count is chosen for (default 8). */
  readonly minLengthScale?: number;
  /** The number of basis functions (default by the paper's rule from minLengthScale and boundary). */
  readonly basisFunctions?: number;
}

export interface TimeConfig {
  readonly type: 'knots';
  readonly knots?: KnotSpec;
}

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
