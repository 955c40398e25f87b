/**
 * The non-media part of the geo MMM's mean for one draw (shared/reference-model.md "Mean" without
 * the media sum): geo intercept tau_g + the linear terms (delta tr[t] or the knots' time effect
 * knot . w[t], phi . f[t], gamma . z[g,t], xi . e[g,t]; models/mmm linearTerms; with hierarchical
 * controls each geo's own coefficients) + treatment . x_baseline (every non-media treatment at its
 * baseline value, with each geo's own coefficient: `cellCoefficientHost`), on the scaled KPI. Times
 * the geo's KPI unit it is the baseline in KPI units: what the model expects without any media and
 * with the treatments at their baselines. Term by term as models/mmm/hostModel.ts `meanKpiHost`
 * (tests check baseline + media (+ treatment contributions) = meanKpiHost).
 */
import { cellCoefficientHost, designDims, interceptHost, linearTerms, linearTermsHost, timeTermRow, type MmmModelConfig, type MmmDesign, type DrawValues, type LinearTerm } from '../../models/mmm/index.js';

/** Deterministic features of a design's linear terms (trend or knots, Fourier, controls, events), built once per analysis. */
export interface TimeFeatures {
  readonly terms: readonly LinearTerm[];
}

/** How one time effect is carried past the fitted periods (recorded with every future-period result). */
export interface TimeExtrapolation {
  /** The model's time effect: 'trend', 'knots' or 'seasonality'. */
  readonly effect: string;
  /** 'continued' (the feature's formula at t > T) or 'held' (its value at the last fitted period). */
  readonly rule: 'continued' | 'held';
  readonly description: string;
}

/** The time effects of a model config and how each is extrapolated past the fitted periods (see `timeFeatures`). */
export function timeExtrapolation(config: MmmModelConfig): TimeExtrapolation[] {
  const out: TimeExtrapolation[] = [];
  if (config.time?.type === 'knots') out.push({ effect: 'knots', rule: 'held', description: "knots' time effect held at the last knot's value after the fitted periods" });
  if (config.trend) out.push({ effect: 'trend', rule: 'continued', description: 'linear trend continued: (t - 1) / (T - 1) for t > T (beyond 1)' });
  if (config.seasonality.order > 0) {
    out.push({ effect: 'seasonality', rule: 'continued', description: `Fourier seasonality (order ${config.seasonality.order}, period ${config.seasonality.period}) continued at t > T` });
  }
  return out;
}

/** The design's first `periods` periods (every [G, T, ...] array sliced per geo). */
function firstPeriods(design: MmmDesign, periods: number): MmmDesign {
  const G = design.geoNames.length;
  const T = design.dates.length;
  const slice = (x: Float64Array | undefined): Float64Array | undefined => {
    if (x === undefined) return undefined;
    const width = x.length / (G * T);
    const out = new Float64Array(G * periods * width);
    for (let g = 0; g < G; g++) out.set(x.subarray(g * T * width, (g * T + periods) * width), g * periods * width);
    return out;
  };
  const out: Record<string, unknown> = { ...design, dates: design.dates.slice(0, periods) };
  for (const key of ['media', 'spend', 'controls', 'events', 'treatments', 'kpi', 'kpiValue', 'observed', 'rfFrequency'] as const) {
    if (design[key] !== undefined) out[key] = slice(design[key]);
  }
  return out as unknown as MmmDesign;
}

/**
 * The linear terms of a design's periods t = 1..T_design where the model was fitted on the first
 * `fittedPeriods` of them (default all), non-media treatments left out (the baseline holds them at
 * their baseline values; their contributions are reported separately, mediaAnalysis.ts). This is
 * the one place the time effects are extended past the fitted data (future periods,
 * src/optimize/future.ts), each by its rule in `timeExtrapolation` (the model's `timeTermRow`): the
 * trend (t - 1) / (T_fit - 1) grows linearly beyond 1, the Fourier terms continue their period, the
 * knots' effect is held at the last knot. With fittedPeriods = T_design these are the fitted terms exactly.
 */
export function timeFeatures(design: MmmDesign, config: MmmModelConfig, fittedPeriods = design.dates.length): TimeFeatures {
  const T = design.dates.length;
  if (!(Number.isInteger(fittedPeriods) && fittedPeriods >= 2 && fittedPeriods <= T)) throw new Error(`timeFeatures: fittedPeriods must be an integer in [2, ${T}], got ${fittedPeriods}`);
  const withoutTreatments = (terms: LinearTerm[]) => terms.filter((term) => term.component !== 'treatments');
  if (fittedPeriods === T) return { terms: withoutTreatments(linearTerms(design, config)) };
  const fitted = firstPeriods(design, fittedPeriods);
  const timeTerms = linearTerms(fitted, config)
    .filter((term) => term.scope === 'time')
    .map((term): LinearTerm => {
      const columns = new Float64Array(T * term.width);
      const row = new Float64Array(term.width);
      for (let t = 0; t < T; t++) columns.set(timeTermRow(term, fitted, config, t, row), t * term.width);
      return { ...term, columns };
    });
  // the cell terms (controls, events) of the whole design, without its time terms
  const cellTerms = linearTerms(design, { ...config, time: undefined, trend: false, seasonality: { order: 0, period: config.seasonality.period } }).filter((term) => term.scope === 'cell');
  return { terms: withoutTreatments([...timeTerms, ...cellTerms]) };
}

/**
 * Non-media treatment k's contribution at cell n (geo g) of one draw, scaled KPI: geo g's coefficient
 * times the treatment's value minus its baseline value (what the baseline holds it at).
 */
export function treatmentContributionScaled(design: MmmDesign, config: MmmModelConfig, values: DrawValues, n: number, g: number, k: number): number {
  const NT = (design.treatmentNames ?? []).length;
  return cellCoefficientHost(design, config, values, 'treatment', g, k) * ((design.treatments as Float64Array)[n * NT + k] - (design.treatmentBaselines as Float64Array)[k]);
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
  for (let g = geoStart; g < geoEnd; g++) {
    let treatedBaseline = 0;
    for (let k = 0; k < NT; k++) treatedBaseline += cellCoefficientHost(design, config, values, 'treatment', g, k) * (design.treatmentBaselines as Float64Array)[k];
    const intercept = interceptHost(design, config, values, g) + treatedBaseline;
    for (let t = 0; t < T; t++) out[(g - geoStart) * T + t] = linearTermsHost(features.terms, values, g * T + t, t, intercept);
  }
  return out;
}
