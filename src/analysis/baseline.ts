/**
 * The non-media part of the geo MMM's mean for one draw (shared/reference-model.md "Mean" without
 * the media sum): geo intercept tau_g + delta tr[t] + phi . f[t] + gamma . z[g,t] + xi . e[g,t]
 * + treatment . x_baseline (every non-media treatment at its baseline value), on the scaled KPI. Times the geo's KPI unit it is the baseline in KPI units: what the model expects
 * without any media. Term by term as models/mmm/hostModel.ts `meanKpiHost` (tests check
 * baseline + media = meanKpiHost).
 */
import { fourierFeatures } from '../data/index.js';
import { designDims, interceptHost, type MmmModelConfig, type MmmDesign, type DrawValues } from '../../models/mmm/index.js';

/** Deterministic time features of a design: trend [T] and Fourier [T, 2S]. */
export interface TimeFeatures {
  readonly trend: Float64Array;
  readonly fourier: Float64Array;
}

/** How one time effect is carried past the fitted periods (recorded with every future-period result). */
export interface TimeExtrapolation {
  /** The model's time effect: 'trend', 'seasonality' (or a future 'knots' time effect). */
  readonly effect: string;
  /** 'continued' (the feature's formula at t > T) or 'held' (its value at the last fitted period). */
  readonly rule: 'continued' | 'held';
  readonly description: string;
}

/** The time effects of a model config and how each is extrapolated past the fitted periods (see `timeFeatures`). */
export function timeExtrapolation(config: MmmModelConfig): TimeExtrapolation[] {
  const out: TimeExtrapolation[] = [];
  if (config.trend) out.push({ effect: 'trend', rule: 'continued', description: 'linear trend continued: (t - 1) / (T - 1) for t > T (beyond 1)' });
  if (config.seasonality.order > 0) {
    out.push({ effect: 'seasonality', rule: 'continued', description: `Fourier seasonality (order ${config.seasonality.order}, period ${config.seasonality.period}) continued at t > T` });
  }
  // A knots time effect (piecewise-linear in t between knots inside the fitted periods) would be
  // { effect: 'knots', rule: 'held' }: its features at t > T are those at t = T (the last knot's value).
  return out;
}

/**
 * The time features of a design's periods t = 1..T_design where the model was fitted on the first
 * `fittedPeriods` of them (default all): this is the one place the time effects are extended past
 * the fitted data (future periods, src/optimize/future.ts), each by its rule in `timeExtrapolation`:
 * the trend (t - 1) / (T_fit - 1) grows linearly beyond 1, the Fourier terms continue their
 * period. A time effect held at its last fitted value ('held', a knots effect) would evaluate its
 * features at min(t, T_fit). With fittedPeriods = T_design these are the fitted features exactly.
 */
export function timeFeatures(design: MmmDesign, config: MmmModelConfig, fittedPeriods = design.dates.length): TimeFeatures {
  const T = design.dates.length;
  if (!(Number.isInteger(fittedPeriods) && fittedPeriods >= 2 && fittedPeriods <= T)) throw new Error(`timeFeatures: fittedPeriods must be an integer in [2, ${T}], got ${fittedPeriods}`);
  const rules = new Map(timeExtrapolation(config).map((e) => [e.effect, e.rule]));
  /** 0-based period index at which an effect's feature is evaluated for design period i. */
  const at = (effect: string, i: number) => (rules.get(effect) === 'held' ? Math.min(i, fittedPeriods - 1) : i);
  const J = 2 * config.seasonality.order;
  const fourier = fourierFeatures(T, config.seasonality.order, config.seasonality.period);
  for (let i = fittedPeriods; i < T && at('seasonality', i) !== i; i++) fourier.copyWithin(i * J, at('seasonality', i) * J, (at('seasonality', i) + 1) * J);
  // Within the fitted periods this is trendFeature(T) exactly: i / (T - 1).
  const trend = Float64Array.from({ length: T }, (_, i) => at('trend', i) / (fittedPeriods - 1));
  return { trend, fourier };
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
  let treatedBaseline = 0;
  for (let k = 0; k < NT; k++) treatedBaseline += values.treatment[k] * (design.treatmentBaselines as Float64Array)[k];
  for (let g = geoStart; g < geoEnd; g++) {
    const intercept = interceptHost(design, config, values, g) + treatedBaseline;
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      let mu = intercept;
      if (config.trend) mu += values.delta[0] * features.trend[t];
      for (let j = 0; j < J; j++) mu += values.phi[j] * features.fourier[t * J + j];
      for (let k = 0; k < K; k++) mu += values.gamma[k] * design.controls[n * K + k];
      for (let e = 0; e < E; e++) mu += values.xi[e] * design.events[n * E + e];
      out[(g - geoStart) * T + t] = mu;
    }
  }
  return out;
}
