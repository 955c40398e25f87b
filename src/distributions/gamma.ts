/**
 * Gamma(shape, rate): log p(x) = shape log(rate) - lgamma(shape) + (shape - 1) log x - rate x for
 * x >= 0, -Infinity for x < 0 (Stan Functions Reference, "Gamma distribution"; mean shape / rate).
 */
import { gammaVariate, tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAtLeast, type SupportOptions } from './support.js';

export class Gamma implements SampleableDistribution {
  readonly name = 'Gamma';

  constructor(
    readonly shape: Param,
    readonly rate: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'shape', shape);
    P.requirePositive(this.name, 'rate', rate);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { shape, rate } = this;
      const logNormalizer = P.sub(P.mul(shape, P.log(rate)), P.logGammaParam(shape));
      const kernel = P.sub(P.mul(P.sub(shape, 1), tf.log(value)), P.mul(rate, value));
      const logDensity = P.add(kernel, logNormalizer);
      return restrictAtLeast(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { shape, rate } = P.requireNumbers(this.name, { shape: this.shape, rate: this.rate });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = gammaVariate(rng, shape) / rate;
    return out;
  }
}
