/**
 * HalfNormal(scale): the Normal(0, scale) folded onto x >= 0, log p(x) = log 2 - x^2 / (2 scale^2)
 * - log(scale) - log(2 pi) / 2 for x >= 0, -Infinity for x < 0.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAtLeast, type SupportOptions } from './support.js';
import { HALF_LOG_2PI, LOG_2 } from './special.js';

export class HalfNormal implements SampleableDistribution {
  readonly name = 'HalfNormal';

  constructor(
    readonly scale: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const quadratic = P.mul(tf.square(value), P.div(-0.5, P.square(this.scale)));
      const logDensity = P.broadcastTo(P.sub(quadratic, P.add(P.log(this.scale), HALF_LOG_2PI - LOG_2)), value);
      return restrictAtLeast(logDensity, value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { scale } = P.requireNumbers(this.name, { scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.abs(scale * rng.normal());
    return out;
  }
}
