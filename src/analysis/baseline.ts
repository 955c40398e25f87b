/**
 * The non-media part of the geo MMM's mean for one draw (shared/reference-model.md "Mean" without
 * the media sum): geo intercept tau_g + the linear terms (delta tr[t] or the knots' time effect
 * knot . w[t], phi . f[t], gamma . z[g,t], xi . e[g,t]; models/mmm linearTerms) + treatment .
 * x_baseline (every non-media treatment at its baseline value), on the scaled KPI. Times the geo's
 * KPI unit it is the baseline in KPI units: what the model expects without any media and with the
 * treatments at their baselines. Term by term as models/mmm/hostModel.ts `meanKpiHost` (tests check
 * baseline + media (+ treatment contributions) = meanKpiHost).
 */
import { designDims, interceptHost, linearTerms, linearTermsHost, type MmmModelConfig, type MmmDesign, type DrawValues, type LinearTerm } from '../../models/mmm/index.js';

/**
 * Deterministic features of a design's linear terms (trend or knots, Fourier, controls, events),
 * built once per analysis. The non-media treatments are left out: the baseline holds them at their
 * baseline values, and their contributions are reported separately (mediaAnalysis.ts).
 */
export interface TimeFeatures {
  readonly terms: readonly LinearTerm[];
}

export function timeFeatures(design: MmmDesign, config: MmmModelConfig): TimeFeatures {
  return { terms: linearTerms(design, config).filter((term) => term.component !== 'treatments') };
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
  const { periods: T, treatments: NT } = designDims(design);
  let treatedBaseline = 0;
  for (let k = 0; k < NT; k++) treatedBaseline += values.treatment[k] * (design.treatmentBaselines as Float64Array)[k];
  for (let g = geoStart; g < geoEnd; g++) {
    const intercept = interceptHost(design, config, values, g) + treatedBaseline;
    for (let t = 0; t < T; t++) out[(g - geoStart) * T + t] = linearTermsHost(features.terms, values, g * T + t, t, intercept);
  }
  return out;
}
