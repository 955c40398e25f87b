/**
 * Delayed adstock: w_l proportional to alpha^((l - theta)^2), decay alpha in (0, 1) and the lag of
 * the peak effect theta in [0, L - 1] (Jin et al. 2017, eq. 2). Log-weights q_l = (l - theta)^2 log alpha,
 * so by the softmax rule (kind.ts) alpha bar = sum_l qBar_l (l - theta)^2 / alpha and
 * theta bar = -2 log alpha sum_l qBar_l (l - theta).
 */
import { softmaxBackward, softmaxWeights, type AdstockKind } from './kind.js';
import { UNIT } from '../types.js';

const logWeight = (p: ArrayLike<number>, lag: number): number => {
  const distance = lag - p[1];
  return distance * distance * Math.log(p[0]);
};

let scratch = new Float64Array(0);

export const delayed: AdstockKind = {
  type: 'delayed',
  description: 'w_l proportional to alpha^((l - theta)^2): peak effect at lag theta',
  parameters: [
    { name: 'alpha', description: 'decay rate', support: () => UNIT, defaultPrior: () => ({ dist: 'beta', a: 2, b: 2 }) },
    {
      name: 'theta',
      description: 'lag of the peak effect',
      support: (maxLag) => ({ kind: 'interval', lower: 0, upper: maxLag - 1 }),
      defaultPrior: (maxLag) => ({ dist: 'uniform', lower: 0, upper: maxLag - 1 }),
      maxLagDependent: { support: '[0, maxLag - 1]', defaultPrior: 'uniform(0, maxLag - 1)' },
    },
  ],
  weights(p, maxLag, out, outOffset = 0) {
    softmaxWeights(p, maxLag, out, outOffset, logWeight);
  },
  weightsBackward(p, maxLag, weights, weightsOffset, wBar, wBarOffset, pBar) {
    if (scratch.length < maxLag) scratch = new Float64Array(maxLag);
    softmaxBackward(maxLag, weights, weightsOffset, wBar, wBarOffset, scratch);
    const alpha = p[0];
    const theta = p[1];
    let alphaBar = 0;
    let thetaBar = 0;
    for (let l = 0; l < maxLag; l++) {
      const distance = l - theta;
      alphaBar += scratch[l] * distance * distance;
      thetaBar += scratch[l] * distance;
    }
    pBar[0] += alphaBar / alpha;
    pBar[1] += -2 * Math.log(alpha) * thetaBar;
  },
};
