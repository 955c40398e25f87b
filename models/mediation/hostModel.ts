/**
 * The mediation model evaluated on the host in float64 for one posterior draw, term by term: the
 * direct-effect term of a channel in the KPI equation (beta_c sat(adstock(x_c))), the term of a path
 * edge in a mediator equation (g_e sat_M(adstock_M(x_driver))), and each equation's baseline. Media
 * series are the scaled inputs (design.media, national: [T, C]); any series can be passed, so the
 * analysis can evaluate counterfactuals. Transforms are the MMM's components in their
 * obviously-right form (adstock weights with the lag sum, the saturation's scalar curve). The
 * reference density (referenceDensity.ts) and the effects (src/analysis/mediationEffects.ts) use
 * these; the kernel (kernel.ts) is tested against them.
 *
 * `values` are constrained parameter values by name (flat arrays), as in a posterior draw.
 */
import { fourierFeatures } from '../../src/data/index.js';
import { applyAdstock, geometric, saturationKind, type MmmDesign } from '../mmm/index.js';
import { trendColumns, type MediationAdstock, type MediationModelConfig, type MediationSaturation } from './config.js';
import { saturationOptions } from './kernel.js';
import type { MediationStructure } from './structure.js';

export type DrawValues = Readonly<Record<string, ArrayLike<number>>>;

export interface MediationHost {
  readonly periods: number;
  readonly channels: number;
  readonly mediatorCount: number;
  /** Column c of a [T, C] media array. */
  channelSeries(media: ArrayLike<number>, c: number): Float64Array;
  /** beta_c sat(adstock(series)) of the KPI equation [T]. */
  directTerm(values: DrawValues, c: number, series: ArrayLike<number>): Float64Array;
  /** g_e sat_M(adstock_M(series)) of path edge e [T]. */
  pathTerm(values: DrawValues, e: number, series: ArrayLike<number>): Float64Array;
  /** Baseline of the KPI equation [T]. */
  kpiBaseline(values: DrawValues): Float64Array;
  /** Baseline of mediator m's equation [T]. */
  mediatorBaseline(values: DrawValues, m: number): Float64Array;
  /** Mean of the scaled KPI [T] given scaled media [T, C]. */
  kpiMean(values: DrawValues, media: ArrayLike<number>): Float64Array;
  /** Mean of mediator m's scaled activity [T] given scaled media [T, C]. */
  mediatorMean(values: DrawValues, m: number, media: ArrayLike<number>): Float64Array;
}

/** sat(adstock(series)) with the row's adstock decay (unused without adstock) and saturation parameters (the kind's order). */
function transformSeries(series: ArrayLike<number>, adstock: MediationAdstock, saturation: MediationSaturation, alpha: number | undefined, saturationParameters: ArrayLike<number>): Float64Array {
  let weights = Float64Array.of(1);
  if (adstock.type === 'geometric' && adstock.maxLag > 1) {
    weights = new Float64Array(adstock.maxLag);
    geometric.weights([alpha as number], adstock.maxLag, weights);
  }
  const out = applyAdstock(series, weights, new Float64Array(series.length));
  if (saturation.type === 'none') return out;
  const kind = saturationKind(saturation.type);
  const options = saturationOptions(saturation);
  for (let t = 0; t < out.length; t++) out[t] = kind.value(saturationParameters, options, out[t]);
  return out;
}

/** Values of a row's saturation parameters (prefix '' or 'path_'), the kind's order. */
function saturationValues(values: DrawValues, saturation: MediationSaturation, prefix: '' | 'path_', j: number): number[] {
  if (saturation.type === 'none') return [];
  return saturationKind(saturation.type).parameters(saturationOptions(saturation)).map((p) => values[`${prefix}${p.name}`][j]);
}

export function mediationHost(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure): MediationHost {
  const T = design.dates.length;
  const C = design.channelNames.length;
  const K = design.controlNames.length;
  const E = design.eventNames.length;
  const M = structure.mediators.length;
  const S = config.seasonality.order;
  const kpiTrend = config.trend ? { columns: trendColumns(T, config.trendKnots), width: 1 + config.trendKnots } : undefined;
  const mediatorTrend = config.trend ? { columns: trendColumns(T, config.mediatorTrendKnots), width: 1 + config.mediatorTrendKnots } : undefined;
  const fourier = S > 0 ? fourierFeatures(T, S, config.seasonality.period) : undefined;

  /** Baseline with intercept, trend, Fourier, control and event coefficients at the given offsets. */
  function baseline(trend: { columns: Float64Array; width: number } | undefined, intercept: number, delta: ArrayLike<number> | undefined, deltaAt: number, phi: ArrayLike<number> | undefined, phiAt: number, gamma: ArrayLike<number> | undefined, gammaAt: number, xi: ArrayLike<number> | undefined, xiAt: number): Float64Array {
    const out = new Float64Array(T).fill(intercept);
    for (let t = 0; t < T; t++) {
      if (trend && delta) for (let j = 0; j < trend.width; j++) out[t] += delta[deltaAt + j] * trend.columns[t * trend.width + j];
      if (fourier && phi) for (let j = 0; j < 2 * S; j++) out[t] += phi[phiAt + j] * fourier[t * 2 * S + j];
      if (gamma) for (let k = 0; k < K; k++) out[t] += gamma[gammaAt + k] * design.controls[t * K + k];
      if (xi) for (let e = 0; e < E; e++) out[t] += xi[xiAt + e] * design.events[t * E + e];
    }
    return out;
  }

  const host: MediationHost = {
    periods: T,
    channels: C,
    mediatorCount: M,
    channelSeries(media, c) {
      return Float64Array.from({ length: T }, (_, t) => media[t * C + c]);
    },
    directTerm(values, c, series) {
      const h = transformSeries(series, config.adstock, config.saturation, values.alpha?.[c], saturationValues(values, config.saturation, '', c));
      const beta = values.beta[c];
      for (let t = 0; t < T; t++) h[t] *= beta;
      return h;
    },
    pathTerm(values, e, series) {
      const saturation = config.mediatorSaturation;
      const h = transformSeries(series, config.mediatorAdstock, saturation, values.path_alpha?.[e], saturationValues(values, saturation, 'path_', e));
      const g = values.path_coef[e];
      for (let t = 0; t < T; t++) h[t] *= g;
      return h;
    },
    kpiBaseline(values) {
      return baseline(kpiTrend, values.intercept[0], values.delta, 0, values.phi, 0, values.gamma, 0, values.xi, 0);
    },
    mediatorBaseline(values, m) {
      return baseline(mediatorTrend, values.med_intercept[m], values.med_delta, m * (1 + config.mediatorTrendKnots), values.med_phi, m * 2 * S, values.med_gamma, m * K, values.med_xi, m * E);
    },
    kpiMean(values, media) {
      const mean = host.kpiBaseline(values);
      for (let c = 0; c < C; c++) {
        const term = host.directTerm(values, c, host.channelSeries(media, c));
        for (let t = 0; t < T; t++) mean[t] += term[t];
      }
      return mean;
    },
    mediatorMean(values, m, media) {
      const mean = host.mediatorBaseline(values, m);
      structure.edges.forEach((edge, e) => {
        if (edge.mediator !== m) return;
        const term = host.pathTerm(values, e, host.channelSeries(media, edge.driver));
        for (let t = 0; t < T; t++) mean[t] += term[t];
      });
      return mean;
    },
  };
  return host;
}
