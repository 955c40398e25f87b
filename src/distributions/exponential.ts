/**
 * Exponential(rate): log p(x) = log(rate) - rate x for x >= 0, -Infinity for x < 0 (mean 1 / rate).
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAtLeast, type SupportOptions } from './support.js';

export class Exponential implements SampleableDistribution {
  readonly name = 'Exponential';

  constructor(
    readonly rate: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requirePositive(this.name, 'rate', rate);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const logDensity = P.sub(P.log(this.rate), P.mul(this.rate, value));
      return restrictAtLeast(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { rate } = P.requireNumbers(this.name, { rate: this.rate });
    const out = new Float64Array(count);
    // 1 - U lies in (0, 1], so the log is finite.
    for (let i = 0; i < count; i++) out[i] = -Math.log1p(-rng.uniform()) / rate;
    return out;
  }
}
