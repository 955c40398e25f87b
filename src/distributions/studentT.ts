/**
 * StudentT(df, loc, scale): log p(x) = lgamma((df + 1) / 2) - lgamma(df / 2) - log(df pi) / 2
 * - log(scale) - (df + 1) / 2 log(1 + ((x - loc) / scale)^2 / df) (Stan Functions Reference,
 * "Student-t distribution"). The lgamma difference is evaluated as a whole (special.ts,
 * lgammaHalfStepCorrection) so a large tensor df keeps float32 accuracy. Sampled as loc + scale Z / sqrt(G / df), Z ~ N(0, 1), G ~ chi^2(df).
 */
import { gammaVariate, tf, type Rng, type Tensor } from '../tensor/index.js';
import type { Param, SampleableDistribution } from './types.js';
import * as P from './param.js';
import { HALF_LOG_2PI } from './special.js';

export class StudentT implements SampleableDistribution {
  readonly name = 'StudentT';

  constructor(
    readonly df: Param,
    readonly loc: Param,
    readonly scale: Param,
  ) {
    P.requirePositive(this.name, 'df', df);
    P.requireFinite(this.name, 'loc', loc);
    P.requirePositive(this.name, 'scale', scale);
  }

  logProb(value: Tensor): Tensor {
    return tf.tidy(() => {
      const { df, loc, scale } = this;
      const halfDfPlusOne = P.mul(P.add(df, 1), 0.5);
      // lgamma((df+1)/2) - lgamma(df/2) - log(df pi)/2 = C(df/2) - log(2 pi)/2 with
      // C(x) = lgamma(x + 1/2) - lgamma(x) - log(x)/2, computed without cancellation for large df.
      const logNormalizer = P.sub(P.lgammaHalfStepCorrectionParam(P.mul(df, 0.5)), P.add(P.log(scale), HALF_LOG_2PI));
      const zSquaredOverDf = P.div(P.squaredDifference(value, loc), P.mul(df, P.square(scale)));
      const logDensity = P.sub(logNormalizer, P.mul(halfDfPlusOne, P.log1p(zSquaredOverDf)));
      return P.broadcastTo(logDensity, value);
    });
  }

  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    const { df, loc, scale } = P.requireNumbers(this.name, { df: this.df, loc: this.loc, scale: this.scale });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const chiSquared = 2 * gammaVariate(rng, df / 2);
      out[i] = loc + (scale * rng.normal()) / Math.sqrt(chiSquared / df);
    }
    return out;
  }
}
