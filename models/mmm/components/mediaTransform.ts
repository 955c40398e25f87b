/**
 * One channel's media transform at one draw, float64, in its obviously-right form: the adstock
 * kind's normalized weights with the lag sum (applyAdstock), then the saturation kind's scalar curve.
 * The reference density, the analysis layer (contributions, ROI, response curves, counterfactual
 * media) and the lift tests' reference use it.
 */
import type { MmmModelConfig } from '../config.js';
import { adstockKind, applyAdstock, type AdstockKind } from './adstock/index.js';
import type { DrawValues } from './coefficients.js';
import { saturationKind, type SaturationCurve, type SaturationKind, type SaturationOptions } from './saturation/index.js';

export interface ChannelTransform {
  readonly adstock: AdstockKind;
  readonly saturation: SaturationKind;
  readonly saturationOptions: SaturationOptions;
  /** Normalized adstock weights for lags 0..maxLag-1. */
  readonly weights: Float64Array;
  /** The saturation's parameter values (its kind's order). */
  readonly saturationParameters: Float64Array;
  /** The saturation curve at those values. */
  readonly curve: SaturationCurve;
}

/** The transform of channel `channel` at one draw's values. */
export function channelTransform(config: MmmModelConfig, values: DrawValues, channel: number): ChannelTransform {
  const adstock = adstockKind(config.adstock.type);
  const saturation = saturationKind(config.saturation.type);
  const value = (name: string): number => {
    const v = values[name]?.[channel];
    if (v === undefined) throw new Error(`media transform: parameter "${name}" is missing from the draw`);
    return v;
  };
  const adstockParameters = Float64Array.from(adstock.parameters, (p) => value(p.name));
  const saturationParameters = Float64Array.from(saturation.parameters(config.saturation), (p) => value(p.name));
  const weights = new Float64Array(config.adstock.maxLag);
  adstock.weights(adstockParameters, config.adstock.maxLag, weights);
  return { adstock, saturation, saturationOptions: config.saturation, weights, saturationParameters, curve: saturation.bind(saturationParameters, config.saturation) };
}

/** h of an adstocked (scaled) media level. */
export function saturateLevel(transform: ChannelTransform, adstocked: number): number {
  return transform.curve.value(adstocked);
}

/** dh/da at an adstocked level a > 0 whose curve value is h. */
export function saturationSlope(transform: ChannelTransform, adstocked: number, h: number): number {
  return transform.curve.slope(adstocked, h);
}

/** Adstock of a series (x = 0 before its start), written to `out`. */
export function adstockSeries<A extends Float64Array>(transform: ChannelTransform, series: ArrayLike<number>, out: A): A {
  return applyAdstock(series, transform.weights, out);
}
