/**
 * Weibull adstock: w_l proportional to the Weibull pdf at l + 1 with shape k > 0 and scale lambda > 0
 * (Robyn's and PyMC-Marketing's Weibull PDF adstock). Log-weights, up to a constant,
 * q_l = (k - 1) z_l - exp(k z_l) with z_l = log(l + 1) - log lambda; with e_l = exp(k z_l) the softmax
 * rule (kind.ts) gives k bar = sum_l qBar_l z_l (1 - e_l) and lambda bar = -sum_l qBar_l (k - 1 - k e_l) / lambda.
 */
import { softmaxBackward, softmaxWeights, type AdstockKind } from './kind.js';
import { POSITIVE } from '../types.js';

const logWeight = (p: ArrayLike<number>, lag: number): number => {
  const shape = p[0];
  const z = Math.log(lag + 1) - Math.log(p[1]);
  return (shape - 1) * z - Math.exp(shape * z);
};

let scratch = new Float64Array(0);

export const weibull: AdstockKind = {
  type: 'weibull',
  description: 'w_l proportional to the Weibull pdf at l + 1 (shape, scale)',
  parameters: [
    { name: 'weibullShape', description: 'Weibull shape', support: () => POSITIVE, defaultPrior: () => ({ dist: 'gamma', shape: 2, rate: 1 }) },
    { name: 'weibullScale', description: 'Weibull scale (lags)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'gamma', shape: 2, rate: 1 }) },
  ],
  weights(p, maxLag, out, outOffset = 0) {
    softmaxWeights(p, maxLag, out, outOffset, logWeight);
  },
  weightsBackward(p, maxLag, weights, weightsOffset, wBar, wBarOffset, pBar) {
    if (scratch.length < maxLag) scratch = new Float64Array(maxLag);
    softmaxBackward(maxLag, weights, weightsOffset, wBar, wBarOffset, scratch);
    const shape = p[0];
    const scale = p[1];
    const logScale = Math.log(scale);
    let shapeBar = 0;
    let zBar = 0;
    for (let l = 0; l < maxLag; l++) {
      const z = Math.log(l + 1) - logScale;
      const e = Math.exp(shape * z);
      shapeBar += scratch[l] * z * (1 - e);
      zBar += scratch[l] * (shape - 1 - shape * e);
    }
    pBar[0] += shapeBar;
    pBar[1] += -zBar / scale;
  },
};
