/**
 * LogNormal(loc, scale): log x ~ Normal(loc, scale), so log p(x) = Normal(log x | loc, scale) - log x
 * for x > 0, -Infinity for x <= 0 (Stan Functions Reference, "Lognormal distribution").
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAbove, type SupportOptions } from './support.js';
import { HALF_LOG_2PI } from './special.js';

export class LogNormal implements SampleableDistribution {
  readonly name = 'LogNormal';

  constructor(
    readonly loc: Param,
    readonly scale: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requireFinite(this.name, 'loc', loc);
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const logValue = tf.log(value);
      const quadratic = P.mul(P.squaredDifference(logValue, this.loc), P.div(-0.5, P.square(this.scale)));
      const logDensity = P.sub(P.sub(quadratic, logValue), P.add(P.log(this.scale), HALF_LOG_2PI));
      return restrictAbove(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { loc, scale } = P.requireNumbers(this.name, { loc: this.loc, scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.exp(loc + scale * rng.normal());
    return out;
  }
}
