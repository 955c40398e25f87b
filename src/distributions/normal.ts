/**
 * Normal(loc, scale): log p(x) = -(x - loc)^2 / (2 scale^2) - log(scale) - log(2 pi) / 2
 * (Stan Functions Reference, "Normal distribution").
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { HALF_LOG_2PI } from './special.js';

export class Normal implements SampleableDistribution {
  readonly name = 'Normal';

  constructor(
    readonly loc: Param,
    readonly scale: Param,
  ) {
    P.requireFinite(this.name, 'loc', loc);
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const quadratic = P.mul(P.squaredDifference(value, this.loc), P.div(-0.5, P.square(this.scale)));
      return P.broadcastTo(P.sub(quadratic, P.add(P.log(this.scale), HALF_LOG_2PI)), value);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { loc, scale } = P.requireNumbers(this.name, { loc: this.loc, scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = loc + scale * rng.normal();
    return out;
  }
}
