/**
 * Binomial adstock (Meridian 1.2, google/meridian meridian/model/adstock_hill.py): w_l proportional
 * to (1 - l / L)^(1 / alpha - 1) over lags l = 0..L-1 (Meridian's window of max_lag + 1 periods is
 * Mixwell's maxLag L), alpha in (0, 1): near 1 the weights are flat over the window, towards 0 the
 * effect concentrates at lag 0; unlike geometric decay it reaches exactly 0 one period past the window.
 * Log-weights q_l = (1 / alpha - 1) log(1 - l / L), so by the softmax rule (kind.ts)
 * alpha bar = -sum_l qBar_l log(1 - l / L) / alpha^2.
 */
import { softmaxBackward, softmaxWeights, type AdstockKind } from './kind.js';
import { UNIT } from '../types.js';

const logWeight = (p: ArrayLike<number>, lag: number, maxLag: number): number => (1 / p[0] - 1) * Math.log(1 - lag / maxLag);

let scratch = new Float64Array(0);

export const binomial: AdstockKind = {
  type: 'binomial',
  description: "w_l proportional to (1 - l/maxLag)^(1/alpha - 1) (Meridian's binomial)",
  parameters: [{ name: 'alpha', description: 'decay shape (1: flat over the window)', support: () => UNIT, defaultPrior: () => ({ dist: 'beta', a: 2, b: 2 }) }],
  weights(p, maxLag, out, outOffset = 0) {
    softmaxWeights(p, maxLag, out, outOffset, (q, lag) => logWeight(q, lag, maxLag));
  },
  weightsBackward(p, maxLag, weights, weightsOffset, wBar, wBarOffset, pBar) {
    if (scratch.length < maxLag) scratch = new Float64Array(maxLag);
    softmaxBackward(maxLag, weights, weightsOffset, wBar, wBarOffset, scratch);
    const alpha = p[0];
    let alphaBar = 0;
    for (let l = 0; l < maxLag; l++) alphaBar += scratch[l] * Math.log(1 - l / maxLag);
    pBar[0] += -alphaBar / (alpha * alpha);
  },
};
