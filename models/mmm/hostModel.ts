/**
 * The geo MMM evaluated on the host in float64 for one posterior draw: saturated media, media
 * coefficients (with m derived from the ROI under an ROI prior) and the KPI mean, term by term as
 * in shared/reference-model.md. The analysis layer (contributions, ROI, response curves) and the
 * reference density (referenceDensity.ts) both use these; the tensor model is tested against them.
 *
 * `values` are constrained parameter values by name (flat arrays), as in a posterior draw.
 */
import { fourierFeatures, trendFeature } from '../../src/data/index.js';
import type { MmmModelConfig } from './config.js';
import { designDims, type MmmDesign } from './design.js';
import { adstockWeights, applyAdstock, saturate, type AdstockParameters, type SaturationParameters } from './transforms.js';

export type DrawValues = Readonly<Record<string, ArrayLike<number>>>;

/** Saturated media h [G, T, C] for one draw. */
export function saturatedMediaHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const out = new Float64Array(G * T * C);
  const series = new Float64Array(T);
  const adstocked = new Float64Array(T);
  for (let c = 0; c < C; c++) {
    const adstock: AdstockParameters = {
      alpha: values.alpha?.[c],
      theta: values.theta?.[c],
      shape: values.weibullShape?.[c],
      scale: values.weibullScale?.[c],
    };
    const weights = adstockWeights(config.adstock.type, adstock, config.adstock.maxLag);
    const slope = config.saturation.type === 'michaelisMenten' ? 1 : config.saturation.fixedSlope ?? values.s?.[c];
    const saturation: SaturationParameters = { k: values.k?.[c], s: slope, lambda: values.lambda?.[c] };
    const type = config.saturation.type === 'michaelisMenten' ? 'hill' : config.saturation.type;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) series[t] = design.media[(g * T + t) * C + c];
      applyAdstock(series, weights, adstocked);
      for (let t = 0; t < T; t++) out[(g * T + t) * C + c] = saturate(type, saturation, adstocked[t]);
    }
  }
  return out;
}

/** Media coefficients beta [G, C] for one draw (derives m from roi under an ROI prior). */
export function mediaCoefficientsHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, saturated: Float64Array): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const byGeo = G > 1 && config.geo.media !== 'pooled';
  const deviation = (g: number, c: number): number => {
    if (!byGeo) return 0;
    if (config.geo.media === 'centered') return values.log_beta[g * C + c] - values.m[c];
    return values.eta[c] * values.u[g * C + c];
  };
  const beta = new Float64Array(G * C);
  for (let c = 0; c < C; c++) {
    let m: number;
    if (config.mediaPrior.type === 'roi') {
      const window = config.mediaPrior.window?.[design.channelNames[c]];
      let spend = 0;
      let weighted = 0;
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < T; t++) {
          const date = design.dates[t];
          if (window && (date < window.from || date > window.to)) continue;
          spend += design.spend[(g * T + t) * C + c];
          const value = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[g * T + t] : 1);
          weighted += Math.exp(deviation(g, c)) * saturated[(g * T + t) * C + c] * value;
        }
      }
      m = Math.log(values.roi[c]) + Math.log(spend) - Math.log(weighted);
    } else {
      m = values.m[c];
    }
    for (let g = 0; g < G; g++) {
      beta[g * C + c] = config.geo.media === 'centered' && byGeo ? Math.exp(values.log_beta[g * C + c]) : Math.exp(m + deviation(g, c));
    }
  }
  return beta;
}

/** Mean of the scaled KPI [G, T] for one draw. */
export function meanKpiHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, periods: T, channels: C, controls: K, events: E } = designDims(design);
  const S = config.seasonality.order;
  const saturated = saturatedMediaHost(design, config, values);
  const beta = mediaCoefficientsHost(design, config, values, saturated);
  const trend = trendFeature(T);
  const fourier = fourierFeatures(T, S, config.seasonality.period);
  const mean = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    let intercept = values.tau0[0];
    if (G > 1) intercept = config.geo.intercept === 'centered' ? values.tau[g] : values.tau0[0] + values.sigma_tau[0] * values.v[g];
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      let mu = intercept;
      if (config.trend) mu += values.delta[0] * trend[t];
      for (let j = 0; j < 2 * S; j++) mu += values.phi[j] * fourier[t * 2 * S + j];
      for (let k = 0; k < K; k++) mu += values.gamma[k] * design.controls[n * K + k];
      for (let e = 0; e < E; e++) mu += values.xi[e] * design.events[n * E + e];
      for (let c = 0; c < C; c++) mu += beta[g * C + c] * saturated[n * C + c];
      mean[n] = mu;
    }
  }
  return mean;
}
