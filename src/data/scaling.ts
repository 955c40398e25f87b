/**
 * Scaling of the data to the reference model's units, and its inverse for reported numbers.
 *
 * Conventions (shared/reference-model.md "Data" and the Stan peer's "Model implementation notes",
 * shared/bench/stan/README.md; mmm.stan `transformed data`):
 * - spend and media: each channel divided by its mean over all geos and periods (xs = x / mean_c);
 * - KPI: divided by its overall mean (ys = y / mean(y)), or left as it is (`kpi: 'none'`, for a KPI
 *   already in the model's units, e.g. data simulated from the model's prior predictive for
 *   simulation-based calibration: the fit then sees exactly the simulated KPI);
 * - controls: (z - mean_k) / sd_k with the SAMPLE sd (N - 1 denominator, R/Stan `sd()`), over all
 *   geos and periods;
 * - events (0/1 dummies) are left as they are; non-media treatments are standardized like controls;
 * - organic channels (no spend) keep spend 0 and spendMean 0.
 * Optional population scaling (off by default, as in the reference model): media, spend and KPI
 * are first divided by the geo's population (per-capita values, as Meridian does for media and
 * KPI), and the means above are then taken over the per-capita values. Controls are not
 * population-scaled. Revenue per KPI stays in original units.
 */
import type { MmmData } from './types.js';

/** How the KPI is scaled: divided by its overall mean (the reference model), or not at all. */
export type KpiScaling = 'mean' | 'none';

export interface ScalingOptions {
  /** Divide media, spend and KPI by population before the mean scaling. Default false. */
  readonly populationScaling?: boolean;
  /** Default 'mean'. 'none': the KPI (per capita when population-scaled) is used as it is. */
  readonly kpi?: KpiScaling;
}

/** The constants of one scaling, enough to map reported numbers back to original units. */
export interface Scaling {
  readonly G: number;
  readonly T: number;
  readonly populationScaling: boolean;
  /** [G] populations used when `populationScaling`. */
  readonly population?: Float64Array;
  /** How the KPI was scaled. */
  readonly kpiScaling: KpiScaling;
  /** Mean KPI (per capita when population-scaled) over all geos and periods; 1 when `kpiScaling` is 'none'. */
  readonly kpiMean: number;
  /** [C] mean spend per channel (per capita when population-scaled). */
  readonly spendMean: Float64Array;
  /** [C] mean media per channel (per capita when population-scaled). */
  readonly mediaMean: Float64Array;
  /** [K] control means. */
  readonly controlMean: Float64Array;
  /** [K] control sample sds (N - 1). */
  readonly controlSd: Float64Array;
  /** Non-media treatments' means and sample sds, as the controls'. */
  readonly treatmentMean: Float64Array;
  readonly treatmentSd: Float64Array;
}

/** Scaled tensors (same layout as `MmmData`) plus the constants. */
export interface ScaledData {
  readonly G: number;
  readonly T: number;
  readonly C: number;
  readonly K: number;
  readonly E: number;
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly channelNames: readonly string[];
  readonly controlNames: readonly string[];
  readonly eventNames: readonly string[];
  /** [G, T, C] spend / channel mean. */
  readonly spend: Float64Array;
  /** [G, T, C] media / channel mean (the model's media input). */
  readonly media: Float64Array;
  /** [G, T, K] standardized controls. */
  readonly controls: Float64Array;
  /** [G, T, E] 0/1 dummies, unchanged. */
  readonly events: Float64Array;
  /** [G, T, N] standardized non-media treatments. */
  readonly treatments: Float64Array;
  /** [G, T] KPI / mean KPI (KPI as it is with `kpi: 'none'`). */
  readonly kpi: Float64Array;
  readonly scaling: Scaling;
}

/** Columns of a [N, D] array standardized by their mean and sample sd (N - 1). */
function standardize(x: Float64Array, D: number, what: string): { values: Float64Array; mean: Float64Array; sd: Float64Array } {
  const N = D === 0 ? 0 : x.length / D;
  const mean = channelMeans(x, D);
  const sd = new Float64Array(D);
  const values = new Float64Array(x.length);
  if (D > 0 && N < 2) throw new Error(`scaleData: standardizing ${what} needs at least 2 cells`);
  for (let k = 0; k < D; k++) {
    let ss = 0;
    for (let n = 0; n < N; n++) {
      const d = x[n * D + k] - mean[k];
      ss += d * d;
    }
    sd[k] = Math.sqrt(ss / (N - 1));
    for (let n = 0; n < N; n++) values[n * D + k] = (x[n * D + k] - mean[k]) / sd[k];
  }
  return { values, mean, sd };
}

function channelMeans(x: Float64Array, C: number): Float64Array {
  const N = x.length / C;
  const out = new Float64Array(C);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) out[c] += x[n * C + c];
  for (let c = 0; c < C; c++) out[c] /= N;
  return out;
}

/**
 * Every scaling constant finite, and every divisor > 0: a channel without media, a constant control
 * or treatment, a KPI of mean 0, or sums that overflowed would otherwise turn the scaled data into
 * NaN or Infinity without a word. The loader refuses such files (src/data/build.ts); this guards data
 * assembled in code (an MmmData given to fitMmm) and per-capita values under population scaling.
 */
function checkScalingConstants(
  data: MmmData,
  constants: Pick<Scaling, 'kpiMean' | 'spendMean' | 'mediaMean' | 'controlMean' | 'controlSd' | 'treatmentMean' | 'treatmentSd'>,
  populationScaling: boolean,
): void {
  const perCapita = populationScaling ? ' per capita' : '';
  const problems: string[] = [];
  const { kpiMean, spendMean, mediaMean, controlMean, controlSd, treatmentMean, treatmentSd } = constants;
  if (!(Number.isFinite(kpiMean) && kpiMean !== 0)) problems.push(`the KPI's mean${perCapita} is ${kpiMean}: it must be finite and not 0 (is the KPI 0 everywhere, or too large to sum?)`);
  data.channelNames.forEach((name, c) => {
    if (!(Number.isFinite(mediaMean[c]) && mediaMean[c] > 0)) problems.push(`channel ${JSON.stringify(name)}: the mean of its media${perCapita} is ${mediaMean[c]}: it must be finite and > 0 (drop a channel without media, or rescale its column)`);
    if (!(Number.isFinite(spendMean[c]) && spendMean[c] >= 0)) problems.push(`channel ${JSON.stringify(name)}: the mean of its spend${perCapita} is ${spendMean[c]}: it must be finite (rescale its column)`);
  });
  const standardized = (names: readonly string[], mean: Float64Array, sd: Float64Array, what: string) =>
    names.forEach((name, k) => {
      if (!(Number.isFinite(mean[k]) && Number.isFinite(sd[k]) && sd[k] > 0)) problems.push(`${what} ${JSON.stringify(name)}: mean ${mean[k]}, sd ${sd[k]}: it must vary and its sd be finite (drop a constant ${what}, or rescale it)`);
    });
  standardized(data.controlNames, controlMean, controlSd, 'control');
  standardized(data.treatmentNames, treatmentMean, treatmentSd, 'treatment');
  if (problems.length > 0) throw new Error(`scaleData: the data cannot be scaled:\n  - ${problems.join('\n  - ')}`);
}

/** Scale `data` as the reference model expects. */
export function scaleData(data: MmmData, options: ScalingOptions = {}): ScaledData {
  const { G, T, C, K } = data;
  const N = G * T;
  const populationScaling = options.populationScaling ?? false;
  const kpiScaling = options.kpi ?? 'mean';
  if (kpiScaling !== 'mean' && kpiScaling !== 'none') throw new Error(`scaleData: kpi must be "mean" or "none", got ${JSON.stringify(kpiScaling)}`);
  let population: Float64Array | undefined;
  if (populationScaling) {
    if (data.population === undefined) {
      throw new Error('scaleData: populationScaling needs a population column (spec.population)');
    }
    population = Float64Array.from(data.population);
  }
  const perCapita = (x: Float64Array, D: number): Float64Array => {
    if (population === undefined) return Float64Array.from(x);
    const out = new Float64Array(x.length);
    for (let g = 0; g < G; g++) {
      for (let i = g * T * D; i < (g + 1) * T * D; i++) out[i] = x[i] / population[g];
    }
    return out;
  };

  const spend = perCapita(data.spend, C);
  const media = perCapita(data.media, C);
  const kpi = perCapita(data.kpi, 1);
  const spendMean = channelMeans(spend, C);
  const mediaMean = channelMeans(media, C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      if (spendMean[c] > 0) spend[n * C + c] /= spendMean[c];
      media[n * C + c] /= mediaMean[c];
    }
  }
  const kpiMean = kpiScaling === 'mean' ? channelMeans(kpi, 1)[0] : 1;
  if (kpiScaling === 'mean') for (let n = 0; n < N; n++) kpi[n] /= kpiMean;

  const { values: controls, mean: controlMean, sd: controlSd } = standardize(data.controls, K, 'controls');
  const treated = standardize(data.treatments, data.treatmentNames.length, 'treatments');
  checkScalingConstants(data, { kpiMean, spendMean, mediaMean, controlMean, controlSd, treatmentMean: treated.mean, treatmentSd: treated.sd }, populationScaling);

  return withScaledArrays(data, { spend, media, controls, treatments: treated.values, kpi }, {
    G,
    T,
    populationScaling,
    ...(population !== undefined ? { population } : {}),
    kpiScaling,
    kpiMean,
    spendMean,
    mediaMean,
    controlMean,
    controlSd,
    treatmentMean: treated.mean,
    treatmentSd: treated.sd,
  });
}

/** The ScaledData of `data` from its scaled arrays and the constants used (events are left as they are). */
function withScaledArrays(
  data: MmmData,
  arrays: Pick<ScaledData, 'spend' | 'media' | 'controls' | 'treatments' | 'kpi'>,
  scaling: Scaling,
): ScaledData {
  const { G, T, C, K, E, geoNames, dates, channelNames, controlNames, eventNames } = data;
  return { G, T, C, K, E, geoNames, dates, channelNames, controlNames, eventNames, ...arrays, events: Float64Array.from(data.events), scaling };
}

function populationOf(scaling: Scaling, geo: number | undefined, what: string): number {
  if (!scaling.populationScaling) return 1;
  if (geo === undefined || !Number.isInteger(geo) || geo < 0 || geo >= scaling.G) {
    throw new Error(`${what}: population scaling is on, so a geo index in [0, ${scaling.G}) is needed, got ${geo}`);
  }
  return (scaling.population as Float64Array)[geo];
}

function checkIndex(i: number, size: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) throw new Error(`${what}: index ${i} is outside [0, ${size})`);
}

/** Original KPI units per unit of scaled KPI in `geo` (kpiMean, 1 when unscaled, times the population if population-scaled). */
export function kpiUnit(scaling: Scaling, geo?: number): number {
  return scaling.kpiMean * populationOf(scaling, geo, 'kpiUnit');
}

/** Original spend per unit of scaled spend of `channel` in `geo`. */
export function spendUnit(scaling: Scaling, channel: number, geo?: number): number {
  checkIndex(channel, scaling.spendMean.length, 'spendUnit');
  return scaling.spendMean[channel] * populationOf(scaling, geo, 'spendUnit');
}

/** Original media units per unit of scaled media of `channel` in `geo`. */
export function mediaUnit(scaling: Scaling, channel: number, geo?: number): number {
  checkIndex(channel, scaling.mediaMean.length, 'mediaUnit');
  return scaling.mediaMean[channel] * populationOf(scaling, geo, 'mediaUnit');
}

export function kpiToOriginal(scaling: Scaling, scaled: number, geo?: number): number {
  return scaled * kpiUnit(scaling, geo);
}

export function kpiToScaled(scaling: Scaling, original: number, geo?: number): number {
  return original / kpiUnit(scaling, geo);
}

export function spendToOriginal(scaling: Scaling, channel: number, scaled: number, geo?: number): number {
  return scaled * spendUnit(scaling, channel, geo);
}

export function spendToScaled(scaling: Scaling, channel: number, original: number, geo?: number): number {
  return original / spendUnit(scaling, channel, geo);
}

export function mediaToOriginal(scaling: Scaling, channel: number, scaled: number, geo?: number): number {
  return scaled * mediaUnit(scaling, channel, geo);
}

export function mediaToScaled(scaling: Scaling, channel: number, original: number, geo?: number): number {
  return original / mediaUnit(scaling, channel, geo);
}

export function controlToOriginal(scaling: Scaling, control: number, standardized: number): number {
  checkIndex(control, scaling.controlMean.length, 'controlToOriginal');
  return standardized * scaling.controlSd[control] + scaling.controlMean[control];
}

export function controlToScaled(scaling: Scaling, control: number, original: number): number {
  checkIndex(control, scaling.controlMean.length, 'controlToScaled');
  return (original - scaling.controlMean[control]) / scaling.controlSd[control];
}

/** A [G, T] tensor of scaled KPI (e.g. a contribution) in original KPI units. */
export function kpiTensorToOriginal(scaling: Scaling, scaled: ArrayLike<number>): Float64Array {
  const { G, T } = scaling;
  if (scaled.length !== G * T) throw new Error(`kpiTensorToOriginal: expected ${G * T} values ([G, T]), got ${scaled.length}`);
  const out = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    const unit = kpiUnit(scaling, g);
    for (let t = 0; t < T; t++) out[g * T + t] = scaled[g * T + t] * unit;
  }
  return out;
}

/**
 * Scale `data` with the constants of another scaling (`scaling`, e.g. a fit's), never with its own
 * means: new periods of a fitted model's data (its future) on the model's scale. Same conventions
 * as `scaleData` (media and spend per capita when population-scaled, with the scaling's population
 * per geo, then divided by the fitted channel means; controls and treatments standardized by the
 * fitted means and sds; events unchanged). The KPI is divided by the fitted mean (NaN stays NaN).
 * `data` must have the scaling's geos in the same order (`scaling.population[g]` is geo g's) and
 * the same channels, controls and treatments; T may differ.
 */
export function scaleWith(data: MmmData, scaling: Scaling): ScaledData {
  const { G, T, C, K } = data;
  const NT = data.treatmentNames.length;
  if (G !== scaling.G) throw new Error(`scaleWith: the data has ${G} geos, the scaling ${scaling.G}`);
  if (C !== scaling.mediaMean.length || K !== scaling.controlMean.length || NT !== scaling.treatmentMean.length) {
    throw new Error(`scaleWith: the data has ${C} channels, ${K} controls and ${NT} treatments, the scaling ${scaling.mediaMean.length}, ${scaling.controlMean.length} and ${scaling.treatmentMean.length}`);
  }
  const population = scaling.populationScaling ? (scaling.population as Float64Array) : undefined;
  const perCapita = (x: Float64Array, g: number, i: number) => (population === undefined ? x[i] : x[i] / population[g]);
  const spend = new Float64Array(G * T * C);
  const media = new Float64Array(G * T * C);
  const kpi = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      for (let c = 0; c < C; c++) {
        const i = n * C + c;
        spend[i] = scaling.spendMean[c] > 0 ? perCapita(data.spend, g, i) / scaling.spendMean[c] : perCapita(data.spend, g, i);
        media[i] = perCapita(data.media, g, i) / scaling.mediaMean[c];
      }
      kpi[n] = perCapita(data.kpi, g, n) / scaling.kpiMean;
    }
  }
  const standardizeWith = (x: Float64Array, mean: Float64Array, sd: Float64Array) => {
    const D = mean.length;
    return x.map((v, i) => (v - mean[i % D]) / sd[i % D]);
  };
  return withScaledArrays(
    data,
    { spend, media, controls: standardizeWith(data.controls, scaling.controlMean, scaling.controlSd), treatments: standardizeWith(data.treatments, scaling.treatmentMean, scaling.treatmentSd), kpi },
    scaling,
  );
}
