/**
 * posteriordb `arma-arma11`: ARMA(1,1) (Box & Jenkins) with the one-step prediction errors defined
 * recursively, nu[1] = mu + phi mu, nu[t] = mu + phi y[t-1] + theta err[t-1], err[t] = y[t] - nu[t]
 * ~ N(0, sigma); mu ~ N(0, 10), phi, theta ~ N(0, 2), sigma ~ HalfCauchy(0, 2.5)
 * (../shared/posteriordb/arma-arma11/model.md). The error scan runs on the host with a forward-mode
 * gradient (src/ppl/hostKernel.ts), or as per-step tensor ops with `recursion: 'tensor'`.
 */
import { positive } from '../../src/bijectors/index.js';
import { HALF_LOG_2PI, HalfCauchy, Normal } from '../../src/distributions/index.js';
import { defineModel, hostKernelOp, perChainHostKernel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';
import type { RecursionOptions } from './recursion.js';

/**
 * ARMA(1,1) log likelihood sum_t log N(err[t] | 0, sigma) at params = (mu, phi, theta, sigma) with
 * its gradient: each error and its tangents d err[t] / d (mu, phi, theta) are carried forward.
 */
export function armaLogLikelihood(y: Float64Array, params: Float64Array, gradient: Float64Array): number {
  const [mu, phi, theta, sigma] = params;
  let error = y[0] - (mu + phi * mu);
  let dMu = -(1 + phi);
  let dPhi = -mu;
  let dTheta = 0;
  let sumSquares = 0;
  let gMu = 0;
  let gPhi = 0;
  let gTheta = 0;
  const accumulate = () => {
    sumSquares += error * error;
    gMu += error * dMu;
    gPhi += error * dPhi;
    gTheta += error * dTheta;
  };
  accumulate();
  for (let t = 1; t < y.length; t++) {
    const previousError = error;
    error = y[t] - (mu + phi * y[t - 1] + theta * previousError);
    dMu = -1 - theta * dMu;
    dPhi = -y[t - 1] - theta * dPhi;
    dTheta = -previousError - theta * dTheta;
    accumulate();
  }
  const precision = 1 / (sigma * sigma);
  gradient[0] = -gMu * precision;
  gradient[1] = -gPhi * precision;
  gradient[2] = -gTheta * precision;
  gradient[3] = sumSquares * precision / sigma - y.length / sigma;
  return -0.5 * sumSquares * precision - y.length * (Math.log(sigma) + HALF_LOG_2PI);
}

export function arma(data: PosteriorData, options: RecursionOptions = {}): ModelDefinition {
  const T = integerField(data, 'T');
  const y = vectorField(data, 'y', T);
  const hostTerm = hostKernelOp(perChainHostKernel('arma likelihood', 'params', 4, (params, gradient) => armaLogLikelihood(y, params, gradient)));
  const constants = lazyTensors(() => ({
    current: tf.tensor2d(float32(y.subarray(1)), [1, T - 1]),
    previous: tf.tensor2d(float32(y.subarray(0, T - 1)), [1, T - 1]),
  }));

  function tensorLogLikelihood(mu: Tensor, phi: Tensor, theta: Tensor, sigma: Tensor): Tensor {
    const { current, previous } = constants.get();
    const chains = mu.shape[0];
    const thetaFlat = tf.reshape(theta, [chains]);
    // err[t] = base[t] - theta err[t-1] with base[t] = y[t] - mu - phi y[t-1].
    const base = tf.unstack(tf.sub(tf.sub(current, mu), tf.mul(phi, previous)), 1);
    const errors: Tensor[] = [tf.reshape(tf.sub(y[0], tf.mul(mu, tf.add(phi, 1))), [chains])];
    for (const step of base) errors.push(tf.sub(step, tf.mul(thetaFlat, errors[errors.length - 1])));
    return new Normal(0, sigma).logProb(tf.stack(errors, 1));
  }

  return defineModel({
    name: 'arma-arma11',
    parameters: {
      mu: { prior: new Normal(0, 10) },
      phi: { prior: new Normal(0, 2) },
      theta: { prior: new Normal(0, 2) },
      sigma: { constraint: positive(), prior: new HalfCauchy(2.5, { checkSupport: false }) },
    },
    logDensity: ({ mu, phi, theta, sigma }) => {
      if (options.recursion === 'tensor') return tensorLogLikelihood(mu, phi, theta, sigma);
      return hostTerm([tf.concat([mu, phi, theta, sigma], 1)]);
    },
    dispose: () => constants.dispose(),
  });
}
