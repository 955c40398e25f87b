/**
 * Uniform(lower, upper): log p(x) = -log(upper - lower) for lower <= x <= upper, -Infinity outside.
 * The result keeps a (zero) gradient path to the value so autodiff always reaches it.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictToInterval, type SupportOptions } from './support.js';

export class Uniform implements SampleableDistribution {
  readonly name = 'Uniform';

  constructor(
    readonly lower: Param,
    readonly upper: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requireFinite(this.name, 'lower', lower);
    P.requireFinite(this.name, 'upper', upper);
    if (P.isNumber(lower) && P.isNumber(upper) && !(upper > lower)) {
      throw new Error(`Uniform: upper must be > lower, got [${lower}, ${upper}]`);
    }
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const logDensity = tf.add(tf.mul(value, 0), P.toTensor(P.neg(P.log(P.sub(this.upper, this.lower)))));
      return restrictToInterval(logDensity, value, this.lower, this.upper, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { lower, upper } = P.requireNumbers(this.name, { lower: this.lower, upper: this.upper });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = lower + (upper - lower) * rng.uniform();
    return out;
  }
}
