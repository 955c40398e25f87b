/**
 * One channel's media transform for one draw on any media input, for the analysis layer: the
 * component's transform (models/mmm/components/mediaTransform.ts: the adstock kind's weights, the
 * saturation kind's curve at the draw's parameters), applied to the design's media or to
 * counterfactual media (mROI, response curves: the channel's scaled media times a multiplier, the
 * scaling constants held fixed, as the Stan peer's mROI in shared/bench/stan/README.md), and per-geo
 * blocks of contributions without recomputing every channel. tests/analysis.test.ts checks it
 * against `saturatedMediaHost`.
 */
import { applyAdstock, rfFrequencyOf, transformSeries, type ChannelTransform, type MmmDesign } from '../../models/mmm/index.js';

export { channelTransform, saturateLevel, saturationSlope, transformSeries, type ChannelTransform } from '../../models/mmm/index.js';

/** Work arrays of length T, reused across calls. */
export interface SeriesScratch {
  readonly series: Float64Array<ArrayBuffer>;
  readonly adstocked: Float64Array<ArrayBuffer>;
  readonly intermediate: Float64Array<ArrayBuffer>;
  /** A reach and frequency channel's reach (its media). */
  readonly reach: Float64Array<ArrayBuffer>;
}

export function seriesScratch(periods: number): SeriesScratch {
  return { series: new Float64Array(periods), adstocked: new Float64Array(periods), intermediate: new Float64Array(periods), reach: new Float64Array(periods) };
}

/** Whether the channel saturates its per-period media before the adstock (then scaled media is not a scaled adstock level). */
export function saturatesFirst(transform: ChannelTransform): boolean {
  return transform.order === 'saturationThenAdstock';
}

/**
 * Adstocked scaled media a[t] of channel `channel` in geo `geo` (the design's media), written to
 * `out` (length T). Adstock is linear, so the adstock of the media times k is k a[t]: for a channel
 * whose adstock comes first, counterfactual spend levels only need the saturation again
 * (`saturateLevel(transform, k * a[t])`); a saturation-first channel needs `saturatedSeries`.
 */
export function adstockedSeries(design: MmmDesign, transform: ChannelTransform, geo: number, channel: number, out: Float64Array<ArrayBuffer>, scratch: SeriesScratch): Float64Array {
  const T = design.dates.length;
  const C = design.channelNames.length;
  const { series } = scratch;
  for (let t = 0; t < T; t++) series[t] = design.media[(geo * T + t) * C + channel];
  return applyAdstock(series, transform.weights, out);
}

/**
 * Transformed media h[t] of channel `channel` in geo `geo` with the design's scaled media times
 * `multiplier`, written to `out` (length T), in the channel's order (the multiplier scales the media
 * before the saturation either way). At multiplier 1 this is bit for bit `saturatedMediaHost`.
 * A reach and frequency channel: Hill of the design's frequency times its reach (the media) times
 * `multiplier`, then adstocked: the multiplier scales the reach at fixed frequency (Meridian's
 * convention for more spend), so the series is linear in it.
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
  const C = design.channelNames.length;
  const { series, intermediate, reach } = scratch;
  for (let t = 0; t < T; t++) series[t] = design.media[(geo * T + t) * C + channel];
  if (transform.rf) {
    const frequency = rfFrequencyOf(design);
    reach.set(series);
    for (let t = 0; t < T; t++) series[t] = frequency[(geo * T + t) * C + channel];
    return transformSeries(transform, series, out, intermediate, multiplier, reach);
  }
  return transformSeries(transform, series, out, intermediate, multiplier);
}
