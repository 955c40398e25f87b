/**
 * Cauchy(loc, scale): log p(x) = -log(pi) - log(scale) - log(1 + ((x - loc) / scale)^2)
 * (Stan Functions Reference, "Cauchy distribution"). Sampled by inversion, loc + scale tan(pi (U - 1/2)).
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { LOG_PI } from './special.js';

export class Cauchy implements SampleableDistribution {
  readonly name = 'Cauchy';

  constructor(
    readonly loc: Param,
    readonly scale: Param,
  ) {
    P.requireFinite(this.name, 'loc', loc);
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const zSquared = P.div(P.squaredDifference(value, this.loc), P.square(this.scale));
      const logDensity = P.sub(P.neg(P.log1p(zSquared)), P.add(P.log(this.scale), LOG_PI));
      return P.broadcastTo(logDensity, value);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { loc, scale } = P.requireNumbers(this.name, { loc: this.loc, scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = loc + scale * Math.tan(Math.PI * (rng.uniform() - 0.5));
    return out;
  }
}
