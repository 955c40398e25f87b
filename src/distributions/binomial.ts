/**
 * Binomial(trials, probability) and BinomialLogit(trials, logit): log p(y) = log C(trials, y)
 * + y log p + (trials - y) log(1 - p) for 0 <= y <= trials (Stan Functions Reference, "Binomial
 * distribution" and its logit parameterization). The logit form, y logit - trials log(1 + exp(logit)),
 * is the stable one for a linear predictor; the probability form suits a parameter on (0, 1).
 * A number probability must lie in (0, 1) (the degenerate ends would give 0 * log 0).
 * log C uses lgamma on the value (float32 tensor series, about 1e-6 relative); values outside
 * [0, trials] give -Infinity; values are not checked for being integers.
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { restrictToInterval, type SupportOptions } from './support.js';
import { binomialVariate } from './hostSampling.js';

function logChooseParam(trials: Param, value: Tensor): Param {
  return P.sub(
    P.logGammaParam(P.add(trials, 1)),
    P.add(P.logGammaParam(tf.add(value, 1)), P.logGammaParam(P.add(P.sub(trials, value), 1))),
  );
}

function validateTrials(name: string, trials: Param): void {
  if (P.isNumber(trials) && !(trials >= 0 && Number.isFinite(trials))) {
    throw new Error(`${name}: trials must be finite and >= 0, got ${trials}`);
  }
}

function sampleBinomial(name: string, rng: Rng, count: number, trials: number, probability: number): Float64Array {
  P.requireCount(name, count);
  if (!Number.isInteger(trials)) throw new Error(`${name}.sample: trials must be an integer, got ${trials}`);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = binomialVariate(rng, trials, probability);
  return out;
}

export class BinomialLogit implements SampleableDistribution {
  readonly name = 'BinomialLogit';

  constructor(
    readonly trials: Param,
    readonly logit: Param,
    readonly options: SupportOptions = {},
  ) {
    validateTrials(this.name, trials);
    P.requireFinite(this.name, 'logit', logit);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { trials, logit } = this;
      const kernel = P.sub(P.mul(value, logit), P.mul(trials, P.softplus(logit)));
      const logDensity = P.add(kernel, logChooseParam(trials, value));
      return restrictToInterval(P.broadcastTo(logDensity, value), value, 0, trials, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    const { trials, logit } = P.requireNumbers(this.name, { trials: this.trials, logit: this.logit });
    return sampleBinomial(this.name, rng, count, trials, 1 / (1 + Math.exp(-logit)));
  }
}

export class Binomial implements SampleableDistribution {
  readonly name = 'Binomial';

  constructor(
    readonly trials: Param,
    readonly probability: Param,
    readonly options: SupportOptions = {},
  ) {
    validateTrials(this.name, trials);
    if (P.isNumber(probability) && !(probability > 0 && probability < 1)) {
      throw new Error(`Binomial: probability must be in (0, 1), got ${probability}`);
    }
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { trials, probability } = this;
      const successes = P.mul(value, P.log(probability));
      const failures = P.mul(P.sub(trials, value), P.log1p(P.neg(probability)));
      const logDensity = P.add(P.add(successes, failures), logChooseParam(trials, value));
      return restrictToInterval(P.broadcastTo(logDensity, value), value, 0, trials, this.options);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    const { trials, probability } = P.requireNumbers(this.name, { trials: this.trials, probability: this.probability });
    return sampleBinomial(this.name, rng, count, trials, probability);
  }
}
