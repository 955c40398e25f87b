/**
 * BernoulliLogit(logit): P(y = 1) = sigmoid(logit), so log p(y) = y logit - log(1 + exp(logit)) for
 * y in {0, 1} (Stan Functions Reference, "Bernoulli distribution, logit parameterization"); the
 * softplus form is stable for any logit. Values below 0 or above 1 give -Infinity; values are not
 * checked for being integers.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictToInterval, type SupportOptions } from './support.js';

export class BernoulliLogit implements SampleableDistribution {
  readonly name = 'BernoulliLogit';

  constructor(
    readonly logit: Param,
    readonly options: SupportOptions = {},
  ) {
    P.requireFinite(this.name, 'logit', logit);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const logDensity = P.sub(P.mul(value, this.logit), P.softplus(this.logit));
      return restrictToInterval(P.broadcastTo(logDensity, value), value, 0, 1, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { logit } = P.requireNumbers(this.name, { logit: this.logit });
    const probability = 1 / (1 + Math.exp(-logit));
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = rng.uniform() < probability ? 1 : 0;
    return out;
  }
}
