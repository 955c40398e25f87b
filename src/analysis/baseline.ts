/**
 * The non-media part of the geo MMM's mean for one draw (shared/reference-model.md "Mean" without
 * the media sum): geo intercept tau_g + the linear terms (delta tr[t] or the knots' time effect
 * knot . w[t], phi . f[t], gamma . z[g,t], xi . e[g,t]; models/mmm linearTerms), on the scaled KPI.
 * Times the geo's KPI unit it is the baseline in KPI units: what the model expects without any
 * media. Term by term as models/mmm/hostModel.ts `meanKpiHost` (tests check baseline + media =
 * meanKpiHost).
 */
import { linearTerms, linearTermsHost, type MmmModelConfig, type MmmDesign, type DrawValues, type LinearTerm } from '../../models/mmm/index.js';

/** Deterministic features of a design's linear terms (trend or knots, Fourier, controls, events), built once per analysis. */
export interface TimeFeatures {
  readonly terms: readonly LinearTerm[];
}

export function timeFeatures(design: MmmDesign, config: MmmModelConfig): TimeFeatures {
  return { terms: linearTerms(design, config) };
}

/** Intercept tau_g of one geo at one draw. */
export function geoIntercept(config: MmmModelConfig, values: DrawValues, geo: number, geos: number): number {
  if (geos <= 1) return values.tau0[0];
  return config.geo.intercept === 'centered' ? values.tau[geo] : values.tau0[0] + values.sigma_tau[0] * values.v[geo];
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
  const G = design.geoNames.length;
  const T = design.dates.length;
  for (let g = geoStart; g < geoEnd; g++) {
    const intercept = geoIntercept(config, values, g, G);
    for (let t = 0; t < T; t++) out[(g - geoStart) * T + t] = linearTermsHost(features.terms, values, g * T + t, t, intercept);
  }
  return out;
}
