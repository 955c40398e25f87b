/**
 * posteriordb `garch-garch11`: GARCH(1,1) (Bollerslev 1986), flat priors on mu, alpha0 > 0,
 * 0 < alpha1 < 1 and 0 < beta1 < 1 - alpha1 (a bound that depends on an earlier parameter);
 * s[1] = sigma1, s[t]^2 = alpha0 + alpha1 (y[t-1] - mu)^2 + beta1 s[t-1]^2, y[t] ~ N(mu, s[t])
 * (../shared/posteriordb/garch-garch11/model.md). The variance recursion runs on the host with a
 * forward-mode gradient (src/ppl/hostKernel.ts), or as per-step tensor ops with `recursion: 'tensor'`.
 */
import { interval, positive, unitInterval } from '../../src/bijectors/index.js';
import { HALF_LOG_2PI } from '../../src/distributions/index.js';
import { defineModel, hostKernelOp, perChainHostKernel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, realField, vectorField, type PosteriorData } from './data.js';
import type { RecursionOptions } from './recursion.js';

/**
 * GARCH(1,1) log likelihood at params = (mu, alpha0, alpha1, beta1) with its gradient: the
 * variance v[t] and its tangents dv[t] / d params are carried forward together.
 */
export function garchLogLikelihood(y: Float64Array, sigma1: number, params: Float64Array, gradient: Float64Array): number {
  const [mu, alpha0, alpha1, beta1] = params;
  let variance = sigma1 * sigma1;
  let dMu = 0;
  let dAlpha0 = 0;
  let dAlpha1 = 0;
  let dBeta1 = 0;
  let total = 0;
  gradient.fill(0);
  for (let t = 0; t < y.length; t++) {
    if (t > 0) {
      const previous = y[t - 1] - mu;
      const previousVariance = variance;
      variance = alpha0 + alpha1 * previous * previous + beta1 * previousVariance;
      dMu = -2 * alpha1 * previous + beta1 * dMu;
      dAlpha0 = 1 + beta1 * dAlpha0;
      dAlpha1 = previous * previous + beta1 * dAlpha1;
      dBeta1 = previousVariance + beta1 * dBeta1;
    }
    const residual = y[t] - mu;
    total += -0.5 * Math.log(variance) - HALF_LOG_2PI - (0.5 * residual * residual) / variance;
    // d/dv of the term, then the chain rule through the tangents; mu also enters directly.
    const dVariance = -0.5 / variance + (0.5 * residual * residual) / (variance * variance);
    gradient[0] += residual / variance + dVariance * dMu;
    gradient[1] += dVariance * dAlpha0;
    gradient[2] += dVariance * dAlpha1;
    gradient[3] += dVariance * dBeta1;
  }
  return total;
}

export function garch(data: PosteriorData, options: RecursionOptions = {}): ModelDefinition {
  const T = integerField(data, 'T');
  const y = vectorField(data, 'y', T);
  const sigma1 = realField(data, 'sigma1');
  const hostTerm = hostKernelOp(perChainHostKernel('garch likelihood', 'params', 4, (params, gradient) => garchLogLikelihood(y, sigma1, params, gradient)));
  const constants = lazyTensors(() => ({
    y: tf.tensor2d(float32(y), [1, T]),
    previous: tf.tensor2d(float32(y.subarray(0, T - 1)), [1, T - 1]),
  }));

  function tensorLogLikelihood(mu: Tensor, alpha0: Tensor, alpha1: Tensor, beta1: Tensor): Tensor {
    const { y: observed, previous } = constants.get();
    const chains = mu.shape[0];
    // innovation[t] = alpha0 + alpha1 (y[t-1] - mu)^2 for t = 2..T; v[t] = innovation[t] + beta1 v[t-1].
    const innovation = tf.add(alpha0, tf.mul(alpha1, tf.square(tf.sub(previous, mu))));
    const steps = tf.unstack(innovation, 1);
    const variances: Tensor[] = [tf.fill([chains], sigma1 * sigma1)];
    for (const step of steps) variances.push(tf.add(step, tf.mul(tf.reshape(beta1, [chains]), variances[variances.length - 1])));
    const variance = tf.stack(variances, 1);
    const residual = tf.sub(observed, mu);
    return tf.sub(tf.mul(tf.add(tf.log(variance), 2 * HALF_LOG_2PI), -0.5), tf.div(tf.mul(tf.square(residual), 0.5), variance));
  }

  return defineModel({
    name: 'garch-garch11',
    parameters: {
      mu: {},
      alpha0: { constraint: positive() },
      alpha1: { constraint: unitInterval() },
      beta1: { constraint: interval(0, ({ alpha1 }) => tf.sub(1, alpha1)) },
    },
    logDensity: ({ mu, alpha0, alpha1, beta1 }) => {
      if (options.recursion === 'tensor') return tensorLogLikelihood(mu, alpha0, alpha1, beta1);
      return hostTerm([tf.concat([mu, alpha0, alpha1, beta1], 1)]);
    },
    dispose: () => constants.dispose(),
  });
}
