/**
 * One channel's media transform at one draw, float64, in its obviously-right form: the adstock
 * kind's normalized weights with the lag sum (applyAdstock) and the saturation kind's scalar curve,
 * in the channel's order (components/transformKinds.ts):
 * - adstock then saturation (the reference model): y[t] = h(sum_l w_l x[t - l]);
 * - saturation then adstock (Meridian's hill_before_adstock): y[t] = sum_l w_l r[t - l] h(x[t - l]),
 *   with a per-period multiplier r (1 for impression channels). The half-saturation is then on the
 *   per-period media, not on the adstocked level;
 * - a reach and frequency channel (Meridian's adstock_hill_rf): y[t] = sum_l w_l r[t - l] h(f[t - l])
 *   with x = f the frequency and r the scaled reach; a media `multiplier` scales the reach (Meridian's
 *   convention: more spend buys more reach at the same frequency), so y is linear in it.
 * The reference density, the analysis layer (contributions, ROI, response curves, counterfactual
 * media) and the lift tests' reference use it.
 */
import type { MmmModelConfig, TransformOrder } from '../config.js';
import { applyAdstock, type AdstockKind } from './adstock/index.js';
import { channelTransformKinds, transformElement, transformRows, type TransformRow } from './transformKinds.js';
import type { DrawValues } from './coefficients.js';
import type { SaturationCurve, SaturationKind, SaturationOptions } from './saturation/index.js';

export interface ChannelTransform {
  readonly adstock: AdstockKind;
  readonly saturation: SaturationKind;
  readonly saturationOptions: SaturationOptions;
  readonly order: TransformOrder;
  /** A reach and frequency channel: the series is its frequency, the multiplier r its reach (module comment). */
  readonly rf: boolean;
  /** Normalized adstock weights for lags 0..maxLag-1. */
  readonly weights: Float64Array;
  /** The saturation's parameter values (its kind's order). */
  readonly saturationParameters: Float64Array;
  /** The saturation curve at those values. */
  readonly curve: SaturationCurve;
}

/** The transform rows per config and channel list, computed once (the analysis asks per draw and channel). */
const layouts = new WeakMap<MmmModelConfig, Map<string, TransformRow[]>>();

function layoutOf(config: MmmModelConfig, channels: readonly string[]): TransformRow[] {
  let byChannels = layouts.get(config);
  if (!byChannels) layouts.set(config, (byChannels = new Map()));
  const key = channels.join('\u0000');
  let rows = byChannels.get(key);
  if (!rows) byChannels.set(key, (rows = transformRows(config, channels)));
  return rows;
}

/** The transform of channel `channel` (index into `channels`, the data's channel names) at one draw's values. */
export function channelTransform(config: MmmModelConfig, values: DrawValues, channel: number, channels: readonly string[]): ChannelTransform {
  const name = channels[channel];
  const kind = channelTransformKinds(config, [name])[0];
  const rows = layoutOf(config, channels);
  const value = (parameter: string): number => {
    const v = values[parameter]?.[transformElement(rows, parameter, name)];
    if (v === undefined) throw new Error(`media transform: parameter "${parameter}" of channel "${name}" is missing from the draw`);
    return v;
  };
  const adstockParameters = Float64Array.from(kind.adstock.parameters, (p) => value(p.name));
  const saturationParameters = Float64Array.from(kind.saturation.parameters(kind.saturationOptions), (p) => value(p.name));
  const weights = new Float64Array(config.adstock.maxLag);
  kind.adstock.weights(adstockParameters, config.adstock.maxLag, weights);
  return {
    adstock: kind.adstock,
    saturation: kind.saturation,
    saturationOptions: kind.saturationOptions,
    order: kind.order,
    rf: kind.rf,
    weights,
    saturationParameters,
    curve: kind.saturation.bind(saturationParameters, kind.saturationOptions),
  };
}

/** h of a (scaled) media level: the adstocked level, or with saturation first the period's media. */
export function saturateLevel(transform: ChannelTransform, level: number): number {
  return transform.curve.value(level);
}

/** dh/da at a level a > 0 whose curve value is h. */
export function saturationSlope(transform: ChannelTransform, level: number, h: number): number {
  return transform.curve.slope(level, h);
}

/** Adstock of a series (x = 0 before its start), written to `out`. */
export function adstockSeries<A extends Float64Array>(transform: ChannelTransform, series: ArrayLike<number>, out: A): A {
  return applyAdstock(series, transform.weights, out);
}

/**
 * The channel's transformed series y[t] for the media series x times `multiplier`, in its order
 * (module comment), written to `out`; `scratch` (length T) holds the intermediate series, `reach`
 * the per-period multiplier r of saturation first (default 1). A reach and frequency channel takes
 * its frequency as `series` and its scaled reach as `reach`; `multiplier` then scales the reach.
 */
export function transformSeries<A extends Float64Array>(
  transform: ChannelTransform, series: ArrayLike<number>, out: A, scratch: Float64Array, multiplier = 1, reach?: ArrayLike<number>,
): A {
  const T = series.length;
  if (transform.rf) {
    if (!reach) throw new Error('media transform: a reach and frequency channel needs its reach (the per-period multiplier r)');
    for (let t = 0; t < T; t++) scratch[t] = multiplier * reach[t] * transform.curve.value(series[t]);
    return applyAdstock(scratch.subarray(0, T), transform.weights, out);
  }
  if (transform.order === 'saturationThenAdstock') {
    for (let t = 0; t < T; t++) scratch[t] = (reach ? reach[t] : 1) * transform.curve.value(multiplier === 1 ? series[t] : multiplier * series[t]);
    return applyAdstock(scratch.subarray(0, T), transform.weights, out);
  }
  if (reach) throw new Error('media transform: a per-period multiplier r applies to saturation-then-adstock channels only');
  applyAdstock(series, transform.weights, scratch);
  for (let t = 0; t < T; t++) out[t] = transform.curve.value(multiplier === 1 ? scratch[t] : multiplier * scratch[t]);
  return out;
}
