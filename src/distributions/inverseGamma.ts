/**
 * InverseGamma(shape, scale): 1 / x ~ Gamma(shape, rate = scale), so log p(x) = shape log(scale)
 * - lgamma(shape) - (shape + 1) log x - scale / x for x > 0, -Infinity for x <= 0 (Stan Functions
 * Reference, "Inverse gamma distribution").
 */
import { gammaVariate, tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAbove, type SupportOptions } from './support.js';

export class InverseGamma implements SampleableDistribution {
  readonly name = 'InverseGamma';

  constructor(
    readonly shape: Param,
    readonly scale: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'shape', shape);
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { shape, scale } = this;
      const logNormalizer = P.sub(P.mul(shape, P.log(scale)), P.logGammaParam(shape));
      const kernel = P.add(P.mul(P.neg(P.add(shape, 1)), tf.log(value)), P.div(P.neg(scale), value));
      const logDensity = P.add(kernel, logNormalizer);
      return restrictAbove(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { shape, scale } = P.requireNumbers(this.name, { shape: this.shape, scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = scale / gammaVariate(rng, shape);
    return out;
  }
}
