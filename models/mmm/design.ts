/**
 * The numeric inputs of the geo MMM, already scaled as in shared/reference-model.md: media by its
 * channel mean, KPI by its overall mean, controls standardized. Arrays are geo-major (row
 * n = g * T + t), the layout of the Stan peer. Original spend is kept for ROI, and the scale
 * constants to report every number in original units.
 */
import { isPaidKind, type ChannelKind, type MmmData, type ScaledData } from '../../src/data/index.js';
export interface MmmDesign {
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly channelNames: readonly string[];
  readonly controlNames: readonly string[];
  readonly eventNames: readonly string[];
  /** Scaled media input [G, T, C] (spend, or impressions where given). */
  readonly media: Float64Array;
  /** Original spend [G, T, C] (currency), for ROI; 0 for organic channels. */
  readonly spend: Float64Array;
  /** Per channel: paid or organic (no spend: no ROI prior, no ROI, held by the optimizer). Absent: all paid. */
  readonly channelKinds?: readonly ChannelKind[];
  /** [G, T, C] average frequency of reach and frequency channels (unscaled; 0 elsewhere); absent without them. */
  readonly rfFrequency?: Float64Array;
  /** Non-media treatments (absent: none): names, standardized values [G, T, N] and baselines in the same units. */
  readonly treatmentNames?: readonly string[];
  readonly treatments?: Float64Array;
  readonly treatmentBaselines?: Float64Array;
  /** Standardized controls [G, T, K]. */
  readonly controls: Float64Array;
  /** Event / holiday dummies [G, T, E] (0/1, not scaled). */
  readonly events: Float64Array;
  /** Scaled KPI [G, T]. */
  readonly kpi: Float64Array;
  /** Per geo [G]: scaled KPI times this is KPI units (the KPI mean, times population if population-scaled). */
  readonly kpiUnit: Float64Array;
  /** Value of one KPI unit per (geo, period) [G, T] (revenue per KPI), or undefined for 1. */
  readonly kpiValue?: Float64Array;
  /** Per channel [C]: scaled media times this is the original media input (times population if population-scaled). */
  readonly mediaUnit: Float64Array;
  /** [G] population factors the media and KPI were divided by, when population-scaled. */
  readonly population?: Float64Array;
  /** [G] the data's population per geo, scaled by or not (the default baseline geo of fixed intercepts). */
  readonly geoPopulation?: Float64Array;
  /**
   * [G, T] 1 where the KPI enters the likelihood, 0 where it is held out (a time-ordered holdout,
   * as Meridian's holdout_id: scaling and features still use every period). Undefined: all observed.
   */
  readonly observed?: Float64Array;
}

/** The design with the last `periods` periods held out of the likelihood. */
export function withHoldout(design: MmmDesign, periods: number): MmmDesign {
  const G = design.geoNames.length;
  const T = design.dates.length;
  if (!Number.isInteger(periods) || periods < 0 || periods >= T - 1) {
    throw new Error(`holdout: periods must be an integer in [0, ${T - 2}] for ${T} periods, got ${periods}`);
  }
  if (periods === 0) return design;
  const observed = new Float64Array(G * T);
  for (let g = 0; g < G; g++) for (let t = 0; t < T - periods; t++) observed[g * T + t] = 1;
  return { ...design, observed };
}

/** The model's design from validated data and its scaling (src/data). */
export function designFromData(data: MmmData, scaled: ScaledData): MmmDesign {
  const scaling = scaled.scaling;
  const population = scaling.populationScaling ? scaling.population : undefined;
  return {
    geoNames: data.geoNames,
    dates: data.dates,
    channelNames: data.channelNames,
    channelKinds: data.channelKinds,
    ...(data.rfFrequency !== undefined ? { rfFrequency: data.rfFrequency } : {}),
    treatmentNames: data.treatmentNames,
    treatments: scaled.treatments,
    treatmentBaselines: Float64Array.from(data.treatmentBaselines, (b, i) => (b - scaling.treatmentMean[i]) / scaling.treatmentSd[i]),
    controlNames: data.controlNames,
    eventNames: data.eventNames,
    media: scaled.media,
    spend: data.spend,
    controls: scaled.controls,
    events: scaled.events,
    kpi: scaled.kpi,
    kpiUnit: Float64Array.from({ length: data.G }, (_, g) => scaling.kpiMean * (population ? population[g] : 1)),
    kpiValue: data.revenuePerKpi,
    mediaUnit: Float64Array.from(scaling.mediaMean),
    population,
    ...(data.population ? { geoPopulation: Float64Array.from(data.population) } : {}),
  };
}

export function designDims(design: MmmDesign) {
  return {
    geos: design.geoNames.length,
    periods: design.dates.length,
    channels: design.channelNames.length,
    controls: design.controlNames.length,
    events: design.eventNames.length,
    treatments: design.treatmentNames?.length ?? 0,
  };
}

/** True when channel c is paid (has spend: ROI prior, ROI, optimized; reach and frequency channels too); false for organic channels. */
export function isPaidChannel(design: Pick<MmmDesign, 'channelKinds'>, c: number): boolean {
  return isPaidKind(design.channelKinds?.[c]);
}
