/**
 * The geo MMM evaluated on the host in float64 for one posterior draw, term by term as in
 * shared/reference-model.md with the components' obviously-right forms: saturated media
 * (components/mediaTransform.ts), media coefficients (components/coefficients.ts, with m derived
 * from the ROI under an ROI prior), the time-varying channels' effectiveness exp(w_c(t))
 * (components/timeVarying.ts) and the KPI mean (intercepts, linear terms, media). The analysis
 * layer (contributions, ROI, response curves) and the reference density (referenceDensity.ts) use
 * these; the kernel is tested against them. `values` are constrained parameter values by name (flat
 * arrays), as in a posterior draw.
 */
import type { MmmModelConfig } from './config.js';
import { mediaCoefficientsHost, type DrawValues } from './components/coefficients.js';
import { interceptHost } from './components/intercepts.js';
import { linearTerms, linearTermsHost } from './components/linearTerms.js';
import { channelTransform, transformSeries } from './components/mediaTransform.js';
import { checkRfChannels } from './components/transformKinds.js';
import { mediaEffectivenessHost } from './components/timeVarying.js';
import { designDims, type MmmDesign } from './design.js';

export { mediaCoefficientsHost, type DrawValues } from './components/coefficients.js';
export { mediaEffectivenessHost } from './components/timeVarying.js';

/** Transformed media h [G, T, C] for one draw (each channel in its order: components/mediaTransform.ts). */
export function saturatedMediaHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  checkRfChannels(config, design.channelNames, design.channelKinds);
  const out = new Float64Array(G * T * C);
  const series = new Float64Array(T);
  const reach = new Float64Array(T);
  const transformed = new Float64Array(T);
  const scratch = new Float64Array(T);
  for (let c = 0; c < C; c++) {
    const transform = channelTransform(config, values, c, design.channelNames);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) series[t] = design.media[(g * T + t) * C + c];
      if (transform.rf) {
        // reach and frequency: h of the frequency times the reach (the media), then adstocked
        const frequency = rfFrequencyOf(design);
        for (let t = 0; t < T; t++) reach[t] = series[t];
        for (let t = 0; t < T; t++) series[t] = frequency[(g * T + t) * C + c];
        transformSeries(transform, series, transformed, scratch, 1, reach);
      } else transformSeries(transform, series, transformed, scratch);
      for (let t = 0; t < T; t++) out[(g * T + t) * C + c] = transformed[t];
    }
  }
  return out;
}

/** The design's average frequency [G, T, C]; an error without one. */
export function rfFrequencyOf(design: MmmDesign): Float64Array {
  if (!design.rfFrequency) throw new Error('media transform: a reach and frequency channel needs the design\'s rfFrequency');
  return design.rfFrequency;
}

/**
 * The media term of the scaled KPI's mean [G, T] for one draw, sum_c beta[g,c] e[t,c] h[g,t,c]
 * (e = 1 for static channels), added channel by channel to `media` (zeros by default).
 */
export function mediaTermHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, media = new Float64Array(design.kpi.length)): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const saturated = saturatedMediaHost(design, config, values);
  const beta = mediaCoefficientsHost(design, config, values, saturated);
  const effectiveness = mediaEffectivenessHost(design, config, values);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      let total = media[n];
      for (let c = 0; c < C; c++) total += beta[g * C + c] * saturated[n * C + c] * (effectiveness ? effectiveness[t * C + c] : 1);
      media[n] = total;
    }
  }
  return media;
}

/** Mean of the scaled KPI [G, T] for one draw. */
export function meanKpiHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array {
  const { geos: G, periods: T } = designDims(design);
  const terms = linearTerms(design, config);
  const mean = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    const intercept = interceptHost(design, config, values, g);
    for (let t = 0; t < T; t++) mean[g * T + t] = linearTermsHost(terms, values, g * T + t, t, intercept);
  }
  return mediaTermHost(design, config, values, mean);
}
