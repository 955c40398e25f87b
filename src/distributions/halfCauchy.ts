/**
 * HalfCauchy(scale): the Cauchy(0, scale) folded onto x >= 0, log p(x) = log 2 - log(pi)
 * - log(scale) - log(1 + (x / scale)^2) for x >= 0, -Infinity for x < 0.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAtLeast, type SupportOptions } from './support.js';
import { LOG_2, LOG_PI } from './special.js';

export class HalfCauchy implements SampleableDistribution {
  readonly name = 'HalfCauchy';

  constructor(
    readonly scale: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const zSquared = P.div(tf.square(value), P.square(this.scale));
      const logDensity = P.sub(P.neg(P.log1p(zSquared)), P.add(P.log(this.scale), LOG_PI - LOG_2));
      return restrictAtLeast(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { scale } = P.requireNumbers(this.name, { scale: this.scale });
    const out = new Float64Array(count);
    // tan(pi U / 2) for U in [0, 1) is the folded standard Cauchy.
    for (let i = 0; i < count; i++) out[i] = scale * Math.tan(0.5 * Math.PI * rng.uniform());
    return out;
  }
}
