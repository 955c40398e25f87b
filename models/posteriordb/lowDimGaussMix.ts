/**
 * posteriordb `low_dim_gauss_mix-low_dim_gauss_mix`: two-component normal mixture,
 * p(y) = theta N(y | mu[1], sigma[1]) + (1 - theta) N(y | mu[2], sigma[2]), ordered mu with
 * mu[k] ~ N(0, 2), sigma[k] ~ HalfNormal(0, 2), theta ~ Beta(5, 5), on the log scale with a
 * log-sum-exp over the components (../shared/posteriordb/low_dim_gauss_mix-low_dim_gauss_mix/model.md).
 * Both components are evaluated at once on [chains, N, 2]; the likelihood is summed in blocks.
 */
import { ordered, positive, unitInterval } from '../../src/bijectors/index.js';
import { Beta, HALF_LOG_2PI, HalfNormal, log1p, logSumExp, Normal } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';

const BLOCK = 100;

export function lowDimGaussMix(data: PosteriorData): ModelDefinition {
  const N = integerField(data, 'N');
  const y = vectorField(data, 'y', N);
  const blocks = Math.ceil(N / BLOCK);
  const constants = lazyTensors(() => ({ y: tf.tensor3d(float32(y), [1, N, 1]) }));
  return defineModel({
    name: 'low_dim_gauss_mix-low_dim_gauss_mix',
    parameters: {
      mu: { shape: [2], constraint: ordered(), prior: new Normal(0, 2) },
      sigma: { shape: [2], constraint: positive(), prior: new HalfNormal(2, { checkSupport: false }) },
      theta: { constraint: unitInterval(), prior: new Beta(5, 5, { checkSupport: false }) },
    },
    logDensity: ({ mu, sigma, theta }) => {
      const { y: observed } = constants.get();
      const chains = mu.shape[0];
      // log weights and per-component log N(y | mu[k], sigma[k]) - log(2 pi)/2, [chains, 1, 2].
      const logWeight = tf.concat([tf.log(theta), log1p(tf.neg(theta))], 1);
      const offset = tf.reshape(tf.sub(logWeight, tf.add(tf.log(sigma), HALF_LOG_2PI)), [chains, 1, 2]);
      const z = tf.div(tf.sub(observed, tf.reshape(mu, [chains, 1, 2])), tf.reshape(sigma, [chains, 1, 2]));
      const perPoint = logSumExp(tf.add(tf.mul(tf.square(z), -0.5), offset), 2); // [chains, N]
      const padded = blocks * BLOCK === N ? perPoint : tf.pad(perPoint, [[0, 0], [0, blocks * BLOCK - N]]);
      return tf.sum(tf.reshape(padded, [chains, blocks, BLOCK]), 2);
    },
    dispose: () => constants.dispose(),
  });
}
