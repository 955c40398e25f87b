/**
 * Normal log likelihood sum_n log N(y_n | mean_n, sigma) for a batch of chains, returned as partial
 * sums so the host adds them in float64 (src/ppl/compile.ts): the squared residuals summed in blocks
 * ([chains, blocks]) times -1 / (2 sigma^2), plus -N (log sigma + log(2 pi) / 2) ([chains, 1]).
 */
import { HALF_LOG_2PI } from '../../src/distributions/index.js';
import { tf, type Tensor, type Tensor2D } from '../../src/tensor/index.js';

/**
 * observed [1, N] (or [chains, N]), mean [chains, N], sigma [chains, 1]. Call inside tf.tidy (the
 * compiled log density does).
 */
export function normalLogLikelihood(observed: Tensor2D, mean: Tensor2D, sigma: Tensor, blockSize = 100): Tensor[] {
  const chains = mean.shape[0];
  const count = mean.shape[1];
  const squared = tf.square(tf.sub(observed, mean));
  const blocks = Math.ceil(count / blockSize);
  const padded = blocks * blockSize === count ? squared : tf.pad(squared, [[0, 0], [0, blocks * blockSize - count]]);
  const sums = tf.sum(tf.reshape(padded, [chains, blocks, blockSize]), 2);
  const quadratic = tf.mul(sums, tf.div(-0.5, tf.square(sigma)));
  const normalizer = tf.mul(tf.add(tf.log(sigma), HALF_LOG_2PI), -count);
  return [quadratic, normalizer];
}
