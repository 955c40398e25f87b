/**
 * Media transforms in float64 on the host: adstock (carry-over) weights and saturation curves.
 * These are the obviously-right reference for the tensor versions in the model's log density, and
 * what the analysis layer uses per posterior draw (contributions, ROI, response curves).
 *
 * Adstock (all weights normalized to sum to 1 over lags 0..L-1, so adstock preserves total spend):
 * - geometric: w_l = alpha^l (Jin, Wang, Sun, Chan & Koehler 2017, "Bayesian Methods for Media Mix
 *   Modeling with Carryover and Shape Effects", eq. 1, normalized as in shared/reference-model.md);
 * - delayed: w_l = alpha^((l - theta)^2), peak at lag theta (Jin et al. 2017, eq. 2);
 * - weibull: w_l = Weibull pdf at l + 1 with shape and scale (as Robyn's and PyMC-Marketing's
 *   Weibull PDF adstock), normalized.
 * Saturation (Jin et al. 2017, section 2.2, and PyMC-Marketing's logistic saturation):
 * - hill: a^s / (a^s + k^s); michaelisMenten: a / (a + k) (Hill with s = 1);
 * - logistic: (1 - exp(-lambda a)) / (1 + exp(-lambda a)).
 */

export type AdstockType = 'geometric' | 'delayed' | 'weibull';
export type SaturationType = 'hill' | 'michaelisMenten' | 'logistic';

/** Adstock parameters of one channel; which are used depends on the type. */
export interface AdstockParameters {
  /** geometric and delayed: decay rate in (0, 1). */
  readonly alpha?: number;
  /** delayed: lag of the peak effect in [0, L-1]. */
  readonly theta?: number;
  /** weibull: shape > 0 and scale > 0. */
  readonly shape?: number;
  readonly scale?: number;
}

export interface SaturationParameters {
  /** hill, michaelisMenten: half-saturation point (scaled-spend units). */
  readonly k?: number;
  /** hill: slope. */
  readonly s?: number;
  /** logistic: rate. */
  readonly lambda?: number;
}

/** Normalized adstock weights for lags 0..maxLag-1. */
export function adstockWeights(type: AdstockType, params: AdstockParameters, maxLag: number): Float64Array {
  const weights = new Float64Array(maxLag);
  for (let lag = 0; lag < maxLag; lag++) {
    switch (type) {
      case 'geometric':
        weights[lag] = Math.pow(required(params.alpha, 'alpha'), lag);
        break;
      case 'delayed': {
        const alpha = required(params.alpha, 'alpha');
        const theta = required(params.theta, 'theta');
        weights[lag] = Math.pow(alpha, (lag - theta) * (lag - theta));
        break;
      }
      case 'weibull': {
        const shape = required(params.shape, 'shape');
        const scale = required(params.scale, 'scale');
        const z = (lag + 1) / scale;
        weights[lag] = (shape / scale) * Math.pow(z, shape - 1) * Math.exp(-Math.pow(z, shape));
        break;
      }
    }
  }
  let total = 0;
  for (const w of weights) total += w;
  for (let lag = 0; lag < maxLag; lag++) weights[lag] /= total;
  return weights;
}

function required(value: number | undefined, name: string): number {
  if (value === undefined) throw new Error(`adstock/saturation parameter "${name}" is required`);
  return value;
}

/**
 * Adstock of one series (spend before the first period is zero):
 * out[t] = sum_l weights[l] * series[t - l].
 */
export function applyAdstock(series: ArrayLike<number>, weights: ArrayLike<number>, out = new Float64Array(series.length)): Float64Array {
  for (let t = 0; t < series.length; t++) {
    let total = 0;
    const maxLag = Math.min(weights.length, t + 1);
    for (let lag = 0; lag < maxLag; lag++) total += weights[lag] * series[t - lag];
    out[t] = total;
  }
  return out;
}

/** Saturation of one adstocked value (a >= 0). */
export function saturate(type: SaturationType, params: SaturationParameters, adstocked: number): number {
  if (adstocked <= 0) return 0;
  switch (type) {
    case 'hill': {
      const k = required(params.k, 'k');
      const s = required(params.s, 's');
      // a^s / (a^s + k^s) = 1 / (1 + (k/a)^s), computed on the log scale for range safety.
      return 1 / (1 + Math.exp(s * (Math.log(k) - Math.log(adstocked))));
    }
    case 'michaelisMenten': {
      const k = required(params.k, 'k');
      return adstocked / (adstocked + k);
    }
    case 'logistic': {
      const lambda = required(params.lambda, 'lambda');
      const e = Math.exp(-lambda * adstocked);
      return (1 - e) / (1 + e);
    }
  }
}
