/**
 * Data-only constants of the fused geo-MMM likelihood (likelihoodHost.ts), computed once at model
 * creation in float64: media per channel and its lags, the mask of cells whose whole adstock window
 * has zero media, the KPI and its holdout mask, the trend, Fourier, control and event features, and
 * the ROI-prior window weights. The model is shared/reference-model.md with the options of
 * config.ts; these are the same constants as geoModel.ts's `mmmConstants`, kept in float64 and laid
 * out for host loops (channel-major, rows n = g T + t).
 */
import { fourierFeatures, trendFeature } from '../../../src/data/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';

export interface LikelihoodData {
  readonly geos: number;
  readonly periods: number;
  readonly channels: number;
  readonly controls: number;
  readonly events: number;
  /** Max adstock lag L. */
  readonly maxLag: number;
  /** Number of Fourier columns (2 x order). */
  readonly fourierWidth: number;
  /** Scaled media [C, N] (N = G T, geo-major). */
  readonly media: Float64Array;
  /** Lagged media [C, L, N]: media[c, n - l] within the same geo, 0 before its first period. */
  readonly laggedMedia: Float64Array;
  /** [C, N] 1 where some media in the cell's adstock window is non-zero, else 0 (then h = 0). */
  readonly active: Uint8Array;
  /** Scaled KPI [N]. */
  readonly kpi: Float64Array;
  /** [N] 1 where the KPI enters the likelihood, 0 where held out. */
  readonly observed: Uint8Array;
  /** Observed periods per geo [G]. */
  readonly observedCount: Float64Array;
  /** Trend feature [T], or undefined without a trend. */
  readonly trend?: Float64Array;
  /** Fourier features [T, 2S] row-major. */
  readonly fourier: Float64Array;
  /** Controls [N, K] row-major. */
  readonly controlValues: Float64Array;
  /** Events [N, E] row-major. */
  readonly eventValues: Float64Array;
  /** ROI prior only: [C, N] window indicator x KPI unit x KPI value. */
  readonly roiWeight?: Float64Array;
  /** ROI prior only: [C] log of the spend in each channel's ROI window. */
  readonly logSpendTotal?: Float64Array;
}

export function likelihoodData(design: MmmDesign, config: MmmModelConfig): LikelihoodData {
  const { geos: G, periods: T, channels: C, controls: K, events: E } = designDims(design);
  const L = config.adstock.maxLag;
  const N = G * T;
  const media = new Float64Array(C * N);
  const laggedMedia = new Float64Array(C * L * N);
  const active = new Uint8Array(C * N);
  for (let c = 0; c < C; c++) {
    for (let n = 0; n < N; n++) media[c * N + n] = design.media[n * C + c];
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        for (let l = 0; l < L && l <= t; l++) {
          const x = media[c * N + n - l];
          laggedMedia[(c * L + l) * N + n] = x;
          if (x !== 0) active[c * N + n] = 1;
        }
      }
    }
  }
  const observed = new Uint8Array(N);
  const observedCount = new Float64Array(G);
  for (let n = 0; n < N; n++) {
    observed[n] = design.observed ? (design.observed[n] !== 0 ? 1 : 0) : 1;
    observedCount[Math.floor(n / T)] += observed[n];
  }
  let roiWeight: Float64Array | undefined;
  let logSpendTotal: Float64Array | undefined;
  if (config.mediaPrior.type === 'roi') {
    const windows = config.mediaPrior.window ?? {};
    roiWeight = new Float64Array(C * N);
    logSpendTotal = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const window = windows[design.channelNames[c]];
      let spend = 0;
      for (let t = 0; t < T; t++) {
        const date = design.dates[t];
        if (window && (date < window.from || date > window.to)) continue;
        for (let g = 0; g < G; g++) {
          const n = g * T + t;
          spend += design.spend[n * C + c];
          roiWeight[c * N + n] = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[n] : 1);
        }
      }
      if (!(spend > 0)) {
        throw new Error(`model config: channel "${design.channelNames[c]}" has no spend in its ROI prior window, so its ROI is undefined`);
      }
      logSpendTotal[c] = Math.log(spend);
    }
  }
  const S = config.seasonality.order;
  return {
    geos: G,
    periods: T,
    channels: C,
    controls: K,
    events: E,
    maxLag: L,
    fourierWidth: 2 * S,
    media,
    laggedMedia,
    active,
    kpi: Float64Array.from(design.kpi),
    observed,
    observedCount,
    trend: config.trend ? trendFeature(T) : undefined,
    fourier: S > 0 ? fourierFeatures(T, S, config.seasonality.period) : new Float64Array(0),
    controlValues: Float64Array.from(design.controls),
    eventValues: Float64Array.from(design.events),
    roiWeight,
    logSpendTotal,
  };
}
