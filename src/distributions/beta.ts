/**
 * Beta(a, b) on [0, 1]: log p(x) = (a - 1) log x + (b - 1) log(1 - x) - log B(a, b), -Infinity
 * outside [0, 1] (Stan Functions Reference, "Beta distribution"). log(1 - x) uses the accurate
 * log1p; log B is float64 on the host when a and b are numbers.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictToInterval, type SupportOptions } from './support.js';
import { betaVariate } from './hostSampling.js';

export class Beta implements SampleableDistribution {
  readonly name = 'Beta';

  constructor(
    readonly alpha: Param,
    readonly beta: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'alpha', alpha);
    P.requirePositive(this.name, 'beta', beta);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { alpha, beta } = this;
      const logNormalizer = P.sub(
        P.add(P.logGammaParam(alpha), P.logGammaParam(beta)),
        P.logGammaParam(P.add(alpha, beta)),
      );
      const left = P.mul(P.sub(alpha, 1), tf.log(value));
      const right = P.mul(P.sub(beta, 1), P.log1p(tf.neg(value)));
      const logDensity = P.sub(P.add(left, right), logNormalizer);
      return restrictToInterval(P.broadcastTo(logDensity, value), value, 0, 1, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { alpha, beta } = P.requireNumbers(this.name, { alpha: this.alpha, beta: this.beta });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = betaVariate(rng, alpha, beta);
    return out;
  }
}
