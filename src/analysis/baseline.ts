/**
 * The non-media part of the geo MMM's mean for one draw (shared/reference-model.md "Mean" without
 * the media sum): geo intercept tau_g + delta tr[t] + phi . f[t] + gamma . z[g,t] + xi . e[g,t]
 * + treatment . x_baseline (every non-media treatment at its baseline value), on the scaled KPI; with
 * hierarchical controls or treatments (model.geo) each geo's own coefficients (`cellCoefficientHost`). Times the geo's KPI unit it is the baseline in KPI units: what the model expects
 * without any media. Term by term as models/mmm/hostModel.ts `meanKpiHost` (tests check
 * baseline + media = meanKpiHost).
 */
import { fourierFeatures, trendFeature } from '../data/index.js';
import { cellCoefficientHost, designDims, interceptHost, type MmmModelConfig, type MmmDesign, type DrawValues } from '../../models/mmm/index.js';

/** Deterministic time features of a design: trend [T] and Fourier [T, 2S]. */
export interface TimeFeatures {
  readonly trend: Float64Array;
  readonly fourier: Float64Array;
}

export function timeFeatures(design: MmmDesign, config: MmmModelConfig): TimeFeatures {
  const T = design.dates.length;
  return {
    trend: Float64Array.from(trendFeature(T)),
    fourier: Float64Array.from(fourierFeatures(T, config.seasonality.order, config.seasonality.period)),
  };
}

/**
 * Scaled non-media mean for geos [geoStart, geoEnd), written to `out` as [geoEnd - geoStart, T]
 * (geo-major).
 */
export function baselineScaled(
  design: MmmDesign,
  config: MmmModelConfig,
  values: DrawValues,
  features: TimeFeatures,
  geoStart: number,
  geoEnd: number,
  out: Float64Array = new Float64Array((geoEnd - geoStart) * design.dates.length),
): Float64Array {
  const { geos: G, periods: T, controls: K, events: E, treatments: NT } = designDims(design);
  const J = 2 * config.seasonality.order;
  const gamma = new Float64Array(K);
  for (let g = geoStart; g < geoEnd; g++) {
    let treatedBaseline = 0;
    for (let k = 0; k < NT; k++) treatedBaseline += cellCoefficientHost(design, config, values, 'treatment', g, k) * (design.treatmentBaselines as Float64Array)[k];
    for (let k = 0; k < K; k++) gamma[k] = cellCoefficientHost(design, config, values, 'gamma', g, k);
    const intercept = interceptHost(design, config, values, g) + treatedBaseline;
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      let mu = intercept;
      if (config.trend) mu += values.delta[0] * features.trend[t];
      for (let j = 0; j < J; j++) mu += values.phi[j] * features.fourier[t * J + j];
      for (let k = 0; k < K; k++) mu += gamma[k] * design.controls[n * K + k];
      for (let e = 0; e < E; e++) mu += values.xi[e] * design.events[n * E + e];
      out[(g - geoStart) * T + t] = mu;
    }
  }
  return out;
}
