/**
 * One channel's media transform for one draw, evaluated on the host in float64 on any media input:
 * adstock weights and the saturation of models/mmm/transforms.ts, parameterized exactly as
 * models/mmm/hostModel.ts `saturatedMediaHost` does (Michaelis-Menten is Hill with slope 1; a fixed
 * Hill slope overrides s). The analysis layer uses it for counterfactual media (mROI, response
 * curves: the channel's scaled media times a multiplier, the scaling constants held fixed, as the
 * Stan peer's mROI in shared/bench/stan/README.md) and for per-geo blocks of contributions without
 * recomputing every channel. tests/analysis.test.ts checks it against `saturatedMediaHost`.
 */
import {
  applyAdstock,
  channelTransform as componentTransform,
  saturateLevel as componentLevel,
  type ChannelTransform as ComponentTransform,
  type DrawValues,
  type MmmDesign,
  type MmmModelConfig,
} from '../../models/mmm/index.js';

export interface ChannelTransform {
  /** Normalized adstock weights for lags 0..maxLag-1. */
  readonly weights: Float64Array;
  /** The curve as the planning window's response model sees it: Michaelis-Menten is Hill with slope 1. */
  readonly saturation: 'hill' | 'logistic';
  readonly saturationParameters: { readonly k?: number; readonly s?: number; readonly lambda?: number };
  /** Hill only: log k and the slope, for the fast path. */
  readonly logK: number;
  readonly slope: number;
  /** The component's transform (models/mmm/components/mediaTransform.ts). */
  readonly component: ComponentTransform;
}

/** The transform of channel `channel` at one draw's values. */
export function channelTransform(config: MmmModelConfig, values: DrawValues, channel: number): ChannelTransform {
  const component = componentTransform(config, values, channel);
  const weights = component.weights;
  const michaelisMenten = config.saturation.type === 'michaelisMenten';
  const slope = michaelisMenten ? 1 : config.saturation.fixedSlope ?? values.s?.[channel];
  const saturation = michaelisMenten || config.saturation.type === 'hill' ? 'hill' : 'logistic';
  const k = values.k?.[channel];
  if (saturation === 'hill' && (k === undefined || slope === undefined)) throw new Error('adstock/saturation parameters "k" and "s" are required for Hill saturation');
  return {
    weights,
    saturation,
    saturationParameters: { k, s: slope, lambda: values.lambda?.[channel] },
    logK: saturation === 'hill' ? Math.log(k as number) : NaN,
    slope: saturation === 'hill' ? (slope as number) : NaN,
    component,
  };
}

/** Saturation of one adstocked (scaled) media level. */
export function saturateLevel(transform: ChannelTransform, adstocked: number): number {
  // Hill with log k computed once: the component's arithmetic, the same result.
  if (transform.component.saturation.type === 'hill') return adstocked > 0 ? 1 / (1 + Math.exp(transform.slope * (transform.logK - Math.log(adstocked)))) : 0;
  return componentLevel(transform.component, adstocked);
}

/** Work arrays of length T, reused across calls. */
export interface SeriesScratch {
  readonly series: Float64Array<ArrayBuffer>;
  readonly adstocked: Float64Array<ArrayBuffer>;
}

export function seriesScratch(periods: number): SeriesScratch {
  return { series: new Float64Array(periods), adstocked: new Float64Array(periods) };
}

/**
 * Adstocked scaled media a[t] of channel `channel` in geo `geo` (the design's media), written to
 * `out` (length T). Adstock is linear, so the adstock of the media times k is k a[t]: counterfactual
 * spend levels only need the saturation again (`saturateLevel(transform, k * a[t])`).
 */
export function adstockedSeries(design: MmmDesign, transform: ChannelTransform, geo: number, channel: number, out: Float64Array<ArrayBuffer>, scratch: SeriesScratch): Float64Array {
  const T = design.dates.length;
  const C = design.channelNames.length;
  const { series } = scratch;
  for (let t = 0; t < T; t++) series[t] = design.media[(geo * T + t) * C + channel];
  return applyAdstock(series, transform.weights, out);
}

/**
 * Saturated media h[t] of channel `channel` in geo `geo` with the design's scaled media times
 * `multiplier`, written to `out` (length T). At multiplier 1 this is bit for bit
 * `saturatedMediaHost`; otherwise it uses the linearity of adstock (see `adstockedSeries`).
 */
export function saturatedSeries(
  design: MmmDesign,
  transform: ChannelTransform,
  geo: number,
  channel: number,
  multiplier: number,
  out: Float64Array,
  scratch: SeriesScratch,
): Float64Array {
  const T = design.dates.length;
  const { adstocked } = scratch;
  adstockedSeries(design, transform, geo, channel, adstocked, scratch);
  if (multiplier === 1) for (let t = 0; t < T; t++) out[t] = saturateLevel(transform, adstocked[t]);
  else for (let t = 0; t < T; t++) out[t] = saturateLevel(transform, multiplier * adstocked[t]);
  return out;
}
