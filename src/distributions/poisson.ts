/**
 * Poisson(rate) and PoissonLog(logRate): log p(y) = y log(rate) - rate - lgamma(y + 1) for y >= 0
 * (Stan Functions Reference, "Poisson distribution" and "Poisson-log"); the log-rate form,
 * y logRate - exp(logRate) - lgamma(y + 1), suits a linear predictor. lgamma(y + 1) is the float32
 * tensor series; values below 0 give -Infinity; values are not checked for being integers.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictAtLeast, type SupportOptions } from './support.js';
import { lgamma } from './special.js';
import { poissonVariate } from './hostSampling.js';

function samplePoisson(name: string, rng: Rng, count: number, rate: number): Float64Array {
  P.requireCount(name, count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = poissonVariate(rng, rate);
  return out;
}

export class PoissonLog implements SampleableDistribution {
  readonly name = 'PoissonLog';

  constructor(
    readonly logRate: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requireFinite(this.name, 'logRate', logRate);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { logRate } = this;
      const kernel = P.sub(P.mul(value, logRate), P.exp(logRate));
      const logDensity = P.sub(kernel, lgamma(tf.add(value, 1)));
      return restrictAtLeast(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    const { logRate } = P.requireNumbers(this.name, { logRate: this.logRate });
    return samplePoisson(this.name, rng, count, Math.exp(logRate));
  }
}

export class Poisson implements SampleableDistribution {
  readonly name = 'Poisson';

  constructor(
    readonly rate: Param,
    readonly options: SupportOptions = {},
  ) {
    if (P.isNumber(rate) && !(rate > 0 && Number.isFinite(rate))) {
      throw new Error(`Poisson: rate must be finite and > 0, got ${rate}`);
    }
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { rate } = this;
      const kernel = P.sub(P.mul(value, P.log(rate)), rate);
      const logDensity = P.sub(kernel, lgamma(tf.add(value, 1)));
      return restrictAtLeast(P.broadcastTo(logDensity, value), value, 0, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    const { rate } = P.requireNumbers(this.name, { rate: this.rate });
    return samplePoisson(this.name, rng, count, rate);
  }
}
